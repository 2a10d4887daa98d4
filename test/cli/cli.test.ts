import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../../src/cli/args.js";
import { useColor } from "../../src/cli/main.js";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";
import { BIN, ROOT, runCli, tempDir } from "../support/cli.js";

const rng = seededRng(31337);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** A small project: one personal key in config/.env, one clean file. */
function project(): { dir: string; key: string; orgId: string } {
  const dir = tempDir("dks-cli-");
  const orgHex = "8b42c835484f3e32248c1e89af9ed025";
  const key = personalKey(rng, { form: "email", orgHex });
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "config/.env"), `# local\nDEVIN_API_KEY=${key}\n`);
  writeFileSync(join(dir, "README.md"), "nothing to see: apk_version_code, cog_unload\n");
  return { dir, key, orgId: `org-${orgHex}` };
}

describe("--help and --version", () => {
  it("--help lists usage, every flag and the exit codes", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage:");
    for (const f of FLAGS) expect(r.stdout, f.name).toContain(`--${f.name}`);
    for (const code of ["0", "1", "2", "3"]) expect(r.stdout).toMatch(new RegExp(`^  ${code}  `, "m"));
    expect(runCli(["-h"]).stdout).toBe(r.stdout);
  });

  it("the built bin is executable (npx runs it directly from a clone)", () => {
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
    expect(readFileSync(BIN, "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("--version prints the package version", () => {
    const r = runCli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

describe("exit codes", () => {
  it("0 when nothing is found", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt"), "apk_path cog_before_invoke\n");
    const r = runCli(["."], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^✔ no Devin credentials found · 1 file \(\d+ B\) scanned in \d+ ms\n$/);
    expect(r.stderr).toBe("");
  });

  it("1 when a key is found; the text report says where, what, which org and what to do", () => {
    const { dir, key, orgId } = project();
    const r = runCli([], { cwd: dir });
    expect(r.status).toBe(1);
    const body = key.slice(9);
    const stable = r.stdout.replace(/\(\d+ B\) scanned in \d+ ms/, "(N B) scanned in N ms");
    expect(stable).toBe(
      [
        "config/.env:2:15  no-hardcoded-key",
        "  personal API key (apk_user_) found: revoke it under Settings > API Keys in the organisation that issued it, then generate a new key and store it in a secret manager",
        `  key apk_user_****${body.slice(-4)} · organisation ${orgId}`,
        "",
        "✖ 1 finding in 1 file (1 personal) · 2 files (N B) scanned in N ms",
        "",
      ].join("\n"),
    );
  });

  it("2 for an unknown flag, a bad format, or a missing path (named)", () => {
    const { dir } = project();
    const flag = runCli(["--no-such-flag"], { cwd: dir });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("--no-such-flag");
    const format = runCli(["--format", "xml", "."], { cwd: dir });
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('unknown format "xml"');
    const missing = runCli(["config", "does/not/exist.txt"], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("does/not/exist.txt");
    expect(missing.stdout).toBe("");
    for (const flag of ["--include", "--exclude"]) {
      const empty = runCli([flag, "", "."], { cwd: dir });
      expect(empty.status, flag).toBe(2);
      expect(empty.stderr).toContain(`${flag} needs a glob, not an empty string`);
      expect(empty.stderr).not.toMatch(/internal error/);
    }
  });

  it("3 when input cannot be read and nothing was found; 1 when something was found anyway", () => {
    const { dir } = project();
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const failed = runCli(["pipe", "README.md"], { cwd: dir, timeout: 30_000 });
    expect(failed.status).toBe(3);
    expect(failed.stdout).toContain("error pipe: not a regular file (FIFO)");
    expect(failed.stdout).toContain("✖ incomplete scan: 1 error");
    expect(failed.stdout).not.toContain("no Devin credentials found");
    const json = runCli(["--format", "json", "pipe"], { cwd: dir, timeout: 30_000 });
    expect(json.status).toBe(3);
    expect(JSON.parse(json.stdout).errors).toMatchObject([{ path: "pipe", code: "ENOTREG" }]);
    const both = runCli(["pipe", "config"], { cwd: dir, timeout: 30_000 });
    expect(both.status).toBe(1);
    expect(both.stdout).toContain("1 error");
  });

  it("3 when the report cannot be written", () => {
    const { dir } = project();
    const r = runCli(["--output", join(dir, "no-such-dir", "report.txt"), "README.md"], { cwd: dir });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("cannot write report");
  });
});

describe("--format json", () => {
  it("follows DESIGN.md §5", () => {
    const { dir, key, orgId } = project();
    const r = runCli(["--format", "json"], { cwd: dir });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["version", "findings", "errors", "stats"]));
    expect(report.version).toBe(1);
    expect(report.errors).toEqual([]);
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0];
    expect(f).toMatchObject({
      ruleId: "no-hardcoded-key",
      kind: "personal",
      file: "config/.env",
      line: 2,
      column: 15,
      endLine: 2,
      endColumn: 15 + key.length,
      redacted: `apk_user_****${key.slice(-4)}`,
      orgId,
    });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(f.message).toContain("Settings > API Keys");
    expect(Object.keys(f).slice(0, 11)).toEqual(["ruleId", "kind", "file", "line", "column", "endLine", "endColumn", "redacted", "fingerprint", "orgId", "message"]);
    expect(f.secret).toBeUndefined();
    expect(r.stdout).not.toContain(key.slice(9));
    expect(report.stats).toMatchObject({ filesScanned: 2, skippedBinary: 0, skippedNotRegular: 0 });
    expect(report.stats.bytesScanned).toBe(statSync(join(dir, "config/.env")).size + statSync(join(dir, "README.md")).size);
  });

  it("--no-redact adds the key as `secret`", () => {
    const { dir, key } = project();
    const r = runCli(["--format", "json", "--no-redact"], { cwd: dir });
    expect(JSON.parse(r.stdout).findings[0].secret).toBe(key + "=".repeat((4 - ((key.length - 9) % 4)) % 4));
  });

  it("uses / separators and paths relative to the working directory", () => {
    const { dir } = project();
    const r = runCli(["--format", "json", join(dir, "config")], { cwd: join(dir, "config") });
    expect(JSON.parse(r.stdout).findings[0].file).toBe(".env");
    mkdirSync(join(dir, "other"));
    const up = runCli(["--format", "json", "../config/.env"], { cwd: join(dir, "other") });
    expect(JSON.parse(up.stdout).findings[0].file).toBe("../config/.env");
  });
});

describe("--output", () => {
  it("writes the report to the file (mode 0600), a summary to stderr and nothing to stdout", () => {
    const { dir, key } = project();
    const out = join(dir, "report.json");
    const r = runCli(["--format", "json", "--output", out, "config"], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`report written to ${out}`);
    expect(r.stderr).toMatch(/1 finding/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, "utf8");
    expect(JSON.parse(text).findings).toHaveLength(1);
    expect(text + r.stderr).not.toContain(key.slice(9));
  });

  it("-o with the text format has no colours even when forced", () => {
    const { dir } = project();
    const out = join(dir, "report.txt");
    runCli(["-o", out, "config"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(readFileSync(out, "utf8")).not.toContain("\u001b[");
  });
});

describe("colours", () => {
  const ESC = "\u001b[";
  it("on a terminal by default; FORCE_COLOR=0 or false turns them off there, as in Node", () => {
    const tty = (env: NodeJS.ProcessEnv) => useColor({ env, stdout: Object.assign(new PassThrough(), { isTTY: true }) }, {}, false);
    expect(tty({})).toBe(true);
    expect(tty({ FORCE_COLOR: "0" })).toBe(false);
    expect(tty({ FORCE_COLOR: "false" })).toBe(false);
    expect(tty({ FORCE_COLOR: "1" })).toBe(true);
    expect(tty({ NO_COLOR: "1" })).toBe(false);
    expect(useColor({ env: {}, stdout: new PassThrough() }, {}, false)).toBe(false);
  });

  it("FORCE_COLOR turns them on; --no-color and NO_COLOR turn them off", () => {
    const { dir } = project();
    expect(runCli(["config"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stdout).toContain(ESC);
    expect(runCli(["--no-color", "config"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(runCli(["config"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    // Not a terminal (a pipe here): no colours by default.
    expect(runCli(["config"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: undefined } }).stdout).not.toContain(ESC);
  });
});

describe("standard input", () => {
  it("`-` scans standard input, reported as <stdin>", () => {
    const key = serviceUserKey(rng);
    const r = runCli(["--format", "json", "-"], { input: `log line\nAuthorization: Bearer ${key}\n` });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === "no-hardcoded-key")).toMatchObject([
      { file: "<stdin>", kind: "service-user", line: 2, column: 23 },
    ]);
    expect(r.stdout).not.toContain(key.slice(4));
  });

  it("`-` with clean input exits 0; with UTF-16 input it decodes", () => {
    expect(runCli(["-"], { input: "nothing here\n" }).status).toBe(0);
    const key = serviceKey(rng);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`x=${key}\r\n`, "utf16le")]);
    const r = runCli(["--format", "json", "-"], { input: utf16 });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ kind: "service", line: 1, column: 3 });
  });

  it("files and standard input in one run", () => {
    const { dir } = project();
    const r = runCli(["--format", "json", "config", "-"], { cwd: dir, input: `k=${serviceUserKey(rng)}\n` });
    expect(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file)).toEqual(["<stdin>", "config/.env"]);
  });
});

describe("large inputs", () => {
  it("a multi-megabyte log with keys straddling the 1 MiB read chunks, found at exact lines", () => {
    const dir = tempDir("dks-large-");
    const line = "2026-01-27T01:02:03Z INFO request handled path=/v1/sessions status=200 took=12ms\n";
    const keys = [personalKey(rng, { form: "github" }), serviceKey(rng), serviceUserKey(rng)];
    const parts: string[] = [];
    const expected: Array<{ line: number; column: number; kind: string }> = [];
    let size = 0;
    let lines = 0;
    for (let mib = 1; mib <= 6; mib++) {
      const key = keys[mib % 3]!;
      // Put the key across the mib-th 1 MiB boundary, at a different cut point each time.
      const target = mib * (1 << 20) - Math.floor((key.length * mib) / 7);
      while (size + line.length < target) {
        parts.push(line);
        size += line.length;
        lines++;
      }
      const pad = " ".repeat(target - size);
      parts.push(`${pad}token=${key}\n`);
      expected.push({ line: lines + 1, column: pad.length + 7, kind: ["personal", "service", "service-user"][mib % 3]! });
      size += pad.length + 7 + key.length + 1;
      lines++;
    }
    for (let i = 0; i < 5000; i++) parts.push(line);
    writeFileSync(join(dir, "app.log"), parts.join(""));
    expect(statSync(join(dir, "app.log")).size).toBeGreaterThan(6 * (1 << 20));
    const r = runCli(["--format", "json", "app.log"], { cwd: dir });
    expect(r.status).toBe(1);
    const found = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === "no-hardcoded-key");
    expect(found.map((f: { line: number; column: number; kind: string }) => ({ line: f.line, column: f.column, kind: f.kind }))).toEqual(expected);
  });
});
