import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { keyOfKind, personalKey, seededRng, serviceKey, serviceUserKey, type Rng } from "../../src/grammar/synthetic.js";
import { BIN, runCli, type CliRun } from "../support/cli.js";
import type { JsonReport } from "../support/report.js";

/** A hang fails the test instead of stalling the suite. */
export const HANG_TIMEOUT_MS = 30_000;

/** One synthetic key of each kind, deterministic per seed. */
export function keySet(seed: number): { personal: string; service: string; serviceUser: string; all: string[] } {
  const rng: Rng = seededRng(seed);
  const personal = personalKey(rng, { form: "email" });
  const service = serviceKey(rng);
  const serviceUser = serviceUserKey(rng);
  return { personal, service, serviceUser, all: [personal, service, serviceUser] };
}

export { keyOfKind, seededRng };

export type { JsonFinding, JsonReport } from "../support/report.js";

/** What every run must satisfy, whatever the input: it ended, no stack trace, no full key. */
export function expectWellBehaved(run: CliRun, secrets: readonly string[]): void {
  expect(run.status, `killed (hang?) — stderr: ${run.stderr}`).not.toBeNull();
  expect(run.stderr).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
  expect(run.stderr).not.toMatch(/internal error/);
  for (const secret of secrets) {
    // The body without its last 4 characters must never appear: the redacted form shows 4 at most.
    const revealing = secret.slice(0, -5);
    expect(run.stdout.includes(revealing), "full key on stdout").toBe(false);
    expect(run.stderr.includes(revealing), "full key on stderr").toBe(false);
  }
}

/** Runs the built CLI with `--format json` and returns the parsed report. */
export function scanJson(
  args: readonly string[],
  options: { cwd: string; secrets?: readonly string[]; nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv; input?: string | Buffer },
): { status: number | null; report: JsonReport; stderr: string } {
  const run = options.nodeArgs
    ? runNode([...options.nodeArgs, BIN, "--format", "json", ...args], options)
    : runCli(["--format", "json", ...args], { cwd: options.cwd, timeout: HANG_TIMEOUT_MS, ...(options.env ? { env: options.env } : {}), ...(options.input !== undefined ? { input: options.input } : {}) });
  expectWellBehaved(run, options.secrets ?? []);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${run.status}): ${run.stdout.slice(0, 500)} / ${run.stderr.slice(0, 500)}`);
  }
  return { status: run.status, report, stderr: run.stderr };
}

/** Node with extra arguments (a `--require` preload) before the CLI, as a user's shell would run it. */
export function runNode(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string | Buffer }): CliRun {
  const r = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...(options.env ?? {}) },
    timeout: HANG_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** 1-based line and UTF-16 column of `offset` (the shared test oracle). */
export { positionOf as positionIn } from "../scan/oracle.js";

/**
 * Runs the built CLI so that file permissions apply: as root (which bypasses chmod) it drops to
 * the user nobody with `setpriv`; as any other user it runs as that user.
 */
export function runUnprivileged(args: readonly string[], cwd: string): CliRun {
  const isRoot = process.getuid?.() === 0;
  const command = isRoot ? "setpriv" : process.execPath;
  const prefix = isRoot ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath] : [];
  const r = spawnSync(command, [...prefix, BIN, ...args], {
    cwd,
    encoding: "utf8",
    timeout: HANG_TIMEOUT_MS,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
  });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

