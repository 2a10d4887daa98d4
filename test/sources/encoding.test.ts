import { describe, expect, it } from "vitest";
import { ChunkDecoder, sniff } from "../../src/sources/encoding.js";

describe("sniff", () => {
  it("recognises byte-order marks", () => {
    expect(sniff(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: "utf8", bomLength: 3 });
    expect(sniff(Buffer.from([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: "utf16le", bomLength: 2 });
    expect(sniff(Buffer.from([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: "utf16be", bomLength: 2 });
  });

  it("reads text without NUL bytes as UTF-8, even when it is not valid UTF-8", () => {
    expect(sniff(Buffer.from("plain text\n"))).toEqual({ encoding: "utf8", bomLength: 0 });
    expect(sniff(Buffer.from([0x61, 0xff, 0xc3, 0x28, 0x80]))).toEqual({ encoding: "utf8", bomLength: 0 });
    expect(sniff(Buffer.alloc(0))).toEqual({ encoding: "utf8", bomLength: 0 });
  });

  it("recognises UTF-16 without a BOM by its NUL bytes, and anything else with NULs as binary", () => {
    expect(sniff(Buffer.from("hello, world\r\n", "utf16le")).encoding).toBe("utf16le");
    expect(sniff(Buffer.from("hello, world\r\n", "utf16le").swap16()).encoding).toBe("utf16be");
    expect(sniff(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])).encoding).toBe("binary");
    expect(sniff(Buffer.from("text with one \u0000 NUL in the middle of it")).encoding).toBe("binary");
  });
});

describe("ChunkDecoder", () => {
  it("decodes UTF-16 BE split at odd byte offsets and inside surrogate pairs", () => {
    const text = "a🔑b日\r\nc";
    const bytes = Buffer.from(text, "utf16le").swap16();
    for (let size = 1; size <= 5; size++) {
      const d = new ChunkDecoder("utf16be");
      let out = "";
      for (let i = 0; i < bytes.length; i += size) out += d.decode(bytes.subarray(i, i + size), false);
      out += d.decode(Buffer.alloc(0), true);
      expect(out, `chunk size ${size}`).toBe(text);
    }
  });

  it("keeps UTF-8 as bytes (latin1), so a chunk boundary never splits a character", () => {
    const d = new ChunkDecoder("utf8");
    expect(d.mode).toBe("bytes");
    expect(d.decode(Buffer.from("é"), false)).toBe("\u00c3\u00a9");
    expect(new ChunkDecoder("utf16le").mode).toBe("utf16");
  });
});
