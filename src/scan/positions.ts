/**
 * Maps offsets in a stream of text chunks to 1-based line and column.
 *
 * Lines break at `\n`, `\r\n` and a lone `\r` (as ESLint counts them). Columns count
 * UTF-16 code units, as ESLint and SARIF do. In `bytes` mode the text is raw bytes read
 * as latin1, and a column counts the UTF-16 units the UTF-8 bytes decode to (a
 * continuation byte adds nothing; a 4-byte sequence adds two).
 *
 * Queries must be monotonic: the tracker only moves forward, so the total cost over a
 * file is linear however many findings it has.
 */
import type { TextMode } from "../sources/encoding.js";
export type { TextMode };

export interface Position {
  line: number;
  column: number;
}

const LINE_BREAK = /\r\n|\r|\n/g;
const NON_ASCII = /[\x80-\xff]/;

export class PositionTracker {
  private line = 1;
  /** Index in the current text from which `anchorColumn` counts. */
  private anchor = 0;
  private anchorColumn = 1;
  /** Everything before `scanned` has had its line breaks counted. */
  private scanned = 0;
  /**
   * First `\n` and `\r` at or after `scanned` in the current text (-1: none), or undefined
   * until searched. Cached so that many queries on one long line stay linear; reset by `rebase`.
   */
  private nextLf: number | undefined;
  private nextCr: number | undefined;

  constructor(private readonly mode: TextMode) {}

  /**
   * Position of `index` in `text`. Queries are expected in increasing order; one behind the
   * last (a hit that ended past where the previous chunk's scan stopped, then the rebase
   * point or a hit starting inside it) is answered without moving the tracker.
   */
  positionOf(text: string, index: number): Position {
    this.settle();
    if (index < this.anchor) return this.positionBehind(text, index);
    this.countBreaks(text, index);
    const column = this.anchorColumn + this.width(text, this.anchor, index);
    this.anchor = index;
    this.anchorColumn = column;
    return { line: this.line, column };
  }

  /**
   * The next text will be `text.slice(shift)` followed by new data. `upTo` (≥ shift) is
   * where scanning stopped; line breaks before it are counted before the next position or
   * rebase (`text` is kept until then).
   */
  rebase(text: string, upTo: number, shift: number): void {
    this.settle();
    // A unit without findings (nearly all) never asks for a position: its last chunk is never
    // counted. Only the latest text is kept (one chunk).
    this.pending = { text, upTo, shift };
  }

  private pending: { readonly text: string; readonly upTo: number; readonly shift: number } | undefined;

  /** Counts the line breaks a `rebase` left pending. */
  private settle(): void {
    if (this.pending === undefined) return;
    const { text, shift } = this.pending;
    let { upTo } = this.pending;
    this.pending = undefined;
    // Never anchor inside a UTF-8 sequence: its bytes would be counted as invalid on each side.
    for (let i = 0; i < 3 && upTo > shift && (text.charCodeAt(upTo) & 0xc0) === 0x80; i++) upTo--;
    this.positionOf(text, upTo);
    this.anchor -= shift;
    this.scanned -= shift;
    this.nextLf = undefined;
    this.nextCr = undefined;
  }

  private positionBehind(text: string, index: number): Position {
    const breaks = text.slice(index, this.anchor).match(LINE_BREAK)?.length ?? 0;
    if (breaks === 0) return { line: this.line, column: this.anchorColumn - this.width(text, index, this.anchor) };
    // On an earlier line: count from that line's start.
    let start = index;
    while (start > 0 && text.charCodeAt(start - 1) !== 0x0a && text.charCodeAt(start - 1) !== 0x0d) start--;
    return { line: this.line - breaks, column: 1 + this.width(text, start, index) };
  }

  private countBreaks(text: string, index: number): void {
    if (index <= this.scanned) return;
    if (this.nextCr === undefined || (this.nextCr !== -1 && this.nextCr < this.scanned)) this.nextCr = text.indexOf("\r", this.scanned);
    if (this.nextCr === -1 || this.nextCr >= index) {
      // Only `\n` breaks before `index` (the usual case): `indexOf` is far faster than the regex.
      let lf = this.nextLf === undefined || (this.nextLf !== -1 && this.nextLf < this.scanned) ? text.indexOf("\n", this.scanned) : this.nextLf;
      while (lf !== -1 && lf < index) {
        this.line++;
        this.anchor = lf + 1;
        this.anchorColumn = 1;
        lf = text.indexOf("\n", lf + 1);
      }
      this.nextLf = lf;
      this.scanned = index;
      return;
    }
    LINE_BREAK.lastIndex = this.scanned;
    let m: RegExpExecArray | null;
    while ((m = LINE_BREAK.exec(text)) !== null) {
      const end = m.index + m[0].length;
      if (end > index) break;
      this.line++;
      this.anchor = end;
      this.anchorColumn = 1;
    }
    this.scanned = index;
  }

  private width(text: string, from: number, to: number): number {
    if (to <= from) return 0;
    if (this.mode === "utf16") return to - from;
    const slice = text.slice(from, to);
    if (!NON_ASCII.test(slice)) return slice.length;
    return utf16Length(slice);
  }
}

/**
 * How many UTF-16 code units the UTF-8 bytes in `bytes` (a latin1 string) decode to, with
 * the WHATWG decoder's error handling (what an editor or ESLint shows): each invalid byte or
 * truncated sequence is one U+FFFD, so a Latin-1 or Windows-1252 byte counts as one column.
 */
export function utf16Length(bytes: string): number {
  let n = 0;
  let need = 0;
  let units = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (need === 0) {
      if (b < 0x80) n++;
      else if (b >= 0xc2 && b <= 0xdf) (need = 1), (units = 1);
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        units = 1;
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        units = 2;
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
      } else n++;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one U+FFFD; this byte starts afresh.
      n++;
      need = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    if (--need === 0) n += units;
  }
  return need > 0 ? n + 1 : n;
}
