/**
 * Properties of the detector (issue 8): it never throws, its cost is linear in the input
 * (proved by counting work on near-miss input, never by timing), and any generated key in
 * any surrounding text is found exactly once, with the right kind, at the right place.
 */
import fc from "fast-check";
import { positionOf } from "../scan/oracle.js";
import { describe, expect, it } from "vitest";
import { findKeys, MATCH_COST } from "../../src/grammar/index.js";
import { DEFAULT_DETECTORS } from "../../src/scan/detectors.js";
import { scanByteChunks, type UnitOutcome } from "../../src/scan/scanner.js";
import type { Detector } from "../../src/scan/types.js";
import { keyArb, nearMissArb, RUNS, surroundingArb } from "./arbitraries.js";

/** Splits `bytes` into chunks whose sizes cycle through `sizes`. */
function* chunked(bytes: Buffer, sizes: readonly number[]): Generator<Buffer> {
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}


const chunkSizesArb = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 });

describe("the detector never throws", () => {
  it("findKeys, default and paranoid, on any string (lone surrogates, NULs, any code unit)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), nearMissArb), (text) => {
        findKeys(text);
        findKeys(text, { paranoid: true });
      }),
      { numRuns: RUNS },
    );
  });

  it("the streaming scanner with every registered detector, on any bytes in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)), nearMissArb.map((s) => Buffer.from(s, "latin1"))),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (bytes, sizes, paranoid) => {
          const outcome = await scanByteChunks("p.txt", chunked(bytes, sizes), { detectors: DEFAULT_DETECTORS, paranoid });
          expect(outcome.bytes).toBe(bytes.length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("the detector's cost is linear (counted, not timed)", () => {
  it("validations and characters read by the matcher are bounded by a constant × input length, on near-miss input", () => {
    let worst = 0;
    fc.assert(
      fc.property(nearMissArb, fc.boolean(), (text, paranoid) => {
        MATCH_COST.candidates = 0;
        MATCH_COST.examined = 0;
        findKeys(text, { paranoid });
        // Every candidate starts with a 4-character literal; runs of key characters stop at `_`,
        // so no character is read by more than a few validators.
        expect(MATCH_COST.candidates).toBeLessThanOrEqual(text.length / 4 + 1);
        expect(MATCH_COST.examined).toBeLessThanOrEqual(8 * text.length + 16);
        worst = Math.max(worst, MATCH_COST.examined / (text.length + 1));
      }),
      { numRuns: RUNS },
    );
    expect(worst).toBeGreaterThan(0);
  });

  it("the streaming scanner hands each detector a bounded amount of text per input character, whatever the chunk sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        nearMissArb,
        fc.integer({ min: 0, max: 60_000 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }),
        async (nearMiss, filler, sizes) => {
          const text = "x".repeat(filler) + nearMiss;
          let windowChars = 0;
          const counting: Detector = (t) => {
            windowChars += t.length;
            return [];
          };
          await scanByteChunks("p.txt", chunked(Buffer.from(text, "latin1"), sizes), { detectors: [counting] });
          // Each window is at most lookbehind + new text + overlap, and a window is scanned only
          // once at least OVERLAP new characters have arrived: ≤ 3 characters per input character.
          expect(windowChars).toBeLessThanOrEqual(3 * text.length + 20_000);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("any generated key in any surrounding text is found exactly once, with its kind, at its place", () => {
  it("findKeys: one match, right kind, exact offsets", () => {
    fc.assert(
      fc.property(keyArb, surroundingArb(), fc.boolean(), (k, { left, right }, paranoid) => {
        const text = left + k.key + right;
        const found = findKeys(text, { paranoid }).filter((m) => m.confidence === "high");
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ kind: k.kind, start: left.length, end: left.length + k.key.length, raw: k.key });
      }),
      { numRuns: RUNS },
    );
  });

  it("the streaming scanner (UTF-8, UTF-16 LE/BE with BOM, any chunking, long files): one finding, right kind, exact line and column", async () => {
    await fc.assert(
      fc.asyncProperty(
        keyArb,
        surroundingArb({ noNul: true }),
        fc.integer({ min: 0, max: 20_000 }),
        chunkSizesArb,
        fc.constantFrom("utf8", "utf16le", "utf16be"),
        async (k, { left, right }, fillerLength, sizes, encoding) => {
          // Filler lines push the key past chunk and overlap boundaries; no leading BOM in the text.
          const filler = "log line: ok\n".repeat(Math.ceil(fillerLength / 13));
          const before = (filler + left).replace(/^\uFEFF/, "x");
          const text = before + k.key + right;
          const bytes =
            encoding === "utf8"
              ? Buffer.from(text, "utf8")
              : encoding === "utf16le"
                ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
                : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
          // Odd chunk sizes split UTF-16 code units (and UTF-8 sequences) across chunks.
          const outcome: UnitOutcome = await scanByteChunks("p.txt", chunked(bytes, sizes), { detectors: DEFAULT_DETECTORS });
          expect(outcome.status).toBe("scanned");
          if (outcome.status !== "scanned") return;
          const keys = outcome.findings.filter((f) => f.ruleId === "no-hardcoded-key" && f.encoding === undefined);
          expect(keys).toHaveLength(1);
          const start = positionOf(text, before.length);
          const end = positionOf(text, before.length + k.key.length);
          expect(keys[0]).toMatchObject({ kind: k.kind, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
