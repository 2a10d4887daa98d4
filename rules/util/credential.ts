import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { findKeys, isDevinSecretEnvName, type KeyMatch } from "../../src/grammar/index.js";
import { envReference, type EnvReference } from "./env-reference.js";
import { initializerOf } from "./resolve-variable.js";
import { staticString } from "./static-string.js";

/** A Devin credential an expression carries: a key written in the code, or a secret env variable. */
export type Credential =
  | { readonly type: "key"; readonly key: KeyMatch }
  | { readonly type: "env"; readonly env: EnvReference };

/** Calls that return their argument's content (so a key stays a key through them). */
const PASS_THROUGH_FUNCTIONS = new Set(["String", "encodeURIComponent", "encodeURI"]);
const PASS_THROUGH_METHODS = new Set(["toString", "trim", "concat", "valueOf"]);
const MAX_DEPTH = 6;

export interface CredentialOptions {
  /** Also look inside object literals (`{ headers: { Authorization: key } }`); for logged values. */
  readonly throughObjects?: boolean;
}

/**
 * The credential `node` evaluates to or contains, following constants, template literals,
 * concatenation, `||`/`??`/`?:` and variables written once. `Boolean(key)`, `key.length`
 * and any other call or property read are not the credential itself.
 */
export function credentialIn(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  options: CredentialOptions = {},
  depth = 0,
): Credential | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const text = staticString(sourceCode, node);
  if (text) {
    const key = findKeys(text.text)[0];
    if (key) return { type: "key", key };
    if (text.complete) return undefined;
  }
  const env = envReference(sourceCode, node);
  if (env) return isDevinSecretEnvName(env.name) ? { type: "env", env } : undefined;
  const next = (child: TSESTree.Node | null | undefined): Credential | undefined =>
    child ? credentialIn(sourceCode, child, options, depth + 1) : undefined;
  switch (node.type) {
    case "Identifier": {
      const init = initializerOf(sourceCode, node);
      return next(init);
    }
    case "TemplateLiteral":
      for (const expression of node.expressions) {
        const found = next(expression);
        if (found) return found;
      }
      return undefined;
    case "BinaryExpression":
      return node.operator === "+" ? (next(node.left) ?? next(node.right)) : undefined;
    case "LogicalExpression":
      return node.operator === "&&" ? next(node.right) : (next(node.left) ?? next(node.right));
    case "ConditionalExpression":
      return next(node.consequent) ?? next(node.alternate);
    case "TSAsExpression":
    case "TSNonNullExpression":
    case "TSSatisfiesExpression":
    case "AwaitExpression":
      return next(node.type === "AwaitExpression" ? node.argument : node.expression);
    case "ObjectExpression":
      if (options.throughObjects !== true) return undefined;
      for (const property of node.properties) {
        const found = property.type === "Property" ? next(property.value) : next(property.argument);
        if (found) return found;
      }
      return undefined;
    case "ArrayExpression":
      if (options.throughObjects !== true) return undefined;
      for (const element of node.elements) {
        const found = next(element);
        if (found) return found;
      }
      return undefined;
    case "CallExpression": {
      const callee = node.callee;
      if (callee.type === "Identifier" && PASS_THROUGH_FUNCTIONS.has(callee.name)) return next(node.arguments[0]);
      if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier") {
        if (callee.object.type === "Identifier" && callee.object.name === "JSON" && callee.property.name === "stringify") {
          return credentialIn(sourceCode, node.arguments[0] ?? node, { throughObjects: true }, depth + 1);
        }
        if (PASS_THROUGH_METHODS.has(callee.property.name)) return next(callee.object);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
