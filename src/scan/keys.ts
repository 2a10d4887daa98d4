import { findKeysInRange, kindLabel, KINDS, MAX_KEY_LENGTH, PREFILTER_LITERALS } from "../grammar/index.js";
import type { Detector, Hit } from "./types.js";

/** The `no-hardcoded-key` detector: every valid key (and, in paranoid mode, plausible ones). */
export const detectKeys: Detector = (text, from, to, context) => {
  const hits: Hit[] = [];
  for (const key of findKeysInRange(text, from, to, { paranoid: context.paranoid })) {
    const low = key.confidence === "low" ? " (low confidence: prefix, length and entropy only)" : "";
    hits.push({
      ruleId: "no-hardcoded-key",
      start: key.start,
      end: key.end,
      key,
      message: `${kindLabel(key.kind)} found${low}: ${KINDS[key.kind].revocationHint}`,
    });
  }
  return hits;
};
detectKeys.triggers = PREFILTER_LITERALS;
// `findKeysInRange` validates a key where its prefix literal is (a key's body cannot hold one),
// reading the character before it and at most the longest key and the character after it.
detectKeys.local = { before: 16, after: MAX_KEY_LENGTH + 16 };
