import { isIP } from "node:net";

/** A `--verify-base-url` the tool refuses to send keys to. The CLI turns it into exit 2. */
export class VerifyBaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyBaseUrlError";
  }
}

/**
 * Loopback hosts: `localhost`, 127.0.0.0/8 and ::1. Only these may be reached over plain
 * http, so a test stand-in of the API works while a key can never cross a network unencrypted.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  const lower = host.toLowerCase().replace(/\.$/, "");
  if (lower === "localhost") return true;
  if (isIP(lower) === 4) return lower.split(".")[0] === "127";
  if (isIP(lower) === 6) return lower === "::1" || lower === "0:0:0:0:0:0:0:1";
  return false;
}

/**
 * Parses and checks a verification base URL: https anywhere, http only on a loopback host;
 * no user name or password (they would travel with every key), no query or fragment. A path
 * is kept (a proxy may mount the API under one); a trailing `/` is dropped. `name` says in
 * messages where the URL came from.
 */
export function parseVerifyBaseUrl(text: string, name = "--verify-base-url"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VerifyBaseUrlError(`${name} "${text}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VerifyBaseUrlError(`${name} must use https, not ${url.protocol.replace(/:$/, "")}`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new VerifyBaseUrlError(
      `${name} must use https: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost), not ${url.hostname}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new VerifyBaseUrlError(`${name} must not contain a user name or password`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new VerifyBaseUrlError(`${name} must not contain a query or fragment`);
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** The URL of a probe path under a base (which may carry a path prefix). */
export function probeUrl(base: URL, pathAndQuery: string): URL {
  const url = new URL(base.href);
  const q = pathAndQuery.indexOf("?");
  url.pathname = base.pathname.replace(/\/+$/, "") + (q < 0 ? pathAndQuery : pathAndQuery.slice(0, q));
  url.search = q < 0 ? "" : pathAndQuery.slice(q);
  return url;
}
