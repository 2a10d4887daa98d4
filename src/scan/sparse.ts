import { isAscii } from "node:buffer";
import { DIRECTIVE_REACH, ignoreDirectiveFor } from "../suppress/directives.js";
import { utf16Length, type Position } from "./positions.js";
import type { Gate } from "./prefilter.js";
import type { SimdGate } from "./simd-gate.js";
import type { DetectContext, Detector, Finding, Hit } from "./types.js";
import { addFindings, hitOffsets, LOOKBEHIND, OVERLAP, type ScanTextOptions } from "./finding.js";

/**
 * Scanning a large UTF-8 unit without decoding it all: its bytes lie in the byte gate's memory,
 * the gate lists where the detectors' trigger literals occur, and only the text around them is
 * decoded and shown to the detectors. Everything else is counted for line breaks (SIMD) and
 * passed over.
 *
 * What the detectors see is what the chunked scanner (`TextScanner`) shows them: a range
 * `[from, to)` to report hits in, with `LOOKBEHIND` characters of text before it and `OVERLAP`
 * after, and only the detectors whose triggers occur in that text. The chunked scanner places
 * its ranges every megabyte; this one places them around the trigger literals and passes over
 * every position whose text (`LOOKBEHIND` before it, `OVERLAP` after it) holds none. Detectors
 * already keep to that reach, since chunk boundaries may fall anywhere (`Detector` in types.ts),
 * so both scanners report the same hits (test/scan/sparse.test.ts).
 *
 * Positions (lines, UTF-16 columns) are computed from the bytes, as positions.ts computes them
 * from text: `\n`, `\r\n` and a lone `\r` end a line; a column counts the UTF-16 units the UTF-8
 * bytes before it decode to.
 */

/** Whole units at least this large are scanned sparsely; below, decoding them is as cheap. */
export const SPARSE_MIN_BYTES = 64 * 1024;

/**
 * The SIMD gate, built now, for a unit of `length` bytes large enough to be scanned sparsely;
 * undefined for a smaller one (decoding it whole is as cheap), or without SIMD.
 */
export function sparseGateFor(gate: Gate, length: number): SimdGate | undefined {
  if (length < SPARSE_MIN_BYTES) return undefined;
  gate.warm();
  return gate.simd;
}

/** Bytes kept before the next range: its look-behind, and the two lines an ignore comment may take. */
const KEEP = Math.max(LOOKBEHIND, 2 * DIRECTIVE_REACH + 2);
/** Ranges closer than this share their text: decoding it once is cheaper. */
const MERGE_GAP = LOOKBEHIND + OVERLAP;

const EMPTY = Buffer.alloc(0);

/** Whether `literal` (ASCII) occurs in `bytes[from, to)`. */
const contains = (bytes: Buffer, literal: string, from: number, to: number): boolean => bytes.subarray(from, to).indexOf(literal, 0, "latin1") !== -1;

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Trigger literal occurrences of one part of a unit, sorted by start, with their literal's bit:
 * kept in typed arrays reused from part to part (a line of near-miss prefixes holds 85,000 of
 * them in 10 MiB: one object each kept the garbage collector busy).
 */
class Occurrences {
  length = 0;
  /** Absolute offset the stored offsets are relative to. */
  private base = 0;
  private starts: Int32Array = new Int32Array(1024);
  private ends: Int32Array = new Int32Array(1024);
  private bits: Int32Array = new Int32Array(1024);

  reset(base: number): void {
    this.base = base;
    this.length = 0;
  }

  /** Adds one (offsets relative to `base`), keeping the order by start. */
  add(start: number, end: number, bit: number): void {
    if (this.length === this.starts.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.bits = grow(this.bits);
    }
    // They come by fingerprint position: a literal fingerprinted further in may come a little late.
    let k = this.length++;
    while (k > 0 && this.starts[k - 1]! > start) {
      this.starts[k] = this.starts[k - 1]!;
      this.ends[k] = this.ends[k - 1]!;
      this.bits[k] = this.bits[k - 1]!;
      k--;
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.bits[k] = bit;
  }

  /** Absolute start of the k-th. */
  at(k: number): number {
    return this.base + this.starts[k]!;
  }

  /** Absolute end of the k-th. */
  end(k: number): number {
    return this.base + this.ends[k]!;
  }

  bit(k: number): number {
    return this.bits[k]!;
  }
}

/** The occurrences of the part being scanned (listed and used within one synchronous step). */
const listed = new Occurrences();

/**
 * Scans a whole UTF-8 unit that lies in the gate's scratch memory (`bytes` is a subarray of
 * it). A unit without any trigger literal (nearly all) costs one SIMD pass and no object.
 * Undefined when the literals are dense (more than one per KiB, such as a line of near-miss
 * prefixes): then ranges would cover the unit, and decoding it whole costs less.
 */
export function scanWholeSparse(path: string, bytes: Buffer, options: ScanTextOptions, gate: Gate, simd: SimdGate): Finding[] | undefined {
  const occurrences = occurrencesIn(bytes, 0, gate, simd, (bytes.length >> 10) + 16);
  if (occurrences === undefined) return undefined;
  if (occurrences.length === 0) return [];
  const scanner = new SparseScanner(path, options, gate, simd);
  scanner.step(bytes, 0, bytes.length, true, occurrences);
  return scanner.findings;
}

/**
 * Trigger literal occurrences in `held` (which starts at absolute offset `base`), sorted by
 * start; valid until the next call. Undefined when there are more than `limit`.
 */
function occurrencesIn(held: Buffer, base: number, gate: Gate, simd: SimdGate, limit = Infinity): Occurrences | undefined {
  listed.reset(base);
  simd.occurrences(held, (at, literal) => {
    listed.add(at, at + gate.literals[literal]!.length, 1 << literal);
    return listed.length <= limit;
  });
  return listed.length <= limit ? listed : undefined;
}

/**
 * Scans one unit whose bytes arrive in parts (`push`), each copied into the gate's scratch
 * memory after the bytes kept from the previous one (`scanWholeSparse`: a unit already there).
 */
export class SparseScanner {
  readonly findings: Finding[] = [];
  private readonly context: DetectContext;
  /** Absolute offset of `scratch[0]`, and how many bytes of the unit it holds. */
  private base = 0;
  private held = 0;
  private readonly masks = new Map<Detector, number>();
  /** The `held` bytes between pushes. */
  private kept = EMPTY;
  /** Absolute offset where the next range starts (everything before it was scanned). */
  private scanned = 0;
  // Position state at absolute offset `counted`: its line and (UTF-16) column.
  private counted = 0;
  private line = 1;
  private column = 1;

  constructor(
    private readonly path: string,
    private readonly options: ScanTextOptions,
    private readonly gate: Gate,
    private readonly simd: SimdGate,
  ) {
    this.context = { paranoid: options.paranoid === true, path, ...(options.clientSide ? { clientSide: options.clientSide } : {}) };
  }

  /**
   * Appends `chunk` to the unit. Bytes are scanned once `OVERLAP` bytes have arrived after
   * them, and all of them on the final push. Between pushes, the bytes still needed are kept in
   * a buffer of this scanner's own: the gate's memory is shared with every other unit.
   */
  push(chunk: Buffer, final: boolean): void {
    const scratch = this.simd.scratch;
    this.kept.copy(scratch, 0);
    let offset = 0;
    for (;;) {
      const take = Math.min(scratch.length - this.held, chunk.length - offset);
      chunk.copy(scratch, this.held, offset, offset + take);
      this.held += take;
      offset += take;
      const last = final && offset === chunk.length;
      let to = last ? this.base + this.held : this.base + this.held - OVERLAP;
      // Tiny chunks (a slow pipe) are gathered until a range of OVERLAP bytes is ready.
      if (last || to - this.scanned >= OVERLAP || this.held === scratch.length) {
        // Never stop inside a UTF-8 sequence: columns are counted from its first byte.
        for (let k = 0; k < 3 && !last && isContinuation(scratch[to - this.base]); k++) to--;
        if (to > this.scanned || last) {
          const held = scratch.subarray(0, this.held);
          this.step(held, this.scanned, to, last, occurrencesIn(held, this.base, this.gate, this.simd)!);
        }
        if (last) {
          this.kept = EMPTY;
          return;
        }
        // Keep what the next ranges need before them, and the bytes not scanned yet.
        const keepFrom = Math.max(this.base, this.scanned - KEEP);
        scratch.copyWithin(0, keepFrom - this.base, this.held);
        this.held -= keepFrom - this.base;
        this.base = keepFrom;
      }
      if (offset === chunk.length) break;
    }
    this.kept = Buffer.from(scratch.subarray(0, this.held));
  }

  /**
   * Scans `[from, to)` (absolute offsets) of the unit. `held` holds its bytes from `this.base`
   * in the gate's memory, up to `OVERLAP` past `to` or to the unit's end (`final`);
   * `occurrences` are the trigger literals in them.
   */
  step(held: Buffer, from: number, to: number, final: boolean, occurrences: Occurrences): void {
    const base = this.base;
    const end = base + held.length;
    // The ranges to scan: every position whose text (LOOKBEHIND before it, OVERLAP after it) holds a trigger.
    const ranges: number[] = [];
    for (let k = 0; k < occurrences.length; k++) {
      const a = Math.max(from, occurrences.end(k) - OVERLAP);
      const b = Math.min(to, occurrences.at(k) + LOOKBEHIND + 1);
      if (a >= b) continue;
      const n = ranges.length;
      if (n > 0 && a <= ranges[n - 1]! + MERGE_GAP) {
        // Occurrences come by start; a shorter literal's range may start a little earlier.
        ranges[n - 2] = Math.min(ranges[n - 2]!, a);
        ranges[n - 1] = Math.max(ranges[n - 1]!, b);
      } else {
        ranges.push(a, b);
      }
    }
    const hits: Hit[] = [];
    let first = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      const a = ranges[r]!;
      const b = ranges[r + 1]!;
      const windowStart = Math.max(base, a - LOOKBEHIND);
      const windowEnd = Math.min(end, b + OVERLAP);
      // The literals whose whole occurrence lies in the window choose the detectors.
      let mask = 0;
      while (first < occurrences.length && occurrences.at(first) < windowStart) first++;
      for (let k = first; k < occurrences.length && occurrences.at(k) < windowEnd; k++) {
        if (occurrences.end(k) <= windowEnd) mask |= occurrences.bit(k);
      }
      // Detectors that need a literal the range's text lacks would find nothing: not asked.
      const asked = this.gate.detectorsFor(mask).filter((d) => d.needs === undefined || contains(held, d.needs, a - base, windowEnd - base));
      // The window's text is decoded for detectors that scan whole ranges, or when the texts a
      // local detector reads around each of its positions would add up to more (dense literals).
      let text: string | undefined;
      const windowText = (): string => (text ??= held.toString("latin1", windowStart - base, windowEnd - base));
      if (asked.some((d) => d.local === undefined)) windowText();
      const found = (detect: Detector, source: string, at: number, from: number, to: number): void => {
        for (const hit of detect(source, from - at, to - at, this.context)) hits.push({ ...hit, start: hit.start + at, end: hit.end + at });
      };
      for (const detect of asked) {
        const local = detect.local;
        const own = local === undefined ? 0 : this.triggerMask(detect);
        if (local !== undefined && text === undefined) {
          let count = 0;
          for (let k = first; k < occurrences.length && occurrences.at(k) < b; k++) if ((occurrences.bit(k) & own) !== 0) count++;
          // Slices around each position would add up to more than the window (dense literals).
          if (count * (local.before + local.after) > windowEnd - windowStart) windowText();
        }
        // With the window's text, the whole range at once (for a local detector, the same hits
        // as asking at each of its positions: test/scan/sparse.test.ts).
        if (local === undefined || text !== undefined) {
          found(detect, windowText(), windowStart, a, b);
          continue;
        }
        // Asked at the positions of its own triggers only, each with the text it reads there
        // (a slice of the window's: never cut shorter than the window would be).
        let done = -1;
        for (let k = first; k < occurrences.length && occurrences.at(k) < b; k++) {
          const at = occurrences.at(k);
          if ((occurrences.bit(k) & own) === 0 || at < a || at === done) continue;
          done = at;
          const from = Math.max(windowStart, at - local.before);
          found(detect, held.toString("latin1", from - base, Math.min(windowEnd, at + local.after) - base), from, at, at + 1);
        }
      }
    }
    // Line breaks are counted as the unit goes, for the positions of later hits; after the
    // last hit of a unit, never.
    if (hits.length > 0 || !final) this.record(held, hits, to, final);
    this.scanned = to;
  }

  /** The bits of `detect`'s triggers among the gate's literals. */
  private triggerMask(detect: Detector): number {
    let mask = this.masks.get(detect);
    if (mask === undefined) {
      mask = 0;
      for (const t of detect.triggers ?? []) mask |= 1 << this.gate.literals.indexOf(t);
      this.masks.set(detect, mask);
    }
    return mask;
  }

  /** Findings for `hits` (absolute offsets); then positions move on to `to`, where the next step (if any) starts. */
  private record(held: Buffer, hits: Hit[], to: number, final: boolean): void {
    const offsets = hitOffsets(hits);
    const positions = new Map<number, Position>();
    // Up to `to`, the position state moves on; past it (hits that end in the overlap), a copy does.
    let k = 0;
    for (; k < offsets.length && offsets[k]! <= to; k++) positions.set(offsets[k]!, this.advance(held, offsets[k]!));
    if (!final) this.advance(held, to);
    if (k < offsets.length) {
      const saved = { counted: this.counted, line: this.line, column: this.column };
      for (; k < offsets.length; k++) positions.set(offsets[k]!, this.advance(held, offsets[k]!));
      Object.assign(this, saved);
    }
    addFindings(this.findings, this.path, hits, positions, this.options, (hit) => {
      // The two lines an ignore comment may take, as the whole text would show them.
      const textStart = Math.max(this.base, hit.start - 2 * DIRECTIVE_REACH - 2);
      const textEnd = Math.min(this.base + held.length, hit.end + DIRECTIVE_REACH);
      return ignoreDirectiveFor(held.toString("latin1", textStart - this.base, textEnd - this.base), hit.start - textStart, hit.end - textStart);
    });
  }

  /** Line and column of absolute offset `at` (≥ `counted`, in `held`), moving the state there. */
  private advance(held: Buffer, at: number): Position {
    const from = this.counted - this.base;
    const upTo = at - this.base;
    if (upTo > from) {
      const range = held.subarray(from, upTo);
      const breaks = this.simd.countBreaks(range);
      if (breaks === 0) {
        this.column += width(range);
      } else {
        this.line += breaks;
        this.column = 1 + width(held.subarray(lineStart(held, from, upTo), upTo));
      }
      this.counted = at;
    }
    return { line: this.line, column: this.column };
  }
}

/**
 * Where the last line in `held[from, to)` starts (there is a line break in it): after its last
 * `\n`, or after a `\r` that a `\n` does not follow (a `\r` at `to - 1` followed by `\n` at `to`
 * is the first half of a break that ends past `to`).
 */
function lineStart(held: Buffer, from: number, to: number): number {
  const range = held.subarray(from, to);
  const lf = range.lastIndexOf(0x0a);
  let cr = range.lastIndexOf(0x0d);
  while (cr > lf && held[from + cr + 1] === 0x0a) cr = cr === 0 ? -1 : range.lastIndexOf(0x0d, cr - 1);
  return from + Math.max(lf, cr) + 1;
}

/** UTF-16 units that UTF-8 bytes decode to (positions.ts: invalid bytes count one each). */
function width(bytes: Buffer): number {
  return isAscii(bytes) ? bytes.length : utf16Length(bytes.toString("latin1"));
}
