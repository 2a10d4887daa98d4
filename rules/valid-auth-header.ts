import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { authSchemeProblem, BEARER_SCHEME, type AuthSchemeProblem } from "../src/grammar/index.js";
import { createRule } from "./util/create-rule.js";
import { credentialIn } from "./util/credential.js";
import { httpRequests } from "./util/http-requests.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { leadingExpression } from "./util/leading-expression.js";
import { AUTHORIZATION_LITERALS, HOST_LITERALS, mentionsAny } from "./util/prefilter.js";
import { staticString } from "./util/static-string.js";

export type MessageId = "missingScheme" | "wrongScheme" | "noSpace" | "addBearer" | "useBearer" | "addSpace";
export type Options = [];

type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * The scheme problem of a header value, judged on what is statically known of it. A value
 * known only up to its first `${…}` is judged when that start already contains the scheme
 * (`Token ${key}`), or when the unknown start is itself a credential (`${DEVIN_API_KEY}`).
 */
function schemeProblemOf(sourceCode: SourceCode, value: TSESTree.Node): AuthSchemeProblem | undefined {
  const known = staticString(sourceCode, value);
  if (known?.complete) return authSchemeProblem(known.text);
  // `"Bearer" + key`, `` `Bearer:${key}` ``: whatever follows is glued to the scheme.
  if (known && /^bearer/i.test(known.text.trimStart()) && !/^bearer\s/i.test(known.text.trimStart())) return { problem: "no-space" };
  if (known && /\s/.test(known.text)) return authSchemeProblem(`${known.text}x`);
  if (known && known.text !== "") return undefined;
  return credentialIn(sourceCode, leadingExpression(value)) ? { problem: "missing-scheme" } : undefined;
}

/** The fix that puts `Bearer ` in front of the credential, when the value is written inline. */
function addBearerFix(value: TSESTree.Node, sourceCode: SourceCode): TSESLint.ReportFixFunction {
  return (fixer) => {
    if ((value.type === "Literal" && typeof value.value === "string") || value.type === "TemplateLiteral") {
      return fixer.insertTextAfterRange([value.range[0], value.range[0] + 1], `${BEARER_SCHEME} `);
    }
    return fixer.replaceText(value, `\`${BEARER_SCHEME} \${${sourceCode.getText(value)}}\``);
  };
}

/**
 * The fix that puts a space after `Bearer` (replacing a `:` or `=` written there), in the
 * string that spells it: the value itself or the first string of a `+` chain.
 */
function spaceAfterBearerFix(value: TSESTree.Node, sourceCode: SourceCode): TSESLint.ReportFixFunction | undefined {
  let node: TSESTree.Node = value;
  while (node.type === "BinaryExpression" && node.operator === "+") node = node.left;
  if (!((node.type === "Literal" && typeof node.value === "string") || node.type === "TemplateLiteral")) return undefined;
  const raw = sourceCode.getText(node);
  const m = /^(.\s*)bearer/i.exec(raw);
  if (!m) return undefined;
  const after = node.range[0] + m[0].length;
  const next = raw[m[0].length];
  return next === ":" || next === "="
    ? (fixer) => fixer.replaceTextRange([after, after + 1], " ")
    : (fixer) => fixer.insertTextAfterRange([after, after], " ");
}

/** The fix that replaces another scheme by `Bearer`, when the scheme is written in the value itself. */
function useBearerFix(value: TSESTree.Node, scheme: string, sourceCode: SourceCode): TSESLint.ReportFixFunction | undefined {
  if (!(value.type === "Literal" || value.type === "TemplateLiteral")) return undefined;
  const raw = sourceCode.getText(value);
  const at = raw.indexOf(scheme, 1);
  if (at !== 1 && !/^.\s+$/.test(raw.slice(0, at))) return undefined;
  const start = value.range[0] + at;
  return (fixer) => fixer.replaceTextRange([start, start + scheme.length], BEARER_SCHEME);
}

export default createRule<Options, MessageId>({
  name: "valid-auth-header",
  meta: {
    type: "problem",
    docs: {
      description: "Require `Authorization: Bearer <key>` on requests to the Devin API",
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      missingScheme:
        'Authorization header sent to api.devin.ai without the "Bearer " scheme: the Devin API answers 401. Send "Authorization: Bearer <key>".',
      wrongScheme:
        'Authorization header sent to api.devin.ai uses the "{{scheme}}" scheme: the Devin API answers 401 to anything but "Bearer". Send "Authorization: Bearer <key>".',
      noSpace:
        'Authorization header sent to api.devin.ai without a space after "Bearer": the Devin API answers 401. Send "Authorization: Bearer <key>".',
      addBearer: 'Add the "Bearer " scheme.',
      addSpace: 'Put a space after "Bearer".',
      useBearer: 'Replace "{{scheme}}" with "Bearer".',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    if (!mentionsAny(sourceCode.text, HOST_LITERALS) || !mentionsAny(sourceCode.text, AUTHORIZATION_LITERALS)) return {};
    return {
      "Program:exit"() {
        const checked = new Set<TSESTree.Node>();
        for (const request of httpRequests(sourceCode)) {
          const header = request.authorization;
          if (!request.devinUrl || !header || checked.has(header.value)) continue;
          checked.add(header.value);
          const problem = schemeProblemOf(sourceCode, header.value);
          if (!problem) continue;
          if (problem.problem === "no-space") {
            const fix = spaceAfterBearerFix(header.value, sourceCode);
            reportUnlessIgnored(context, { node: header.value, messageId: "noSpace", suggest: fix ? [{ messageId: "addSpace", fix }] : [] });
          } else if (problem.problem === "missing-scheme") {
            reportUnlessIgnored(context, {
              node: header.value,
              messageId: "missingScheme",
              suggest: [{ messageId: "addBearer", fix: addBearerFix(header.value, sourceCode) }],
            });
          } else {
            const fix = useBearerFix(header.value, problem.scheme, sourceCode);
            reportUnlessIgnored(context, {
              node: header.value,
              messageId: "wrongScheme",
              data: { scheme: problem.scheme },
              suggest: fix ? [{ messageId: "useBearer", data: { scheme: problem.scheme }, fix }] : [],
            });
          }
        }
      },
    };
  },
});
