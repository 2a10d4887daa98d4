import { KINDS, kindLabel, type Kind } from "./kinds.js";

/**
 * Devin API versions and the kind × version compatibility matrix (DESIGN.md §2), as data.
 * Rules and scanner checks read this table; none of them re-derives it.
 */

export const API_VERSIONS = ["v1", "v2", "v3beta1", "v3"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export const API_HOST = "api.devin.ai";
export const MCP_HOST = "mcp.devin.ai";

export interface VersionInfo {
  readonly version: ApiVersion;
  readonly pathPrefix: string;
  readonly description: string;
}

export const VERSIONS: Readonly<Record<ApiVersion, VersionInfo>> = {
  v1: { version: "v1", pathPrefix: "/v1/", description: "organisation API" },
  v2: { version: "v2", pathPrefix: "/v2/", description: "Enterprise admin API" },
  v3beta1: { version: "v3beta1", pathPrefix: "/v3beta1/", description: "RBAC API (beta)" },
  v3: { version: "v3", pathPrefix: "/v3/", description: "RBAC API" },
};

/**
 * `yes`: the kind works with the version. `enterprise-admin`: works only when the key's
 * user holds the Enterprise-admin role (otherwise 403). `no`: always 403.
 */
export type Compatibility = "yes" | "enterprise-admin" | "no";

export const COMPATIBILITY: Readonly<Record<Kind, Readonly<Record<ApiVersion, Compatibility>>>> = {
  personal: { v1: "yes", v2: "enterprise-admin", v3beta1: "no", v3: "no" },
  service: { v1: "yes", v2: "no", v3beta1: "no", v3: "no" },
  "service-user": { v1: "no", v2: "no", v3beta1: "yes", v3: "yes" },
};

export function compatibility(kind: Kind, version: ApiVersion): Compatibility {
  return COMPATIBILITY[kind][version];
}

/** True when a request with this kind of key to this version can succeed. */
export function isCompatible(kind: Kind, version: ApiVersion): boolean {
  return COMPATIBILITY[kind][version] !== "no";
}

/** Kinds that a version accepts, in table order. */
export function kindsAccepting(version: ApiVersion): Kind[] {
  return (Object.keys(COMPATIBILITY) as Kind[]).filter((k) => isCompatible(k, version));
}

/** Versions that a kind can use. */
export function versionsAccepting(kind: Kind): ApiVersion[] {
  return API_VERSIONS.filter((v) => isCompatible(kind, v));
}

export function isApiVersion(segment: string): segment is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(segment);
}

/**
 * The valid version closest to an unknown segment: `v3beta` → `v3beta1`, `api/v1` → `v1`,
 * `v4` → `v3`. Edit distance, with ties broken towards the latest version.
 */
export function closestVersion(segment: string): ApiVersion {
  const s = segment.toLowerCase().replace(/^\/+|\/+$/g, "");
  const parts = s.split("/");
  const direct = parts.find((p) => isApiVersion(p));
  if (direct !== undefined) return direct as ApiVersion;
  const candidate = parts.find((p) => /^v\d/.test(p)) ?? parts[0] ?? s;
  let best: ApiVersion = "v3";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const v of [...API_VERSIONS].reverse()) {
    const d = editDistance(candidate, v);
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export type DevinUrl =
  | { readonly host: string; readonly kind: "known"; readonly version: ApiVersion; readonly path: string }
  | { readonly host: string; readonly kind: "unknown"; readonly segment: string; readonly suggestion: ApiVersion; readonly path: string }
  | { readonly host: string; readonly kind: "root"; readonly path: string };

/**
 * Classifies a URL (absolute, or a path when `assumeApiHost`) against the Devin API.
 * Returns undefined when the URL is not for `api.devin.ai`.
 */
export function parseDevinUrl(url: string, assumeApiHost = false): DevinUrl | undefined {
  let path: string;
  const m = /^(?:https?:)?\/\/([^/?#\s]+)(\/[^?#\s]*)?/i.exec(url.trim());
  if (m) {
    const host = m[1]!.toLowerCase().replace(/:\d+$/, "");
    if (host !== API_HOST) return undefined;
    path = m[2] ?? "/";
  } else if (assumeApiHost && url.startsWith("/")) {
    path = url.split(/[?#]/)[0]!;
  } else {
    return undefined;
  }
  const segments = path.split("/").filter((s) => s.length > 0);
  const first = segments[0];
  if (first === undefined) return { host: API_HOST, kind: "root", path };
  if (isApiVersion(first)) return { host: API_HOST, kind: "known", version: first, path };
  // `/api/v1/…` and similar: report the whole wrong prefix up to the version-like part.
  const versionLike = segments.findIndex((s) => /^v\d/i.test(s));
  const segment = versionLike > 0 && versionLike < 3 ? segments.slice(0, versionLike + 1).join("/") : first;
  return { host: API_HOST, kind: "unknown", segment, suggestion: closestVersion(segment), path };
}

/** The message for a key of `kind` sent to `version` that cannot accept it (403). */
export function mismatchMessage(kind: Kind, version: ApiVersion): string {
  const accepting = kindsAccepting(version);
  const needs = accepting
    .map((k) => {
      const role = COMPATIBILITY[k][version] === "enterprise-admin" ? " whose user holds the Enterprise-admin role" : "";
      return `a ${kindLabel(k)} created under ${KINDS[k].managedAt}${role}`;
    })
    .join(" or ");
  return `${kindLabel(kind)} used with ${version}: the API answers 403, because ${version} needs ${needs}`;
}

/** The message for an unknown version segment (404). */
export function unknownVersionMessage(segment: string, suggestion: ApiVersion): string {
  return `unknown Devin API version "/${segment}/": the API answers 404; valid versions are ${API_VERSIONS.join(", ")} — did you mean "/${suggestion}/"?`;
}

/** Note attached to personal keys on v2. */
export const ENTERPRISE_ADMIN_NOTE =
  "v2 accepts a personal key only when its user holds the Enterprise-admin role (otherwise 403)";
