import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DETECTORS } from "../../src/scan/detectors.js";
import { gateFor, SIMD_AFTER_BYTES } from "../../src/scan/prefilter.js";
import { seededRng, serviceUserKey } from "../../src/grammar/synthetic.js";
import { simdGate } from "../../src/scan/simd-gate.js";
import type { Detector } from "../../src/scan/types.js";
import { READ_CHUNK } from "../../src/sources/file.js";
import { BIN, ROOT } from "../support/cli.js";

/** Every trigger literal of the default detectors (14: apk_, cog_, their base64 images, …). */
const LITERALS = [...new Set(DEFAULT_DETECTORS.flatMap((d) => d.triggers ?? []))];
const SAMPLE_KEY = serviceUserKey(seededRng(7));

/** What the gate must answer: a plain search for every literal. */
function expected(haystack: Buffer, literals: readonly string[]): number {
  let mask = 0;
  literals.forEach((l, i) => {
    if (haystack.includes(l, 0, "latin1")) mask |= 1 << i;
  });
  return mask;
}

/**
 * Bytes that keep the SIMD loop busy: pieces of the literals (their fingerprints, their nibble
 * look-alikes), whole literals, line breaks and arbitrary bytes, at any position.
 */
function haystackArb(literals: readonly string[], maxPieces: number): fc.Arbitrary<Buffer> {
  const near = literals.flatMap((l) => [l, l.slice(1), l.slice(0, -1), l.slice(1, 4), l.toUpperCase()]);
  const piece = fc.oneof(
    fc.constantFrom(...near),
    fc.constantFrom(...literals),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("latin1")),
    fc.constantFrom("\n", "\r\n", " ", "_", "\\", "0"),
  );
  return fc.array(piece, { maxLength: maxPieces }).map((pieces) => Buffer.from(pieces.join(""), "latin1"));
}

describe("the SIMD byte gate", () => {
  const gate = simdGate(LITERALS, READ_CHUNK)!;

  it("is available on this Node (WebAssembly SIMD)", () => {
    expect(gate).toBeDefined();
    expect(LITERALS.length).toBeGreaterThan(10);
  });

  it("finds exactly the literals a plain search finds, in its scratch memory or copied there", () => {
    fc.assert(
      fc.property(haystackArb(LITERALS, 60), fc.boolean(), (haystack, inPlace) => {
        let bytes = haystack;
        if (inPlace) {
          haystack.copy(gate.scratch);
          bytes = gate.scratch.subarray(0, haystack.length);
        }
        const want = expected(haystack, LITERALS);
        expect(gate.present(bytes)).toBe(want);
      }),
      { numRuns: 10_000 },
    );
  });

  it("finds literals at the very start and end of a haystack, and none past its end", () => {
    for (const literal of LITERALS) {
      for (const lead of [0, 1, 15, 16, 17]) {
        const haystack = Buffer.from(`${"x".repeat(lead)}${literal}`, "latin1");
        haystack.copy(gate.scratch);
        expect(gate.present(gate.scratch.subarray(0, haystack.length))).toBe(expected(haystack, LITERALS));
        // The literal's last byte cut off: it must not be found in what remains in memory.
        expect(gate.present(gate.scratch.subarray(0, haystack.length - 1)) & (1 << LITERALS.indexOf(literal))).toBe(0);
        expect(gate.present(gate.scratch.subarray(lead + 1, haystack.length)) & (1 << LITERALS.indexOf(literal))).toBe(0);
      }
    }
  });

  it("finds a literal cut in two by the pieces a large haystack is copied in", () => {
    const small = simdGate(LITERALS, 4096)!;
    fc.assert(
      fc.property(fc.constantFrom(...LITERALS), fc.integer({ min: 4096 - 15, max: 4096 + 1 }), fc.integer({ min: 1, max: 3 }), (literal, at, pieces) => {
        const haystack = Buffer.alloc(4096 * pieces + 64, "-");
        const start = Math.min(at + 4096 * (pieces - 1) - (literal.length >> 1), haystack.length - literal.length);
        haystack.write(literal, start, "latin1");
        expect(small.present(haystack)).toBe(expected(haystack, LITERALS));
      }),
      { numRuns: 2_000 },
    );
  });

  it("finds a literal in text longer than its memory, across the pieces it is written in", () => {
    const small = simdGate(LITERALS, 4096)!;
    fc.assert(
      fc.property(fc.constantFrom(...LITERALS), fc.integer({ min: 0, max: 3 * 4096 }), (literal, at) => {
        const text = "-".repeat(at) + literal + "-".repeat(3 * 4096 - at);
        expect(small.presentInText(text)).toBe(expected(Buffer.from(text, "latin1"), LITERALS));
      }),
      { numRuns: 2_000 },
    );
  });

  it("declines literals it cannot fingerprint, so the gate falls back to indexOf", () => {
    expect(simdGate(["ab"], READ_CHUNK)).toBeUndefined();
    expect(simdGate(["caf\u00e9"], READ_CHUNK)).toBeUndefined();
    expect(simdGate(Array.from({ length: 32 }, (_, i) => `lit${i}`), READ_CHUNK)).toBeUndefined();
    const detector: Detector = Object.assign(() => [], { triggers: ["ab"] });
    const fallback = gateFor([detector]);
    expect(fallback.scratch).toBeUndefined();
    expect(fallback.detectorsIn(Buffer.from("xxab"))).toEqual([detector]);
    expect(fallback.detectorsIn(Buffer.from("xxa b"))).toEqual([]);
    expect(fallback.select("xxab")).toEqual([detector]);
    expect(fallback.select("xxa b")).toEqual([]);
    // More literals than a bit mask holds: selected without one.
    const many: Detector = Object.assign(() => [], { triggers: Array.from({ length: 40 }, (_, i) => `lit${i}`) });
    const wide = gateFor([many]);
    expect(wide.detectorsIn(Buffer.from("a lit39 here"))).toEqual([many]);
    expect(wide.select("no literal")).toEqual([]);
  });

  it("is built from the committed gate.wat (run npm run generate:gate after editing it)", async () => {
    // @ts-expect-error: a plain ESM script without types
    const { generate, OUTPUT } = await import("../../scripts/generate-gate.mjs");
    expect(readFileSync(OUTPUT, "utf8")).toBe(await generate());
  });
});

describe("gateFor", () => {
  const gate = gateFor(DEFAULT_DETECTORS);

  it("searches literal by literal until SIMD_AFTER_BYTES were searched, then with SIMD, with the same answers", () => {
    // A list of its own: a gate of its own, not yet built by the other tests.
    const fresh = gateFor([...DEFAULT_DETECTORS]);
    const key = Buffer.from(`token = "${SAMPLE_KEY}"\n`);
    const plain = Buffer.alloc(32 * 1024, "const region = 'eu';\n");
    expect(fresh.scratch).toBeUndefined();
    let searched = 0;
    while (searched + plain.length < SIMD_AFTER_BYTES) {
      expect(fresh.detectorsIn(plain)).toEqual([]);
      expect(fresh.select(key.toString("latin1"))).toEqual(naive(key.toString("latin1")));
      searched += plain.length + key.length;
      expect(fresh.scratch, `built after ${searched} bytes`).toBeUndefined();
    }
    expect(fresh.detectorsIn(plain)).toEqual([]);
    expect(fresh.scratch).toBeInstanceOf(Buffer);
    key.copy(fresh.scratch!);
    expect(fresh.detectorsIn(fresh.scratch!.subarray(0, key.length))).toEqual(naive(key.toString("latin1")));
    // One large haystack builds it at once; warm() does too.
    const big = gateFor([...DEFAULT_DETECTORS]);
    expect(big.detectorsIn(Buffer.alloc(SIMD_AFTER_BYTES, " "))).toEqual([]);
    expect(big.scratch).toBeInstanceOf(Buffer);
    const warmed = gateFor([...DEFAULT_DETECTORS]);
    warmed.warm();
    expect(warmed.scratch).toBeInstanceOf(Buffer);
  });

  /** What selection must give: the detectors with a trigger in the text, in order. */
  const naive = (text: string): Detector[] => DEFAULT_DETECTORS.filter((d) => d.triggers!.some((t) => text.includes(t)));

  it("selects for bytes (detectorsIn) and for text (select) what a plain search selects", () => {
    fc.assert(
      fc.property(haystackArb(LITERALS, 30), (haystack) => {
        const text = haystack.toString("latin1");
        const want = naive(text);
        expect(gate.detectorsIn(haystack)).toEqual(want);
        expect(gate.select(text)).toEqual(want);
      }),
      { numRuns: 5_000 },
    );
  });

  it("selects in decoded UTF-16 text too: characters above U+00FF neither hide nor fake a literal", () => {
    // U+0161 and U+016B have the low bytes of `a` and `k`: written as latin1 they become `a`, `k`.
    const fake = "\u0161p\u016b_ c\u016fg_";
    expect(gate.select(fake)).toEqual([]);
    fc.assert(
      fc.property(haystackArb(LITERALS, 20), fc.array(fc.constantFrom("\u0161", "\u016b", "\u4e2d", "\ud83d\ude00"), { maxLength: 5 }), (haystack, wide) => {
        const text = haystack.toString("latin1") + wide.join("") + haystack.toString("latin1").slice(0, 7);
        expect(gate.select(text)).toEqual(naive(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it("selects the detectors whose triggers occur, as one list object per set of literals", () => {
    const a = gate.detectorsIn(Buffer.from("const x = 'apk_'; // api.devin.ai"));
    const b = gate.detectorsIn(Buffer.from("api.devin.ai and apk_ again"));
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(0);
    for (const d of a) expect(d.triggers!.some((t) => t === "apk_" || t === "api.devin.ai")).toBe(true);
    expect(gate.detectorsIn(Buffer.from("nothing to see here"))).toEqual([]);
  });

  it("always selects a detector that declares no triggers", () => {
    const always: Detector = () => [];
    const mixed = gateFor([always, ...DEFAULT_DETECTORS]);
    expect(mixed.detectorsIn(Buffer.from("plain text"))).toEqual([always]);
    expect(mixed.select("plain text")).toEqual([always]);
  });
});

describe("without WebAssembly", () => {
  it("the CLI reports exactly the same on the fixtures (node --jitless has no WebAssembly: the indexOf gate)", () => {
    const run = (nodeArgs: string[]) => {
      const r = spawnSync(process.execPath, [...nodeArgs, BIN, "-f", "json", "fixtures"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
      const report = JSON.parse(r.stdout) as { findings: unknown[]; stats: Record<string, unknown> };
      delete report.stats.durationMs;
      return { status: r.status, report };
    };
    const simd = run([]);
    const plain = run(["--jitless"]);
    expect(simd.status).toBe(1);
    expect(simd.report.findings.length).toBeGreaterThan(100);
    expect(plain).toEqual(simd);
  });
});
