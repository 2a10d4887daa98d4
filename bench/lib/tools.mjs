// Finding the comparison tools, timing commands with hyperfine, and peak RSS with GNU time.
// A missing tool is a hard failure: a benchmark that silently drops a comparison lies.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

export class MissingTool extends Error {}

function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Debian packages the harness needs, by the command they provide. */
const APT = { rg: "ripgrep", hyperfine: "hyperfine", "/usr/bin/time": "time", git: "git" };

/** Detects (or apt-get installs, when root) every system tool; throws listing whatever is still missing. */
export function ensureSystemTools(log) {
  const missing = () => Object.keys(APT).filter((cmd) => (cmd.startsWith("/") ? !existsSync(cmd) : which(cmd) === undefined));
  let absent = missing();
  if (absent.length > 0 && process.getuid?.() === 0 && which("apt-get")) {
    const pkgs = absent.map((c) => APT[c]);
    log(`installing ${pkgs.join(", ")} with apt-get…`);
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
    spawnSync("apt-get", ["install", "-y", "-qq", ...pkgs], { stdio: "ignore" });
    absent = missing();
  }
  if (absent.length > 0) {
    throw new MissingTool(
      `missing comparison tools: ${absent.join(", ")}. Install them: apt-get install ${absent.map((c) => APT[c]).join(" ")}`,
    );
  }
  return {
    rg: execFileSync("rg", ["--version"], { encoding: "utf8" }).split("\n")[0],
    hyperfine: execFileSync("hyperfine", ["--version"], { encoding: "utf8" }).trim(),
  };
}

/** Resolves an npm dev dependency's package.json from the repository, or throws. */
export function ensurePackage(repo, name) {
  const require = createRequire(path.join(repo, "package.json"));
  let pkgJson;
  try {
    pkgJson = require.resolve(`${name}/package.json`);
  } catch {
    throw new MissingTool(`missing npm package ${name}: run \`npm install\` (it is a pinned devDependency)`);
  }
  const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
  return { name, version: pkg.version, dir: path.dirname(pkgJson), pkg };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    nproc: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/**
 * Times commands with hyperfine (warm-up, then `runs` runs) and returns their median and
 * spread in seconds. Exit codes are ignored here (findings exit 1): correctness is
 * checked separately by the sanity pass.
 */
export function hyperfine(commands, { runs, warmup = 1, cwd, jsonPath }) {
  const args = ["--style", "none", "--warmup", String(warmup), "--runs", String(runs), "-i", "-N", "--export-json", jsonPath];
  for (const c of commands) args.push("--command-name", c.name, c.cmd);
  const r = spawnSync("hyperfine", args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`hyperfine failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(readFileSync(jsonPath, "utf8"));
  const byName = {};
  for (const res of out.results) {
    byName[res.command] = { median: res.median, min: res.min, max: res.max, runs: res.times.length, cpu: res.user + res.system };
  }
  return byName;
}

/** Peak resident set size (MiB) and wall time of one run, from GNU time -v. */
export function peakRss(argv, { cwd }) {
  const r = spawnSync("/usr/bin/time", ["-v", ...argv], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const w = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`/usr/bin/time gave no RSS for ${argv.join(" ")}: ${r.stderr.slice(-500)}`);
  const wall = w ? Number(w[1] ?? 0) * 3600 + Number(w[2]) * 60 + Number(w[3]) : NaN;
  return { rssMiB: Number(m[1]) / 1024, wall, status: r.status };
}
