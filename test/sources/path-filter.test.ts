import { describe, expect, it } from "vitest";
import { pathFilter } from "../../src/sources/path-filter.js";
import { commitAll, git, keys, lines, newRepo, scanJson, write } from "../git/support.js";

const k = keys(511);
const ALL = [k.personal, k.service, k.serviceUser];

describe("pathFilter", () => {
  it("keeps every path without patterns", () => {
    expect(pathFilter(undefined, undefined)).toBeUndefined();
    expect(pathFilter([], [])).toBeUndefined();
  });

  it("drops what an exclude pattern matches, or a directory above it matches (the walk prunes it)", () => {
    const keep = pathFilter(undefined, ["fixtures/**", "fixtures", "*.snap", "gen/out"])!;
    expect(keep("fixtures/a/b.env")).toBe(false);
    expect(keep("src/fixtures/b.env")).toBe(false); // `fixtures` has no slash: any directory of that name
    expect(keep("test/__snapshots__/x.snap")).toBe(false);
    expect(keep("gen/out/bundle.js")).toBe(false);
    expect(keep("gen/outer.js")).toBe(true);
    expect(keep("src/app.ts")).toBe(true);
  });

  it("keeps only what an include pattern matches, and exclude still wins", () => {
    const keep = pathFilter(["src/**", "*.env"], ["src/legacy/**"])!;
    expect(keep("src/app.ts")).toBe(true);
    expect(keep("deploy/prod.env")).toBe(true);
    expect(keep("docs/readme.md")).toBe(false);
    expect(keep("src/legacy/old.ts")).toBe(false);
  });
});

/** main: a clean file; feature: a key in fixtures/ and one in src/. */
function branchWithKeys(): string {
  const repo = newRepo();
  write(repo, "README.md", "hello\n");
  commitAll(repo, "init");
  git(repo, "checkout", "-q", "-b", "feature");
  write(repo, "fixtures/sample.env", lines(`DEVIN_API_KEY=${k.personal}`));
  write(repo, "src/app.ts", lines(`export const key = "${k.serviceUser}";`));
  commitAll(repo, "feature: keys");
  return repo;
}

const files = (report: { findings: { file: string }[] } | undefined): string[] => report!.findings.map((f) => f.file).sort();

describe("--include and --exclude in the git modes, as when walking", () => {
  it("--diff: --exclude drops a changed file, the configuration's exclude too", () => {
    const repo = branchWithKeys();
    expect(files(scanJson(repo, ["--diff", "main"], ALL).report)).toEqual(["fixtures/sample.env", "src/app.ts"]);
    const flagged = scanJson(repo, ["--diff", "main", "--exclude", "fixtures/**"], ALL);
    expect(flagged.run.status).toBe(1);
    expect(files(flagged.report)).toEqual(["src/app.ts"]);
    write(repo, "devin-keyscan.config.json", JSON.stringify({ exclude: ["fixtures/**", "src"] }));
    const configured = scanJson(repo, ["--diff", "main"], ALL);
    expect(configured.run.status).toBe(0);
    expect(configured.report!.stats.filesScanned).toBe(0);
  });

  it("--history: an excluded file's commits are not reported", () => {
    const repo = branchWithKeys();
    const { run, report } = scanJson(repo, ["--history", "--exclude", "fixtures"], ALL);
    expect(run.status).toBe(1);
    expect(files(report)).toEqual(["src/app.ts"]);
    expect(files(scanJson(repo, ["--history", "--include", "fixtures/**"], ALL).report)).toEqual(["fixtures/sample.env"]);
  });

  it("--staged (its git processes start before the configuration loads): the configuration's exclude applies", () => {
    const repo = newRepo();
    write(repo, "devin-keyscan.config.json", JSON.stringify({ exclude: ["fixtures/**"] }));
    write(repo, "README.md", "hello\n");
    commitAll(repo, "init");
    write(repo, "fixtures/a.env", lines(`A=${k.service}`));
    write(repo, "fixtures/b.env", lines(`B=${k.personal}`));
    write(repo, "app.env", lines(`C=${k.serviceUser}`));
    write(repo, "z.env", lines(`D=${k.personal}`));
    git(repo, "add", "-A");
    const { run, report } = scanJson(repo, ["--staged"], ALL);
    expect(run.status).toBe(1);
    // The units after the skipped ones are read correctly: the blobs share one stream.
    expect(files(report)).toEqual(["app.env", "z.env"]);
    expect(scanJson(repo, ["--staged", "--exclude", "*.env"], ALL).run.status).toBe(0);
  });

  it("from a subdirectory, patterns are relative to it, as when walking", () => {
    const repo = branchWithKeys();
    const { report } = scanJson(`${repo}/src`, ["--diff", "main", "--exclude", "app.ts"], ALL);
    expect(files(report)).toEqual(["../fixtures/sample.env"]);
  });
});
