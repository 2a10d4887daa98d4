import { redactKeysIn } from "../grammar/index.js";
import type { ScanResult } from "../scan/types.js";
import { FORMATS, isFormatName, type FormatName } from "../report/index.js";
import { helpText, parseCommandLine } from "./args.js";
import { asExitError, gitModeFromArgs } from "./git-args.js";
import { EXIT, ScanFailure, UsageError } from "./exit.js";
import { toolVersion } from "./version.js";
import type { GitMode, GitSource } from "../sources/git.js";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin?: AsyncIterable<Buffer>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const defaultIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    // Paths and git's words may hold control characters: escaped, so they cannot drive the terminal.
    const message = redactKeysIn((error as Error).message ?? String(error)).replace(
      /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    // By name: importing the walker here would load picomatch and ignore on every start.
    if (error instanceof UsageError || (error as Error).name === "MissingPathError" || (error as Error).name === "ConfigError") {
      io.stderr.write(`devin-keyscan: ${message}\nTry 'devin-keyscan --help'.\n`);
      return EXIT.usage;
    }
    if (error instanceof ScanFailure) {
      io.stderr.write(`devin-keyscan: ${message}\n`);
      return EXIT.failure;
    }
    io.stderr.write(`devin-keyscan: internal error: ${message}\n`);
    if (io.env.DEVIN_KEYSCAN_DEBUG) io.stderr.write(redactKeysIn(String((error as Error).stack)) + "\n");
    return EXIT.failure;
  }
}

/** Colours: `--no-color`, `NO_COLOR` and `FORCE_COLOR=0`/`false` turn them off, another `FORCE_COLOR` on; else a terminal has them. */
export function useColor(io: Pick<CliIo, "env" | "stdout">, values: Record<string, unknown>, toFile: boolean): boolean {
  if (values["no-color"] === true || toFile) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  const force = io.env.FORCE_COLOR;
  if (force === "0" || force === "false") return false;
  if (force !== undefined) return true;
  return io.stdout.isTTY === true;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  // `devin-keyscan "$UNSET"` must not quietly mean "scan the working directory".
  if (positionals.includes("")) throw new UsageError('empty path argument (""): name a file or directory, or omit it to scan .');
  if (values.help === true) {
    io.stdout.write(helpText(toolVersion()));
    return EXIT.clean;
  }
  if (values.version === true) {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.clean;
  }
  if (positionals[0] === "install-hook") {
    const { installHook } = await import("./install-hook.js");
    return installHook(positionals.slice(1), values, io);
  }
  const formatName = (values.format as string | undefined) ?? "text";
  if (!isFormatName(formatName)) {
    throw new UsageError(`unknown format "${formatName}": expected one of ${Object.keys(FORMATS).join(", ")}`);
  }
  const output = values.output as string | undefined;
  if (output === "") throw new UsageError("--output needs a file name");

  const early = startStaged(values, positionals, io.cwd);
  try {
    return await runScan(values, positionals, io, formatName, output, early);
  } finally {
    // Read by the scan by now, unless the run failed first: then its git processes stop here.
    void early?.then((source) => source.cancel?.(), () => {});
  }
}

/**
 * A pre-commit hook mostly waits on git: a staged scan's git processes start before the
 * configuration and the scanner load, and run meanwhile. Undefined for other runs, and for a
 * command line that `gitModeFromArgs` rejects (it says why where it always did).
 */
function startStaged(values: Record<string, unknown>, positionals: readonly string[], cwd: string): Promise<GitSource> | undefined {
  let mode: GitMode | undefined;
  try {
    mode = gitModeFromArgs(values, positionals);
  } catch {
    return undefined;
  }
  if (mode?.mode !== "staged") return undefined;
  const staged = mode;
  const started = import("../sources/git.js").then(({ gitSource }) => gitSource(cwd, staged));
  // A failure (not a repository) is reported by the scan that awaits it, or not at all when
  // the run failed first: never as an unhandled rejection.
  started.catch(() => {});
  return started;
}

async function runScan(
  values: Record<string, unknown>,
  positionals: readonly string[],
  io: CliIo,
  formatName: FormatName,
  output: string | undefined,
  early: Promise<GitSource> | undefined,
): Promise<number> {
  // Configuration file, baseline, inline-ignore policy (src/config): a bad file fails here, exit 2.
  const { prepareRun, runFlags } = await import("../config/cli-settings.js");
  const prepared = prepareRun(runFlags(values), io.cwd);

  // --verify (opt-in, src/verify): the base URL is checked before scanning, so a bad one fails fast.
  const verifyBaseUrl = values["verify-base-url"] as string | undefined;
  const verifying = values.verify === true || values["only-verified"] === true;
  if (!verifying && verifyBaseUrl !== undefined) throw new UsageError("--verify-base-url needs --verify");
  const verifier = verifying ? await import("../verify/index.js") : undefined;
  let verifyOptions: import("../verify/index.js").ApplyVerificationOptions | undefined;
  try {
    verifyOptions = verifier?.cliVerifyOptions({
      ...(verifyBaseUrl !== undefined ? { baseUrl: verifyBaseUrl } : {}),
      ...(verifyBaseUrl === undefined && prepared.settings.verifyBaseUrl !== undefined
        ? { baseUrl: prepared.settings.verifyBaseUrl, baseUrlSource: `verifyBaseUrl in ${prepared.config?.display ?? "the configuration"}` }
        : {}),
      onlyVerified: values["only-verified"] === true,
      env: io.env,
      userAgent: `devin-keyscan/${toolVersion()}`,
      log: (line) => io.stderr.write(line),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const gitMode = gitModeFromArgs(values, positionals);

  const progress = progressReporter(io);
  const { scan } = await import("../pipeline.js");
  let result: ScanResult;
  try {
    result = await scan({
      cwd: io.cwd,
      paths: positionals,
      ...prepared.scanOptions,
      ...(io.stdin ? { stdin: io.stdin } : {}),
      onProgress: progress.update,
      ...(gitMode ? { git: gitMode } : {}),
      ...(early ? { gitSource: early } : {}),
    });
  } catch (error) {
    throw asExitError(error);
  } finally {
    progress.done();
  }

  for (const line of prepared.finish(result)) io.stderr.write(line);

  if (verifier && verifyOptions) await verifier.applyVerification(result, verifyOptions);

  await writeReport(result, formatName, output, values, io);
  const code = exitCode(result);
  if (code === EXIT.clean && prepared.failsOnStale(result)) {
    io.stderr.write(`devin-keyscan: ${result.stale!.length} stale baseline entr${result.stale!.length === 1 ? "y" : "ies"} (--fail-on-stale)\n`);
    return EXIT.findings;
  }
  return code;
}

export function exitCode(result: ScanResult): number {
  if (result.findings.length > 0) return EXIT.findings;
  if (result.errors.length > 0) return EXIT.failure;
  return EXIT.clean;
}

async function writeReport(
  result: ScanResult,
  formatName: FormatName,
  output: string | undefined,
  values: Record<string, unknown>,
  io: CliIo,
): Promise<void> {
  const format = await FORMATS[formatName]();
  const context = {
    color: useColor(io, values, output !== undefined),
    redact: values["no-redact"] !== true,
    verbose: values.verbose === true,
    toolVersion: toolVersion(),
  };
  const report = format(result, context);
  if (output === undefined) {
    io.stdout.write(report);
    return;
  }
  try {
    const { writeOutputFile } = await import("./write-output.js");
    writeOutputFile(output, report);
  } catch (error) {
    throw new ScanFailure(`cannot write report to ${output}: ${(error as Error).message}`);
  }
  const n = result.findings.length;
  io.stderr.write(`devin-keyscan: ${n} finding${n === 1 ? "" : "s"}, ${result.errors.length} error${result.errors.length === 1 ? "" : "s"}; report written to ${output}\n`);
}

/** A progress line on stderr for scans that last more than about a second, on a terminal only. */
function progressReporter(io: CliIo): { update: (p: { files: number; bytes: number; elapsedMs: number }) => void; done: () => void } {
  let shown = false;
  if (io.stderr.isTTY !== true) return { update: () => {}, done: () => {} };
  return {
    update: (p) => {
      if (p.elapsedMs < 1000) return;
      shown = true;
      io.stderr.write(`\r\u001b[2Kscanning… ${p.files} files, ${(p.bytes / 1048576).toFixed(0)} MiB`);
    },
    done: () => {
      if (shown) io.stderr.write("\r\u001b[2K");
    },
  };
}
