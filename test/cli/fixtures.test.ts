import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findKeys } from "../../src/grammar/keys.js";
import { FORMATS } from "../../src/report/index.js";
import { ROOT, runCli, tempDir } from "../support/cli.js";

/**
 * The fixtures, end to end through the built CLI: every key listed in
 * fixtures/manifest.json is found with its kind, exact position and org id; nothing else
 * is found in the generated directories (decoys included); no output ever shows a key.
 */

const FIXTURES = join(ROOT, "fixtures");
/** Directories written by fixtures/generate.mjs (checks/ and decoded/ have their own tests). */
const GENERATED_DIRS = ["personal", "service", "service-user", "decoys", "hiding-places"];

interface Expected {
  kind: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  orgId?: string;
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as { files: Record<string, Expected[]> };

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

/** The fixture's text as the scanner should decode it (BOM-aware). */
function decodedText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString("utf16le");
  return bytes.toString("utf8");
}

/** Every key in the generated fixtures, found by the grammar on the decoded text (independent of the CLI). */
function fixtureKeys(): string[] {
  const keys = new Set<string>();
  for (const rel of Object.keys(manifest.files)) {
    for (const m of findKeys(decodedText(join(FIXTURES, rel)))) keys.add(m.raw);
  }
  return [...keys];
}

/** Fails when `output` shows any key, or any 12 characters of a key's body. */
function expectNoKeyIn(output: string, keys: readonly string[], where: string): void {
  for (const key of keys) {
    const body = key.replace(/^(apk_user_|apk_|cog_)/, "").replace(/(=|%3D)+$/i, "");
    expect(output.includes(key), `${where}: full key`).toBe(false);
    for (let i = 0; i + 12 <= body.length - 4; i += 6) {
      if (output.includes(body.slice(i, i + 12))) expect.fail(`${where}: shows part of a key body (${i})`);
    }
  }
}

describe("fixtures through the built CLI", () => {
  const work = tempDir("dks-fixtures-");
  const reports = tempDir("dks-fixtures-reports-");
  let report: { findings: Array<Record<string, unknown>>; errors: unknown[]; stats: Record<string, number> };
  let status: number | null;

  beforeAll(() => {
    // A copy outside the repository: the project's own config excludes fixtures/ from its self-scan.
    for (const dir of GENERATED_DIRS) cpSync(join(FIXTURES, dir), join(work, dir), { recursive: true });
    const r = runCli(["--format", "json", "."], { cwd: work });
    status = r.status;
    expect(r.stderr).toBe("");
    report = JSON.parse(r.stdout);
  });

  it("the manifest covers every generated fixture file", () => {
    const onDisk = GENERATED_DIRS.flatMap((d) => filesUnder(join(FIXTURES, d))).map((p) => relative(FIXTURES, p).split("\\").join("/"));
    expect(onDisk.sort()).toEqual(Object.keys(manifest.files).sort());
    // Decoys and hiding places in every family the design lists.
    for (const name of [
      "decoys/android-apk-fields.gradle",
      "decoys/discourse-apk-user-rating.rb",
      "decoys/discord-cog-methods.py",
      "decoys/cog-geotiff.py",
      "decoys/cog-category.tsv",
      "decoys/placeholders.md",
      "decoys/other-products-cog.txt",
      "hiding-places/profile-utf16le.ps1",
      "hiding-places/settings-utf16be.reg",
      "hiding-places/bundle.min.js",
      "hiding-places/notebook.ipynb",
    ]) {
      expect(manifest.files, name).toHaveProperty([name]);
    }
  });

  it("exits 1 and scans every file without errors", () => {
    expect(status).toBe(1);
    expect(report.errors).toEqual([]);
    expect(report.stats.filesScanned).toBe(Object.keys(manifest.files).length);
    expect(report.stats.skippedBinary).toBe(0);
  });

  it("finds exactly the manifest's keys, by kind, position and org id", () => {
    const got: Record<string, Expected[]> = {};
    for (const rel of Object.keys(manifest.files)) got[rel] = [];
    for (const f of report.findings) {
      if (f.ruleId !== "no-hardcoded-key") continue;
      const list = (got[f.file as string] ??= []);
      list.push({
        kind: f.kind as string,
        line: f.line as number,
        column: f.column as number,
        endLine: f.endLine as number,
        endColumn: f.endColumn as number,
        ...(f.orgId !== undefined ? { orgId: f.orgId as string } : {}),
      });
    }
    expect(got).toEqual(manifest.files);
    const total = Object.values(manifest.files).reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThanOrEqual(50);
  });

  it("reports nothing at all in the decoys", () => {
    const decoys = Object.keys(manifest.files).filter((f) => f.startsWith("decoys/"));
    expect(decoys.length).toBeGreaterThanOrEqual(14);
    expect(report.findings.filter((f) => (f.file as string).startsWith("decoys/"))).toEqual([]);
  });

  it("covers every kind and every personal principal form and padding", () => {
    const kinds = new Set(Object.values(manifest.files).flat().map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["personal", "service", "service-user"]);
    for (const form of ["email-principal", "github-principal", "google-oauth2", "user-principal", "custom-principal"]) {
      for (const variant of ["", "-padded", "-url-padded"]) {
        const file = Object.keys(manifest.files).find((f) => f.startsWith(`personal/${form}${variant}.`));
        expect(file, `${form}${variant}`).toBeDefined();
        expect(manifest.files[file!]!.map((e) => e.kind)).toEqual(["personal"]);
      }
    }
  });

  it("are found in place too: naming fixtures/ overrides the project's own exclude of it", () => {
    const r = runCli(["--format", "json", "--no-color", "fixtures"], { cwd: ROOT });
    expect(r.status).toBe(1);
    const found = JSON.parse(r.stdout).findings.filter(
      (f: { ruleId: string; file: string }) => f.ruleId === "no-hardcoded-key" && GENERATED_DIRS.some((d) => f.file.startsWith(`fixtures/${d}/`)),
    );
    expect(found).toHaveLength(Object.values(manifest.files).flat().length);
    // The project's self-scan (`.`) still skips them.
    const self = runCli(["--format", "json", "."], { cwd: ROOT });
    expect(JSON.parse(self.stdout).findings.filter((f: { file: string }) => f.file.startsWith("fixtures/"))).toEqual([]);
  });

  it("never shows a key, in any format, on stdout, stderr or in an --output file", () => {
    const keys = fixtureKeys();
    expect(keys.length).toBe(Object.values(manifest.files).flat().length);
    for (const format of Object.keys(FORMATS)) {
      const r = runCli(["--format", format, "--paranoid", "--verbose", "."], { cwd: work });
      expect(r.status, format).toBe(1);
      expectNoKeyIn(r.stdout + r.stderr, keys, format);
      const out = join(reports, `report.${format}`);
      const w = runCli(["--format", format, "--output", out, "."], { cwd: work });
      expect(w.status, `${format} --output`).toBe(1);
      expect(w.stdout).toBe("");
      expectNoKeyIn(w.stderr + readFileSync(out, "utf8"), keys, `${format} --output`);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    }
    // The check itself works: --no-redact does print the keys.
    const full = runCli(["--format", "json", "--no-redact", "hiding-places/two-keys-one-line.sh"], { cwd: work });
    expect(keys.some((k) => full.stdout.includes(k))).toBe(true);
  });
});
