import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli, type CliRun } from "../support/cli.js";
import type { JsonReport } from "../support/report.js";

export function write(root: string, file: string, content: string): void {
  const abs = join(root, file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

export function read(root: string, file: string): string {
  return readFileSync(join(root, file), "utf8");
}

export { keys } from "../support/keys.js";
export type { JsonReport } from "../support/report.js";

/** Runs the built CLI in `cwd` with a JSON report. */
export function scanJson(cwd: string, args: readonly string[] = []): { run: CliRun; report: JsonReport } {
  const run = runCli(["--format", "json", ...args], { cwd });
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`no JSON report (exit ${run.status}): ${run.stderr}`);
  }
  return { run, report };
}
