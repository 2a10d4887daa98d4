import type { ESLint, Linter, Rule } from "eslint";
import { RULE_IDS, type RuleId } from "../src/grammar/rule-ids.js";
import noClientSideKey from "./no-client-side-key.js";
import noHardcodedKey from "./no-hardcoded-key.js";
import noKeyInLogs from "./no-key-in-logs.js";
import noVersionMismatch from "./no-version-mismatch.js";
import validApiVersion from "./valid-api-version.js";
import { packageMeta } from "./util/package-meta.js";
import validAuthHeader from "./valid-auth-header.js";

/** The plugin's namespace in flat configs: rules are `devin-keys/<rule>`. */
export const NAMESPACE = "devin-keys";

const packageJson = packageMeta();

/** The rule modules by name: the finding vocabulary shared with the CLI (`RULE_IDS`). */
const ruleModules = {
  "no-hardcoded-key": noHardcodedKey,
  "no-client-side-key": noClientSideKey,
  "no-version-mismatch": noVersionMismatch,
  "valid-auth-header": validAuthHeader,
  "valid-api-version": validApiVersion,
  "no-key-in-logs": noKeyInLogs,
} satisfies Record<RuleId, unknown>;

// typescript-eslint's RuleModule and ESLint's Rule.RuleModule describe the same object; cast once.
const rules = ruleModules as unknown as Record<RuleId, Rule.RuleModule>;

function configFrom(pick: (rule: (typeof ruleModules)[RuleId]) => Linter.RuleEntry | undefined): Linter.RulesRecord {
  const entries: Linter.RulesRecord = {};
  for (const id of RULE_IDS) {
    const entry = pick(ruleModules[id]);
    if (entry !== undefined) entries[`${NAMESPACE}/${id}`] = entry;
  }
  return entries;
}

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace: NAMESPACE },
  rules,
  configs: {} as Record<"recommended" | "strict", Linter.Config>,
} satisfies ESLint.Plugin;

/** Every rule whose docs say `recommended`, at "error" with its default options. */
plugin.configs.recommended = {
  name: `${NAMESPACE}/recommended`,
  plugins: { [NAMESPACE]: plugin },
  rules: configFrom((rule) => (rule.meta.docs?.recommended === true ? "error" : undefined)),
};

/** Every rule at "error", with the stricter options a rule's docs declare (`strictOptions`). */
plugin.configs.strict = {
  name: `${NAMESPACE}/strict`,
  plugins: { [NAMESPACE]: plugin },
  rules: configFrom((rule) => {
    const strict = rule.meta.docs?.strictOptions;
    return strict ? (["error", ...strict] as Linter.RuleEntry) : "error";
  }),
};

export default plugin;
