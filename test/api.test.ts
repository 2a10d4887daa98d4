import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detect, MissingPathError, scan, type Finding } from "../src/index.js";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../src/grammar/synthetic.js";
import { ROOT, tempDir } from "./support/cli.js";

const rng = seededRng(4242);

function expectNoKey(value: unknown, key: string): void {
  const body = key.replace(/^(apk_user_|apk_|cog_)/, "").replace(/=+$/, "");
  expect(JSON.stringify(value)).not.toContain(body.slice(0, 20));
}

describe("detect(text)", () => {
  it("returns kind, offsets, redacted form, fingerprint and org id, never the key", () => {
    const orgHex = "0123456789abcdef0123456789abcdef";
    const p = personalKey(rng, { form: "github", orgHex });
    const s = serviceKey(rng);
    const c = serviceUserKey(rng);
    const text = `A=${p}\nB="${s}" C=${c}`;
    const found = detect(text);
    expect(found.map((d) => d.kind)).toEqual(["personal", "service", "service-user"]);
    expect(found[0]).toEqual({
      kind: "personal",
      start: 2,
      end: 2 + p.length,
      redacted: `apk_user_****${p.slice(-4)}`,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      orgId: `org-${orgHex}`,
      confidence: "high",
    });
    expect(text.slice(found[1]!.start, found[1]!.end)).toBe(s);
    expect(found[2]).not.toHaveProperty("orgId");
    for (const k of [p, s, c]) expectNoKey(found, k);
  });

  it("finds nothing in decoys; paranoid mode adds low-confidence near misses", () => {
    expect(detect("apk_version_code cog_unload apk_user_rating COG_category")).toEqual([]);
    const near = `${serviceUserKey(rng).slice(0, -1)}b`;
    expect(detect(near)).toEqual([]);
    expect(detect(near, { paranoid: true })).toMatchObject([{ kind: "service-user", confidence: "low", start: 0, end: near.length }]);
  });
});

describe("scan(options)", () => {
  const dir = tempDir("dks-api-");
  const key = serviceKey(rng);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/config.ts"), `export const token = "${key}";\n`);
  writeFileSync(join(dir, "src/config.snap"), `exports[\`x\`] = "${serviceUserKey(rng)}";\n`);
  writeFileSync(join(dir, "clean.md"), "nothing\n");

  it("returns findings, errors, notices and stats", async () => {
    const result = await scan({ cwd: dir, paths: ["src"], exclude: ["**/*.snap"] });
    expect(result.errors).toEqual([]);
    expect(result.notices).toEqual([]);
    expect(result.stats).toMatchObject({ filesScanned: 1, skippedBinary: 0, skippedNotRegular: 0 });
    expect(result.findings).toHaveLength(1);
    const f: Finding = result.findings[0]!;
    expect(f).toMatchObject({ ruleId: "no-hardcoded-key", kind: "service", file: "src/config.ts", line: 1, column: 23, redacted: `apk_****${key.slice(-4)}` });
    expect(Object.keys(f)).not.toContain("secret");
    expectNoKey(result, key);
    expectNoKey({ ...f }, key);
  });

  it("defaults to the working directory and scans standard input given as an async iterable", async () => {
    const all = await scan({ cwd: dir });
    expect(all.findings.map((f) => f.file)).toEqual(["src/config.snap", "src/config.ts"]);
    const c = serviceUserKey(rng);
    async function* input() {
      yield Buffer.from("first\nsecond ");
      yield Buffer.from(`${c}\n`);
    }
    const r = await scan({ cwd: dir, paths: ["-"], stdin: input() });
    expect(r.findings).toMatchObject([{ file: "<stdin>", kind: "service-user", line: 2, column: 8 }]);
  });

  it("throws MissingPathError for a path that does not exist", async () => {
    await expect(scan({ cwd: dir, paths: ["nope"] })).rejects.toBeInstanceOf(MissingPathError);
    await expect(scan({ cwd: dir, paths: ["nope"] })).rejects.toThrow(/nope/);
  });
});

describe("the built package", () => {
  it("exports scan and detect from the package root, with types", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, { types: string; default: string }> };
    expect(existsSync(join(ROOT, pkg.exports["."]!.types))).toBe(true);
    expect(readFileSync(join(ROOT, pkg.exports["."]!.types), "utf8")).toMatch(/export declare function detect/);
    const r = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'const m = await import("devin-keyscan"); console.log(typeof m.scan, typeof m.detect, m.detect("cog_unload").length, typeof m.MissingPathError);'],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("function function 0 function");
  });
});
