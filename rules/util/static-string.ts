import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
// The subpath, not the package index: the index also loads ESLint and the scope manager (≈ 300 modules).
import * as ASTUtils from "@typescript-eslint/utils/ast-utils";
import { initializerOf, singleInitializer } from "./resolve-variable.js";

/** How many identifier hops a value is followed through; real code needs two or three. */
const MAX_DEPTH = 6;

/**
 * What is known of a string expression: its whole value (`complete`) or only how it starts
 * (`` `${BASE}/v1/sessions/${id}` `` → `https://api.devin.ai/v1/sessions/`).
 */
export interface StaticString {
  readonly text: string;
  readonly complete: boolean;
}

/**
 * Evaluates a string expression through module constants, template literals, `+` and
 * `new URL(path, base)`, with `ASTUtils.getStaticValue` doing the constant folding.
 */
export function staticString(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  depth = 0,
): StaticString | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (node.type === "Literal") return typeof node.value === "string" ? { text: node.value, complete: true } : undefined;
  // No string can come out of it (`a + 1` with `a` reassigned): nothing to fold, and folding
  // would look at every reference of `a`, for each such expression of a minified bundle.
  if (!mayBeString(sourceCode, node)) return undefined;
  // Names, `+` and templates are followed here, through `initializerOf` (which counts a
  // variable's writes once per file): `getStaticValue` would count the references of a `let`
  // or `var` again at each use, the square of its uses in a bundle (`P + "…"` 10,000 times).
  if (node.type !== "Identifier" && node.type !== "TemplateLiteral" && !(node.type === "BinaryExpression" && node.operator === "+")) {
    const folded = ASTUtils.getStaticValue(node, sourceCode.getScope(node));
    if (folded && typeof folded.value === "string") return { text: folded.value, complete: true };
  }
  switch (node.type) {
    case "Identifier": {
      const init = initializerOf(sourceCode, node);
      return init ? staticString(sourceCode, init, depth + 1) : undefined;
    }
    case "TemplateLiteral": {
      let text = node.quasis[0]!.value.cooked ?? "";
      for (let i = 0; i < node.expressions.length; i++) {
        const part = staticString(sourceCode, node.expressions[i]!, depth + 1) ?? primitive(node.expressions[i]!);
        if (!part) return { text, complete: false };
        text += part.text;
        if (!part.complete) return { text, complete: false };
        text += node.quasis[i + 1]!.value.cooked ?? "";
      }
      return { text, complete: true };
    }
    case "BinaryExpression": {
      if (node.operator !== "+") return undefined;
      const left = staticString(sourceCode, node.left, depth + 1) ?? primitive(node.left);
      if (!left || !left.complete) return left;
      const right = staticString(sourceCode, node.right, depth + 1) ?? primitive(node.right);
      return right ? { text: left.text + right.text, complete: right.complete } : { text: left.text, complete: false };
    }
    case "NewExpression":
      return urlConstructorValue(sourceCode, node, depth);
    case "MemberExpression": {
      // `url.href` / `url.toString()` of a `new URL(…)` constant.
      if (!node.computed && node.property.type === "Identifier" && node.property.name === "href") {
        return staticString(sourceCode, node.object, depth + 1);
      }
      return undefined;
    }
    case "CallExpression": {
      const callee = node.callee;
      if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier" && callee.property.name === "toString" && node.arguments.length === 0) {
        return staticString(sourceCode, callee.object, depth + 1);
      }
      return undefined;
    }
    case "TSAsExpression":
    case "TSNonNullExpression":
    case "TSSatisfiesExpression":
      return staticString(sourceCode, node.expression, depth + 1);
    default:
      return undefined;
  }
}

/** `new URL(path, base)` resolved like the platform does, when both parts are known. */
function urlConstructorValue(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.NewExpression,
  depth: number,
): StaticString | undefined {
  if (node.callee.type !== "Identifier" || node.callee.name !== "URL") return undefined;
  const [pathArg, baseArg] = node.arguments;
  if (!pathArg || pathArg.type === "SpreadElement") return undefined;
  const path = staticString(sourceCode, pathArg, depth + 1);
  if (!path) return undefined;
  if (!baseArg || baseArg.type === "SpreadElement") return path;
  const base = staticString(sourceCode, baseArg, depth + 1);
  if (!base || !base.complete) return undefined;
  try {
    return { text: new URL(path.text, base.text).href, complete: path.complete };
  } catch {
    return undefined;
  }
}

/** A number, boolean or null literal, as `+` with a string writes it. */
function primitive(node: TSESTree.Node): StaticString | undefined {
  return node.type === "Literal" && typeof node.value !== "string" && !(node.value instanceof RegExp) && typeof node.value !== "bigint"
    ? { text: String(node.value), complete: true }
    : undefined;
}

/**
 * False when `node`, a `+` chain or template, cannot be a string known here: every leaf is a
 * number, boolean or null literal, or a variable written more than once (or not declared in the
 * file). Anything else (a string, a call, a member, a constant) may be, and is folded.
 */
function mayBeString(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  switch (node.type) {
    case "Literal":
      return typeof node.value === "string";
    case "TemplateLiteral":
      return true;
    case "BinaryExpression":
      return node.operator === "+" && (mayBeString(sourceCode, node.left) || mayBeString(sourceCode, node.right));
    case "Identifier": {
      const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
      return variable !== null && singleInitializer(variable) !== undefined;
    }
    default:
      return true;
  }
}
