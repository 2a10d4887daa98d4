import { parentPort, workerData } from "node:worker_threads";
import { drainQueue, toWire, type WorkerData, type WorkerJob } from "./parallel.js";
import { DEFAULT_DETECTORS } from "./scan/detectors.js";
import { gateFor } from "./scan/prefilter.js";

/**
 * The worker side of `scanFiles`: started before the walk, it gets ready (the byte gate
 * compiled) and then drains the shared queue of the files it is sent, with the default detectors.
 */
const data = workerData as WorkerData;
const options = { detectors: DEFAULT_DETECTORS, paranoid: data.paranoid, ...(data.clientSide ? { clientSide: data.clientSide } : {}) };
gateFor(options.detectors).warm();
parentPort!.once("message", (job: WorkerJob) => {
  // With the listener gone, the worker exits once the queue is drained.
  void drainQueue(job.files, new Int32Array(data.counter), options, (start, results) => parentPort!.postMessage({ start, results: results.map(toWire) }));
});
