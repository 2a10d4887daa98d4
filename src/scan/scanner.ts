import { fingerprint, redact } from "../grammar/index.js";
import { ChunkDecoder, sniff, SNIFF_BYTES } from "../sources/encoding.js";
import { MAX_KEY_LENGTH } from "../grammar/index.js";
import { PositionTracker, type TextMode } from "./positions.js";
import { gateFor, type Gate } from "./prefilter.js";
import { ignoreDirectiveFor } from "../suppress/directives.js";
import { INLINE_IGNORE, SECRET, type InlineIgnore, type ClientSideOptions, type DetectContext, type Detector, type Finding, type Hit } from "./types.js";

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

/**
 * Scans text that arrives in chunks, keeping memory bounded: each chunk is scanned
 * with `LOOKBEHIND` characters before and `OVERLAP` after, so no key is cut in two.
 */
export class TextScanner {
  private carry = "";
  private carryFrom = 0;
  private readonly tracker: PositionTracker;
  private readonly context: DetectContext;
  private readonly gate: Gate | undefined;
  readonly findings: Finding[] = [];

  /**
   * `selected`: the caller already chose `options.detectors` for the whole unit (the byte
   * gate's `detectorsIn`), so windows do not search for trigger literals again.
   */
  constructor(
    private readonly path: string,
    mode: TextMode,
    private readonly options: ScanTextOptions,
    selected = false,
  ) {
    this.tracker = new PositionTracker(mode);
    this.gate = selected ? undefined : gateFor(options.detectors);
    this.context = { paranoid: options.paranoid === true, path, ...(options.clientSide ? { clientSide: options.clientSide } : {}) };
  }

  push(chunk: string, final: boolean): void {
    const text = this.carry.length === 0 ? chunk : this.carry + chunk;
    const from = this.carryFrom;
    let to = final ? text.length : text.length - OVERLAP;
    // Tiny chunks (a slow pipe) are gathered until a window of OVERLAP characters is ready:
    // scanning each one would copy the whole carry every time, O(OVERLAP) per byte.
    if (!final && to - from < OVERLAP) {
      this.carry = text;
      return;
    }
    // Never stop between `\r` and `\n`: the tracker would count the pair as two breaks.
    if (!final && text.charCodeAt(to - 1) === 0x0d) to--;
    const hits: Hit[] = [];
    // Only the detectors whose trigger literals occur in this window (or, `selected`, in the unit) run.
    for (const detect of this.gate === undefined ? this.options.detectors : this.gate.select(text)) {
      for (const hit of detect(text, from, to, this.context)) hits.push(hit);
    }
    if (hits.length > 0) this.record(text, hits);
    if (final) {
      this.carry = "";
      return;
    }
    const shift = Math.max(from, to - LOOKBEHIND);
    this.tracker.rebase(text, to, shift);
    this.carry = text.slice(shift);
    this.carryFrom = to - shift;
  }

  private record(text: string, hits: Hit[]): void {
    hits.sort((a, b) => a.start - b.start || a.end - b.end);
    const offsets = [...new Set(hits.flatMap((h) => [h.start, h.end]))].sort((a, b) => a - b);
    const positions = new Map<number, { line: number; column: number }>();
    for (const offset of offsets) positions.set(offset, this.tracker.positionOf(text, offset));
    for (const hit of hits) {
      const start = positions.get(hit.start)!;
      if (this.options.addedLines && !this.options.addedLines.has(start.line)) continue;
      const end = positions.get(hit.end)!;
      const finding = makeFinding(this.path, hit, start, end, this.options.commit);
      const directive = ignoreDirectiveFor(text, hit.start, hit.end);
      if (directive) {
        const ignore: InlineIgnore = { line: start.line + directive.lineOffset, ...(directive.reason !== undefined ? { reason: directive.reason } : {}) };
        Object.defineProperty(finding, INLINE_IGNORE, { value: ignore, enumerable: false });
      }
      this.findings.push(finding);
    }
  }
}

export function makeFinding(
  file: string,
  hit: Hit,
  start: { line: number; column: number },
  end: { line: number; column: number },
  commit?: string,
): Finding {
  const key = hit.key;
  const salt = hit.fingerprintSalt === undefined ? "" : `\0${hit.ruleId}\0${hit.fingerprintSalt}`;
  const finding: Finding = {
    ruleId: hit.ruleId,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    redacted: key ? redact(key.raw) : "",
    fingerprint: fingerprint((key?.canonical ?? "") + salt),
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

/** `partial`: only some lines were reported (`addedLines`), so the unit does not prove a key is gone. */
export type UnitOutcome =
  | { readonly status: "scanned"; readonly path: string; readonly findings: Finding[]; readonly bytes: number; readonly partial?: true }
  | { readonly status: "binary"; readonly path: string; readonly bytes: number; readonly partial?: true };

/**
 * Scans one unit whose bytes are all in memory (a file read whole). A UTF-8 unit in which
 * no detector's trigger literal occurs is done without being decoded; `bytes` may be a
 * reused buffer, consumed before this returns.
 */
export async function scanWholeBuffer(path: string, bytes: Buffer, options: ScanTextOptions): Promise<UnitOutcome> {
  return scanWholeBufferNow(path, bytes, options);
}

/** `scanWholeBuffer`, synchronously (a file read whole needs no waiting): no promise per file. */
export function scanWholeBufferNow(path: string, bytes: Buffer, options: ScanTextOptions): UnitOutcome {
  const sniffed = sniff(bytes);
  const partial = options.addedLines !== undefined ? ({ partial: true } as const) : {};
  if (sniffed.encoding === "binary") return { status: "binary", path, bytes: bytes.length, ...partial };
  let selected = false;
  if (sniffed.encoding === "utf8") {
    // The text is these bytes read as latin1, so the detectors whose triggers occur in the bytes
    // are all that can find anything in any window of it (and usually none do).
    const present = gateFor(options.detectors).detectorsIn(bytes);
    if (present.length === 0) return { status: "scanned", path, findings: [], bytes: bytes.length, ...partial };
    options = { ...options, detectors: present };
    selected = true;
  }
  // The same windows as `scanByteChunks` would use for one chunk (detectors see window
  // boundaries), without its copies.
  const decoder = new ChunkDecoder(sniffed.encoding);
  const scanner = new TextScanner(path, decoder.mode, options, selected);
  scanner.push(decoder.decode(bytes.subarray(sniffed.bomLength), false), false);
  scanner.push(decoder.decode(Buffer.alloc(0), true), true);
  return { status: "scanned", path, findings: scanner.findings, bytes: bytes.length, ...partial };
}

/**
 * Scans one unit given as a sequence of byte chunks. The first chunk decides the
 * encoding: binary units are skipped, UTF-16 (with or without BOM) is decoded.
 */
export async function scanByteChunks(
  path: string,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  options: ScanTextOptions,
): Promise<UnitOutcome> {
  let scanner: TextScanner | undefined;
  let decoder: ChunkDecoder | undefined;
  let bytes = 0;
  const partial = options.addedLines !== undefined ? ({ partial: true } as const) : {};
  let head: Buffer[] = [];
  let headLength = 0;

  // Chunks may live in a reused buffer: each is decoded to a string before the next is read.
  const begin = (first: Buffer): boolean => {
    const sniffed = sniff(first);
    if (sniffed.encoding === "binary") return false;
    decoder = new ChunkDecoder(sniffed.encoding);
    scanner = new TextScanner(path, decoder.mode, options);
    scanner.push(decoder.decode(first.subarray(sniffed.bomLength), false), false);
    return true;
  };

  for await (const chunk of chunks) {
    bytes += chunk.length;
    if (scanner !== undefined) {
      scanner.push(decoder!.decode(chunk, false), false);
      continue;
    }
    // Collect enough bytes to sniff (chunks from pipes can be tiny).
    head.push(Buffer.from(chunk));
    headLength += chunk.length;
    if (headLength < SNIFF_BYTES) continue;
    if (!begin(Buffer.concat(head))) return { status: "binary", path, bytes, ...partial };
    head = [];
  }
  if (scanner === undefined && !begin(Buffer.concat(head))) return { status: "binary", path, bytes, ...partial };
  scanner!.push(decoder!.decode(Buffer.alloc(0), true), true);
  return { status: "scanned", path, findings: scanner!.findings, bytes, ...partial };
}
