import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { findKeys, KINDS, kindLabel, redact, type KeyMatch } from "../src/grammar/index.js";
import { ESCAPE_TRIGGERS } from "../src/scan/decoded/escape.js";
import { createRule } from "./util/create-rule.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { initializerOf } from "./util/resolve-variable.js";
import { KEY_LITERALS, mentionsAny } from "./util/prefilter.js";
import { staticString } from "./util/static-string.js";

export type MessageId = "hardcodedKey" | "assembledKey" | "useEnv";
export type Options = [{ envName?: string; paranoid?: boolean }];

type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * Key prefixes, and the escapes that can hide one of their characters (`"\u0063og_…"`,
 * `"cog\u005f…"`: the scanner's escape triggers, and the `\u{…}` form), for the per-file early exit.
 */
const LITERALS = [...KEY_LITERALS, ...ESCAPE_TRIGGERS, "\\u{"];

function messageData(key: KeyMatch): Record<string, string> {
  return {
    // `paranoid` matches fail the structure check: said so, they may be another product's token.
    kind: key.confidence === "low" ? `possible ${kindLabel(key.kind)} (low confidence: it fails the key's structure check)` : kindLabel(key.kind),
    redacted: redact(key.raw),
    org: key.orgId === undefined ? "" : ` of organisation ${key.orgId}`,
    hint: KINDS[key.kind].revocationHint,
  };
}

/** Escapes text for the inside of a template literal. */
function templateText(text: string): string {
  return text.replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/**
 * The fix that reads the key from the environment instead, for a key written in a string
 * literal, a template literal or JSX text. Undefined where an expression cannot go (types, keys).
 */
function envFix(sourceCode: SourceCode, key: KeyMatch, envName: string): TSESLint.ReportFixFunction | undefined {
  const env = `process.env.${envName}`;
  const node = sourceCode.getNodeByRangeIndex(key.start);
  if (!node) return undefined;
  if (node.type === "Literal" && typeof node.value === "string") {
    const parent = node.parent;
    if (
      parent?.type === "TSLiteralType" ||
      parent?.type === "ImportDeclaration" ||
      parent?.type === "ExportAllDeclaration" ||
      parent?.type === "ExportNamedDeclaration" ||
      parent?.type === "ExportSpecifier" ||
      parent?.type === "ImportSpecifier" ||
      parent?.type === "ImportAttribute" ||
      parent?.type === "ImportExpression" ||
      parent?.type === "TSExternalModuleReference" ||
      parent?.type === "TSEnumMember" ||
      parent?.type === "TSPropertySignature" ||
      // A name, not a value: object and class members, methods, accessors, signatures (a
      // computed `["…"]` key is an expression, and is fixed).
      (parent !== undefined && "key" in parent && parent.key === node && !("computed" in parent && parent.computed))
    ) {
      return undefined;
    }
    const raw = sourceCode.getText(node);
    const before = raw.slice(1, key.start - node.range[0]);
    const after = raw.slice(key.end - node.range[0], -1);
    if (before === "" && after === "") {
      const replacement = parent?.type === "JSXAttribute" ? `{${env}}` : env;
      return (fixer) => fixer.replaceText(node, replacement);
    }
    if (parent?.type === "JSXAttribute") return undefined;
    const unescapeQuote = (s: string): string => s.replace(/\\(["'])/g, "$1");
    const template = `\`${templateText(unescapeQuote(before))}\${${env}}${templateText(unescapeQuote(after))}\``;
    return (fixer) => fixer.replaceText(node, template);
  }
  if (node.type === "TemplateLiteral" || node.type === "TemplateElement") {
    return (fixer) => fixer.replaceTextRange([key.start, key.end], `\${${env}}`);
  }
  if (node.type === "JSXText") {
    return (fixer) => fixer.replaceTextRange([key.start, key.end], `{${env}}`);
  }
  return undefined;
}

/** `+` chains, templates with `${…}` and escaped literals: where a key can exist without being spelled. */
function isAssembly(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (parent && ((parent.type === "BinaryExpression" && parent.operator === "+") || parent.type === "TemplateLiteral")) return false;
  return true;
}

/** Where the strings an assembly is made of are written: its literals, and the constants it names (followed). */
function stringLeaves(sourceCode: SourceCode, node: TSESTree.Node, depth = 0, out: [number, number][] = []): [number, number][] {
  if (depth > 6) return out;
  switch (node.type) {
    case "Literal":
    case "TemplateElement":
      out.push(node.range);
      break;
    case "TemplateLiteral":
      for (const part of [...node.quasis, ...node.expressions]) stringLeaves(sourceCode, part, depth + 1, out);
      break;
    case "BinaryExpression":
      stringLeaves(sourceCode, node.left, depth + 1, out);
      stringLeaves(sourceCode, node.right, depth + 1, out);
      break;
    case "Identifier": {
      const init = initializerOf(sourceCode, node);
      if (init) stringLeaves(sourceCode, init, depth + 1, out);
      break;
    }
    case "TSAsExpression":
    case "TSNonNullExpression":
    case "TSSatisfiesExpression":
      stringLeaves(sourceCode, node.expression, depth + 1, out);
      break;
    default:
      out.push(node.range);
  }
  return out;
}

export default createRule<Options, MessageId>({
  name: "no-hardcoded-key",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow Devin API keys written in code, comments, or assembled from constants",
      recommended: true,
      strictOptions: [{ paranoid: true }],
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        description: "How keys are found and what the fix reads instead.",
        properties: {
          envName: {
            type: "string",
            description: "Environment variable the suggestion reads instead of the key.",
            pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
          },
          paranoid: {
            type: "boolean",
            description: "Also report prefix matches of plausible length and entropy that fail the structure check.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ envName: "DEVIN_API_KEY", paranoid: false }],
    messages: {
      hardcodedKey: "{{kind}} {{redacted}}{{org}} is written in the code: anyone who can read it can call the Devin API as its owner. To fix: {{hint}}.",
      assembledKey:
        "{{kind}} {{redacted}}{{org}} is assembled from constants here: splitting a key does not hide it. To fix: {{hint}}.",
      useEnv: "Read the key from process.env.{{envName}} instead.",
    },
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    if (!mentionsAny(sourceCode.text, LITERALS)) return {};
    const envName = options.envName ?? "DEVIN_API_KEY";
    const matchOptions = { paranoid: options.paranoid === true };
    // Where each key was reported (or silenced), in the text and as assemblies. An assembly is
    // not reported for a key that one of its strings already spells whole (`a + "/x"` with
    // `a = "<key>"`, reported where it is written), nor twice (a `+` chain and the escaped
    // literal in it); any other copy is, even when one copy is ignored.
    const found: { readonly canonical: string; readonly start: number; readonly end: number }[] = [];
    const foundWithin = (canonical: string, ranges: readonly (readonly [number, number])[]): boolean =>
      found.some((f) => f.canonical === canonical && ranges.some(([start, end]) => f.start < end && f.end > start));
    const assemblies: TSESTree.Node[] = [];

    return {
      Program() {
        for (const key of findKeys(sourceCode.text, matchOptions)) {
          found.push({ canonical: key.canonical, start: key.start, end: key.end });
          const fix = envFix(sourceCode, key, envName);
          reportUnlessIgnored(context, {
            loc: { start: sourceCode.getLocFromIndex(key.start), end: sourceCode.getLocFromIndex(key.end) },
            messageId: "hardcodedKey",
            data: messageData(key),
            suggest: fix ? [{ messageId: "useEnv", data: { envName }, fix }] : [],
          });
        }
      },
      'BinaryExpression[operator="+"]'(node: TSESTree.BinaryExpression) {
        if (isAssembly(node)) assemblies.push(node);
      },
      "TemplateLiteral[expressions.length>0]"(node: TSESTree.TemplateLiteral) {
        if (isAssembly(node)) assemblies.push(node);
      },
      Literal(node) {
        // A literal whose escapes hide the key from the raw text (`"apk\u005f…"`); without a
        // backslash its text is its value (no copy made to compare them).
        if (typeof node.value === "string" && node.raw.includes("\\") && node.raw.slice(1, -1) !== node.value) assemblies.push(node);
      },
      "Program:exit"() {
        for (const node of assemblies) {
          const value = staticString(sourceCode, node);
          if (!value) continue;
          const [start, end] = node.range;
          const within: (readonly [number, number])[] = [[start, end], ...stringLeaves(sourceCode, node)];
          for (const key of findKeys(value.text, matchOptions)) {
            if (foundWithin(key.canonical, within)) continue;
            found.push({ canonical: key.canonical, start, end });
            const whole = value.complete && key.start === 0 && key.end === value.text.length;
            reportUnlessIgnored(context, {
              node,
              messageId: "assembledKey",
              data: messageData(key),
              suggest: whole
                ? [{ messageId: "useEnv", data: { envName }, fix: (fixer) => fixer.replaceText(node, `process.env.${envName}`) }]
                : [],
            });
          }
        }
      },
    };
  },
});
