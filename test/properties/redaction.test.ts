/**
 * Properties of redaction (issue 8): idempotent, and never more than the prefix and 4 body
 * characters, whatever the input — a key, a padded key, a redacted key, or any string.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KINDS, redact, redactKeysIn, REDACTION_VISIBLE } from "../../src/grammar/index.js";
import { keyArb, leaks, RUNS, surroundingArb } from "./arbitraries.js";

const PREFIXES = Object.values(KINDS)
  .map((k) => k.prefix)
  .sort((a, b) => b.length - a.length);

/** What `redact` may return: an optional prefix, the mask, at most 4 characters. */
function visibleBodyChars(redacted: string): number {
  const prefix = PREFIXES.find((p) => redacted.startsWith(p)) ?? "";
  const rest = redacted.slice(prefix.length);
  expect(rest.startsWith("****")).toBe(true);
  return rest.length - 4;
}

const anyInput = fc.oneof(
  keyArb.map((k) => k.key),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.tuple(fc.constantFrom("", ...PREFIXES), fc.string({ maxLength: 200 })).map(([p, s]) => p + s),
  fc.tuple(fc.constantFrom("", ...PREFIXES), fc.string({ maxLength: 40 }), fc.constantFrom("=", "==", "%3D", "%3D%3D", "%3d")).map(([p, s, pad]) => p + "****" + s + pad),
);

describe("redact", () => {
  it("is idempotent on any input", () => {
    fc.assert(
      fc.property(anyInput, (s) => {
        const once = redact(s);
        expect(redact(once)).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it("never reveals more than the prefix and 4 body characters, on any input", () => {
    fc.assert(
      fc.property(anyInput, (s) => {
        expect(visibleBodyChars(redact(s))).toBeLessThanOrEqual(REDACTION_VISIBLE);
      }),
      { numRuns: RUNS },
    );
  });

  it("on a key: keeps its prefix and shows exactly the last 4 body characters (padding excluded)", () => {
    fc.assert(
      fc.property(keyArb, (k) => {
        const body = k.key.slice(k.prefix.length).replace(/(?:=|%3D)+$/, "");
        expect(redact(k.key)).toBe(`${k.prefix}****${body.slice(-4)}`);
        expect(leaks(redact(k.key), k)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("redactKeysIn", () => {
  it("is idempotent and leaves the text around keys untouched", () => {
    fc.assert(
      fc.property(keyArb, surroundingArb(), (k, { left, right }) => {
        const once = redactKeysIn(left + k.key + right);
        expect(redactKeysIn(once)).toBe(once);
        expect(once).toBe(left + redact(k.key) + right);
      }),
      { numRuns: RUNS },
    );
  });
});
