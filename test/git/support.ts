import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { runCli, tempDir, type CliRun } from "../support/cli.js";
import { GIT_ENV } from "../support/git-env.js";
import type { JsonReport } from "../support/report.js";

export { GIT_ENV } from "../support/git-env.js";

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A fresh repository on branch `main` with a local identity. */
export function newRepo(prefix = "dks-git-"): string {
  const dir = tempDir(prefix);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Test");
  git(dir, "config", "user.email", "test@example.com");
  git(dir, "config", "commit.gpgsign", "false");
  return dir;
}

export function write(repo: string, file: string, content: string | Buffer): void {
  const abs = join(repo, file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

export function commitAll(repo: string, message: string): string {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "--allow-empty", "-m", message);
  return git(repo, "rev-parse", "HEAD");
}

export { keys } from "../support/keys.js";
export type { JsonFinding, JsonReport } from "../support/report.js";

/** Runs the CLI in `cwd` with a JSON report; checks that no given secret is printed. */
export function scanJson(cwd: string, args: string[], secrets: string[] = []): { run: CliRun; report: JsonReport | undefined } {
  const run = runCli([...args, "--format", "json"], { cwd, env: GIT_ENV });
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    report = undefined;
  }
  return { run, report };
}

export function lines(...content: string[]): string {
  return content.join("\n") + "\n";
}
