import { KINDS, type Kind } from "./kinds.js";

/**
 * Structural grammar of Devin keys (DESIGN.md §1) and the validator the scanner and
 * the ESLint rules share. Everything works on JS strings whose code units are either
 * UTF-16 text or bytes read as latin1: every key character is ASCII, so both agree.
 */

export type Confidence = "high" | "low";

export interface KeyMatch {
  readonly kind: Kind;
  /** Index of the first character of the prefix in the searched string. */
  readonly start: number;
  /** Index one past the last character of the key (padding included). */
  readonly end: number;
  /** The key exactly as written (possibly with `%3D` padding). */
  readonly raw: string;
  /** Canonical form: URL-encoded padding decoded and base64 padding restored. */
  readonly canonical: string;
  /** `org-<32 hex>` decoded from `apk_` family keys; not secret. */
  readonly orgId?: string;
  readonly confidence: Confidence;
}

/**
 * Upper bound on a personal key body. Real bodies are ~115–144 characters; long
 * identity-provider subjects exist, so the bound is generous. It exists only so the
 * streaming reader knows how much overlap to keep between chunks.
 */
export const MAX_PERSONAL_BODY = 4096;
/** Longest span a key can occupy in text, with `%3D%3D` padding; the chunk overlap must exceed it. */
export const MAX_KEY_LENGTH = KINDS.personal.prefix.length + MAX_PERSONAL_BODY + 6;

/** A service key body is base64 of `org-<32 hex>:<32 hex>` (69 bytes): always 92 characters. */
export const SERVICE_BODY_LENGTH = 92;
/** A service-user body is 32 random bytes in lowercase base32 without padding. */
export const SERVICE_USER_BODY_LENGTH = 52;

/** Paranoid mode: shortest body worth reporting as a low-confidence key. */
const PARANOID_MIN_BODY = 40;
/** Paranoid mode: Shannon entropy (bits per character) below which a body is a filler. */
const PARANOID_MIN_ENTROPY = 3.5;
/**
 * A random 32-hex secret has ~3.8 bits/char of empirical entropy and a random 52-char
 * base32 body ~4.5; anything below these is a hand-typed filler such as `0000…` or `abab…`.
 */
const MIN_HEX_SECRET_ENTROPY = 2.5;
const MIN_BASE32_ENTROPY = 3.2;

// Character classes as lookup tables: one array index per character, no regex per char.
const WORD = charTable("A-Za-z0-9_");
const BASE64 = charTable("A-Za-z0-9+/");
const BASE32_LOWER = charTable("a-z2-7");
const RIGHT_BOUNDARY_FORBIDDEN = charTable("A-Za-z0-9+/=_-");

function charTable(spec: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    if (spec[i + 1] === "-" && i + 2 < spec.length) {
      const last = spec.charCodeAt(i + 2);
      for (let x = c; x <= last; x++) table[x] = 1;
      i += 2;
    } else {
      table[c] = 1;
    }
  }
  return table;
}

function inTable(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/**
 * True when what is before `index` may precede a key: not a word character (`[A-Za-z0-9_]`),
 * or one that ends a delimiter written in an encoding (`closesDelimiter`).
 */
export function isLeftBoundary(text: string, index: number): boolean {
  return index === 0 || !inTable(WORD, text.charCodeAt(index - 1)) || closesDelimiter(text, index);
}

/** True when the character at `index` may follow a key (not `[A-Za-z0-9+/=_-]`). */
export function isRightBoundary(text: string, index: number): boolean {
  return index >= text.length || !inTable(RIGHT_BOUNDARY_FORBIDDEN, text.charCodeAt(index));
}

const HEX = charTable("0-9A-Fa-f");
/** Written forms of the ESC that opens an ANSI colour sequence, besides the byte itself. */
const ESC_TEXT = ["\\x1b", "\\x1B", "\\033", "\\u001b", "\\u001B", "\\e"];

/**
 * Word characters that end an encoded delimiter, so that a key may follow them: decoded, what
 * precedes the key is no word character (DESIGN.md's boundary). Each reads at most 16 characters
 * back, what the sparse scanner gives a key (`detectKeys.local`):
 * - a percent-encoded byte that is no word character: `Bearer%20cog_…`, `%22apk_…`, `key%3Dapk_user_…`;
 * - an escape written as text: `\ncog_…`, `\r`, `\t` (also doubly escaped, `\\n`);
 * - an ANSI colour sequence: `ESC[32mcog_…` (ESC as the byte or written `\x1b`, `\033`, `\u001b`, `\e`).
 * An `_` stays a word character (`_cog_…` is not a key, nor `versi_apk_user_x`).
 */
function closesDelimiter(text: string, index: number): boolean {
  const c = text.charCodeAt(index - 1);
  if (index >= 3 && text.charCodeAt(index - 3) === 0x25 && inTable(HEX, text.charCodeAt(index - 2)) && inTable(HEX, c)) {
    // Only a byte that is no word character itself (`%5F` is `_`: `versi%5Fapk_…` is no key).
    return !inTable(WORD, parseInt(text.slice(index - 2, index), 16));
  }
  if ((c === 0x6e || c === 0x72 || c === 0x74) && index >= 2 && text.charCodeAt(index - 2) === 0x5c) return true;
  if (c === 0x6d) {
    let j = index - 2;
    while (j >= 0 && j >= index - 9 && ((text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) || text.charCodeAt(j) === 0x3b)) j--;
    if (j >= 0 && text.charCodeAt(j) === 0x5b) {
      if (j >= 1 && text.charCodeAt(j - 1) === 0x1b) return true;
      if (ESC_TEXT.some((e) => text.startsWith(e, j - e.length))) return true;
    }
  }
  return false;
}

/**
 * Work counters of the matcher: how many candidates were validated and how many characters
 * the validators read. Never reset by the library; tests reset and read them to prove the
 * cost is linear in the input (a count, not a timing).
 */
export const MATCH_COST = { candidates: 0, examined: 0 };

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  MATCH_COST.examined += s.length;
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const DECODED_PERSONAL = /^([\x20-\x7e]+)_(org-[0-9a-f]{32}):([0-9a-f]{32})$/;
const DECODED_SERVICE = /^(org-[0-9a-f]{32}):([0-9a-f]{32})$/;

/**
 * Strict base64 decode: only canonical encodings (the unused trailing bits are zero and
 * the length is possible), so a random string that happens to decode is still rejected
 * by the structure check that follows.
 */
function decodeCanonicalBase64(body: string): string | undefined {
  MATCH_COST.examined += body.length;
  if (body.length % 4 === 1) return undefined;
  const bytes = Buffer.from(body, "base64");
  if (bytes.toString("base64").replace(/=+$/, "") !== body) return undefined;
  return bytes.toString("latin1");
}

/** Reads a run of characters from `table` starting at `from`, at most `max` long. */
function runLength(text: string, from: number, table: Uint8Array, max: number): number {
  let i = from;
  const limit = Math.min(text.length, from + max);
  while (i < limit && inTable(table, text.charCodeAt(i))) i++;
  MATCH_COST.examined += i - from + 1;
  return i - from;
}

/** Length of the base64 padding at `from`: up to two `=` or `%3D` (any case). */
function paddingAt(text: string, from: number): { length: number; count: number } {
  let i = from;
  let count = 0;
  while (count < 2) {
    if (text.charCodeAt(i) === 0x3d /* = */) {
      i += 1;
    } else if (text.charCodeAt(i) === 0x25 /* % */ && text[i + 1] === "3" && (text[i + 2] === "D" || text[i + 2] === "d")) {
      i += 3;
    } else {
      break;
    }
    count++;
  }
  return { length: i - from, count };
}

function matchPersonal(text: string, start: number): KeyMatch | undefined {
  const bodyStart = start + KINDS.personal.prefix.length;
  const bodyLength = runLength(text, bodyStart, BASE64, MAX_PERSONAL_BODY + 1);
  if (bodyLength === 0 || bodyLength > MAX_PERSONAL_BODY) return undefined;
  const body = text.slice(bodyStart, bodyStart + bodyLength);
  const pad = paddingAt(text, bodyStart + bodyLength);
  const end = bodyStart + bodyLength + pad.length;
  if (!isRightBoundary(text, end)) return undefined;
  if ((bodyLength + pad.count) % 4 !== 0 && pad.count > 0) return undefined;
  const decoded = decodeCanonicalBase64(body);
  if (decoded === undefined) return undefined;
  const m = DECODED_PERSONAL.exec(decoded);
  if (!m) return undefined;
  if (shannonEntropy(m[3]!) < MIN_HEX_SECRET_ENTROPY) return undefined;
  const padded = body + "=".repeat((4 - (bodyLength % 4)) % 4);
  return {
    kind: "personal",
    start,
    end,
    raw: text.slice(start, end),
    canonical: KINDS.personal.prefix + padded,
    orgId: m[2]!,
    confidence: "high",
  };
}

function matchService(text: string, start: number): KeyMatch | undefined {
  const bodyStart = start + KINDS.service.prefix.length;
  const bodyLength = runLength(text, bodyStart, BASE64, SERVICE_BODY_LENGTH + 1);
  if (bodyLength !== SERVICE_BODY_LENGTH) return undefined;
  const end = bodyStart + bodyLength;
  if (!isRightBoundary(text, end)) return undefined;
  // Base64 of "org-" is "b3JnL"; the sixth character encodes the first hex digit's high bits.
  if (!text.startsWith("b3JnL", bodyStart)) return undefined;
  const sixth = text[bodyStart + 5];
  if (sixth !== "T" && sixth !== "W") return undefined;
  const body = text.slice(bodyStart, end);
  const decoded = decodeCanonicalBase64(body);
  if (decoded === undefined) return undefined;
  const m = DECODED_SERVICE.exec(decoded);
  if (!m) return undefined;
  if (shannonEntropy(m[2]!) < MIN_HEX_SECRET_ENTROPY) return undefined;
  const raw = text.slice(start, end);
  return { kind: "service", start, end, raw, canonical: raw, orgId: m[1]!, confidence: "high" };
}

function matchServiceUser(text: string, start: number): KeyMatch | undefined {
  const bodyStart = start + KINDS["service-user"].prefix.length;
  const bodyLength = runLength(text, bodyStart, BASE32_LOWER, SERVICE_USER_BODY_LENGTH + 1);
  if (bodyLength !== SERVICE_USER_BODY_LENGTH) return undefined;
  const end = bodyStart + bodyLength;
  if (!isRightBoundary(text, end)) return undefined;
  // 52 base32 characters carry 260 bits for 256: the last character's 4 spare bits are zero.
  const last = text[end - 1];
  if (last !== "a" && last !== "q") return undefined;
  const body = text.slice(bodyStart, end);
  // Rejects the vendor's placeholder (52 × "a") and other hand-typed fillers.
  if (shannonEntropy(body) < MIN_BASE32_ENTROPY) return undefined;
  return { kind: "service-user", start, end, raw: text.slice(start, end), canonical: text.slice(start, end), confidence: "high" };
}

const PARANOID_BODY = charTable("A-Za-z0-9+/=%");
const HEX_ONLY = /^[0-9A-Fa-f]+$/;
const LETTERS_ONLY = /^[A-Za-z]+$/;

/** Prefix match of plausible length and entropy, for the day the vendor changes its format. */
function matchParanoid(text: string, start: number, kind: Kind): KeyMatch | undefined {
  const bodyStart = start + KINDS[kind].prefix.length;
  const bodyLength = runLength(text, bodyStart, PARANOID_BODY, MAX_PERSONAL_BODY + 1);
  if (bodyLength < PARANOID_MIN_BODY || bodyLength > MAX_PERSONAL_BODY) return undefined;
  const end = bodyStart + bodyLength;
  if (!isRightBoundary(text, end)) return undefined;
  const body = text.slice(bodyStart, end);
  // Known look-alikes (DESIGN.md: never reported): other products' `cog_` + hex, and names
  // (`apk_user_AuthenticationProviderFactory`): letters alone, where base64 of that length
  // would almost surely hold a digit or a `+`, `/`.
  if (kind === "service-user" && HEX_ONLY.test(body)) return undefined;
  if (LETTERS_ONLY.test(body)) return undefined;
  if (shannonEntropy(body) < PARANOID_MIN_ENTROPY) return undefined;
  const raw = text.slice(start, end);
  return { kind, start, end, raw, canonical: raw, confidence: "low" };
}

export interface MatchOptions {
  /** Also report prefix matches of plausible length and entropy as `confidence: "low"`. */
  readonly paranoid?: boolean;
}

/**
 * Validates a key whose `apk_` or `cog_` literal starts at `start`. Longest prefix wins:
 * `apk_user_` is tried before `apk_`. Returns undefined for anything that is not a key,
 * including decoys such as `apk_version_code` or `cog_before_invoke`.
 */
export function matchKeyAt(text: string, start: number, options: MatchOptions = {}): KeyMatch | undefined {
  MATCH_COST.candidates++;
  if (!isLeftBoundary(text, start)) return undefined;
  let kind: Kind;
  let match: KeyMatch | undefined;
  if (text.startsWith(KINDS.personal.prefix, start)) {
    kind = "personal";
    match = matchPersonal(text, start);
  } else if (text.startsWith(KINDS.service.prefix, start)) {
    kind = "service";
    match = matchService(text, start);
  } else if (text.startsWith(KINDS["service-user"].prefix, start)) {
    kind = "service-user";
    match = matchServiceUser(text, start);
  } else {
    return undefined;
  }
  if (match === undefined && options.paranoid === true) match = matchParanoid(text, start, kind);
  return match;
}

/**
 * All keys in `text`, in order. The literal prefilter (`indexOf` of `apk_` and `cog_`)
 * gates every validation, so the cost is linear in the length of `text`.
 */
export function findKeys(text: string, options: MatchOptions = {}): KeyMatch[] {
  return findKeysInRange(text, 0, text.length, options);
}

/** Like `findKeys`, for keys whose first character lies in `[from, to)`. */
export function findKeysInRange(text: string, from: number, to: number, options: MatchOptions = {}): KeyMatch[] {
  const found: KeyMatch[] = [];
  // Prefixes are searched only up to `to` (a prefix starting before it ends by `to + 3`), so
  // scanning many small ranges of one long text stays linear; keys are validated on `text`.
  const searchEnd = Math.min(text.length, to + 3);
  const haystack = searchEnd === text.length ? text : text.slice(0, searchEnd);
  let nextApk = haystack.indexOf("apk_", from);
  let nextCog = haystack.indexOf("cog_", from);
  while (true) {
    let at: number;
    if (nextApk !== -1 && (nextCog === -1 || nextApk < nextCog)) {
      at = nextApk;
    } else if (nextCog !== -1) {
      at = nextCog;
    } else {
      break;
    }
    if (at >= to) break;
    const match = matchKeyAt(text, at, options);
    let resumeAt = at + 1;
    if (match) {
      found.push(match);
      resumeAt = match.end;
    }
    if (nextApk !== -1 && nextApk < resumeAt) nextApk = haystack.indexOf("apk_", resumeAt);
    if (nextCog !== -1 && nextCog < resumeAt) nextCog = haystack.indexOf("cog_", resumeAt);
  }
  return found;
}

/** Which kind a string's prefix claims, without validating the rest (longest prefix first). */
export function kindOfPrefix(text: string): Kind | undefined {
  if (text.startsWith(KINDS.personal.prefix)) return "personal";
  if (text.startsWith(KINDS.service.prefix)) return "service";
  if (text.startsWith(KINDS["service-user"].prefix)) return "service-user";
  return undefined;
}

/** True when `text` is exactly one key and nothing else. */
export function isKey(text: string, options: MatchOptions = {}): boolean {
  const m = matchKeyAt(text, 0, options);
  return m !== undefined && m.end === text.length;
}
