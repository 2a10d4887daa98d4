import { describe, expect, it } from "vitest";
import {
  findKeys,
  findKeysInRange,
  isKey,
  isLeftBoundary,
  isRightBoundary,
  kindOfPrefix,
  matchKeyAt,
  MAX_KEY_LENGTH,
  SERVICE_BODY_LENGTH,
  SERVICE_USER_BODY_LENGTH,
} from "../../src/grammar/keys.js";
import { KINDS, KINDS_BY_PREFIX_LENGTH, PREFILTER_LITERALS } from "../../src/grammar/kinds.js";
import {
  hex,
  personalKey,
  PRINCIPAL_FORMS,
  seededRng,
  serviceKey,
  serviceUserKey,
  type Padding,
} from "../../src/grammar/synthetic.js";

const rng = seededRng(20260127);
const b64 = (s: string): string => Buffer.from(s, "latin1").toString("base64");
const unpadded = (s: string): string => s.replace(/=+$/, "");

/** Finds exactly one key in `text` and returns it. */
function only(text: string, options = {}) {
  const found = findKeys(text, options);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("kinds", () => {
  it("has the three prefixes of DESIGN.md §1, longest first", () => {
    expect(KINDS.personal.prefix).toBe("apk_user_");
    expect(KINDS.service.prefix).toBe("apk_");
    expect(KINDS["service-user"].prefix).toBe("cog_");
    expect(KINDS_BY_PREFIX_LENGTH.map((k) => k.kind)).toEqual(["personal", "service", "service-user"]);
    expect([...PREFILTER_LITERALS]).toEqual(["apk_", "cog_"]);
  });

  it("says where each kind is revoked, as the vendor page does", () => {
    expect(KINDS.personal.revocationHint).toContain("Settings > API Keys");
    expect(KINDS["service-user"].revocationHint).toContain("Enterprise Settings > Service Users");
    expect(KINDS.service.revocationHint).toMatch(/sub-organisation/);
  });

  it("kindOfPrefix prefers the longest prefix", () => {
    expect(kindOfPrefix("apk_user_x")).toBe("personal");
    expect(kindOfPrefix("apk_x")).toBe("service");
    expect(kindOfPrefix("cog_x")).toBe("service-user");
    expect(kindOfPrefix("APK_x")).toBeUndefined();
  });
});

describe("personal keys", () => {
  for (const form of PRINCIPAL_FORMS) {
    for (const padding of ["none", "equals", "url"] as Padding[]) {
      it(`finds a ${form} principal with padding ${padding}, with its org id`, () => {
        const orgHex = hex(rng, 32);
        const key = personalKey(rng, { form, padding, orgHex });
        const m = only(`DEVIN_API_KEY=${key}\n`);
        expect(m.kind).toBe("personal");
        expect(m.start).toBe(14);
        expect(m.end).toBe(14 + key.length);
        expect(m.raw).toBe(key);
        expect(m.orgId).toBe(`org-${orgHex}`);
        expect(m.confidence).toBe("high");
        // Canonical form: padding restored and decoded from %3D.
        expect(m.canonical).toBe(canonicalOf(key));
      });
    }
  }

  it("accepts any printable-ASCII principal, including spaces, underscores and `_org-`", () => {
    for (const principal of ["samlp|Acme Corp_x@example.com", "a", " ~!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}", "x_org-y_z", "auth0|" + "z".repeat(600)]) {
      const orgHex = hex(rng, 32);
      const key = personalKey(rng, { principal, orgHex });
      const m = only(`"${key}"`);
      expect(m.kind).toBe("personal");
      expect(m.orgId).toBe(`org-${orgHex}`);
    }
  });

  it("does not bound the length tightly: a github| key body of ~115 chars is found", () => {
    const key = personalKey(rng, { form: "github" });
    expect(key.length - 9).toBeLessThan(120);
    expect(only(key).kind).toBe("personal");
  });

  it("rejects a principal with a non-printable character", () => {
    const body = unpadded(b64(`github|12\t34_org-${hex(rng, 32)}:${hex(rng, 32)}`));
    expect(findKeys(`apk_user_${body}`)).toEqual([]);
  });

  it("rejects bodies that decode to the wrong structure", () => {
    const org = hex(rng, 32);
    const secret = hex(rng, 32);
    for (const decoded of [
      `just some base64 encoded sentence of a decent length ${secret}`,
      `github|1_org-${org.toUpperCase()}:${secret}`,
      `github|1_org-${org}${secret}`,
      `github|1_org-${org.slice(1)}:${secret}`,
      `github|1_org-${org}:${secret}0`,
      `_org-${org}:${secret}`,
      `github|1-org-${org}:${secret}`,
    ]) {
      expect(findKeys(`apk_user_${unpadded(b64(decoded))}`), decoded).toEqual([]);
    }
  });

  it("rejects non-canonical base64 (spare bits set) and impossible lengths", () => {
    const body = unpadded(b64(`github|12345678_org-${hex(rng, 32)}:${hex(rng, 32)}`));
    expect(body.length % 4).toBe(2);
    expect(isKey(`apk_user_${body}`)).toBe(true);
    // The last character of a 2-mod-4 body carries 4 spare bits: flipping one breaks canonicity.
    // The last character holds the last byte's 2 low bits, then 4 zero bits: A, Q, g or w.
    const last = body.at(-1)!;
    expect(["A", "Q", "g", "w"]).toContain(last);
    const flipped = String.fromCharCode(last.charCodeAt(0) + 1);
    expect(findKeys(`apk_user_${body.slice(0, -1)}${flipped} `)).toEqual([]);
    expect(findKeys(`apk_user_${body}AAA `)).toEqual([]); // length 1 mod 4
  });

  it("rejects padding that does not complete the body to a multiple of 4", () => {
    const key = personalKey(rng, { form: "user", padding: "equals" }); // one "="
    expect(key.endsWith("=") && !key.endsWith("==")).toBe(true);
    expect(isKey(key)).toBe(true);
    expect(findKeys(`${key}=`)).toEqual([]);
    expect(findKeys(`${key.slice(0, -1)}%3D%3D`)).toEqual([]);
  });

  it("rejects a filler secret (low entropy) even when the structure is right", () => {
    const body = unpadded(b64(`github|12345678_org-${hex(rng, 32)}:${"0".repeat(32)}`));
    expect(findKeys(`apk_user_${body}`)).toEqual([]);
    expect(findKeys(`apk_user_${unpadded(b64(`github|12345678_org-${hex(rng, 32)}:${"ab".repeat(16)}`))}`)).toEqual([]);
  });

  it("rejects the vendor's placeholders", () => {
    for (const text of ["apk_user_xxxx", "apk_user_" + "x".repeat(120), "apk_user_...", "apk_user_<your key>", "apk_user_rating"]) {
      expect(findKeys(text), text).toEqual([]);
    }
  });
});

describe("service keys", () => {
  it("finds a 92-char body starting b3JnL then T (digit) or W (letter), with its org id", () => {
    for (const first of ["0", "9", "a", "f"]) {
      const orgHex = first + hex(rng, 31);
      const key = serviceKey(rng, orgHex);
      expect(key.length - 4).toBe(SERVICE_BODY_LENGTH);
      expect(key.slice(4, 10)).toBe(/\d/.test(first) ? "b3JnLT" : "b3JnLW");
      const m = only(`token: ${key}\n`);
      expect(m).toMatchObject({ kind: "service", start: 7, end: 7 + key.length, orgId: `org-${orgHex}`, canonical: key });
    }
  });

  it("rejects wrong lengths, wrong structure and fillers", () => {
    const key = serviceKey(rng);
    expect(findKeys(key.slice(0, -1))).toEqual([]);
    expect(findKeys(`${key}A`)).toEqual([]);
    expect(findKeys(`apk_${b64(`ORG-${hex(rng, 32)}:${hex(rng, 32)}`)}`)).toEqual([]);
    expect(findKeys(`apk_${b64(`org-${hex(rng, 32)}:${hex(rng, 31)}g`)}`)).toEqual([]);
    expect(findKeys(`apk_${b64(`org-${hex(rng, 32)}:${"0".repeat(32)}`)}`)).toEqual([]);
    expect(findKeys(`apk_b3JnLT${"Qk".repeat(43)}`)).toEqual([]);
  });

  it("never reads a personal key as a service key (longest prefix wins)", () => {
    const p = personalKey(rng, { form: "github" });
    const s = serviceKey(rng);
    const found = findKeys(`${p}\n${s}`);
    expect(found.map((m) => m.kind)).toEqual(["personal", "service"]);
    // An invalid apk_user_ body is not retried as a service key.
    expect(findKeys(`apk_user_${"b3JnLT".padEnd(92, "A")}`)).toEqual([]);
  });

  it("rejects decoys from Android and fastlane", () => {
    for (const text of ["apk_path", "apk_version_code = 42", "apk_file_path", "APK_DOWNLOAD_URL", "apk_your_api_key_here", "YOUR_V1_API_KEY"]) {
      expect(findKeys(text), text).toEqual([]);
    }
  });
});

describe("service-user keys", () => {
  it("finds 52 lowercase base32 characters ending in a or q", () => {
    const endings = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const key = serviceUserKey(rng);
      expect(key.length - 4).toBe(SERVICE_USER_BODY_LENGTH);
      endings.add(key.at(-1)!);
      const m = only(`Bearer ${key}"`);
      expect(m).toMatchObject({ kind: "service-user", start: 7, end: 7 + key.length, canonical: key, confidence: "high" });
      expect(m.orgId).toBeUndefined();
    }
    expect([...endings].sort()).toEqual(["a", "q"]);
  });

  it("checks the last character (spare bits zero)", () => {
    const key = serviceUserKey(rng);
    for (const c of "bcdpryz234567") expect(findKeys(key.slice(0, -1) + c), c).toEqual([]);
  });

  it("is case-sensitive in prefix and body", () => {
    const key = serviceUserKey(rng);
    expect(findKeys(`COG_${key.slice(4)}`)).toEqual([]);
    expect(findKeys(`cog_${key.slice(4).toUpperCase()}`)).toEqual([]);
    const p = personalKey(rng);
    expect(findKeys(`APK_USER_${p.slice(9)}`)).toEqual([]);
    expect(findKeys(`Apk_${serviceKey(rng).slice(4)}`)).toEqual([]);
  });

  it("rejects the vendor's placeholder cog_ + 52 × a and other fillers", () => {
    expect(findKeys(`cog_${"a".repeat(52)}`)).toEqual([]);
    expect(findKeys(`cog_${"q".repeat(52)}`)).toEqual([]);
    expect(findKeys(`cog_${"ab".repeat(26)}`.slice(0, -1) + "a")).toEqual([]);
    expect(findKeys(`cog_${"abcd".repeat(12)}aaaq`)).toEqual([]);
  });

  it("rejects other products' cog_ tokens and discord.py / GeoTIFF / bioinformatics names", () => {
    for (const text of [
      `cog_${hex(rng, 64)}`,
      `cog_live_${hex(rng, 24)}`,
      "async def cog_unload(self):",
      "cog_app_command_error",
      "cog_before_invoke",
      "cog_translate(src, dst, cog_profiles.get('deflate'))",
      "gene\tCOG_category",
    ]) {
      expect(findKeys(text), text).toEqual([]);
    }
  });
});

describe("boundaries", () => {
  const keys = () => [personalKey(rng, { form: "email" }), serviceKey(rng), serviceUserKey(rng)];

  it("a key is not preceded by [A-Za-z0-9_]", () => {
    for (const key of keys()) {
      for (const before of ["a", "Z", "0", "_"]) expect(findKeys(`${before}${key}`), before).toEqual([]);
      for (const before of ["", " ", "=", '"', "'", ":", "-", "/", ".", "\t", "\n", "é", "+"]) {
        expect(findKeys(`${before}${key}`).map((m) => m.raw), JSON.stringify(before)).toEqual([key]);
      }
    }
    expect(findKeys("coolapk_user_list versi_apk_user_x")).toEqual([]);
  });

  it("a word character that ends an encoded delimiter is a boundary: %XX, an escape written as text, an ANSI colour", () => {
    for (const key of keys()) {
      for (const before of ["Bearer%20", "%22", "x%3A", "%3d", "line\\n", "a\\r", "\\t", "\\\\n", "\u001b[32m", "\u001b[1;33m", "\\x1b[0m", "\\033[31m", "\\u001b[32m", "\\e[1m"]) {
        expect(findKeys(`${before}${key}`).map((m) => m.raw), JSON.stringify(before)).toEqual([key]);
      }
      // Not delimiters: a word, a lone %, hex digits after something else, an `m` not closing a colour.
      for (const before of ["%2", "a%2G", "20", "am", "[32m", "x[32m", "\\n_", "_", "versi%5F", "x%41", "%30"]) {
        expect(findKeys(`${before}${key}`), JSON.stringify(before)).toEqual([]);
      }
    }
  });

  it("a key is not followed by [A-Za-z0-9+/=_-]", () => {
    for (const key of keys()) {
      for (const after of ["a", "Z", "0", "+", "/", "_", "-"]) expect(findKeys(`${key}${after}`), after).toEqual([]);
      for (const after of ["", " ", '"', "'", ",", ";", ".", ")", "&", "#", "\r\n", "\n", "?", "%26"]) {
        expect(findKeys(`${key}${after}`).map((m) => m.raw), JSON.stringify(after)).toEqual([key]);
      }
    }
  });

  it("unpadded personal keys are not followed by =", () => {
    const key = personalKey(rng, { form: "user", padding: "none" });
    expect(findKeys(`${key}==`)).toEqual([]);
  });

  it("boundary helpers agree at the ends of the text", () => {
    expect(isLeftBoundary("apk_", 0)).toBe(true);
    expect(isLeftBoundary("xapk_", 1)).toBe(false);
    expect(isRightBoundary("abc", 3)).toBe(true);
    expect(isRightBoundary("abc=", 3)).toBe(false);
  });

  it("two keys on one line are both found, in order", () => {
    const [a, b, c] = keys();
    const text = `A=${a} B=${b};C=${c}`;
    expect(findKeys(text).map((m) => [m.kind, m.start])).toEqual([
      ["personal", 2],
      ["service", 2 + a!.length + 3],
      ["service-user", text.indexOf(c!)],
    ]);
  });

  it("findKeysInRange reports keys starting in the range only, reading past its end", () => {
    const key = serviceUserKey(rng);
    const text = `xx ${key} yy`;
    expect(findKeysInRange(text, 0, 3)).toEqual([]);
    expect(findKeysInRange(text, 0, 4).map((m) => m.end)).toEqual([3 + key.length]);
    expect(findKeysInRange(text, 4, text.length)).toEqual([]);
  });

  it("MAX_KEY_LENGTH bounds the longest personal key with %3D%3D padding", () => {
    const key = personalKey(rng, { principal: "p".repeat(3000), padding: "url" });
    expect(key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
    expect(only(key).end).toBe(key.length);
  });
});

describe("paranoid mode", () => {
  it("reports prefix matches of plausible length and entropy with low confidence", () => {
    const u = serviceUserKey(rng);
    const near = `${u.slice(0, -1)}b`;
    expect(findKeys(near)).toEqual([]);
    const m = only(near, { paranoid: true });
    expect(m).toMatchObject({ kind: "service-user", confidence: "low", start: 0, end: near.length });
    expect(m.orgId).toBeUndefined();

    const wrongStructure = `apk_user_${unpadded(b64(`a sentence, base64 encoded, long enough: ${hex(rng, 32)}`))}`;
    expect(findKeys(wrongStructure)).toEqual([]);
    expect(only(wrongStructure, { paranoid: true })).toMatchObject({ kind: "personal", confidence: "low" });
  });

  it("still rejects short, low-entropy and boundary-breaking candidates", () => {
    for (const text of ["apk_user_xxxx", `cog_${"a".repeat(52)}`, "apk_version_code", `apk_user_${"ab".repeat(40)}`, `${serviceUserKey(rng)}b_x`]) {
      expect(findKeys(text, { paranoid: true }), text).toEqual([]);
    }
  });

  it("never reports the known look-alikes: another product's cog_ + 64 hex, a name made of letters", () => {
    for (let i = 0; i < 20; i++) {
      const h = hex(rng, 32);
      for (const text of [`OTHER_TOKEN=cog_${h}`, `cog_${h.toUpperCase()}`]) expect(findKeys(text, { paranoid: true }), text).toEqual([]);
    }
    expect(findKeys("apk_user_AuthenticationServiceProviderFactoryImplementationHelper", { paranoid: true })).toEqual([]);
    // A near-miss with digits is still a low-confidence finding.
    expect(only("apk_user_AuthenticationServiceProvider2FactoryImplementationHelper", { paranoid: true }).confidence).toBe("low");
  });

  it("valid keys keep high confidence", () => {
    const key = serviceKey(rng);
    expect(only(key, { paranoid: true }).confidence).toBe("high");
  });
});

describe("matchKeyAt / isKey", () => {
  it("validates at an exact offset only", () => {
    const key = serviceKey(rng);
    expect(matchKeyAt(` ${key}`, 1)?.kind).toBe("service");
    expect(matchKeyAt(` ${key}`, 0)).toBeUndefined();
    expect(isKey(key)).toBe(true);
    expect(isKey(`${key} `)).toBe(false);
  });
});

function canonicalOf(key: string): string {
  const body = key.slice(9).replace(/(%3D)+$/i, (m) => "=".repeat(m.length / 3));
  const bare = unpadded(body);
  return `apk_user_${bare}${"=".repeat((4 - (bare.length % 4)) % 4)}`;
}

describe("findKeysInRange at the edges of its range", () => {
  it("finds a key that starts on the last position of the range, and none that starts after it", () => {
    const rng = seededRng(4242);
    for (const key of [personalKey(rng), serviceKey(rng), serviceUserKey(rng)]) {
      const text = `x ${key} y`;
      expect(findKeysInRange(text, 0, 3).map((m) => m.start)).toEqual([2]);
      expect(findKeysInRange(text, 2, 3).map((m) => m.raw)).toEqual([key]);
      expect(findKeysInRange(text, 0, 2)).toEqual([]);
      expect(findKeysInRange(text, 3, text.length)).toEqual([]);
    }
  });
});
