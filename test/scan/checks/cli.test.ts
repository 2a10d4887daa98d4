import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../../src/grammar/synthetic.js";
import { runCli, tempDir } from "../../support/cli.js";
import { HOST } from "./support.js";

/** The "Done when", tried through the built CLI as a new user would. */

const readme = (key: string) =>
  [
    "# Start a Devin session",
    "",
    "```sh",
    `curl -X POST https://${HOST}/v3beta1/organizations/my-org/sessions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -d '{"prompt": "Fix the flaky test"}'`,
    "```",
    "",
  ].join("\n");

interface JsonFinding {
  ruleId: string;
  line: number;
  kind?: string;
  encoding?: string;
  message: string;
}

function scanDir(dir: string): { status: number | null; findings: JsonFinding[]; text: string; json: string } {
  const json = runCli(["--format", "json", "."], { cwd: dir });
  const text = runCli(["."], { cwd: dir });
  expect(json.stderr).toBe("");
  return { status: json.status, findings: (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings, text: text.stdout, json: json.stdout };
}

describe("devin-keyscan CLI: text-level checks and decoded keys", () => {
  const rng = seededRng(2026);

  it("a README curl sending a personal key to /v3beta1/ gets a mismatch on the key line plus the key finding", () => {
    const dir = tempDir();
    const key = personalKey(rng);
    writeFileSync(join(dir, "README.md"), readme(key));
    const r = scanDir(dir);
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => `${f.line}:${f.ruleId}`).sort()).toEqual(["5:no-hardcoded-key", "5:no-version-mismatch"]);
    const mismatch = r.findings.find((f) => f.ruleId === "no-version-mismatch")!;
    expect(mismatch.kind).toBe("personal");
    expect(mismatch.message).toContain("v3beta1");
    expect(mismatch.message).toContain("cog_");
    expect(mismatch.message).toContain("Enterprise Settings > Service Users");
    expect(r.text).toContain("README.md:5:");
    expect(r.text).toContain("no-version-mismatch");
    expect(r.text + r.json).not.toContain(key);
  });

  it("the same command with a cog_ key gets only the key finding", () => {
    const dir = tempDir();
    const key = serviceUserKey(rng);
    writeFileSync(join(dir, "README.md"), readme(key));
    const r = scanDir(dir);
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => `${f.line}:${f.ruleId}`)).toEqual(["5:no-hardcoded-key"]);
    expect(r.text + r.json).not.toContain(key);
  });

  it("a Kubernetes Secret with a base64-encoded service key is reported at the encoded value", () => {
    const dir = tempDir();
    const key = serviceKey(rng);
    const encoded = Buffer.from(key).toString("base64");
    writeFileSync(
      join(dir, "secret.yaml"),
      ["apiVersion: v1", "kind: Secret", "metadata:", "  name: devin", "data:", `  DEVIN_API_KEY: ${encoded}`, ""].join("\n"),
    );
    const r = scanDir(dir);
    expect(r.status).toBe(1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ ruleId: "no-hardcoded-key", line: 6, kind: "service", encoding: "base64" });
    expect(r.text).toContain("base64");
    expect(r.text + r.json).not.toContain(key);
    expect(r.text + r.json).not.toContain(encoded);
  });

  it("a request to another host on the next line is not taken for the Devin request above it", () => {
    const dir = tempDir();
    const key = personalKey(rng);
    writeFileSync(
      join(dir, "r.py"),
      [
        "import requests",
        `requests.get("https://${HOST}/v3/self")`,
        `requests.get("https://example.com/x", headers={"Authorization": "Token abc"})`,
        `requests.get("https://example.com/y", headers={"Authorization": "Bearer ${key}"})`,
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "r.sh"), [`curl https://${HOST}/v1/sessions`, `curl https://example.com/x -H "Authorization: Token abc"`, ""].join("\n"));
    const r = scanDir(dir);
    // The key is still a key; neither the header nor the key is tied to the Devin URL.
    expect(r.findings.map((f) => f.ruleId)).toEqual(["no-hardcoded-key"]);
    // Without a URL of its own, the header still belongs to the paragraph's Devin request (Go, Ruby).
    writeFileSync(join(dir, "r.rb"), [`uri = URI("https://${HOST}/v1/sessions")`, `req = Net::HTTP::Get.new(uri)`, `req["Authorization"] = "Token abc"`, ""].join("\n"));
    const rb = scanDir(dir).findings.filter((f) => f.ruleId === "valid-auth-header");
    expect(rb.map((f) => f.message)).toEqual([expect.stringContaining("(request to api.devin.ai/v1/sessions)")]);
  });

  it("another service's token header in the same block as a Devin request is not taken for Devin's", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "two.go"),
      [
        "func call() {",
        `  req, _ := http.NewRequest("GET", "https://${HOST}/v1/sessions", nil)`,
        '  req.Header.Set("Authorization", "Bearer "+os.Getenv("DEVIN_API_KEY"))',
        '  gh, _ := http.NewRequest("GET", "https://api.github.com/user", nil)',
        '  gh.Header.Set("Authorization", "token "+ghToken)',
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "two.py"), [`DEVIN_URL = "https://${HOST}/v1/sessions"`, 'GH_HEADERS = {"Authorization": f"token {gh_token}"}', ""].join("\n"));
    writeFileSync(join(dir, "two.sh"), [`DEVIN=https://${HOST}/v1/sessions`, 'curl -H "Authorization: token $GITHUB_TOKEN" "$GH_API/user"', ""].join("\n"));
    expect(scanDir(dir).findings).toEqual([]);
    // Devin's own header, built over several statements, still is.
    writeFileSync(join(dir, "devin.py"), [`DEVIN_URL = "https://${HOST}/v1/sessions"`, 'HEADERS = {"Authorization": f"token {DEVIN_API_KEY}"}', ""].join("\n"));
    expect(scanDir(dir).findings.map((f) => `${f.ruleId}`)).toEqual(["valid-auth-header"]);
  });

  it("a scheme joined to the Devin key's variable is judged, without a URL nearby; another service's is not", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.py"), 'h = {"Authorization": "Token " + os.environ["DEVIN_API_KEY"]}\n');
    writeFileSync(join(dir, "g.go"), 'req.Header.Set("Authorization", "Token "+os.Getenv("DEVIN_API_KEY"))\n');
    writeFileSync(join(dir, "j.js"), 'const g = { Authorization: "token " + process.env.GH_TOKEN };\n');
    const r = scanDir(dir);
    expect(r.findings.map((f) => `${f.ruleId}`)).toEqual(["valid-auth-header", "valid-auth-header"]);
  });

  it("an unknown version and a header without Bearer are reported with the fix", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "call.sh"), `curl https://${HOST}/v3beta/self -H "Authorization: Token $DEVIN_API_KEY"\n`);
    const r = scanDir(dir);
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["valid-api-version", "valid-auth-header"]);
    expect(r.findings.find((f) => f.ruleId === "valid-api-version")!.message).toContain('"/v3beta1/"');
    expect(r.findings.find((f) => f.ruleId === "valid-auth-header")!.message).toContain("Bearer");
  });
});
