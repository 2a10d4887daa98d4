import { KINDS, kindLabel, type KeyMatch } from "../../grammar/index.js";
import type { Hit } from "../types.js";

export type Encoding = "base64" | "url" | "escape";

const HOW: Readonly<Record<Encoding, string>> = {
  base64: "base64-encoded",
  url: "URL-encoded",
  escape: "written with string escapes",
};

/**
 * A `no-hardcoded-key` hit for a key found after decoding: it points at the encoded span,
 * and keeps the decoded key's canonical form so the fingerprint is the one the same key
 * gets in plain text.
 */
export function decodedKeyHit(key: KeyMatch, start: number, end: number, encoding: Encoding): Hit {
  const located: KeyMatch = { ...key, start, end };
  return {
    ruleId: "no-hardcoded-key",
    start,
    end,
    key: located,
    encoding,
    message: `${kindLabel(key.kind)} found ${HOW[encoding]}: ${KINDS[key.kind].revocationHint}`,
  };
}
