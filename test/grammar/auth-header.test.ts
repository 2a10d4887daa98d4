import { describe, expect, it } from "vitest";
import { authHeaderMessage, authSchemeProblem, hasBearerScheme } from "../../src/grammar/auth-header.js";

describe("authSchemeProblem", () => {
  it("accepts the Bearer scheme in any case", () => {
    for (const v of ["Bearer abc", "bearer abc", "BEARER abc", "  Bearer\tabc  "]) expect(authSchemeProblem(v)).toBeUndefined();
    expect(hasBearerScheme("Bearer abc")).toBe(true);
  });

  it("does not judge an empty value or the scheme alone (the credential is appended at run time)", () => {
    expect(authSchemeProblem("")).toBeUndefined();
    expect(authSchemeProblem("Bearer")).toBeUndefined();
    expect(hasBearerScheme("")).toBe(false);
  });

  it("names another scheme as written", () => {
    expect(authSchemeProblem("Token abc")).toEqual({ problem: "wrong-scheme", scheme: "Token" });
    expect(authSchemeProblem("Basic dXNlcjpwYXNz")).toEqual({ problem: "wrong-scheme", scheme: "Basic" });
    expect(authSchemeProblem("Api-Key ${KEY}")).toEqual({ problem: "wrong-scheme", scheme: "Api-Key" });
  });

  it("reports a bare credential or expression as a missing scheme, never as a scheme", () => {
    expect(authSchemeProblem("abc123")).toEqual({ problem: "missing-scheme" });
    expect(authSchemeProblem("$DEVIN_API_KEY")).toEqual({ problem: "missing-scheme" });
    expect(authSchemeProblem("process.env.DEVIN_API_KEY } });")).toEqual({ problem: "missing-scheme" });
    expect(authSchemeProblem("token }")).toEqual({ problem: "missing-scheme" });
  });

  it("reports Bearer glued to the credential as a missing space, not a missing scheme", () => {
    expect(authSchemeProblem("Bearer:abc")).toEqual({ problem: "no-space" });
    expect(authSchemeProblem("Bearercog_abc")).toEqual({ problem: "no-space" });
    expect(authSchemeProblem("bearer=abc")).toEqual({ problem: "no-space" });
    expect(authSchemeProblem("BearerToken abc")).toEqual({ problem: "wrong-scheme", scheme: "BearerToken" });
    expect(authHeaderMessage({ problem: "no-space" })).toMatch(/without a space after "Bearer".*401/);
  });

  it("writes a message that says what the API answers and how to fix it", () => {
    expect(authHeaderMessage({ problem: "missing-scheme" })).toMatch(/401.*Bearer <key>/);
    expect(authHeaderMessage({ problem: "wrong-scheme", scheme: "Token" })).toContain('"Token" scheme');
  });
});
