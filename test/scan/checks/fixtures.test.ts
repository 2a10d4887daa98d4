import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/pipeline.js";

/**
 * Every generated fixture, scanned as a directory: the findings must be exactly the
 * manifest's (file, line, rule, encoding), no more, no less.
 */
interface Expected {
  file: string;
  line: number;
  ruleId: string;
  encoding?: string;
}

const ROOT = resolve(import.meta.dirname, "../../..");

for (const dir of ["fixtures/checks", "fixtures/decoded"]) {
  describe(dir, () => {
    it("reports exactly the manifest's findings", async () => {
      const cwd = join(ROOT, dir);
      const manifest = JSON.parse(readFileSync(join(cwd, "manifest.json"), "utf8")) as { expected: Expected[] };
      const result = await scan({ cwd, paths: ["."], exclude: ["generate.mjs", "templates.*", "manifest.json"] });
      expect(result.errors).toEqual([]);
      const key = (f: Expected) => `${f.file}:${f.line}:${f.ruleId}${f.encoding ? `:${f.encoding}` : ""}`;
      expect(result.findings.map(key).sort()).toEqual(manifest.expected.map(key).sort());
    });
  });
}
