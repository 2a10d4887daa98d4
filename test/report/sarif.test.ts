import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { RULE_IDS } from "../../src/scan/types.js";
import { formatSarif, FINGERPRINT_NAME, pathToUri } from "../../src/report/sarif.js";
import { ROOT, runCli, tempDir } from "../support/cli.js";
import { write } from "../git/support.js";

/** CI keeps shared/ next to the repository. */
const SCHEMA_PATH = resolve(ROOT, "../shared/schemas/sarif-schema-2.1.0.json");
const VERSION = (JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version: string }).version;

function validator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  // The SARIF 2.1.0 schema is draft-04.
  // Both are CommonJS: under NodeNext the default import is `module.exports`.
  const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string; help: { text: string }; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number; snippet?: { text: string } } } }[];
      partialFingerprints: Record<string, string>;
    }[];
    invocations: { executionSuccessful: boolean }[];
  }[];
}

describe("--format sarif", () => {
  const rng = seededRng(701);
  const personal = personalKey(rng);
  const service = serviceKey(rng);
  const serviceUser = serviceUserKey(rng);
  const dir = tempDir("dks-sarif-");
  write(dir, "config/.env", `DEVIN_API_KEY=${personal}\n`);
  write(dir, "deploy/ci vars.yml", `a: 1\nb: 2\ntoken: "${service}"\n`);
  write(dir, "src/moved.ts", `\n\n\n\nconst k = "${serviceUser}";\n`);
  write(dir, "src/orig.ts", `const k = "${serviceUser}";\n`);
  const run = runCli(["--format", "sarif", "."], { cwd: dir });
  const log = JSON.parse(run.stdout) as SarifLog;

  it("validates against the SARIF 2.1.0 schema", () => {
    expect(run.status).toBe(1);
    const validate = validator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema check can fail: a broken log is rejected", () => {
    const validate = validator();
    const broken = structuredClone(log) as unknown as { runs: { results: { locations: { physicalLocation: { region: { startLine: unknown } } }[] }[] }[] };
    broken.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
  });

  it("names the tool with its real version and one rule per check, with help", () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe("devin-keyscan");
    expect(driver.version).toBe(VERSION);
    expect(driver.rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const rule of driver.rules) {
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(rule.help.text.length).toBeGreaterThan(40);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
    }
  });

  it("locates each result with a relative URI and a full region", () => {
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri).sort()).toEqual([
      "config/.env",
      "deploy/ci%20vars.yml",
      "src/moved.ts",
      "src/orig.ts",
    ]);
    const yml = results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith("deploy"))!;
    expect(yml.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 9, endLine: 3, endColumn: 9 + service.length });
    expect(yml.locations[0]!.physicalLocation.region.snippet!.text).toMatch(/^apk_\*{4}.{4}$/);
    for (const r of results) expect(r.ruleIndex).toBe(RULE_IDS.indexOf(r.ruleId as (typeof RULE_IDS)[number]));
  });

  it("fingerprints come from the key, so they survive the key moving to another line", () => {
    const results = log.runs[0]!.results;
    const byUri = (u: string) => results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === u)!;
    const moved = byUri("src/moved.ts");
    const orig = byUri("src/orig.ts");
    expect(moved.locations[0]!.physicalLocation.region.startLine).toBe(5);
    expect(orig.locations[0]!.physicalLocation.region.startLine).toBe(1);
    expect(moved.partialFingerprints[FINGERPRINT_NAME]).toMatch(/^[0-9a-f]{64}$/);
    expect(moved.partialFingerprints[FINGERPRINT_NAME]).toBe(orig.partialFingerprints[FINGERPRINT_NAME]);
    expect(byUri("config/.env").partialFingerprints[FINGERPRINT_NAME]).not.toBe(orig.partialFingerprints[FINGERPRINT_NAME]);
  });

  it("never contains a full key, even with --no-redact", () => {
    for (const key of [personal, service, serviceUser]) expect(run.stdout).not.toContain(key);
    const unredacted = runCli(["--format", "sarif", "--no-redact", "."], { cwd: dir });
    for (const key of [personal, service, serviceUser]) expect(unredacted.stdout).not.toContain(key);
  });

  it("a clean scan is a valid log with no results; errors mark the run unsuccessful", () => {
    const validate = validator();
    const empty = formatSarif(
      { findings: [], errors: [{ path: "secret/", message: "cannot list directory: permission denied", code: "EACCES" }], notices: ["a notice"], stats: { filesScanned: 0, bytesScanned: 0, skippedBinary: 0, skippedNotRegular: 0, durationMs: 1 } },
      { color: false, redact: true, verbose: false, toolVersion: VERSION },
    );
    const parsed = JSON.parse(empty) as SarifLog;
    expect(validate(parsed)).toBe(true);
    expect(parsed.runs[0]!.results).toEqual([]);
    expect(parsed.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
  });

  it("encodes paths as relative URI references", () => {
    expect(pathToUri("a b/c#d%.txt")).toBe("a%20b/c%23d%25.txt");
    expect(pathToUri("../x/é.env")).toBe("../x/%C3%A9.env");
  });
});
