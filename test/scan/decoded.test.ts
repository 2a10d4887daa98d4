import { describe, expect, it } from "vitest";
import { findKeys, fingerprint, KINDS, PREFILTER_LITERALS } from "../../src/grammar/index.js";
import { keyOfKind, personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { BASE64_LITERALS, detectBase64Keys, WINDOW } from "../../src/scan/decoded/base64.js";
import { detectEscapedKeys } from "../../src/scan/decoded/escape.js";
import { gateFor } from "../../src/scan/prefilter.js";
import { scanByteChunks } from "../../src/scan/scanner.js";
import type { Finding } from "../../src/scan/types.js";
import { scanText, summary } from "./checks/support.js";

const b64 = (s: string) => Buffer.from(s, "latin1").toString("base64");
const rng = seededRng(0xb64);
/** A personal key whose body has a `/` (see fixtures/decoded/generate.mjs). */
const slashKey = () => personalKey(rng, { principal: "samlp|dev???ops@example.com" });

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

describe("base64 prefilter literals", () => {
  it("are derived from the grammar's prefixes at the three byte alignments", () => {
    expect(BASE64_LITERALS).toHaveLength(PREFILTER_LITERALS.length * 3);
    for (const literal of PREFILTER_LITERALS) {
      for (let align = 0; align < 3; align++) {
        const encoded = b64("x".repeat(align) + literal + "rest of the text");
        expect(BASE64_LITERALS.some((l) => encoded.slice(l.offset, l.offset + l.text.length) === l.text)).toBe(true);
      }
    }
  });
});

describe("base64-wrapped keys", () => {
  it("are found at every byte alignment, pointing at the encoded span, with the plain fingerprint", async () => {
    for (const kind of ["personal", "service", "service-user"] as const) {
      for (let lead = 0; lead < 6; lead++) {
        const key = keyOfKind(rng, kind);
        const blob = b64(`${"k".repeat(lead)}=${key}\n`);
        const text = `value: ${blob}\n`;
        const f = only(await scanText("s.yaml", text));
        expect(f).toMatchObject({ ruleId: "no-hardcoded-key", kind, encoding: "base64", line: 1 });
        expect(f.fingerprint).toBe(fingerprint(findKeys(key)[0]!.canonical));
        // The span lies inside the blob and covers the encoding of the key.
        const start = f.column - 1;
        const end = f.endColumn - 1;
        expect(start).toBeGreaterThanOrEqual(7);
        expect(end).toBeLessThanOrEqual(7 + blob.length);
        const decoded = Buffer.from(text.slice(start - ((start - 7) % 4), end), "base64").toString("latin1");
        expect(decoded).toContain(key);
        expect(JSON.stringify(f)).not.toContain(key);
      }
    }
  });

  it("are found in a docker config auth field and a .dockerconfigjson", async () => {
    const key = serviceUserKey(rng);
    const docker = JSON.stringify({ auths: { "r.example.com": { auth: b64(`bot:${key}`) } } });
    expect(summary(await scanText("config.json", docker))).toEqual(["1:no-hardcoded-key:base64"]);
    const secret = `data:\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { r: { password: key } } }))}\n`;
    expect(summary(await scanText("secret.yaml", secret))).toEqual(["2:no-hardcoded-key:base64"]);
  });

  it("are decoded once: base64 of base64 is not unwrapped", async () => {
    const key = serviceKey(rng);
    expect(await scanText("s.yaml", `data: ${b64(b64(key))}\n`)).toEqual([]);
  });

  it("are not looked for in blobs that decode to binary or to text without a key", async () => {
    const noise = seededRng(1);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(noise() * 256)));
    const text = [bytes.toString("base64"), b64("apk_version_code cog_before_invoke ".repeat(20)), b64("apk_" + "A".repeat(92))].join("\n");
    expect(await scanText("blobs.txt", text)).toEqual([]);
  });

  it("are found once in a blob longer than a decoding window, wherever they sit", async () => {
    const keys = [serviceKey(rng), personalKey(rng), serviceUserKey(rng)];
    const filler = "lorem ipsum dolor sit amet ".repeat(Math.ceil((WINDOW * 2) / 27));
    const plain = `${keys[0]} ${filler.slice(0, WINDOW - 50)} ${keys[1]} ${filler} ${keys[2]}`;
    const text = `blob: ${b64(plain)}\n`;
    const findings = await scanText("big.txt", text);
    expect(findings.map((f) => f.kind)).toEqual(["service", "personal", "service-user"]);
    expect(findings.every((f) => f.encoding === "base64")).toBe(true);
  });

  it("are found across the scanner's chunk boundaries", async () => {
    const key = serviceKey(rng);
    const line = `  K: ${b64(key)}\n`;
    const text = "# padding line\n".repeat(80_000) + line + "x\n".repeat(10_000);
    const bytes = Buffer.from(text);
    // Cut right inside the encoded key, then in 64 KiB pieces.
    const cut = text.indexOf(line) + 20;
    const chunks = [bytes.subarray(0, cut), ...Array.from({ length: Math.ceil((bytes.length - cut) / 65536) }, (_, i) => bytes.subarray(cut + i * 65536, cut + (i + 1) * 65536))];
    const outcome = await scanByteChunks("big.yaml", chunks, { detectors: [detectBase64Keys] });
    expect(outcome.status).toBe("scanned");
    if (outcome.status === "scanned") expect(summary(outcome.findings)).toEqual(["80001:no-hardcoded-key:base64"]);
  });

  it("stay linear on adversarial blobs made of prefix encodings (correctness only; timing is in bench/)", async () => {
    const blob = b64("apk_apk_user_cog_".repeat(20_000));
    const findings = await scanText("adversarial.txt", blob);
    expect(findings).toEqual([]);
  });
});

describe("URL-encoded keys", () => {
  it("are found with %2F/%2B in the body, in either case, and reported once", async () => {
    const key = slashKey();
    expect(key).toContain("/");
    const upper = encodeURIComponent(key);
    const lower = upper.replace(/%2F/g, "%2f");
    for (const written of [upper, lower]) {
      const f = only(await scanText("q.txt", `GET /cb?token=${written}&x=1\n`));
      expect(f).toMatchObject({ ruleId: "no-hardcoded-key", kind: "personal", encoding: "url", column: 15 });
      expect(f.endColumn).toBe(15 + written.length);
      expect(f.fingerprint).toBe(fingerprint(findKeys(key)[0]!.canonical));
    }
  });

  it("leave %3D padding alone to the plain matcher (no double report)", async () => {
    const key = personalKey(rng, { padding: "url" });
    expect(key).toContain("%3D");
    const findings = await scanText("q.txt", `https://x.example/?a=%2Fb&key=${key}\n`);
    expect(findings.map((f) => f.encoding)).toEqual([undefined]);
  });
});

describe("escaped keys", () => {
  it("are found written with \\u, \\x and \\/ escapes, at the escaped span", async () => {
    const p = personalKey(rng);
    const s = slashKey();
    const c = serviceUserKey(rng);
    const text = [
      `{"a": "\\u0061${p.slice(1)}",`,
      ` "b": "${s.replaceAll("/", "\\/")}",`,
      ` "c": "\\x63\\x6f\\x67\\x5f${c.slice(KINDS["service-user"].prefix.length)}"}`,
    ].join("\n");
    const findings = await scanText("x.json", text);
    expect(summary(findings)).toEqual(["1:no-hardcoded-key:escape", "2:no-hardcoded-key:escape", "3:no-hardcoded-key:escape"]);
    expect(findings[0]!.column).toBe(8);
    expect(findings.map((f) => f.fingerprint)).toEqual([p, s, c].map((k) => fingerprint(findKeys(k)[0]!.canonical)));
  });

  it("are found whichever prefix character is the first one escaped, in \\x and \\u form, either hex case", async () => {
    for (const kind of ["personal", "service", "service-user"] as const) {
      const key = keyOfKind(rng, kind);
      const prefix = KINDS[kind].prefix.slice(0, 4);
      for (let i = 0; i < prefix.length; i++) {
        const hex = prefix.charCodeAt(i).toString(16);
        for (const escape of [`\\x${hex}`, `\\x${hex.toUpperCase()}`, `\\u00${hex}`]) {
          // Only this character escaped: nothing else in the text may wake the detector.
          const text = `{"k": "${key.slice(0, i)}${escape}${key.slice(i + 1)}"}\n`;
          expect(summary(await scanText("e.json", text)), text.slice(0, 24)).toEqual(["1:no-hardcoded-key:escape"]);
        }
      }
    }
  });

  it("leave files whose escapes cannot hide a prefix to the gate (regular expressions, \\x5c)", () => {
    const gate = gateFor([detectEscapedKeys]);
    expect(gate.select(String.raw`const re = /[\x00-\x1f\x5c\x7f]/; const s = "\u005c\u0022";`)).toEqual([]);
    expect(gate.select(String.raw`"a\x70k_"`)).toEqual([detectEscapedKeys]);
  });

  it("do not re-report a plainly written key next to escapes", async () => {
    const key = serviceKey(rng);
    const findings = await scanText("x.json", `{"msg": "see: ${key}\\/", "re": "\\x41"}\n`);
    expect(findings.map((f) => f.encoding)).toEqual([undefined]);
  });

  it("find a key glued to an escape written as text (\\n, \\r, \\t, doubly escaped): the key itself is plain", async () => {
    const key = serviceKey(rng);
    const findings = await scanText("x.json", `{"log": "line one\\n${key}\\nline three"}\n`);
    expect(summary(findings)).toEqual(["1:no-hardcoded-key"]);
    expect(findings[0]!.column).toBe(20);
    for (const glue of ["\\r", "\\t", "\\\\n"]) {
      expect(summary(await scanText("x.json", `{"log": "a${glue}${key}"}\n`)), glue).toEqual(["1:no-hardcoded-key"]);
    }
  });
});

describe("Kubernetes .dockerconfigjson", () => {
  it("finds a key only in an auths entry's auth (base64 inside base64), once, at the key's name; a password is the base64 detector's", async () => {
    const key = serviceUserKey(rng);
    const secret = (config: object) =>
      ["apiVersion: v1", "kind: Secret", "type: kubernetes.io/dockerconfigjson", "data:", `  .dockerconfigjson: ${b64(JSON.stringify(config))}`, ""].join("\n");
    const authOnly = await scanText("s.yaml", secret({ auths: { "registry.example.com": { auth: b64(`bot:${key}`) } } }));
    expect(summary(authOnly)).toEqual(["5:no-hardcoded-key:base64"]);
    expect(authOnly[0]!).toMatchObject({ column: 3, fingerprint: fingerprint(key) });
    const both = await scanText("s.yaml", secret({ auths: { r: { username: "bot", password: key, auth: b64(`bot:${key}`) } } }));
    expect(summary(both)).toEqual(["5:no-hardcoded-key:base64"]);
    // JSON form, quoted; and a value that is no docker config is passed over.
    const json = JSON.stringify({ data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { r: { auth: b64(`u:${key}`) } } })) } });
    expect(summary(await scanText("s.json", json))).toEqual(["1:no-hardcoded-key:base64"]);
    expect(await scanText("s.yaml", `.dockerconfigjson: ${b64("not json at all, just words")}\n`)).toEqual([]);
  });
});

describe("keys after an encoded delimiter", () => {
  it("are found after %20/%3D, an ANSI colour and an escape written as text, in a small file and a large one (scanned sparsely)", async () => {
    const k = [serviceUserKey(rng), personalKey(rng), serviceKey(rng), serviceUserKey(rng)];
    const lines = [
      `GET /cb?auth=Bearer%20${k[0]}&x=1`,
      `next=https%3A%2F%2Fb%2F%3Fkey%3D${k[1]}`,
      `\u001b[32m${k[2]}\u001b[0m`,
      `{"log":"{\\"text\\":\\"line1\\\\n${k[3]}\\"}"}`,
    ];
    const small = lines.join("\n") + "\n";
    expect(summary(await scanText("x.log", small))).toEqual(["1:no-hardcoded-key", "2:no-hardcoded-key", "3:no-hardcoded-key", "4:no-hardcoded-key"]);
    const filler = "const value = compute(index, offset); // ordinary code\n".repeat(2000);
    const large = filler + small + filler;
    const found = await scanText("x.log", large);
    expect(found.map((f) => f.line)).toEqual([2001, 2002, 2003, 2004]);
  });
});

describe("base64 blobs longer than a chunk", () => {
  it("find a key after a coincidental, misaligned prefix literal when the blob began in an earlier chunk", async () => {
    const key = personalKey(rng);
    const plain = "lorem ipsum dolor sit amet, ".repeat(100_000) + key + "\n";
    const chars = b64(plain).split("");
    // Plant `YXBrX` (apk_ at byte 0 of a group) at a misaligned position, in the key's chunk.
    const at = Math.floor((chars.length - 100_000) / 4) * 4 + 1;
    expect(at >> 20).toBe((chars.length - 300) >> 20);
    chars.splice(at, 5, ..."YXBrX");
    const blob = chars.join("");
    const bytes = Buffer.from(`blob: ${blob}\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / (1 << 20)) }, (_, i) => bytes.subarray(i << 20, (i + 1) << 20));
    const outcome = await scanByteChunks("big.txt", chunks, { detectors: [detectBase64Keys] });
    expect(outcome.status).toBe("scanned");
    if (outcome.status === "scanned") {
      expect(outcome.findings.map((f) => [f.kind, f.encoding])).toEqual([["personal", "base64"]]);
    }
  });
});
