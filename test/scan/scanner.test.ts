import { describe, expect, it } from "vitest";
import { keyOfKind, personalKey, seededRng, serviceKey, serviceUserKey, type Rng } from "../../src/grammar/synthetic.js";
import type { Kind } from "../../src/grammar/kinds.js";
import { detectKeys } from "../../src/scan/keys.js";
import { LOOKBEHIND, OVERLAP, scanByteChunks, TextScanner } from "../../src/scan/scanner.js";
import { SECRET } from "../../src/scan/types.js";
import { READ_CHUNK } from "../../src/sources/file.js";
import { expectedAt, expectedFindings, positionOf, simplify } from "./oracle.js";

const options = { detectors: [detectKeys] };
const KINDS: Kind[] = ["personal", "service", "service-user"];

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function scanBytes(bytes: Buffer, chunkSize = bytes.length || 1) {
  const outcome = await scanByteChunks("t.txt", splitEvery(bytes, chunkSize), options);
  if (outcome.status !== "scanned") throw new Error(`not scanned: ${outcome.status}`);
  return outcome.findings;
}

/** Text with keys of every kind among filler lines; `eol` is the line break. */
function textWithKeys(rng: Rng, lines: number, eol: string, keyEvery = 37): string {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % keyEvery === 5) parts.push(`KEY_${i}=${keyOfKind(rng, KINDS[i % 3]!)} # kind ${i % 3}`);
    else parts.push(`line ${i}: ${"lorem ipsum dolor sit amet ".repeat(1 + (i % 4))}apk_version_code cog_unload`);
  }
  return parts.join(eol) + eol;
}

describe("TextScanner chunking", () => {
  it("keeps more overlap than the longest key", async () => {
    const { MAX_KEY_LENGTH } = await import("../../src/grammar/keys.js");
    expect(OVERLAP).toBeGreaterThan(MAX_KEY_LENGTH);
    expect(LOOKBEHIND).toBeGreaterThan(0);
  });

  it("finds the same keys at the same positions whatever the chunk size", async () => {
    const rng = seededRng(11);
    const text = textWithKeys(rng, 3000, "\n");
    const bytes = Buffer.from(text, "utf8");
    const expected = expectedFindings(text);
    expect(expected.length).toBeGreaterThan(60);
    for (const size of [bytes.length, 65536, 9001, 8192 + 1, 4099, 997]) {
      expect(simplify(await scanBytes(bytes, size)), `chunk size ${size}`).toEqual(expected);
    }
  });

  const LINE = `${"lorem ipsum dolor sit amet ".repeat(4)}\n`;

  it("finds a key cut by the 1 MiB read-chunk boundary or the scan boundary, at every offset around it", async () => {
    const rng = seededRng(12);
    // The read boundary (where one 1 MiB chunk ends) and the scan boundary (where the first
    // chunk's scan stops, OVERLAP before its end; the rest is carried over).
    for (const cut of [READ_CHUNK, READ_CHUNK - OVERLAP]) {
      for (const kind of KINDS) {
        const key = keyOfKind(rng, kind);
        for (let d = -2; d <= key.length + 2; d += kind === "personal" ? 9 : 4) {
          const start = cut - key.length + d;
          const lines = Math.floor(start / LINE.length);
          const head = LINE.repeat(lines) + " ".repeat(start - lines * LINE.length);
          const text = head + key + "\nend\n";
          const found = await scanBytes(Buffer.from(text, "latin1"), READ_CHUNK);
          const column = start - lines * LINE.length + 1;
          expect(simplify(found), `${kind} at ${cut} + ${d}`).toEqual([
            { kind, line: lines + 1, column, endLine: lines + 1, endColumn: column + key.length },
          ]);
          // The left boundary is checked across the cut too: a glued key is never found.
          const glued = `${head.slice(0, -1)}x${key}\nend\n`;
          expect(await scanBytes(Buffer.from(glued, "latin1"), READ_CHUNK), `glued ${kind} at ${cut} + ${d}`).toEqual([]);
        }
      }
    }
  });

  it("keeps columns right after a key that straddles the scan boundary, on the same line", async () => {
    const rng = seededRng(24);
    const cut = READ_CHUNK - OVERLAP;
    for (let d = 1; d < 56; d += 6) {
      const k1 = serviceUserKey(rng);
      const k2 = keyOfKind(rng, KINDS[d % 3]!);
      // One long line: k1 starts d characters before the scan stops, k2 is in the next chunk.
      const text = `${"x".repeat(cut - d - 1)} ${k1} ${"y".repeat(READ_CHUNK)} ${k2} and ${k1}\n`;
      const found = simplify(await scanBytes(Buffer.from(text, "latin1"), READ_CHUNK));
      expect(found, `offset ${d}`).toEqual(expectedFindings(text));
      expect(found).toHaveLength(3);
    }
  });

  it("maps hits of any length (even multi-line ones) across the scan boundary", async () => {
    // A detector whose hits run from "<<" to ">>", possibly over line breaks.
    const spans = (text: string, from: number, to: number) => {
      const hits = [];
      for (let i = text.indexOf("<<", from); i !== -1 && i < to; i = text.indexOf("<<", i + 2)) {
        hits.push({ ruleId: "valid-auth-header" as const, start: i, end: text.indexOf(">>", i) + 2, message: "span" });
      }
      return hits;
    };
    const cut = 3 * 8192 - OVERLAP;
    for (const span of ["<<ab>>", "<<a\nb>>", "<<\r\n\r\n>>", `<<${"z".repeat(200)}\n${"w".repeat(50)}>>`]) {
      for (let d = 1; d <= span.length + 1; d += 1) {
        const head = "line\n".repeat(Math.floor((cut - d) / 5));
        const text = `${head}${" ".repeat(cut - d - head.length)}${span} tail <<x>>\n${"more\n".repeat(2000)}`;
        const outcome = await scanByteChunks("t", splitEvery(Buffer.from(text, "latin1"), 8192), { detectors: [spans] });
        if (outcome.status !== "scanned") throw new Error("binary");
        const expected = [];
        for (let i = text.indexOf("<<"); i !== -1; i = text.indexOf("<<", i + 2)) {
          const a = positionOf(text, i);
          const b = positionOf(text, text.indexOf(">>", i) + 2);
          expected.push({ kind: "", line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
        }
        expect(simplify(outcome.findings), `${JSON.stringify(span)} at ${d}`).toEqual(expected);
      }
    }
  });

  it("counts lines across CRLF pairs cut by a chunk boundary", async () => {
    const rng = seededRng(13);
    const text = textWithKeys(rng, 400, "\r\n", 7);
    const bytes = Buffer.from(text, "utf8");
    const expected = expectedFindings(text);
    // Chunk sizes near the overlap make the scan boundary land on every byte of several lines.
    for (let size = OVERLAP - 40; size <= OVERLAP + 40; size += 3) {
      expect(simplify(await scanBytes(bytes, size)), `chunk size ${size}`).toEqual(expected);
    }
  });

  it("breaks lines at \\n, \\r\\n and a lone \\r, mixed in one file", async () => {
    const rng = seededRng(14);
    const keys = KINDS.map((kind) => ({ kind, key: keyOfKind(rng, kind) }));
    const text = `a\r\nb\rc\n\r\n\r\r${keys[0]!.key}\rx ${keys[1]!.key}\r\n\n  ${keys[2]!.key}`;
    const found = simplify(await scanBytes(Buffer.from(text, "latin1")));
    expect(found).toEqual(expectedAt(text, keys));
    expect(found.map((f) => f.line)).toEqual([7, 8, 10]);
  });

  it("counts columns in UTF-16 code units for multibyte UTF-8", async () => {
    const key = serviceUserKey(seededRng(15));
    // é: 2 bytes, 1 unit; 日: 3 bytes, 1 unit; 🔑: 4 bytes, 2 units (a surrogate pair).
    for (const prefix of ["é", "日本", "🔑", "a🔑é日 ", "\u00a0"]) {
      const text = `x\n${prefix}${key}\n`;
      const found = simplify(await scanBytes(Buffer.from(text, "utf8")));
      expect(found, prefix).toEqual(expectedAt(text, [{ key, kind: "service-user" }]));
      expect(found[0]!.column).toBe(prefix.length + 1);
    }
  });

  it("keeps UTF-8 columns right when a chunk boundary splits a multibyte character", async () => {
    const rng = seededRng(16);
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(i % 9 === 4 ? `🔑é日 ${keyOfKind(rng, KINDS[i % 3]!)} ñ` : `ünïcödé ${"€".repeat(i % 50)} 🙂`);
    const text = lines.join("\n");
    const bytes = Buffer.from(text, "utf8");
    const expected = expectedFindings(text);
    for (const size of [OVERLAP + 1, OVERLAP + 2, OVERLAP + 3, 4097]) {
      expect(simplify(await scanBytes(bytes, size)), `chunk size ${size}`).toEqual(expected);
    }
  });

  it("keeps UTF-8 columns right when the scan boundary falls inside a character on a key's line", async () => {
    const cut = READ_CHUNK - OVERLAP;
    const key = serviceUserKey(seededRng(25));
    for (const char of ["é", "日", "🔑"]) {
      const bytesPerChar = Buffer.byteLength(char);
      for (let shift = 0; shift < bytesPerChar; shift++) {
        // The line starts 40 characters before the cut; the cut lands `shift` bytes into a character.
        const lead = "a".repeat(cut - 40 * bytesPerChar - shift - 2);
        const text = `${lead}\nb${char.repeat(80)} ${key} ${"z".repeat(READ_CHUNK)}\n`;
        expect(Buffer.byteLength(text.slice(0, text.indexOf(char)), "utf8") + 40 * bytesPerChar + shift).toBe(cut);
        const found = simplify(await scanBytes(Buffer.from(text, "utf8"), READ_CHUNK));
        expect(found, `${char} + ${shift}`).toEqual(expectedAt(text, [{ key, kind: "service-user" }]));
      }
    }
  });

  it("counts invalid UTF-8 as the decoder does (one U+FFFD per bad byte or cut sequence)", async () => {
    const { utf16Length } = await import("../../src/scan/positions.js");
    const rng = seededRng(26);
    const decoder = new TextDecoder();
    for (let t = 0; t < 3000; t++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rng() * 10) }, () => (rng() < 0.3 ? 0x41 : rng() < 0.5 ? 0x80 + Math.floor(rng() * 64) : Math.floor(rng() * 256))));
      expect(utf16Length(bytes.toString("latin1")), bytes.toString("hex")).toBe(decoder.decode(bytes).length);
    }
    // Through the scanner: a Windows-1252 quote (a lone 0x92) before a key is one column.
    const key = serviceKey(seededRng(27));
    const found = await scanBytes(Buffer.concat([Buffer.from([0x92, 0x61, 0x92, 0x20]), Buffer.from(key)]));
    expect(found[0]).toMatchObject({ line: 1, column: 5 });
  });

  it("finds a key after invalid UTF-8 bytes", async () => {
    const key = serviceKey(seededRng(17));
    const bytes = Buffer.concat([Buffer.from("ab"), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${key}\n`)]);
    const found = simplify(await scanBytes(bytes));
    expect(found).toHaveLength(1);
    // Each invalid byte decodes to one U+FFFD: a, b, 3 × U+FFFD, space.
    expect(found[0]).toMatchObject({ kind: "service", line: 1, column: 7 });
  });

  it("reports keys at the very start and the very end of the text (no trailing newline)", async () => {
    const rng = seededRng(18);
    const a = serviceKey(rng);
    const b = personalKey(rng, { padding: "url" });
    const text = `${a}\nmiddle\n${b}`;
    expect(simplify(await scanBytes(Buffer.from(text)))).toEqual(
      expectedAt(text, [
        { key: a, kind: "service" },
        { key: b, kind: "personal" },
      ]),
    );
  });

  it("never keeps the key in an enumerable property of a finding", async () => {
    const key = personalKey(seededRng(19));
    const [f] = await scanBytes(Buffer.from(`k=${key}`));
    // The secret is kept (canonical form: base64 padding restored) behind a symbol only.
    expect(f![SECRET]!.replace(/=+$/, "")).toBe(key);
    expect(JSON.stringify(f)).not.toContain(key.slice(9, 30));
    expect(Object.values({ ...f })).not.toContain(key);
    expect(f!.redacted).toBe(`apk_user_****${key.slice(-4)}`);
  });

  it("scans text pushed directly, with a final push", () => {
    const key = serviceUserKey(seededRng(20));
    const scanner = new TextScanner("x", "utf16", options);
    scanner.push("first line\n" + key.slice(0, 10), false);
    scanner.push(key.slice(10) + "\n", true);
    expect(simplify(scanner.findings)).toEqual([{ kind: "service-user", line: 2, column: 1, endLine: 2, endColumn: 57 }]);
  });
});

describe("encodings", () => {
  const rng = seededRng(21);
  const keys = KINDS.map((kind) => ({ kind, key: keyOfKind(rng, kind) }));
  const text = `# ünïcode 🔑\r\nA=${keys[0]!.key}\r\n日本 B=${keys[1]!.key}\r\n\r\nC="${keys[2]!.key}"`;
  const expected = expectedAt(text, keys);
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.from(text, "utf16le").swap16();

  it.each([
    ["UTF-16 LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
    ["UTF-16 BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ["UTF-16 LE without BOM", le],
    ["UTF-16 BE without BOM", be],
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])],
    ["UTF-8", Buffer.from(text, "utf8")],
  ])("%s: decoded and scanned, columns after the BOM", async (_name, bytes) => {
    for (const size of [bytes.length, 7, 8, 101, 8193]) {
      expect(simplify(await scanBytes(bytes, size)), `chunk size ${size}`).toEqual(expected);
    }
  });

  it("skips binary files (a NUL byte in the first 8 KiB) and counts their bytes", async () => {
    const key = serviceKey(seededRng(22));
    const bytes = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0, 0]), Buffer.from(` ${key} `), Buffer.alloc(100, 0)]);
    const outcome = await scanByteChunks("a.out", [bytes], options);
    expect(outcome.status).toBe("binary");
    expect(outcome.bytes).toBe(bytes.length);
  });

  it("skips binary input given in tiny chunks (sniffs the first 8 KiB as a whole)", async () => {
    const bytes = Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(20000, 0x41), Buffer.from([0]), Buffer.alloc(10, 1)]);
    bytes[100] = 0;
    const outcome = await scanByteChunks("a.zip", splitEvery(bytes, 3), options);
    expect(outcome.status).toBe("binary");
  });

  it("scans a text file whose first NUL comes after 8 KiB", async () => {
    const key = serviceUserKey(seededRng(23));
    const bytes = Buffer.concat([Buffer.from("z".repeat(9000) + `\n${key}\n`), Buffer.from([0, 0])]);
    const found = await scanBytes(bytes);
    expect(simplify(found)).toEqual([{ kind: "service-user", line: 2, column: 1, endLine: 2, endColumn: 57 }]);
  });

  it("scans an empty unit", async () => {
    const outcome = await scanByteChunks("empty", [], options);
    expect(outcome).toMatchObject({ status: "scanned", findings: [], bytes: 0 });
  });
});
