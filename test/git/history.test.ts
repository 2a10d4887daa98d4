import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binaryChangePath, MAX_HISTORY_BINARY } from "../../src/sources/git.js";
import { tempDir } from "../support/cli.js";
import { commitAll, git, keys, lines, newRepo, scanJson, write } from "./support.js";

const k = keys(601);
const k2 = keys(602);
const ALL = [k.personal, k.service, k.serviceUser, k2.personal, k2.service, k2.serviceUser];

describe("--history", () => {
  it("finds a key that was committed and later deleted, at the commit that added it", () => {
    const repo = newRepo();
    write(repo, "README.md", "hi\n");
    commitAll(repo, "init");
    write(repo, "deploy.sh", lines("#!/bin/sh", `curl -H "Authorization: Bearer ${k.personal}" https://api.devin.ai/v1/sessions`));
    const added = commitAll(repo, "add deploy script");
    write(repo, "deploy.sh", lines("#!/bin/sh", 'curl -H "Authorization: Bearer $DEVIN_API_KEY" https://api.devin.ai/v1/sessions'));
    commitAll(repo, "remove the key");
    // The work tree is clean...
    expect(scanJson(repo, ["."], ALL).run.status).toBe(0);
    // ...the history is not.
    const { run, report } = scanJson(repo, ["--history"], ALL);
    expect(run.status).toBe(1);
    const keyFindings = report!.findings.filter((f) => f.ruleId === "no-hardcoded-key");
    expect(keyFindings).toMatchObject([{ kind: "personal", file: "deploy.sh", line: 2, commit: added }]);
  });

  it("reports each key once per file, at the oldest commit, even when re-added later", () => {
    const repo = newRepo();
    write(repo, "a.env", lines(`K=${k.service}`));
    const first = commitAll(repo, "one");
    write(repo, "a.env", lines("# moved", "", `K=${k.service}`));
    commitAll(repo, "two: the key moves");
    write(repo, "a.env", lines("# gone"));
    commitAll(repo, "three: gone");
    write(repo, "a.env", lines("# back", `K=${k.service}`));
    commitAll(repo, "four: back");
    write(repo, "b.env", lines(`K=${k.service}`));
    const copied = commitAll(repo, "five: another file");
    const { report } = scanJson(repo, ["--history"], ALL);
    const found = report!.findings.map((f) => [f.file, f.line, f.commit]);
    expect(found).toEqual([
      ["a.env", 1, first],
      ["b.env", 1, copied],
    ]);
  });

  it("line numbers come from the file at that commit, also for later hunks", () => {
    const repo = newRepo();
    const body = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    write(repo, "big.txt", lines(...body));
    commitAll(repo, "init");
    const changed = [...body];
    changed.splice(9, 0, `A=${k.serviceUser}`);
    changed.splice(40, 0, `B=${k2.personal}`);
    write(repo, "big.txt", lines(...changed));
    const sha = commitAll(repo, "two keys far apart");
    const { report } = scanJson(repo, ["--history"], ALL);
    expect(report!.findings.map((f) => [f.line, f.kind, f.commit])).toEqual([
      [10, "service-user", sha],
      [41, "personal", sha],
    ]);
  });

  it("--since REF scans only the commits after REF", () => {
    const repo = newRepo();
    write(repo, "old.env", lines(`K=${k.personal}`));
    const old = commitAll(repo, "old");
    write(repo, "new.env", lines(`K=${k2.service}`));
    const recent = commitAll(repo, "new");
    const { report } = scanJson(repo, ["--history", "--since", old], ALL);
    expect(report!.findings.map((f) => [f.file, f.commit])).toEqual([["new.env", recent]]);
    expect(scanJson(repo, ["--history", "--since", "HEAD"], ALL).run.status).toBe(0);
    const bad = scanJson(repo, ["--history", "--since", "v9.9.9"]);
    expect(bad.run.status).toBe(2);
    expect(bad.run.stderr).toContain('"v9.9.9"');
  });

  it("follows every branch merged into HEAD, and paths with unusual characters", () => {
    const repo = newRepo();
    write(repo, "a.txt", "a\n");
    commitAll(repo, "init");
    git(repo, "checkout", "-q", "-b", "side");
    write(repo, "side dir/naïve file.env", lines(`K=${k.serviceUser}`));
    const side = commitAll(repo, "side");
    git(repo, "checkout", "-q", "main");
    write(repo, "b.txt", "b\n");
    commitAll(repo, "main");
    git(repo, "merge", "-q", "--no-edit", "side");
    const { report } = scanJson(repo, ["--history"], ALL);
    expect(report!.findings.map((f) => [f.file, f.commit])).toEqual([["side dir/naïve file.env", side]]);
  });

  it("an empty repository has no history: exit 0", () => {
    const repo = newRepo();
    const { run, report } = scanJson(repo, ["--history"]);
    expect(run.status).toBe(0);
    expect(report!.notices.join()).toMatch(/no commits/);
  });

  it("a broken repository is a failure (exit 3), never clean", () => {
    const repo = newRepo();
    write(repo, "a.env", lines(`K=${k.personal}`));
    const sha = commitAll(repo, "one");
    // Remove the commit's tree object: git log -p cannot show the diff.
    const tree = git(repo, "rev-parse", `${sha}^{tree}`);
    rmSync(`${repo}/.git/objects/${tree.slice(0, 2)}/${tree.slice(2)}`, { force: true });
    const { run } = scanJson(repo, ["--history"], ALL);
    expect(run.status).toBe(3);
  });

  it("in a shallow clone, says what history it could not see and is never clean (exit 3, or 1 with findings)", () => {
    const origin = newRepo();
    write(origin, "k.env", lines(`K=${k.personal}`));
    commitAll(origin, "a key");
    rmSync(join(origin, "k.env"));
    write(origin, "README.md", "hi\n");
    commitAll(origin, "the key is gone");
    expect(scanJson(origin, ["--history"], ALL).run.status).toBe(1);

    const clone = join(tempDir("dks-shallow-history-"), "clone");
    git(origin, "clone", "-q", "--depth", "1", `file://${origin}`, clone);
    const boundary = git(clone, "rev-parse", "HEAD");
    const shallow = scanJson(clone, ["--history"], ALL);
    expect(shallow.run.status).toBe(3);
    expect(shallow.report!.errors).toEqual([expect.objectContaining({ code: "SHALLOW", path: boundary.slice(0, 12) })]);
    expect(shallow.report!.errors[0]!.message).toMatch(/shallow clone.*not scanned.*fetch-depth: 0/);

    // With findings in what it could see: exit 1, the error still listed.
    write(clone, "new.env", lines(`K=${k2.service}`));
    commitAll(clone, "a new key");
    const withKey = scanJson(clone, ["--history"], ALL);
    expect(withKey.run.status).toBe(1);
    expect(withKey.report!.errors.map((e) => e.code)).toEqual(["SHALLOW"]);
    // --since a commit inside the clone: that range is whole.
    expect(scanJson(clone, ["--history", "--since", boundary], ALL).report!.errors).toEqual([]);
    // Deepened to the full history: no error, the deleted key is found.
    git(clone, "fetch", "-q", "--unshallow");
    const full = scanJson(clone, ["--history"], ALL);
    expect(full.report!.errors).toEqual([]);
    expect(full.report!.findings.map((f) => f.file).sort()).toEqual(["k.env", "new.env"]);
  });

  it("scans changes git calls binary from their blobs: UTF-16 files (PowerShell, .reg) are found, real binaries skipped", () => {
    const repo = newRepo();
    write(repo, "README.md", "hi\n");
    commitAll(repo, "init");
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$env:DEVIN_API_KEY = "${k.serviceUser}"\r\n`, "utf16le")]);
    const be = Buffer.from(`[HKEY]\r\n"Key"="${k2.service}"\r\n`, "utf16le").swap16();
    write(repo, "setup.ps1", utf16le);
    write(repo, "key file.reg", Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    write(repo, "logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
    const added = commitAll(repo, "binary-looking files");
    write(repo, "setup.ps1", Buffer.from([0xff, 0xfe]));
    commitAll(repo, "key removed");
    const { run, report } = scanJson(repo, ["--history"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings.map((f) => [f.file, f.commit, f.kind]).sort()).toEqual([
      ["key file.reg", added, "service"],
      ["setup.ps1", added, "service-user"],
    ]);
    expect(report!.notices.join("\n")).not.toMatch(/not scanned/);
    expect((report as unknown as { stats: { skippedBinary: number } }).stats.skippedBinary).toBe(1);
  });

  it("does not read binary changes over MAX_HISTORY_BINARY: says how many it left", () => {
    const repo = newRepo();
    write(repo, "README.md", "hi\n");
    commitAll(repo, "init");
    write(repo, "big.bin", Buffer.alloc(MAX_HISTORY_BINARY + 1, 0));
    write(repo, "small.bin", Buffer.from([0, 1, 2, 3]));
    commitAll(repo, "binaries");
    const { run, report } = scanJson(repo, ["--history"], ALL);
    expect(run.status).toBe(0);
    expect(report!.notices).toContain("1 binary file change in history over 4 MiB not scanned");
    expect((report as unknown as { stats: { skippedBinary: number } }).stats.skippedBinary).toBe(1);
  });

  it("reads the new path of a binary change as git writes it", () => {
    expect(binaryChangePath("Binary files /dev/null and b/a.ps1 differ")).toBe("a.ps1");
    expect(binaryChangePath("Binary files a/x and y.reg and b/x and y.reg differ")).toBe("x and y.reg");
    expect(binaryChangePath("Binary files a/old.reg and b/new.reg differ")).toBe("new.reg");
    expect(binaryChangePath('Binary files /dev/null and "b/caf\\303\\251.reg" differ')).toBe("café.reg");
    expect(binaryChangePath('Binary files "a/caf\\303\\251.reg" and "b/caf\\303\\251.reg" differ')).toBe("café.reg");
    expect(binaryChangePath("Binary files a/gone.png and /dev/null differ")).toBeUndefined();
  });
});
