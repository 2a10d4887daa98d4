import { fingerprint, type Kind } from "../grammar/index.js";
import { SECRET, type Finding, type Verification } from "../scan/types.js";
import { checkKey, type CheckOptions } from "./check.js";
import { DEFAULT_VERIFY_BASE_URL } from "./probes.js";
import { parseVerifyBaseUrl } from "./base-url.js";

/** Generous for a single small GET, short enough that a dead host cannot stall CI for long. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Few enough to stay far below any rate limit, enough to hide latency. */
export const DEFAULT_CONCURRENCY = 4;
/** Wait before the one retry when the server sends no `Retry-After`. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** A `Retry-After` longer than this is cut: a scan should not sleep for minutes on one key. */
export const MAX_RETRY_DELAY_MS = 5_000;

export interface VerifyOptions {
  /** Default `https://api.devin.ai`; https only, http for loopback hosts. */
  readonly baseUrl?: string | URL;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  readonly userAgent?: string;
}

export interface VerifySummary {
  /** Distinct keys checked (one request each, two when retried). */
  readonly keys: number;
  readonly valid: number;
  readonly invalid: number;
  readonly unknown: number;
}

/**
 * Checks every distinct key among the findings once and sets `verification` on every
 * finding that carries a key. Findings without a key are left alone. Never throws for a
 * network problem: that is an `unknown` state with its reason.
 */
export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions = {}): Promise<VerifySummary> {
  const base = options.baseUrl instanceof URL ? options.baseUrl : parseVerifyBaseUrl(options.baseUrl ?? DEFAULT_VERIFY_BASE_URL);
  const checkOptions: CheckOptions = {
    baseUrl: base,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    maxRetryDelayMs: options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS,
    userAgent: options.userAgent ?? "devin-keyscan",
  };

  // One entry per distinct key, by fingerprint: a key found in 50 files is requested once.
  const distinct = new Map<string, { key: string; kind: Kind; findings: Finding[] }>();
  for (const f of findings) {
    const key = f[SECRET];
    if (key === undefined || f.kind === undefined) continue;
    const id = fingerprint(key);
    const entry = distinct.get(id);
    if (entry) entry.findings.push(f);
    else distinct.set(id, { key, kind: f.kind, findings: [f] });
  }

  const entries = [...distinct.values()];
  const results = await mapWithConcurrency(entries, options.concurrency ?? DEFAULT_CONCURRENCY, (e) => checkKey(e.key, e.kind, checkOptions));
  const counts = { valid: 0, invalid: 0, unknown: 0 };
  entries.forEach((entry, i) => {
    const result = results[i]!;
    counts[result.state]++;
    for (const f of entry.findings) f.verification = { ...result };
  });
  return { keys: entries.length, ...counts };
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Live keys first (they need action now), the rest in their existing order. */
export function sortValidFirst(findings: Finding[]): void {
  const rank = (f: Finding): number => (f.verification?.state === "valid" ? 0 : 1);
  findings.sort((a, b) => rank(a) - rank(b));
}

export function isVerifiedLive(f: Finding): boolean {
  return f.verification?.state === "valid";
}

export type { Verification };
