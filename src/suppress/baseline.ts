import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, validateBaseline } from "../config/validate.js";
import { readJsonFile } from "../config/load.js";
import { redactKeysIn, type Kind } from "../grammar/index.js";
import type { Finding, RuleId, ScanResult, StaleBaselineEntry } from "../scan/types.js";

/**
 * The baseline: findings accepted on purpose, keyed by content (fingerprint = SHA-256 of
 * the key, rule, file), never by line. Moving an accepted key keeps it accepted; another
 * key on the same line is still reported. It stores hashes, never a key.
 */
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: RuleId;
  /** Relative to the baseline file's directory, `/` separators. */
  readonly file: string;
  readonly kind?: Kind;
  readonly reason?: string;
  /** `YYYY-MM-DD`: the last day (UTC) on which the entry suppresses. */
  readonly expires?: string;
}

export interface Baseline {
  readonly $schema?: string;
  readonly version: typeof BASELINE_VERSION;
  readonly entries: readonly BaselineEntry[];
}

/** Where a baseline lives and how findings' paths map onto its entries' paths. */
export interface BaselineFrame {
  /** Working directory: findings' `file` is relative to it. */
  readonly cwd: string;
  /** Directory of the baseline file: entries' `file` is relative to it. */
  readonly dir: string;
}

const STDIN_NAME = "<stdin>";

/** Reads and validates a baseline file; a missing, unreadable or invalid file is a `ConfigError`. */
export function readBaseline(abs: string, display: string): Baseline {
  if (!fs.existsSync(abs)) throw new ConfigError(`${display}: baseline file not found (create it with --update-baseline)`);
  const data = readJsonFile(abs, display);
  validateBaseline(data, display);
  return data as Baseline;
}

/** Deterministic text: entries sorted by file, rule, fingerprint; fields in a fixed order. */
export function serializeBaseline(baseline: Baseline): string {
  const entries = [...baseline.entries].sort(compareEntries).map((e) => ({
    fingerprint: e.fingerprint,
    ruleId: e.ruleId,
    file: e.file,
    ...(e.kind !== undefined ? { kind: e.kind } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.expires !== undefined ? { expires: e.expires } : {}),
  }));
  const out = { ...(baseline.$schema !== undefined ? { $schema: baseline.$schema } : {}), version: BASELINE_VERSION, entries };
  return JSON.stringify(out, null, 2) + "\n";
}

export function writeBaseline(abs: string, baseline: Baseline): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, serializeBaseline(baseline));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint);
}

function entryKey(e: { fingerprint: string; ruleId: string; file: string }): string {
  return `${e.ruleId}\0${e.file}\0${e.fingerprint}`;
}

/** A finding's (working-directory-relative) file as the baseline writes it, and back. */
function toBaselinePath(frame: BaselineFrame, file: string): string {
  if (file === STDIN_NAME) return file;
  const rel = path.relative(frame.dir, path.resolve(frame.cwd, file));
  // A file may be named after the key it holds; the baseline stores hashes, never a key.
  return redactKeysIn(rel.split(path.sep).join("/"));
}

function fromBaselinePath(frame: BaselineFrame, file: string): string {
  if (file === STDIN_NAME) return file;
  const rel = path.relative(frame.cwd, path.resolve(frame.dir, file));
  return (rel === "" ? "." : rel).split(path.sep).join("/");
}

/** `expires` is the last day the entry counts: it stops at the following midnight UTC. */
export function isExpired(entry: BaselineEntry, now: Date): boolean {
  if (entry.expires === undefined) return false;
  const end = Date.parse(`${entry.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
  return now.getTime() >= end;
}

function isUnder(file: string, dir: string): boolean {
  if (dir === ".") return !file.startsWith("../") && file !== ".." && !path.isAbsolute(file);
  return file.startsWith(`${dir}/`);
}

/**
 * Whether the scan looked at `file` (relative to the working directory): it read it, or
 * walked a directory holding it and the file no longer exists. An entry for a file the
 * scan did not look at (excluded, outside a `--staged` change) is neither stale nor pruned.
 */
function lookedAt(result: ScanResult, cwd: string, file: string): boolean {
  const scope = result.scope;
  if (scope === undefined) return false;
  if (scope.files.has(file)) return true;
  if (file === STDIN_NAME) return false;
  return scope.directories.some((d) => isUnder(file, d)) && !fs.existsSync(path.resolve(cwd, file));
}

export interface ApplyBaselineOptions extends BaselineFrame {
  readonly now?: Date;
}

/**
 * Moves findings the baseline accepts to `result.suppressed`; records stale entries (in
 * files the scan looked at, matching nothing) in `result.stale` with a notice each; an
 * expired entry suppresses nothing and says so.
 */
export function applyBaseline(result: ScanResult, baseline: Baseline, options: ApplyBaselineOptions): void {
  const now = options.now ?? new Date();
  const entries = new Map<string, BaselineEntry>();
  for (const e of baseline.entries) entries.set(entryKey(e), e);
  const matched = new Set<string>();
  const key = (f: Finding): string => entryKey({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: toBaselinePath(options, f.file) });

  // Findings an inline comment already suppressed still keep their entry alive.
  for (const s of result.suppressed ?? []) if (entries.has(key(s.finding))) matched.add(key(s.finding));

  const kept: Finding[] = [];
  const suppressed = (result.suppressed ??= []);
  const expiredNoticed = new Set<string>();
  for (const finding of result.findings) {
    const k = key(finding);
    const entry = entries.get(k);
    if (entry === undefined) {
      kept.push(finding);
      continue;
    }
    matched.add(k);
    if (isExpired(entry, now)) {
      kept.push(finding);
      if (!expiredNoticed.has(k)) {
        expiredNoticed.add(k);
        result.notices.push(`baseline entry for ${finding.file} (${finding.ruleId}, ${finding.redacted || entry.fingerprint.slice(0, 12)}) expired on ${entry.expires}: the finding is reported again`);
      }
      continue;
    }
    suppressed.push({
      finding,
      by: "baseline",
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
    });
  }
  result.findings = kept;

  const stale: StaleBaselineEntry[] = [];
  for (const [k, e] of entries) {
    if (matched.has(k)) continue;
    const file = fromBaselinePath(options, e.file);
    if (!lookedAt(result, options.cwd, file)) continue;
    stale.push({ fingerprint: e.fingerprint, ruleId: e.ruleId, file, ...(e.kind ? { kind: e.kind } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}) });
  }
  if (stale.length > 0) {
    result.stale = stale;
    for (const s of stale) {
      result.notices.push(`stale baseline entry: ${s.file} (${s.ruleId}, fingerprint ${s.fingerprint.slice(0, 12)}…) matches no finding; --update-baseline removes it`);
    }
  }
}

export interface BaselineUpdate {
  readonly baseline: Baseline;
  readonly added: number;
  readonly kept: number;
  readonly pruned: number;
}

/**
 * The baseline after `--update-baseline`: one entry per current finding (inline-ignored
 * ones excluded), keeping `reason` and `expires` of entries that already existed; entries
 * for files the scan looked at that match nothing are pruned; the rest are kept untouched.
 */
export function updateBaseline(previous: Baseline | undefined, result: ScanResult, frame: BaselineFrame): BaselineUpdate {
  const old = new Map<string, BaselineEntry>();
  for (const e of previous?.entries ?? []) old.set(entryKey(e), e);
  const next = new Map<string, BaselineEntry>();
  let added = 0;
  for (const f of result.findings) {
    const file = toBaselinePath(frame, f.file);
    const k = entryKey({ fingerprint: f.fingerprint, ruleId: f.ruleId, file });
    if (next.has(k)) continue;
    const before = old.get(k);
    if (before === undefined) added++;
    next.set(k, {
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      file,
      ...(f.kind !== undefined ? { kind: f.kind } : {}),
      ...(before?.reason !== undefined ? { reason: before.reason } : {}),
      ...(before?.expires !== undefined ? { expires: before.expires } : {}),
    });
  }
  const alive = new Set<string>();
  for (const s of result.suppressed ?? []) {
    alive.add(entryKey({ fingerprint: s.finding.fingerprint, ruleId: s.finding.ruleId, file: toBaselinePath(frame, s.finding.file) }));
  }
  let pruned = 0;
  for (const [k, e] of old) {
    if (next.has(k)) continue;
    if (!alive.has(k) && lookedAt(result, frame.cwd, fromBaselinePath(frame, e.file))) {
      pruned++;
      continue;
    }
    next.set(k, e);
  }
  const baseline: Baseline = {
    ...(previous?.$schema !== undefined ? { $schema: previous.$schema } : {}),
    version: BASELINE_VERSION,
    entries: [...next.values()].sort(compareEntries),
  };
  return { baseline, added, kept: next.size - added, pruned };
}
