import { randomBytes } from "node:crypto";
import { lstatSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes the report to `--output FILE`. A report names files holding keys, so it is written to
 * a new temporary file beside FILE (mode 0600, created exclusively: never an existing file or a
 * planted symlink) and renamed over FILE: the result is 0600 even when FILE existed, readers
 * never see half a report, and nothing is left behind on failure. A FIFO or device the user
 * names (`/dev/stdout`) is written as is.
 */
export function writeOutputFile(output: string, report: string): void {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(output);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory() === true) throw new Error("is a directory");
  if (existing !== undefined && !existing.isFile() && !existing.isSymbolicLink()) {
    writeFileSync(output, report);
    return;
  }
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, report, { mode: 0o600, flag: "wx" });
    renameSync(temp, output);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(describeWriteError(error));
  }
}

/** The reason in words, without the temporary file's name. */
function describeWriteError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
    case "ENOTDIR":
      return "its directory does not exist";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOSPC":
      return "no space left on device";
    default:
      return (error as Error).message;
  }
}
