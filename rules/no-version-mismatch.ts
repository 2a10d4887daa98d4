import type { TSESTree } from "@typescript-eslint/utils";
import { isCompatible, mismatchMessage, redact } from "../src/grammar/index.js";
import { createRule } from "./util/create-rule.js";
import { credentialIn } from "./util/credential.js";
import { httpRequests } from "./util/http-requests.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { HOST_LITERALS, KEY_LITERALS, mentionsAny } from "./util/prefilter.js";
import { initializerOf } from "./util/resolve-variable.js";
import { locOfRange, segmentRange } from "./util/source-range.js";

export type MessageId = "mismatch";
export type Options = [];

export default createRule<Options, MessageId>({
  name: "no-version-mismatch",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow sending a Devin key to an API version its kind cannot use",
      recommended: true,
    },
    schema: [],
    messages: {
      mismatch: "{{detail}}. The key sent is {{redacted}}.",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    if (!mentionsAny(sourceCode.text, HOST_LITERALS) || !mentionsAny(sourceCode.text, KEY_LITERALS)) return {};
    /** Where the version is written: in the URL expression, or in the constant it names. */
    function spelledAt(node: TSESTree.Node, version: string, depth = 0): TSESTree.Range | undefined {
      const range = segmentRange(sourceCode, node, version);
      if (range || node.type !== "Identifier" || depth > 3) return range;
      const init = initializerOf(sourceCode, node);
      return init && spelledAt(init, version, depth + 1);
    }
    const reported = new Set<number>();

    return {
      "Program:exit"() {
        for (const request of httpRequests(sourceCode)) {
          const url = request.devinUrl;
          const header = request.authorization ?? request.inheritedAuthorization;
          if (url?.kind !== "known" || !header) continue;
          const credential = credentialIn(sourceCode, header.value);
          if (credential?.type !== "key" || isCompatible(credential.key.kind, url.version)) continue;
          const range = request.urlNode && spelledAt(request.urlNode, url.version);
          // A version that comes from an instance's base URL is reported once, at the instance.
          if (!range && !request.authorization) continue;
          const data = { detail: mismatchMessage(credential.key.kind, url.version), redacted: redact(credential.key.raw) };
          if (range && reported.has(range[0])) continue;
          if (range) reported.add(range[0]);
          if (range) reportUnlessIgnored(context, { loc: locOfRange(sourceCode, range), messageId: "mismatch", data });
          else reportUnlessIgnored(context, { node: request.urlNode ?? request.node, messageId: "mismatch", data });
        }
      },
    };
  },
});
