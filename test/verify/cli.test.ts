import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchKeyAt } from "../../src/grammar/index.js";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { BIN, tempDir, type CliRun } from "../support/cli.js";
import { closedPort, startStandInApi, type StandInApi } from "./stand-in-api.js";

/**
 * The "Done when", as a new user would try it: the BUILT CLI against a loopback
 * stand-in of the API. The CLI runs asynchronously, since the stand-in lives in this process.
 */

function runCliAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS: "1500", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const canonical = (k: string): string => matchKeyAt(k, 0)!.canonical;
const rng = seededRng(0xc11);
const live = serviceUserKey(rng);
const revoked = canonical(personalKey(rng));
const noPermission = serviceKey(rng);
const hanging = serviceUserKey(rng);
const ALL = [live, revoked, noPermission, hanging];

let api: StandInApi;
let repo: string;
beforeAll(async () => {
  api = await startStandInApi(new Map([[live, "live"], [noPermission, "forbidden"], [hanging, "hang"]]));
  repo = tempDir("dks-verify-cli-");
  mkdirSync(join(repo, "deploy"));
  writeFileSync(join(repo, "a-revoked.env"), `DEVIN_API_KEY=${revoked}\n`);
  writeFileSync(join(repo, "b-hanging.yml"), `token: ${hanging}\n`);
  writeFileSync(join(repo, "c-no-permission.sh"), `curl -H "Authorization: Bearer ${noPermission}" https://api.devin.ai/v1/sessions\n`);
  // The live key in 12 files: it must be asked about once.
  for (let i = 0; i < 12; i++) writeFileSync(join(repo, "deploy", `z-live-${i}.env`), `DEVIN_SERVICE_USER_TOKEN=${live}\n`);
});
afterAll(() => api.close());

function expectNoKey(run: CliRun): void {
  for (const key of ALL) {
    expect(run.stdout).not.toContain(key);
    expect(run.stderr).not.toContain(key);
  }
}

describe("devin-keyscan --verify (built CLI, stand-in API on 127.0.0.1)", () => {
  let text: CliRun;
  beforeAll(async () => {
    api.requests.length = 0;
    text = await runCliAsync([".", "--verify", "--verify-base-url", api.url], repo);
  });

  it("marks the live key valid, the revoked one invalid, the unreachable one unknown", () => {
    expect(text.status).toBe(1);
    const blocks = text.stdout.split("\n\n");
    // Live keys first (the 403 one and the 12 copies of the live key, in path order), each marked LIVE KEY.
    expect(blocks.slice(0, 13).every((b) => b.startsWith("LIVE KEY  "))).toBe(true);
    expect(blocks[13]).toMatch(/^a-revoked\.env/);
    expect(blocks[1]).toMatch(/^LIVE KEY {2}deploy\/z-live-0\.env:1:26 {2}no-hardcoded-key\n/);
    expect(blocks[1]).toContain("verified LIVE, rotate it now: GET /v3/self answered 200");
    expect(text.stdout).toMatch(/LIVE KEY {2}c-no-permission\.sh:1:\d+ {2}no-hardcoded-key\n.*\n {2}verified LIVE, rotate it now: GET \/v1\/sessions\?limit=1 answered 403: the key authenticated but lacks permission/);
    expect(text.stdout).toMatch(/\na-revoked\.env:1:15 {2}no-hardcoded-key\n.*\n {2}verified invalid \(revoked or never issued\): GET \/v1\/sessions\?limit=1 answered 401/);
    expect(text.stdout).toMatch(/\nb-hanging\.yml:1:8 {2}no-hardcoded-key\n.*\n {2}verification unknown: no answer within 1500 ms \(timeout\)/);
    expect(text.stdout).toContain("notice verification: 4 distinct keys checked: 2 live, 1 invalid, 1 unknown");
    expect(text.stdout).toMatch(/✖ 15 findings in 15 files \([^)]*\), 13 LIVE · /);
    expect(text.stderr).toBe(
      `devin-keyscan: --verify: checking each distinct key once with GET /v3/self or /v1/sessions?limit=1 at ${api.url} (the key travels only in the Authorization header)\n`,
    );
    expectNoKey(text);
  });

  it("sent one request per distinct key, each with exactly `Authorization: Bearer <key>`", () => {
    expect(api.requests.map((r) => r.token).sort()).toEqual([...ALL].sort());
    for (const r of api.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${r.token}`);
      expect(r.url).toBe(r.token!.startsWith("cog_") ? "/v3/self" : "/v1/sessions?limit=1");
      expect(r.headers["user-agent"]).toMatch(/^devin-keyscan\/\d+\.\d+\.\d+/);
    }
  });

  it("puts the state in the JSON report, never the key", async () => {
    const run = await runCliAsync([".", "--verify", "--verify-base-url", api.url, "--format", "json"], repo);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { file: string; verification?: { state: string; reason: string } }[] };
    const state = (file: string) => report.findings.find((f) => f.file === file)?.verification?.state;
    expect(state("deploy/z-live-3.env")).toBe("valid");
    expect(state("c-no-permission.sh")).toBe("valid");
    expect(state("a-revoked.env")).toBe("invalid");
    expect(state("b-hanging.yml")).toBe("unknown");
    expect(report.findings.slice(0, 13).every((f) => f.verification?.state === "valid")).toBe(true);
    expectNoKey(run);
  });

  it("--only-verified reports live keys alone; exit 0 when none is live, 3 when one could not be checked", async () => {
    const only = await runCliAsync([".", "--only-verified", "--verify-base-url", api.url, "--format", "json"], repo);
    expect(only.status).toBe(1);
    const report = JSON.parse(only.stdout) as { findings: { file: string }[]; errors: { path: string; code: string; message: string }[] };
    expect(report.findings.map((f) => f.file).sort()).toEqual(["c-no-permission.sh", ...Array.from({ length: 12 }, (_, i) => `deploy/z-live-${i}.env`)].sort());
    expect(report.errors).toEqual([{ path: "b-hanging.yml", code: "VERIFY", message: expect.stringMatching(/^could not verify key cog_\*\*\*\*\w{4}: no answer within 1500 ms/) }]);
    expectNoKey(only);

    const revokedOnly = await runCliAsync(["a-revoked.env", "--only-verified", "--verify-base-url", api.url], repo);
    expect(revokedOnly.status).toBe(0);
    expect(revokedOnly.stdout).toContain("notice --only-verified: 1 finding without a live key not reported");
    // Keys were found, none live: the verdict says which.
    expect(revokedOnly.stdout).toContain("✔ no live Devin credentials found");

    const hangingOnly = await runCliAsync(["b-hanging.yml", "--only-verified", "--verify-base-url", api.url], repo);
    expect(hangingOnly.status).toBe(3);
    expect(hangingOnly.stdout).toMatch(/error b-hanging\.yml: could not verify key cog_\*\*\*\*\w{4}: no answer within 1500 ms \(timeout\)/);
    expectNoKey(hangingOnly);
  });

  it("an unreachable API leaves every key unknown, with the reason", async () => {
    const run = await runCliAsync([".", "--verify", "--verify-base-url", `http://127.0.0.1:${await closedPort()}`, "--format", "json"], repo);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { verification?: { state: string; reason: string } }[] };
    expect(report.findings).toHaveLength(15);
    for (const f of report.findings) expect(f.verification).toEqual({ state: "unknown", reason: expect.stringMatching(/^network error: ECONNREFUSED/) });
    expectNoKey(run);
  });
});

describe("verification is opt-in and refuses unsafe destinations", () => {
  it("sends nothing without --verify", async () => {
    const before = api.requests.length;
    const run = await runCliAsync([".", "--format", "json"], repo);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("verification");
    expect(api.requests.length).toBe(before);
  });

  it.each([
    [["--verify", "--verify-base-url", "http://api.devin.ai"], /plain http is allowed only for loopback hosts/],
    [["--verify", "--verify-base-url", "http://192.168.1.10:8080"], /plain http is allowed only for loopback hosts/],
    [["--verify", "--verify-base-url", "ftp://127.0.0.1"], /must use https, not ftp/],
    [["--verify", "--verify-base-url", "not a url"], /is not a URL/],
    [["--verify-base-url", "https://api.devin.ai"], /--verify-base-url needs --verify/],
    [["--verify"], /DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS must be a whole number of milliseconds from 1 to 999999999 \(got "abc"\)/, { DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS: "abc" }],
    [["--verify"], /DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS must be .* \(got "0"\)/, { DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS: "0" }],
  ] as [string[], RegExp, NodeJS.ProcessEnv?][])("exit 2 for %j", async (args, message, env = {}) => {
    const before = api.requests.length;
    const run = await runCliAsync([".", ...args], repo, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(api.requests.length).toBe(before);
  });
});

describe("what --verify says before it sends", () => {
  it("names the base URL with any key in it redacted", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/${live}`;
    const run = await runCliAsync(["deploy/z-live-0.env", "--verify", "--verify-base-url", url], repo);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/checking each distinct key once with GET .* at http:\/\/127\.0\.0\.1:\d+\/cog_\*{4}\w{4} /);
    expectNoKey(run);
  });
});

describe("verifyBaseUrl in the configuration file", () => {
  function repoWithConfig(verifyBaseUrl: string): string {
    const dir = tempDir("dks-verify-config-");
    writeFileSync(join(dir, "devin-keyscan.config.json"), JSON.stringify({ verifyBaseUrl }));
    writeFileSync(join(dir, "live.env"), `DEVIN_API_KEY=${live}\n`);
    return dir;
  }

  it("is where --verify sends keys, and does not turn verification on by itself", async () => {
    const dir = repoWithConfig(api.url);
    const before = api.requests.length;
    const off = await runCliAsync([".", "--format", "json"], dir);
    expect(off.status).toBe(1);
    expect(api.requests.length).toBe(before);
    const on = await runCliAsync([".", "--verify", "--format", "json"], dir);
    expect(on.status).toBe(1);
    expect(api.requests.length).toBe(before + 1);
    expect(JSON.parse(on.stdout).findings[0].verification).toEqual({ state: "valid", reason: "GET /v3/self answered 200" });
  });

  it("loses to --verify-base-url", async () => {
    const dir = repoWithConfig("https://proxy.invalid");
    const run = await runCliAsync([".", "--verify", "--verify-base-url", api.url, "--format", "json"], dir);
    expect(JSON.parse(run.stdout).findings[0].verification.state).toBe("valid");
  });

  it("is held to the same rules (exit 2, message names the file)", async () => {
    const dir = repoWithConfig("http://devin.example.com");
    const run = await runCliAsync([".", "--verify"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("verifyBaseUrl in devin-keyscan.config.json must use https: plain http is allowed only for loopback hosts");
  });
});
