// The project's own lint config: the ESLint rules in rules/ are checked with
// eslint-plugin-eslint-plugin's recommended config (rule meta, messages, schemas, tests).
import tsParser from "@typescript-eslint/parser";
import eslintPlugin from "eslint-plugin-eslint-plugin";

export default [
  { ignores: ["dist/**", "node_modules/**", "fixtures/**", "bench/.out/**"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tsParser, sourceType: "module" },
  },
  {
    ...eslintPlugin.configs.recommended,
    files: ["rules/**/*.ts"],
    rules: {
      ...eslintPlugin.configs.recommended.rules,
      "eslint-plugin/require-meta-docs-description": ["error", { pattern: "^(Require|Disallow|Enforce)" }],
      // meta.docs.url is added by createRule (util/create-rule.ts), which this rule cannot see;
      // test/rules/docs.test.ts checks every URL instead.
      "eslint-plugin/require-meta-docs-url": "off",
      "eslint-plugin/require-meta-schema-description": "error",
      "eslint-plugin/require-meta-type": "error",
      "eslint-plugin/require-meta-has-suggestions": "error",
      "eslint-plugin/report-message-format": ["error", "^[A-Z\\\"{].*[.?]$"],
    },
  },
  {
    ...eslintPlugin.configs["tests-recommended"],
    files: ["test/rules/**/*.test.ts"],
  },
];
