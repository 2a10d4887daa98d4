// The subpath, not the package index: the index also loads ESLint and the scope manager (≈ 300 modules).
import { RuleCreator } from "@typescript-eslint/utils/eslint-utils";

/** Extra `meta.docs` fields every rule of this plugin declares; the configs are built from them. */
export interface PluginDocs {
  /** In the `recommended` config. */
  readonly recommended: boolean;
  /** Options the `strict` config turns on (the rule is in `strict` either way). */
  readonly strictOptions?: readonly unknown[];
}

/** Where the rule pages live in the repository; `meta.docs.url` of every rule points here. */
export const DOCS_BASE_URL = "https://github.com/devin-keyscan/devin-keyscan/blob/main/docs/rules/";

export const createRule = RuleCreator<PluginDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
