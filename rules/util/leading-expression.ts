import type { TSESTree } from "@typescript-eslint/utils";

/**
 * The expression a string starts with: the first `${…}` of a template literal with nothing
 * before it, the leftmost operand of `+`, or the node itself.
 */
export function leadingExpression(node: TSESTree.Node): TSESTree.Node {
  if (node.type === "TemplateLiteral" && node.expressions.length > 0 && node.quasis[0]!.value.raw === "") {
    return leadingExpression(node.expressions[0]!);
  }
  if (node.type === "BinaryExpression" && node.operator === "+") return leadingExpression(node.left);
  return node;
}
