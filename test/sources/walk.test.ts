import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline.js";
import { MissingPathError, walk } from "../../src/sources/walk.js";
import { seededRng, serviceUserKey } from "../../src/grammar/synthetic.js";
import { tempDir } from "../support/cli.js";

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const listed = (cwd: string, options: Omit<Parameters<typeof walk>[0], "cwd"> = { paths: ["."] }) => {
  const r = walk({ cwd, ...options });
  expect(r.errors).toEqual([]);
  return r.files.map((f) => f.path).sort();
};

describe("walk: .gitignore", () => {
  const root = tempDir("dks-walk-");
  tree(root, {
    ".gitignore": "*.log\nbuild/\n/top-only.txt\n",
    "a.txt": "",
    "a.log": "",
    "top-only.txt": "",
    "build/out.txt": "",
    "sub/.gitignore": "!keep.log\nlocal-*.txt\n",
    "sub/keep.log": "",
    "sub/other.log.txt": "",
    "sub/drop.log": "",
    "sub/local-notes.txt": "",
    "sub/top-only.txt": "",
    "sub/build/nested.txt": "",
    "sub/deeper/.gitignore": "!local-*.txt\n",
    "sub/deeper/local-keep.txt": "",
    "node_modules/pkg/index.js": "",
    "sub/node_modules/x.js": "",
    ".git/config": "",
    ".hidden/file.txt": "",
  });

  it("honours nested .gitignore files with negation, anchored patterns and directory patterns", () => {
    expect(listed(root)).toEqual([
      ".gitignore",
      ".hidden/file.txt",
      "a.txt",
      "sub/.gitignore",
      "sub/deeper/.gitignore",
      "sub/deeper/local-keep.txt",
      "sub/keep.log",
      "sub/other.log.txt",
      "sub/top-only.txt",
    ]);
  });

  it("applies the .gitignore files above a sub-directory given as the root", () => {
    expect(listed(root, { paths: ["sub"] })).toEqual([
      "sub/.gitignore",
      "sub/deeper/.gitignore",
      "sub/deeper/local-keep.txt",
      "sub/keep.log",
      "sub/other.log.txt",
      "sub/top-only.txt",
    ]);
  });

  it("--no-gitignore scans ignored files; .git/ and node_modules/ stay excluded", () => {
    const all = listed(root, { paths: ["."], gitignore: false });
    expect(all).toContain("a.log");
    expect(all).toContain("build/out.txt");
    expect(all).toContain("sub/drop.log");
    expect(all.filter((p) => p.includes("node_modules") || p.startsWith(".git/"))).toEqual([]);
    expect(all).toHaveLength(15);
  });

  it("scans a file named on the command line whatever the filters say", () => {
    expect(listed(root, { paths: ["a.log", "node_modules/pkg/index.js", "build/out.txt"], exclude: ["*.log"], include: ["*.md"] })).toEqual([
      "a.log",
      "build/out.txt",
      "node_modules/pkg/index.js",
    ]);
    expect(walk({ cwd: root, paths: ["a.log"] }).files[0]!.explicit).toBe(true);
  });

  it("lists each file once when paths overlap", () => {
    expect(listed(root, { paths: [".", "sub", "a.txt"] })).toEqual(listed(root));
  });
});

describe("walk: a directory named on the command line", () => {
  const root = tempDir("dks-walk-named-");
  tree(root, {
    ".gitignore": "dist/\n*.log\n",
    "dist/bundle.js": "",
    "dist/debug.log": "",
    "dist/.gitignore": "*.map\n",
    "dist/bundle.js.map": "",
    "fixtures/a/key.env": "",
    "fixtures/b.txt": "",
    "src/x.ts": "",
  });

  it("is scanned even when an exclude pattern names it (patterns matching it or a parent are dropped)", () => {
    expect(listed(root, { paths: ["fixtures"], exclude: ["fixtures/**"] })).toEqual(["fixtures/a/key.env", "fixtures/b.txt"]);
    expect(listed(root, { paths: ["fixtures/a"], exclude: ["fixtures"] })).toEqual(["fixtures/a/key.env"]);
    expect(listed(root, { paths: ["fixtures"], exclude: ["fixtures/**", "*.txt"] })).toEqual(["fixtures/a/key.env"]);
    // Walking the parent still honours the pattern.
    expect(listed(root, { paths: ["."], exclude: ["fixtures/**"] })).toEqual([".gitignore", "src/x.ts"]);
  });

  it("is scanned even when git ignores it; then only the ignore files inside it apply", () => {
    expect(listed(root)).not.toContain("dist/bundle.js");
    expect(listed(root, { paths: ["dist"] })).toEqual(["dist/.gitignore", "dist/bundle.js", "dist/debug.log"]);
  });
});

describe("walk: .git/info/exclude", () => {
  const root = tempDir("dks-walk-git-");
  tree(root, {
    ".git/info/exclude": "secret-notes.txt\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    "secret-notes.txt": "",
    "kept.txt": "",
    "deep/secret-notes.txt": "",
    "deep/.gitignore": "!secret-notes.txt\n",
  });

  it("is honoured from the repository root, and a deeper .gitignore can re-include", () => {
    expect(listed(root)).toEqual(["deep/.gitignore", "deep/secret-notes.txt", "kept.txt"]);
    expect(listed(root, { paths: ["."], gitignore: false })).toContain("secret-notes.txt");
  });
});

describe("walk: --include and --exclude", () => {
  const root = tempDir("dks-walk-glob-");
  tree(root, {
    "src/a.ts": "",
    "src/b.js": "",
    "src/gen/c.ts": "",
    "test/a.test.ts": "",
    "docs/readme.md": "",
    "x.snap": "",
  });

  it("include keeps only matching files (a pattern without / matches the base name)", () => {
    expect(listed(root, { paths: ["."], include: ["*.ts"] })).toEqual(["src/a.ts", "src/gen/c.ts", "test/a.test.ts"]);
    expect(listed(root, { paths: ["."], include: ["src/**"] })).toEqual(["src/a.ts", "src/b.js", "src/gen/c.ts"]);
    expect(listed(root, { paths: ["."], include: ["src/*.ts"] })).toEqual(["src/a.ts"]);
  });

  it("exclude skips matching files and prunes matching directories", () => {
    expect(listed(root, { paths: ["."], exclude: ["*.snap", "src/gen"] })).toEqual(["docs/readme.md", "src/a.ts", "src/b.js", "test/a.test.ts"]);
    expect(listed(root, { paths: ["."], exclude: ["src/gen/**", "test/*.ts"] })).toEqual(["docs/readme.md", "src/a.ts", "src/b.js", "x.snap"]);
    expect(listed(root, { paths: ["."], exclude: ["src/**", "docs"] })).toEqual(["test/a.test.ts", "x.snap"]);
  });

  it("include and exclude combine", () => {
    expect(listed(root, { paths: ["."], include: ["*.ts"], exclude: ["test/**"] })).toEqual(["src/a.ts", "src/gen/c.ts"]);
  });
});

describe("walk: what is read", () => {
  const root = tempDir("dks-walk-special-");
  const key = serviceUserKey(seededRng(5));
  tree(root, { "real/target.txt": `T=${key}\n`, "plain.txt": "nothing\n" });
  symlinkSync(join(root, "real/target.txt"), join(root, "link-to-file.txt"));
  symlinkSync(join(root, "real"), join(root, "link-to-dir"));
  symlinkSync(join(root, "nowhere"), join(root, "dangling"));
  execFileSync("mkfifo", [join(root, "pipe")]);

  it("does not follow symlinks while walking, and never lists FIFOs", () => {
    expect(listed(root)).toEqual(["plain.txt", "real/target.txt"]);
  });

  it("follows a symlink named on the command line", async () => {
    const r = await scan({ cwd: root, paths: ["link-to-file.txt"] });
    expect(r.findings.map((f) => [f.file, f.kind])).toEqual([["link-to-file.txt", "service-user"]]);
  });

  it("never blocks on a FIFO, walked or named; a named one is an error, not clean", async () => {
    const walked = await scan({ cwd: root, paths: ["."] });
    expect(walked.errors).toEqual([]);
    expect(walked.findings).toHaveLength(1);
    const named = await scan({ cwd: root, paths: ["pipe"] });
    expect(named.findings).toEqual([]);
    expect(named.errors).toMatchObject([{ path: "pipe", code: "ENOTREG" }]);
    expect(named.errors[0]!.message).toContain("FIFO");
  });

  it("reports a missing path as MissingPathError naming it", () => {
    expect(() => walk({ cwd: root, paths: ["plain.txt", "no/such/file.txt"] })).toThrow(MissingPathError);
    expect(() => walk({ cwd: root, paths: ["no-such-dir"] })).toThrow(/no-such-dir/);
  });
});
