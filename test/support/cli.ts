import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";

export const ROOT = resolve(import.meta.dirname, "../..");
/**
 * The built CLI as it ships: package.json's "bin", the esbuild bundle `dist/cli/bin.js`
 * (`npm test` builds before running vitest), not tsc's unbundled `dist/src/cli/bin.js`.
 */
export const BIN = resolve(ROOT, (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["devin-keyscan"]!);

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, with colours off unless asked. */
export function runCli(args: readonly string[], options: SpawnSyncOptions & { input?: string | Buffer } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    ...options,
    encoding: "utf8",
    // Caller's variables are added to (not substituted for) the test environment.
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...(options.env ?? {}) },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A temporary directory removed after the test file. */
export function tempDir(prefix = "dks-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
