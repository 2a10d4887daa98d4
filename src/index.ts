/**
 * devin-keyscan programmatic API.
 *
 * ```ts
 * import { scan, detect } from "devin-keyscan";
 * const result = await scan({ paths: ["."] });
 * const keys = detect("DEVIN_API_KEY=apk_user_…");
 * ```
 */
import { fingerprint, findKeys, redact, type Confidence, type Kind, type MatchOptions } from "./grammar/index.js";

export { scan, type ScanOptions } from "./pipeline.js";
export { MissingPathError } from "./sources/walk.js";
export type { Finding, ScanError, ScanResult, ScanStats, RuleId } from "./scan/types.js";
export { RULE_IDS } from "./scan/types.js";
export {
  API_VERSIONS,
  COMPATIBILITY,
  KINDS,
  compatibility,
  isCompatible,
  parseDevinUrl,
  redact,
  redactKeysIn,
  type ApiVersion,
  type Compatibility,
  type Kind,
} from "./grammar/index.js";

export interface DetectedKey {
  readonly kind: Kind;
  /** Offsets in the input string (`end` exclusive). */
  readonly start: number;
  readonly end: number;
  readonly redacted: string;
  readonly fingerprint: string;
  readonly orgId?: string;
  readonly confidence: Confidence;
}

/** Finds Devin keys in a string. The keys themselves are not returned, only where they are. */
export function detect(text: string, options: MatchOptions = {}): DetectedKey[] {
  return findKeys(text, options).map((m) => ({
    kind: m.kind,
    start: m.start,
    end: m.end,
    redacted: redact(m.raw),
    fingerprint: fingerprint(m.canonical),
    ...(m.orgId !== undefined ? { orgId: m.orgId } : {}),
    confidence: m.confidence,
  }));
}
