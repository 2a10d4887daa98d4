import type { RuleId, ScanResult } from "../scan/types.js";
import { applyBaseline, type Baseline } from "./baseline.js";
import type { AllowEntry } from "./allow.js";
import { applyInlineIgnores } from "./inline.js";

export { applyInlineIgnores, type InlineIgnoreOptions } from "./inline.js";
export type { AllowEntry } from "./allow.js";
export * from "./baseline.js";
export { parseIgnoreDirective, ignoreDirectiveFor, IGNORE_DIRECTIVE, type IgnoreDirective } from "./directives.js";

export interface SuppressOptions {
  /** Only these rules report; findings of other rules are dropped (not "suppressed"). */
  readonly checks?: readonly RuleId[];
  /** The configuration's allow-list (globs relative to the working directory). */
  readonly allow?: readonly AllowEntry[];
  /** An inline ignore without a reason does not suppress (the finding stays, with a notice). */
  readonly requireReason?: boolean;
  /** Accepted findings, and the directory the entries' paths are relative to. */
  readonly baseline?: { readonly baseline: Baseline; readonly dir: string };
  readonly now?: Date;
}

/**
 * The suppress stage of the data path: checks, the allow-list, inline ignores, then the baseline.
 * The allow-list's module (with picomatch) loads only when there is an allow-list.
 */
export async function applySuppressions(result: ScanResult, cwd: string, options: SuppressOptions = {}): Promise<void> {
  if (options.checks) {
    const on = new Set<RuleId>(options.checks);
    result.findings = result.findings.filter((f) => on.has(f.ruleId));
  }
  if (options.allow && options.allow.length > 0) (await import("./allow.js")).applyAllowList(result, options.allow);
  applyInlineIgnores(result, options.requireReason !== undefined ? { requireReason: options.requireReason } : {});
  if (options.baseline) {
    applyBaseline(result, options.baseline.baseline, { cwd, dir: options.baseline.dir, ...(options.now ? { now: options.now } : {}) });
  }
  result.suppressed?.sort((a, b) => compare(a.finding.file, b.finding.file) || a.finding.line - b.finding.line || a.finding.column - b.finding.column);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
