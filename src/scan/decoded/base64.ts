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
/** How far back a blob's start is looked for, to check the literal sits on a group boundary. */
const MAX_LOOKBACK = 8192;
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
    const group = best - BASE64_LITERALS[which]!.offset;
    cursor = best + 1;
    if (group < 0) continue;
    // The blob's start, to check that the literal sits on a 4-character group boundary.
    let blobStart = group;
    const backLimit = Math.max(0, group - MAX_LOOKBACK);
    while (blobStart > backLimit && isB64(text.charCodeAt(blobStart - 1))) blobStart--;
    const blobStartKnown = blobStart > backLimit || blobStart === 0;
    if (blobStartKnown && (group - blobStart) % 4 !== 0) continue;
    // One group before, so the decoded key's left boundary is visible.
    const windowStart = group - blobStart >= 4 ? group - 4 : group;
    let windowEnd = group;
    const forwardLimit = Math.min(text.length, windowStart + WINDOW);
    while (windowEnd < forwardLimit && isB64(text.charCodeAt(windowEnd))) windowEnd++;
    const truncated = windowEnd === windowStart + WINDOW && isB64(text.charCodeAt(windowEnd));
    if (blobStartKnown && windowEnd - blobStart < MIN_BLOB && !truncated) {
      cursor = Math.max(cursor, windowEnd);
      continue;
    }
    const usable = windowStart + Math.floor((windowEnd - windowStart) / 4) * 4;
    let end = usable;
    const rest = windowEnd - usable;
    // A final partial group (unpadded, or padded with `=`).
    if (!truncated && rest >= 2) end = windowEnd;
    const decoded = Buffer.from(text.slice(windowStart, end), "base64").toString("latin1");
    if (printableRatio(decoded) >= MIN_PRINTABLE) {
      for (const key of findKeys(decoded)) {
        const start = windowStart + Math.floor(key.start / 3) * 4;
        let stop = Math.min(end, windowStart + Math.ceil(key.end / 3) * 4);
        while (stop < text.length && text.charCodeAt(stop) === 0x3d && stop < end + 2) stop++;
        if (start < from || start >= to || reported.has(start)) continue;
        reported.add(start);
        hits.push(decodedKeyHit(key, start, stop, "base64"));
      }
    }
    cursor = Math.max(cursor, truncated ? windowEnd - WINDOW_OVERLAP : windowEnd);
  }
  return hits;
};
detectBase64Keys.triggers = BASE64_LITERALS.map((l) => l.text);
