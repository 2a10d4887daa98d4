import type { Detector } from "../types.js";
import { detectBase64Keys } from "./base64.js";
import { detectDockerConfigAuth } from "./docker-config.js";
import { detectEscapedKeys } from "./escape.js";
import { detectUrlEncodedKeys } from "./url.js";

export { detectBase64Keys, detectDockerConfigAuth, detectEscapedKeys, detectUrlEncodedKeys };

/** Keys hidden by an encoding: each decoded once, reported at the encoded span. */
export const DECODED_DETECTORS: readonly Detector[] = [detectBase64Keys, detectDockerConfigAuth, detectUrlEncodedKeys, detectEscapedKeys];
