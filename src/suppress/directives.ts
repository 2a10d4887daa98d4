/**
 * Inline ignore comments, shared by the scanner and the ESLint rules:
 *
 *   const key = "…"; // devin-keyscan-ignore: documented test key
 *   # devin-keyscan-ignore-next-line: rotated on 2026-11-01
 *
 * Recognised in any comment syntax: `//`, `#`, `/* *\/`, `<!-- -->`, `--`, `;`.
 */

export const IGNORE_DIRECTIVE = "devin-keyscan-ignore";

export interface IgnoreDirective {
  /** `true` for `devin-keyscan-ignore-next-line`, which applies to the following line. */
  readonly nextLine: boolean;
  /** Text after a colon, trimmed; undefined when none was given. */
  readonly reason?: string;
}

const DIRECTIVE = /(?:\/\/|#|\/\*|<!--|--|;)[ \t*]*devin-keyscan-ignore(-next-line)?(?![\w-])(?:[ \t]*:[ \t]*((?:(?!\*\/|-->).)*))?/;

/** The directive in one line of text, if the line has one inside a comment. */
export function parseIgnoreDirective(line: string): IgnoreDirective | undefined {
  if (!line.includes(IGNORE_DIRECTIVE)) return undefined;
  const m = DIRECTIVE.exec(line);
  if (!m) return undefined;
  const reason = m[2]?.trim();
  return { nextLine: m[1] !== undefined, ...(reason ? { reason } : {}) };
}

/**
 * How far from a key, on its own line and on the line before, a directive is looked for.
 * Lines in minified files can be megabytes long; the scanner keeps at least this much
 * text around every key (`LOOKBEHIND`, `OVERLAP`), and the search stays cheap.
 */
export const DIRECTIVE_REACH = 4096;

export interface DirectiveAt extends IgnoreDirective {
  /** Which line carries the comment, relative to the key: 0 the same line, -1 the one before. */
  readonly lineOffset: 0 | -1;
}

function isBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d;
}

/** Start of the line holding `index`, looking back at most `DIRECTIVE_REACH` characters. */
function lineStart(text: string, index: number): number {
  const stop = Math.max(0, index - DIRECTIVE_REACH);
  let i = index;
  while (i > stop && !isBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/**
 * The ignore directive that covers a key at `[start, end)` of `text`: a
 * `devin-keyscan-ignore` comment on the key's line, or a `devin-keyscan-ignore-next-line`
 * comment on the line before. Only text within `DIRECTIVE_REACH` of the key is read.
 */
export function ignoreDirectiveFor(text: string, start: number, end: number): DirectiveAt | undefined {
  const from = lineStart(text, start);
  const limit = Math.min(text.length, end + DIRECTIVE_REACH);
  let to = end;
  while (to < limit && !isBreak(text.charCodeAt(to))) to++;
  const same = parseIgnoreDirective(text.slice(from, to));
  if (same && !same.nextLine) return { ...same, lineOffset: 0 };
  if (from === 0 || !isBreak(text.charCodeAt(from - 1))) return undefined;
  // Step over the break (`\r\n` counts as one) to the end of the previous line.
  let prevEnd = from - 1;
  if (text.charCodeAt(prevEnd) === 0x0a && prevEnd > 0 && text.charCodeAt(prevEnd - 1) === 0x0d) prevEnd--;
  const prev = parseIgnoreDirective(text.slice(lineStart(text, prevEnd), prevEnd));
  if (prev && prev.nextLine) return { ...prev, lineOffset: -1 };
  return undefined;
}
