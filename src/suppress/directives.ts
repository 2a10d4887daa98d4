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
