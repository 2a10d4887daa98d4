import { findKeys } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { decodedKeyHit } from "./found.js";

/**
 * A Kubernetes `kubernetes.io/dockerconfigjson` Secret: its `.dockerconfigjson` value is the
 * base64 of a docker config, whose `auths.<registry>.auth` is base64 again (`user:password`, as
 * `docker login` writes it). The base64 detector decodes once (a `password` field in that JSON is
 * its); this one unwraps the second level, for this one format, found by the name of its key.
 * Reported at the key's name and value.
 */

const TRIGGER = ".dockerconfigjson";
/** Longest value read: a config for a few registries is a few KiB. */
const MAX_VALUE = 65536;
/** `.dockerconfigjson: <base64>` (YAML, quoted or not) or `".dockerconfigjson": "<base64>"` (JSON). */
const VALUE = /^["']?[ \t]*:[ \t]*["']?([A-Za-z0-9+/]{16,}={0,2})/;

export const detectDockerConfigAuth: Detector = (text, from, to) => {
  const hits: Hit[] = [];
  for (let at = text.indexOf(TRIGGER, from); at !== -1 && at < to; at = text.indexOf(TRIGGER, at + TRIGGER.length)) {
    const after = at + TRIGGER.length;
    const m = VALUE.exec(text.slice(after, Math.min(text.length, after + MAX_VALUE)));
    if (!m) continue;
    const json = Buffer.from(m[1]!, "base64").toString("utf8");
    let auths: unknown;
    try {
      auths = (JSON.parse(json) as { auths?: unknown })?.auths;
    } catch {
      continue;
    }
    if (auths === null || typeof auths !== "object") continue;
    // Keys the JSON holds in plain text (a `password`) are the base64 detector's finding.
    const plain = new Set(findKeys(json).map((k) => k.canonical));
    const end = after + m[0].length;
    for (const entry of Object.values(auths as Record<string, unknown>)) {
      const auth = (entry as { auth?: unknown } | null)?.auth;
      if (typeof auth !== "string") continue;
      for (const key of findKeys(Buffer.from(auth, "base64").toString("latin1"))) {
        if (plain.has(key.canonical)) continue;
        plain.add(key.canonical);
        hits.push(decodedKeyHit(key, at, end, "base64"));
      }
    }
  }
  return hits;
};
detectDockerConfigAuth.triggers = [TRIGGER];
