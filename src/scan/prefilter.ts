import type { Detector } from "./types.js";
import { commonness } from "./frequency.js";
import { simdGate, type SimdGate } from "./simd-gate.js";
import { WHOLE_FILE_LIMIT } from "../sources/file.js";

/**
 * The scanner's gate: does a text (or the raw bytes of a UTF-8 file) contain anything any
 * detector cares about? Most files of a tree contain none of the detectors' trigger literals
 * (`apk_`, `cog_`, `api.devin.ai`, …); those are skipped without being decoded, line-counted
 * or handed to each detector in turn.
 *
 * Bytes are tested in one pass for all literals with WebAssembly SIMD (simd-gate.ts). Text,
 * and bytes where that is unavailable, are searched literal by literal, each from its rarest
 * character: `indexOf` runs at memchr speed while its first character is rare, and falls back
 * to comparing at every occurrence when it is common (`a` in `apk_`), so `apk_` is searched as
 * `k_` and its first two bytes checked by hand.
 */

interface Needle {
  readonly literal: string;
  /** Offset in `literal` of the searched suffix. */
  readonly offset: number;
  readonly suffix: string;
}

function needleFor(literal: string): Needle {
  // The rarest character that leaves at least two characters to search (one-character
  // needles cost a call per occurrence).
  let offset = 0;
  for (let i = 1; i <= literal.length - 2; i++) {
    if (commonness(literal.charCodeAt(i)) < commonness(literal.charCodeAt(offset))) offset = i;
  }
  return { literal, offset, suffix: literal.slice(offset) };
}

/**
 * Bytes searched literal by literal before the SIMD gate is built: building it (compiling the
 * module, laying out its tables and memory, ≈ 3 ms) costs more than searching a few hundred
 * KiB with `indexOf`. A pre-commit run over a few small files never builds it; a tree scan
 * builds it after its first files (or at once for a large one, or with `warm`).
 */
export const SIMD_AFTER_BYTES = 256 * 1024;

export interface Gate {
  /**
   * Where to read a file of up to `WHOLE_FILE_LIMIT` bytes so that `detectorsIn` needs no copy
   * (the SIMD gate's memory); undefined without SIMD, or before it is built (`SIMD_AFTER_BYTES`).
   * Reused: consume the bytes before the next read.
   */
  readonly scratch: Buffer | undefined;
  /** Builds the SIMD gate now (a worker thread, about to scan many files). */
  warm(): void;
  /**
   * The detectors (in order) whose triggers occur in `bytes` (read as latin1), plus those
   * without triggers: empty when no detector can find anything in them (nearly every file).
   */
  detectorsIn(bytes: Buffer): readonly Detector[];
  /** The same for text (a window of decoded text). */
  select(text: string): readonly Detector[];
  /** The trigger literals of all detectors: bit i of a mask stands for `literals[i]`. */
  readonly literals: readonly string[];
  /**
   * The SIMD gate once built (`warm`, or `SIMD_AFTER_BYTES`), for callers that need where the
   * literals occur (scan/sparse.ts); undefined before, without SIMD, or when some detector
   * declares no triggers (then no text can be skipped).
   */
  readonly simd: SimdGate | undefined;
  /** The detectors (in order) whose triggers are in `mask`, plus those without triggers. */
  detectorsFor(mask: number): readonly Detector[];
}

function contains(haystack: Buffer | string, n: Needle): boolean {
  let at = haystack.indexOf(n.suffix);
  while (at !== -1) {
    const start = at - n.offset;
    if (start >= 0 && matchesAt(haystack, start, n.literal, n.offset)) return true;
    at = haystack.indexOf(n.suffix, at + 1);
  }
  return false;
}

/** True when the first `length` characters of `literal` occur at `start`. */
function matchesAt(haystack: Buffer | string, start: number, literal: string, length: number): boolean {
  if (typeof haystack === "string") {
    for (let k = 0; k < length; k++) if (haystack.charCodeAt(start + k) !== literal.charCodeAt(k)) return false;
  } else {
    for (let k = 0; k < length; k++) if (haystack[start + k] !== literal.charCodeAt(k)) return false;
  }
  return true;
}

const gates = new WeakMap<readonly Detector[], Gate>();

/** Literals are ASCII (bytes and text agree on them) and non-empty; others disable gating. */
const usable = (literals: readonly string[]): boolean => literals.length > 0 && literals.every((l) => l.length > 0 && /^[\x20-\x7e]+$/.test(l));

let last: { readonly detectors: readonly Detector[]; readonly gate: Gate } | undefined;

/** The gate for a list of detectors, compiled once per list. */
export function gateFor(detectors: readonly Detector[]): Gate {
  // Called a few times per file, nearly always with the same list.
  if (last?.detectors === detectors) return last.gate;
  let gate = gates.get(detectors);
  if (gate === undefined) {
    gate = compile(detectors);
    gates.set(detectors, gate);
  }
  last = { detectors, gate };
  return gate;
}

function compile(detectors: readonly Detector[]): Gate {
  const needles = new Map<string, Needle>();
  const perDetector = detectors.map((d) => {
    if (d.triggers === undefined || !usable(d.triggers)) return undefined;
    return d.triggers.map((l) => needles.get(l) ?? needles.set(l, needleFor(l)).get(l)!);
  });
  const literals = [...needles.keys()];
  // Built once enough bytes were searched (SIMD_AFTER_BYTES): a gate compiled for a subset of
  // detectors that are already chosen, or a run over a few small files, never needs it.
  let simd: SimdGate | undefined | null = null;
  let searched = 0;
  const build = (): SimdGate | undefined => (simd = literals.length > 0 ? simdGate(literals, WHOLE_FILE_LIMIT) : undefined);
  /** The SIMD gate, once the haystacks so far (this one included) reach `SIMD_AFTER_BYTES`. */
  const fast = (length: number): SimdGate | undefined => {
    if (simd !== null) return simd;
    searched += length;
    return searched >= SIMD_AFTER_BYTES ? build() : undefined;
  };
  const subsets = new Map<number, readonly Detector[]>();
  /** The detectors whose triggers are in `mask` (bit i: `literals[i]`), one list object per mask. */
  const subsetFor = (mask: number): readonly Detector[] => {
    let subset = subsets.get(mask);
    if (subset === undefined) {
      const hit = (n: Needle): boolean => (mask & (1 << literals.indexOf(n.literal))) !== 0;
      subset = detectors.filter((_, i) => perDetector[i] === undefined || perDetector[i]!.some(hit));
      subsets.set(mask, subset);
    }
    return subset;
  };
  /** One SIMD pass; else one `indexOf` pass per literal (too many literals for a mask: no cache). */
  const present = (haystack: Buffer | string): readonly Detector[] => {
    const s = fast(haystack.length);
    if (s !== undefined) return subsetFor(typeof haystack === "string" ? s.presentInText(haystack) : s.present(haystack));
    if (literals.length <= 31) {
      let mask = 0;
      literals.forEach((l, i) => {
        if (contains(haystack, needles.get(l)!)) mask |= 1 << i;
      });
      return subsetFor(mask);
    }
    const found = new Map<Needle, boolean>();
    const has = (n: Needle): boolean => found.get(n) ?? found.set(n, contains(haystack, n)).get(n)!;
    return detectors.filter((_, i) => perDetector[i] === undefined || perDetector[i]!.some(has));
  };
  const everyDetectorGated = perDetector.every((p) => p !== undefined);
  return {
    get scratch() {
      return simd?.scratch;
    },
    literals,
    get simd() {
      return everyDetectorGated ? (simd ?? undefined) : undefined;
    },
    detectorsFor: subsetFor,
    warm() {
      if (simd === null) build();
    },
    detectorsIn: present,
    select: present,
  };
}
