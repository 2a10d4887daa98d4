import { chmodSync, lstatSync, mkdirSync, readlinkSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { GitError, runGit, firstLines } from "../sources/git-process.js";
import { readWholeFile } from "../sources/whole-file.js";
import { EXIT, ScanFailure, UsageError } from "./exit.js";

/**
 * `devin-keyscan install-hook [--force]`: writes a plain git pre-commit hook that runs
 * `devin-keyscan --staged`. The hooks directory comes from git itself
 * (`git rev-parse --git-path hooks`), so `core.hooksPath` and worktrees are respected.
 */

/** First line after the shebang; marks hooks this command wrote. */
export const HOOK_MARKER = "# devin-keyscan pre-commit hook";

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook: the project's own devin-keyscan first, then one on PATH, then this very installation.
 * When none is there any more (an npx cache cleaned, a Node version removed), the commit is
 * blocked with a message that says how to fix it: never let through unscanned.
 */
export function hookScript(node: string, bin: string): string {
  return [
    "#!/bin/sh",
    HOOK_MARKER,
    "# Blocks commits that add Devin API keys; only the staged lines are scanned.",
    "# Skip once (not recommended): git commit --no-verify",
    "if [ -x ./node_modules/.bin/devin-keyscan ]; then",
    "  exec ./node_modules/.bin/devin-keyscan --staged",
    "elif command -v devin-keyscan >/dev/null 2>&1; then",
    "  exec devin-keyscan --staged",
    `elif [ -x ${shellQuote(node)} ] && [ -f ${shellQuote(bin)} ]; then`,
    `  exec ${shellQuote(node)} ${shellQuote(bin)} --staged`,
    "else",
    `  echo "devin-keyscan pre-commit hook: devin-keyscan is not installed any more (not in ./node_modules/.bin, not on PATH, not at "${shellQuote(bin)}"). Install it (npm install --save-dev devin-keyscan) and rerun 'npx devin-keyscan install-hook --force', or remove $0. Commit blocked." >&2`,
    "  exit 1",
    "fi",
    "",
  ].join("\n");
}

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

export async function installHook(args: readonly string[], values: Record<string, unknown>, io: Io): Promise<number> {
  if (args.length > 0) throw new UsageError(`install-hook takes no arguments (got ${args[0]})`);
  const r = await runGit(io.cwd, ["rev-parse", "--git-path", "hooks"]).catch((error: unknown) => {
    throw error instanceof GitError ? new ScanFailure(error.message) : error;
  });
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) throw new UsageError(`install-hook: not a git repository: ${io.cwd}`);
    throw new ScanFailure(`install-hook: git rev-parse failed: ${firstLines(r.stderr)}`);
  }
  const hooksDir = path.resolve(io.cwd, r.stdout.toString("utf8").trim());
  const hookPath = path.join(hooksDir, "pre-commit");
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "bin.js");
  const script = hookScript(process.execPath, bin);
  // lstat: a symlink (a shared team hook, or one that dangles) is an existing hook, never written through.
  const stat = lstatSync(hookPath, { throwIfNoEntry: false });
  if (stat !== undefined) {
    let what = "";
    if (stat.isSymbolicLink()) {
      what = ` (a symbolic link to ${readlinkSync(hookPath)}; --force replaces the link, not its target)`;
    } else if (stat.isFile()) {
      const existing = readWholeFile(hookPath).toString("utf8");
      if (existing === script) {
        io.stdout.write(`devin-keyscan: pre-commit hook already installed at ${hookPath}\n`);
        return EXIT.clean;
      }
      if (existing.includes(HOOK_MARKER)) what = " (an older devin-keyscan hook)";
    } else {
      throw new UsageError(`install-hook: ${hookPath} exists and is not a file; remove it first`);
    }
    if (values.force !== true) {
      throw new UsageError(`install-hook: ${hookPath} already exists${what}; rerun with --force to replace it, or call 'devin-keyscan --staged' from it`);
    }
  }
  try {
    mkdirSync(hooksDir, { recursive: true });
    if (stat !== undefined) unlinkSync(hookPath);
    // O_EXCL: created here, never through a link put in its place meanwhile.
    writeFileSync(hookPath, script, { mode: 0o755, flag: "wx" });
    chmodSync(hookPath, 0o755);
  } catch (error) {
    throw new ScanFailure(`install-hook: cannot write ${hookPath}: ${(error as Error).message}`);
  }
  io.stdout.write(`devin-keyscan: pre-commit hook written to ${hookPath}: commits that add a Devin API key are now blocked\n`);
  return EXIT.clean;
}
