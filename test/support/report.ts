/** The JSON report as tests read it (README "JSON report"); fields a test does not use are optional. */
export interface JsonFinding {
  ruleId: string;
  kind?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  redacted: string;
  fingerprint: string;
  orgId?: string;
  commit?: string;
  message: string;
  encoding?: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  errors: { path: string; message: string; code?: string }[];
  notices: string[];
  stats: { filesScanned: number; bytesScanned: number; skippedBinary: number; skippedNotRegular: number };
  stale?: Array<{ fingerprint: string; ruleId: string; file: string; kind?: string; reason?: string }>;
  suppressed?: Array<{ file: string; line: number; suppressedBy: "inline" | "baseline"; reason?: string; expires?: string; redacted: string }>;
}
