import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/cli.js";
import { commitAll, git, keys, lines, newRepo, scanJson, write } from "./support.js";

const k = keys(501);
const k2 = keys(502);
const ALL = [k.personal, k.service, k.serviceUser, k2.personal, k2.service, k2.serviceUser];

/** main: an old key and some files; feature: one new key in a second commit. */
function branchWithOneNewKey(): string {
  const repo = newRepo();
  write(repo, "legacy.env", lines(`OLD_KEY=${k.personal}`));
  write(repo, "src/app.ts", lines("export const a = 1;"));
  commitAll(repo, "main: init");
  git(repo, "checkout", "-q", "-b", "feature");
  write(repo, "src/app.ts", lines("export const a = 1;", "export const b = 2;"));
  commitAll(repo, "feature: harmless");
  write(repo, "src/client.ts", lines("// client", `const DEVIN_API_KEY = "${k2.serviceUser}";`));
  commitAll(repo, "feature: oops");
  return repo;
}

describe("--diff BASE", () => {
  it("a branch with one new key gives exactly that finding", () => {
    const repo = branchWithOneNewKey();
    const { run, report } = scanJson(repo, ["--diff", "main"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings).toHaveLength(1);
    expect(report!.findings[0]).toMatchObject({ ruleId: "no-hardcoded-key", kind: "service-user", file: "src/client.ts", line: 2, column: 24 });
  });

  it("on main itself exits 0 (no new commits)", () => {
    const repo = branchWithOneNewKey();
    git(repo, "checkout", "-q", "main");
    const { run, report } = scanJson(repo, ["--diff", "main"], ALL);
    expect(run.status).toBe(0);
    expect(report!.findings).toEqual([]);
    expect(report!.notices.join("\n")).toMatch(/adds no commits/);
  });

  it("base equal to head (by SHA) is a clean no-op", () => {
    const repo = branchWithOneNewKey();
    const head = git(repo, "rev-parse", "HEAD");
    expect(scanJson(repo, ["--diff", head], ALL).run.status).toBe(0);
  });

  it("scans from the merge base: commits added to main later are not the branch's", () => {
    const repo = branchWithOneNewKey();
    git(repo, "checkout", "-q", "main");
    write(repo, "main-only.env", lines(`K=${k.service}`));
    commitAll(repo, "main moves on with a key of its own");
    git(repo, "checkout", "-q", "feature");
    const { report } = scanJson(repo, ["--diff", "main"], ALL);
    expect(report!.findings.map((f) => f.file)).toEqual(["src/client.ts"]);
  });

  it("--head scans another commit than HEAD", () => {
    const repo = branchWithOneNewKey();
    git(repo, "checkout", "-q", "main");
    const { run, report } = scanJson(repo, ["--diff", "main", "--head", "feature"], ALL);
    expect(run.status).toBe(1);
    expect(report!.findings.map((f) => f.file)).toEqual(["src/client.ts"]);
    expect(scanJson(repo, ["--diff", "main", "--head", "feature~1"], ALL).run.status).toBe(0);
  });

  it("a key added then removed on the branch is not in the diff (use --history for that)", () => {
    const repo = branchWithOneNewKey();
    write(repo, "src/client.ts", lines("// client", "const DEVIN_API_KEY = process.env.DEVIN_API_KEY;"));
    commitAll(repo, "feature: fix");
    expect(scanJson(repo, ["--diff", "main"], ALL).run.status).toBe(0);
    const history = scanJson(repo, ["--history"], ALL);
    expect(history.report!.findings.map((f) => f.file).sort()).toEqual(["legacy.env", "src/client.ts"]);
  });

  it("an unknown ref exits 2 and names it", () => {
    const repo = branchWithOneNewKey();
    const { run } = scanJson(repo, ["--diff", "no-such-branch"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"no-such-branch"');
    const head = scanJson(repo, ["--diff", "main", "--head", "nope/x"]);
    expect(head.run.status).toBe(2);
    expect(head.run.stderr).toContain('"nope/x"');
  });

  it("refs that look like options or shell are usage errors (exit 2), never run", () => {
    const repo = branchWithOneNewKey();
    for (const ref of ["--output=/tmp/x", "-p", "$(touch pwned)", "main;id", "a b", "main..feature"]) {
      const { run } = scanJson(repo, [`--diff=${ref}`]);
      expect(run.status, ref).toBe(2);
      expect(run.stderr, ref).toContain(JSON.stringify(ref));
    }
  });

  it("a shallow clone without the merge base exits 3 and says to fetch more history", () => {
    const origin = branchWithOneNewKey();
    const clone = join(tempDir("dks-shallow-"), "clone");
    git(origin, "clone", "-q", "--depth", "1", "--no-single-branch", `file://${origin}`, clone);
    git(clone, "checkout", "-q", "feature");
    const { run } = scanJson(clone, ["--diff", "origin/main"], ALL);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/fetch-depth: 0/);
    expect(run.stderr).toMatch(/shallow/);
  });

  it("unrelated histories exit 3", () => {
    const repo = branchWithOneNewKey();
    git(repo, "checkout", "-q", "--orphan", "other");
    commitAll(repo, "unrelated");
    const { run } = scanJson(repo, ["--diff", "main"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no common ancestor/);
  });

  it("an empty repository: HEAD is unknown, exit 2", () => {
    const repo = newRepo();
    const { run } = scanJson(repo, ["--diff", "main"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"main"');
  });
});
