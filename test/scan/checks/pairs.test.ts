import { describe, expect, it } from "vitest";
import { API_VERSIONS, COMPATIBILITY, isCompatible, KINDS, mismatchMessage, VERSIONS, type Kind } from "../../../src/grammar/index.js";
import { keyOfKind, seededRng, serviceKey } from "../../../src/grammar/synthetic.js";
import { HOST_SCAN_COST } from "../../../src/scan/checks/devin-urls.js";
import { devinUrl, TEMPLATES } from "../../../fixtures/checks/templates.mjs";
import { HOST, scanText, summary } from "./support.js";

const KIND_LIST = Object.keys(COMPATIBILITY) as Kind[];

describe("no-version-mismatch: every kind × version × file type, from the grammar's table", () => {
  const rng = seededRng(0x5eed);
  for (const template of TEMPLATES) {
    for (const kind of KIND_LIST) {
      for (const version of API_VERSIONS) {
        const compatible = isCompatible(kind, version);
        it(`${template.form}: ${kind} on ${version} → ${compatible ? "key only" : "mismatch"}`, async () => {
          const key = keyOfKind(rng, kind);
          const { text, keyLine } = template.render(key, devinUrl(VERSIONS[version].pathPrefix));
          const findings = await scanText(`request.${template.ext}`, text);
          const expected = [`${keyLine}:no-hardcoded-key`];
          if (!compatible) expected.push(`${keyLine}:no-version-mismatch`);
          expect(summary(findings)).toEqual(expected.sort());
          const mismatch = findings.find((f) => f.ruleId === "no-version-mismatch");
          if (mismatch !== undefined) {
            expect(mismatch.message).toContain(mismatchMessage(kind, version));
            expect(mismatch.kind).toBe(kind);
            expect(mismatch.redacted.startsWith(KINDS[kind].prefix)).toBe(true);
            expect(JSON.stringify(mismatch)).not.toContain(key);
          }
        });
      }
    }
  }
});

describe("no-version-mismatch fingerprints", () => {
  it("differ from the key finding's and between versions, and are stable", async () => {
    const key = keyOfKind(seededRng(3), "personal");
    const render = (pathPrefix: string) => TEMPLATES[0]!.render(key, devinUrl(pathPrefix)).text;
    const [a, b, again] = await Promise.all([
      scanText("a.sh", render("/v3/")),
      scanText("b.sh", render("/v3beta1/")),
      scanText("moved/elsewhere.sh", `\n\n${render("/v3/")}`),
    ]);
    const fp = (fs: typeof a, rule: string) => fs.find((f) => f.ruleId === rule)!.fingerprint;
    expect(fp(a, "no-version-mismatch")).not.toBe(fp(a, "no-hardcoded-key"));
    expect(fp(a, "no-hardcoded-key")).toBe(fp(b, "no-hardcoded-key"));
    expect(fp(a, "no-version-mismatch")).not.toBe(fp(b, "no-version-mismatch"));
    expect(fp(again, "no-version-mismatch")).toBe(fp(a, "no-version-mismatch"));
  });
});

describe("no-version-mismatch across the scanner's chunk boundary", () => {
  it("pairs a URL in the previous chunk's look-behind with the key at the start of the next", async () => {
    const { scanByteChunks } = await import("../../../src/scan/scanner.js");
    const { DEFAULT_DETECTORS } = await import("../../../src/scan/detectors.js");
    const { OVERLAP } = await import("../../../src/scan/scanner.js");
    const key = keyOfKind(seededRng(11), "service");
    const padding = "# filler line for the chunk boundary test\n".repeat(30_000);
    // The URL ends up more than the scanner's overlap before the key: only the look-behind holds it.
    const headers = Array.from({ length: 60 }, (_, i) => `  -H "X-Padding-${i}: ${"v".repeat(140)}" \\\n`).join("");
    const command = `curl -X POST \\\n  ${devinUrl("/v3/")} \\\n${headers}  -H "Authorization: Bearer ${key}"\n`;
    expect(command.indexOf("Authorization") - command.indexOf("https")).toBeGreaterThan(OVERLAP);
    const bytes = Buffer.from(padding + command);
    const cut = padding.length + command.indexOf("-H");
    const outcome = await scanByteChunks("big.sh", [bytes.subarray(0, cut), bytes.subarray(cut)], { detectors: DEFAULT_DETECTORS });
    expect(outcome.status).toBe("scanned");
    if (outcome.status === "scanned") expect(summary(outcome.findings)).toEqual(["30063:no-hardcoded-key", "30063:no-version-mismatch"]);
  });
});

describe("pairing keys with URLs costs time linear in the text", () => {
  it("looks at each URL once, however many keys and Devin URLs a file holds (counted, not timed)", async () => {
    const key = serviceKey(seededRng(77));
    const file = (lines: number) => `curl https://${HOST}/v3/sessions ${"a".repeat(4000)} https://example.com/x ${key}\n`.repeat(lines);
    const cost = async (lines: number): Promise<number> => {
      HOST_SCAN_COST.urls = 0;
      const found = await scanText("f.sh", file(lines));
      expect(found.filter((f) => f.ruleId === "no-hardcoded-key")).toHaveLength(lines);
      return HOST_SCAN_COST.urls;
    };
    const small = await cost(100);
    const large = await cost(400);
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(4 * 1.25);
  });
});
