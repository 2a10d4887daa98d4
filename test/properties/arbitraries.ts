/**
 * fast-check arbitraries shared by the property tests: synthetic keys of every kind, principal
 * form and padding (src/grammar/synthetic.ts), text that may surround a key, and near-miss
 * input built to make a naive matcher backtrack.
 */
import fc from "fast-check";
import { KINDS, type Kind } from "../../src/grammar/index.js";
import { personalKey, PRINCIPAL_FORMS, seededRng, serviceKey, serviceUserKey, type Padding } from "../../src/grammar/synthetic.js";

/** Every property runs at least this many times (issue 8). */
export const RUNS = 10_000;

export interface GeneratedKey {
  readonly key: string;
  readonly kind: Kind;
  readonly prefix: string;
}

const PADDINGS: readonly Padding[] = ["none", "equals", "url"];

/** Any generated key: all kinds, all principal forms (and arbitrary printable subjects), all paddings. */
export const keyArb: fc.Arbitrary<GeneratedKey> = fc.oneof(
  fc
    .record({
      seed: fc.integer(),
      form: fc.constantFrom(...PRINCIPAL_FORMS),
      padding: fc.constantFrom(...PADDINGS),
    })
    .map(({ seed, form, padding }) => ({ key: personalKey(seededRng(seed), { form, padding }), kind: "personal" as const })),
  fc
    .record({
      seed: fc.integer(),
      // Any printable-ASCII identity-provider subject must be accepted (DESIGN.md §1).
      subject: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 80 }),
      padding: fc.constantFrom(...PADDINGS),
    })
    .map(({ seed, subject, padding }) => ({ key: personalKey(seededRng(seed), { principal: subject, padding }), kind: "personal" as const })),
  fc.integer().map((seed) => ({ key: serviceKey(seededRng(seed)), kind: "service" as const })),
  fc.integer().map((seed) => ({ key: serviceUserKey(seededRng(seed)), kind: "service-user" as const })),
).map((k) => ({ ...k, prefix: KINDS[k.kind].prefix }));

/** Characters that may not precede a key. */
const LEFT_FORBIDDEN = /[A-Za-z0-9_]$/;
/** Characters that may not follow a key; `%` is excluded too, because `%3D` after a key is its padding. */
const RIGHT_FORBIDDEN = /^[A-Za-z0-9+/=_%-]/;

/** Arbitrary text (any Unicode, well formed) that keeps the key's boundaries when placed around it. */
export function surroundingArb(options: { noNul?: boolean } = {}): fc.Arbitrary<{ left: string; right: string }> {
  const text = fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => (options.noNul ? s.replace(/\0/g, " ") : s));
  return fc.record({ left: text, right: text }).map(({ left, right }) => ({
    left: LEFT_FORBIDDEN.test(left) ? `${left} ` : left,
    right: RIGHT_FORBIDDEN.test(right) ? ` ${right}` : right,
  }));
}

/**
 * Whether `output` shows more of `key` than its prefix and last 4 body characters: the key
 * itself, or any 12-character window of the body before those last 4.
 */
export function leaks(output: string, key: GeneratedKey | string): boolean {
  const raw = typeof key === "string" ? key : key.key;
  const prefix = typeof key === "string" ? (Object.values(KINDS).map((k) => k.prefix).sort((a, b) => b.length - a.length).find((p) => raw.startsWith(p)) ?? "") : key.prefix;
  const hidden = raw.slice(prefix.length).replace(/(?:=|%3D)+$/, "").slice(0, -4);
  if (output.includes(raw) || output.includes(prefix + hidden)) return true;
  const WINDOW = 12;
  for (let i = 0; i + WINDOW <= hidden.length; i += WINDOW) if (output.includes(hidden.slice(i, i + WINDOW))) return true;
  return hidden.length >= WINDOW && output.includes(hidden.slice(-WINDOW));
}

/**
 * Near-miss input: fragments that look like the start of a key (prefixes, the base64 of
 * `org-`, padding, truncated and altered real keys, long runs of key characters) glued
 * together, so a backtracking matcher would go quadratic.
 */
export const nearMissArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "apk_",
        "apk_user_",
        "cog_",
        "b3JnLT",
        "b3JnLW",
        "org-",
        "_org-",
        "%3D",
        "%3d",
        "=",
        "==",
        "_",
        "-",
        ":",
        "a",
        "q",
        "7",
        "/",
        "+",
        " ",
        "\n",
        "\r\n",
        "apk_apk_user_cog_",
        "coolapk_user_",
      ),
      fc.record({ c: fc.constantFrom("A", "a", "7", "b3JnL", "0f", "q", "Zm9v"), n: fc.integer({ min: 1, max: 3000 }) }).map(({ c, n }) => c.repeat(n)),
      keyArb.chain(({ key }) =>
        fc.oneof(
          fc.integer({ min: 1, max: key.length - 1 }).map((n) => key.slice(0, n)),
          fc.integer({ min: 4, max: key.length - 1 }).map((i) => key.slice(0, i) + (key[i] === "A" ? "B" : "A") + key.slice(i + 1)),
          fc.constant(key),
        ),
      ),
    ),
    { maxLength: 120 },
  )
  .map((parts) => parts.join(""));
