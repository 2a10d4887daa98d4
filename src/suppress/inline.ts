import { redactKeysIn } from "../grammar/index.js";
import { INLINE_IGNORE, type Finding, type ScanResult } from "../scan/types.js";

export interface InlineIgnoreOptions {
  /** An ignore comment without a reason (`devin-keyscan-ignore: why`) does not suppress. */
  readonly requireReason?: boolean;
}

/**
 * Moves findings covered by a `devin-keyscan-ignore` comment (recorded by the scanner)
 * from `result.findings` to `result.suppressed`. With `requireReason`, a comment without a
 * reason leaves its finding reported and adds a notice that says why.
 */
export function applyInlineIgnores(result: ScanResult, options: InlineIgnoreOptions = {}): void {
  const kept: Finding[] = [];
  const suppressed = (result.suppressed ??= []);
  for (const finding of result.findings) {
    const ignore = finding[INLINE_IGNORE];
    if (ignore === undefined) {
      kept.push(finding);
    } else if (ignore.reason === undefined && options.requireReason === true) {
      kept.push(finding);
      result.notices.push(
        `${finding.file}:${ignore.line}: devin-keyscan-ignore without a reason does not suppress with --require-reason; write "devin-keyscan-ignore: <why>"`,
      );
    } else {
      // A reason is free text from the scanned file: it is redacted like any such text.
      suppressed.push({ finding, by: "inline", ...(ignore.reason !== undefined ? { reason: redactKeysIn(ignore.reason) } : {}) });
    }
  }
  result.findings = kept;
}
