import type { Detector } from "../types.js";
import { detectBase64Keys } from "./base64.js";
import { detectEscapedKeys } from "./escape.js";
import { detectUrlEncodedKeys } from "./url.js";

export { detectBase64Keys, detectEscapedKeys, detectUrlEncodedKeys };

/** Keys hidden by an encoding: each decoded once, reported at the encoded span. */
export const DECODED_DETECTORS: readonly Detector[] = [detectBase64Keys, detectUrlEncodedKeys, detectEscapedKeys];
