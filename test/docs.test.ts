import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../src/cli/args.js";

const readme = readFileSync(resolve(import.meta.dirname, "../README.md"), "utf8");

describe("README", () => {
  it("documents every command-line flag", () => {
    const missing = FLAGS.filter((f) => !readme.includes(`--${f.name}`)).map((f) => `--${f.name}`);
    expect(missing).toEqual([]);
  });

  it("shows the test command", () => {
    expect(readme).toContain("npm test");
  });

  it("documents every exit code", () => {
    for (const code of [0, 1, 2, 3]) expect(readme).toMatch(new RegExp(`\\| ${code} \\|`));
  });
});
