import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint as sha256, findKeys } from "../../src/grammar/index.js";
import { runCli, tempDir } from "../support/cli.js";
import { keys, read, scanJson, write } from "./support.js";

const BASELINE = ".devin-keyscan-baseline.json";

/** A finding's fingerprint: SHA-256 of the canonical key (personal keys get their padding back). */
function fingerprint(key: string): string {
  return sha256(findKeys(key)[0]!.canonical);
}

function entries(dir: string): Array<Record<string, string>> {
  return (JSON.parse(read(dir, BASELINE)) as { entries: Array<Record<string, string>> }).entries;
}

describe("baseline round trip", () => {
  const dir = tempDir("dks-baseline-");
  const k = keys(101);
  const extra = keys(202);

  it("--update-baseline records every finding and the next scan is clean", () => {
    write(dir, "config/.env", `DEVIN_API_KEY=${k.personal}\n`);
    write(dir, "deploy.yaml", `token: ${k.service}\n`);
    write(dir, "mcp.json", `{ "key": "${k.serviceUser}" }\n`);
    expect(runCli(["."], { cwd: dir }).status).toBe(1);

    const update = runCli(["--baseline", BASELINE, "--update-baseline", "."], { cwd: dir });
    expect(update.status).toBe(0);
    expect(update.stderr).toContain(`baseline ${BASELINE} written: 3 entries (3 added, 0 pruned)`);
    expect(entries(dir)).toEqual([
      { fingerprint: fingerprint(k.personal), ruleId: "no-hardcoded-key", file: "config/.env", kind: "personal" },
      { fingerprint: fingerprint(k.service), ruleId: "no-hardcoded-key", file: "deploy.yaml", kind: "service" },
      { fingerprint: fingerprint(k.serviceUser), ruleId: "no-hardcoded-key", file: "mcp.json", kind: "service-user" },
    ]);

    const { run, report } = scanJson(dir, ["--baseline", BASELINE]);
    expect(run.status).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.stale).toBeUndefined();
  });

  it("stores no key, no key body and no decoded body", () => {
    const text = read(dir, BASELINE);
    for (const key of Object.values(k)) {
      const body = key.replace(/^(apk_user_|apk_|cog_)/, "");
      expect(text).not.toContain(key);
      expect(text).not.toContain(body);
      expect(text).not.toContain(body.slice(-8));
      if (!key.startsWith("cog_")) {
        const decoded = Buffer.from(body, "base64").toString("latin1");
        expect(text).not.toContain(decoded);
        // The secret half of the decoded body (after the colon) never appears.
        expect(text).not.toContain(decoded.split(":")[1]!);
      }
    }
    expect(text).not.toMatch(/apk_|cog_/);
  });

  it("keeps a moved key accepted: the baseline is keyed by content, not by line", () => {
    write(dir, "config/.env", `# moved down\n\n\nOTHER=1\nDEVIN_API_KEY=${k.personal}\n`);
    const { run, report } = scanJson(dir, ["--baseline", BASELINE]);
    expect(run.status).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("reports a different key on the same line as an accepted one", () => {
    write(dir, "deploy.yaml", `token: ${k.service} ${extra.service}\n`);
    const { run, report } = scanJson(dir, ["--baseline", BASELINE]);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line, f.fingerprint])).toEqual([["deploy.yaml", 1, fingerprint(extra.service)]]);
  });

  it("reports an accepted key copied into another file", () => {
    write(dir, "deploy.yaml", `token: ${k.service}\n`);
    write(dir, "copy.txt", `${k.serviceUser}\n`);
    const { run, report } = scanJson(dir, ["--baseline", BASELINE]);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(["copy.txt"]);
    rmSync(join(dir, "copy.txt"));
  });

  it("calls an entry whose key was removed stale: a notice, exit 0; exit 1 with --fail-on-stale", () => {
    write(dir, "mcp.json", `{ "key": "" }\n`);
    const { run, report } = scanJson(dir, ["--baseline", BASELINE]);
    expect(run.status).toBe(0);
    expect(report.stale).toEqual([{ fingerprint: fingerprint(k.serviceUser), ruleId: "no-hardcoded-key", file: "mcp.json", kind: "service-user" }]);
    expect(report.notices.join("\n")).toMatch(/stale baseline entry: mcp\.json \(no-hardcoded-key, fingerprint [0-9a-f]{12}…\)/);

    const strict = runCli(["--baseline", BASELINE, "--fail-on-stale", "."], { cwd: dir });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain("stale baseline entry: mcp.json");
    expect(strict.stderr).toContain("1 stale baseline entry (--fail-on-stale)");
  });

  it("calls an entry for a deleted file stale", () => {
    renameSync(join(dir, "deploy.yaml"), join(dir, "deploy.yaml.bak"));
    const { report } = scanJson(dir, ["--baseline", BASELINE, "--exclude", "*.bak"]);
    expect(report.stale?.map((s) => s.file).sort()).toEqual(["deploy.yaml", "mcp.json"]);
    renameSync(join(dir, "deploy.yaml.bak"), join(dir, "deploy.yaml"));
  });

  it("does not call an entry stale when its file was not scanned", () => {
    // A scan of one file, and a scan that excludes the file: neither looked at mcp.json.
    expect(scanJson(dir, ["--baseline", BASELINE, "config/.env"]).report.stale).toBeUndefined();
    expect(scanJson(dir, ["--baseline", BASELINE, "--exclude", "mcp.json", "."]).report.stale).toBeUndefined();
    mkdirSync(join(dir, "empty"), { recursive: true });
    expect(scanJson(dir, ["--baseline", BASELINE, "empty"]).report.stale).toBeUndefined();
  });

  it("--update-baseline prunes stale entries, adds new ones, keeps reasons and expiry dates", () => {
    const edited = JSON.parse(read(dir, BASELINE)) as { version: number; entries: Array<Record<string, string>> };
    edited.entries[0]!.reason = "documented test key";
    edited.entries[0]!.expires = "2999-12-31";
    write(dir, BASELINE, JSON.stringify(edited, null, 2));
    write(dir, "later.env", `NEW=${extra.personal}\n`);

    const update = runCli(["--baseline", BASELINE, "--update-baseline", "."], { cwd: dir });
    expect(update.status).toBe(0);
    expect(update.stderr).toContain("3 entries (1 added, 1 pruned)");
    expect(entries(dir)).toEqual([
      { fingerprint: fingerprint(k.personal), ruleId: "no-hardcoded-key", file: "config/.env", kind: "personal", reason: "documented test key", expires: "2999-12-31" },
      { fingerprint: fingerprint(k.service), ruleId: "no-hardcoded-key", file: "deploy.yaml", kind: "service" },
      { fingerprint: fingerprint(extra.personal), ruleId: "no-hardcoded-key", file: "later.env", kind: "personal" },
    ]);
    expect(scanJson(dir, ["--baseline", BASELINE]).run.status).toBe(0);
  });

  it("is byte-for-byte stable when nothing changed", () => {
    const before = read(dir, BASELINE);
    expect(runCli(["--baseline", BASELINE, "--update-baseline", "."], { cwd: dir }).status).toBe(0);
    expect(read(dir, BASELINE)).toBe(before);
  });

  it("shows the baseline's reason with --verbose", () => {
    const { report } = scanJson(dir, ["--baseline", BASELINE, "--verbose"]);
    expect(report.suppressed).toContainEqual(expect.objectContaining({ file: "config/.env", suppressedBy: "baseline", reason: "documented test key", expires: "2999-12-31" }));
    const text = runCli(["--baseline", BASELINE, "--verbose", "."], { cwd: dir });
    expect(text.stdout).toContain("by baseline: documented test key, until 2999-12-31");
    expect(runCli(["--baseline", BASELINE, "."], { cwd: dir }).stdout).toContain("3 suppressed (--verbose lists them)");
  });
});

describe("baseline entries that expire", () => {
  it("stop suppressing after their last day, with a notice; --update-baseline keeps the date", () => {
    const dir = tempDir("dks-expire-");
    const k = keys(303);
    write(dir, "a.env", `K=${k.service}\n`);
    write(
      dir,
      "baseline.json",
      JSON.stringify({ version: 1, entries: [{ fingerprint: fingerprint(k.service), ruleId: "no-hardcoded-key", file: "a.env", expires: "2020-01-31", reason: "rotate by January" }] }),
    );
    const { run, report } = scanJson(dir, ["--baseline", "baseline.json"]);
    expect(run.status).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.notices.join("\n")).toContain("expired on 2020-01-31: the finding is reported again");
    expect(report.stale).toBeUndefined();

    expect(runCli(["--baseline", "baseline.json", "--update-baseline", "."], { cwd: dir }).status).toBe(1);
    expect(read(dir, "baseline.json")).toContain('"expires": "2020-01-31"');
  });
});

describe("baseline paths", () => {
  it("are relative to the baseline file, so a scan from a subdirectory matches them", () => {
    const dir = tempDir("dks-basepath-");
    const k = keys(404);
    write(dir, "app/src/config.ts", `export const key = "${k.serviceUser}";\n`);
    expect(runCli(["--baseline", "ci/baseline.json", "--update-baseline", "."], { cwd: dir }).status).toBe(0);
    expect(JSON.parse(read(dir, "ci/baseline.json")).entries[0].file).toBe("../app/src/config.ts");
    const fromSub = runCli(["--baseline", "../ci/baseline.json", "."], { cwd: join(dir, "app") });
    expect(fromSub.status).toBe(0);
  });
});

describe("baseline errors", () => {
  const dir = tempDir("dks-baseerr-");
  write(dir, "a.txt", "nothing here\n");

  it("a missing baseline is a usage error (exit 2) unless it is being created", () => {
    const r = runCli(["--baseline", "nope.json", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nope.json: baseline file not found (create it with --update-baseline)");
    expect(runCli(["--baseline", "nope.json", "--update-baseline", "."], { cwd: dir }).status).toBe(0);
    expect(existsSync(join(dir, "nope.json"))).toBe(true);
  });

  it("an invalid baseline is a usage error with the exact path of the problem", () => {
    write(dir, "bad.json", JSON.stringify({ version: 1, entries: [{ fingerprint: "abc", ruleId: "no-hardcoded-key", file: "a.txt", line: 3 }] }));
    const r = runCli(["--baseline", "bad.json", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bad.json: /entries/0/fingerprint must match ^[0-9a-f]{64}$");
    expect(r.stderr).toContain("bad.json: /entries/0/line is not a known setting");
    write(dir, "bad.json", "{ not json");
    const broken = runCli(["--baseline", "bad.json", "--update-baseline", "."], { cwd: dir });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("bad.json: invalid JSON");
    expect(read(dir, "bad.json")).toBe("{ not json");
  });

  it("--update-baseline without a baseline file is a usage error", () => {
    const r = runCli(["--update-baseline", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--update-baseline needs a baseline file");
  });
});

describe("baseline with --staged (added lines only)", () => {
  it("neither calls entries stale nor prunes them: a partial scan does not prove a key is gone", () => {
    const dir = tempDir("dks-staged-base-");
    const git = (...args: string[]): string =>
      execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
        cwd: dir,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
        encoding: "utf8",
      });
    const k = keys(909);
    git("init", "-q", "-b", "main");
    write(dir, "a.env", `A=${k.service}\n`);
    expect(runCli(["--baseline", "b.json", "--update-baseline", "."], { cwd: dir }).status).toBe(0);
    git("add", "-A");
    git("commit", "-q", "-m", "init");
    write(dir, "a.env", `A=${k.service}\nB=2\n`);
    git("add", "a.env");
    const staged = scanJson(dir, ["--staged", "--baseline", "b.json"]);
    expect(staged.run.status).toBe(0);
    expect(staged.report.stale).toBeUndefined();
    expect(runCli(["--staged", "--baseline", "b.json", "--update-baseline"], { cwd: dir }).stderr).toContain("1 entry (0 added, 0 pruned)");
    // A new key in the staged lines is still reported, and is what --update-baseline adds.
    write(dir, "a.env", `A=${k.service}\nB=${k.personal}\n`);
    git("add", "a.env");
    expect(scanJson(dir, ["--staged", "--baseline", "b.json"]).report.findings.map((f) => f.line)).toEqual([2]);
  });
});
