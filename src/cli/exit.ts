/** Exit codes (DESIGN.md §5); README.md documents them. */
export const EXIT = {
  /** Nothing found, everything scanned. */
  clean: 0,
  /** At least one finding was reported. */
  findings: 1,
  /** Bad flags, bad config, a path that does not exist. */
  usage: 2,
  /** The scan could not complete (I/O, git): never reported as clean. */
  failure: 3,
} as const;

/** A mistake in how the tool was called or configured: exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The scan could not be done (git failed, input unreadable): exit 3. */
export class ScanFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScanFailure";
  }
}
