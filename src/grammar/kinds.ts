/**
 * The three Devin credential kinds, as the vendor's authentication page defines them
 * (see DESIGN.md §1). This module and its siblings in `src/grammar/` are the only
 * place that knows prefixes, structure, API versions and the compatibility matrix.
 */

export type Kind = "personal" | "service" | "service-user";

export interface KindInfo {
  readonly kind: Kind;
  /** Literal prefix, case-sensitive. `apk_user_` must be tried before `apk_`. */
  readonly prefix: string;
  /** Human name used in messages. */
  readonly label: string;
  /** Where the vendor says this kind is created and revoked. */
  readonly managedAt: string;
  /** What to do when one leaks, in one sentence. */
  readonly revocationHint: string;
}

export const KINDS: Readonly<Record<Kind, KindInfo>> = {
  personal: {
    kind: "personal",
    prefix: "apk_user_",
    label: "personal API key",
    managedAt: "Settings > API Keys (in the sub-organisation that issued it)",
    revocationHint:
      "revoke it under Settings > API Keys in the organisation that issued it, then generate a new key and store it in a secret manager",
  },
  service: {
    kind: "service",
    prefix: "apk_",
    label: "service API key",
    managedAt: "the sub-organisation's service API keys (organisation settings)",
    revocationHint:
      "revoke it in the sub-organisation's service API key settings, then generate a new key and store it in a secret manager",
  },
  "service-user": {
    kind: "service-user",
    prefix: "cog_",
    label: "service-user credential",
    managedAt: "Enterprise Settings > Service Users",
    revocationHint:
      "revoke it under Enterprise Settings > Service Users (regenerate the service user's API key), then store the new one in a secret manager",
  },
};

/** Kinds in matching order: longest prefix first. */
export const KINDS_BY_PREFIX_LENGTH: readonly KindInfo[] = Object.values(KINDS).sort(
  (a, b) => b.prefix.length - a.prefix.length,
);

/** The two literal strings every key starts with; the scanner's prefilter searches only these. */
export const PREFILTER_LITERALS = ["apk_", "cog_"] as const;

export function kindLabel(kind: Kind): string {
  const info = KINDS[kind];
  return `${info.label} (${info.prefix})`;
}
