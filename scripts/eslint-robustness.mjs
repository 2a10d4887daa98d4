#!/usr/bin/env node
// Robustness run of the ESLint plugin: lints every .js/.mjs/.cjs/.ts/.tsx file under the
// project's own node_modules with the recommended config (TypeScript parser for .ts/.tsx) and
// expects zero crashes and zero reports. Files the parsers cannot read are counted, not failed.
// Also times the same files without the plugin, to show what the plugin adds to lint time.
//
//   npm run build && node scripts/eslint-robustness.mjs [root]
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import fg from "fast-glob";
import devinKeys from "../dist/rules/index.js";

const repo = resolve(import.meta.dirname, "..");
const root = resolve(process.argv[2] ?? resolve(repo, "node_modules"));
const files = fg.sync("**/*.{js,mjs,cjs,ts,tsx}", { cwd: root, absolute: true, followSymbolicLinks: false, dot: true });

const linter = new Linter();
const jsx = { ecmaFeatures: { jsx: true } };
// A pattern ending in `*` does not make ESLint lint a file: name the extensions.
const FILES = ["**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}"];
// Inline comments of the scanned packages name rules of other plugins: not our business here.
const linterOptions = { reportUnusedDisableDirectives: "off", noInlineConfig: true };
function configs(file, withPlugin) {
  const isTs = /\.tsx?$/.test(file);
  const base = isTs
    ? { files: FILES, linterOptions, languageOptions: { parser: tsParser, parserOptions: file.endsWith(".tsx") ? jsx : {} } }
    : { files: FILES, linterOptions, languageOptions: { sourceType: file.endsWith(".cjs") ? "commonjs" : "module", parserOptions: jsx } };
  const fallback = isTs ? undefined : { ...base, languageOptions: { ...base.languageOptions, sourceType: "script", parserOptions: {} } };
  const plugin = withPlugin ? [{ ...devinKeys.configs.recommended, files: FILES }] : [];
  return [[base, ...plugin], fallback && [fallback, ...plugin]].filter(Boolean);
}

function lint(file, text, withPlugin) {
  let messages = [];
  for (const config of configs(file, withPlugin)) {
    // Relative to the scanned root: ESLint ignores anything under node_modules/ by default.
    messages = linter.verify(text, config, { filename: relative(root, file) });
    if (!messages.some((m) => m.fatal)) break;
  }
  return messages;
}

let linted = 0;
let unparsable = 0;
const crashes = [];
const reports = [];
let msWith = 0;
let msWithout = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue;
  }
  const name = relative(repo, file);
  try {
    // CPU time, not wall time: the machine may be shared. The order alternates so that neither
    // pass always runs on a cold file.
    const timed = (withPlugin) => {
      const before = process.cpuUsage();
      const messages = lint(file, text, withPlugin);
      const used = process.cpuUsage(before);
      if (withPlugin) msWith += (used.user + used.system) / 1000;
      else msWithout += (used.user + used.system) / 1000;
      return messages;
    };
    let messages;
    if (linted % 2 === 0) {
      messages = timed(true);
      timed(false);
    } else {
      timed(false);
      messages = timed(true);
    }
    linted++;
    if (messages.some((m) => m.fatal)) {
      unparsable++;
      continue;
    }
    // Only the plugin's reports count; notices about the packages' own eslint comments do not.
    for (const m of messages.filter((x) => x.ruleId?.startsWith("devin-keys/"))) reports.push(`${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
  } catch (error) {
    crashes.push(`${name}: ${error instanceof Error ? error.stack?.split("\n").slice(0, 4).join(" | ") : String(error)}`);
  }
}

console.log(`files: ${files.length} found, ${linted} linted, ${unparsable} not parsable by espree/typescript-eslint (skipped)`);
console.log(`crashes: ${crashes.length}`);
for (const c of crashes.slice(0, 20)) console.log(`  ${c}`);
console.log(`reports: ${reports.length}`);
for (const r of reports.slice(0, 50)) console.log(`  ${r}`);
const overhead = ((msWith - msWithout) / msWithout) * 100;
console.log(`lint CPU time: ${(msWithout / 1000).toFixed(1)} s without the plugin, ${(msWith / 1000).toFixed(1)} s with it (${overhead >= 0 ? "+" : ""}${overhead.toFixed(1)}%)`);
process.exitCode = crashes.length === 0 && reports.length === 0 ? 0 : 1;
