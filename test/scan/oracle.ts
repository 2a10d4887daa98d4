import { findKeys } from "../../src/grammar/keys.js";

/**
 * Expected findings for a text, computed the simple way: the whole text at once, line
 * and column counted on the JS string (UTF-16 code units; lines break at \r\n, \r, \n).
 * Independent of the scanner's chunking and of src/scan/positions.ts.
 */
export interface Expected {
  kind: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** Positions of `needles` (each found once, in order) in `text`. */
export function expectedAt(text: string, needles: readonly { key: string; kind: string }[]): Expected[] {
  let from = 0;
  return needles.map(({ key, kind }) => {
    const start = text.indexOf(key, from);
    if (start === -1) throw new Error("needle not in text");
    from = start + key.length;
    const a = positionOf(text, start);
    const b = positionOf(text, start + key.length);
    return { kind, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  });
}

/** Expected findings for every key the grammar finds in the whole text. */
export function expectedFindings(text: string): Expected[] {
  return findKeys(text).map((m) => {
    const a = positionOf(text, m.start);
    const b = positionOf(text, m.end);
    return { kind: m.kind, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  });
}

export function simplify(findings: readonly { kind?: string; line: number; column: number; endLine: number; endColumn: number }[]): Expected[] {
  return findings.map((f) => ({ kind: f.kind ?? "", line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }));
}
