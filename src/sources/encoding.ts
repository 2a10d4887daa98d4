import { TextDecoder } from "node:util";

/**
 * How the bytes of a unit are turned into text, decided once from the first block
 * (as ripgrep does at the boundary where bytes come in).
 */
/**
 * How the scanner reads a decoded chunk: `bytes` is raw UTF-8 read as latin1 (columns are
 * computed from the UTF-8 sequences), `utf16` is real text (a column is a code unit).
 */
export type TextMode = "bytes" | "utf16";

export type Encoding = "utf8" | "utf16le" | "utf16be" | "binary";

/** Bytes inspected for the binary and UTF-16 checks. */
export const SNIFF_BYTES = 8192;

export interface Sniffed {
  readonly encoding: Encoding;
  /** Length of the byte-order mark to drop. */
  readonly bomLength: number;
}

/**
 * Bytes after a UTF-16 BOM that must hold a NUL for the BOM to be believed: UTF-16 text with any
 * ASCII in it (a space, a line break, a key) has NULs, so `FF FE` glued before plain text to hide
 * a key from the scanner does not turn that text into CJK.
 */
const BOM_PLAUSIBILITY_BYTES = 16;

function plausibleUtf16(head: Buffer): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  return n < 2 + BOM_PLAUSIBILITY_BYTES || head.subarray(2, n).indexOf(0) !== -1;
}

export function sniff(head: Buffer): Sniffed {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf8", bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && plausibleUtf16(head)) return { encoding: "utf16le", bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff && plausibleUtf16(head)) return { encoding: "utf16be", bomLength: 2 };
  const n = Math.min(head.length, SNIFF_BYTES);
  // (No subarray for the usual small file: one Buffer object fewer per file.)
  const nul = n === head.length ? head.indexOf(0) : head.subarray(0, n).indexOf(0);
  if (nul === -1) return { encoding: "utf8", bomLength: 0 };
  // No BOM but NULs: UTF-16 text of mostly ASCII has a NUL in every other byte.
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i + 1 < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = Math.floor(n / 2);
  if (pairs >= 2) {
    if (oddZero >= pairs * 0.9 && evenZero <= pairs * 0.1) return { encoding: "utf16le", bomLength: 0 };
    if (evenZero >= pairs * 0.9 && oddZero <= pairs * 0.1) return { encoding: "utf16be", bomLength: 0 };
  }
  return { encoding: "binary", bomLength: 0 };
}

/** Streaming bytes → text for the scanner. */
export class ChunkDecoder {
  readonly mode: TextMode;
  private readonly utf16: TextDecoder | undefined;
  private odd: Buffer | undefined;

  constructor(private readonly encoding: Exclude<Encoding, "binary">) {
    this.mode = encoding === "utf8" ? "bytes" : "utf16";
    this.utf16 = encoding === "utf8" ? undefined : new TextDecoder("utf-16le", { ignoreBOM: true });
  }

  decode(chunk: Buffer, final: boolean): string {
    if (this.encoding === "utf8") return chunk.toString("latin1");
    let bytes = chunk;
    if (this.encoding === "utf16be") {
      if (this.odd) {
        bytes = Buffer.concat([this.odd, bytes]);
        this.odd = undefined;
      }
      const even = bytes.length - (bytes.length % 2);
      if (even < bytes.length) this.odd = Buffer.from(bytes.subarray(even));
      bytes = Buffer.from(bytes.subarray(0, even)).swap16();
    }
    return this.utf16!.decode(bytes, { stream: !final });
  }
}
