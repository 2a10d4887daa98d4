import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_GLOBS, DEFAULT_PUBLIC_ENV_PREFIXES, DEFAULT_SERVER_GLOBS } from "../../src/grammar/client-side.js";
import { loadConfig } from "../../src/config/load.js";
import { rebaseGlob, resolveSettings } from "../../src/config/settings.js";
import { RULE_IDS } from "../../src/scan/types.js";
import { runCli, tempDir, ROOT } from "../support/cli.js";
import { keys, scanJson, write } from "../suppress/support.js";

const k = keys(606);
const schema = JSON.parse(readFileSync(resolve(ROOT, "schema/devin-keyscan.schema.json"), "utf8"));

describe("config discovery", () => {
  it("walks up from the working directory", () => {
    const dir = tempDir("dks-cfg-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["generated/**"] }));
    write(dir, "pkg/a/generated/key.txt", `${k.service}\n`);
    write(dir, "pkg/a/src/ok.ts", "export {};\n");
    const loaded = loadConfig({ cwd: join(dir, "pkg/a") });
    expect(loaded?.display).toBe("../../devin-keyscan.config.json");
    // Globs are relative to the config file: `generated/**` is <root>/generated, not pkg/a/generated.
    expect(runCli(["."], { cwd: join(dir, "pkg/a") }).status).toBe(1);
    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["pkg/a/generated/**"] }));
    expect(runCli(["."], { cwd: join(dir, "pkg/a") }).status).toBe(0);
  });

  it("prefers devin-keyscan.config.json, then .devin-keyscanrc.json, then package.json, and says which others it ignored", () => {
    const dir = tempDir("dks-order-");
    write(dir, "package.json", JSON.stringify({ name: "x", "devin-keyscan": { exclude: ["from-package"] } }));
    expect(loadConfig({ cwd: dir })?.config.exclude).toEqual(["from-package"]);
    write(dir, ".devin-keyscanrc.json", JSON.stringify({ exclude: ["from-rc"] }));
    expect(loadConfig({ cwd: dir })?.config.exclude).toEqual(["from-rc"]);
    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["from-config"] }));
    const loaded = loadConfig({ cwd: dir })!;
    expect(loaded.config.exclude).toEqual(["from-config"]);
    expect(loaded.notices).toEqual(["using devin-keyscan.config.json; also found .devin-keyscanrc.json, package.json in the same directory, ignored"]);
  });

  it("a nearer directory wins over a farther one, whatever the file name", () => {
    const dir = tempDir("dks-near-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["far"] }));
    write(dir, "sub/package.json", JSON.stringify({ "devin-keyscan": { exclude: ["near"] } }));
    expect(loadConfig({ cwd: join(dir, "sub") })?.config.exclude).toEqual(["near"]);
  });

  it("skips a package.json without the key, or one that is not valid JSON (with a notice)", () => {
    const dir = tempDir("dks-pkg-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ paranoid: true }));
    write(dir, "sub/package.json", JSON.stringify({ name: "no-key" }));
    expect(loadConfig({ cwd: join(dir, "sub") })?.config).toEqual({ paranoid: true });
    write(dir, "sub/package.json", "{ broken");
    const loaded = loadConfig({ cwd: join(dir, "sub") })!;
    expect(loaded.config).toEqual({ paranoid: true });
    expect(loaded.notices[0]).toMatch(/^package\.json: invalid JSON: .*skipped$/);
  });

  it("--config FILE overrides discovery, and may name a package.json", () => {
    const dir = tempDir("dks-explicit-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["*.txt"] }));
    write(dir, "other.json", JSON.stringify({}));
    write(dir, "a.txt", `${k.personal}\n`);
    expect(runCli(["."], { cwd: dir }).status).toBe(0);
    expect(runCli(["--config", "other.json", "."], { cwd: dir }).status).toBe(1);
    write(dir, "alt/package.json", JSON.stringify({ "devin-keyscan": { exclude: ["*.txt"] } }));
    expect(runCli(["--config", "alt/package.json", "."], { cwd: dir }).status).toBe(0);
    write(dir, "alt/package.json", JSON.stringify({ name: "x" }));
    const r = runCli(["--config", "alt/package.json", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('alt/package.json: no "devin-keyscan" key');
  });
});

describe("config validation (exit 2 with the exact path)", () => {
  const dir = tempDir("dks-invalid-");
  write(dir, "a.txt", "nothing\n");
  const check = (config: unknown, file = "devin-keyscan.config.json"): string => {
    write(dir, file, typeof config === "string" ? config : JSON.stringify(config));
    const r = runCli(["--config", file, "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    return r.stderr;
  };

  it("a wrong type", () => {
    expect(check({ exclude: ["ok", 3] })).toContain("devin-keyscan.config.json: /exclude/1 must be string");
    expect(check({ gitignore: "no" })).toContain("devin-keyscan.config.json: /gitignore must be boolean");
    expect(check([])).toContain("devin-keyscan.config.json: (root) must be object");
  });

  it("an unknown key, every one of them", () => {
    const err = check({ exlude: ["x"], paranoid: true, verbos: 1 });
    expect(err).toContain("devin-keyscan.config.json: /exlude is not a known setting");
    expect(err).toContain("devin-keyscan.config.json: /verbos is not a known setting");
  });

  it("an unknown check, with the allowed values", () => {
    expect(check({ checks: ["no-hardcoded-key", "no-such-rule"] })).toContain(
      `devin-keyscan.config.json: /checks/1 must be one of: ${RULE_IDS.map((r) => JSON.stringify(r)).join(", ")}`,
    );
  });

  it("an empty list of checks (it would pass every scan)", () => {
    expect(check({ checks: [] })).toContain("devin-keyscan.config.json: /checks must not be empty (leave the setting out for the default)");
    expect(check({ allow: [{ paths: ["docs/**"], checks: [], reason: "examples" }] })).toContain("/allow/0/checks must not be empty");
  });

  it("inside package.json, under its key", () => {
    expect(check({ name: "x", "devin-keyscan": { include: "src" } }, "package.json")).toContain("package.json: /devin-keyscan/include must be array");
  });

  it("invalid JSON, with the position and nothing of the file's text", () => {
    const err = check('{\n  "exclude": [\n    "x",\n  ]\n}');
    expect(err).toMatch(/devin-keyscan\.config\.json: invalid JSON: syntax error at line 4, column 3/);
    expect(check("")).toContain("devin-keyscan.config.json: invalid JSON: the file is empty");
  });

  it("an unreadable file", () => {
    mkdirSync(join(dir, "a-directory.json"), { recursive: true });
    const r = runCli(["--config", "a-directory.json", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("a-directory.json: cannot read: is a directory");
    const missing = runCli(["--config", "missing.json", "."], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing.json: cannot read: no such file");
  });

  it.skipIf(process.getuid?.() === 0)("a file without read permission", () => {
    write(dir, "locked.json", "{}");
    chmodSync(join(dir, "locked.json"), 0o000);
    const r = runCli(["--config", "locked.json", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("locked.json: cannot read: permission denied");
  });

  it("a discovered config is validated too", () => {
    const sub = join(dir, "discovered");
    write(sub, ".devin-keyscanrc.json", JSON.stringify({ paranoid: "yes" }));
    const r = runCli(["."], { cwd: sub });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(".devin-keyscanrc.json: /paranoid must be boolean");
  });
});

describe("config settings", () => {
  it("apply include, exclude, gitignore, paranoid, checks and baseline; flags win", () => {
    const dir = tempDir("dks-settings-");
    write(dir, ".gitignore", "ignored.txt\n");
    write(dir, "ignored.txt", `${k.service}\n`);
    write(dir, "src/a.ts", `const k = "${k.serviceUser}";\n`);
    write(dir, "docs/b.md", `${k.personal}\n`);

    write(dir, "devin-keyscan.config.json", JSON.stringify({ include: ["src/**"] }));
    expect(scanJson(dir, ["."]).report.findings.map((f) => f.file)).toEqual(["src/a.ts"]);
    // --include replaces the configured list.
    expect(scanJson(dir, ["--include", "docs/**", "."]).report.findings.map((f) => f.file)).toEqual(["docs/b.md"]);

    write(dir, "devin-keyscan.config.json", JSON.stringify({ exclude: ["docs"], gitignore: false }));
    expect(scanJson(dir, ["."]).report.findings.map((f) => f.file)).toEqual(["ignored.txt", "src/a.ts"]);
    // --exclude adds to the configured list.
    expect(scanJson(dir, ["--exclude", "src", "."]).report.findings.map((f) => f.file)).toEqual(["ignored.txt"]);

    write(dir, "devin-keyscan.config.json", JSON.stringify({ checks: ["no-client-side-key"] }));
    expect(scanJson(dir, ["."]).report.findings).toEqual([]);

    write(dir, "devin-keyscan.config.json", JSON.stringify({ baseline: "ci/baseline.json" }));
    expect(runCli(["--update-baseline", "."], { cwd: dir }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "ci/baseline.json"), "utf8")).entries.map((e: { file: string }) => e.file)).toEqual(["../docs/b.md", "../src/a.ts"]);
    expect(runCli(["."], { cwd: dir }).status).toBe(0);
    // From a subdirectory the configured baseline path still resolves from the config file.
    expect(runCli(["."], { cwd: join(dir, "src") }).status).toBe(0);
  });

  it("paranoid from the config file", () => {
    const dir = tempDir("dks-paranoid-");
    // A cog_ prefix with a plausible, high-entropy body that fails the base32 structure.
    write(dir, "a.txt", `cog_${"Zq9xW2mK7pL4vB8nR3tY6cF1hJ5dG0sA".repeat(2).slice(0, 52)}\n`);
    const plain = scanJson(dir, ["."]).report.findings.length;
    write(dir, "devin-keyscan.config.json", JSON.stringify({ paranoid: true }));
    expect(scanJson(dir, ["."]).report.findings.length).toBeGreaterThan(plain);
  });

  it("resolveSettings: client-side options, rebased globs, flags", () => {
    const dir = tempDir("dks-resolve-");
    const loaded = { path: join(dir, "c.json"), display: "c.json", dir, notices: [], config: { clientGlobs: ["web/**"], serverGlobs: ["**/api/**"], publicEnvPrefixes: ["MY_PUBLIC_"], paranoid: false, gitignore: false } };
    const s = resolveSettings(loaded, { paranoid: true, noGitignore: false }, join(dir, "web"));
    expect(s.clientSide).toEqual({ clientGlobs: ["**"], serverGlobs: ["**/api/**"], publicEnvPrefixes: ["MY_PUBLIC_"] });
    expect(s.paranoid).toBe(true);
    expect(s.gitignore).toBe(false);
    expect(resolveSettings(undefined, {}, dir)).toEqual({ include: [], exclude: [], gitignore: true, paranoid: false });
  });

  it("rebaseGlob re-anchors globs written relative to the config file", () => {
    expect(rebaseGlob("fixtures/**", "/r", "/r")).toBe("fixtures/**");
    expect(rebaseGlob("./fixtures/**", "/r", "/r")).toBe("fixtures/**");
    expect(rebaseGlob("*.snap", "/r", "/r/pkg")).toBe("*.snap");
    expect(rebaseGlob("**/gen/**", "/r", "/r/pkg")).toBe("**/gen/**");
    expect(rebaseGlob("pkg/gen/**", "/r", "/r/pkg")).toBe("gen/**");
    expect(rebaseGlob("other/gen/**", "/r", "/r/pkg")).toBe("../other/gen/**");
    expect(rebaseGlob("gen/**", "/r/pkg", "/r")).toBe("pkg/gen/**");
  });
});

describe("the shipped schema", () => {
  it("lists exactly the rule ids and the client-side defaults of the code", () => {
    expect(schema.properties.checks.items.enum).toEqual([...RULE_IDS]);
    expect(schema.properties.clientGlobs.default).toEqual([...DEFAULT_CLIENT_GLOBS]);
    expect(schema.properties.serverGlobs.default).toEqual([...DEFAULT_SERVER_GLOBS]);
    expect(schema.properties.publicEnvPrefixes.default).toEqual([...DEFAULT_PUBLIC_ENV_PREFIXES]);
    const baseline = JSON.parse(readFileSync(resolve(ROOT, "schema/devin-keyscan-baseline.schema.json"), "utf8"));
    expect(baseline.properties.entries.items.properties.ruleId.enum).toEqual([...RULE_IDS]);
  });

  it("describes every setting (editor completion) and rejects unknown ones", () => {
    expect(schema.additionalProperties).toBe(false);
    for (const [name, prop] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
      expect(prop.description, name).toMatch(/\w{3}/);
    }
  });

  it("accepts a $schema reference, and the project's own config", () => {
    const dir = tempDir("dks-schema-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ $schema: "./node_modules/devin-keyscan/schema/devin-keyscan.schema.json" }));
    expect(loadConfig({ cwd: dir })?.config.$schema).toContain("schema");
    expect(loadConfig({ cwd: ROOT })?.display).toBe("devin-keyscan.config.json");
  });

  it("is compiled into the committed standalone validators (run npm run generate:validators after editing)", async () => {
    // @ts-expect-error: a plain ESM script without types
    const { generate, OUTPUT } = await import("../../scripts/generate-validators.mjs");
    expect(readFileSync(OUTPUT, "utf8")).toBe(generate());
  });
});

describe("jsonErrorOffset", () => {
  it("agrees with JSON.parse on what is valid, and points at the first bad character", async () => {
    const { jsonErrorOffset } = await import("../../src/config/json-position.js");
    for (const ok of ['{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"]}', " [ ] ", '"s"', "0"]) expect(jsonErrorOffset(ok), ok).toBeUndefined();
    expect(jsonErrorOffset('{"a": [1,]}')).toBe(9);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset("{'a': 1}")).toBe(1);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('{"a": "x')).toBe(8);
  });
});

describe("config allow-list", () => {
  it("accepts the listed checks in the listed paths, with a reason; keys there are still reported", () => {
    const dir = tempDir("dks-allow-");
    const wrongVersion = ["https://api.devin.ai", "v4", "sessions"].join("/");
    write(dir, "docs/rules/example.md", `curl ${wrongVersion}\n`);
    write(dir, "src/client.ts", `fetch("${wrongVersion}");\n`);
    const before = scanJson(dir, ["."]).report.findings.map((f) => [f.file, f.ruleId]);
    expect(before).toEqual([
      ["docs/rules/example.md", "valid-api-version"],
      ["src/client.ts", "valid-api-version"],
    ]);

    write(dir, "devin-keyscan.config.json", JSON.stringify({ allow: [{ paths: ["docs/**"], checks: ["valid-api-version"], reason: "rule documentation shows the mistake" }] }));
    write(dir, "docs/rules/key.md", `${k.service}\n`);
    const { run, report } = scanJson(dir, ["--verbose", "."]);
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => [f.file, f.ruleId])).toEqual([
      ["docs/rules/key.md", "no-hardcoded-key"],
      ["src/client.ts", "valid-api-version"],
    ]);
    expect(report.suppressed).toEqual([expect.objectContaining({ file: "docs/rules/example.md", suppressedBy: "config", reason: "rule documentation shows the mistake" })]);
  });

  it("requires paths and a reason in every entry", () => {
    const dir = tempDir("dks-allow-bad-");
    write(dir, "devin-keyscan.config.json", JSON.stringify({ allow: [{ paths: ["docs/**"] }] }));
    const r = runCli(["."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("devin-keyscan.config.json: /allow/0 must have required property 'reason'");
  });
});
