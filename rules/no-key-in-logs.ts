import type { TSESTree } from "@typescript-eslint/utils";
import { kindLabel, redact } from "../src/grammar/index.js";
import { createRule } from "./util/create-rule.js";
import { credentialIn, type Credential } from "./util/credential.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { DEVIN_LITERALS, KEY_LITERALS, mentionsAny } from "./util/prefilter.js";
import { propertyKeyName } from "./util/resolve-variable.js";

export type MessageId = "keyInLog" | "logPresence";
export type Options = [{ loggers?: string[] }];

/** Objects whose methods write logs: the console and the usual names of pino, winston, bunyan loggers. */
const DEFAULT_LOGGERS = ["console", "logger", "log", "pino", "winston", "bunyan", "signale", "consola"];

function describe(credential: Credential): string {
  return credential.type === "key"
    ? `The ${kindLabel(credential.key.kind)} ${redact(credential.key.raw)}`
    : `The secret ${credential.env.source}.${credential.env.name}`;
}

/** The logger name of a callee such as `console.log`, `this.logger.info` or `log.child({}).warn`. */
function loggerName(callee: TSESTree.Node, loggers: ReadonlySet<string>): string | undefined {
  if (callee.type !== "MemberExpression") return undefined;
  const object = callee.object;
  const name =
    object.type === "Identifier" ? object.name : object.type === "MemberExpression" ? propertyKeyName(object) : undefined;
  return name !== undefined && loggers.has(name) ? name : undefined;
}

export default createRule<Options, MessageId>({
  name: "no-key-in-logs",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow passing Devin keys, or variables holding them, to console and loggers",
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        description: "Which objects count as loggers.",
        properties: {
          loggers: {
            type: "array",
            description: "Names of objects whose method calls write logs (`console`, `logger`, …). Replaces the default list.",
            items: { type: "string" },
            uniqueItems: true,
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ loggers: DEFAULT_LOGGERS }],
    messages: {
      keyInLog:
        "{{what}} is passed to {{logger}}: logs are kept, shipped and read by many, and a logged key must be revoked. Log whether it is set, or a redacted form.",
      logPresence: "Log whether it is set: Boolean({{text}}).",
    },
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    if (!mentionsAny(sourceCode.text, KEY_LITERALS) && !mentionsAny(sourceCode.text, DEVIN_LITERALS)) return {};
    const loggers = new Set(options.loggers ?? DEFAULT_LOGGERS);
    return {
      CallExpression(node) {
        const logger = loggerName(node.callee, loggers);
        if (logger === undefined) return;
        for (const arg of node.arguments) {
          const value = arg.type === "SpreadElement" ? arg.argument : arg;
          const credential = credentialIn(sourceCode, value, { throughObjects: true });
          if (!credential) continue;
          // `Boolean(x)` only for the credential itself: an object that holds it would always log `true`.
          const direct = (value.type === "Identifier" || value.type === "MemberExpression") && credentialIn(sourceCode, value) !== undefined;
          const text = sourceCode.getText(value);
          reportUnlessIgnored(context, {
            node: value,
            messageId: "keyInLog",
            data: { what: describe(credential), logger: sourceCode.getText(node.callee) },
            suggest: direct
              ? [{ messageId: "logPresence", data: { text }, fix: (fixer) => fixer.replaceText(value, `Boolean(${text})`) }]
              : [],
          });
        }
      },
    };
  },
});
