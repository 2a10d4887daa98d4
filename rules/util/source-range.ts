import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

/**
 * Where a path segment is written inside a node's own source (not behind an identifier):
 * after a `/`, or at the start of a string part (`BASE + "v5/x"`, `` `${BASE}v5` ``). Returns the
 * absolute range of the segment, or undefined when the node's text does not spell it.
 */
export function segmentRange(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  segment: string,
): TSESTree.Range | undefined {
  const text = sourceCode.getText(node);
  let at = text.indexOf(segment);
  while (at !== -1) {
    const before = text[at - 1];
    const after = text[at + segment.length];
    if (before !== undefined && "/\"'`}".includes(before) && (after === undefined || !/[\w-]/.test(after))) {
      return [node.range[0] + at, node.range[0] + at + segment.length];
    }
    at = text.indexOf(segment, at + 1);
  }
  return undefined;
}

/** A `{ start, end }` location for an absolute source range. */
export function locOfRange(sourceCode: Readonly<TSESLint.SourceCode>, range: TSESTree.Range): TSESTree.SourceLocation {
  return { start: sourceCode.getLocFromIndex(range[0]), end: sourceCode.getLocFromIndex(range[1]) };
}
