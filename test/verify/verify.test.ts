import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchKeyAt } from "../../src/grammar/index.js";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { scan } from "../../src/pipeline.js";
import { formatJson } from "../../src/report/json.js";
import { formatText } from "../../src/report/text.js";
import { SECRET, type Finding, type ScanResult } from "../../src/scan/types.js";
import { applyVerification, verifyFindings, type VerifyOptions } from "../../src/verify/index.js";
import { tempDir } from "../support/cli.js";
import { closedPort, startStandInApi, type Behaviour, type StandInApi } from "./stand-in-api.js";

/** The form the scanner sends: `%3D` decoded, base64 padding restored. */
function canonical(key: string): string {
  const m = matchKeyAt(key, 0);
  if (!m) throw new Error("synthetic key failed the grammar");
  return m.canonical;
}

const rng = seededRng(0x9e11);
const RAW = {
  liveServiceUser: serviceUserKey(rng),
  // Written with URL-encoded padding: the API must receive the canonical key.
  livePersonal: personalKey(rng, { form: "email", padding: "url" }),
  liveService: serviceKey(rng),
  revoked: serviceUserKey(rng),
  forbidden: personalKey(rng),
  rateLimitedOnce: serviceUserKey(rng),
  rateLimitedLong: serviceKey(rng),
  serverError: serviceKey(rng),
  hang: serviceUserKey(rng),
  redirect: serviceUserKey(rng),
} as const;
type Name = keyof typeof RAW;
const KEYS = Object.fromEntries(Object.entries(RAW).map(([n, k]) => [n, canonical(k)])) as Record<Name, string>;

const BEHAVIOUR: Partial<Record<Name, Behaviour>> = {
  liveServiceUser: "live",
  livePersonal: "live",
  liveService: "live",
  forbidden: "forbidden",
  rateLimitedOnce: "rate-limited-once",
  rateLimitedLong: "rate-limited-long",
  serverError: "server-error",
  hang: "hang",
  redirect: "redirect",
};

/** Short waits so the suite stays fast, yet a timeout long enough for a loaded CI machine. */
const FAST: VerifyOptions = { timeoutMs: 2000, retryDelayMs: 20, maxRetryDelayMs: 50 };

let api: StandInApi;
beforeAll(async () => {
  api = await startStandInApi(new Map(Object.entries(BEHAVIOUR).map(([name, b]) => [KEYS[name as Name], b])));
});
afterAll(() => api.close());

function requestsFor(key: string) {
  return api.requests.filter((r) => r.token === key);
}

/** Scans a directory holding one file per key, as a user's repository would. */
async function scanKeys(names: readonly Name[], copies = 1): Promise<ScanResult> {
  const dir = tempDir("dks-verify-");
  for (const name of names) {
    for (let i = 0; i < copies; i++) writeFileSync(join(dir, `${name}-${i}.env`), `DEVIN_API_KEY=${RAW[name]}\n`);
  }
  return scan({ cwd: dir, paths: ["."] });
}

function byKey(findings: readonly Finding[], name: Name): Finding[] {
  return findings.filter((f) => f[SECRET] === KEYS[name]);
}

function expectNoKeyIn(text: string): void {
  for (const key of [...Object.values(KEYS), ...Object.values(RAW)]) {
    expect(text).not.toContain(key);
    // The body alone is as secret as the key.
    expect(text).not.toContain(key.slice(key.indexOf("_", 4) + 1, -4));
  }
}

describe("verifyFindings against a stand-in API", () => {
  const names = Object.keys(KEYS) as Name[];
  let result: ScanResult;
  beforeAll(async () => {
    result = await scanKeys(names);
    expect(result.findings).toHaveLength(names.length);
    await verifyFindings(result.findings, { ...FAST, baseUrl: api.url });
  });

  it.each([
    ["liveServiceUser", "valid", /GET \/v3\/self answered 200/],
    ["livePersonal", "valid", /GET \/v1\/sessions\?limit=1 answered 200/],
    ["liveService", "valid", /GET \/v1\/sessions\?limit=1 answered 200/],
    ["revoked", "invalid", /answered 401/],
    ["forbidden", "valid", /answered 403: .*live and must be rotated/],
    ["rateLimitedOnce", "valid", /answered 200/],
    ["rateLimitedLong", "unknown", /answered 429 \(rate limited\) \(after one retry\)/],
    ["serverError", "unknown", /answered 500 \(server error\) \(after one retry\)/],
    ["hang", "unknown", /no answer within 2 s \(timeout\)/],
    ["redirect", "unknown", /answered 302 \(redirect, not followed\)/],
  ] as const)("%s → %s", (name, state, reason) => {
    const [f] = byKey(result.findings, name);
    expect(f?.verification?.state).toBe(state);
    expect(f?.verification?.reason).toMatch(reason);
  });

  it("sends exactly `Authorization: Bearer <key>` with GET to the probe path of the key's kind", () => {
    for (const name of names) {
      const key = KEYS[name];
      const requests = api.requests.filter((r) => r.headers.authorization === `Bearer ${key}`);
      expect(requests.length, name).toBeGreaterThan(0);
      for (const r of requests) {
        expect(r.method).toBe("GET");
        expect(r.url).toBe(key.startsWith("cog_") ? "/v3/self" : "/v1/sessions?limit=1");
        // The key travels in that one header and nowhere else.
        for (const [header, value] of Object.entries(r.headers)) {
          if (header !== "authorization") expect(String(value), header).not.toContain(key);
        }
        expect(r.headers.cookie).toBeUndefined();
        expect(r.headers["user-agent"]).toMatch(/^devin-keyscan/);
      }
    }
  });

  it("asks once per key, twice only after a 429 or a 5xx", () => {
    const expected: Record<Name, number> = {
      liveServiceUser: 1, livePersonal: 1, liveService: 1, revoked: 1, forbidden: 1,
      rateLimitedOnce: 2, rateLimitedLong: 2, serverError: 2, hang: 1, redirect: 1,
    };
    for (const name of names) expect(requestsFor(KEYS[name]).length, name).toBe(expected[name]);
  });

  it("never puts the key in a reason, the JSON report or the text report", () => {
    const context = { color: false, redact: true, verbose: true, toolVersion: "0.0.0" };
    const json = formatJson(result, context);
    expect(JSON.parse(json).findings[0].verification).toMatchObject({ state: expect.any(String), reason: expect.any(String) });
    expectNoKeyIn(json);
    expectNoKeyIn(formatText(result, context));
    expectNoKeyIn(JSON.stringify(result.findings.map((f) => f.verification)));
  });
});

describe("one request per distinct key", () => {
  it("checks a key found in 50 files once and marks all 50 findings", async () => {
    const before = requestsFor(KEYS.liveService).length;
    const result = await scanKeys(["liveService"], 50);
    expect(result.findings).toHaveLength(50);
    const summary = await verifyFindings(result.findings, { ...FAST, baseUrl: api.url });
    expect(summary).toEqual({ keys: 1, valid: 1, invalid: 0, unknown: 0 });
    expect(requestsFor(KEYS.liveService).length - before).toBe(1);
    expect(result.findings.every((f) => f.verification?.state === "valid")).toBe(true);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const r = seededRng(77);
    const slow = Array.from({ length: 10 }, () => serviceUserKey(r));
    const local = await startStandInApi(new Map(slow.map((k) => [k, "slow" as const])));
    try {
      const dir = tempDir("dks-verify-slow-");
      slow.forEach((k, i) => writeFileSync(join(dir, `k${i}.env`), `DEVIN_TOKEN=${k}\n`));
      const result = await scan({ cwd: dir });
      await verifyFindings(result.findings, { ...FAST, baseUrl: local.url, concurrency: 3 });
      expect(local.requests).toHaveLength(10);
      expect(local.maxInFlight()).toBeLessThanOrEqual(3);
      expect(local.maxInFlight()).toBeGreaterThan(1);
      expect(result.findings.every((f) => f.verification?.state === "valid")).toBe(true);
    } finally {
      await local.close();
    }
  });
});

describe("failures are `unknown`, never a throw", () => {
  it("reports a refused connection with its cause", async () => {
    const result = await scanKeys(["liveServiceUser"]);
    const summary = await verifyFindings(result.findings, { ...FAST, baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(summary.unknown).toBe(1);
    expect(result.findings[0]?.verification).toEqual({ state: "unknown", reason: expect.stringMatching(/^network error: ECONNREFUSED/) });
  });

  it("leaves findings without a key alone", async () => {
    const before = api.requests.length;
    const finding: Finding = {
      ruleId: "valid-api-version", file: "a.ts", line: 1, column: 1, endLine: 1, endColumn: 2,
      redacted: "", fingerprint: "0".repeat(64), message: "unknown API version",
    };
    const summary = await verifyFindings([finding], { ...FAST, baseUrl: api.url });
    expect(summary.keys).toBe(0);
    expect(finding.verification).toBeUndefined();
    expect(api.requests.length).toBe(before);
  });
});

describe("applyVerification (the CLI's verify step)", () => {
  it("puts live keys first and says what it sends where", async () => {
    const result = await scanKeys(["revoked", "liveService", "hang"]);
    expect(result.findings.map((f) => f.file)).toEqual(["hang-0.env", "liveService-0.env", "revoked-0.env"]);
    const log: string[] = [];
    await applyVerification(result, { ...FAST, baseUrl: api.url, log: (l) => log.push(l) });
    expect(result.findings.map((f) => f.file)).toEqual(["liveService-0.env", "hang-0.env", "revoked-0.env"]);
    expect(log.join("")).toContain(`at ${api.url} (the key travels only in the Authorization header)`);
    expectNoKeyIn(log.join(""));
    expect(result.notices).toContain("verification: 3 distinct keys checked: 1 live, 1 invalid, 1 unknown");
    expect(result.errors).toEqual([]);
    const text = formatText(result, { color: false, redact: true, verbose: false, toolVersion: "0" });
    expect(text.split("\n")[0]).toMatch(/^LIVE KEY {2}liveService-0\.env:1:15 {2}no-hardcoded-key$/);
    expect(text).toContain("verified LIVE, rotate it now: GET /v1/sessions?limit=1 answered 200");
    expect(text).toContain("verified invalid (revoked or never issued): GET /v3/self answered 401");
    expect(text).toContain("verification unknown: no answer within 2 s (timeout)");
    expect(text).toMatch(/✖ 3 findings in 3 files \(1 service, 2 service-user\), 1 LIVE ·/);
  });

  it("with onlyVerified keeps live keys alone and turns unknown ones into errors", async () => {
    const result = await scanKeys(["revoked", "liveServiceUser", "serverError"]);
    await applyVerification(result, { ...FAST, baseUrl: api.url, onlyVerified: true });
    expect(result.findings.map((f) => f.file)).toEqual(["liveServiceUser-0.env"]);
    expect(result.errors).toEqual([
      { path: "serverError-0.env", code: "VERIFY", message: expect.stringMatching(/^could not verify key apk_\*\*\*\*.{4}: GET \/v1\/sessions\?limit=1 answered 500/) },
    ]);
    expectNoKeyIn(JSON.stringify(result.errors));
  });
});
