import { createRequire } from "node:module";
import { KINDS_BY_PREFIX_LENGTH } from "./kinds.js";
import { findKeys } from "./keys.js";

/** Characters of the body a redacted key may show. */
export const REDACTION_VISIBLE = 4;
const MASK = "****";

/**
 * Redacts a key to its prefix and the last 4 characters of its body (padding excluded):
 * `apk_user_****Zjk4`. Idempotent: redacting a redacted key returns it unchanged.
 * Never reveals more than the prefix and 4 body characters, whatever the input.
 */
export function redact(key: string): string {
  const info = KINDS_BY_PREFIX_LENGTH.find((k) => key.startsWith(k.prefix));
  const prefix = info?.prefix ?? "";
  let body = key.slice(prefix.length);
  if (body.startsWith(MASK)) return prefix + MASK + body.slice(MASK.length, MASK.length + REDACTION_VISIBLE);
  body = body.replace(/(?:=|%3[dD])+$/, "");
  if (body.length <= REDACTION_VISIBLE * 2) return prefix + MASK;
  return prefix + MASK + body.slice(-REDACTION_VISIBLE);
}

// node:crypto is loaded on the first fingerprint, not at start-up (≈ 4 ms that a pre-commit
// run does not spend: a scan's findings hash theirs only when read, scan/finding.ts).
const nodeRequire = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

/** SHA-256 of the canonical key, hex. Keys are high-entropy, so the hash cannot be reversed. */
export function fingerprint(canonicalKey: string): string {
  crypto ??= nodeRequire("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(canonicalKey, "utf8").digest("hex");
}

/**
 * Replaces every key in free text (an error message, a path, a log line) by its redacted
 * form. Used on every string the tool prints that it did not build itself.
 */
export function redactKeysIn(text: string): string {
  if (!text.includes("apk_") && !text.includes("cog_")) return text;
  // A key right before a `/` (a directory named after one, in a path) runs on into the next
  // name, `/` being a base64 character: it is not a key there. So each name is looked at alone
  // as well: first for whole keys (a part of a key is never one), then, after the whole text
  // (where a key with a `/` of its own is seen whole), for low-confidence ones.
  if (!text.includes("/")) return redactMatches(text, true);
  const names = (t: string, paranoid: boolean): string => t.split("/").map((name) => redactMatches(name, paranoid)).join("/");
  // Last, what still looks like a key that runs on into a path (one with a `/` of its own, in
  // a directory's name): masked whole, `/`s and all; a path shown a little shorter is no loss.
  return names(redactMatches(names(text, false), true), true).replace(RUN_ON, (run) => redact(run));
}

/** A prefix (longest first) and 40 or more base64 characters (`/` included) that no pass above recognised. */
const RUN_ON = new RegExp(`(?:${KINDS_BY_PREFIX_LENGTH.map((k) => k.prefix).join("|")})[A-Za-z0-9+/]{40,}={0,2}`, "g");

function redactMatches(text: string, paranoid: boolean): string {
  if (!text.includes("apk_") && !text.includes("cog_")) return text;
  const matches = findKeys(text, { paranoid });
  if (matches.length === 0) return text;
  let out = "";
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.start) + redact(m.raw);
    last = m.end;
  }
  return out + text.slice(last);
}
