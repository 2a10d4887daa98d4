import { execFileSync } from "node:child_process";
import { GIT_ENV } from "../support/git-env.js";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { keys, read, scanJson, write } from "./support.js";

/**
 * Issue 5, "Done when", as a new user: a repository with three known test keys, one
 * --update-baseline, the baseline committed, then: green; a new key → red with exactly one
 * finding; a known key moved to another line → green; no secret in the baseline.
 */
const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, env: GIT_ENV, encoding: "utf8" });

describe("a new user adopts devin-keyscan with a baseline", () => {
  const repo = tempDir("dks-adopt-");
  const known = keys(707);
  const real = keys(808);

  it("goes green after one --update-baseline, red on a new key, green when a known key moves", () => {
    git(repo, "init", "-q", "-b", "main");
    write(repo, "devin-keyscan.config.json", JSON.stringify({ baseline: ".devin-keyscan-baseline.json" }, null, 2));
    write(repo, "test/fixtures/personal.env", `DEVIN_API_KEY=${known.personal}\n`);
    write(repo, "test/fixtures/service.yaml", `devin:\n  token: ${known.service}\n`);
    write(repo, "docs/mcp.md", `Example:\n\n    Authorization: Bearer ${known.serviceUser}\n`);
    write(repo, "src/app.ts", "export const url = 'https://api.devin.ai/v1/sessions';\n");

    const before = scanJson(repo, ["."]);
    expect(before.run.status).toBe(1);
    expect(before.report.notices).toContain(".devin-keyscan-baseline.json: baseline file not found, nothing is accepted (create it with --update-baseline)");
    const knownFindings = before.report.findings.filter((f) => f.ruleId === "no-hardcoded-key");
    expect(knownFindings).toHaveLength(3);

    const update = runCli(["--update-baseline", "."], { cwd: repo });
    expect(update.status).toBe(0);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Adopt devin-keyscan with a baseline of known test keys");

    const green = runCli(["."], { cwd: repo });
    expect(green.status).toBe(0);
    expect(green.stdout).toContain("✔ no Devin credentials found");

    // A real key arrives: red, exactly one finding, and it is the new key.
    write(repo, "src/client.ts", `const apiKey = "${real.personal}";\n`);
    const red = scanJson(repo, ["."]);
    expect(red.run.status).toBe(1);
    expect(red.report.findings).toHaveLength(1);
    expect(red.report.findings[0]).toMatchObject({ file: "src/client.ts", kind: "personal", line: 1 });
    write(repo, "src/client.ts", "const apiKey = process.env.DEVIN_API_KEY;\n");

    // A known key moves to another line of its file: still green.
    write(repo, "test/fixtures/service.yaml", `# moved\nother: 1\ndevin:\n  region: eu\n  token: ${known.service}\n`);
    expect(runCli(["."], { cwd: repo }).status).toBe(0);

    const baseline = read(repo, ".devin-keyscan-baseline.json");
    for (const key of Object.values(known)) {
      const body = key.replace(/^(apk_user_|apk_|cog_)/, "");
      expect(baseline).not.toContain(body);
      if (!key.startsWith("cog_")) expect(baseline).not.toContain(Buffer.from(body, "base64").toString("latin1"));
    }
    expect(baseline).not.toMatch(/apk_|cog_/);
    // The committed baseline itself scans clean.
    expect(runCli([".devin-keyscan-baseline.json"], { cwd: repo }).status).toBe(0);
  });
});
