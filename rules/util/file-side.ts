import path from "node:path";
import picomatch from "picomatch";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { CLIENT_DIRECTIVE, SERVER_DIRECTIVE, SERVER_ONLY_MODULE } from "../../src/grammar/index.js";

/** Where a module runs: shipped to browsers, kept on the server, or not known. */
export type FileSide = "client" | "server" | "unknown";

export interface SideGlobs {
  readonly clientGlobs: readonly string[];
  readonly serverGlobs: readonly string[];
}

const matcherCache = new Map<string, (file: string) => boolean>();

/** One compiled matcher per glob list, kept for the life of the process. */
function matcherFor(globs: readonly string[]): (file: string) => boolean {
  const id = globs.join("\0");
  let matcher = matcherCache.get(id);
  if (!matcher) {
    matcher = globs.length === 0 ? () => false : picomatch([...globs], { dot: true });
    matcherCache.set(id, matcher);
  }
  return matcher;
}

function directives(program: TSESTree.Program): string[] {
  const found: string[] = [];
  for (const statement of program.body) {
    if (statement.type !== "ExpressionStatement" || statement.directive === undefined) break;
    found.push(statement.directive);
  }
  return found;
}

function importsServerOnly(program: TSESTree.Program): boolean {
  return program.body.some((s) => s.type === "ImportDeclaration" && s.source.value === SERVER_ONLY_MODULE);
}

/**
 * Classifies the file being linted. Server markers win: `'use server'`, `import "server-only"`,
 * then the server globs; then `'use client'` and the client globs. Paths are matched relative
 * to ESLint's working directory, with `/` separators.
 */
export function fileSide(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, globs: SideGlobs): FileSide {
  const program = context.sourceCode.ast;
  const found = directives(program);
  if (found.includes(SERVER_DIRECTIVE) || importsServerOnly(program)) return "server";
  let file = path.relative(context.cwd, context.filename);
  if (file.startsWith("..") || path.isAbsolute(file)) file = context.filename;
  file = file.split(path.sep).join("/").replace(/^\/+/, "");
  if (matcherFor(globs.serverGlobs)(file)) return "server";
  if (found.includes(CLIENT_DIRECTIVE) || matcherFor(globs.clientGlobs)(file)) return "client";
  return "unknown";
}
