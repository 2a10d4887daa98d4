import { detectKeys } from "./keys.js";
import type { Detector } from "./types.js";

/** Every detector the scanner runs on every text unit, in report order. */
export const DEFAULT_DETECTORS: readonly Detector[] = [detectKeys];
