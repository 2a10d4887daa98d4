import { fingerprint, redactKeysIn } from "../grammar/index.js";
import { SECRET, type ScanResult } from "../scan/types.js";
import { DEFAULT_VERIFY_BASE_URL, PROBES } from "./probes.js";
import { sortValidFirst, verifyFindings, type VerifyOptions, type VerifySummary } from "./verify.js";

export interface ApplyVerificationOptions extends VerifyOptions {
  /** `--only-verified`: keep live keys alone; a key that could not be checked becomes an error. */
  readonly onlyVerified?: boolean;
  /** Where to say, before any request, what is sent where. */
  readonly log?: (line: string) => void;
}

/**
 * The verify step of the data path (after suppression, before reporting): checks the keys,
 * puts live ones first and, with `onlyVerified`, drops the rest. With `onlyVerified` a key
 * whose state is unknown is recorded as an error, so "no live key found" is never claimed
 * when some key could not be checked (exit 3 rather than 0).
 */
export async function applyVerification(result: ScanResult, options: ApplyVerificationOptions = {}): Promise<VerifySummary> {
  const base = String(options.baseUrl ?? DEFAULT_VERIFY_BASE_URL).replace(/\/+$/, "");
  const paths = [...new Set(Object.values(PROBES).map((p) => p.path))].join(" or ");
  const withKeys = result.findings.filter((f) => f.kind !== undefined).length;
  if (withKeys > 0) {
    options.log?.(`devin-keyscan: --verify: checking each distinct key once with GET ${paths} at ${redactKeysIn(base)} (the key travels only in the Authorization header)\n`);
  }
  const summary = await verifyFindings(result.findings, options);
  sortValidFirst(result.findings);
  if (summary.keys > 0) {
    result.notices.push(
      `verification: ${summary.keys} distinct key${summary.keys === 1 ? "" : "s"} checked: ${summary.valid} live, ${summary.invalid} invalid, ${summary.unknown} unknown`,
    );
  }
  if (options.onlyVerified) {
    const reported = new Set<string>();
    for (const f of result.findings) {
      const key = f[SECRET];
      if (f.verification?.state !== "unknown" || key === undefined) continue;
      const id = fingerprint(key);
      if (reported.has(id)) continue;
      reported.add(id);
      result.errors.push({ path: f.file, message: `could not verify key ${f.redacted}: ${f.verification.reason ?? "no reason"}`, code: "VERIFY" });
    }
    const kept = result.findings.filter((f) => f.verification?.state === "valid");
    const dropped = result.findings.length - kept.length;
    if (dropped > 0) result.notices.push(`--only-verified: ${dropped} finding${dropped === 1 ? "" : "s"} without a live key not reported`);
    result.findings = kept;
    result.liveOnly = true;
  }
  return summary;
}
