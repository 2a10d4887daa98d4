import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { keyOfKind, seededRng } from "../src/grammar/synthetic.js";
import { ROOT, runCli, tempDir } from "./support/cli.js";

// The worker runs the BUILT scanner (dist/), so the modules compared with it come from dist too.
const dist = (p: string): string => pathToFileURL(resolve(ROOT, "dist/src", p)).href;

const KINDS = ["personal", "service", "service-user"] as const;

/** 1,200 files (more than PARALLEL_MIN_FILES): keys, an inline ignore, UTF-16, binary, a 2 MiB file, a symlink. */
function makeTree(): { dir: string; keys: number } {
  const dir = tempDir("dks-parallel-");
  const rng = seededRng(42);
  let keys = 0;
  for (let i = 0; i < 1200; i++) {
    const sub = join(dir, `d${i % 12}`);
    mkdirSync(sub, { recursive: true });
    let text = `const value${i} = compute(${i}); // ordinary line\n`.repeat(1 + (i % 7));
    if (i % 37 === 0) {
      text += `const DEVIN_API_KEY = "${keyOfKind(rng, KINDS[keys % 3]!)}";\n`;
      keys++;
    }
    if (i % 101 === 0) text += `const k = "${keyOfKind(rng, "service")}"; // devin-keyscan-ignore: test fixture\n`;
    writeFileSync(join(sub, `f${i}.js`), text);
  }
  writeFileSync(join(dir, "d0", "utf16.ps1"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$k = "${keyOfKind(rng, "service-user")}"\r\n`, "utf16le")]));
  keys++;
  writeFileSync(join(dir, "d1", "blob.bin"), Buffer.from([0, 1, 2, 3, 0, 0, 255, 0]));
  writeFileSync(join(dir, "d2", "big.log"), "log line without anything\n".repeat(80_000) + `token=${keyOfKind(rng, "personal")}\n`);
  keys++;
  symlinkSync(join(dir, "d0", "f0.js"), join(dir, "d3", "link.js"));
  return { dir, keys };
}

/** Runs a scan worker alone on `files` (the main thread takes nothing) and returns its results, decoded. */
async function runWorker(url: string, files: readonly unknown[], fromWire: (r: unknown) => unknown): Promise<unknown[]> {
  const fromWorker: unknown[] = new Array(files.length);
  await new Promise<void>((done, fail) => {
    const w = new Worker(new URL(url), { workerData: { counter: new SharedArrayBuffer(4), paranoid: false } });
    w.postMessage({ files });
    w.on("message", (m: { start: number; results: unknown[] }) => m.results.forEach((r, k) => (fromWorker[m.start + k] = fromWire(r))));
    w.on("error", fail);
    w.on("exit", (code) => (code === 0 ? done() : fail(new Error(`worker exit ${code}`))));
  });
  return fromWorker;
}

describe("parallel scan (worker thread)", () => {
  const tree = makeTree();

  it("a worker reports exactly what the main thread does, secrets and inline ignores included", async () => {
    const { scanFile, fromWire } = await import(dist("parallel.js"));
    const { DEFAULT_DETECTORS } = await import(dist("scan/detectors.js"));
    const { SECRET, INLINE_IGNORE } = await import(dist("scan/types.js"));
    const { walk } = await import(dist("sources/walk.js"));
    const files = walk({ cwd: tree.dir, paths: ["."] }).files.map((f: { absPath: string; path: string; explicit: boolean }) => ({
      absPath: f.absPath,
      path: f.path,
      explicit: f.explicit,
    }));
    expect(files.length).toBeGreaterThan(1200);

    const fromWorker = await runWorker(dist("parallel-worker.js"), files, fromWire);

    let findings = 0;
    let ignored = 0;
    for (let i = 0; i < files.length; i++) {
      const here = await scanFile(files[i], { detectors: DEFAULT_DETECTORS });
      const there = fromWorker[i] as typeof here;
      expect(there, files[i].path).toEqual(here);
      if ("outcome" in here && here.outcome.status === "scanned") {
        const theirs = (there as typeof here & { outcome: { findings: Record<symbol, unknown>[] } }).outcome.findings;
        here.outcome.findings.forEach((f: Record<symbol, unknown>, k: number) => {
          expect(theirs[k]![SECRET]).toBe(f[SECRET]);
          expect(theirs[k]![INLINE_IGNORE]).toEqual(f[INLINE_IGNORE]);
          expect(Object.keys(theirs[k]!)).toEqual(Object.keys(f));
          findings++;
          if (f[INLINE_IGNORE] !== undefined) ignored++;
        });
      }
    }
    expect(findings).toBe(tree.keys + 12);
    expect(ignored).toBe(12);
  });

  it("the shipped CLI bundle's worker (dist/cli/parallel-worker.js) reports exactly what tsc's build does", async () => {
    const { fromWire } = await import(dist("parallel.js"));
    const { walk } = await import(dist("sources/walk.js"));
    const files = walk({ cwd: tree.dir, paths: ["."] }).files.map((f: { absPath: string; path: string; explicit: boolean }) => ({
      absPath: f.absPath,
      path: f.path,
      explicit: f.explicit,
    }));
    // The bundle's parallel.js chunk starts `new URL("./parallel-worker.js", import.meta.url)`: it must be there.
    const bundled = pathToFileURL(resolve(ROOT, "dist/cli/parallel-worker.js")).href;
    const [ours, theirs] = await Promise.all([runWorker(bundled, files, fromWire), runWorker(dist("parallel-worker.js"), files, fromWire)]);
    expect(ours.every((r) => r !== undefined)).toBe(true);
    expect(ours).toEqual(theirs);
  });

  it("a scan that fails before the worker is given files (a missing path) ends as without it", () => {
    const env = { DEVIN_KEYSCAN_WORKERS: "1" };
    // Without the fix the pre-started worker kept the process alive: the timeout kills it.
    const parallel = runCli(["-f", "json", ".", "no-such-dir"], { cwd: tree.dir, env, timeout: 20_000 });
    const sequential = runCli(["-f", "json", ".", "no-such-dir"], { cwd: tree.dir, timeout: 20_000 });
    expect(sequential.status).toBe(2);
    expect(parallel.status).toBe(sequential.status);
    expect(parallel.stderr).toBe(sequential.stderr);
  });

  it("the CLI reports the same with and without the worker", () => {
    const parallel = runCli(["-f", "json", "."], { cwd: tree.dir, env: { ...process.env, DEVIN_KEYSCAN_WORKERS: "1" } });
    const sequential = runCli(["-f", "json", "."], { cwd: tree.dir });
    expect(parallel.status).toBe(1);
    expect(sequential.status).toBe(1);
    const strip = (out: string): unknown => {
      const report = JSON.parse(out) as { stats: Record<string, unknown> };
      delete report.stats.durationMs;
      return report;
    };
    const report = strip(parallel.stdout) as { findings: unknown[]; stats: { skippedBinary: number } };
    expect(report.findings).toHaveLength(tree.keys);
    expect(report.stats.skippedBinary).toBe(1);
    expect(report).toEqual(strip(sequential.stdout));
  });
});
