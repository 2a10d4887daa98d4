import type { Confidence, Kind, KeyMatch, RuleId } from "../grammar/index.js";

export { RULE_IDS, type RuleId } from "../grammar/index.js";

/**
 * Where the raw key of a finding is kept. A symbol-keyed property is skipped by
 * `JSON.stringify`, `Object.keys` and spreads into plain objects, so no formatter can
 * serialise it by accident; only code that asks for it (verify, `--no-redact`) gets it.
 */
export const SECRET: unique symbol = Symbol("devin-keyscan.secret");

/**
 * The inline `devin-keyscan-ignore` comment that covers a finding, set by the scanner
 * (non-enumerable, like `SECRET`); `suppress/inline.ts` decides whether it suppresses.
 */
export const INLINE_IGNORE: unique symbol = Symbol("devin-keyscan.inline-ignore");

export interface InlineIgnore {
  /** 1-based line of the comment. */
  readonly line: number;
  readonly reason?: string;
}

/** A detector's result, with offsets into the text it was given. */
export interface Hit {
  readonly ruleId: RuleId;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The key this hit is about (the secret), when there is one. */
  readonly key?: KeyMatch;
  /** How the key was hidden, when it had to be decoded to be found. */
  readonly encoding?: "base64" | "url" | "escape";
  /** Extra content mixed into the fingerprint (e.g. the API version of a mismatch). */
  readonly fingerprintSalt?: string;
}

export interface DetectContext {
  readonly paranoid: boolean;
  /** Client-side conventions from the configuration (defaults: `grammar/client-side.ts`). */
  readonly clientSide?: ClientSideOptions;
  /** Path of the unit, `/`-separated and relative, for detectors that care about file type. */
  readonly path: string;
}

export interface ClientSideOptions {
  readonly clientGlobs?: readonly string[];
  readonly serverGlobs?: readonly string[];
  readonly publicEnvPrefixes?: readonly string[];
}

/**
 * A detector looks at `text` and returns hits whose start lies in `[from, to)`. It may read
 * outside that range for context (the scanner keeps overlap between chunks).
 */
export interface Detector {
  (text: string, from: number, to: number, context: DetectContext): Hit[];
  /**
   * Literals without one of which the detector can find nothing in a text (its own early-exit
   * gate). When every detector declares them and a text holds none, the scanner skips it
   * without decoding it. Undefined: the detector always runs.
   */
  triggers?: readonly string[];
  /**
   * For a detector whose hits start exactly where one of its triggers occurs (the key detector
   * reports a key where its prefix is): the text it reads around such a position, `before`
   * characters before it and `after` from it. The sparse scanner (scan/sparse.ts) asks it about
   * those positions only, each with just that text. Undefined: it is given whole ranges.
   */
  local?: { readonly before: number; readonly after: number };
  /**
   * A literal without which, at or after the start of the range it is given, the detector
   * finds nothing (its own first check, such as `%2` for URL-encoded keys): the sparse scanner
   * does not call it on a range whose text lacks it.
   */
  needs?: string;
}

export interface Finding {
  ruleId: RuleId;
  kind?: Kind;
  /** Relative to the working directory, `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  /** Exclusive, like ESLint and SARIF. */
  endColumn: number;
  redacted: string;
  /**
   * SHA-256 of the canonical key (plus rule context for non-key rules), hex. Hashed when first
   * read (an accessor without setter: node:crypto loads only for a report that shows it).
   */
  readonly fingerprint: string;
  orgId?: string;
  commit?: string;
  message: string;
  confidence?: Confidence;
  encoding?: "base64" | "url" | "escape";
  /** Set only by `--verify` (src/verify): whether the key still authenticates. */
  verification?: Verification;
  [SECRET]?: string;
  [INLINE_IGNORE]?: InlineIgnore;
}

/**
 * Outcome of a live check (`--verify`). `valid`: the API accepted the key (2xx, or 403 =
 * authenticated but not allowed that call): live, rotate it. `invalid`: 401, revoked or
 * never issued. `unknown`: no answer we can trust (network, timeout, 429, 5xx, other status).
 */
export type VerificationState = "valid" | "invalid" | "unknown";

export interface Verification {
  state: VerificationState;
  /** Why, in words a user can act on; never contains the key. */
  reason?: string;
}

export interface ScanError {
  /** The path (or ref) concerned, relative when possible. */
  path: string;
  message: string;
  /** errno-style code when there is one (`ENOENT`, `EACCES`, `GIT`). */
  code?: string;
}

export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  skippedBinary: number;
  skippedNotRegular: number;
  durationMs: number;
}

export interface ScanResult {
  findings: Finding[];
  errors: ScanError[];
  /** Things the user should know that are not failures (skipped submodules, stale baseline entries). */
  notices: string[];
  stats: ScanStats;
  /** Findings an inline ignore or the baseline accepted (reported only with `--verbose`). */
  suppressed?: SuppressedFinding[];
  /** Baseline entries that match no current finding in a file this scan looked at. */
  stale?: StaleBaselineEntry[];
  /** What the scan looked at, so a baseline entry is only called stale when its file was scanned. */
  scope?: ScanScope;
  /** `--only-verified`: the findings are the live keys alone (a clean result means "no live key"). */
  liveOnly?: boolean;
}

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly by: "inline" | "baseline" | "config";
  readonly reason?: string;
  /** Baseline entries only: the date after which the entry stops suppressing. */
  readonly expires?: string;
}

export interface StaleBaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: RuleId;
  /** Relative to the working directory, `/` separators. */
  readonly file: string;
  readonly kind?: Kind;
  readonly reason?: string;
}

export interface ScanScope {
  /** Every unit the scan read (display paths), binary ones included. */
  readonly files: ReadonlySet<string>;
  /**
   * Directories walked in full (display paths, `.` for the working directory): a baseline
   * entry for a file under one of them that no longer exists was looked at too.
   */
  readonly directories: readonly string[];
}
