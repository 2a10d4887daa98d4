import { API_HOST, findKeysInRange, isCompatible, mismatchMessage, type ApiVersion, type KeyMatch } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { anotherHostBetween, devinUrlsAround, sameRequest, statementNamesAnotherHost, within, type DevinUrlOccurrence } from "./devin-urls.js";

/**
 * `no-version-mismatch`: a key of one kind sent to an `api.devin.ai` version that kind
 * cannot use (403), when both are in the same request: one statement (a curl with its
 * `\` continuations, a call expression, an `.http` request block), one YAML mapping, or a
 * paragraph that holds only that key and URLs of one version (Go and Ruby build a request
 * over several statements), unless the key's own statement names another host. Reported at
 * the key, once per version.
 */

/** True when the paragraph around `url` pairs unambiguously with `key`: one key, one version. */
function pairedByParagraph(url: DevinUrlOccurrence, key: KeyMatch, keys: readonly KeyMatch[], urls: readonly DevinUrlOccurrence[]): boolean {
  const p = url.paragraph;
  if (!within(p, key.start)) return false;
  for (const k of keys) if (k !== key && within(p, k.start)) return false;
  for (const u of urls) {
    if (!within(p, u.start)) continue;
    if (u.parsed.kind !== "known" || url.parsed.kind !== "known" || u.parsed.version !== url.parsed.version) return false;
  }
  return true;
}

export const detectVersionMismatch: Detector = (text, from, to, context) => {
  if (text.indexOf(API_HOST, Math.max(0, from - 4096)) === -1) return [];
  // Keys in the whole window, so that "only one key in the paragraph" sees keys outside the chunk.
  const windowFrom = Math.max(0, from - 4096);
  const keys = findKeysInRange(text, windowFrom, Math.min(text.length, to + 8192), { paranoid: context.paranoid });
  if (!keys.some((k) => k.start >= from && k.start < to)) return [];
  const urls = devinUrlsAround(text, from, to).filter((u) => u.parsed.kind === "known");
  if (urls.length === 0) return [];
  const hits: Hit[] = [];
  for (const key of keys) {
    if (key.start < from || key.start >= to) continue;
    const reported = new Set<ApiVersion>();
    let elsewhere: boolean | undefined;
    for (const url of urls) {
      if (url.parsed.kind !== "known") continue;
      const version = url.parsed.version;
      if (reported.has(version) || isCompatible(key.kind, version)) continue;
      if (anotherHostBetween(text, url, key.start)) continue;
      if (!sameRequest(url, key.start)) {
        if (!pairedByParagraph(url, key, keys, urls)) continue;
        elsewhere ??= statementNamesAnotherHost(text, key.start);
        if (elsewhere) continue;
      }
      reported.add(version);
      hits.push({
        ruleId: "no-version-mismatch",
        start: key.start,
        end: key.end,
        key,
        fingerprintSalt: version,
        message: `${mismatchMessage(key.kind, version)} (request to ${API_HOST}${url.path})`,
      });
    }
  }
  return hits;
};
detectVersionMismatch.triggers = [API_HOST];
