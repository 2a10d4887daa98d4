import { redactKeysIn, type Kind } from "../grammar/index.js";
import type { Verification } from "../scan/types.js";
import { probeUrl } from "./base-url.js";
import { PROBES } from "./probes.js";

export interface CheckOptions {
  /** Validated with `parseVerifyBaseUrl`. */
  readonly baseUrl: URL;
  /** Per request, headers included. */
  readonly timeoutMs: number;
  /** Wait before the single retry when the server gives no usable `Retry-After`. */
  readonly retryDelayMs: number;
  /** Upper bound on any wait before the retry, `Retry-After` included. */
  readonly maxRetryDelayMs: number;
  /** Sent as `User-Agent`, so an operator can tell these checks apart. */
  readonly userAgent: string;
}

/** Statuses worth one retry: rate limiting and server errors are usually transient. */
const RETRYABLE = (status: number): boolean => status === 429 || (status >= 500 && status <= 599);

/**
 * Checks one key with its kind's probe: one GET, retried once on 429/5xx. The key is sent
 * only in `Authorization: Bearer`; redirects are not followed (a redirect could carry the
 * header elsewhere); no reason or error message ever contains the key.
 */
export async function checkKey(key: string, kind: Kind, options: CheckOptions): Promise<Verification> {
  const probe = PROBES[kind];
  const url = probeUrl(options.baseUrl, probe.path);
  const call = `GET ${probe.path}`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "GET",
        headers: { Authorization: `Bearer ${key}`, Accept: "application/json", "User-Agent": options.userAgent },
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      return { state: "unknown", reason: describeFetchError(error, options.timeoutMs, key) };
    }
    // The body is never needed: release the connection.
    await response.body?.cancel().catch(() => {});
    const status = response.status;
    if (status >= 200 && status <= 299) return { state: "valid", reason: `${call} answered ${status}` };
    if (status === 401) return { state: "invalid", reason: `${call} answered 401 (not authenticated)` };
    if (status === 403) {
      return {
        state: "valid",
        reason: `${call} answered 403: the key authenticated but lacks permission for this call, so it is live and must be rotated`,
      };
    }
    if (RETRYABLE(status) && attempt === 0) {
      await sleep(retryDelay(response.headers.get("retry-after"), options));
      continue;
    }
    const tried = attempt > 0 ? " (after one retry)" : "";
    if (status === 429) return { state: "unknown", reason: `${call} answered 429 (rate limited)${tried}` };
    if (RETRYABLE(status)) return { state: "unknown", reason: `${call} answered ${status} (server error)${tried}` };
    if (status >= 300 && status <= 399) return { state: "unknown", reason: `${call} answered ${status} (redirect, not followed)` };
    return { state: "unknown", reason: `${call} answered unexpected status ${status}` };
  }
}

/**
 * `Retry-After` in seconds or as an HTTP date, capped so a hostile or confused server cannot
 * stall the scan; the fallback delay otherwise.
 */
export function retryDelay(header: string | null, options: Pick<CheckOptions, "retryDelayMs" | "maxRetryDelayMs">, now = Date.now()): number {
  let ms = options.retryDelayMs;
  if (header !== null) {
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
    else {
      const date = Date.parse(trimmed);
      if (!Number.isNaN(date)) ms = Math.max(0, date - now);
    }
  }
  return Math.min(ms, options.maxRetryDelayMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A reason for a request that got no response. Node's fetch hides the cause one level down. */
function describeFetchError(error: unknown, timeoutMs: number, key: string): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${formatMs(timeoutMs)} (timeout)`;
  const cause = e.cause;
  const detail =
    cause?.code !== undefined && cause.message !== undefined ? `${cause.code} (${cause.message})` : (cause?.code ?? cause?.message ?? e.message ?? String(error));
  // Belt and braces: the key is never in these messages, but they are not ours.
  return redactKeysIn(`network error: ${detail}`.split(key).join("[key]"));
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
