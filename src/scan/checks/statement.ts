/**
 * Statement segmentation for the text-level checks: which lines of a file belong to the
 * same command or call, whatever the file type, without a parser per language.
 *
 * - A **statement** is a run of lines joined by a trailing `\` (curl, shell), a trailing
 *   `,` (Ruby calls without parentheses), open brackets (Python/Ruby/Go/JS calls and
 *   literals), or an HTTP request line followed by its header lines (`.http`/`.rest`
 *   files, ```http blocks). Blank lines, Markdown fences and `###` separators end it.
 * - A **YAML block** is the mapping a `key: value` line belongs to: its siblings and
 *   their children (by indentation), e.g. `url:` next to `headers: { Authorization: … }`.
 * - A **paragraph** is a run of non-blank lines inside the same fence: Go and Ruby build a
 *   request over several statements (`NewRequest(…)` then `Header.Set(…)`).
 *
 * Everything is linear in the region segmented and bounded: a statement never spans more
 * than `MAX_STATEMENT_LINES` lines, so prose with an unbalanced `(` cannot swallow a file.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Longest statement in lines: far longer than any real curl or call, short enough to stay local. */
export const MAX_STATEMENT_LINES = 80;
/** Paragraphs and YAML blocks are looked for at most this many lines away from their anchor. */
export const MAX_BLOCK_LINES = 60;
/**
 * A statement longer than this (a minified bundle is one line) is only considered
 * `LOCAL_RADIUS` characters around the anchor: pairing a key with a URL 1 MB away means nothing.
 */
export const MAX_STATEMENT_CHARS = 16384;
export const LOCAL_RADIUS = 2048;

const REQUEST_LINE = /^[ \t]*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+\S/;

/** Start of the line holding `index`; `floor` when no line break lies in `[floor, index)`. */
export function lineStartAt(text: string, index: number, floor = 0): number {
  let i = index;
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d) break;
    i--;
  }
  return i;
}

/** End of the line holding `index`; `ceiling` when no line break lies in `[index, ceiling)`. */
export function lineEndAt(text: string, index: number, ceiling = text.length): number {
  let i = index;
  const limit = Math.min(ceiling, text.length);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) break;
    i++;
  }
  return i;
}

/** Start of the next line after a line ending at `end` (skips `\r\n`, `\n` or `\r`). */
function nextLineStart(text: string, end: number): number {
  if (end >= text.length) return text.length;
  if (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a) return end + 2;
  return end + 1;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Leading spaces and tabs. */
function indentOf(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i - start;
}

/** A Markdown fence (```, ~~~) or an `.http` request separator (###) ends any statement. */
function isSeparator(text: string, start: number, end: number): boolean {
  const i = start + indentOf(text, start, end);
  return text.startsWith("```", i) || text.startsWith("~~~", i) || text.startsWith("###", i);
}

/** Last non-blank character of a line, or -1. */
function lastCharOf(text: string, start: number, end: number): number {
  let i = end - 1;
  while (i >= start && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i--;
  return i >= start ? text.charCodeAt(i) : -1;
}

/**
 * Bracket depth change over a line, outside quotes. Quotes never span lines here (an
 * apostrophe in prose must not hide the rest of the file), and closers below zero are ignored.
 */
function depthAfterLine(text: string, start: number, end: number, depth: number): number {
  let quote = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 0x5c /* \ */) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    switch (c) {
      case 0x22: // "
      case 0x27: // '
      case 0x60: // `
        quote = c;
        break;
      case 0x28: // (
      case 0x5b: // [
      case 0x7b: // {
        depth++;
        break;
      case 0x29: // )
      case 0x5d: // ]
      case 0x7d: // }
        if (depth > 0) depth--;
        break;
    }
  }
  return depth;
}

/**
 * The statements of `text[from, to)`, in order. `from` is moved back to a line start.
 * Lines that are blank or separators belong to no statement.
 */
export function segmentStatements(text: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  let ls = lineStartAt(text, from);
  let current = -1;
  let currentEnd = -1;
  let lines = 0;
  let depth = 0;
  let continues = false;
  let httpBlock = false;
  const close = (): void => {
    if (current !== -1) spans.push({ start: current, end: currentEnd });
    current = -1;
    depth = 0;
    continues = false;
    httpBlock = false;
    lines = 0;
  };
  while (ls < to) {
    const le = lineEndAt(text, ls);
    if (isBlank(text, ls, le) || isSeparator(text, ls, le)) {
      close();
    } else {
      if (!continues || lines >= MAX_STATEMENT_LINES) close();
      if (current === -1) {
        current = ls;
        httpBlock = REQUEST_LINE.test(text.slice(ls, Math.min(le, ls + 16)));
      }
      currentEnd = le;
      lines++;
      depth = depthAfterLine(text, ls, le, depth);
      const last = lastCharOf(text, ls, le);
      continues = httpBlock || depth > 0 || last === 0x5c /* \ */ || last === 0x2c; /* , */
    }
    if (le >= text.length) break;
    ls = nextLineStart(text, le);
  }
  close();
  return spans;
}

/** The span in sorted, disjoint `spans` that contains `index`, if any. */
export function spanContaining(spans: readonly Span[], index: number): Span | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (index < s.start) hi = mid - 1;
    else if (index >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Clips a very long statement (a minified line) to the neighbourhood of `anchor`. */
export function localise(span: Span, anchor: number): Span {
  if (span.end - span.start <= MAX_STATEMENT_CHARS) return span;
  return { start: Math.max(span.start, anchor - LOCAL_RADIUS), end: Math.min(span.end, anchor + LOCAL_RADIUS) };
}

/**
 * The characters around `index` that a block may cover: `MAX_STATEMENT_CHARS` either side.
 * On a line longer than `LOCAL_RADIUS` either side (a minified bundle), only the neighbourhood:
 * each call then costs a bounded amount however many anchors a long line holds.
 */
function blockBounds(text: string, index: number): { lo: number; hi: number; ls: number; le: number; long: boolean } {
  const lo = Math.max(0, index - MAX_STATEMENT_CHARS);
  const hi = Math.min(text.length, index + MAX_STATEMENT_CHARS);
  const nearLo = Math.max(0, index - LOCAL_RADIUS);
  const nearHi = Math.min(text.length, index + LOCAL_RADIUS);
  const ls = lineStartAt(text, index, nearLo);
  const le = lineEndAt(text, index, nearHi);
  const long = (ls === nearLo && nearLo > 0) || (le === nearHi && nearHi < text.length);
  return { lo, hi, ls, le, long };
}

function previousLineEnd(text: string, start: number): number {
  return start - (text.charCodeAt(start - 1) === 0x0a && text.charCodeAt(start - 2) === 0x0d ? 2 : 1);
}

/** The run of non-blank lines around `index`, bounded by fences, separators, `MAX_BLOCK_LINES` and `MAX_STATEMENT_CHARS`. */
export function paragraphAround(text: string, index: number): Span {
  const { lo, hi, ls, le, long } = blockBounds(text, index);
  if (long) return { start: ls, end: le };
  let start = ls;
  for (let n = 0; n < MAX_BLOCK_LINES && start > lo; n++) {
    const prevEnd = previousLineEnd(text, start);
    const prevStart = lineStartAt(text, prevEnd, lo);
    if (prevStart === lo && lo > 0) break;
    if (isBlank(text, prevStart, prevEnd) || isSeparator(text, prevStart, prevEnd)) break;
    start = prevStart;
  }
  let end = le;
  for (let n = 0; n < MAX_BLOCK_LINES && end < hi; n++) {
    const nextStart = nextLineStart(text, end);
    const nextEnd = lineEndAt(text, nextStart, hi);
    if (nextEnd === hi && hi < text.length) break;
    if (isBlank(text, nextStart, nextEnd) || isSeparator(text, nextStart, nextEnd)) break;
    end = nextEnd;
  }
  return localise({ start, end }, index);
}

/** `key: value` (YAML, or a JSON member) whose value starts at `valueStart` on the same line. */
const MAPPING_LINE = /^[ \t]*(-[ \t]+)?["']?[A-Za-z_][\w.-]*["']?[ \t]*:[ \t]*["']?(?:https?:)?(?:\/\/)?$/;

/**
 * When `index` is in the value of a `key: value` line, the mapping that line belongs to:
 * every sibling line (same or deeper indentation) with its children. Undefined otherwise.
 */
export function yamlBlockAround(text: string, index: number): Span | undefined {
  // Cheap refusal first: a `key: value` line has its key within 200 characters of the value.
  const near = lineStartAt(text, index, Math.max(0, index - 201));
  if (index - near > 200) return undefined;
  const { lo, hi, ls, le, long } = blockBounds(text, index);
  if (long) return undefined;
  const m = MAPPING_LINE.exec(text.slice(ls, index));
  if (m === null) return undefined;
  const indent = indentOf(text, ls, le);
  const column = indent + (m[1]?.length ?? 0);
  let start = ls;
  if (m[1] === undefined) {
    for (let n = 0; n < MAX_BLOCK_LINES && start > lo; n++) {
      const prevEnd = previousLineEnd(text, start);
      const prevStart = lineStartAt(text, prevEnd, lo);
      if (prevStart === lo && lo > 0) break;
      if (isBlank(text, prevStart, prevEnd)) {
        start = prevStart;
        continue;
      }
      const prevIndent = indentOf(text, prevStart, prevEnd);
      if (prevIndent >= column) {
        start = prevStart;
        continue;
      }
      // `- name: x` opening the list item whose content column is ours: a sibling, and the first.
      if (text.charCodeAt(prevStart + prevIndent) === 0x2d /* - */) {
        const dash = /^-[ \t]+/.exec(text.slice(prevStart + prevIndent, Math.min(prevEnd, prevStart + prevIndent + 16)));
        if (dash !== null && prevIndent + dash[0].length === column) start = prevStart;
      }
      break;
    }
  }
  let end = le;
  let cursor = le;
  for (let n = 0; n < MAX_BLOCK_LINES && cursor < hi; n++) {
    const nextStart = nextLineStart(text, cursor);
    const nextEnd = lineEndAt(text, nextStart, hi);
    cursor = nextEnd;
    if (nextEnd === hi && hi < text.length) break;
    if (isBlank(text, nextStart, nextEnd)) continue;
    if (indentOf(text, nextStart, nextEnd) < column || isSeparator(text, nextStart, nextEnd)) break;
    end = nextEnd;
    if (nextEnd >= text.length) break;
  }
  while (start < ls && isBlank(text, start, lineEndAt(text, start, ls))) start = nextLineStart(text, lineEndAt(text, start, ls));
  return localise({ start, end }, index);
}
