/**
 * The bad-input matrix, continued: broken git repositories, and configuration, baseline and
 * ignore files that are unreadable, special files or garbage. Through the BUILT CLI; every
 * run must end, print no stack trace and never say "clean" when it could not look.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { GIT_ENV } from "../support/git-env.js";
import { expectWellBehaved, HANG_TIMEOUT_MS, keySet, runUnprivileged, scanJson } from "./support.js";

const K = keySet(88);


function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" });
}

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = runCli(args, { cwd, timeout: HANG_TIMEOUT_MS, env: GIT_ENV });
  expectWellBehaved(run, K.all);
  return run;
}

describe("--staged in broken places", () => {
  it("outside a repository: exit 2 saying so", () => {
    const dir = tempDir();
    const run = cli(["--staged"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
  });

  it("in an empty repository (no commit, nothing staged): exit 0, nothing to scan", () => {
    const dir = tempDir();
    git(dir, "init", "-q");
    const { status, report } = scanJson(["--staged"], { cwd: dir, env: GIT_ENV });
    expect(status).toBe(0);
    expect(report.errors).toEqual([]);
  });

  it("in an empty repository with a key staged before the first commit: exit 1", () => {
    const dir = tempDir();
    git(dir, "init", "-q");
    writeFileSync(join(dir, ".env"), `DEVIN_API_KEY=${K.personal}\n`);
    git(dir, "add", ".env");
    const { status, report } = scanJson(["--staged"], { cwd: dir, env: GIT_ENV, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line, f.kind])).toEqual([[".env", 1, "personal"]]);
  });

  const corruptions: [string, (index: string) => void][] = [
    ["garbage", (index) => writeFileSync(index, "garbage")],
    ["a bad signature", (index) => writeFileSync(index, Buffer.alloc(256, 0xab))],
    ["an empty file", (index) => truncateSync(index, 0)],
  ];
  for (const [what, corrupt] of corruptions) {
    it(`with a corrupt index (${what}): exit 3, git's reason shown, never clean`, () => {
      const dir = tempDir();
      git(dir, "init", "-q");
      writeFileSync(join(dir, "a.txt"), "x\n");
      git(dir, "add", "a.txt");
      git(dir, "commit", "-qm", "init");
      writeFileSync(join(dir, ".env"), `K=${K.service}\n`);
      git(dir, "add", ".env");
      corrupt(join(dir, ".git", "index"));
      const run = cli(["--staged"], dir);
      expect(run.status).toBe(3);
      expect(run.stderr).toMatch(/git diff --cached failed: .*index/);
      expect(run.stdout).not.toMatch(/no Devin credentials found/);
    });
  }
});

describe("--diff in a shallow clone", () => {
  const root = tempDir();
  const origin = join(root, "origin");
  mkdirSync(origin);
  git(origin, "init", "-q", "-b", "main");
  for (const i of [1, 2, 3]) {
    writeFileSync(join(origin, `f${i}.txt`), `${i}\n`);
    git(origin, "add", ".");
    git(origin, "commit", "-qm", `c${i}`);
  }
  git(origin, "checkout", "-qb", "feature");
  writeFileSync(join(origin, "leak.env"), `K=${K.serviceUser}\n`);
  git(origin, "add", ".");
  git(origin, "commit", "-qm", "leak");
  const shallow = join(root, "shallow");
  git(root, "clone", "-q", "--depth", "1", "--no-single-branch", `file://${origin}`, shallow);

  it("base and head fetched at depth 1 (no merge base): exit 3 with the fetch-depth hint, never clean", () => {
    const run = cli(["--diff", "origin/main"], shallow);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/shallow clone/);
    expect(run.stderr).toMatch(/fetch-depth: 0/);
  });

  it("a base beyond the shallow history: exit 2 naming the ref", () => {
    const run = cli(["--diff", "HEAD~2"], shallow);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown git ref "HEAD~2"/);
  });

  it("after fetching enough history the same diff finds the key: exit 1", () => {
    const deep = join(root, "deep");
    git(root, "clone", "-q", "--no-single-branch", `file://${origin}`, deep);
    const { status, report } = scanJson(["--diff", "origin/main"], { cwd: deep, env: GIT_ENV, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(["leak.env"]);
  });
});

describe("configuration and baseline files that cannot be read", () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "a.txt"), "x\n");
  chmodSync(join(dir, "a.txt"), 0o644);
  execFileSync("mkfifo", [join(dir, "fifo.json")]);
  symlinkSync("/dev/zero", join(dir, "zero.json"));
  symlinkSync("loop2.json", join(dir, "loop1.json"));
  symlinkSync("loop1.json", join(dir, "loop2.json"));
  mkdirSync(join(dir, "dir.json"));
  writeFileSync(join(dir, "bad.json"), "{ \"allow\": [\n");
  writeFileSync(join(dir, "empty.json"), "");

  const cases: [string, RegExp][] = [
    ["fifo.json", /fifo\.json: cannot read: not a regular file \(FIFO\)/],
    ["zero.json", /zero\.json: cannot read: not a regular file \(character device\)/],
    ["loop1.json", /loop1\.json: cannot read: /],
    ["dir.json", /dir\.json: cannot read: is a directory/],
    ["missing.json", /missing\.json: cannot read: no such file/],
    ["bad.json", /bad\.json: invalid JSON: (unexpected end of file|syntax error)/],
    ["empty.json", /empty\.json: invalid JSON: the file is empty/],
  ];
  for (const [file, message] of cases) {
    it(`--config ${file}: exit 2 naming the file, no hang, no crash`, () => {
      const run = cli(["--config", file, "a.txt"], dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
    });
  }

  it("--baseline fifo.json and --baseline zero.json: exit 2, no hang, no crash", () => {
    for (const file of ["fifo.json", "zero.json"]) {
      const run = cli(["--baseline", file, "a.txt"], dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`${file.replace(".", "\\.")}: cannot read: not a regular file`));
    }
  });

  it("an unreadable --config file (as root the CLI runs as nobody via setpriv): exit 2", () => {
    writeFileSync(join(dir, "secret-config.json"), "{}\n");
    chmodSync(join(dir, "secret-config.json"), 0o000);
    const r = runUnprivileged(["--config", "secret-config.json", "a.txt"], dir);
    expectWellBehaved(r, []);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/secret-config\.json: cannot read: permission denied/);
  });

  it("an unreadable discovered devin-keyscan.config.json: exit 2, not silently ignored", () => {
    const sub = join(dir, "project");
    mkdirSync(sub);
    chmodSync(sub, 0o755);
    writeFileSync(join(sub, "devin-keyscan.config.json"), "{}\n");
    chmodSync(join(sub, "devin-keyscan.config.json"), 0o000);
    const r = runUnprivileged(["."], sub);
    expectWellBehaved(r, []);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/devin-keyscan\.config\.json: cannot read: permission denied/);
  });

  it.each([
    ["a FIFO", (p: string) => execFileSync("mkfifo", [p]), /cannot read: not a regular file \(FIFO\)/],
    ["a link to /dev/zero", (p: string) => symlinkSync("/dev/zero", p), /cannot read: not a regular file \(character device\)/],
    ["a directory", (p: string) => mkdirSync(p), /cannot read: is a directory/],
    ["a dangling link", (p: string) => symlinkSync("gone.json", p), /cannot read: no such file/],
  ])("a discovered devin-keyscan.config.json that is %s: exit 2 naming it, not silently passed over", (_, make, message) => {
    const project = tempDir("dks-odd-config-");
    writeFileSync(join(project, "a.txt"), "x\n");
    make(join(project, "devin-keyscan.config.json"));
    const run = cli(["a.txt"], project);
    expectWellBehaved(run, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/devin-keyscan\.config\.json/);
    expect(run.stderr).toMatch(message);
  });
});

describe("ignore files that are special files", () => {
  const setup = (): string => {
    const dir = tempDir();
    git(dir, "init", "-q");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "a.env"), `K=${K.personal}\n`);
    writeFileSync(join(dir, "sub", "clean.txt"), "x\n");
    return dir;
  };

  it("a FIFO named .gitignore above the scanned directory: reported, no hang; the key still found, exit 1", () => {
    const dir = setup();
    execFileSync("mkfifo", [join(dir, ".gitignore")]);
    const { status, report } = scanJson(["sub"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.errors).toEqual([{ path: ".gitignore", message: "cannot read ignore file: not a regular file (FIFO): skipped", code: "ENOTREG" }]);
  });

  it("a .gitignore linked to /dev/zero: reported, memory not exhausted; nothing else found, exit 3", () => {
    const dir = setup();
    rmSync(join(dir, "sub", "a.env"));
    symlinkSync("/dev/zero", join(dir, ".gitignore"));
    const { status, report } = scanJson(["sub"], { cwd: dir });
    expect(status).toBe(3);
    expect(report.errors.map((e) => e.path)).toEqual([".gitignore"]);
    expect(report.stats.filesScanned).toBe(1);
  });

  it("a FIFO as .git/info/exclude: reported, no hang, exit 1 with the key", () => {
    const dir = setup();
    rmSync(join(dir, ".git", "info", "exclude"), { force: true });
    mkdirSync(join(dir, ".git", "info"), { recursive: true });
    execFileSync("mkfifo", [join(dir, ".git", "info", "exclude")]);
    const { status, report } = scanJson(["."], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.errors.map((e) => e.path)).toEqual([".git/info/exclude"]);
  });
});
