import { performance } from "node:perf_hooks";
import { fileChunks, NotRegularFileError } from "./sources/file.js";
import { describeError, walk, type WalkOptions } from "./sources/walk.js";
import { DEFAULT_DETECTORS } from "./scan/detectors.js";
import { scanByteChunks, type UnitOutcome } from "./scan/scanner.js";
import type { Detector, Finding, ScanError, ScanResult, ScanStats } from "./scan/types.js";

/**
 * The one data path: sources → scan → suppress → report (DESIGN.md §4). This module
 * wires the first three; formatters live in `report/`.
 */

export interface ScanOptions {
  /** Working directory: paths, globs and reported file names are relative to it. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Files and directories to scan; `-` is standard input. Default `["."]`. */
  readonly paths?: readonly string[];
  readonly gitignore?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Also report prefix matches of plausible length and entropy, with `confidence: "low"`. */
  readonly paranoid?: boolean;
  /** Where `-` reads from. Default `process.stdin`. */
  readonly stdin?: AsyncIterable<Buffer>;
  /** Detectors to run. Default: all of them. */
  readonly detectors?: readonly Detector[];
  /** Called now and then during long scans. */
  readonly onProgress?: (progress: { files: number; bytes: number; elapsedMs: number }) => void;
}

/** Display name of standard input in reports. */
export const STDIN_PATH = "<stdin>";

export function emptyStats(): ScanStats {
  return { filesScanned: 0, bytesScanned: 0, skippedBinary: 0, skippedNotRegular: 0, durationMs: 0 };
}

/** Scans files, directories and standard input. Throws `MissingPathError` for a path that does not exist. */
export async function scan(options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];
  const detectors = options.detectors ?? DEFAULT_DETECTORS;
  const scanOptions = { detectors, paranoid: options.paranoid === true };
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  const notices: string[] = [];
  const stats = emptyStats();

  const account = (outcome: UnitOutcome): void => {
    stats.bytesScanned += outcome.bytes;
    if (outcome.status === "binary") {
      stats.skippedBinary++;
      return;
    }
    stats.filesScanned++;
    for (const f of outcome.findings) findings.push(f);
  };

  const filePaths = paths.filter((p) => p !== "-");
  const walkOptions: WalkOptions = {
    cwd,
    paths: filePaths,
    ...(options.gitignore !== undefined ? { gitignore: options.gitignore } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  };
  const walked = filePaths.length > 0 ? walk(walkOptions) : { files: [], errors: [] };
  errors.push(...walked.errors);

  let lastProgress = started;
  for (const file of walked.files) {
    try {
      account(await scanByteChunks(file.path, fileChunks(file.absPath, file.explicit), scanOptions));
    } catch (error) {
      if (error instanceof NotRegularFileError) {
        stats.skippedNotRegular++;
        if (file.explicit) errors.push({ path: file.path, message: error.message, code: error.code });
        continue;
      }
      const code = (error as NodeJS.ErrnoException).code;
      errors.push({ path: file.path, message: describeError(error), ...(code ? { code } : {}) });
    }
    if (options.onProgress) {
      const now = performance.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        options.onProgress({ files: stats.filesScanned, bytes: stats.bytesScanned, elapsedMs: now - started });
      }
    }
  }

  if (paths.includes("-")) {
    const stdin = options.stdin ?? (process.stdin as AsyncIterable<Buffer>);
    try {
      account(await scanByteChunks(STDIN_PATH, stdin, scanOptions));
    } catch (error) {
      errors.push({ path: STDIN_PATH, message: describeError(error) });
    }
  }

  sortFindings(findings);
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, errors, notices, stats };
}

export function sortFindings(findings: Finding[]): void {
  findings.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      compare(a.commit ?? "", b.commit ?? "") ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.ruleId, b.ruleId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
