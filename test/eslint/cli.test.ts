import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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
    expect(existsSync(join(REPO, "dist/eslint/index.js")), "run `npm run build` first").toBe(true);
  });

  it("runs the bundled plugin, the package's devin-keyscan/eslint export, with the rules and configs of tsc's build", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { exports: Record<string, { default: string }> };
    expect(pkg.exports["./eslint"]!.default).toBe("./dist/eslint/index.js");
    type Plugin = { meta: unknown; rules: Record<string, { meta: unknown }>; configs: Record<string, unknown> };
    const bundled = (await import(pathToFileURL(join(REPO, "dist/eslint/index.js")).href)).default as Plugin;
    const built = (await import(pathToFileURL(join(REPO, "dist/rules/index.js")).href)).default as Plugin;
    expect(Object.keys(bundled.rules)).toEqual(Object.keys(built.rules));
    expect(Object.keys(bundled.rules).length).toBe(6);
    for (const [name, rule] of Object.entries(bundled.rules)) expect(rule.meta, name).toEqual(built.rules[name]!.meta);
    expect(bundled.meta).toEqual(built.meta);
    // Configs hold the plugin itself (circular): compare what they turn on.
    const rulesOf = (config: unknown): unknown => [config].flat().map((c) => (c as { rules?: unknown }).rules);
    expect(Object.keys(bundled.configs)).toEqual(Object.keys(built.configs));
    for (const name of Object.keys(built.configs)) expect(rulesOf(bundled.configs[name]), name).toEqual(rulesOf(built.configs[name]));
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
