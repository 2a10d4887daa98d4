import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runCli, tempDir } from "../support/cli.js";
import { commitAll, git, GIT_ENV, keys, lines, newRepo, write } from "./support.js";

const key = keys(951).personal;

/** `git commit` as a user runs it, hooks included. */
function commit(repo: string, message: string): { status: number | null; output: string } {
  const r = spawnSync("git", ["commit", "-q", "-m", message], { cwd: repo, env: { ...GIT_ENV, NO_COLOR: "1" }, encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe("devin-keyscan install-hook", () => {
  it("writes an executable pre-commit hook that blocks a commit with a key and lets a clean one through", () => {
    const repo = newRepo();
    write(repo, "README.md", "x\n");
    commitAll(repo, "init");
    const run = runCli(["install-hook"], { cwd: repo, env: GIT_ENV });
    expect(run.status, run.stderr).toBe(0);
    const hook = join(repo, ".git/hooks/pre-commit");
    expect(statSync(hook).mode & 0o111).toBe(0o111);
    expect(readFileSync(hook, "utf8")).toMatch(/^#!\/bin\/sh\n# devin-keyscan pre-commit hook/);
    // Its last resort is this very installation: the shipped bin.js, the bundle that wrote the hook.
    expect(readFileSync(hook, "utf8")).toContain(` '${BIN}' --staged\n`);

    write(repo, "app.env", lines(`DEVIN_API_KEY=${key}`));
    git(repo, "add", "app.env");
    const blocked = commit(repo, "leak");
    expect(blocked.status).toBe(1);
    expect(blocked.output).toContain("app.env:1:15  no-hardcoded-key");
    expect(blocked.output).not.toContain(key);
    expect(git(repo, "rev-list", "--count", "HEAD")).toBe("1");

    git(repo, "rm", "-q", "--cached", "app.env");
    write(repo, "ok.txt", "fine\n");
    git(repo, "add", "ok.txt");
    expect(commit(repo, "clean").status).toBe(0);
    expect(git(repo, "rev-list", "--count", "HEAD")).toBe("2");
  });

  it("refuses to overwrite an existing hook without --force (exit 2), replaces it with --force", () => {
    const repo = newRepo();
    write(repo, ".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    const refused = runCli(["install-hook"], { cwd: repo, env: GIT_ENV });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(join(repo, ".git/hooks/pre-commit"), "utf8")).toBe("#!/bin/sh\necho mine\n");
    const forced = runCli(["install-hook", "--force"], { cwd: repo, env: GIT_ENV });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(repo, ".git/hooks/pre-commit"), "utf8")).toContain("--staged");
    // Installing the same hook again is a no-op.
    expect(runCli(["install-hook"], { cwd: repo, env: GIT_ENV }).status).toBe(0);
  });

  it("never writes through a symlinked hook: refused without --force, and --force replaces the link, not its target", () => {
    const repo = newRepo();
    const shared = tempDir("dks-shared-hooks-");
    // A dangling link: nothing exists at its target, so a check that follows links sees no hook.
    symlinkSync(join(shared, "missing-hook"), join(repo, ".git/hooks/pre-commit"));
    const refused = runCli(["install-hook"], { cwd: repo, env: GIT_ENV });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already exists \(a symbolic link to .*missing-hook; --force replaces the link, not its target\)/);
    expect(existsSync(join(shared, "missing-hook"))).toBe(false);
    // A team's shared hook behind a link: --force leaves it alone.
    writeFileSync(join(shared, "team-hook"), "#!/bin/sh\necho team\n");
    const link = join(repo, ".git/hooks/pre-commit");
    const fresh = newRepo();
    symlinkSync(join(shared, "team-hook"), join(fresh, ".git/hooks/pre-commit"));
    expect(runCli(["install-hook", "--force"], { cwd: fresh, env: GIT_ENV }).status).toBe(0);
    expect(readFileSync(join(shared, "team-hook"), "utf8")).toBe("#!/bin/sh\necho team\n");
    const hook = join(fresh, ".git/hooks/pre-commit");
    expect(lstatSync(hook).isFile()).toBe(true);
    expect(readFileSync(hook, "utf8")).toContain("--staged");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("blocks the commit with a hint, not a stack trace, when the installation it names is gone", () => {
    const repo = newRepo();
    write(repo, "README.md", "x\n");
    commitAll(repo, "init");
    expect(runCli(["install-hook"], { cwd: repo, env: GIT_ENV }).status).toBe(0);
    const hook = join(repo, ".git/hooks/pre-commit");
    // As if the npx cache that held it had been cleaned (and none is on PATH).
    writeFileSync(hook, readFileSync(hook, "utf8").split(BIN).join("/nonexistent/devin-keyscan/bin.js"));
    write(repo, "ok.txt", "fine\n");
    git(repo, "add", "ok.txt");
    const r = spawnSync("git", ["commit", "-q", "-m", "x"], { cwd: repo, env: { ...GIT_ENV, PATH: "/usr/bin:/bin" }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/devin-keyscan is not installed any more .*not at \/nonexistent\/devin-keyscan\/bin\.js\).*install-hook --force.*Commit blocked/);
    expect(r.stderr).not.toMatch(/node:internal|at Module/);
    expect(git(repo, "rev-list", "--count", "HEAD")).toBe("1");
  });

  it("respects core.hooksPath", () => {
    const repo = newRepo();
    git(repo, "config", "core.hooksPath", ".githooks");
    expect(runCli(["install-hook"], { cwd: join(repo), env: GIT_ENV }).status).toBe(0);
    expect(statSync(join(repo, ".githooks/pre-commit")).isFile()).toBe(true);
  });

  it("installs into the shared hooks directory from a linked worktree or a subdirectory", () => {
    const repo = newRepo();
    write(repo, "sub/a.txt", "a\n");
    commitAll(repo, "init");
    const wt = join(tempDir("dks-wt-"), "wt");
    git(repo, "worktree", "add", "-q", "-b", "feature", wt);
    expect(runCli(["install-hook"], { cwd: join(wt, "sub"), env: GIT_ENV }).status).toBe(0);
    expect(statSync(join(repo, ".git/hooks/pre-commit")).isFile()).toBe(true);
  });

  it("outside a repository: exit 2; --force alone is a usage error", () => {
    const dir = tempDir("dks-nohook-");
    const run = runCli(["install-hook"], { cwd: dir, env: GIT_ENV });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/);
    expect(runCli(["--force", "."], { cwd: dir }).status).toBe(2);
    expect(runCli(["install-hook", "extra"], { cwd: dir }).status).toBe(2);
  });
});
