import { ChunkDecoder, sniff, SNIFF_BYTES } from "../sources/encoding.js";
import { PositionTracker, type Position, type TextMode } from "./positions.js";
import { gateFor, type Gate } from "./prefilter.js";
import { ignoreDirectiveFor } from "../suppress/directives.js";
import { addFindings, hitOffsets, LOOKBEHIND, OVERLAP, type ScanTextOptions } from "./finding.js";
import { scanWholeSparse, SPARSE_MIN_BYTES, sparseGateFor, SparseScanner } from "./sparse.js";
import type { DetectContext, Finding, Hit } from "./types.js";

export { LOOKBEHIND, OVERLAP, type ScanTextOptions } from "./finding.js";

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
    const positions = new Map<number, Position>();
    for (const offset of hitOffsets(hits)) positions.set(offset, this.tracker.positionOf(text, offset));
    addFindings(this.findings, this.path, hits, positions, this.options, (hit) => ignoreDirectiveFor(text, hit.start, hit.end));
  }
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

const inScratch = (bytes: Buffer, scratch: Buffer): boolean =>
  bytes.buffer === scratch.buffer && bytes.byteOffset >= scratch.byteOffset && bytes.byteOffset + bytes.length <= scratch.byteOffset + scratch.length;

/** `scanWholeBuffer`, synchronously (a file read whole needs no waiting): no promise per file. */
export function scanWholeBufferNow(path: string, bytes: Buffer, options: ScanTextOptions): UnitOutcome {
  const sniffed = sniff(bytes);
  const partial = options.addedLines !== undefined ? ({ partial: true } as const) : {};
  if (sniffed.encoding === "binary") return { status: "binary", path, bytes: bytes.length, ...partial };
  let selected = false;
  if (sniffed.encoding === "utf8") {
    // The text is these bytes read as latin1, so the detectors whose triggers occur in the bytes
    // are all that can find anything in any window of it (and usually none do).
    const gate = gateFor(options.detectors);
    // A large unit read into the gate's memory: only the text around the literals is decoded
    // (one SIMD pass finds them, or finds there are none).
    const simd = gate.simd;
    if (simd !== undefined && bytes.length >= SPARSE_MIN_BYTES && inScratch(bytes, simd.scratch)) {
      const findings = scanWholeSparse(path, bytes.subarray(sniffed.bomLength), options, gate, simd);
      if (findings !== undefined) return { status: "scanned", path, findings, bytes: bytes.length, ...partial };
    }
    const present = gate.detectorsIn(bytes);
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
  let scanner: TextScanner | SparseScanner | undefined;
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
    // UTF-8 that arrives in large chunks (a file of 16 MiB or more): only the text around the
    // literals is decoded. Small units (git blobs, pipes) are decoded whole, as the gate's
    // SIMD search is not built for them.
    const gate = gateFor(options.detectors);
    const simd = decoder.mode === "bytes" ? sparseGateFor(gate, first.length) : undefined;
    if (simd !== undefined) {
      const sparse = new SparseScanner(path, options, gate, simd);
      scanner = sparse;
      push = (chunk, final) => sparse.push(chunk, final);
    } else {
      const text = new TextScanner(path, decoder.mode, options);
      scanner = text;
      push = (chunk, final) => text.push(decoder!.decode(chunk, final), final);
    }
    push(first.subarray(sniffed.bomLength), false);
    return true;
  };
  let push: (chunk: Buffer, final: boolean) => void = () => undefined;

  for await (const chunk of chunks) {
    bytes += chunk.length;
    if (scanner !== undefined) {
      push(chunk, false);
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
  push(Buffer.alloc(0), true);
  return { status: "scanned", path, findings: scanner!.findings, bytes, ...partial };
}
