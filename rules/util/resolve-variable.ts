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
  return variable ? singleInitializer(variable) : undefined;
}

type Variable = NonNullable<ReturnType<typeof ASTUtils.findVariable>>;

/**
 * Per variable, once: its references are counted a single time however often it is looked up
 * (`a = a + 1` repeated through a minified bundle would otherwise cost the square of its uses).
 */
const initializers = new WeakMap<Variable, TSESTree.Expression | null>();

/** `initializerOf` for a variable already found. */
export function singleInitializer(variable: Variable): TSESTree.Expression | undefined {
  const cached = initializers.get(variable);
  if (cached !== undefined) return cached ?? undefined;
  let init: TSESTree.Expression | null = null;
  const def = variable.defs.length === 1 ? variable.defs[0]! : undefined;
  if (def?.type === "Variable" && def.node.id.type === "Identifier" && def.node.init) {
    let writes = 0;
    for (const r of variable.references) if (r.isWrite() && ++writes > 1) break;
    if (writes <= 1) init = def.node.init;
  }
  initializers.set(variable, init);
  return init ?? undefined;
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
