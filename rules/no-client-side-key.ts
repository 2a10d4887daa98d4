import type { TSESTree } from "@typescript-eslint/utils";
import {
  DEFAULT_CLIENT_GLOBS,
  DEFAULT_PUBLIC_ENV_MODULES,
  DEFAULT_PUBLIC_ENV_PREFIXES,
  DEFAULT_SERVER_GLOBS,
  findKeys,
  isDevinSecretEnvName,
  kindLabel,
  redact,
  SERVER_DATA_FUNCTIONS,
} from "../src/grammar/index.js";
import { createRule } from "./util/create-rule.js";
import { envObjectName, envReference, type EnvReference } from "./util/env-reference.js";
import { fileSide } from "./util/file-side.js";
import { httpRequests } from "./util/http-requests.js";
import { reportUnlessIgnored } from "./util/ignore-directive.js";
import { DEVIN_LITERALS, KEY_LITERALS, mentionsAny } from "./util/prefilter.js";
import { initializerOf, propertyKeyName } from "./util/resolve-variable.js";

export type MessageId = "publicEnv" | "secretEnvInClient" | "keyInClient" | "apiCallInClient";
export type Options = [
  { publicEnvPrefixes?: string[]; publicEnvModules?: string[]; clientGlobs?: string[]; serverGlobs?: string[] },
];

/** `useRuntimeConfig().public.x` or `config.public.x` with `config = useRuntimeConfig()` (Nuxt). */
function isNuxtPublicConfig(sourceCode: Parameters<typeof initializerOf>[0], node: TSESTree.Node): boolean {
  if (node.type !== "MemberExpression" || propertyKeyName(node) !== "public") return false;
  let object: TSESTree.Node | undefined = node.object;
  if (object.type === "Identifier") object = initializerOf(sourceCode, object);
  return (
    object?.type === "CallExpression" && object.callee.type === "Identifier" && object.callee.name === "useRuntimeConfig"
  );
}

const stringArray = (description: string) => ({ type: "array" as const, description, items: { type: "string" as const }, uniqueItems: true });

const SERVER_DATA = new Set(SERVER_DATA_FUNCTIONS);

/** True when `node` is inside `function getServerSideProps` or `const getStaticProps = …` (a page's server side). */
function inServerDataFunction(node: TSESTree.Node): boolean {
  for (let n: TSESTree.Node | undefined = node; n; n = n.parent) {
    if (n.type === "FunctionDeclaration" && n.id && SERVER_DATA.has(n.id.name)) return true;
    if ((n.type === "ArrowFunctionExpression" || n.type === "FunctionExpression") && n.parent?.type === "VariableDeclarator") {
      const id = n.parent.id;
      if (id.type === "Identifier" && SERVER_DATA.has(id.name)) return true;
    }
  }
  return false;
}

export default createRule<Options, MessageId>({
  name: "no-client-side-key",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow Devin keys, key-holding env variables and authenticated Devin API calls in code that ships to browsers",
      recommended: true,
    },
    schema: [
      {
        type: "object",
        description: "What counts as public configuration and as client code.",
        properties: {
          publicEnvPrefixes: stringArray("Env variable prefixes that bundlers inline into client code (`NEXT_PUBLIC_`, `VITE_`, …). Replaces the default list."),
          publicEnvModules: stringArray("Modules whose every export is public (`$env/static/public`, …). Replaces the default list."),
          clientGlobs: stringArray("Files that ship to browsers (picomatch, relative to the working directory). Replaces the default list."),
          serverGlobs: stringArray("Files that never ship to browsers; they win over client globs. Replaces the default list."),
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [
      {
        publicEnvPrefixes: [...DEFAULT_PUBLIC_ENV_PREFIXES],
        publicEnvModules: [...DEFAULT_PUBLIC_ENV_MODULES],
        clientGlobs: [...DEFAULT_CLIENT_GLOBS],
        serverGlobs: [...DEFAULT_SERVER_GLOBS],
      },
    ],
    messages: {
      publicEnv:
        "{{name}} holds a Devin credential but is public ({{why}}): the bundler inlines it into browser code, where anyone can read it. Keep the key in a server-only variable and call the Devin API from the server.",
      secretEnvInClient:
        "{{name}} holds a Devin credential and is read in client code: in a browser it is either undefined or bundled for anyone to read. Call the Devin API from a server route instead.",
      keyInClient:
        "{{kind}} {{redacted}} is in code that ships to browsers: anyone can read it from the bundle. Revoke it and call the Devin API from the server.",
      apiCallInClient:
        "Authenticated Devin API call in code that ships to browsers: the credential travels with the bundle. Move this call to a server route.",
    },
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;
    if (!mentionsAny(text, KEY_LITERALS) && !mentionsAny(text, DEVIN_LITERALS)) return {};
    const side = fileSide(context, { clientGlobs: options.clientGlobs ?? [], serverGlobs: options.serverGlobs ?? [] });
    if (side === "server") return {};
    const prefixes = options.publicEnvPrefixes ?? [];
    const publicModules = new Set(options.publicEnvModules ?? []);
    const reportedRanges: TSESTree.Range[] = [];
    // `env.X` needs a scope lookup; only files importing SvelteKit's `$env/…` modules can have one.
    const importsEnvModule = sourceCode.ast.body.some((s) => s.type === "ImportDeclaration" && s.source.value.startsWith("$env/"));

    function publicBecause(env: EnvReference): string | undefined {
      if (publicModules.has(env.source)) return `exported by ${env.source}`;
      const prefix = prefixes.find((p) => env.name.startsWith(p));
      return prefix === undefined ? undefined : `the ${prefix} prefix`;
    }

    function checkEnv(node: TSESTree.Node, env: EnvReference): void {
      if (!isDevinSecretEnvName(env.name)) return;
      const why = publicBecause(env);
      const name = env.source.startsWith("$env/") ? env.name : `${env.source}.${env.name}`;
      if (why !== undefined) {
        reportedRanges.push(node.range);
        reportUnlessIgnored(context, { node, messageId: "publicEnv", data: { name, why } });
      } else if (side === "client" && !inServerDataFunction(node)) {
        reportedRanges.push(node.range);
        reportUnlessIgnored(context, { node, messageId: "secretEnvInClient", data: { name } });
      }
    }

    return {
      MemberExpression(node) {
        if (node.object.type === "MemberExpression" && envObjectName(node.object) !== undefined) {
          const env = envReference(sourceCode, node);
          if (env) checkEnv(node, env);
        } else if (isNuxtPublicConfig(sourceCode, node.object)) {
          const name = propertyKeyName(node);
          if (name !== undefined && isDevinSecretEnvName(name)) {
            reportedRanges.push(node.range);
            reportUnlessIgnored(context, { node, messageId: "publicEnv", data: { name, why: "Nuxt runtimeConfig.public" } });
          }
        } else if (importsEnvModule && node.object.type === "Identifier" && !node.computed) {
          const env = envReference(sourceCode, node);
          if (env?.source.startsWith("$env/")) checkEnv(node, env);
        }
      },
      ImportDeclaration(node) {
        if (!node.source.value.startsWith("$env/")) return;
        for (const specifier of node.specifiers) {
          if (specifier.type !== "ImportSpecifier") continue;
          const name = specifier.imported.type === "Identifier" ? specifier.imported.name : String(specifier.imported.value);
          checkEnv(specifier, { name, source: node.source.value });
        }
      },
      "VariableDeclarator > ObjectPattern.id"(pattern: TSESTree.ObjectPattern) {
        const declarator = pattern.parent as TSESTree.VariableDeclarator;
        const source = declarator.init ? envObjectName(declarator.init) : undefined;
        if (source === undefined) return;
        for (const property of pattern.properties) {
          const name = property.type === "Property" ? propertyKeyName(property) : undefined;
          if (name !== undefined) checkEnv(property, { name, source });
        }
      },
      "Program:exit"() {
        if (side !== "client") return;
        if (mentionsAny(text, KEY_LITERALS)) {
          for (const key of findKeys(text)) {
            const at = sourceCode.getNodeByRangeIndex(key.start);
            if (at && inServerDataFunction(at)) continue;
            reportedRanges.push([key.start, key.end]);
            reportUnlessIgnored(context, {
              loc: { start: sourceCode.getLocFromIndex(key.start), end: sourceCode.getLocFromIndex(key.end) },
              messageId: "keyInClient",
              data: { kind: kindLabel(key.kind), redacted: redact(key.raw) },
            });
          }
        }
        if (!text.includes("devin.ai")) return;
        for (const request of httpRequests(sourceCode)) {
          const header = request.authorization;
          if (!request.devinUrl || !header || inServerDataFunction(request.node)) continue;
          const [start, end] = header.property.range;
          // The credential itself was already reported on this header: one report per mistake.
          if (reportedRanges.some(([s, e]) => s >= start && e <= end)) continue;
          reportUnlessIgnored(context, { node: header.property, messageId: "apiCallInClient" });
        }
      },
    };
  },
});
