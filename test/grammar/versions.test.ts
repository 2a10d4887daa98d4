import { describe, expect, it } from "vitest";
import {
  API_HOST,
  API_VERSIONS,
  closestVersion,
  COMPATIBILITY,
  compatibility,
  ENTERPRISE_ADMIN_NOTE,
  isApiVersion,
  isCompatible,
  kindsAccepting,
  MCP_HOST,
  mismatchMessage,
  parseDevinUrl,
  unknownVersionMessage,
  versionsAccepting,
  VERSIONS,
} from "../../src/grammar/versions.js";

describe("API versions (DESIGN.md §2)", () => {
  it("lists v1, v2, v3beta1 and v3 with their path prefixes", () => {
    expect([...API_VERSIONS]).toEqual(["v1", "v2", "v3beta1", "v3"]);
    expect(Object.values(VERSIONS).map((v) => v.pathPrefix)).toEqual(["/v1/", "/v2/", "/v3beta1/", "/v3/"]);
    expect(API_HOST).toBe("api.devin.ai");
    expect(MCP_HOST).toBe("mcp.devin.ai");
    expect(isApiVersion("v3beta1")).toBe(true);
    expect(isApiVersion("v3beta")).toBe(false);
    expect(isApiVersion("V1")).toBe(false);
  });
});

describe("compatibility matrix (DESIGN.md §1)", () => {
  it("is the vendor's table, as data", () => {
    expect(COMPATIBILITY).toEqual({
      personal: { v1: "yes", v2: "enterprise-admin", v3beta1: "no", v3: "no" },
      service: { v1: "yes", v2: "no", v3beta1: "no", v3: "no" },
      "service-user": { v1: "no", v2: "no", v3beta1: "yes", v3: "yes" },
    });
    expect(compatibility("personal", "v2")).toBe("enterprise-admin");
  });

  it("answers which kinds a version accepts and which versions a kind can use", () => {
    expect(kindsAccepting("v1")).toEqual(["personal", "service"]);
    expect(kindsAccepting("v2")).toEqual(["personal"]);
    expect(kindsAccepting("v3")).toEqual(["service-user"]);
    expect(kindsAccepting("v3beta1")).toEqual(["service-user"]);
    expect(versionsAccepting("personal")).toEqual(["v1", "v2"]);
    expect(versionsAccepting("service")).toEqual(["v1"]);
    expect(versionsAccepting("service-user")).toEqual(["v3beta1", "v3"]);
    expect(isCompatible("personal", "v3")).toBe(false);
    expect(isCompatible("service-user", "v1")).toBe(false);
  });

  it("builds 403 and 404 messages from the table", () => {
    const m = mismatchMessage("personal", "v3");
    expect(m).toContain("403");
    expect(m).toContain("cog_");
    expect(m).toContain("Enterprise Settings > Service Users");
    expect(mismatchMessage("service-user", "v1")).toMatch(/apk_user_.*apk_/);
    const u = unknownVersionMessage("v3beta", "v3beta1");
    expect(u).toContain("404");
    expect(u).toContain('"/v3beta1/"');
    expect(ENTERPRISE_ADMIN_NOTE).toContain("Enterprise-admin");
  });
});

describe("closestVersion", () => {
  it.each([
    ["v3beta", "v3beta1"],
    ["v3beta2", "v3beta1"],
    ["api/v1", "v1"],
    ["/api/v2/", "v2"],
    ["v4", "v3"],
    ["V1", "v1"],
    ["v0", "v3"],
  ])("%s → %s", (segment, expected) => {
    expect(closestVersion(segment)).toBe(expected);
  });
});

describe("parseDevinUrl", () => {
  // Built at run time: the project scans its own sources, and these URLs are wrong on purpose.
  const API = `https://${API_HOST}`;

  it("classifies known versions", () => {
    expect(parseDevinUrl("https://api.devin.ai/v1/sessions")).toEqual({ host: API_HOST, kind: "known", version: "v1", path: "/v1/sessions" });
    expect(parseDevinUrl("https://API.Devin.ai:443/v3beta1/enterprise/organizations?x=1")).toMatchObject({ kind: "known", version: "v3beta1" });
    expect(parseDevinUrl("//api.devin.ai/v3/self#x")).toMatchObject({ kind: "known", version: "v3", path: "/v3/self" });
  });

  it("classifies unknown versions with a suggestion", () => {
    expect(parseDevinUrl(`${API}/v3beta/organizations`)).toMatchObject({ kind: "unknown", segment: "v3beta", suggestion: "v3beta1" });
    expect(parseDevinUrl(`${API}/api/v1/sessions`)).toMatchObject({ kind: "unknown", segment: "api/v1", suggestion: "v1" });
    expect(parseDevinUrl(`${API}/v4/sessions`)).toMatchObject({ kind: "unknown", segment: "v4", suggestion: "v3" });
  });

  it("recognises the bare host", () => {
    expect(parseDevinUrl("https://api.devin.ai")).toMatchObject({ kind: "root", path: "/" });
    expect(parseDevinUrl("https://api.devin.ai/")).toMatchObject({ kind: "root" });
  });

  it("ignores other hosts, look-alikes and bare paths unless asked", () => {
    expect(parseDevinUrl("https://mcp.devin.ai/mcp")).toBeUndefined();
    expect(parseDevinUrl("https://api.devin.ai.example.com/v1/x")).toBeUndefined();
    expect(parseDevinUrl("https://example.com/v1/sessions")).toBeUndefined();
    expect(parseDevinUrl("/v1/sessions")).toBeUndefined();
    expect(parseDevinUrl("/v1/sessions?x=1", true)).toMatchObject({ kind: "known", version: "v1", path: "/v1/sessions" });
    expect(parseDevinUrl("/v3beta/x", true)).toMatchObject({ kind: "unknown", suggestion: "v3beta1" });
  });
});
