import { redactKeysIn } from "../grammar/index.js";
import type { Finding } from "../scan/types.js";
import type { Formatter } from "./types.js";

/**
 * GitHub Actions workflow commands: each finding becomes an `::error` annotation shown
 * inline on the pull request, without code scanning.
 */

/**
 * Escapes the message part of a workflow command (GitHub's `escapeData`), and the other control
 * characters too: the log viewer would act on an escape sequence in a file name (`%1B` is shown
 * as it is).
 */
export function escapeData(s: string): string {
  return s
    .replace(/%/g, "%25")
    .replace(/\r/g, "%0D")
    .replace(/\n/g, "%0A")
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Escapes a property value (`file=…`, `title=…`): also `:` and `,` (GitHub's `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function annotation(f: Finding): string {
  const level = f.confidence === "low" ? "warning" : "error";
  const props = [
    `file=${escapeProperty(redactKeysIn(f.file))}`,
    `line=${f.line}`,
    `col=${f.column}`,
    `endLine=${f.endLine}`,
    `endColumn=${f.endColumn}`,
    `title=${escapeProperty(`devin-keyscan ${f.ruleId}${f.kind !== undefined ? ` (${f.kind})` : ""}`)}`,
  ];
  const facts: string[] = [];
  if (f.kind !== undefined) facts.push(`key ${f.redacted}`);
  if (f.orgId !== undefined) facts.push(`organisation ${f.orgId}`);
  if (f.commit !== undefined) facts.push(`commit ${f.commit.slice(0, 12)}`);
  const message = redactKeysIn(f.message) + (facts.length > 0 ? ` (${facts.join(", ")})` : "");
  return `::${level} ${props.join(",")}::${escapeData(message)}`;
}

/** Always redacted: workflow logs are readable by everyone with access to the repository. */
export const formatGithub: Formatter = (result) => {
  const lines = result.findings.map(annotation);
  for (const e of result.errors) {
    lines.push(`::error title=${escapeProperty("devin-keyscan scan error")}::${escapeData(`${redactKeysIn(e.path)}: ${redactKeysIn(e.message)}`)}`);
  }
  for (const n of result.notices) lines.push(`::notice title=devin-keyscan::${escapeData(redactKeysIn(n))}`);
  const n = result.findings.length;
  lines.push(
    n === 0
      ? result.errors.length > 0
        ? `devin-keyscan: incomplete scan, ${result.errors.length} error(s)`
        : `devin-keyscan: no Devin credentials found (${result.stats.filesScanned} files scanned)`
      : `devin-keyscan: ${n} finding${n === 1 ? "" : "s"}`,
  );
  return lines.join("\n") + "\n";
};
