/**
 * Per-file early exit: a rule registers no listener when the file's text holds none of the
 * literals it needs, so files that never mention Devin cost one `indexOf` per literal.
 */
export function mentionsAny(text: string, literals: readonly string[]): boolean {
  for (const literal of literals) if (text.includes(literal)) return true;
  return false;
}

/** The literals every key starts with (the grammar's prefilter). */
export { PREFILTER_LITERALS as KEY_LITERALS } from "../../src/grammar/index.js";

/** Spellings of "devin" that env names, hosts and config keys use. */
export const DEVIN_LITERALS = ["devin", "DEVIN", "Devin"] as const;

/** The API host is always written with this suffix, whatever the subdomain. */
export const HOST_LITERALS = ["devin.ai"] as const;

export const AUTHORIZATION_LITERALS = ["Authorization", "authorization", "AUTHORIZATION"] as const;
