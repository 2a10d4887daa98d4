import { fingerprint, MAX_KEY_LENGTH, redact } from "../grammar/index.js";
import type { DirectiveAt } from "../suppress/directives.js";
import type { Position } from "./positions.js";
import { INLINE_IGNORE, SECRET, type ClientSideOptions, type Detector, type Finding, type Hit, type InlineIgnore } from "./types.js";

// What both scanners of a unit share: the reach they give detectors, their options, their findings.

/**
 * Context kept before the unscanned part of each chunk, for detectors that look back
 * (a key's left boundary, an `Authorization:` header before a key, a curl command).
 */
export const LOOKBEHIND = 4096;
/** Text kept after the scanned part of each chunk: longer than the longest key. */
export const OVERLAP = MAX_KEY_LENGTH + 4096;

export interface ScanTextOptions {
  readonly detectors: readonly Detector[];
  readonly paranoid?: boolean;
  readonly clientSide?: ClientSideOptions;
  /** Only findings starting on these 1-based lines are kept (the lines a commit adds). */
  readonly addedLines?: ReadonlySet<number>;
  readonly commit?: string;
}

function makeFinding(
  file: string,
  hit: Hit,
  start: { line: number; column: number },
  end: { line: number; column: number },
  commit?: string,
): Finding {
  const key = hit.key;
  const salt = hit.fingerprintSalt === undefined ? "" : `\0${hit.ruleId}\0${hit.fingerprintSalt}`;
  const hashed = (key?.canonical ?? "") + salt;
  let hash: string | undefined;
  const finding: Finding = {
    ruleId: hit.ruleId,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    redacted: key ? redact(key.raw) : "",
    // Hashed when first read: a run that never reads it (a text report, without baseline) never
    // loads node:crypto. A getter in the literal is an own enumerable property, so spreads,
    // `JSON.stringify` and structured clones (the worker's results) carry its value.
    get fingerprint() {
      return (hash ??= fingerprint(hashed));
    },
    message: hit.message,
  };
  if (key) {
    finding.kind = key.kind;
    if (key.orgId !== undefined) finding.orgId = key.orgId;
    if (key.confidence === "low") finding.confidence = "low";
    Object.defineProperty(finding, SECRET, { value: key.canonical, enumerable: false });
  }
  if (hit.encoding !== undefined) finding.encoding = hit.encoding;
  if (commit !== undefined) finding.commit = commit;
  return finding;
}

/**
 * Sorts `hits` by position and returns every offset they start or end at, in order: both
 * scanners ask for positions in that order (their trackers only move forward).
 */
export function hitOffsets(hits: Hit[]): number[] {
  hits.sort((a, b) => a.start - b.start || a.end - b.end);
  return [...new Set(hits.flatMap((h) => [h.start, h.end]))].sort((a, b) => a - b);
}

/**
 * Adds the findings for `hits` (sorted by `hitOffsets`) to `findings`: only those starting on
 * an added line when the scan is limited to them, each with the inline ignore comment that
 * covers it, if any (non-enumerable, like the secret).
 */
export function addFindings(
  findings: Finding[],
  path: string,
  hits: readonly Hit[],
  positions: ReadonlyMap<number, Position>,
  options: ScanTextOptions,
  directiveFor: (hit: Hit) => DirectiveAt | undefined,
): void {
  for (const hit of hits) {
    const start = positions.get(hit.start)!;
    if (options.addedLines && !options.addedLines.has(start.line)) continue;
    const finding = makeFinding(path, hit, start, positions.get(hit.end)!, options.commit);
    const directive = directiveFor(hit);
    if (directive) {
      const ignore: InlineIgnore = { line: start.line + directive.lineOffset, ...(directive.reason !== undefined ? { reason: directive.reason } : {}) };
      Object.defineProperty(finding, INLINE_IGNORE, { value: ignore, enumerable: false });
    }
    findings.push(finding);
  }
}
