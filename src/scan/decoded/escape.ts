import { findKeys, matchKeyAt, MAX_KEY_LENGTH, PREFILTER_LITERALS } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { decodedKeyHit } from "./found.js";

/**
 * Keys written with JSON/JS string escapes: `\u0061pk_…`, `\x61pk_…`, a body with `\/`
 * (JSON encoders that escape slashes), or a key glued to an escape (`"…\\napk_…"`, where the
 * plain matcher sees `napk_`). The run of characters around each escape is unescaped once,
 * with a map back to the text; keys the plain matcher cannot see are reported at their span.
 */

/** Escapes that can hide a key's characters, and `\n`/`\t` glued to a prefix (JSON-encoded multi-line text). */
const GATES = ["\\u00", "\\x", "\\/", ...PREFILTER_LITERALS.flatMap((p) => [`\\n${p}`, `\\t${p}`])];
/**
 * What an escaped key always contains: its prefix written plainly (`apk_…\/…`, `\napk_`), or
 * the escape of one of its prefix characters: the first one escaped (`\x61pk_`, `a\x70k_`,
 * `apk\x5f`) follows a plain character or starts the key, so `\x6`/`\u006` (`a`, `c`),
 * `a\x7` (`p`), `k\x5` (`_`)… cover every case: a trigger per prefix character (its
 * predecessor, `\x` or `\u00`, the first hex digit of its code), dropping those that contain
 * another. Narrower than `GATES`, which are common in code (`\x` in every regex, `\x5c` for a
 * backslash): a file with escapes but none of these is skipped.
 */
export const ESCAPE_TRIGGERS: readonly string[] = (() => {
  const all = new Set<string>(PREFILTER_LITERALS);
  for (const prefix of PREFILTER_LITERALS) {
    for (let i = 0; i < prefix.length; i++) {
      const before = i === 0 ? "" : prefix[i - 1]!;
      const high = (prefix.charCodeAt(i) >> 4).toString(16);
      for (const digit of new Set([high, high.toUpperCase()])) {
        all.add(`${before}\\x${digit}`);
        all.add(`${before}\\u00${digit}`);
      }
    }
  }
  return [...all].filter((t) => ![...all].some((other) => other !== t && t.includes(other)));
})();
/** A fully `\u`-escaped key takes six characters per character. */
const MAX_RUN = MAX_KEY_LENGTH * 6;

const TOKEN = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=%_-\\") TOKEN[c.charCodeAt(0)] = 1;
const isToken = (c: number): boolean => c < 128 && TOKEN[c] === 1;

const SIMPLE: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "0": "\0" };
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** Unescapes `text[start, end)`; `map[i]` is the text index of decoded character `i`. */
function unescape(text: string, start: number, end: number): { decoded: string; map: number[] } {
  let decoded = "";
  const map: number[] = [];
  let i = start;
  while (i < end) {
    map.push(i);
    if (text.charCodeAt(i) !== 0x5c || i + 1 >= end) {
      decoded += text[i];
      i++;
      continue;
    }
    const e = text[i + 1]!;
    if (e === "u" && HEX4.test(text.slice(i + 2, i + 6))) {
      decoded += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (e === "x" && HEX2.test(text.slice(i + 2, i + 4))) {
      decoded += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else {
      decoded += SIMPLE[e] ?? e;
      i += 2;
    }
  }
  map.push(end);
  return { decoded, map };
}

/** Next gate occurrence at or after `from`; `next` caches each gate's next index so the search stays linear. */
function nextGate(text: string, from: number, next: number[]): number {
  let best = -1;
  for (let k = 0; k < GATES.length; k++) {
    if (next[k]! !== -1 && next[k]! < from) next[k] = text.indexOf(GATES[k]!, from);
    const n = next[k]!;
    if (n !== -1 && (best === -1 || n < best)) best = n;
  }
  return best;
}

export const detectEscapedKeys: Detector = (text, from, to) => {
  // An escaped key's first escape may lie up to a whole key after its start.
  const next = GATES.map((g) => text.indexOf(g, from));
  let at = nextGate(text, from, next);
  if (at === -1 || !ESCAPE_TRIGGERS.some((t) => text.includes(t))) return [];
  const hits: Hit[] = [];
  let done = from;
  while (at !== -1 && at < to + MAX_RUN) {
    let start = at;
    const backLimit = Math.max(done, at - MAX_RUN);
    while (start > backLimit && isToken(text.charCodeAt(start - 1))) start--;
    let end = at;
    const limit = Math.min(text.length, at + MAX_RUN);
    while (end < limit && isToken(text.charCodeAt(end))) end++;
    const { decoded, map } = unescape(text, start, end);
    for (const key of findKeys(decoded)) {
      const keyStart = map[key.start]!;
      const keyEnd = map[key.end]!;
      if (keyStart < from || keyStart >= to) continue;
      // Written plainly, and delimited plainly: the plain matcher reports it.
      if (matchKeyAt(text, keyStart)?.end === keyEnd) continue;
      hits.push(decodedKeyHit(key, keyStart, keyEnd, "escape"));
    }
    done = Math.max(end, at + 1);
    at = nextGate(text, done, next);
  }
  return hits;
};
detectEscapedKeys.triggers = ESCAPE_TRIGGERS;
// Every gate starts with a backslash: without one from `from` on, `nextGate` finds none.
detectEscapedKeys.needs = "\\";
