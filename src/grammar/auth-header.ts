/**
 * The `Authorization` header the Devin API expects: `Authorization: Bearer <key>`
 * (DESIGN.md §1). Shared by the scanner's `valid-auth-header` check and the ESLint rule
 * of the same name, so both judge a header value the same way.
 *
 * Scheme names are case-insensitive (RFC 7235 §2.1), so `bearer <key>` is accepted; what
 * the API rejects with 401 is a missing scheme, or another scheme such as `Token` or `Basic`.
 */

export const AUTH_HEADER = "Authorization";
export const BEARER_SCHEME = "Bearer";

export type AuthSchemeProblem =
  /** The value is the credential itself (`Authorization: apk_…`, `Authorization: $DEVIN_API_KEY`). */
  | { readonly problem: "missing-scheme" }
  /** Another scheme (`Token`, `Basic`, `Api-Key`), kept as written. */
  | { readonly problem: "wrong-scheme"; readonly scheme: string }
  /** `Bearer` glued to the credential (`Bearer:<key>`, `"Bearer" + key`): no space after the scheme. */
  | { readonly problem: "no-space" };

/**
 * A scheme token followed by a space and the start of a credential. RFC 7235 allows `.` in
 * a token, but no scheme in use has one, while code does (`process.env.DEVIN_API_KEY }`):
 * without this restriction an expression sent bare would be named as a "scheme".
 */
const SCHEME = /^([A-Za-z][A-Za-z0-9_~+-]*)[ \t]+[^\s})\],;]/;

/**
 * Judges the start of an `Authorization` header value. Returns undefined when the value
 * uses the Bearer scheme (any case), or when it is empty (nothing to judge).
 */
export function authSchemeProblem(value: string): AuthSchemeProblem | undefined {
  const v = value.trim();
  // Empty, or the scheme alone (the credential is concatenated at run time): nothing to judge.
  if (v.length === 0 || v.toLowerCase() === BEARER_SCHEME.toLowerCase()) return undefined;
  const m = SCHEME.exec(v);
  if (m === null) return /^bearer/i.test(v) ? { problem: "no-space" } : { problem: "missing-scheme" };
  const scheme = m[1]!;
  if (scheme.toLowerCase() === BEARER_SCHEME.toLowerCase()) return undefined;
  return { problem: "wrong-scheme", scheme };
}

/** True when the value starts with the Bearer scheme (case-insensitive) and a credential. */
export function hasBearerScheme(value: string): boolean {
  return authSchemeProblem(value) === undefined && value.trim().length > 0;
}

/** The message for a header that the API will answer with 401. Never quotes the credential. */
export function authHeaderMessage(problem: AuthSchemeProblem): string {
  const fix = `send "${AUTH_HEADER}: ${BEARER_SCHEME} <key>"`;
  if (problem.problem === "missing-scheme") {
    return `${AUTH_HEADER} header without the "${BEARER_SCHEME} " scheme: the Devin API answers 401; ${fix}`;
  }
  if (problem.problem === "no-space") {
    return `${AUTH_HEADER} header without a space after "${BEARER_SCHEME}": the Devin API answers 401; ${fix}`;
  }
  return `${AUTH_HEADER} header uses the "${problem.scheme}" scheme: the Devin API answers 401 to anything but "${BEARER_SCHEME}"; ${fix}`;
}
