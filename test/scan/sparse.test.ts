/**
 * The sparse scanner (src/scan/sparse.ts) against the scanner that decodes everything: the same
 * findings, at the same lines and columns, for whole units and for units that arrive in chunks.
 * The inputs are the repository's own fixtures (every detector's true and false positives),
 * shuffled among decoys, filler, non-ASCII text and every kind of line break.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyOfKind, seededRng } from "../../src/grammar/synthetic.js";
import { DEFAULT_DETECTORS } from "../../src/scan/detectors.js";
import { gateFor } from "../../src/scan/prefilter.js";
import { LOOKBEHIND, OVERLAP, scanByteChunks, scanWholeBufferNow, type UnitOutcome } from "../../src/scan/scanner.js";
import { scanWholeSparse, SPARSE_MIN_BYTES } from "../../src/scan/sparse.js";
import { INLINE_IGNORE, type Finding } from "../../src/scan/types.js";
import { positionOf } from "./oracle.js";
import { nearMissArb } from "../properties/arbitraries.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const gate = gateFor(DEFAULT_DETECTORS);
gate.warm();
const simd = gate.simd!;

/** Every UTF-8 fixture (the UTF-16 ones are decoded whole, never sparsely). */
function fixtureTexts(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) visit(file);
      else if (!/utf16|\.(mjs|mts)$|manifest\.json$|bundle\.min\.js$/.test(name)) out.push(readFileSync(file, "latin1"));
    }
  };
  visit(path.join(ROOT, "fixtures"));
  return out;
}
const FIXTURES = fixtureTexts();

const ignoreRng = seededRng(3);
/** Pieces between the fixtures, as UTF-8 bytes read as latin1 (like the fixtures), and one invalid sequence. */
const FILLER = [
  `const testKey = "${keyOfKind(ignoreRng, "service")}"; // devin-keyscan-ignore: documented test key`,
  `# devin-keyscan-ignore-next-line: rotated\nDEVIN_API_KEY=${keyOfKind(ignoreRng, "personal")}`,
  "const config = { retries: 3, timeout: 1000 };",
  "apk_version_code = 42 # decoy",
  "def cog_unload(self): pass",
  "// Zürich → 東京 ✓ 𝄞 emoji 🎉",
  "x".repeat(300),
  "\u00e9\u00e8\u00ea caf\u00e9",
]
  .map((piece) => Buffer.from(piece, "utf8").toString("latin1"))
  .concat(["invalid \xff\xfe\xc3( bytes"]);
const BREAKS = ["\n", "\r\n", "\r", "\n\n"];

/** A unit of at least `SPARSE_MIN_BYTES` bytes: fixtures and filler in any order, any line breaks. */
const unitArb = fc
  .record({
    pieces: fc.array(fc.oneof(fc.constantFrom(...FIXTURES), fc.constantFrom(...FILLER)), { minLength: 1, maxLength: 40 }),
    breaks: fc.array(fc.constantFrom(...BREAKS), { minLength: 1, maxLength: 8 }),
    // Filler between pieces, sometimes longer than a scanner's window, so ranges are skipped.
    gaps: fc.array(fc.integer({ min: 0, max: 3 * (LOOKBEHIND + OVERLAP) }), { minLength: 1, maxLength: 8 }),
  })
  .map(({ pieces, breaks, gaps }) => {
    let text = "";
    pieces.forEach((piece, i) => {
      const eol = breaks[i % breaks.length]!;
      const gap = gaps[i % gaps.length]!;
      text += piece.replace(/\r\n|\r|\n/g, eol) + eol + eol + `${"filler ".repeat(gap >> 3)}${eol}${eol}`;
    });
    while (Buffer.byteLength(text, "latin1") < SPARSE_MIN_BYTES) text += `padding line${BREAKS[text.length % 4]}`;
    return Buffer.from(text, "latin1");
  });

interface Seen {
  ruleId: string;
  kind?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
  encoding?: string;
  ignoredOn?: number;
}

function seen(outcome: UnitOutcome): Seen[] {
  if (outcome.status !== "scanned") throw new Error(`not scanned: ${outcome.status}`);
  return outcome.findings.map((f: Finding) => ({
    ruleId: f.ruleId,
    ...(f.kind !== undefined ? { kind: f.kind } : {}),
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    fingerprint: f.fingerprint,
    ...(f.encoding !== undefined ? { encoding: f.encoding } : {}),
    ...(f[INLINE_IGNORE] !== undefined ? { ignoredOn: f[INLINE_IGNORE].line } : {}),
  }));
}

/** The scanner that decodes everything: a whole unit outside the gate's memory. */
const decodedWhole = (bytes: Buffer): Seen[] => seen(scanWholeBufferNow("u.txt", Buffer.from(bytes), { detectors: DEFAULT_DETECTORS }));

/** A whole unit read into the gate's memory, as the walker reads a file: scanned sparsely. */
function sparseWhole(bytes: Buffer): Seen[] {
  bytes.copy(simd.scratch);
  return seen(scanWholeBufferNow("u.txt", simd.scratch.subarray(0, bytes.length), { detectors: DEFAULT_DETECTORS }));
}

/** A unit in chunks (a file of 16 MiB or more, in 1 MiB reads): the first one large, so sparse. */
async function sparseChunks(bytes: Buffer, sizes: readonly number[]): Promise<Seen[]> {
  const chunks: Buffer[] = [];
  let at = Math.min(bytes.length, SPARSE_MIN_BYTES);
  chunks.push(bytes.subarray(0, at));
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return seen(await scanByteChunks("u.txt", chunks, { detectors: DEFAULT_DETECTORS }));
}

describe("the SIMD gate's helpers for the sparse scanner", () => {
  const breaksOf = (b: Buffer, next: number): number => {
    let n = 0;
    for (let i = 0; i < b.length; i++) if (b[i] === 0x0a || (b[i] === 0x0d && (i + 1 < b.length ? b[i + 1] : next) !== 0x0a)) n++;
    return n;
  };

  it("counts line breaks as positions.ts does (\\n, \\r\\n once, a lone \\r), a \\r at the end by the byte after it", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("\n", "\r", "\r\n", "a", "é", " ", "\0", "\r\r"), { maxLength: 200 }), fc.constantFrom(0x0a, 0x0d, 0x61), fc.nat(40), (parts, next, offset) => {
        const bytes = Buffer.from(parts.join(""), "utf8");
        bytes.copy(simd.scratch, offset);
        simd.scratch[offset + bytes.length] = next;
        expect(simd.countBreaks(simd.scratch.subarray(offset, offset + bytes.length))).toBe(breaksOf(bytes, next));
      }),
      { numRuns: 2000 },
    );
  });

  it("counts breaks in a haystack of many 16-byte blocks (its lane counters are summed before they overflow)", () => {
    const bytes = Buffer.from("\n".repeat(16 * 300) + "ab\r\ncd\r".repeat(1000), "latin1");
    bytes.copy(simd.scratch);
    simd.scratch[bytes.length] = 0x20;
    expect(simd.countBreaks(simd.scratch.subarray(0, bytes.length))).toBe(16 * 300 + 2000);
  });

  it("counts text without \r on its fast path: any length, any alignment, past the point its counters are summed", () => {
    fc.assert(
      fc.property(fc.nat(70_000), fc.nat(63), fc.integer({ min: 1, max: 40 }), (length, offset, every) => {
        const bytes = Buffer.alloc(length, 0x61);
        for (let i = every - 1; i < length; i += every) bytes[i] = 0x0a;
        bytes.copy(simd.scratch, offset);
        expect(simd.countBreaks(simd.scratch.subarray(offset, offset + length))).toBe(Math.floor(length / every));
      }),
      { numRuns: 300 },
    );
  });

  it("lists every occurrence of every trigger literal, as a plain search finds them", () => {
    const literals = gate.literals;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...literals), fc.constantFrom("ap", "k_", "co", "g_", " ", "\\", "x"), fc.string({ maxLength: 6 })), { maxLength: 60 }), (parts) => {
        const bytes = Buffer.from(parts.join(""), "latin1");
        bytes.copy(simd.scratch);
        const found: string[] = [];
        simd.occurrences(simd.scratch.subarray(0, bytes.length), (at, i) => {
          found.push(`${at}:${literals[i]}`);
        });
        const want: string[] = [];
        literals.forEach((l) => {
          for (let at = bytes.indexOf(l, 0, "latin1"); at !== -1; at = bytes.indexOf(l, at + 1, "latin1")) want.push(`${at}:${l}`);
        });
        expect(found.sort()).toEqual(want.sort());
      }),
      { numRuns: 2000 },
    );
  });

  it("stops listing when a visit says so", () => {
    const bytes = Buffer.from("apk_ cog_ apk_ cog_", "latin1");
    bytes.copy(simd.scratch);
    const seenAt: number[] = [];
    simd.occurrences(simd.scratch.subarray(0, bytes.length), (at) => (seenAt.push(at), seenAt.length < 2));
    expect(seenAt).toEqual([0, 5]);
  });

  it("refuses a haystack outside its scratch memory", () => {
    expect(() => simd.occurrences(Buffer.from("apk_"), () => undefined)).toThrow(RangeError);
  });
});

describe("what detectors declare to the sparse scanner holds", () => {
  const textArb = fc
    .array(fc.oneof(fc.constantFrom(...FIXTURES), fc.constantFrom(...FILLER), nearMissArb, fc.string({ unit: "binary-ascii", maxLength: 30 })), { maxLength: 12 })
    .map((parts) => parts.join("\n"));

  it("`needs`: a detector finds nothing from `from` on when its literal does not occur there", () => {
    const needy = DEFAULT_DETECTORS.filter((d) => d.needs !== undefined);
    expect(needy.length).toBeGreaterThanOrEqual(2);
    fc.assert(
      fc.property(textArb, fc.nat(), fc.boolean(), (raw, cut, paranoid) => {
        for (const detect of needy) {
          // The text keeps the literal before `from` only.
          const from = cut % (raw.length + 1);
          const text = raw.slice(0, from) + raw.slice(from).split(detect.needs!).join("");
          expect(detect(text, from, text.length, { paranoid, path: "t.txt" })).toEqual([]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("`local`: asked about each trigger position with only the text it declares, a detector finds what it finds in the whole text", () => {
    const local = DEFAULT_DETECTORS.filter((d) => d.local !== undefined);
    expect(local.length).toBeGreaterThanOrEqual(1);
    let hits = 0;
    fc.assert(
      fc.property(textArb, fc.boolean(), (text, paranoid) => {
        const context = { paranoid, path: "t.txt" };
        for (const detect of local) {
          const whole = detect(text, 0, text.length, context);
          hits += whole.length;
          const { before, after } = detect.local!;
          const positions = new Set<number>();
          for (const t of detect.triggers!) for (let at = text.indexOf(t); at !== -1; at = text.indexOf(t, at + 1)) positions.add(at);
          const asked = [...positions].sort((x, y) => x - y).flatMap((at) => {
            const from = Math.max(0, at - before);
            return detect(text.slice(from, at + after), at - from, at - from + 1, context).map((h) => ({ ...h, start: h.start + from, end: h.end + from }));
          });
          expect(asked.map((h) => [h.ruleId, h.start, h.end, h.key?.canonical])).toEqual(whole.map((h) => [h.ruleId, h.start, h.end, h.key?.canonical]));
        }
      }),
      { numRuns: 3000 },
    );
    expect(hits).toBeGreaterThan(100);
  });
});

describe("the sparse scanner reports what the scanner that decodes everything reports", () => {
  it("on every fixture shuffled among decoys, filler, non-ASCII text and any line breaks: whole and in chunks", async () => {
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(unitArb, fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 }), async (bytes, sizes) => {
        const want = decodedWhole(bytes);
        for (const f of want) kinds.add(`${f.ruleId}${f.encoding ? `/${f.encoding}` : ""}${f.ignoredOn ? "/ignored" : ""}`);
        expect(sparseWhole(bytes)).toEqual(want);
        expect(await sparseChunks(bytes, sizes)).toEqual(want);
      }),
      { numRuns: 300 },
    );
    // The fixtures hold findings of every rule, hidden keys and inline ignores: not a vacuous comparison.
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        "no-hardcoded-key",
        "no-hardcoded-key/base64",
        "no-hardcoded-key/escape",
        "no-hardcoded-key/url",
        "no-hardcoded-key/ignored",
        "no-version-mismatch",
        "valid-api-version",
        "valid-auth-header",
      ]),
    );
  });

  it("across the boundary where a stream's first range stops: look-behind, ignore comments and key/URL pairs", async () => {
    const rng = seededRng(8);
    const service = keyOfKind(rng, "service");
    const personal = keyOfKind(rng, "personal");
    // A URL on the line before its key (a version mismatch), a comment on the line before its key.
    const pieces = [
      `curl -X POST \\\n  "https://api.devin.ai/v3/sessions" \\\n  -H "Authorization: Bearer ${service}" \\\n  -d '{}'\n`,
      `# devin-keyscan-ignore-next-line: rotated\nDEVIN_API_KEY=${personal}\n`,
      `glued=x${personal}\n`,
      // Context far behind the key, but within what the whole text shows a detector: a URL three
      // long header lines up, a comment on a previous line of 3,000 characters.
      `curl -X POST \\\n  "https://api.devin.ai/v3/sessions" \\\n${`  -H "X-Pad: ${"p".repeat(1000)}" \\\n`.repeat(3)}  -H "Authorization: Bearer ${service}"\n`,
      `# devin-keyscan-ignore-next-line: ${"r".repeat(3000)}\n${"v".repeat(2000)} KEY=${personal}\n`,
    ];
    // The first range of a stream whose first chunk is SPARSE_MIN_BYTES long stops OVERLAP before its end.
    const boundary = SPARSE_MIN_BYTES - OVERLAP;
    let compared = 0;
    for (const piece of pieces) {
      const keyAt = Math.max(piece.indexOf(service), piece.indexOf(personal));
      for (let d = -70; d <= 70; d += 3) {
        const start = boundary + d - keyAt;
        const head = "filler line\n".repeat(Math.floor((start - 1) / 12));
        const text = `${head}${" ".repeat(start - head.length - 1)}\n${piece}${"tail line\n".repeat(9000)}`;
        const bytes = Buffer.from(text, "latin1");
        const want = decodedWhole(bytes);
        expect(await sparseChunks(bytes, [bytes.length]), `${JSON.stringify(piece.slice(0, 12))} at ${d}`).toEqual(want);
        compared += want.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("keeps only the added lines of a commit's blob, and names the commit, as the other scanner does", async () => {
    const rng = seededRng(9);
    const lines = Array.from({ length: 4000 }, (_, i) => (i % 97 === 3 ? `key${i}=${keyOfKind(rng, (["personal", "service", "service-user"] as const)[i % 3]!)}` : `line ${i} apk_version_code`));
    const bytes = Buffer.from(lines.join("\n"), "latin1");
    expect(bytes.length).toBeGreaterThan(SPARSE_MIN_BYTES);
    const addedLines = new Set([4, 295, 392, 393, 3880]);
    const options = { detectors: DEFAULT_DETECTORS, addedLines, commit: "0123abcd" };
    const classic = await scanByteChunks("u.txt", [bytes.subarray(0, 1000), bytes.subarray(1000)], options);
    const sparse = await scanByteChunks("u.txt", [bytes.subarray(0, SPARSE_MIN_BYTES), bytes.subarray(SPARSE_MIN_BYTES)], options);
    expect(classic.status === "scanned" && classic.findings.map((f) => [f.line, f.commit])).toEqual([
      [4, "0123abcd"],
      [295, "0123abcd"],
      [392, "0123abcd"],
    ]);
    expect(sparse).toEqual(classic);
  });

  it("leaves a unit dense with literals (a line of near-miss prefixes) to the scanner that decodes it whole", () => {
    const options = { detectors: DEFAULT_DETECTORS };
    const dense = Buffer.from("apk_x cog_y ".repeat(8000), "latin1");
    dense.copy(simd.scratch);
    expect(scanWholeSparse("d.txt", simd.scratch.subarray(0, dense.length), options, gate, simd)).toBeUndefined();
    const sparse = Buffer.from(`${"plain text ".repeat(8000)}apk_x cog_y`, "latin1");
    sparse.copy(simd.scratch);
    expect(scanWholeSparse("s.txt", simd.scratch.subarray(0, sparse.length), options, gate, simd)).toEqual([]);
  });

  it("takes a chunk larger than the gate's memory in parts", async () => {
    const rng = seededRng(10);
    const keys = [keyOfKind(rng, "personal"), keyOfKind(rng, "service"), keyOfKind(rng, "service-user")];
    const line = "const x = apk_version_code + cog_unload; // filler é\n";
    const lines = Math.ceil((simd.scratch.length + 4 * 1024 * 1024) / Buffer.byteLength(line));
    const text = Array.from({ length: lines }, (_, i) => (i % 100_000 === 99_999 ? `key = "${keys[(i / 100_000) % 3 | 0]}"\n` : line)).join("");
    const bytes = Buffer.from(text, "utf8");
    expect(bytes.length).toBeGreaterThan(simd.scratch.length);
    const classic = seen(await scanByteChunks("u.txt", [bytes.subarray(0, 1000), bytes.subarray(1000)], { detectors: DEFAULT_DETECTORS }));
    expect(classic.length).toBeGreaterThanOrEqual(3);
    expect(seen(await scanByteChunks("u.txt", [bytes], { detectors: DEFAULT_DETECTORS }))).toEqual(classic);
  });

  it("gives exact columns on a minified line of megabytes, with multi-byte characters before the key and chunks that cut them", async () => {
    const rng = seededRng(5);
    const keys = [keyOfKind(rng, "personal"), keyOfKind(rng, "service"), keyOfKind(rng, "service-user")];
    // One line: decoys every 4 KiB (sparse enough to be scanned sparsely), 3-byte and 4-byte
    // characters, a key at three places.
    const unit = `var a='東京𝄞';${"x".repeat(4000)}apk_path(x);cog_before_invoke();`.repeat(500);
    const text = `${unit}k1="${keys[0]}";${unit}k2="${keys[1]}";${unit}k3="${keys[2]}";\r\nend`;
    const bytes = Buffer.from(text, "utf8");
    expect(bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    const expected = keys.map((k) => {
      const at = text.indexOf(k);
      const a = positionOf(text, at);
      const b = positionOf(text, at + k.length);
      return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    });
    const pick = (s: Seen[]) => s.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn }));
    bytes.copy(simd.scratch);
    expect(scanWholeSparse("u.txt", simd.scratch.subarray(0, bytes.length), { detectors: DEFAULT_DETECTORS }, gate, simd)).toBeDefined();
    expect(pick(sparseWhole(bytes))).toEqual(expected);
    for (const size of [1 << 20, 65_537, 99_991]) expect(pick(await sparseChunks(bytes, [size])), `chunks of ${size}`).toEqual(expected);
    expect(pick(decodedWhole(bytes))).toEqual(expected);
  });

  it("counts lines over megabytes without literals, then finds a key after them", async () => {
    const key = keyOfKind(seededRng(6), "service-user");
    const lines = "plain line without anything\r\n".repeat(100_000) + "lone cr\r".repeat(1000) + "\n".repeat(500);
    const text = `${lines}token: ${key}\n`;
    const bytes = Buffer.from(text, "latin1");
    const want = positionOf(text, text.indexOf(key));
    for (const found of [sparseWhole(bytes), await sparseChunks(bytes, [1 << 20]), await sparseChunks(bytes, [3, 70_000])]) {
      expect(found.map((f) => [f.line, f.column])).toEqual([[want.line, want.column]]);
    }
  });
});
