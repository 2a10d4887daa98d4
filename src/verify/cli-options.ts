import { parseVerifyBaseUrl, VerifyBaseUrlError } from "./base-url.js";
import type { ApplyVerificationOptions } from "./apply.js";
import { DEFAULT_VERIFY_BASE_URL } from "./probes.js";

/**
 * Test hook, deliberately not a flag: a stand-in API that never answers should not make an
 * end-to-end test wait the real timeout. Ignored unless it is a positive integer.
 */
export const TIMEOUT_ENV = "DEVIN_KEYSCAN_VERIFY_TIMEOUT_MS";

export interface CliVerifyInput {
  /** `--verify-base-url`, else the config file's `verifyBaseUrl`, else undefined. */
  readonly baseUrl?: string;
  /** Where `baseUrl` came from, for error messages. Default `--verify-base-url`. */
  readonly baseUrlSource?: string;
  readonly onlyVerified: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly userAgent: string;
  readonly log: (line: string) => void;
}

/**
 * Options for `applyVerification` from what the CLI was given. Throws `VerifyBaseUrlError`
 * (exit 2) for a base URL keys must not be sent to, before anything is scanned.
 */
export function cliVerifyOptions(input: CliVerifyInput): ApplyVerificationOptions {
  const baseUrl = parseVerifyBaseUrl(input.baseUrl ?? DEFAULT_VERIFY_BASE_URL, input.baseUrlSource);
  const timeout = input.env[TIMEOUT_ENV];
  if (timeout !== undefined && timeout !== "" && !/^[1-9]\d{0,8}$/.test(timeout)) {
    throw new Error(`${TIMEOUT_ENV} must be a whole number of milliseconds from 1 to 999999999 (got ${JSON.stringify(timeout)})`);
  }
  const timeoutMs = timeout ? Number(timeout) : undefined;
  return {
    baseUrl,
    onlyVerified: input.onlyVerified,
    userAgent: input.userAgent,
    log: input.log,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

export { VerifyBaseUrlError };
