import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileChunks, NotRegularFileError, readSmallFile } from "./sources/file.js";
import { scanByteChunks, scanWholeBufferNow, type ScanTextOptions, type UnitOutcome } from "./scan/scanner.js";
import { gateFor } from "./scan/prefilter.js";
import { sparseGateFor } from "./scan/sparse.js";
import { sniff } from "./sources/encoding.js";
import { INLINE_IGNORE, SECRET, type Finding } from "./scan/types.js";

// worker_threads is loaded only when a worker starts. Not by `import()`: the shipped CLI runs
// through vm.Script (scripts/cli-launcher.cjs), where `import()` is unavailable.
const nodeRequire = createRequire(import.meta.url);

/**
 * Reading and scanning the files of a walk, on every core: the main thread and one worker
 * thread take batches of files from a shared counter (a work queue that needs no messages),
 * so a slow file on one side does not hold the other back. Results are merged in file
 * order, so a parallel scan reports exactly what a sequential one does.
 *
 * Opt-in (`DEVIN_KEYSCAN_WORKERS=1`): on the two-core benchmark machine the worker's start-up
 * (a second isolate loading the scanner) cost more than it saved (BENCHMARKS.md).
 */

/** What a walk hands over: the fields of a `FileEntry` a scan needs (plain data, cloneable). */
export interface FileToScan {
  readonly absPath: string;
  readonly path: string;
  readonly explicit: boolean;
}

export type FileResult =
  | { readonly outcome: UnitOutcome }
  | { readonly failure: { readonly notRegular: boolean; readonly message: string; readonly code?: string } };

/**
 * Below this many files a worker does not pay for itself: starting one (a new isolate that
 * loads the scanner) costs about as much as scanning a few hundred small files.
 */
export const PARALLEL_MIN_FILES = 1000;
/** Files taken from the queue at a time: large enough that the counter is rarely contended. */
export const BATCH = 32;

const notBinary = (head: Buffer): boolean => sniff(head).encoding !== "binary";

/** Reads and scans one file; never throws. */
export async function scanFile(file: FileToScan, options: ScanTextOptions): Promise<FileResult> {
  return scanFileWhole(file, options) ?? (await scanFileInChunks(file, options));
}

/**
 * Reads and scans a file read whole, synchronously (nearly every file: no promise each);
 * undefined when it is too large and must be read in chunks (`scanFileInChunks`). Never throws.
 */
function scanFileWhole(file: FileToScan, options: ScanTextOptions): FileResult | undefined {
  try {
    // Read into the gate's own memory, where its SIMD loop tests the bytes without a copy (built
    // now for a file large enough to be scanned sparsely, even the first). A large binary file
    // is known from its first chunk: the rest is not read.
    const gate = gateFor(options.detectors);
    const into = (size: number | undefined): Buffer | undefined => {
      if (size !== undefined) sparseGateFor(gate, size);
      return gate.scratch;
    };
    let whole = readSmallFile(file.absPath, { follow: file.explicit, listed: !file.explicit, into, wanted: notBinary });
    if (whole === undefined) return undefined;
    // A file read before its size was known, large enough to be scanned sparsely, before the
    // gate was built (once per run at most): into the gate's memory now.
    const simd = gate.scratch === undefined ? sparseGateFor(gate, whole.length) : undefined;
    if (simd !== undefined) whole = simd.scratch.subarray(0, whole.copy(simd.scratch));
    return { outcome: scanWholeBufferNow(file.path, whole, options) };
  } catch (error) {
    return failed(error);
  }
}

async function scanFileInChunks(file: FileToScan, options: ScanTextOptions): Promise<FileResult> {
  try {
    return { outcome: await scanByteChunks(file.path, fileChunks(file.absPath, file.explicit), options) };
  } catch (error) {
    return failed(error);
  }
}

function failed(error: unknown): FileResult {
  const e = error as NodeJS.ErrnoException;
  const failure = { notRegular: error instanceof NotRegularFileError, message: e?.message ?? String(error) };
  return { failure: e?.code ? { ...failure, code: e.code } : failure };
}

/** Scans the files it takes from `counter` until the queue is empty; `done` gets each batch. */
export async function drainQueue(
  files: readonly FileToScan[],
  counter: Int32Array,
  options: ScanTextOptions,
  done: (start: number, results: FileResult[]) => void,
): Promise<void> {
  for (;;) {
    const start = Atomics.add(counter, 0, BATCH);
    if (start >= files.length) return;
    const results: FileResult[] = [];
    for (let i = start; i < Math.min(files.length, start + BATCH); i++) {
      results.push(scanFileWhole(files[i]!, options) ?? (await scanFileInChunks(files[i]!, options)));
    }
    done(start, results);
  }
}

/** Worker → main: findings lose their symbol-keyed properties in transit; they travel beside them. */
export interface WireFinding {
  readonly finding: Finding;
  readonly secret?: string;
  readonly inlineIgnore?: Finding[typeof INLINE_IGNORE];
}

export function toWire(result: FileResult): FileResult | { readonly outcome: UnitOutcome; readonly wire: WireFinding[] } {
  if (!("outcome" in result) || result.outcome.status !== "scanned" || result.outcome.findings.length === 0) return result;
  return {
    outcome: { ...result.outcome, findings: [] },
    wire: result.outcome.findings.map((f) => ({
      finding: f,
      ...(f[SECRET] !== undefined ? { secret: f[SECRET] } : {}),
      ...(f[INLINE_IGNORE] !== undefined ? { inlineIgnore: f[INLINE_IGNORE] } : {}),
    })),
  };
}

export function fromWire(result: FileResult | { readonly outcome: UnitOutcome; readonly wire: WireFinding[] }): FileResult {
  if (!("wire" in result)) return result;
  const findings = result.wire.map((w) => {
    const f = w.finding;
    if (w.secret !== undefined) Object.defineProperty(f, SECRET, { value: w.secret, enumerable: false });
    if (w.inlineIgnore !== undefined) Object.defineProperty(f, INLINE_IGNORE, { value: w.inlineIgnore, enumerable: false });
    return f;
  });
  return { outcome: { ...result.outcome, findings } as UnitOutcome };
}

export interface WorkerData {
  readonly counter: SharedArrayBuffer;
  readonly paranoid: boolean;
  readonly clientSide?: ScanTextOptions["clientSide"];
}

/** Main → worker: the files to share (none: exit). Sent once the walk has listed them. */
export interface WorkerJob {
  readonly files: readonly FileToScan[];
}

/**
 * A worker thread started before the walk, so that its start-up (a new isolate loading the
 * scanner) overlaps the walk instead of following it.
 */
export interface ScanWorker {
  readonly counter: Int32Array;
  /** Hands over the files (the worker then drains the queue); resolves when it is done. */
  start(files: readonly FileToScan[], done: (start: number, results: Parameters<typeof fromWire>[0][]) => void): Promise<void>;
  /** Not needed after all: the worker exits without scanning. */
  cancel(): void;
}

/** Starts a scan worker for the default detectors; undefined on a single core. */
export async function prestartWorker(options: ScanTextOptions): Promise<ScanWorker | undefined> {
  if (availableParallelism() < 2) return undefined;
  const { Worker } = nodeRequire("node:worker_threads") as typeof import("node:worker_threads");
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const data: WorkerData = {
    counter: counter.buffer as SharedArrayBuffer,
    paranoid: options.paranoid === true,
    ...(options.clientSide ? { clientSide: options.clientSide } : {}),
  };
  const worker = new Worker(new URL("./parallel-worker.js", import.meta.url), { workerData: data });
  // Until it is given work, it must not keep the process alive (a walk that throws never
  // reaches `start` or `cancel`).
  worker.unref();
  let onBatch: ((start: number, results: Parameters<typeof fromWire>[0][]) => void) | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: { start: number; results: Parameters<typeof fromWire>[0][] }) => onBatch?.(m.start, m.results));
    worker.on("error", reject);
    worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`scan worker exited with ${code}`))));
  });
  // A failure before `start` is seen there; never an unhandled rejection.
  finished.catch(() => undefined);
  return {
    counter,
    start(files, done) {
      onBatch = done;
      worker.ref();
      const job: WorkerJob = { files };
      worker.postMessage(job);
      return finished;
    },
    cancel() {
      worker.postMessage({ files: [] } satisfies WorkerJob);
      void worker.terminate();
    },
  };
}

/**
 * Scans `files` and returns one result per file, in order. With a pre-started `worker` and
 * enough files, it shares the work; if it fails, the files it did not report are scanned
 * here, so a crash never loses a file.
 */
export async function scanFiles(
  files: readonly FileToScan[],
  options: ScanTextOptions,
  worker: ScanWorker | undefined,
  onResult?: (result: FileResult) => void,
): Promise<FileResult[]> {
  const results: (FileResult | undefined)[] = new Array(files.length);
  let counter: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  let helped: Promise<void> | undefined;
  if (worker !== undefined && files.length >= PARALLEL_MIN_FILES) {
    counter = worker.counter;
    helped = worker.start(files, (start, batch) => {
      for (let k = 0; k < batch.length; k++) results[start + k] = fromWire(batch[k]!);
    });
  } else {
    worker?.cancel();
  }
  await drainQueue(files, counter, options, (start, batch) => {
    for (let k = 0; k < batch.length; k++) {
      results[start + k] = batch[k];
      onResult?.(batch[k]!);
    }
  });
  if (helped !== undefined) await helped.catch(() => undefined);
  for (let i = 0; i < files.length; i++) results[i] ??= await scanFile(files[i]!, options);
  return results as FileResult[];
}
