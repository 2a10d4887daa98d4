import { detectKeys } from "./keys.js";
import { CHECK_DETECTORS } from "./checks/index.js";
import { DECODED_DETECTORS } from "./decoded/index.js";
import type { Detector } from "./types.js";

/** Every detector the scanner runs on every text unit, in report order. */
export const DEFAULT_DETECTORS: readonly Detector[] = [detectKeys, ...DECODED_DETECTORS, ...CHECK_DETECTORS];
