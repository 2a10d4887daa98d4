import { describe, expect, it } from "vitest";
import { personalKey, seededRng } from "../../src/grammar/synthetic.js";
import { escapeData, escapeProperty } from "../../src/report/github.js";
import { runCli, tempDir } from "../support/cli.js";
import { write } from "../git/support.js";

/** Undoes GitHub's escaping, as the runner does. */
function unescape(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
}

describe("--format github", () => {
  it("escapes data and property values as GitHub's workflow commands require", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
    // %3A in the input must survive a round trip, so % is escaped first.
    expect(unescape(escapeProperty("x%3Ay"))).toBe("x%3Ay");
    // Other control characters (a terminal escape in a file name) never reach the log raw.
    expect(escapeProperty("e\u001b[2Jx\u0007\u009b.env")).toBe("e%1B[2Jx%07%9B.env");
    expect(escapeData("tab\tstays")).toBe("tab\tstays");
  });

  it("prints one ::error annotation per finding with file, line, col, endLine, endColumn and title", () => {
    const key = personalKey(seededRng(801));
    const dir = tempDir("dks-gh-");
    const name = "odd, name: 100%.env";
    write(dir, name, `# x\nDEVIN_API_KEY=${key}\n`);
    const run = runCli(["--format", "github", "."], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain(key);
    const lines = run.stdout.trim().split("\n");
    const annotations = lines.filter((l) => l.startsWith("::"));
    expect(annotations).toHaveLength(1);
    const m = /^::error (?<props>[^:]*)::(?<message>.*)$/.exec(annotations[0]!);
    expect(m).not.toBeNull();
    const props = Object.fromEntries(m!.groups!.props!.split(",").map((p) => p.split("=", 2) as [string, string]));
    expect(unescape(props.file!)).toBe(name);
    expect(props).toMatchObject({ line: "2", col: "15", endLine: "2", endColumn: String(15 + key.length) });
    expect(unescape(props.title!)).toBe("devin-keyscan no-hardcoded-key (personal)");
    expect(m!.groups!.message).toMatch(/apk_user_\*{4}.{4}/);
    expect(m!.groups!.message).not.toMatch(/[\r\n]/);
  });

  it("a clean scan prints no annotation and exits 0", () => {
    const dir = tempDir("dks-gh-");
    write(dir, "a.txt", "nothing here\n");
    const run = runCli(["--format", "github", "."], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/^::error/m);
  });
});
