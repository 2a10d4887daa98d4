import { describe, expect, it } from "vitest";
import { isCompatible, KINDS, type Kind } from "../../src/grammar/index.js";
import { DEFAULT_VERIFY_BASE_URL, isLoopbackHost, parseVerifyBaseUrl, PROBES, probeUrl, retryDelay, VerifyBaseUrlError } from "../../src/verify/index.js";

describe("parseVerifyBaseUrl", () => {
  it.each([
    "https://api.devin.ai",
    "https://proxy.example.com/devin/",
    "http://127.0.0.1:8080",
    "http://127.3.4.5",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://[::1]:9000",
  ])("accepts %s", (url) => {
    expect(() => parseVerifyBaseUrl(url)).not.toThrow();
  });

  it.each([
    ["http://api.devin.ai", /must use https: plain http is allowed only for loopback/],
    ["http://10.0.0.1", /only for loopback/],
    ["http://128.0.0.1", /only for loopback/],
    ["http://localhost.example.com", /only for loopback/],
    ["http://[::2]", /only for loopback/],
    ["ftp://127.0.0.1", /must use https, not ftp/],
    ["file:///etc/passwd", /must use https, not file/],
    ["api.devin.ai", /is not a URL/],
    ["https://user:pass@api.devin.ai", /user name or password/],
    ["https://api.devin.ai/?x=1", /query or fragment/],
  ])("refuses %s", (url, message) => {
    expect(() => parseVerifyBaseUrl(url)).toThrow(VerifyBaseUrlError);
    expect(() => parseVerifyBaseUrl(url)).toThrow(message);
  });

  it("keeps a proxy's path prefix and joins probe paths under it", () => {
    const base = parseVerifyBaseUrl("https://proxy.example.com/devin/");
    expect(probeUrl(base, "/v1/sessions?limit=1").href).toBe("https://proxy.example.com/devin/v1/sessions?limit=1");
    expect(probeUrl(parseVerifyBaseUrl(DEFAULT_VERIFY_BASE_URL), "/v3/self").href).toBe("https://api.devin.ai/v3/self");
  });
});

describe("isLoopbackHost", () => {
  it("knows 127.0.0.0/8, ::1 and localhost, nothing else", () => {
    expect(["127.0.0.1", "127.255.255.254", "::1", "[::1]", "localhost"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "169.254.1.1", "example.com", "127.example.com"].some(isLoopbackHost)).toBe(false);
  });
});

describe("PROBES", () => {
  it("uses, for each kind, an API version the grammar says the kind works with", () => {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      expect(isCompatible(kind, PROBES[kind].version), kind).toBe(true);
      expect(PROBES[kind].path.startsWith(`/${PROBES[kind].version}/`)).toBe(true);
    }
    expect(PROBES["service-user"].path).toBe("/v3/self");
    expect(PROBES.personal.path).toBe("/v1/sessions?limit=1");
    expect(PROBES.service.path).toBe("/v1/sessions?limit=1");
  });
});

describe("retryDelay", () => {
  const opts = { retryDelayMs: 1000, maxRetryDelayMs: 5000 };
  it("honours Retry-After in seconds or as a date, capped", () => {
    expect(retryDelay(null, opts)).toBe(1000);
    expect(retryDelay("2", opts)).toBe(2000);
    expect(retryDelay("0", opts)).toBe(0);
    expect(retryDelay("3600", opts)).toBe(5000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryDelay("Thu, 01 Jan 2026 00:00:03 GMT", opts, now)).toBe(3000);
    expect(retryDelay("Wed, 31 Dec 2025 00:00:00 GMT", opts, now)).toBe(0);
    expect(retryDelay("soon", opts)).toBe(1000);
  });
});
