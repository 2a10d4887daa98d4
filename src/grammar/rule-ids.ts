/**
 * The finding vocabulary shared by the CLI and the ESLint plugin (DESIGN.md §5): a scanner
 * finding and an ESLint report about the same mistake carry the same id.
 */
export const RULE_IDS = [
  "no-hardcoded-key",
  "no-client-side-key",
  "no-version-mismatch",
  "valid-auth-header",
  "valid-api-version",
  "no-key-in-logs",
] as const;
export type RuleId = (typeof RULE_IDS)[number];
