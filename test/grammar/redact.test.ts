import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findKeys } from "../../src/grammar/keys.js";
import { fingerprint, redact, redactKeysIn, REDACTION_VISIBLE } from "../../src/grammar/redact.js";
import { keyOfKind, personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import type { Kind } from "../../src/grammar/kinds.js";

const rng = seededRng(7);
const KINDS: Kind[] = ["personal", "service", "service-user"];

/** How many characters of `key`'s body (after its prefix) appear in `shown`, as one run. */
function longestBodyRunShown(key: string, shown: string, prefixLength: number): number {
  const body = key.slice(prefixLength);
  let best = 0;
  for (let i = 0; i < body.length; i++) {
    for (let j = i + best + 1; j <= body.length; j++) {
      if (shown.includes(body.slice(i, j))) best = j - i;
      else break;
    }
  }
  return best;
}

describe("redact", () => {
  it("shows the prefix and the last 4 body characters, padding excluded", () => {
    const p = personalKey(rng, { form: "email", padding: "equals" });
    const body = p.slice(9).replace(/=+$/, "");
    expect(redact(p)).toBe(`apk_user_****${body.slice(-4)}`);
    const u = personalKey(rng, { form: "github", padding: "url" });
    expect(u).toMatch(/%3D$/);
    expect(redact(u)).toBe(`apk_user_****${u.slice(9).replace(/(%3D)+$/, "").slice(-4)}`);
    const s = serviceKey(rng);
    expect(redact(s)).toBe(`apk_****${s.slice(-4)}`);
    const c = serviceUserKey(rng);
    expect(redact(c)).toBe(`cog_****${c.slice(-4)}`);
  });

  it("never reveals more than the prefix and 4 body characters, for any kind and any input", () => {
    expect(REDACTION_VISIBLE).toBe(4);
    for (let i = 0; i < 300; i++) {
      const kind = KINDS[i % 3]!;
      const key = keyOfKind(rng, kind);
      const prefixLength = kind === "personal" ? 9 : 4;
      const shown = redact(key);
      expect(shown.length).toBeLessThanOrEqual(prefixLength + 4 + REDACTION_VISIBLE);
      expect(longestBodyRunShown(key, shown, prefixLength)).toBeLessThanOrEqual(REDACTION_VISIBLE);
    }
    // Short or odd inputs: never longer than the mask plus 4 characters.
    for (const s of ["apk_user_", "apk_abc", "cog_12345678", "cog_123456789", "plain-secret-value-123456", "", "****"]) {
      const shown = redact(s);
      expect(shown.replace(/^(apk_user_|apk_|cog_)/, "").replace("****", "").length).toBeLessThanOrEqual(4);
    }
  });

  it("is idempotent", () => {
    for (const kind of KINDS) {
      const once = redact(keyOfKind(rng, kind));
      expect(redact(once)).toBe(once);
    }
  });

  it("redactKeysIn replaces every key in free text, including low-confidence ones", () => {
    const p = personalKey(rng);
    const c = serviceUserKey(rng);
    const near = `${serviceUserKey(rng).slice(0, -1)}b`;
    const text = `cannot open /tmp/${p} (ENOENT); token=${c}; also ${near}`;
    const out = redactKeysIn(text);
    for (const k of [p, c, near]) expect(out).not.toContain(k.slice(4));
    expect(out).toContain(redact(p));
    expect(out).toContain(redact(c));
    expect(redactKeysIn("nothing to see")).toBe("nothing to see");
  });

  it("redactKeysIn redacts keys used as directory names in a path (a `/` after a key is base64, not a boundary)", () => {
    for (let i = 0; i < 30; i++) {
      const dir = keyOfKind(rng, KINDS[i % 3]!);
      const file = keyOfKind(rng, KINDS[(i + 1) % 3]!);
      for (const path of [`${dir}/${file}`, `${dir}/f.env`, `a/${dir}/${dir}/b`, `${dir}/`, `${file}.txt`]) {
        const out = redactKeysIn(path);
        for (const k of [dir, file]) {
          const prefixLength = k.startsWith("apk_user_") ? 9 : 4;
          expect(longestBodyRunShown(k, out, prefixLength), `${path} -> ${out}`).toBeLessThanOrEqual(REDACTION_VISIBLE);
        }
      }
      expect(redactKeysIn(`${dir}/f.env`)).toBe(`${redact(dir)}/f.env`);
    }
    // A personal key whose body has a `/` of its own (a principal with `?` or `~`), as a directory name.
    const slashed = personalKey(rng, { principal: "samlp|a???b~~~c" });
    expect(slashed.slice(9)).toContain("/");
    for (const path of [`secrets/${slashed}/my-file.txt`, `secrets/${slashed}/a_b`, `${slashed}/x`]) {
      const out = redactKeysIn(path);
      expect(longestBodyRunShown(slashed, out, 9), `${path} -> ${out}`).toBeLessThanOrEqual(REDACTION_VISIBLE);
    }
  });
});

describe("fingerprint", () => {
  it("is the SHA-256 of the canonical key", () => {
    const c = serviceUserKey(rng);
    expect(fingerprint(c)).toBe(createHash("sha256").update(c).digest("hex"));
  });

  it("is the same for =, %3D, %3d and missing padding of the same personal key", () => {
    const seed = 99;
    const forms = (["none", "equals", "url"] as const).map((padding) => personalKey(seededRng(seed), { form: "email", padding }));
    forms.push(forms[2]!.replace(/%3D/g, "%3d"));
    expect(new Set(forms).size).toBe(4);
    const prints = forms.map((k) => {
      const [m] = findKeys(k);
      expect(m?.end).toBe(k.length);
      return fingerprint(m!.canonical);
    });
    expect(new Set(prints).size).toBe(1);
    expect(prints[0]).toBe(fingerprint(forms[1]!));
  });

  it("differs between keys", () => {
    expect(fingerprint(serviceKey(rng))).not.toBe(fingerprint(serviceKey(rng)));
  });
});
