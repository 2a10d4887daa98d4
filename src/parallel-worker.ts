import { parentPort, workerData } from "node:worker_threads";
import { drainQueue, toWire, type WorkerData } from "./parallel.js";
import { DEFAULT_DETECTORS } from "./scan/detectors.js";

/** The worker side of `scanFiles`: drains the shared queue with the default detectors. */
const data = workerData as WorkerData;
await drainQueue(
  data.files,
  new Int32Array(data.counter),
  { detectors: DEFAULT_DETECTORS, paranoid: data.paranoid, ...(data.clientSide ? { clientSide: data.clientSide } : {}) },
  (start, results) => parentPort!.postMessage({ start, results: results.map(toWire) }),
);
