import type { Detector } from "../types.js";
import { detectVersionMismatch } from "./no-version-mismatch.js";
import { detectApiVersion } from "./valid-api-version.js";
import { detectAuthHeader } from "./valid-auth-header.js";

export { detectApiVersion, detectAuthHeader, detectVersionMismatch };

/** The text-level 401/403/404 checks, in the vocabulary of the ESLint rules. */
export const CHECK_DETECTORS: readonly Detector[] = [detectVersionMismatch, detectAuthHeader, detectApiVersion];
