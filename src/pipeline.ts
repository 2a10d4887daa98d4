import { statSync } from "node:fs";
import { relative as relativePath, resolve as resolvePath, sep as pathSep } from "node:path";
import { prestartWorker, scanFiles } from "./parallel.js";
import type { WalkOptions } from "./sources/walk.js";
import type { GitMode, GitSource } from "./sources/git.js";
import { DEFAULT_DETECTORS } from "./scan/detectors.js";
import { scanByteChunks, type UnitOutcome } from "./scan/scanner.js";
import type { ClientSideOptions, Detector, Finding, ScanError, ScanResult, ScanStats } from "./scan/types.js";
import { applySuppressions, type SuppressOptions } from "./suppress/index.js";

/** Milliseconds on a monotonic clock (`performance` would load perf_hooks at start-up). */
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

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
  /**
   * Scan a git change instead of files: the staged index, a branch's diff, or the history
   * (only added lines are reported). `paths` then limits a staged scan to those paths.
   */
  readonly git?: GitMode;
  /**
   * `git`'s source, already started (`gitSource(cwd, git)`): the CLI starts a staged scan's git
   * processes before it loads the configuration and the scanner, so that they run meanwhile.
   */
  readonly gitSource?: Promise<GitSource>;
  /** Client-side conventions for `no-client-side-key` (configuration: clientGlobs, serverGlobs, publicEnvPrefixes). */
  readonly clientSide?: ClientSideOptions;
  /** Which checks report, inline ignores with or without reasons, the baseline. Inline ignores apply by default. */
  readonly suppress?: SuppressOptions;
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
  const started = now();
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];
  const detectors = options.detectors ?? DEFAULT_DETECTORS;
  const scanOptions = { detectors, paranoid: options.paranoid === true, ...(options.clientSide ? { clientSide: options.clientSide } : {}) };
  const scannedFiles = new Set<string>();
  const scannedDirectories: string[] = [];
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  const notices: string[] = [];
  const stats = emptyStats();

  const account = (outcome: UnitOutcome): void => {
    // A unit scanned for added lines only cannot show that a baseline entry's key is gone.
    if (outcome.partial !== true) scannedFiles.add(outcome.path);
    stats.bytesScanned += outcome.bytes;
    if (outcome.status === "binary") {
      stats.skippedBinary++;
      return;
    }
    stats.filesScanned++;
    for (const f of outcome.findings) findings.push(f);
  };

  // Loaded on demand: the git modes start without the walker (picomatch, ignore).
  const { describeError, walk } = options.git === undefined || paths.includes("-") ? await import("./sources/walk.js") : { describeError: String, walk: undefined };

  if (options.git !== undefined) {
    // `--include`/`--exclude` apply to the changed files as to a walk's (picomatch loads only then).
    const keep =
      (options.include?.length ?? 0) + (options.exclude?.length ?? 0) > 0
        ? (await import("./sources/path-filter.js")).pathFilter(options.include, options.exclude)
        : undefined;
    const source = await (options.gitSource ?? import("./sources/git.js").then(({ gitSource }) => gitSource(cwd, options.git!)));
    for await (const unit of source.units) {
      if (keep !== undefined && !keep(unit.path)) {
        // Read past, not scanned: the units share one stream of blobs.
        for await (const _ of unit.chunks);
        continue;
      }
      const unitOptions = {
        ...scanOptions,
        ...(unit.addedLines ? { addedLines: unit.addedLines } : {}),
        ...(unit.commit !== undefined ? { commit: unit.commit } : {}),
      };
      const outcome = await scanByteChunks(unit.path, unit.chunks, unitOptions);
      account(unit.partial === true ? { ...outcome, partial: true } : outcome);
    }
    notices.push(...source.notices);
    errors.push(...(source.errors ?? []));
    if (source.oncePerKeyAndFile) keepFirstPerKeyAndFile(findings);
  }

  const filePaths = options.git === undefined ? paths.filter((p) => p !== "-") : [];
  const walkOptions: WalkOptions = {
    cwd,
    paths: filePaths,
    ...(options.gitignore !== undefined ? { gitignore: options.gitignore } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  };
  // Opt-in: measured on the two-core benchmark machine, the worker thread did not make full
  // scans faster (BENCHMARKS.md). Only the default detectors can run in it (custom ones are
  // functions). Started before the walk, so that its start-up overlaps it.
  const worker =
    options.detectors === undefined && process.env.DEVIN_KEYSCAN_WORKERS === "1" && filePaths.length > 0 ? await prestartWorker(scanOptions) : undefined;
  let walked: ReturnType<NonNullable<typeof walk>>;
  try {
    walked = filePaths.length > 0 && walk ? walk(walkOptions) : { files: [], errors: [] };
  } catch (error) {
    worker?.cancel();
    throw error;
  }
  errors.push(...walked.errors);
  for (const p of filePaths) if (isDirectory(cwd, p)) scannedDirectories.push(displayPath(cwd, resolvePath(cwd, p)));

  let lastProgress = started;
  const progress = { files: 0, bytes: 0 };
  const results = await scanFiles(walked.files, scanOptions, worker, (result) => {
    if (!options.onProgress || !("outcome" in result)) return;
    progress.files++;
    progress.bytes += result.outcome.bytes;
    const at = now();
    if (at - lastProgress > 100) {
      lastProgress = at;
      options.onProgress({ ...progress, elapsedMs: at - started });
    }
  });
  // In file order, whichever thread scanned them: the same report as a sequential scan.
  for (let i = 0; i < results.length; i++) {
    const file = walked.files[i]!;
    const result = results[i]!;
    if ("outcome" in result) {
      account(result.outcome);
      continue;
    }
    const { notRegular, message, code } = result.failure;
    if (notRegular) {
      stats.skippedNotRegular++;
      if (file.explicit) errors.push({ path: file.path, message, code: code ?? "ENOTREG" });
      continue;
    }
    errors.push({ path: file.path, message: describeError(Object.assign(new Error(message), code ? { code } : {})), ...(code ? { code } : {}) });
  }

  if (options.git === undefined && paths.includes("-")) {
    const stdin = options.stdin ?? (process.stdin as AsyncIterable<Buffer>);
    try {
      account(await scanByteChunks(STDIN_PATH, stdin, scanOptions));
    } catch (error) {
      errors.push({ path: STDIN_PATH, message: describeError(error) });
    }
  }

  sortFindings(findings);
  stats.durationMs = Math.round(now() - started);
  const result: ScanResult = { findings, errors, notices, stats, scope: { files: scannedFiles, directories: scannedDirectories } };
  await applySuppressions(result, cwd, options.suppress);
  return result;
}

/** A path argument that names a directory (walked in full: it bounds stale baseline entries). */
function isDirectory(cwd: string, arg: string): boolean {
  try {
    return statSync(resolvePath(cwd, arg)).isDirectory();
  } catch {
    return false;
  }
}

function displayPath(cwd: string, abs: string): string {
  const rel = relativePath(cwd, abs);
  return (rel === "" ? "." : rel).split(pathSep).join("/");
}

/** History: a key is reported once per file, at the first (oldest) commit that added it. */
function keepFirstPerKeyAndFile(findings: Finding[]): void {
  const seen = new Set<string>();
  let kept = 0;
  for (const f of findings) {
    const id = `${f.ruleId}\0${f.fingerprint}\0${f.file}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings[kept++] = f;
  }
  findings.length = kept;
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
