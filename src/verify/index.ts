/**
 * Opt-in live verification (`--verify`): is a leaked key still valid? Loaded only when asked
 * for; never used by the ESLint plugin, which must stay offline.
 */
export { parseVerifyBaseUrl, isLoopbackHost, probeUrl, VerifyBaseUrlError } from "./base-url.js";
export { checkKey, retryDelay, type CheckOptions } from "./check.js";
export { DEFAULT_VERIFY_BASE_URL, PROBES, type Probe } from "./probes.js";
export {
  verifyFindings,
  sortValidFirst,
  isVerifiedLive,
  mapWithConcurrency,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  type VerifyOptions,
  type VerifySummary,
} from "./verify.js";
export { applyVerification, type ApplyVerificationOptions } from "./apply.js";
export { cliVerifyOptions, TIMEOUT_ENV, type CliVerifyInput } from "./cli-options.js";
