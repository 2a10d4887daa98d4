import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { parseIgnoreDirective } from "../../src/suppress/directives.js";

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * True when line `line` (1-based) carries `devin-keyscan-ignore` or the line before it
 * carries `devin-keyscan-ignore-next-line`: the scanner's inline directives, honoured by every rule.
 */
export function isIgnoredLine(lines: readonly string[], line: number): boolean {
  const here = lines[line - 1];
  if (here !== undefined && parseIgnoreDirective(here)?.nextLine === false) return true;
  const before = lines[line - 2];
  return before !== undefined && parseIgnoreDirective(before)?.nextLine === true;
}

function startLine(descriptor: TSESLint.ReportDescriptor<string>): number {
  if ("loc" in descriptor && descriptor.loc) {
    return "start" in descriptor.loc ? descriptor.loc.start.line : descriptor.loc.line;
  }
  return (descriptor as { node: TSESTree.Node }).node.loc.start.line;
}

/** `context.report`, unless an inline ignore directive covers the report's first line. */
export function reportUnlessIgnored<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds, readonly unknown[]>>,
  descriptor: TSESLint.ReportDescriptor<MessageIds>,
): void {
  if (isIgnoredLine((context as Context).sourceCode.lines, startLine(descriptor))) return;
  context.report(descriptor);
}
