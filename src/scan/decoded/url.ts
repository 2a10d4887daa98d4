import { KINDS, MAX_KEY_LENGTH, matchKeyAt } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { decodedKeyHit } from "./found.js";

/**
 * Keys whose base64 body is URL-encoded (`%2B` for `+`, `%2F` for `/`, `%3D` padding), as
 * they appear in query strings and form bodies. `%3D` padding alone is already accepted
 * by the plain matcher; this detector only reports what needs decoding to be a key.
 * Only `apk_` keys have `+` and `/` in their body, so only `apk_` is looked at.
 */

const PREFIX = KINDS.service.prefix; // `apk_`, also the start of `apk_user_`
const BODY = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=%_") BODY[c.charCodeAt(0)] = 1;
/** An encoded body is at most three characters per decoded one. */
const MAX_ENCODED = MAX_KEY_LENGTH * 3;

const HEX = /^[0-9A-Fa-f]{2}$/;

export const detectUrlEncodedKeys: Detector = (text, from, to) => {
  const gate = text.indexOf("%2", from);
  if (gate === -1) return [];
  const hits: Hit[] = [];
  let at = text.indexOf(PREFIX, from);
  while (at !== -1 && at < to) {
    // The run of characters an encoded key can be written with.
    let end = at + PREFIX.length;
    const limit = Math.min(text.length, at + MAX_ENCODED);
    while (end < limit) {
      const c = text.charCodeAt(end);
      if (c >= 128 || BODY[c] !== 1) break;
      end++;
    }
    const run = text.slice(at, end);
    if (/%2[BbFf]/.test(run) && matchKeyAt(text, at) === undefined) {
      // Decode `%XX` with a map from decoded index to encoded index.
      let decoded = "";
      const map: number[] = [];
      for (let i = 0; i < run.length; ) {
        if (run[i] === "%" && HEX.test(run.slice(i + 1, i + 3))) {
          map.push(i);
          decoded += String.fromCharCode(parseInt(run.slice(i + 1, i + 3), 16));
          i += 3;
        } else {
          map.push(i);
          decoded += run[i];
          i++;
        }
      }
      map.push(run.length);
      // The left boundary is the text's: prepend the character before the run.
      const before = at > 0 ? text[at - 1]! : "";
      const key = matchKeyAt(before + decoded, before.length);
      if (key !== undefined) {
        const keyEnd = at + map[key.end - before.length]!;
        hits.push(decodedKeyHit(key, at, keyEnd, "url"));
        at = text.indexOf(PREFIX, keyEnd);
        continue;
      }
    }
    at = text.indexOf(PREFIX, Math.max(at + 1, end));
  }
  return hits;
};
detectUrlEncodedKeys.triggers = [PREFIX];
detectUrlEncodedKeys.needs = "%2";
