import { RuleTester } from "@typescript-eslint/rule-tester";
import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../../src/grammar/synthetic.js";

/** A RuleTester parsing TypeScript with JSX (the default parser of typescript-eslint's tester). */
export function tester(): RuleTester {
  return new RuleTester({ languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } });
}

/** Synthetic keys, generated at run time from the grammar: never a real credential. */
const rng = seededRng(0x5eed);
export const KEYS = {
  personal: personalKey(rng, { form: "email" }),
  personalGithub: personalKey(rng, { form: "github" }),
  service: serviceKey(rng),
  serviceUser: serviceUserKey(rng),
} as const;

/**
 * The 1-based location of the `occurrence`-th `needle` in `code`, as ESLint reports it, so a
 * test pins line, column, endLine and endColumn without counting characters of a 140-char key.
 */
export function locate(code: string, needle: string, occurrence = 1): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = code.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`"${needle.slice(0, 20)}…" not found ${occurrence}×`);
  }
  const pos = (offset: number): { line: number; column: number } => {
    const before = code.slice(0, offset).split("\n");
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const start = pos(index);
  const end = pos(index + needle.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
