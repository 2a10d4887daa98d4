import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PERSONAL, REPO, SERVICE_USER, writeApp } from "./app.js";

interface EslintResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; column: number; message: string; fatal?: boolean }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the real `eslint` CLI in `dir`, as `npx eslint .` would. */
function eslint(dir: string): { results: EslintResult[]; status: number | null; stderr: string } {
  const bin = join(REPO, "node_modules/eslint/bin/eslint.js");
  const run = spawnSync(process.execPath, [bin, "--format", "json", "."], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  let results: EslintResult[] = [];
  try {
    results = JSON.parse(run.stdout) as EslintResult[];
  } catch {
    throw new Error(`eslint did not print JSON (status ${run.status}): ${run.stderr}`);
  }
  return { results, status: run.status, stderr: run.stderr };
}

function app(variant: "mistakes" | "clean") {
  const dir = mkdtempSync(join(tmpdir(), `devin-keyscan-eslint-${variant}-`));
  dirs.push(dir);
  return { dir, expected: writeApp(dir, variant) };
}

describe("eslint CLI with devin-keyscan/eslint's recommended config", () => {
  it("needs the built plugin", () => {
    expect(existsSync(join(REPO, "dist/rules/index.js")), "run `npm run build` first").toBe(true);
  });

  it("reports each mistake of the app once, on its line, with a message that never shows a key", () => {
    const { dir, expected } = app("mistakes");
    const { results, status } = eslint(dir);
    const reported = results
      .flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(dir.length + 1).split("\\").join("/"), line: m.line, ruleId: m.ruleId ?? `fatal: ${m.message}` })))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const want = [...expected].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    expect(reported).toEqual(want);
    expect(want.length).toBe(8);
    expect(status).toBe(1);
    const messages = results.flatMap((r) => r.messages.map((m) => m.message));
    for (const message of messages) {
      expect(message).not.toContain(PERSONAL);
      expect(message).not.toContain(SERVICE_USER);
    }
    const byRule = (id: string) => results.flatMap((r) => r.messages).find((m) => m.ruleId === `devin-keys/${id}`)!.message;
    expect(byRule("no-version-mismatch")).toMatch(/personal API key.*v3.*403/);
    expect(byRule("valid-api-version")).toContain('did you mean "/v3beta1/"');
    expect(byRule("no-hardcoded-key")).toMatch(/apk_user_\*\*\*\*/);
  });

  it("reports nothing on the clean version of the app", () => {
    const { dir } = app("clean");
    const { results, status, stderr } = eslint(dir);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
    expect(results.length).toBe(6); // five app files and eslint.config.js
    expect(status, stderr).toBe(0);
  });
});
