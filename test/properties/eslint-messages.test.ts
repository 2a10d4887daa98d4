/**
 * Property: the ESLint plugin never shows a key in full either. Whatever the key and however
 * the code holds it (a literal, a template, a concatenation, a log call, an Authorization
 * header, a client-side file), no message and no suggestion of any rule (strict config)
 * contains more than its prefix and last 4 body characters, and linting never fails.
 */
import { Linter } from "eslint";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import plugin from "../../rules/index.js";
import { keyArb, leaks, RUNS } from "./arbitraries.js";

/**
 * Beyond the properties issue 8 lists (each at RUNS): a lint costs ~2.5 ms, so this one runs a
 * quarter as often, with every shape of code in each linted file, to keep `npm test` short.
 */
const ESLINT_RUNS = RUNS / 4;

const linter = new Linter({ configType: "flat" });
const config: Linter.Config[] = [
  { files: ["**/*.js"], languageOptions: { ecmaVersion: "latest", sourceType: "module" } },
  { ...plugin.configs.strict, files: ["**/*.js"] },
];

/** Ways code holds a key, each a block of statements; `k` is the key, `q` a JS string literal of it. */
const SHAPES: readonly ((k: string, q: string) => string)[] = [
  (_k, q) => `const DEVIN_API_KEY = ${q}; use(DEVIN_API_KEY);`,
  (k) => `const token = \`${k}\`; use(token);`,
  (k) => `const key = "${k.slice(0, 9)}" + "${k.slice(9)}"; use(key);`,
  (_k, q) => `console.log("key", ${q});`,
  (_k, q) => `fetch("https://api.devin.ai/v1/sessions", { headers: { Authorization: "Bearer " + ${q} } });`,
  (_k, q) => `fetch("https://api.devin.ai/v3/self", { headers: { Authorization: \`Bearer \${${q}}\` } });`,
  (_k, q) => `const cfg = { apiKey: ${q} }; use(cfg);`,
  (k) => `// ${k}`,
];

describe("the ESLint plugin never shows a key in full", () => {
  it("no message, no suggestion, for any key in any of the shapes code holds it, in any file", { timeout: 300_000 }, () => {
    let reports = 0;
    fc.assert(
      fc.property(
        keyArb,
        fc.shuffledSubarray([...SHAPES.keys()], { minLength: 1 }),
        fc.boolean(),
        fc.constantFrom("src/app.js", "components/Widget.client.js", "pages/index.js", "server/api.js"),
        (k, shapes, useClient, filename) => {
          // Several shapes per file: one lint per run covers many ways of holding the key.
          const blocks = shapes.map((i) => `{\n${SHAPES[i]!(k.key, JSON.stringify(k.key))}\n}`);
          const code = `${useClient ? '"use client";\n' : ""}function use() {}\n${blocks.join("\n")}\n`;
          const messages = linter.verify(code, config, { filename });
          for (const m of messages) {
            expect(m.fatal, m.message).not.toBe(true);
            expect(leaks(m.message, k), `${m.ruleId}: ${m.message}`).toBe(false);
            for (const s of m.suggestions ?? []) expect(leaks(s.desc, k)).toBe(false);
            reports++;
          }
        },
      ),
      { numRuns: ESLINT_RUNS },
    );
    // The plugin does report these: the property looked at real messages.
    expect(reports).toBeGreaterThan(ESLINT_RUNS);
  });
});
