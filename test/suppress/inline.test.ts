import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline.js";
import { ignoreDirectiveFor, parseIgnoreDirective } from "../../src/suppress/directives.js";
import { runCli, tempDir } from "../support/cli.js";
import { keys, scanJson, write } from "./support.js";

const k = keys(505);

/** One file per comment syntax: [file, content with a @@KEY@@ placeholder]. */
const SAME_LINE: ReadonlyArray<readonly [string, string]> = [
  ["slash.ts", `const key = "@@KEY@@"; // devin-keyscan-ignore: slash`],
  ["hash.py", `VALUE = "@@KEY@@"  # devin-keyscan-ignore: hash`],
  ["block.css", `/* @@KEY@@ */ /* devin-keyscan-ignore: block */`],
  ["html.md", `@@KEY@@ <!-- devin-keyscan-ignore: html -->`],
  ["dashes.sql", `SELECT '@@KEY@@'; -- devin-keyscan-ignore: dashes`],
  ["semicolon.ini", `token=@@KEY@@ ; devin-keyscan-ignore: semicolon`],
];

const NEXT_LINE: ReadonlyArray<readonly [string, string]> = [
  ["slash.js", `// devin-keyscan-ignore-next-line: slash\nconst key = "@@KEY@@";`],
  ["hash.env", `# devin-keyscan-ignore-next-line: hash\nDEVIN_API_KEY=@@KEY@@`],
  ["block.c", `/* devin-keyscan-ignore-next-line: block */\nchar *k = "@@KEY@@";`],
  ["html.html", `<!-- devin-keyscan-ignore-next-line: html -->\n<meta content="@@KEY@@">`],
  ["dashes.lua", `-- devin-keyscan-ignore-next-line: dashes\nlocal k = "@@KEY@@"`],
  ["semicolon.clj", `; devin-keyscan-ignore-next-line: semicolon\n(def k "@@KEY@@")`],
];

describe("parseIgnoreDirective", () => {
  it("reads the directive and its reason in every comment syntax", () => {
    expect(parseIgnoreDirective("x // devin-keyscan-ignore")).toEqual({ nextLine: false });
    expect(parseIgnoreDirective("# devin-keyscan-ignore-next-line: rotated on 2026-11-01")).toEqual({ nextLine: true, reason: "rotated on 2026-11-01" });
    expect(parseIgnoreDirective("/* devin-keyscan-ignore: in a block */ x")).toEqual({ nextLine: false, reason: "in a block" });
    expect(parseIgnoreDirective("<!-- devin-keyscan-ignore: html -->")).toEqual({ nextLine: false, reason: "html" });
    expect(parseIgnoreDirective("-- devin-keyscan-ignore")).toEqual({ nextLine: false });
    expect(parseIgnoreDirective("; devin-keyscan-ignore:   spaced  ")).toEqual({ nextLine: false, reason: "spaced" });
  });

  it("ignores the word outside a comment and look-alike words", () => {
    expect(parseIgnoreDirective('const s = "devin-keyscan-ignore";')).toBeUndefined();
    expect(parseIgnoreDirective("// devin-keyscan-ignored")).toBeUndefined();
    expect(parseIgnoreDirective("// devin-keyscan-ignore-all")).toBeUndefined();
    expect(parseIgnoreDirective("// devin-keyscan-ignore:")).toEqual({ nextLine: false });
  });
});

describe("ignoreDirectiveFor", () => {
  const text = "a\n// devin-keyscan-ignore-next-line: why\r\nKEY here\nKEY // devin-keyscan-ignore\nKEY\n";
  const at = (n: number): number => {
    let i = -1;
    for (let j = 0; j < n; j++) i = text.indexOf("KEY", i + 1);
    return i;
  };
  it("looks at the key's line and the line before, across \\r\\n", () => {
    expect(ignoreDirectiveFor(text, at(1), at(1) + 3)).toEqual({ nextLine: true, reason: "why", lineOffset: -1 });
    expect(ignoreDirectiveFor(text, at(2), at(2) + 3)).toEqual({ nextLine: false, lineOffset: 0 });
    // A same-line ignore on the line before does not reach the next line.
    expect(ignoreDirectiveFor(text, at(3), at(3) + 3)).toBeUndefined();
  });

  it("does not let a next-line directive cover its own line", () => {
    const t = "KEY // devin-keyscan-ignore-next-line\n";
    expect(ignoreDirectiveFor(t, 0, 3)).toBeUndefined();
  });

  it("finds a directive thousands of characters away on a minified line, within reach", () => {
    const t = `${"x".repeat(3000)}KEY${"y".repeat(3000)}/* devin-keyscan-ignore */`;
    expect(ignoreDirectiveFor(t, 3000, 3003)).toEqual({ nextLine: false, lineOffset: 0 });
    const far = `${"x".repeat(10)}KEY${"y".repeat(10_000)}/* devin-keyscan-ignore */`;
    expect(ignoreDirectiveFor(far, 10, 13)).toBeUndefined();
  });
});

describe("inline ignores in scans", () => {
  const dir = tempDir("dks-inline-");
  const files = [...SAME_LINE, ...NEXT_LINE];
  for (const [name, content] of files) write(dir, name, content.replace("@@KEY@@", k.serviceUser) + "\n");

  it("suppress a key in each comment syntax, same line and next line", async () => {
    const result = await scan({ cwd: dir });
    expect(result.findings).toEqual([]);
    expect(result.suppressed?.map((s) => [s.finding.file, s.by, s.reason]).sort()).toEqual(
      files.map(([name]) => [name, "inline", name.split(".")[0]]).sort(),
    );
  });

  it("keep reporting a key on a line without a directive", async () => {
    write(dir, "two-lines.sh", `# devin-keyscan-ignore-next-line\nA=${k.personal}\nB=${k.service}\n`);
    const result = await scan({ cwd: dir, paths: ["two-lines.sh"] });
    expect(result.findings.map((f) => [f.line, f.kind])).toEqual([[3, "service"]]);
    expect(result.suppressed?.map((s) => [s.finding.line, s.reason])).toEqual([[2, undefined]]);
  });

  it("show the reason only with --verbose", () => {
    const quiet = runCli(["hash.py"], { cwd: dir });
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain("hash");
    expect(quiet.stdout).toContain("1 suppressed");
    const verbose = runCli(["--verbose", "hash.py"], { cwd: dir });
    expect(verbose.stdout).toMatch(/suppressed hash\.py:1:\d+ {2}no-hardcoded-key cog_\*\*\*\*\w{4} by inline ignore: hash/);
    expect(verbose.stdout).not.toContain(k.serviceUser);
    const json = scanJson(dir, ["--verbose", "hash.py"]).report;
    expect(json.suppressed).toEqual([expect.objectContaining({ file: "hash.py", suppressedBy: "inline", reason: "hash" })]);
    expect(scanJson(dir, ["hash.py"]).report.suppressed).toBeUndefined();
  });
});

describe("--require-reason", () => {
  const dir = tempDir("dks-reason-");
  write(dir, "with.env", `# devin-keyscan-ignore-next-line: documented test key\nA=${k.personal}\n`);
  write(dir, "without.env", `B=${k.service} # devin-keyscan-ignore\n`);

  it("accepts an ignore with a reason and rejects one without: the finding stays (exit 1) with a notice", () => {
    expect(runCli(["."], { cwd: dir }).status).toBe(0);
    const { run, report } = scanJson(dir, ["--require-reason"]);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([["without.env", 1]]);
    expect(report.notices).toContainEqual(expect.stringContaining("without.env:1: devin-keyscan-ignore without a reason does not suppress with --require-reason"));
  });
});

describe("reasons are free text from the scanned file", () => {
  it("are redacted when they contain a key", async () => {
    const dir = tempDir("dks-reason-key-");
    write(dir, "a.sh", `# devin-keyscan-ignore-next-line: replaced ${k.service}\nA=${k.personal}\n`);
    const result = await scan({ cwd: dir });
    // The key in the comment itself is reported; the reason shown for the ignored key is redacted.
    expect(result.suppressed?.[0]?.reason).toMatch(/^replaced apk_\*\*\*\*\w{4}$/);
    const out = runCli(["--verbose", "-f", "json", "."], { cwd: dir }).stdout + runCli(["--verbose", "."], { cwd: dir }).stdout;
    expect(out).not.toContain(k.service);
    expect(out).not.toContain(k.personal);
  });
});
