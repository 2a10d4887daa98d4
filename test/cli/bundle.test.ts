import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "../support/cli.js";
import { git, GIT_ENV, newRepo, write } from "../git/support.js";
// @ts-expect-error: a plain ESM script without types
import { evaluatedModules } from "../../scripts/bundle-cli.mjs";

/**
 * The shipped CLI is one CommonJS file bundled by esbuild, main.js, run by a small launcher,
 * bin.js, from its code cache (scripts/bundle-cli.mjs). The modules a run does not need are
 * never evaluated (esbuild wraps every lazily imported module in a function that runs on first
 * import). These tests run the CLI with V8 coverage on (NODE_V8_COVERAGE) and read which of
 * those functions ran.
 */
const META = resolve(ROOT, "dist/cli-meta.json");
/** The CLI bundle; BIN, the command, is the launcher that runs it from its code cache. */
const MAIN = resolve(ROOT, "dist/cli/main.js");
const WORKER = resolve(ROOT, "dist/cli/parallel-worker.js");

interface Evaluated {
  readonly bundled: Set<string>;
  readonly wrapped: Set<string>;
  readonly evaluated: Set<string>;
  readonly scripts: string[];
}

const typedEvaluatedModules = evaluatedModules as (coverageDir: string, bundle: string, metaPath: string) => Evaluated;

/** Runs the bundled CLI with coverage; returns its exit code, the modules it evaluated and the files it loaded (relative to ROOT). */
function traced(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stderr: string; run: Evaluated; files: string[] } {
  const coverage = tempDir("dks-coverage-");
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...env, NO_COLOR: "1", NODE_V8_COVERAGE: coverage },
    timeout: 60_000,
  });
  const run = typedEvaluatedModules(coverage, MAIN, META);
  return { status: r.status, stderr: r.stderr, run, files: run.scripts.map((f) => relative(ROOT, f)) };
}

/** Modules that only some runs need, each with the source modules that show it was evaluated. */
const LAZY = {
  walker: ["dist/src/sources/walk.js", "node_modules/ignore/index.js"],
  "allow-list": ["dist/src/suppress/allow.js"],
  picomatch: ["node_modules/picomatch/index.js"],
  git: ["dist/src/sources/git.js", "dist/src/sources/git-process.js"],
  pipeline: ["dist/src/pipeline.js", "dist/src/scan/scanner.js"],
  config: ["dist/src/config/cli-settings.js", "dist/src/config/validators.generated.js"],
  verify: ["dist/src/verify/index.js", "dist/src/verify/probes.js"],
  "other reporters": ["dist/src/report/json.js", "dist/src/report/sarif.js", "dist/src/report/github.js"],
  "text reporter": ["dist/src/report/text.js"],
  "install-hook": ["dist/src/cli/install-hook.js"],
  "write-output": ["dist/src/cli/write-output.js"],
} as const;
const ALL_LAZY = Object.keys(LAZY) as (keyof typeof LAZY)[];

function expectNotEvaluated(run: Evaluated, ...groups: (keyof typeof LAZY)[]): void {
  for (const g of groups) for (const mod of LAZY[g]) expect(run.evaluated.has(mod), `${g}: ${mod} was evaluated`).toBe(false);
}

function expectEvaluated(run: Evaluated, ...groups: (keyof typeof LAZY)[]): void {
  for (const g of groups) for (const mod of LAZY[g]) expect(run.evaluated.has(mod), `${g}: ${mod} was not evaluated`).toBe(true);
}

describe("the shipped CLI bundle (dist/cli)", () => {
  it("is what package.json's bin names: the launcher, the CLI in one CommonJS file with its code cache, and the worker", () => {
    expect(BIN).toBe(resolve(ROOT, "dist/cli/bin.js"));
    expect(readFileSync(BIN, "utf8")).toBe(readFileSync(resolve(ROOT, "scripts/cli-launcher.cjs"), "utf8"));
    const meta = JSON.parse(readFileSync(META, "utf8")) as { outputs: Record<string, { entryPoint?: string }> };
    expect(meta.outputs["dist/cli/main.js"]?.entryPoint).toBe("dist/src/cli/bin.js");
    expect(meta.outputs["dist/cli/parallel-worker.js"]?.entryPoint).toBe("dist/src/parallel-worker.js");
    expect(readdirSync(resolve(ROOT, "dist/cli")).sort()).toEqual(["bin.js", "main.js", "main.js.cache", "package.json", "parallel-worker.js"]);
    expect(JSON.parse(readFileSync(resolve(ROOT, "dist/cli/package.json"), "utf8"))).toEqual({ type: "commonjs" });
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(resolve(ROOT, pkg.bin["devin-keyscan"]!)).toBe(BIN);
  });

  it("ships a code cache that this Node accepts for main.js, in the launcher's wrapper", () => {
    const { wrap } = createRequire(import.meta.url)(BIN) as { wrap: (source: string) => string };
    const source = wrap(readFileSync(MAIN, "utf8"));
    const script = new Script(source, { filename: MAIN, cachedData: readFileSync(`${MAIN}.cache`) });
    expect(script.cachedDataRejected).toBe(false);
    // And it is the cache of exactly that text: another text is refused.
    expect(new Script(source.replace("use strict", "use strict "), { filename: MAIN, cachedData: readFileSync(`${MAIN}.cache`) }).cachedDataRejected).toBe(true);
  });

  it("runs without its code cache, or with one V8 refuses", () => {
    const dir = tempDir("dks-launcher-");
    for (const f of ["bin.js", "main.js", "package.json", "parallel-worker.js"]) copyFileSync(resolve(ROOT, "dist/cli", f), join(dir, f));
    // Outside the package, the version it finds is "0.0.0": what matters is that the CLI ran.
    const run = (): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, [join(dir, "bin.js"), "--version"], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    for (const cache of [undefined, Buffer.from("not a V8 code cache")]) {
      if (cache) writeFileSync(join(dir, "main.js.cache"), cache);
      const r = run();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe("0.0.0\n");
    }
  });

  it("--version evaluates none of the lazily imported modules, and loads no file but the launcher and main.js", () => {
    const t = traced(["--version"], ROOT);
    expect(t.status, t.stderr).toBe(0);
    expect(t.files.sort()).toEqual(["dist/cli/bin.js", "dist/cli/main.js"]);
    // Every lazy module is wrapped, so what it costs a run that does not need it is parsing.
    for (const mod of Object.values(LAZY).flat()) expect(t.run.wrapped.has(mod), `${mod} is not wrapped`).toBe(true);
    expectNotEvaluated(t.run, ...ALL_LAZY);
    expect(t.run.evaluated.has("dist/src/cli/main.js")).toBe(true);
    expect([...t.run.evaluated].filter((m) => m.startsWith("node_modules/"))).toEqual([]);
  });

  it("--staged evaluates git, the scanner and the text reporter, but not the walker (ignore), verify, other reporters or install-hook", () => {
    const repo = newRepo("dks-bundle-staged-");
    write(repo, "app.js", "const region = 'eu';\n");
    git(repo, "add", "app.js");
    const t = traced(["--staged"], repo, GIT_ENV);
    expect(t.status, t.stderr).toBe(0);
    expect(t.files.sort()).toEqual(["dist/cli/bin.js", "dist/cli/main.js"]);
    expectEvaluated(t.run, "git", "pipeline", "config", "text reporter");
    expectNotEvaluated(t.run, "walker", "allow-list", "picomatch", "verify", "other reporters", "install-hook", "write-output");
    expect([...t.run.evaluated].filter((m) => m.startsWith("node_modules/"))).toEqual([]);
  });

  it("an allow-list in the configuration evaluates its module and picomatch", () => {
    const repo = newRepo("dks-bundle-allow-");
    write(repo, "devin-keyscan.config.json", JSON.stringify({ allow: [{ paths: ["fixtures/**"], reason: "synthetic keys" }] }));
    write(repo, "app.js", "const region = 'eu';\n");
    git(repo, "add", "app.js");
    const t = traced(["--staged"], repo, GIT_ENV);
    expect(t.status, t.stderr).toBe(0);
    expectEvaluated(t.run, "allow-list", "picomatch");
    expectNotEvaluated(t.run, "walker");
  });

  it("a directory scan does evaluate the walker and ignore (the trace sees lazy modules), but not git", () => {
    const dir = tempDir("dks-bundle-walk-");
    writeFileSync(join(dir, "a.txt"), "nothing here\n");
    const t = traced(["-f", "sarif", "."], dir);
    expect(t.status, t.stderr).toBe(0);
    expectEvaluated(t.run, "walker", "picomatch", "pipeline");
    expect(t.run.evaluated.has("dist/src/report/sarif.js")).toBe(true);
    expectNotEvaluated(t.run, "git", "verify", "text reporter", "install-hook");
    expect(t.files.sort()).toEqual(["dist/cli/bin.js", "dist/cli/main.js"]);
  });

  it.skipIf(availableParallelism() < 2)("DEVIN_KEYSCAN_WORKERS=1 starts dist/cli/parallel-worker.js, the worker next to bin.js", () => {
    const dir = tempDir("dks-bundle-worker-");
    for (let i = 0; i < 1100; i++) {
      if (i % 100 === 0) mkdirSync(join(dir, `d${i / 100}`));
      writeFileSync(join(dir, `d${Math.floor(i / 100)}`, `f${i}.js`), `const v${i} = ${i};\n`);
    }
    const t = traced(["."], dir, { ...process.env, DEVIN_KEYSCAN_WORKERS: "1" });
    expect(t.status, t.stderr).toBe(0);
    expect(t.files.sort()).toEqual(["dist/cli/bin.js", "dist/cli/main.js", relative(ROOT, WORKER)]);
  });
});
