import type { TSESTree } from "@typescript-eslint/utils";
import { API_VERSIONS } from "../src/grammar/index.js";
import { createRule } from "./util/create-rule.js";
import { devinUrlOf, httpRequests } from "./util/http-requests.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { HOST_LITERALS, mentionsAny } from "./util/prefilter.js";
import { locOfRange, segmentRange } from "./util/source-range.js";
import { staticString } from "./util/static-string.js";

export type MessageId = "unknownVersion" | "useVersion";
export type Options = [];

/** Expressions that build a string; a part of a bigger one is judged with the whole. */
function isOutermostStringExpression(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (parent.type === "BinaryExpression" && parent.operator === "+") return false;
  return parent.type !== "TemplateLiteral";
}

export default createRule<Options, MessageId>({
  name: "valid-api-version",
  meta: {
    type: "problem",
    docs: {
      description: "Require a known API version (v1, v2, v3beta1, v3) in Devin API URLs",
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      unknownVersion:
        'Unknown Devin API version "/{{segment}}/": the API answers 404. Valid versions are {{versions}}; did you mean "/{{suggestion}}/"?',
      useVersion: 'Use "/{{suggestion}}/".',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    if (!mentionsAny(sourceCode.text, HOST_LITERALS)) return {};
    const reported = new Set<number>();

    /** Reports the unknown segment where `node` spells it; other nodes (identifiers) are judged at their definition. */
    function check(node: TSESTree.Node, pathOnly: boolean): void {
      const url = staticString(sourceCode, node);
      const parsed = devinUrlOf(url, pathOnly);
      if (parsed?.kind !== "unknown") return;
      const range = segmentRange(sourceCode, node, parsed.segment);
      if (!range || reported.has(range[0])) return;
      reported.add(range[0]);
      const data = { segment: parsed.segment, suggestion: parsed.suggestion, versions: API_VERSIONS.join(", ") };
      reportUnlessIgnored(context, {
        loc: locOfRange(sourceCode, range),
        messageId: "unknownVersion",
        data,
        // A segment that is no version at all (`/sessions`) is the path: the version goes before it.
        suggest: [
          {
            messageId: "useVersion",
            data,
            fix: (fixer) =>
              /^v\d/i.test(parsed.segment) || parsed.segment.includes("/")
                ? fixer.replaceTextRange(range, parsed.suggestion)
                : fixer.insertTextBeforeRange(range, `${parsed.suggestion}/`),
          },
        ],
      });
    }

    const checkOutermost = (node: TSESTree.Node): void => {
      if (isOutermostStringExpression(node)) check(node, false);
    };
    return {
      Literal(node) {
        if (typeof node.value === "string" && node.value.includes("devin.ai")) checkOutermost(node);
      },
      TemplateLiteral: checkOutermost,
      'BinaryExpression[operator="+"]': checkOutermost,
      NewExpression(node) {
        if (node.callee.type === "Identifier" && node.callee.name === "URL") check(node, false);
      },
      "Program:exit"() {
        // Paths sent through an instance or config whose base URL is the Devin API.
        for (const request of httpRequests(sourceCode)) {
          if (request.devinUrl?.kind === "unknown" && request.urlNode && !request.isInstance) {
            const path = staticString(sourceCode, request.urlNode);
            // Only when the path brings the unknown version: a base URL's own wrong version is
            // reported at the base, and the paths under it are right.
            if (path && !path.text.includes("//") && (devinUrlOf(path, true) as { segment?: string } | undefined)?.segment === request.devinUrl.segment) {
              check(request.urlNode, true);
            }
          }
        }
      },
    };
  },
});
