import { redactKeysIn } from "../grammar/index.js";
import { SECRET, type Finding } from "../scan/types.js";
import type { Formatter } from "./types.js";

/** JSON report version; bumped only for incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/** A finding as the JSON report writes it: fields in the documented order, secret only on request. */
export function findingToJson(f: Finding, redact: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ruleId: f.ruleId };
  if (f.kind !== undefined) out.kind = f.kind;
  // A file may be named after the key it holds: the name is redacted like any other text.
  out.file = redactKeysIn(f.file);
  out.line = f.line;
  out.column = f.column;
  out.endLine = f.endLine;
  out.endColumn = f.endColumn;
  out.redacted = f.redacted;
  out.fingerprint = f.fingerprint;
  if (f.orgId !== undefined) out.orgId = f.orgId;
  if (f.commit !== undefined) out.commit = f.commit;
  out.message = f.message;
  for (const [k, v] of Object.entries(f)) {
    if (!(k in out) && v !== undefined) out[k] = v;
  }
  if (!redact && f[SECRET] !== undefined) out.secret = f[SECRET];
  return out;
}

export const formatJson: Formatter = (result, context) => {
  const report = {
    version: JSON_REPORT_VERSION,
    findings: result.findings.map((f) => findingToJson(f, context.redact)),
    errors: result.errors.map((e) => ({ ...e, path: redactKeysIn(e.path), message: redactKeysIn(e.message) })),
    notices: result.notices.map(redactKeysIn),
    // Baseline entries that match nothing any more (hashes only); suppressed findings with --verbose.
    ...(result.stale && result.stale.length > 0
      ? { stale: result.stale.map((s) => ({ ...s, file: redactKeysIn(s.file), ...(s.reason !== undefined ? { reason: redactKeysIn(s.reason) } : {}) })) }
      : {}),
    ...(context.verbose && result.suppressed && result.suppressed.length > 0
      ? {
          suppressed: result.suppressed.map((s) => ({
            ...findingToJson(s.finding, context.redact),
            suppressedBy: s.by,
            ...(s.reason !== undefined ? { reason: redactKeysIn(s.reason) } : {}),
            ...(s.expires !== undefined ? { expires: s.expires } : {}),
          })),
        }
      : {}),
    stats: result.stats,
  };
  return JSON.stringify(report, null, 2) + "\n";
};
