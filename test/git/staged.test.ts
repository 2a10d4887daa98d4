import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, tempDir } from "../support/cli.js";
import { commitAll, git, GIT_ENV, keys, lines, newRepo, scanJson, write } from "./support.js";

const k = keys(401);
const k2 = keys(402);
const ALL = [k.personal, k.service, k.serviceUser, k2.personal, k2.service, k2.serviceUser];

describe("--staged", () => {
  it("reports a key in a new staged file, at its line in the staged file", () => {
    const repo = newRepo();
    write(repo, "README.md", "hello\n");
    commitAll(repo, "init");
    write(repo, "config/.env", lines("A=1", `DEVIN_API_KEY=${k.personal}`));
    git(repo, "add", "config/.env");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ ruleId: "no-hardcoded-key", kind: "personal", file: "config/.env", line: 2, column: 15 }]);
    expect(report!.findings[0]!.commit).toBeUndefined();
  });

  it("scans the index, not the work tree: an unstaged key is not reported", () => {
    const repo = newRepo();
    write(repo, "app.js", lines("const a = 1;"));
    commitAll(repo, "init");
    write(repo, "app.js", lines("const a = 1;", `const key = "${k.service}";`, "const b = 2;"));
    // Only the last line is staged: build the index blob by hand.
    const blob = execGitHashObject(repo, lines("const a = 1;", "const b = 2;"));
    git(repo, "update-index", "--cacheinfo", `100644,${blob},app.js`);
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
    expect(report!.findings).toEqual([]);
  });

  it("partial staging the other way: a staged key removed from the work tree is still reported, with the staged line number", () => {
    const repo = newRepo();
    write(repo, "app.js", lines("const a = 1;"));
    commitAll(repo, "init");
    write(repo, "app.js", lines("const a = 1;", "// x", "// y", `const key = "${k.serviceUser}";`));
    git(repo, "add", "app.js");
    // The work tree drops the key and gains lines above it: the index is what gets committed.
    write(repo, "app.js", lines("// new", "// new", "// new", "// new", "const a = 1;"));
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service-user", file: "app.js", line: 4 }]);
  });

  it("reports only the lines the commit adds, not keys already committed", () => {
    const repo = newRepo();
    write(repo, "settings.py", lines("# settings", `OLD = "${k.personal}"`, "X = 1"));
    commitAll(repo, "init with an old key");
    write(repo, "settings.py", lines("# settings", `OLD = "${k.personal}"`, "X = 1", "Y = 2", `NEW = "${k2.service}"`));
    git(repo, "add", "settings.py");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service", file: "settings.py", line: 5 }]);
  });

  it("a staged change that only touches other lines of a file with an old key is clean", () => {
    const repo = newRepo();
    write(repo, "settings.py", lines(`OLD = "${k.personal}"`, "X = 1"));
    commitAll(repo, "init");
    write(repo, "settings.py", lines(`OLD = "${k.personal}"`, "X = 2"));
    git(repo, "add", "settings.py");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
    expect(report!.findings).toEqual([]);
  });

  it("a rename reports only the added lines", () => {
    const repo = newRepo();
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    write(repo, "old.txt", lines(`KEY=${k.personal}`, ...body));
    commitAll(repo, "init");
    git(repo, "mv", "old.txt", "new.txt");
    write(repo, "new.txt", lines(`KEY=${k.personal}`, ...body, `KEY2=${k2.serviceUser}`));
    git(repo, "add", "new.txt");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service-user", file: "new.txt", line: 22 }]);
  });

  it("a pure rename of a file with a key adds nothing", () => {
    const repo = newRepo();
    write(repo, "old.txt", lines(`KEY=${k.personal}`, "a", "b"));
    commitAll(repo, "init");
    git(repo, "mv", "old.txt", "moved.txt");
    const { run } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
  });

  it("deleting a file with a key is clean", () => {
    const repo = newRepo();
    write(repo, "leak.env", lines(`KEY=${k.service}`));
    write(repo, "other.txt", "x\n");
    commitAll(repo, "init");
    git(repo, "rm", "-q", "leak.env");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
    expect(report!.findings).toEqual([]);
  });

  it("works for the first commit of an empty repository", () => {
    const repo = newRepo();
    write(repo, "first.env", lines(`DEVIN_API_KEY=${k.serviceUser}`));
    git(repo, "add", "first.env");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service-user", file: "first.env", line: 1 }]);
  });

  it("nothing staged in an empty repository is clean", () => {
    const repo = newRepo();
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
    expect(report!.findings).toEqual([]);
  });

  it("skips submodules (gitlinks) with a notice", () => {
    const repo = newRepo();
    write(repo, "a.txt", "a\n");
    const sha = commitAll(repo, "init");
    git(repo, "update-index", "--add", "--cacheinfo", `160000,${sha},vendor/lib`);
    write(repo, "b.env", lines(`K=${k.personal}`));
    git(repo, "add", "b.env");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings.map((f) => f.file)).toEqual(["b.env"]);
    expect(report!.notices.join("\n")).toMatch(/submodule vendor\/lib skipped/);
  });

  it("works in a linked worktree", () => {
    const repo = newRepo();
    write(repo, "a.txt", "a\n");
    commitAll(repo, "init");
    const wt = join(tempDir("dks-wt-"), "wt");
    git(repo, "worktree", "add", "-q", "-b", "feature", wt);
    write(wt, "leak.txt", lines(`token: ${k.service}`));
    git(wt, "add", "leak.txt");
    const { run, report } = scanJson(wt, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service", file: "leak.txt", line: 1 }]);
    // The main worktree has nothing staged.
    expect(scanJson(repo, ["--staged"]).run.status).toBe(0);
  });

  it("handles paths with spaces, newlines, quotes and non-ASCII characters", () => {
    const repo = newRepo();
    const names = ["dir with space/my file.env", "new\nline.env", 'quo"te.env', "café/ключ.env", "tab\there.env"];
    names.forEach((name, i) => write(repo, name, lines("x", `K${i}=${i % 2 === 0 ? k.personal : k2.personal}`)));
    git(repo, "add", "-A");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings.map((f) => f.file).sort()).toEqual([...names].sort());
    expect(report!.findings.every((f) => f.line === 2)).toBe(true);
  });

  it("reports paths relative to a subdirectory working directory", () => {
    const repo = newRepo();
    write(repo, "src/app/main.ts", lines(`const k = "${k.personal}";`));
    write(repo, "top.env", lines(`K=${k2.service}`));
    git(repo, "add", "-A");
    const { run, report } = scanJson(join(repo, "src"), ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings.map((f) => f.file).sort()).toEqual(["../top.env", "app/main.ts"]);
  });

  it("limits the scan to the given paths (as pre-commit passes them)", () => {
    const repo = newRepo();
    write(repo, "a.env", lines(`K=${k.personal}`));
    write(repo, "b.env", lines(`K=${k2.personal}`));
    write(repo, "[c].env", lines(`K=${k.service}`));
    git(repo, "add", "-A");
    const { report } = scanJson(repo, ["--staged", "b.env", "[c].env"], ALL);
    expect(report!.findings.map((f) => f.file).sort()).toEqual(["[c].env", "b.env"]);
  });

  it("scans a staged UTF-16 file (git calls it binary) as text", () => {
    const repo = newRepo();
    const text = `\ufeffWindows Registry Editor Version 5.00\r\n"Token"="${k.serviceUser}"\r\n`;
    write(repo, "settings.reg", Buffer.from(text, "utf16le"));
    git(repo, "add", "settings.reg");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toMatchObject([{ kind: "service-user", file: "settings.reg", line: 2 }]);
  });

  it("skips real binary files", () => {
    const repo = newRepo();
    write(repo, "blob.bin", Buffer.concat([Buffer.from([0, 1, 2, 0, 0, 255, 0, 3]), Buffer.from(k.personal)]));
    git(repo, "add", "blob.bin");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(0);
    expect((report as unknown as { stats: { skippedBinary: number } }).stats.skippedBinary).toBe(1);
  });

  it("a path in neither the work tree nor the index is a usage error (exit 2), not a clean commit", () => {
    const repo = newRepo();
    write(repo, "README.md", "hello\n");
    commitAll(repo, "init");
    write(repo, "src/app.env", lines(`K=${k.service}`));
    git(repo, "add", "src/app.env");
    const typo = scanJson(repo, ["--staged", "src/app.evn"], ALL);
    expect(typo.run.status).toBe(2);
    expect(typo.run.stderr).toContain("--staged: path does not exist: src/app.evn (not in the work tree, the index, or the staged deletions)");
    // Staged, then deleted from the work tree: in the index, so scanned (and from a subdirectory too).
    rmSync(join(repo, "src/app.env"));
    expect(scanJson(repo, ["--staged", "src/app.env"], ALL).run.status).toBe(1);
    expect(scanJson(join(repo, "src"), ["--staged", "app.env", "../src/"], ALL).run.status).toBe(1);
    // Staged deletions and the old name of a move, as `git diff --cached --name-only` lists them for a hook: clean.
    commitAll(repo, "app");
    write(repo, "gone.txt", "x\n");
    write(repo, "old.txt", "y\n");
    commitAll(repo, "two files");
    git(repo, "rm", "-q", "gone.txt");
    git(repo, "mv", "old.txt", "new.txt");
    const names = git(repo, "diff", "--cached", "--name-only", "--no-renames").split("\n");
    expect(names.sort()).toEqual(["gone.txt", "new.txt", "old.txt"]);
    expect(scanJson(repo, ["--staged", ...names], ALL).run.status).toBe(0);
    // On disk but not staged: nothing to scan, clean.
    write(repo, "notes.txt", "x\n");
    expect(scanJson(repo, ["--staged", "notes.txt"], ALL).run.status).toBe(0);
  });

  it("outside a repository: exit 2 with a clear message", () => {
    const dir = tempDir("dks-norepo-");
    const { run } = scanJson(dir, ["--staged"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
  });

  it("without git on PATH: exit 3, never clean", () => {
    const repo = newRepo();
    const { run } = scanJson(repo, ["--staged"], []);
    expect(run.status).toBe(0);
    const noGit = runWithoutGit(repo, ["--staged"]);
    expect(noGit.status).toBe(3);
    expect(noGit.stderr).toMatch(/git is not installed/);
  });

  it("a corrupt index is a scan failure (exit 3), not clean", () => {
    const repo = newRepo();
    write(repo, "a.txt", "a\n");
    git(repo, "add", "a.txt");
    write(repo, ".git/index", "garbage, not an index");
    expect(existsSync(join(repo, ".git/index"))).toBe(true);
    const { run } = scanJson(repo, ["--staged"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/index/);
  });

  it("a bad configuration still ends the run (exit 2) when git has more to say than a pipe holds", () => {
    // The staged scan's git processes start before the configuration is read; a run that fails
    // there must stop them, or they wait forever to write their output and the process with them.
    const repo = newRepo();
    write(repo, "big.txt", "const region = 'eu-central';\n".repeat(80_000));
    git(repo, "add", "big.txt");
    write(repo, "devin-keyscan.config.json", "{ not json");
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, "--staged"], { cwd: repo, env: GIT_ENV, encoding: "utf8", timeout: 20_000 });
    expect(r.signal, `still running after ${Date.now() - started} ms`).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/devin-keyscan\.config\.json/);
  });

  it("rejects paths with --diff and --history, and combined modes", () => {
    const repo = newRepo();
    expect(scanJson(repo, ["--history", "src"]).run.status).toBe(2);
    expect(scanJson(repo, ["--staged", "--history"]).run.status).toBe(2);
    expect(scanJson(repo, ["--head", "main"]).run.status).toBe(2);
    expect(scanJson(repo, ["--since", "main"]).run.status).toBe(2);
  });
});


function execGitHashObject(repo: string, content: string): string {
  return execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, input: content, env: GIT_ENV, encoding: "utf8" }).trim();
}

function runWithoutGit(cwd: string, args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...GIT_ENV, PATH: "/nonexistent" }, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}
