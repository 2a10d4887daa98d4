import picomatch from "picomatch";
import type { Finding, RuleId, ScanResult } from "../scan/types.js";

/** A configuration allow-list entry, its globs relative to the working directory. */
export interface AllowEntry {
  readonly paths: readonly string[];
  /** Rules it accepts; undefined: every rule. */
  readonly checks?: readonly RuleId[];
  readonly reason: string;
}

/**
 * Moves findings that an allow-list entry of the configuration covers (path and rule) to
 * `result.suppressed`, with the entry's reason.
 */
export function applyAllowList(result: ScanResult, allow: readonly AllowEntry[]): void {
  if (allow.length === 0) return;
  const rules = allow.map((a) => ({
    matches: globMatcher(a.paths),
    checks: a.checks ? new Set<RuleId>(a.checks) : undefined,
    reason: a.reason,
  }));
  const kept: Finding[] = [];
  const suppressed = (result.suppressed ??= []);
  for (const finding of result.findings) {
    const rule = rules.find((r) => (r.checks === undefined || r.checks.has(finding.ruleId)) && r.matches(finding.file));
    if (rule === undefined) kept.push(finding);
    else suppressed.push({ finding, by: "config", reason: rule.reason });
  }
  result.findings = kept;
}

/**
 * Same semantics as the walker's `--include`/`--exclude`: a pattern without `/` matches the
 * base name, one with `/` the whole path (picomatch's `basename` option would apply to both).
 */
function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const whole = patterns.filter((p) => p.includes("/"));
  const bare = patterns.filter((p) => !p.includes("/"));
  const matchWhole = whole.length > 0 ? picomatch(whole, { dot: true }) : () => false;
  const matchBase = bare.length > 0 ? picomatch(bare, { dot: true, basename: true }) : () => false;
  return (path) => matchWhole(path) || matchBase(path);
}
