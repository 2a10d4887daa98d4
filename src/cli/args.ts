import { parseArgs } from "node:util";
import { UsageError } from "./exit.js";

/**
 * Every command-line flag, as a table: the parser, `--help` and the README's flag list
 * all come from it.
 */
export interface FlagSpec {
  readonly name: string;
  readonly type: "boolean" | "string";
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder for the value in help (`FILE`, `GLOB`). */
  readonly value?: string;
  readonly description: string;
  readonly group: "Output" | "What to scan" | "Detection" | "Git" | "Suppression" | "Verification" | "General";
}

export const FLAGS: readonly FlagSpec[] = [
  { name: "format", short: "f", type: "string", value: "FORMAT", group: "Output", description: "report format: text (default), json, sarif, github" },
  { name: "output", short: "o", type: "string", value: "FILE", group: "Output", description: "write the report to FILE instead of standard output" },
  { name: "no-color", type: "boolean", group: "Output", description: "no ANSI colours (also when NO_COLOR is set or output is not a terminal)" },
  { name: "no-redact", type: "boolean", group: "Output", description: "print keys in full (never do this in CI logs)" },
  { name: "verbose", short: "v", type: "boolean", group: "Output", description: "also list suppressed findings (inline ignores, baseline) with their reasons" },
  { name: "include", type: "string", multiple: true, value: "GLOB", group: "What to scan", description: "only scan files matching GLOB when walking directories (repeatable)" },
  { name: "exclude", type: "string", multiple: true, value: "GLOB", group: "What to scan", description: "skip files and directories matching GLOB when walking (repeatable)" },
  { name: "no-gitignore", type: "boolean", group: "What to scan", description: "also scan files that .gitignore files exclude" },
  { name: "paranoid", type: "boolean", group: "Detection", description: "also report prefix matches of plausible length and entropy (confidence: low)" },
  { name: "config", type: "string", value: "FILE", group: "Suppression", description: "read the configuration from FILE instead of looking for devin-keyscan.config.json, .devin-keyscanrc.json or package.json" },
  { name: "baseline", type: "string", value: "FILE", group: "Suppression", description: "accept the findings recorded in FILE (hashes only; overrides the configuration's baseline)" },
  { name: "update-baseline", type: "boolean", group: "Suppression", description: "write the baseline file from the current findings (keeps reasons and expiry dates, prunes stale entries)" },
  { name: "fail-on-stale", type: "boolean", group: "Suppression", description: "exit 1 when a baseline entry matches no finding any more" },
  { name: "require-reason", type: "boolean", group: "Suppression", description: "an inline devin-keyscan-ignore without a reason (\"devin-keyscan-ignore: why\") does not suppress" },
  { name: "verify", type: "boolean", group: "Verification", description: "check each distinct key once against the Devin API (the key is sent in an Authorization header; off by default)" },
  { name: "verify-base-url", type: "string", value: "URL", group: "Verification", description: "API base URL for --verify (default https://api.devin.ai; https only, http for loopback hosts)" },
  { name: "only-verified", type: "boolean", group: "Verification", description: "report only keys that --verify found live (implies --verify)" },
  { name: "staged", type: "boolean", group: "Git", description: "scan what is about to be committed: staged blobs, added lines only (pre-commit hook)" },
  { name: "diff", type: "string", value: "BASE", group: "Git", description: "scan only what HEAD adds since its merge base with BASE (pull-request gate)" },
  { name: "head", type: "string", value: "REF", group: "Git", description: "with --diff: the commit to scan instead of HEAD" },
  { name: "history", type: "boolean", group: "Git", description: "scan every commit reachable from HEAD; findings carry the commit that added the key" },
  { name: "since", type: "string", value: "REF", group: "Git", description: "with --history: only commits after REF" },
  { name: "force", type: "boolean", group: "Git", description: "with install-hook: replace an existing pre-commit hook" },
  { name: "help", short: "h", type: "boolean", group: "General", description: "show this help" },
  { name: "version", type: "boolean", group: "General", description: "print the version" },
];

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: "boolean" | "string"; multiple?: boolean; short?: string }> = {};
  for (const f of FLAGS) {
    options[f.name] = { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    throw new UsageError(cleanParseError((error as Error).message));
  }
}

function cleanParseError(message: string): string {
  // Node's messages mention `args` and internal hints; keep the part a user can act on.
  return message.replace(/\. To specify a positional argument.*$/s, "").replace(/^TypeError \[[A-Z_]+\]: /, "");
}

export function helpText(version: string): string {
  const groups = new Map<string, FlagSpec[]>();
  for (const f of FLAGS) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  const lines = [
    `devin-keyscan ${version} — find Devin API credentials (apk_user_, apk_, cog_) before they leak`,
    "",
    "Usage:",
    "  devin-keyscan [options] [paths...]   scan files and directories (default: .); - reads standard input",
    "  devin-keyscan --staged | --diff BASE | --history   scan a git change (see Git)",
    "  devin-keyscan install-hook [--force]             write .git/hooks/pre-commit",
    "",
  ];
  for (const [group, flags] of groups) {
    lines.push(`${group}:`);
    for (const f of flags) {
      const left = `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.value ? ` ${f.value}` : ""}`;
      lines.push(`  ${left.padEnd(30)} ${f.description}`);
    }
    lines.push("");
  }
  lines.push(
    "Exit codes:",
    "  0  nothing found",
    "  1  findings reported",
    "  2  usage or configuration error",
    "  3  scan failure (unreadable input, git error); never reported as clean",
    "",
    "Docs: README.md · https://www.npmjs.com/package/devin-keyscan",
  );
  return lines.join("\n") + "\n";
}
