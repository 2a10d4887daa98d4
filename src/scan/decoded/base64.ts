import { findKeys, PREFILTER_LITERALS } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { decodedKeyHit } from "./found.js";

/**
 * Keys wrapped in base64 (Kubernetes `Secret` `data:` values, a docker config's `auth`,
 * any blob): decoded once, never recursively, and reported at the encoded span.
 *
 * The prefilter is the base64 image of each key prefix at the three byte alignments it can
 * have inside a blob (`apk_` at offset 0 encodes as `YXBrX`, …), so a chunk without one costs
 * a few `indexOf` passes. Each hit decodes one bounded window, and the search resumes after
 * it, so the work is linear in the blob whatever it contains.
 */

interface AlignedLiteral {
  /** The characters of the encoding fully determined by the prefix's bytes. */
  readonly text: string;
  /** Index of `text` in the encoding of the 3-byte group where the prefix starts. */
  readonly offset: number;
}

/** Base64 characters determined by `literal` when it starts at byte `align` (0–2) of a group. */
function alignedLiteral(literal: string, align: number): AlignedLiteral {
  const bytes = Buffer.concat([Buffer.alloc(align), Buffer.from(literal, "latin1"), Buffer.alloc(3)]);
  const encoded = bytes.toString("base64");
  const first = align * 8;
  const last = (align + literal.length) * 8; // exclusive bit index
  let start = -1;
  let end = -1;
  for (let c = 0; c * 6 + 6 <= bytes.length * 8; c++) {
    const determined = c * 6 >= first && c * 6 + 6 <= last;
    if (determined && start === -1) start = c;
    if (determined) end = c + 1;
  }
  return { text: encoded.slice(start, end), offset: start };
}

export const BASE64_LITERALS: readonly AlignedLiteral[] = PREFILTER_LITERALS.flatMap((l) => [0, 1, 2].map((a) => alignedLiteral(l, a)));

/** Base64 of the shortest key (a 56-character service-user credential) is 75 characters. */
export const MIN_BLOB = 72;
/** Characters decoded per window: a blob longer than this is decoded window by window. */
export const WINDOW = 65536;
/** Characters kept between windows, longer than any key's encoding. */
const WINDOW_OVERLAP = 8192;
/** Decoded text must be mostly printable: a binary blob is not scanned. */
const MIN_PRINTABLE = 0.85;

const B64 = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") B64[c.charCodeAt(0)] = 1;
const isB64 = (c: number): boolean => c < 128 && B64[c] === 1;

function printableRatio(s: string): number {
  if (s.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0xa0) ok++;
  }
  return ok / s.length;
}

export const detectBase64Keys: Detector = (text, from, to) => {
  // A key's encoding starts a few characters before its literal; look from a little before `from`.
  const lo = Math.max(0, from - 8);
  const next = BASE64_LITERALS.map((l) => text.indexOf(l.text, lo));
  if (next.every((n) => n === -1 || n >= to + 8)) return [];
  const hits: Hit[] = [];
  // Windows of a long blob overlap: a key in the overlap is decoded twice, reported once.
  const reported = new Set<number>();
  // The run of base64 characters seen last: `[runFrom, runAt)` is all base64, so looking back
  // for a blob's start never reads the same characters twice.
  let runFrom = -1;
  let runAt = -1;
  // Per group phase (index mod 4): the text is decoded at that phase up to here. A blob whose
  // start is out of sight (it began before the text) is decoded at most once per phase.
  const decodedUpTo = [-1, -1, -1, -1];
  let cursor = lo;
  for (;;) {
    let best = -1;
    let which = -1;
    for (let k = 0; k < next.length; k++) {
      if (next[k]! !== -1 && next[k]! < cursor) next[k] = text.indexOf(BASE64_LITERALS[k]!.text, cursor);
      const n = next[k]!;
      if (n !== -1 && (best === -1 || n < best)) {
        best = n;
        which = k;
      }
    }
    if (best === -1 || best >= to + 8) break;
    cursor = best + 1;
    const group = best - BASE64_LITERALS[which]!.offset;
    if (group < 0 || group < decodedUpTo[group % 4]!) continue;
    // The blob's start, to check that the literal sits on a 4-character group boundary.
    let blobStart = group;
    const stop = runAt !== -1 && runAt <= group ? runAt : 0;
    while (blobStart > stop && isB64(text.charCodeAt(blobStart - 1))) blobStart--;
    if (blobStart === runAt && runAt !== -1) blobStart = runFrom;
    runFrom = blobStart;
    runAt = group;
    // At index 0 of a later chunk the blob may have begun before the text: its phase is unknown.
    const known = blobStart > 0 || from === 0;
    if (known && (group - blobStart) % 4 !== 0) continue;
    decodedUpTo[group % 4] = decodeBlob(text, group, blobStart, known, from, to, reported, hits);
  }
  return hits;
};

/**
 * Decodes the blob from the group at `group` to its end, window by window, and records the
 * keys it holds. Returns the index where the blob ends.
 */
function decodeBlob(text: string, group: number, blobStart: number, known: boolean, from: number, to: number, reported: Set<number>, hits: Hit[]): number {
  // One group before, so the decoded key's left boundary is visible.
  let windowStart = group - blobStart >= 4 ? group - 4 : group;
  for (;;) {
    let windowEnd = Math.max(windowStart, group);
    const forwardLimit = Math.min(text.length, windowStart + WINDOW);
    while (windowEnd < forwardLimit && isB64(text.charCodeAt(windowEnd))) windowEnd++;
    const truncated = windowEnd === windowStart + WINDOW && isB64(text.charCodeAt(windowEnd));
    if (known && windowEnd - blobStart < MIN_BLOB && !truncated) return windowEnd;
    const usable = windowStart + Math.floor((windowEnd - windowStart) / 4) * 4;
    // A final partial group (unpadded, or padded with `=`) is decoded too.
    const end = !truncated && windowEnd - usable >= 2 ? windowEnd : usable;
    const decoded = Buffer.from(text.slice(windowStart, end), "base64").toString("latin1");
    if (printableRatio(decoded) >= MIN_PRINTABLE) {
      for (const key of findKeys(decoded)) {
        const start = windowStart + Math.floor(key.start / 3) * 4;
        let stop = Math.min(end, windowStart + Math.ceil(key.end / 3) * 4);
        while (stop === end && stop < text.length && text.charCodeAt(stop) === 0x3d && stop < end + 2) stop++;
        if (start < from || start >= to || reported.has(start)) continue;
        reported.add(start);
        hits.push(decodedKeyHit(key, start, stop, "base64"));
      }
    }
    // Past the range a hit may start in, or the blob ended: done.
    if (!truncated || windowEnd >= to + 8) return windowEnd;
    windowStart += Math.floor((WINDOW - WINDOW_OVERLAP) / 4) * 4;
  }
}

detectBase64Keys.triggers = BASE64_LITERALS.map((l) => l.text);
