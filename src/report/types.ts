import type { ScanResult } from "../scan/types.js";

export interface ReportContext {
  /** ANSI colours (text format only). */
  readonly color: boolean;
  /** False only with `--no-redact`: the full key is printed. */
  readonly redact: boolean;
  readonly verbose: boolean;
  /** Tool version, for formats that record it. */
  readonly toolVersion: string;
}

export type Formatter = (result: ScanResult, context: ReportContext) => string;
