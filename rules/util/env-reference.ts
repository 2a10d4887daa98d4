import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
// The subpath, not the package index: the index also loads ESLint and the scope manager (≈ 300 modules).
import * as ASTUtils from "@typescript-eslint/utils/ast-utils";
import { destructuredFrom, propertyKeyName } from "./resolve-variable.js";

/** An environment variable read: `process.env.X`, `import.meta.env.X`, or an import from `$env/…`. */
export interface EnvReference {
  readonly name: string;
  /** `process.env`, `import.meta.env`, or the module it was imported from (`$env/static/public`). */
  readonly source: string;
}

function isProcessEnv(node: TSESTree.Node): boolean {
  return (
    node.type === "MemberExpression" &&
    propertyKeyName(node) === "env" &&
    node.object.type === "Identifier" &&
    node.object.name === "process"
  );
}

function isImportMetaEnv(node: TSESTree.Node): boolean {
  return node.type === "MemberExpression" && propertyKeyName(node) === "env" && node.object.type === "MetaProperty";
}

/** `process.env` or `import.meta.env` as a source name, or undefined. */
export function envObjectName(node: TSESTree.Node): string | undefined {
  if (isProcessEnv(node)) return "process.env";
  if (isImportMetaEnv(node)) return "import.meta.env";
  return undefined;
}

/** The module an identifier was imported from, with its imported name. */
function importOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): { readonly module: string; readonly imported: string } | undefined {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  const def = variable?.defs[0];
  if (!def || def.type !== "ImportBinding") return undefined;
  const declaration = def.parent;
  if (declaration.type !== "ImportDeclaration") return undefined;
  const spec = def.node;
  const imported =
    spec.type === "ImportSpecifier"
      ? spec.imported.type === "Identifier"
        ? spec.imported.name
        : String(spec.imported.value)
      : spec.type === "ImportDefaultSpecifier"
        ? "default"
        : "*";
  return { module: declaration.source.value, imported };
}

/** The env variable `node` reads, if it reads one. */
export function envReference(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): EnvReference | undefined {
  if (node.type === "MemberExpression") {
    const source = envObjectName(node.object);
    const name = propertyKeyName(node);
    if (name === undefined) return undefined;
    if (source !== undefined) return { name, source };
    // `env.X` with `import { env } from "$env/dynamic/public"`.
    if (node.object.type === "Identifier") {
      const from = importOf(sourceCode, node.object);
      if (from && from.module.startsWith("$env/")) return { name, source: from.module };
    }
    return undefined;
  }
  if (node.type === "Identifier") {
    const from = importOf(sourceCode, node);
    if (from) return from.module.startsWith("$env/") && from.imported !== "env" ? { name: from.imported, source: from.module } : undefined;
    const destructured = destructuredFrom(sourceCode, node);
    if (destructured) {
      const source = envObjectName(destructured.source);
      if (source !== undefined) return { name: destructured.key, source };
    }
  }
  return undefined;
}
