import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
});
