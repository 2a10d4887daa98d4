import { API_HOST, parseDevinUrl, type DevinUrl } from "../../grammar/index.js";
import {
  localise,
  paragraphAround,
  segmentStatements,
  spanContaining,
  yamlBlockAround,
  type Span,
} from "./statement.js";

/**
 * `api.devin.ai` URLs in a chunk, with the spans of text that belong to the same request:
 * the statement, the YAML mapping and the paragraph around each. Shared by the three
 * text-level checks; one entry is cached because they run one after another on the same chunk.
 */

export interface DevinUrlOccurrence {
  /** Index of the URL's first character (the scheme when written, else the host). */
  readonly start: number;
  /** Index of the `/` that starts the path, or -1 when the URL has no path. */
  readonly pathStart: number;
  /** One past the last character of the path (escaped `\/` included). */
  readonly end: number;
  /** The path with `\/` unescaped, `/` when there is none. */
  readonly path: string;
  /** True when the path was cut by a template placeholder (`{version}`, `${V}`, `%s`). */
  readonly templated: boolean;
  readonly parsed: DevinUrl;
  readonly statement: Span;
  readonly yaml: Span | undefined;
  readonly paragraph: Span;
}

/** How far outside `[from, to)` URLs are still looked at: a key's statement can reach back or ahead. */
export const URL_CONTEXT_BEFORE = 4096;
export const URL_CONTEXT_AFTER = 8192;
/** Longest path read after the host. */
const MAX_PATH = 512;

const HOST_LEFT_FORBIDDEN = /[A-Za-z0-9.-]/;

/** Characters that end a URL path in prose, code and config. */
function endsPath(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0x22 || // "
    c === 0x27 || // '
    c === 0x60 || // `
    c === 0x3c || // <
    c === 0x3e || // >
    c === 0x28 || // (
    c === 0x29 || // )
    c === 0x5b || // [
    c === 0x5d || // ]
    c === 0x7c || // |
    c === 0x2c || // ,
    c === 0x3b || // ;
    c === 0x3f || // ?
    c === 0x23 // #
  );
}

/** Placeholders: the version may be filled in at run time. */
function isTemplateChar(c: number): boolean {
  return c === 0x7b /* { */ || c === 0x24 /* $ */ || c === 0x25 /* % */ || c === 0x7d; /* } */
}

/** Parses the URL whose host starts at `hostAt`; undefined when the host is not exactly `api.devin.ai`. */
export function readDevinUrl(text: string, hostAt: number): Omit<DevinUrlOccurrence, "statement" | "yaml" | "paragraph"> | undefined {
  if (hostAt > 0 && HOST_LEFT_FORBIDDEN.test(text[hostAt - 1]!)) return undefined;
  let i = hostAt + API_HOST.length;
  // Port.
  if (text.charCodeAt(i) === 0x3a /* : */) {
    let j = i + 1;
    while (j < text.length && j < i + 7 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    if (j > i + 1) i = j;
  }
  const next = text.charCodeAt(i);
  let start = hostAt;
  for (const scheme of ["https://", "http://", "https:\\/\\/", "//"]) {
    if (text.startsWith(scheme, hostAt - scheme.length)) {
      start = hostAt - scheme.length;
      break;
    }
  }
  const escapedSlash = next === 0x5c && text.charCodeAt(i + 1) === 0x2f;
  if (next !== 0x2f && !escapedSlash) {
    // `api.devin.aiX` or `api.devin.ai.example.com` is another host; anything else is a base URL.
    if (/[A-Za-z0-9_-]/.test(text[i] ?? "") || (next === 0x2e && /[A-Za-z0-9]/.test(text[i + 1] ?? ""))) return undefined;
    const parsed = parseDevinUrl(`https://${API_HOST}/`)!;
    return { start, pathStart: -1, end: i, path: "/", templated: false, parsed };
  }
  const pathStart = i;
  let path = "";
  let templated = false;
  const limit = Math.min(text.length, pathStart + MAX_PATH);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      if (text.charCodeAt(i + 1) === 0x2f) {
        path += "/";
        i += 2;
        continue;
      }
      break;
    }
    if (isTemplateChar(c)) {
      templated = true;
      break;
    }
    if (endsPath(c)) break;
    path += text[i];
    i++;
  }
  const parsed = parseDevinUrl(`https://${API_HOST}${path}`)!;
  return { start, pathStart, end: i, path, templated, parsed };
}

interface CacheEntry {
  text: string;
  from: number;
  to: number;
  urls: DevinUrlOccurrence[];
}
let cache: CacheEntry | undefined;

/**
 * Devin URLs whose host lies in `[from - URL_CONTEXT_BEFORE, to + URL_CONTEXT_AFTER)`.
 * Costs one `indexOf` pass when the chunk names no `api.devin.ai`.
 */
export function devinUrlsAround(text: string, from: number, to: number): DevinUrlOccurrence[] {
  if (cache !== undefined && cache.from === from && cache.to === to && cache.text === text) return cache.urls;
  const lo = Math.max(0, from - URL_CONTEXT_BEFORE);
  const hi = Math.min(text.length, to + URL_CONTEXT_AFTER);
  const urls: DevinUrlOccurrence[] = [];
  let at = text.indexOf(API_HOST, lo);
  if (at !== -1 && at < hi) {
    const statements = segmentStatements(text, lo, hi);
    for (; at !== -1 && at < hi; at = text.indexOf(API_HOST, at + API_HOST.length)) {
      const url = readDevinUrl(text, at);
      if (url === undefined) continue;
      const hostAt = at;
      const inStatement = spanContaining(statements, hostAt);
      let yaml: Span | undefined | null = null;
      let paragraph: Span | undefined;
      // The mapping and the paragraph are only worked out when a check asks (most never do).
      urls.push({
        ...url,
        statement: localise(inStatement ?? { start: hostAt, end: url.end }, hostAt),
        get yaml() {
          if (yaml === null) yaml = yamlBlockAround(text, url.start);
          return yaml;
        },
        get paragraph() {
          paragraph ??= paragraphAround(text, hostAt);
          return paragraph;
        },
      });
    }
  }
  cache = { text, from, to, urls };
  return urls;
}

export function within(span: Span | undefined, index: number): boolean {
  return span !== undefined && index >= span.start && index < span.end;
}

/** True when `index` belongs to the same statement or YAML mapping as the URL. */
export function sameRequest(url: DevinUrlOccurrence, index: number): boolean {
  return within(url.statement, index) || within(url.yaml, index);
}

/** The vendor's domain (`devin.ai`): its hosts (`api.`, `docs.`, `app.`) are not "another host". */
const DEVIN_DOMAIN = API_HOST.slice(API_HOST.indexOf(".") + 1);
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})/;

/** How many `://` were looked at: tests read it to prove the pairing checks linear (a count, not a timing). */
export const HOST_SCAN_COST = { urls: 0 };

/** True when the `://` at `at` is that of a URL (any scheme) of a host that is not Devin's (`*.devin.ai`, any case). */
function otherHostUrlAt(text: string, at: number): boolean {
  HOST_SCAN_COST.urls++;
  let s = at;
  while (s > 0 && s > at - 32 && SCHEME_CHAR.test(text[s - 1]!)) s--;
  if (s === at || !/[A-Za-z]/.test(text[s]!)) return false;
  const host = HOST.exec(text.slice(at + 3, at + 3 + 256))?.[0].toLowerCase().replace(/\.+$/, "");
  return host !== undefined && host !== DEVIN_DOMAIN && !host.endsWith(`.${DEVIN_DOMAIN}`);
}

/** Where the text names URLs of other hosts (their `://`), in order; one pass per text, kept for the next question. */
let hostCache: { readonly text: string; readonly at: readonly number[] } | undefined;
function otherHosts(text: string): readonly number[] {
  if (hostCache !== undefined && hostCache.text === text) return hostCache.at;
  const at: number[] = [];
  for (let i = text.indexOf("://"); i !== -1; i = text.indexOf("://", i + 3)) if (otherHostUrlAt(text, i)) at.push(i);
  hostCache = { text, at };
  return at;
}

/**
 * True when `text[start, end)` holds a URL of another host (`https://example.com`; not
 * `https://api.devin.ai`, `docs.devin.ai`). A binary search in `otherHosts`: however many
 * keys and URLs a text pairs, the URLs are looked for once.
 */
function namesAnotherHost(text: string, start: number, end: number): boolean {
  const at = otherHosts(text);
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < at.length && at[lo]! < end;
}

/**
 * True when the statement holding `index` names a URL of another host: what is there belongs to
 * that request, so a Devin URL in the same paragraph (a request on the next line) does not claim it.
 */
export function statementNamesAnotherHost(text: string, index: number): boolean {
  const lo = Math.max(0, index - URL_CONTEXT_BEFORE);
  const hi = Math.min(text.length, index + URL_CONTEXT_AFTER);
  const span = spanContaining(segmentStatements(text, lo, hi), index);
  if (span === undefined) return false;
  const local = localise(span, index);
  return namesAnotherHost(text, local.start, local.end);
}

/**
 * True when a URL of another host lies between the Devin `url` and `index` (a header or key after
 * it): what is at `index` belongs to the nearer request (`gh.Header.Set(…)` after a GitHub
 * request, in a Go function that also calls Devin).
 */
export function anotherHostBetween(text: string, url: DevinUrlOccurrence, index: number): boolean {
  return url.end < index && namesAnotherHost(text, url.end, index);
}

/** True when the paragraph of `url` (a Devin URL) also names another host: it may be that host's request. */
export function paragraphNamesAnotherHost(text: string, url: DevinUrlOccurrence): boolean {
  return namesAnotherHost(text, url.paragraph.start, url.paragraph.end);
}

/** Furthest a URL's statement, mapping or paragraph reaches from the URL (see statement.ts bounds). */
const REACH = 2 * 16384 + 1024;

/**
 * The URL whose request `index` belongs to: the same statement or mapping first, else the same
 * paragraph. `urls` are in text order; only URLs within reach are looked at, nearest first.
 */
export function requestAt(urls: readonly DevinUrlOccurrence[], index: number): DevinUrlOccurrence | undefined {
  let lo = 0;
  let hi = urls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (urls[mid]!.start <= index) lo = mid + 1;
    else hi = mid;
  }
  for (const test of [sameRequest, (u: DevinUrlOccurrence, i: number) => within(u.paragraph, i)]) {
    let before = lo - 1;
    let after = lo;
    while (before >= 0 || after < urls.length) {
      const b = before >= 0 ? urls[before]! : undefined;
      const a = after < urls.length ? urls[after]! : undefined;
      const bFar = b === undefined || index - b.start > REACH;
      const aFar = a === undefined || a.start - index > REACH;
      if (bFar && aFar) break;
      if (!bFar && (aFar || index - b!.start <= a!.start - index)) {
        if (test(b!, index)) return b;
        before--;
      } else {
        if (test(a!, index)) return a;
        after++;
      }
    }
  }
  return undefined;
}

