import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { runCli, type CliRun } from "../support/cli.js";

export function write(root: string, file: string, content: string): void {
  const abs = join(root, file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

export function read(root: string, file: string): string {
  return readFileSync(join(root, file), "utf8");
}

/** Three synthetic keys, one of each kind, different for each seed. */
export function keys(seed: number): { personal: string; service: string; serviceUser: string } {
  const rng = seededRng(seed);
  return { personal: personalKey(rng), service: serviceKey(rng), serviceUser: serviceUserKey(rng) };
}

export interface JsonReport {
  findings: Array<{ ruleId: string; kind?: string; file: string; line: number; column: number; fingerprint: string; redacted: string }>;
  notices: string[];
  stale?: Array<{ fingerprint: string; ruleId: string; file: string; kind?: string; reason?: string }>;
  suppressed?: Array<{ file: string; line: number; suppressedBy: "inline" | "baseline"; reason?: string; expires?: string; redacted: string }>;
}

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
