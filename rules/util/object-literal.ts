import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { initializerOf, propertyKeyName } from "./resolve-variable.js";

/** The object literal an expression stands for: itself, a variable's initialiser, or `new Headers({…})`'s argument. */
export function objectLiteralOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node | null | undefined,
  depth = 0,
): TSESTree.ObjectExpression | undefined {
  if (!node || depth > 4) return undefined;
  switch (node.type) {
    case "ObjectExpression":
      return node;
    case "Identifier": {
      return objectLiteralOf(sourceCode, initializerOf(sourceCode, node), depth + 1);
    }
    case "NewExpression":
      return node.callee.type === "Identifier" && node.callee.name === "Headers"
        ? objectLiteralOf(sourceCode, node.arguments[0], depth + 1)
        : undefined;
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
      return objectLiteralOf(sourceCode, node.expression, depth + 1);
    default:
      return undefined;
  }
}

/**
 * The property of an object literal whose key matches `name` (case-insensitively when asked,
 * as HTTP header names are), looking into `...spread` literals too. The last one wins, as at run time.
 */
export function findProperty(
  sourceCode: Readonly<TSESLint.SourceCode>,
  object: TSESTree.ObjectExpression,
  name: string,
  ignoreCase = false,
  depth = 0,
): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  const wanted = ignoreCase ? name.toLowerCase() : name;
  for (const property of object.properties) {
    if (property.type === "SpreadElement") {
      const spread = depth < 4 ? objectLiteralOf(sourceCode, property.argument) : undefined;
      const inner = spread && findProperty(sourceCode, spread, name, ignoreCase, depth + 1);
      if (inner) found = inner;
      continue;
    }
    const key = propertyKeyName(property);
    if (key !== undefined && (ignoreCase ? key.toLowerCase() : key) === wanted) found = property;
  }
  return found;
}
