import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { runCli, tempDir, type CliRun } from "../support/cli.js";

/** Git in the test repositories: no global or system configuration, a fixed identity. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
};

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

/** Synthetic keys, different for each seed. */
export function keys(seed: number): { personal: string; service: string; serviceUser: string } {
  const rng = seededRng(seed);
  return { personal: personalKey(rng), service: serviceKey(rng), serviceUser: serviceUserKey(rng) };
}

export interface JsonFinding {
  ruleId: string;
  kind?: string;
  file: string;
  line: number;
  column: number;
  commit?: string;
  fingerprint: string;
  redacted: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  errors: { path: string; message: string }[];
  notices: string[];
}

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
