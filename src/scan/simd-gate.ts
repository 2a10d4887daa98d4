import { GATE_WASM } from "./gate-wasm.generated.js";
import { frequency } from "./frequency.js";

/**
 * The byte gate's fast path: one pass over a file's bytes for all trigger literals at once,
 * 16 positions per step with WebAssembly SIMD (src/scan/gate.wat), instead of one `indexOf`
 * pass per literal (18 for the default detectors).
 *
 * Each literal is represented by three consecutive bytes of it, its fingerprint (the rarest
 * three in source code); the fingerprints are spread over 8 buckets, and the SIMD loop reports
 * positions where some bucket accepts three consecutive bytes (nibble tables, the "shufti"
 * technique of Hyperscan and Teddy). Candidates are then checked here against the literals
 * whose fingerprint they hold, so the answer is exact: the same as searching every literal.
 */

/** Where the haystack starts in memory; bytes 0..95 hold the six nibble tables (gate.wat). */
const DATA = 128;
/** Readable bytes required after a haystack's end (gate.wat's loops read up to 16 past it). */
const PADDING = 64;
const BUCKETS = 8;
/** Largest piece a haystack outside the scratch buffer is copied in. */
const PIECE = 1 << 20;
const WIDTH = 3;

export interface SimdGate {
  /**
   * A buffer in the gate's memory: bytes read into (a prefix of) it are tested in place,
   * without a copy. Reused: its contents are the caller's until the next read.
   */
  readonly scratch: Buffer;
  /**
   * Which literals occur in `haystack` (bytes compared as latin1): bit i for `literals[i]`.
   * A haystack outside `scratch` is copied (to memory of the gate's own, not the scratch).
   */
  present(haystack: Uint8Array): number;
  /** `present` for text whose characters stand for bytes (latin1), such as decoded windows. */
  presentInText(haystack: string): number;
  /**
   * Every occurrence of every literal in `haystack`, which must lie in this gate's memory (in
   * `scratch`): `visit(at, i)` for `literals[i]` starting at `haystack[at]`. Occurrences come
   * by fingerprint position, so two literals fingerprinted at different offsets may come out
   * of order. A visit that returns `false` ends the search.
   */
  occurrences(haystack: Uint8Array, visit: (at: number, literal: number) => boolean | void): void;
  /**
   * Line breaks in `haystack` (in `scratch`), counted as positions.ts counts them: each `\n`,
   * and each `\r` not followed by `\n`. The byte after the haystack is read: a `\r` at its
   * end counts unless that byte is `\n`.
   */
  countBreaks(haystack: Uint8Array): number;
}

interface Literal {
  /** In `literals`. */
  readonly index: number;
  readonly bytes: Uint8Array;
  /** Offset of the fingerprint in the literal. */
  readonly offset: number;
}

/** The part of the WebAssembly API used here (this project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

function wasmModule(): object | undefined {
  if (compiled === undefined) {
    try {
      const bytes = Buffer.from(GATE_WASM, "base64");
      compiled = wasm !== undefined && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** The offset of the rarest three consecutive characters of a literal (their expected frequency). */
function fingerprintOffset(literal: string): number {
  let best = 0;
  let bestScore = Infinity;
  for (let j = 0; j + WIDTH <= literal.length; j++) {
    let score = 1;
    for (let k = 0; k < WIDTH; k++) score *= frequency(literal.charCodeAt(j + k));
    if (score < bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}

let byteFrequency: Float64Array | undefined;

/**
 * Expected frequency of the byte triples a bucket accepts, given per byte place the sets of low
 * and high nibbles it accepts (bit sets, `lows[k]`, `highs[k]`): every low × high combination.
 */
function bucketCost(lows: Uint16Array, highs: Uint16Array, at: number, otherLows = lows, otherHighs = highs, other = at): number {
  const f = (byteFrequency ??= Float64Array.from({ length: 256 }, (_, c) => frequency(c)));
  let cost = 1;
  for (let k = 0; k < WIDTH; k++) {
    const lo = lows[at + k]! | otherLows[other + k]!;
    const hi = highs[at + k]! | otherHighs[other + k]!;
    let sum = 0;
    // Over the set bits only (a bucket holds a few nibbles per place).
    for (let h = hi; h !== 0; h &= h - 1) {
      const high = 31 - Math.clz32(h & -h);
      for (let l = lo; l !== 0; l &= l - 1) sum += f[(high << 4) | (31 - Math.clz32(l & -l))]!;
    }
    cost *= sum;
  }
  return cost;
}

/** Groups fingerprints into at most 8 buckets, merging the pairs that add the fewest false candidates. */
function buckets(fingerprints: readonly string[]): string[][] {
  const groups = fingerprints.map((f) => [f]);
  // Nibble sets of group g at place k: lows[g * WIDTH + k], highs[g * WIDTH + k].
  const lows = new Uint16Array(groups.length * WIDTH);
  const highs = new Uint16Array(groups.length * WIDTH);
  fingerprints.forEach((f, g) => {
    for (let k = 0; k < WIDTH; k++) {
      lows[g * WIDTH + k] = 1 << (f.charCodeAt(k) & 15);
      highs[g * WIDTH + k] = 1 << (f.charCodeAt(k) >> 4);
    }
  });
  const cost = groups.map((_, g) => bucketCost(lows, highs, g * WIDTH));
  while (groups.length > BUCKETS) {
    let bestI = 0;
    let bestJ = 1;
    let bestAdded = Infinity;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const added = bucketCost(lows, highs, i * WIDTH, lows, highs, j * WIDTH) - cost[i]! - cost[j]!;
        if (added < bestAdded) [bestI, bestJ, bestAdded] = [i, j, added];
      }
    }
    cost[bestI] = bestAdded + cost[bestI]! + cost[bestJ]!;
    groups[bestI]!.push(...groups[bestJ]!);
    for (let k = 0; k < WIDTH; k++) {
      lows[bestI * WIDTH + k]! |= lows[bestJ * WIDTH + k]!;
      highs[bestI * WIDTH + k]! |= highs[bestJ * WIDTH + k]!;
    }
    // Close the gap left by bucket j.
    lows.copyWithin(bestJ * WIDTH, (bestJ + 1) * WIDTH);
    highs.copyWithin(bestJ * WIDTH, (bestJ + 1) * WIDTH);
    groups.splice(bestJ, 1);
    cost.splice(bestJ, 1);
  }
  return groups;
}

const tripleOf = (a: number, b: number, c: number): number => (a << 16) | (b << 8) | c;

/**
 * A SIMD gate for `literals` (distinct, ASCII, at least 3 characters each) whose scratch buffer
 * holds `capacity` bytes; undefined when this runtime has no WebAssembly SIMD or a literal is
 * too short for a fingerprint (the caller falls back to `indexOf`).
 */
export function simdGate(literals: readonly string[], capacity: number): SimdGate | undefined {
  if (literals.length === 0 || literals.length > 31 || new Set(literals).size !== literals.length) return undefined;
  if (literals.some((l) => l.length < WIDTH || !/^[\x20-\x7e]+$/.test(l))) return undefined;
  if (capacity < 4096) throw new RangeError("simdGate: capacity below 4096 bytes");
  const module = wasmModule();
  if (module === undefined || wasm === undefined) return undefined;

  // Memory: the tables, the scratch buffer, then an area where other haystacks are copied (and
  // text is written), piece by piece. Pages are only backed by memory once written.
  const textArea = DATA + capacity + PADDING;
  const pieceSize = Math.min(capacity, PIECE);
  const pages = Math.ceil((textArea + pieceSize + PADDING) / 65536);
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const exports = new wasm.Instance(module, { env: { memory } }).exports;
  const find = exports.find as (from: number, end: number) => number;
  const countBreaks = exports.count_breaks as (from: number, end: number) => number;
  const countLf = exports.count_lf as (from: number, end: number) => number;
  const heap = new Uint8Array(memory.buffer);

  // Literals by the integer value of their fingerprint.
  const byTriple = new Map<number, Literal[]>();
  const fingerprints = new Set<string>();
  for (const [i, literal] of literals.entries()) {
    const offset = fingerprintOffset(literal);
    const fingerprint = literal.slice(offset, offset + WIDTH);
    fingerprints.add(fingerprint);
    const key = tripleOf(fingerprint.charCodeAt(0), fingerprint.charCodeAt(1), fingerprint.charCodeAt(2));
    const list = byTriple.get(key) ?? [];
    list.push({ index: i, bytes: Buffer.from(literal, "latin1"), offset });
    byTriple.set(key, list);
  }
  buckets([...fingerprints]).forEach((group, bucket) => {
    for (const fingerprint of group) {
      for (let k = 0; k < WIDTH; k++) {
        const c = fingerprint.charCodeAt(k);
        heap[32 * k + (c & 15)]! |= 1 << bucket;
        heap[32 * k + 16 + (c >> 4)]! |= 1 << bucket;
      }
    }
  });

  const scratch = Buffer.from(memory.buffer, DATA, capacity);
  const text = Buffer.from(memory.buffer, textArea, pieceSize);
  const longest = Math.max(...literals.map((l) => l.length));

  const all = (1 << literals.length) - 1;

  /**
   * Each literal occurring in heap[start, end) (all its bytes inside): `visit(from, i)` for
   * `literals[i]` starting at heap[from]. Candidates are checked in memory, or against `source`
   * (text whose latin1 image lies at `start`, from its character `at`). A visit that returns
   * `false` ends the search.
   */
  const each = (start: number, end: number, visit: (from: number, literal: number) => boolean | void, source?: { readonly text: string; readonly at: number }): void => {
    for (let at = find(start, end); at !== -1; at = find(at + 1, end)) {
      // `find` gives only fingerprints lying wholly before `end`.
      const candidates = byTriple.get(tripleOf(heap[at]!, heap[at + 1]!, heap[at + 2]!));
      if (candidates === undefined) continue;
      for (const { index, bytes, offset } of candidates) {
        const from = at - offset;
        if (from < start || from + bytes.length > end) continue;
        let k = 0;
        if (source === undefined) {
          while (k < bytes.length && heap[from + k] === bytes[k]) k++;
        } else {
          // Against the text itself: its latin1 image in memory lost the high bytes.
          const i = source.at + (from - start);
          while (k < bytes.length && source.text.charCodeAt(i + k) === bytes[k]) k++;
        }
        if (k === bytes.length && visit(from, index) === false) return;
      }
    }
  };

  /** The literals found in heap[start, end), added to `found` (bit i: `literals[i]`). */
  const search = (start: number, end: number, found: number, source?: { readonly text: string; readonly at: number }): number => {
    each(start, end, (_, index) => (found |= 1 << index) !== all, source);
    return found;
  };

  /**
   * Searches a haystack of `length` bytes that `copy(from, to)` writes, piece by piece, to
   * the text area; pieces overlap by a literal's length, so none is cut in two.
   */
  const inPieces = (length: number, copy: (from: number, to: number) => void, source?: string): number => {
    let found = 0;
    for (let from = 0; from < length; ) {
      const to = Math.min(length, from + pieceSize);
      copy(from, to);
      found = search(textArea, textArea + (to - from), found, source === undefined ? undefined : { text: source, at: from });
      if (found === all || to === length) break;
      from = to - (longest - 1);
    }
    return found;
  };

  const inMemory = (haystack: Uint8Array): number => {
    if (haystack.buffer !== memory.buffer || haystack.byteOffset < DATA || haystack.byteOffset + haystack.length > DATA + capacity) {
      throw new RangeError("simdGate: the haystack must lie in the gate's scratch memory");
    }
    return haystack.byteOffset;
  };

  return {
    scratch,
    occurrences(haystack, visit) {
      const start = inMemory(haystack);
      each(start, start + haystack.length, (from, index) => visit(from - start, index));
    },
    countBreaks(haystack) {
      const start = inMemory(haystack);
      // Text without `\r` (nearly all) is counted four times faster (memchr finds none at once).
      return (haystack.indexOf(0x0d) === -1 ? countLf : countBreaks)(start, start + haystack.length);
    },
    present(haystack) {
      if (haystack.buffer === memory.buffer) {
        return search(haystack.byteOffset, haystack.byteOffset + haystack.length, 0);
      }
      return inPieces(haystack.length, (from, to) => {
        heap.set(haystack.subarray(from, to), textArea);
      });
    },
    presentInText(haystack) {
      // Written as latin1: characters above U+00FF lose their high byte, which can only add
      // candidates (never hide an ASCII literal); candidates are checked against the text.
      return inPieces(
        haystack.length,
        (from, to) => {
          text.write(haystack.slice(from, to), 0, to - from, "latin1");
        },
        haystack,
      );
    },
  };
}
