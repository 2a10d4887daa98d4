/**
 * Security of the tool itself (issue 8): no network unless --verify, git called with argument
 * arrays only and hostile refs rejected before git ever runs, the --output report created
 * 0600 with nothing left behind, and a package that ships only what users need.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, runCli, tempDir } from "../support/cli.js";
import { GIT_ENV } from "../support/git-env.js";
import { expectWellBehaved, HANG_TIMEOUT_MS, keySet, runNode } from "../reliability/support.js";

const NO_NETWORK = resolve(import.meta.dirname, "preload/no-network.cjs");
const K = keySet(808);

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: "ignore" });
}

/** A repository with one commit on main and a branch adding a key, plus a staged key. */
function repoWithKeys(): string {
  const dir = tempDir();
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "a.txt"), "x\n");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "init");
  git(dir, "checkout", "-qb", "feature");
  writeFileSync(join(dir, "leak.env"), `K=${K.service}\n`);
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "leak");
  writeFileSync(join(dir, "staged.env"), `K=${K.serviceUser}\n`);
  git(dir, "add", "staged.env");
  return dir;
}

describe("no network access unless --verify", () => {
  const repo = repoWithKeys();
  const log = join(tempDir(), "network.log");
  const run = (args: string[], cwd: string, input?: string): ReturnType<typeof runNode> => {
    const r = runNode(["--require", NO_NETWORK, BIN, ...args], { cwd, env: { ...GIT_ENV, DKS_NETWORK_LOG: log }, ...(input !== undefined ? { input } : {}) });
    expectWellBehaved(r, K.all);
    return r;
  };
  const attempts = (): string => (existsSync(log) ? readFileSync(log, "utf8") : "");

  const scans: [string, string[], string?][] = [
    ["the fixtures, text", ["fixtures"]],
    ["the fixtures, json", ["fixtures", "--format", "json"]],
    ["the fixtures, sarif", ["fixtures", "--format", "sarif"]],
    ["the fixtures, github", ["fixtures", "--format", "github"]],
    ["--staged", ["--staged"], "repo"],
    ["--diff main", ["--diff", "main"], "repo"],
    ["--history", ["--history"], "repo"],
  ];
  for (const [name, args, where] of scans) {
    it(`${name}: finds keys (exit 1) with every network call made to throw, and attempts none`, () => {
      const r = run(args, where === "repo" ? repo : ROOT);
      expect(r.status, r.stderr).toBe(1);
      expect(attempts()).toBe("");
    });
  }

  it("standard input: exit 1, no attempt", () => {
    const r = run(["-"], ROOT, `DEVIN_API_KEY=${K.personal}\n`);
    expect(r.status).toBe(1);
    expect(attempts()).toBe("");
  });

  it("the preload does catch network use: --verify against a loopback URL is recorded as an attempt", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), `K=${K.personal}\n`);
    run(["--verify", "--verify-base-url", "http://127.0.0.1:9", "k.env"], dir);
    expect(attempts()).not.toBe("");
  });
});

describe("git is called with argument arrays only", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.(ts|js|mjs|cjs)$/.test(d.name))
      .map((d) => join(d.parentPath, d.name));
  const files = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "rules"))];

  it("no source file uses a shell: no `shell: true`, no exec/execSync, child_process only through spawn/execFile", () => {
    expect(files.length).toBeGreaterThan(10);
    const offences: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const where = relative(ROOT, file);
      if (/\bshell\s*:\s*(true|["'`])/.test(text)) offences.push(`${where}: shell option`);
      if (/\bexecSync\s*\(/.test(text)) offences.push(`${where}: execSync(`);
      // `regex.exec(` is fine; a bare or child_process `exec(` is not.
      if (/(^|[^.\w])exec\s*\(|child_process["']?\)?\.exec\s*\(|\bcp\.exec\s*\(/m.test(text)) offences.push(`${where}: exec(`);
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["'](?:node:)?child_process["']/g)) {
        for (const name of m[1]!.split(",").map((s) => s.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!)) {
          if (name !== "" && !["spawn", "spawnSync", "execFile", "execFileSync", "ChildProcess", "ChildProcessByStdio", "ChildProcessWithoutNullStreams", "SpawnOptions", "SpawnSyncOptions"].includes(name)) {
            offences.push(`${where}: imports ${name} from child_process`);
          }
        }
      }
      if (/import\s+\*\s+as\s+\w+\s+from\s*["'](?:node:)?child_process["']|require\(\s*["'](?:node:)?child_process["']\s*\)/.test(text)) {
        offences.push(`${where}: namespace import of child_process (use named spawn/execFile)`);
      }
    }
    expect(offences).toEqual([]);
  });
});

describe("hostile refs are rejected as refs, before git runs", () => {
  const repo = repoWithKeys();
  // A `git` first on PATH that logs its arguments, then runs the real git.
  const bin = tempDir();
  const gitLog = join(bin, "git.log");
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  writeFileSync(join(bin, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(bin, "git"), 0o755);
  const env = { ...GIT_ENV, PATH: `${bin}:${process.env.PATH ?? ""}` };

  const hostile: string[][] = [
    ["--diff=--output=x"],
    ["--diff", "--output=x"],
    ["--diff", "main", "--head=--output=x"],
    ["--diff=$(touch pwned)"],
    ["--diff", "main", "--head=`touch pwned`"],
    ["--diff=main;touch pwned"],
    ["--diff=main|touch pwned"],
    ["--diff=main..feature"],
    ["--diff= main"],
    ["--diff=main\ntouch pwned"],
    ["--history", "--since=--output=x"],
    ["--history", "--since=$(touch pwned)"],
  ];
  for (const args of hostile) {
    it(`${JSON.stringify(args)}: exit 2, nothing created, git never given the ref`, () => {
      writeFileSync(gitLog, "");
      const r = runCli(args, { cwd: repo, timeout: HANG_TIMEOUT_MS, env });
      expectWellBehaved(r, K.all);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/invalid git ref|argument is ambiguous|cannot|needs/);
      expect(existsSync(join(repo, "x"))).toBe(false);
      expect(existsSync(join(repo, "pwned"))).toBe(false);
      expect(readFileSync(gitLog, "utf8")).not.toMatch(/output=x|pwned/);
    });
  }

  it("the wrapper does see git calls: a valid --diff runs git with the ref as one argument", () => {
    writeFileSync(gitLog, "");
    const r = runCli(["--diff", "main"], { cwd: repo, timeout: HANG_TIMEOUT_MS, env });
    expectWellBehaved(r, K.all);
    expect(r.status).toBe(1);
    expect(readFileSync(gitLog, "utf8")).toMatch(/rev-parse .*main\^\{commit\}/);
  });
});

describe("--output: the report file is private and nothing is left behind", () => {
  it("a new report is created 0600, and only it appears in the directory", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), `K=${K.personal}\n`);
    mkdirSync(join(dir, "out"));
    const r = runCli(["k.env", "--output", "out/report.json", "--format", "json"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(r, K.all);
    expect(r.status).toBe(1);
    expect(statSync(join(dir, "out", "report.json")).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "out"))).toEqual(["report.json"]);
    expect(readFileSync(join(dir, "out", "report.json"), "utf8")).not.toContain(K.personal.slice(0, -5));
  });

  it("an existing world-readable report is replaced by a 0600 one", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), `K=${K.service}\n`);
    writeFileSync(join(dir, "report.txt"), "old\n", { mode: 0o644 });
    chmodSync(join(dir, "report.txt"), 0o644);
    const r = runCli(["k.env", "-o", "report.txt"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expect(r.status).toBe(1);
    expect(statSync(join(dir, "report.txt")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toMatch(/no-hardcoded-key/);
    expect(readdirSync(dir).sort()).toEqual(["k.env", "report.txt"]);
  });

  it("a planted symlink at the output path is replaced, its target never written", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), `K=${K.service}\n`);
    symlinkSync(join(dir, "victim"), join(dir, "report.json"));
    const r = runCli(["k.env", "-o", "report.json"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expect(r.status).toBe(1);
    expect(existsSync(join(dir, "victim"))).toBe(false);
    expect(lstatSync(join(dir, "report.json")).isFile()).toBe(true);
    expect(statSync(join(dir, "report.json")).mode & 0o777).toBe(0o600);
  });

  it("a failed write leaves no temporary file and exits 3", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), "clean\n");
    mkdirSync(join(dir, "report.json"));
    const r = runCli(["k.env", "-o", "report.json"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(r, []);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot write report to report\.json: is a directory/);
    expect(readdirSync(dir).sort()).toEqual(["k.env", "report.json"]);
    expect(readdirSync(join(dir, "report.json"))).toEqual([]);
  });

  it("--output /dev/null is written to, never replaced", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.env"), "clean\n");
    const r = runCli(["k.env", "-o", "/dev/null"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expect(r.status).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});

describe("report formats cannot be hijacked by file names", () => {
  it("--format github: a name holding a newline and a workflow command stays one escaped annotation", () => {
    const dir = tempDir();
    const name = "x\n::error file=evil::pwned,y%0A.env";
    writeFileSync(join(dir, name), `K=${K.personal}\n`);
    const r = runCli([".", "--format", "github"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(r, K.all);
    expect(r.status).toBe(1);
    const commands = r.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toContain("file=x%0A%3A%3Aerror file=evil%3A%3Apwned%2Cy%250A.env,");
  });

  it("--format sarif: the name is a JSON string (percent-encoded URI), the report parses", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a\"b\nc.env"), `K=${K.service}\n`);
    const r = runCli([".", "--format", "sarif"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(r, K.all);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("a%22b%0Ac.env");
  });
});

describe("keys in paths are redacted in every format", () => {
  it("a directory named after one key holding a file named after another: redacted in text, JSON, SARIF, GitHub, the baseline and errors", () => {
    const dir = tempDir();
    mkdirSync(join(dir, K.service));
    mkdirSync(join(dir, K.personal));
    writeFileSync(join(dir, K.service, K.serviceUser), `K=${K.serviceUser}\n`);
    writeFileSync(join(dir, K.personal, `${K.service}.txt`), `K=${K.service}\n`);
    for (const format of ["text", "json", "sarif", "github"]) {
      const r = runCli([".", "--format", format, "-v"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
      expectWellBehaved(r, K.all);
      expect(r.status, format).toBe(1);
    }
    const update = runCli([".", "--baseline", "b.json", "--update-baseline"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(update, K.all);
    const baseline = readFileSync(join(dir, "b.json"), "utf8");
    for (const key of K.all) expect(baseline).not.toContain(key.slice(0, -5));
    const missing = runCli([join(K.service, "nope")], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expect(missing.status).toBe(2);
    expectWellBehaved(missing, K.all);
    expect(missing.stderr).toContain(`apk_****${K.service.slice(-4)}/nope`);
  });
});

describe("the npm package ships only what users need", () => {
  it("npm pack --dry-run lists only dist/cli, dist/src, dist/rules, dist/eslint, docs, schema, README.md, LICENSE, package.json", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    // dist/cli: the launcher bin.js, the bundled CLI main.js with its code cache, and
    // parallel-worker.js, all CommonJS (their package.json says so); esbuild's metafile
    // (dist/cli-meta.json) is a build record, not shipped.
    // dist/eslint/index.js: the bundled ESLint plugin (the `devin-keyscan/eslint` export).
    const allowed = /^(dist\/cli\/(bin\.js|main\.js|main\.js\.cache|parallel-worker\.js|package\.json)$|dist\/src\/|dist\/rules\/|dist\/eslint\/index\.js$|docs\/|schema\/|README\.md$|LICENSE$|package\.json$)/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(paths).toContain("LICENSE");
    expect(paths).toContain("dist/cli/bin.js");
    expect(paths).toContain("dist/cli/parallel-worker.js");
    expect(paths).toContain("dist/cli/package.json");
    expect(paths).toContain("dist/cli/main.js");
    expect(paths).toContain("dist/cli/main.js.cache");
    expect(paths).toContain("dist/eslint/index.js");
    expect(paths).not.toContain("dist/cli-meta.json");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ "devin-keyscan": "dist/cli/bin.js" });
    expect(paths.some((p) => /(^|\/)(test|fixtures|bench)\//.test(p))).toBe(false);
  });

  it("installs no TypeScript or ESLint: the plugin bundle imports only Node's built-ins and ESLint, and dependencies are the library's two", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["ignore", "picomatch"]);
    expect(Object.keys(pkg.peerDependencies)).toEqual(["eslint"]);
    const plugin = readFileSync(join(ROOT, "dist/eslint/index.js"), "utf8");
    const specifiers = [...plugin.matchAll(/^import\s[^"']*["']([^"']+)["']|\brequire\(["']([^"']+)["']\)|\bimport\(["']([^"']+)["']\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) expect(s, s).toMatch(/^(node:|eslint$|eslint\/)/);
  });

  it("LICENSE is the MIT licence", () => {
    const text = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(text).toMatch(/^MIT License/);
    expect(text).toMatch(/Permission is hereby granted, free of charge/);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).license).toBe("MIT");
  });
});
