import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

/** The ESLint plugin runs on every keystroke in an editor: it must never reach the network. */
describe("the ESLint plugin stays offline", () => {
  it("no file under rules/ imports src/verify or an HTTP module", () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.[cm]?[jt]s$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    walk(join(ROOT, "rules"));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.filter((f) => {
      const code = readFileSync(f, "utf8");
      // (Rules talk about `fetch(` calls in the code they lint, so the word itself is allowed.)
      return /(?:from\s+|import\(\s*)["'](?:[^"']*\/verify\/|node:https?["']|https?["']|undici["'])/.test(code);
    });
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
