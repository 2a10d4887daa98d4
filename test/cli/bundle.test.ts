import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "../support/cli.js";
import { git, GIT_ENV, newRepo, write } from "../git/support.js";

/**
 * The shipped CLI is an esbuild bundle (scripts/bundle-cli.mjs) split into chunks, so that
 * start-up reads a few files and the modules a run does not need stay unread. These tests
 * load the bundle with a module-loader hook that records every file loaded
 * (preload/log-loads.mjs), and map each chunk back to the source modules it holds with
 * esbuild's metafile (dist/cli-meta.json, written by the build, not shipped).
 */
const LOG_LOADS = resolve(import.meta.dirname, "preload/log-loads.mjs");
const META = resolve(ROOT, "dist/cli-meta.json");

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[]; entryPoint?: string }>;
}

const meta = (): Metafile => JSON.parse(readFileSync(META, "utf8")) as Metafile;

/** The source modules (tsc's `dist/src/...` or `node_modules/...`, as esbuild names them) held by the output `file` (relative to ROOT). */
function inputsOf(m: Metafile, file: string): string[] {
  const out = m.outputs[file];
  if (out === undefined) throw new Error(`${file} is not in ${relative(ROOT, META)}: a stale build? (npm run build)`);
  return Object.keys(out.inputs);
}

/** Runs the bundled CLI with the load log; returns its exit code and the files (relative to ROOT) the loader loaded. */
function traced(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stderr: string; files: string[] } {
  const log = join(tempDir("dks-loads-"), "loads.txt");
  const r = spawnSync(process.execPath, ["--import", LOG_LOADS, BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...env, NO_COLOR: "1", DKS_LOAD_LOG: log },
    timeout: 60_000,
  });
  const urls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  return { status: r.status, stderr: r.stderr, files: [...new Set(urls.map((u) => relative(ROOT, fileURLToPath(u))))] };
}

/** The source modules a traced run loaded. */
function modulesLoaded(files: readonly string[]): Set<string> {
  const m = meta();
  return new Set(files.flatMap((f) => inputsOf(m, f)));
}

/** Modules that only some runs need, each with the source modules that show it was loaded. */
const LAZY = {
  walker: ["dist/src/sources/walk.js", "node_modules/ignore/index.js"],
  git: ["dist/src/sources/git.js", "dist/src/sources/git-process.js"],
  pipeline: ["dist/src/pipeline.js", "dist/src/scan/scanner.js"],
  config: ["dist/src/config/cli-settings.js", "dist/src/config/validators.generated.js"],
  verify: ["dist/src/verify/index.js", "dist/src/verify/probes.js"],
  "other reporters": ["dist/src/report/json.js", "dist/src/report/sarif.js", "dist/src/report/github.js"],
  "text reporter": ["dist/src/report/text.js"],
  "install-hook": ["dist/src/cli/install-hook.js"],
  "write-output": ["dist/src/cli/write-output.js"],
  worker: ["dist/src/parallel-worker.js"],
} as const;

function expectNotLoaded(loaded: Set<string>, ...groups: (keyof typeof LAZY)[]): void {
  for (const g of groups) for (const mod of LAZY[g]) expect(loaded.has(mod), `${g}: ${mod} was loaded`).toBe(false);
}

function expectLoaded(loaded: Set<string>, ...groups: (keyof typeof LAZY)[]): void {
  for (const g of groups) for (const mod of LAZY[g]) expect(loaded.has(mod), `${g}: ${mod} was not loaded`).toBe(true);
}

describe("the shipped CLI bundle (dist/cli)", () => {
  it("is what package.json's bin names, and the tests run it", () => {
    expect(BIN).toBe(resolve(ROOT, "dist/cli/bin.js"));
    expect(meta().outputs["dist/cli/bin.js"]?.entryPoint).toBe("dist/src/cli/bin.js");
    expect(meta().outputs["dist/cli/parallel-worker.js"]?.entryPoint).toBe("dist/src/parallel-worker.js");
  });

  it("bin.js's static imports (all that loads before main() runs) hold no walker, git, scanner, config, verify or reporter", () => {
    const m = meta();
    const closure = new Set<string>();
    const visit = (file: string): void => {
      if (closure.has(file)) return;
      closure.add(file);
      for (const i of m.outputs[file]!.imports) if (i.kind === "import-statement" && !i.path.startsWith("node:")) visit(i.path);
    };
    visit("dist/cli/bin.js");
    const modules = new Set([...closure].flatMap((f) => inputsOf(m, f)));
    expectNotLoaded(modules, ...(Object.keys(LAZY) as (keyof typeof LAZY)[]));
    expect([...modules].filter((mod) => mod.startsWith("node_modules/"))).toEqual([]);
    expect(modules.has("dist/src/cli/main.js")).toBe(true);
  });

  it("--version loads bin.js and its few static chunks, nothing else, nothing outside dist/cli", () => {
    const run = traced(["--version"], ROOT);
    expect(run.status, run.stderr).toBe(0);
    expect(run.files[0]).toBe("dist/cli/bin.js");
    expect(run.files.filter((f) => !f.startsWith("dist/cli/"))).toEqual([]);
    const loaded = modulesLoaded(run.files);
    expectNotLoaded(loaded, ...(Object.keys(LAZY) as (keyof typeof LAZY)[]));
    expect(run.files.length).toBeLessThanOrEqual(5);
  });

  it("--staged loads git, the scanner and the text reporter, but not the walker (ignore), verify, other reporters or install-hook", () => {
    const repo = newRepo("dks-bundle-staged-");
    write(repo, "app.js", "const region = 'eu';\n");
    git(repo, "add", "app.js");
    const run = traced(["--staged"], repo, GIT_ENV);
    expect(run.status, run.stderr).toBe(0);
    expect(run.files.filter((f) => !f.startsWith("dist/cli/"))).toEqual([]);
    const loaded = modulesLoaded(run.files);
    expectLoaded(loaded, "git", "pipeline", "config", "text reporter");
    expectNotLoaded(loaded, "walker", "verify", "other reporters", "install-hook", "write-output", "worker");
  });

  it("a directory scan does load the walker and ignore (the trace sees lazy chunks), but not git", () => {
    const dir = tempDir("dks-bundle-walk-");
    writeFileSync(join(dir, "a.txt"), "nothing here\n");
    const run = traced(["-f", "sarif", "."], dir);
    expect(run.status, run.stderr).toBe(0);
    const loaded = modulesLoaded(run.files);
    expectLoaded(loaded, "walker", "pipeline");
    expect(loaded.has("dist/src/report/sarif.js")).toBe(true);
    expectNotLoaded(loaded, "git", "verify", "text reporter", "install-hook", "worker");
  });

  it.skipIf(availableParallelism() < 2)("DEVIN_KEYSCAN_WORKERS=1 starts dist/cli/parallel-worker.js, the worker next to the chunks", () => {
    const dir = tempDir("dks-bundle-worker-");
    for (let i = 0; i < 1100; i++) {
      if (i % 100 === 0) mkdirSync(join(dir, `d${i / 100}`));
      writeFileSync(join(dir, `d${Math.floor(i / 100)}`, `f${i}.js`), `const v${i} = ${i};\n`);
    }
    const run = traced(["."], dir, { ...process.env, DEVIN_KEYSCAN_WORKERS: "1" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.files).toContain("dist/cli/parallel-worker.js");
    expect(run.files.filter((f) => !f.startsWith("dist/cli/"))).toEqual([]);
  });
});
