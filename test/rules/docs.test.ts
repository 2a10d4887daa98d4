import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findKeys } from "../../src/grammar/index.js";
import { RULE_IDS } from "../../src/scan/types.js";
import plugin from "../../rules/index.js";
import { DOCS_BASE_URL } from "../../rules/util/create-rule.js";

const REPO = resolve(import.meta.dirname, "../..");
const DOCS = join(REPO, "docs/rules");
const pages = readdirSync(DOCS).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
const ruleNames = Object.keys(plugin.rules).sort();

describe("ESLint plugin: rules, configs and docs agree", () => {
  it("has exactly the rules of the shared finding vocabulary", () => {
    expect(ruleNames).toEqual([...RULE_IDS].sort());
  });

  it("has a docs page for every rule and a rule for every docs page", () => {
    expect(pages).toEqual(ruleNames);
  });

  it("links every rule to its docs page in the repository", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta?.docs?.url).toBe(`${DOCS_BASE_URL}${name}.md`);
      expect(existsSync(join(DOCS, `${name}.md`))).toBe(true);
    }
  });

  it("puts every rule in both configs, under the plugin's namespace", () => {
    expect(plugin.meta.namespace).toBe("devin-keys");
    for (const config of [plugin.configs.recommended, plugin.configs.strict]) {
      expect(Object.keys(config.rules ?? {}).sort()).toEqual(ruleNames.map((n) => `devin-keys/${n}`));
      expect(config.plugins?.["devin-keys"]).toBe(plugin);
    }
    expect(plugin.configs.strict.rules?.["devin-keys/no-hardcoded-key"]).toEqual(["error", { paranoid: true }]);
  });

  it("reads its name and version from package.json", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { name: string; version: string };
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version });
  });

  it("shows no real-looking key in any docs page (keys are written shortened, `apk_user_…`)", () => {
    for (const page of pages) expect(findKeys(readFileSync(join(DOCS, `${page}.md`), "utf8"), { paranoid: true }), page).toEqual([]);
  });

  it("has docs that eslint-doc-generator --check accepts (headers, options tables, README rules list)", () => {
    expect(existsSync(join(REPO, "dist/rules/index.js")), "run `npm run build` first").toBe(true);
    const bin = join(REPO, "node_modules/eslint-doc-generator/dist/bin/eslint-doc-generator.js");
    const run = spawnSync(process.execPath, [bin, "--check"], { cwd: join(REPO, "scripts/eslint-docs"), encoding: "utf8", timeout: 120_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });
});
