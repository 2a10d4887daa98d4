import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
// The subpath, not the package index: the index also loads ESLint and the scope manager (≈ 300 modules).
import * as ASTUtils from "@typescript-eslint/utils/ast-utils";

/**
 * The expression a variable was initialised with, when the variable is written once:
 * `const key = "…"` or a `let`/`var` never reassigned. Undefined for parameters, imports,
 * destructuring and anything reassigned, where the value cannot be known statically.
 */
export function initializerOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): TSESTree.Expression | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== "Variable" || def.node.id.type !== "Identifier" || !def.node.init) return undefined;
  const writes = variable.references.filter((r) => r.isWrite());
  if (writes.length > 1) return undefined;
  return def.node.init;
}

/** The `{ DEVIN_API_KEY } = process.env` style definition of an identifier, if it has one. */
export function destructuredFrom(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): { readonly source: TSESTree.Expression; readonly key: string } | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== "Variable" || def.node.id.type !== "ObjectPattern" || !def.node.init) return undefined;
  for (const property of def.node.id.properties) {
    if (property.type !== "Property") continue;
    const target = property.value.type === "AssignmentPattern" ? property.value.left : property.value;
    if (target.type === "Identifier" && target.name === identifier.name) {
      const key = propertyKeyName(property);
      return key === undefined ? undefined : { source: def.node.init, key };
    }
  }
  return undefined;
}

/** The static name of a property key (`a`, `"a"`, `["a"]`), if it has one. */
export function propertyKeyName(property: TSESTree.Property | TSESTree.MemberExpression): string | undefined {
  const key = property.type === "Property" ? property.key : property.property;
  const computed = property.computed;
  if (!computed && key.type === "Identifier") return key.name;
  if (key.type === "Literal" && (typeof key.value === "string" || typeof key.value === "number")) return String(key.value);
  if (key.type === "TemplateLiteral" && key.expressions.length === 0) return key.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}
