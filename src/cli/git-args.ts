import type { GitMode } from "../sources/git.js";
import { ScanFailure, UsageError } from "./exit.js";

/**
 * The git modes on the command line: `--staged [paths]`, `--diff BASE [--head REF]`,
 * `--history [--since REF]`. Kept apart from main.ts so its start-up path stays small.
 */
export function gitModeFromArgs(values: Record<string, unknown>, positionals: readonly string[]): GitMode | undefined {
  const staged = values.staged === true;
  const base = values.diff as string | undefined;
  const head = values.head as string | undefined;
  const history = values.history === true;
  const since = values.since as string | undefined;
  const chosen = [staged && "--staged", base !== undefined && "--diff", history && "--history"].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(" and ")} cannot be combined: choose one git mode`);
  if (head !== undefined && base === undefined) throw new UsageError("--head needs --diff BASE");
  if (since !== undefined && !history) throw new UsageError("--since needs --history");
  if (values.force === true) throw new UsageError("--force only applies to 'devin-keyscan install-hook'");
  if (chosen.length === 0) return undefined;
  if (base === "") throw new UsageError("--diff needs a base ref, e.g. --diff main");
  if (!staged && positionals.length > 0) {
    throw new UsageError(`${chosen[0]} scans the repository of the working directory and takes no paths (got ${positionals[0]})`);
  }
  if (positionals.includes("-")) throw new UsageError("--staged cannot read standard input");
  if (staged) return { mode: "staged", paths: positionals };
  if (base !== undefined) return { mode: "diff", base, ...(head !== undefined ? { head } : {}) };
  return { mode: "history", ...(since !== undefined ? { since } : {}) };
}

/** A git source error becomes the CLI's usage (exit 2) or failure (exit 3) error. */
export function asExitError(error: unknown): unknown {
  if (error instanceof Error && error.name === "GitError") {
    const kind = (error as Error & { kind?: string }).kind;
    return kind === "usage" ? new UsageError(error.message) : new ScanFailure(error.message);
  }
  return error;
}
