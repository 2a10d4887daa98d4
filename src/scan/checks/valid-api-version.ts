import { API_HOST, redactKeysIn, unknownVersionMessage } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { readDevinUrl } from "./devin-urls.js";

/**
 * `valid-api-version`: an `api.devin.ai` URL whose first path segment is not a version the
 * API serves (`/v3beta/`, `/v4/`, `/api/v1/`): a 404. Reported at the wrong segment, with
 * the closest valid version. Paths cut by a placeholder (`/{version}/`, `/${V}/`) are skipped.
 */

/** A version segment is plain text; anything else is a placeholder or not a path at all. */
const PLAIN_SEGMENT = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export const detectApiVersion: Detector = (text, from, to) => {
  // A segment lies at most a few characters after its host; look from slightly before `from`.
  const lo = Math.max(0, from - API_HOST.length - 8);
  let at = text.indexOf(API_HOST, lo);
  if (at === -1 || at >= to) return [];
  const hits: Hit[] = [];
  for (; at !== -1 && at < to; at = text.indexOf(API_HOST, at + API_HOST.length)) {
    const url = readDevinUrl(text, at);
    if (url === undefined || url.parsed.kind !== "unknown") continue;
    const { segment, suggestion } = url.parsed;
    if (!PLAIN_SEGMENT.test(segment)) continue;
    // The segment is cut by a placeholder (`/v${N}/`): the version is decided at run time.
    if (url.templated && !url.path.startsWith(`/${segment}/`)) continue;
    const start = text.indexOf(segment.split("/")[0]!, url.pathStart);
    if (start < from || start >= to) continue;
    const end = start + rawLength(text, start, segment);
    hits.push({
      ruleId: "valid-api-version",
      start,
      end,
      fingerprintSalt: redactKeysIn(`${API_HOST}${url.path}`),
      message: unknownVersionMessage(segment, suggestion),
    });
  }
  return hits;
};
detectApiVersion.triggers = [API_HOST];

/** Length in the text of `segment` starting at `start`, where `/` may be written `\/`. */
function rawLength(text: string, start: number, segment: string): number {
  let i = start;
  for (let k = 0; k < segment.length; k++) {
    if (segment[k] === "/" && text[i] === "\\") i++;
    i++;
  }
  return i - start;
}
