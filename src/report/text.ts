import { redactKeysIn, type Kind } from "../grammar/index.js";
import { SECRET, type Finding, type ScanResult } from "../scan/types.js";
import type { Formatter } from "./types.js";

/** The report for people: one block per finding, then a summary line. */

const ansi = (code: string) => (on: boolean, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const bold = ansi("1");
const red = ansi("31");
const yellow = ansi("33");
const green = ansi("32");
const dim = ansi("2");
const cyan = ansi("36");
/** White on red: the one thing in a report that must not be missed. */
const alarm = ansi("1;97;41");

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/**
 * Text the tool did not write itself (file names, error messages): keys redacted, and control
 * characters escaped so a file name cannot break a report line or send terminal escapes.
 */
function printable(s: string): string {
  return redactKeysIn(s).replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

function findingBlock(f: Finding, color: boolean, redact: boolean): string {
  const where = `${printable(f.file)}:${f.line}:${f.column}`;
  const live = f.verification?.state === "valid" ? `${alarm(color, color ? " LIVE KEY " : "LIVE KEY")}  ` : "";
  const lines = [`${live}${bold(color, where)}  ${red(color, f.ruleId)}${f.confidence === "low" ? yellow(color, " (low confidence)") : ""}`];
  lines.push(`  ${f.message}`);
  if (f.verification !== undefined) lines.push(`  ${verificationLine(f.verification, color)}`);
  const facts: string[] = [];
  if (f.kind !== undefined) {
    const key = redact ? f.redacted : (f[SECRET] ?? f.redacted);
    facts.push(`key ${cyan(color, key)}`);
  }
  if (f.orgId !== undefined) facts.push(`organisation ${f.orgId}`);
  if (f.encoding !== undefined) facts.push(`hidden as ${f.encoding}`);
  if (f.commit !== undefined) facts.push(`commit ${f.commit.slice(0, 12)}`);
  if (facts.length > 0) lines.push(dim(color, `  ${facts.join(" · ")}`));
  return lines.join("\n");
}

/** `--verify` outcome, worded for triage: live first and loud, the rest plain. */
function verificationLine(v: NonNullable<Finding["verification"]>, color: boolean): string {
  const reason = v.reason !== undefined ? `: ${redactKeysIn(v.reason)}` : "";
  if (v.state === "valid") return bold(color, red(color, `verified LIVE, rotate it now${reason}`));
  if (v.state === "invalid") return green(color, `verified invalid (revoked or never issued)${reason}`);
  return yellow(color, `verification unknown${reason}`);
}

/** A finding an inline comment or the baseline accepted (`--verbose`): where, what, and why. */
function suppressedLine(s: NonNullable<ScanResult["suppressed"]>[number]): string {
  const f = s.finding;
  const by = s.by === "inline" ? "inline ignore" : s.by === "baseline" ? "baseline" : "configuration allow-list";
  const why = s.reason !== undefined ? `: ${printable(s.reason)}` : " (no reason given)";
  const until = s.expires !== undefined ? `, until ${s.expires}` : "";
  const key = f.kind !== undefined ? ` ${f.redacted}` : "";
  return `suppressed ${printable(f.file)}:${f.line}:${f.column}  ${f.ruleId}${key} by ${by}${why}${until}`;
}

export const formatText: Formatter = (result, context) => {
  const { color, redact } = context;
  const out: string[] = [];
  for (const f of result.findings) out.push(findingBlock(f, color, redact), "");
  for (const e of result.errors) {
    out.push(`${red(color, "error")} ${printable(e.path)}: ${printable(e.message)}`);
  }
  for (const n of result.notices) out.push(`${yellow(color, "notice")} ${printable(n)}`);
  if (result.errors.length > 0 || result.notices.length > 0) out.push("");
  const suppressed = result.suppressed ?? [];
  if (context.verbose && suppressed.length > 0) {
    for (const sf of suppressed) out.push(dim(color, suppressedLine(sf)));
    out.push("");
  }
  const accepted = suppressed.length > 0 ? ` · ${suppressed.length} suppressed${context.verbose ? "" : " (--verbose lists them)"}` : "";

  const s = result.stats;
  const scanned = `${plural(s.filesScanned, "file")} (${formatBytes(s.bytesScanned)}) scanned in ${formatDuration(s.durationMs)}`;
  const skipped = s.skippedBinary > 0 ? `, ${s.skippedBinary} binary skipped` : "";
  const n = result.findings.length;
  if (n === 0) {
    const status = result.errors.length > 0 ? red(color, `✖ incomplete scan: ${plural(result.errors.length, "error")}`) : green(color, result.liveOnly === true ? "✔ no live Devin credentials found" : "✔ no Devin credentials found");
    out.push(`${status} · ${scanned}${skipped}${accepted}`);
  } else {
    const files = new Set(result.findings.map((f) => f.file)).size;
    const kinds = new Map<Kind, number>();
    for (const f of result.findings) if (f.kind !== undefined && f.ruleId === "no-hardcoded-key") kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const byKind = [...kinds].map(([k, c]) => `${c} ${k}`).join(", ");
    const errors = result.errors.length > 0 ? `, ${plural(result.errors.length, "error")}` : "";
    const liveCount = result.findings.filter((f) => f.verification?.state === "valid").length;
    const live = liveCount > 0 ? `, ${alarm(color, color ? ` ${liveCount} LIVE ` : `${liveCount} LIVE`)}` : "";
    out.push(`${red(color, `✖ ${plural(n, "finding")} in ${plural(files, "file")}`)}${byKind ? ` (${byKind})` : ""}${live}${errors} · ${scanned}${skipped}${accepted}`);
  }
  return out.join("\n") + "\n";
};
