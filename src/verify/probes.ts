import { API_HOST, VERSIONS, type ApiVersion, type Kind } from "../grammar/index.js";

/**
 * The lightest authenticated read each kind of key can make: one GET that changes nothing,
 * costs nothing and returns little. The version must be one the kind works with (the
 * grammar's compatibility matrix; a test holds them together), or every check would 403.
 */
export interface Probe {
  readonly version: ApiVersion;
  /** Path and query, appended to the base URL's path. */
  readonly path: string;
}

export const PROBES: Readonly<Record<Kind, Probe>> = {
  // v3 identity of the service user: no organisation id needed, read-only.
  "service-user": { version: "v3", path: `${VERSIONS.v3.pathPrefix}self` },
  // v1 keys have no "self" call; listing one session is the smallest authenticated read.
  personal: { version: "v1", path: `${VERSIONS.v1.pathPrefix}sessions?limit=1` },
  service: { version: "v1", path: `${VERSIONS.v1.pathPrefix}sessions?limit=1` },
};

export const DEFAULT_VERIFY_BASE_URL = `https://${API_HOST}`;
