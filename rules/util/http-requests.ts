import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
// The subpath, not the package index: the index also loads ESLint and the scope manager (≈ 300 modules).
import * as ASTUtils from "@typescript-eslint/utils/ast-utils";
import { parseDevinUrl, type DevinUrl } from "../../src/grammar/index.js";
import { findProperty, objectLiteralOf } from "./object-literal.js";
import { propertyKeyName } from "./resolve-variable.js";
import { staticString, type StaticString } from "./static-string.js";

/**
 * The HTTP requests of a file, as far as they can be read statically: `fetch`, axios (calls,
 * config objects, `axios.create` instances), got and ky (calls, `extend`/`create` instances),
 * with their URL and `Authorization` header. Computed once per file and shared by the rules.
 */

export type HttpLibrary = "fetch" | "axios" | "got" | "ky";

export interface AuthorizationHeader {
  readonly property: TSESTree.Property;
  readonly value: TSESTree.Expression;
}

export interface HttpRequest {
  /** The call (or `axios.create(…)`-style instance definition) that sends the request. */
  readonly node: TSESTree.CallExpression;
  readonly library: HttpLibrary;
  /** The expression giving the URL or path, when there is one. */
  readonly urlNode?: TSESTree.Node;
  /** Full URL (base joined) as far as known. */
  readonly url?: StaticString;
  /** The URL classified against the Devin API; undefined when it is not for `api.devin.ai`. */
  readonly devinUrl?: DevinUrl;
  /** The `Authorization` header written at this call (not inherited). */
  readonly authorization?: AuthorizationHeader;
  /** The `Authorization` header inherited from an instance's defaults. */
  readonly inheritedAuthorization?: AuthorizationHeader;
  /** True for an instance definition (`axios.create`, `got.extend`, `ky.create`): its URL is a base. */
  readonly isInstance: boolean;
}

type SourceCode = Readonly<TSESLint.SourceCode>;

const cache = new WeakMap<object, readonly HttpRequest[]>();

/** Methods whose first argument is the URL and second the options (axios: the config). */
const URL_FIRST_METHODS = new Set(["get", "delete", "head", "options", "post", "put", "patch", "postForm", "putForm", "patchForm", "json", "stream", "paginate"]);
/** axios methods whose config comes third, after the body. */
const AXIOS_BODY_METHODS = new Set(["post", "put", "patch", "postForm", "putForm", "patchForm"]);
const INSTANCE_FACTORIES = new Set(["create", "extend"]);
const FETCH_GLOBAL_OBJECTS = new Set(["window", "globalThis", "self", "global"]);

const { ReferenceTracker } = ASTUtils;
type TraceMap = Parameters<InstanceType<typeof ReferenceTracker>["iterateEsmReferences"]>[0];
const CALL = ReferenceTracker.CALL;
type FoundReference = ReturnType<InstanceType<typeof ReferenceTracker>["iterateEsmReferences"]> extends Iterable<infer R> ? R : never;
/** `iteratePropertyReferences` exists on the tracker (eslint-utils) but is missing from typescript-eslint's typings. */
interface PropertyTracker {
  iteratePropertyReferences(node: TSESTree.Node, traceMap: TraceMap[string]): Iterable<FoundReference>;
}

function traceMapFor(module: string): TraceMap {
  const methods: Record<string | symbol, unknown> = { [CALL]: module };
  for (const m of [...URL_FIRST_METHODS, "request", ...INSTANCE_FACTORIES]) methods[m] = { [CALL]: module };
  return { [module]: methods } as unknown as TraceMap;
}

const TRACE_MAP: TraceMap = {
  ...traceMapFor("axios"),
  ...traceMapFor("got"),
  ...traceMapFor("ky"),
};

interface Config {
  readonly object?: TSESTree.ObjectExpression;
  readonly base?: StaticString;
  readonly authorization?: AuthorizationHeader;
}

function authorizationIn(sourceCode: SourceCode, options: TSESTree.ObjectExpression | undefined): AuthorizationHeader | undefined {
  if (!options) return undefined;
  const headers = findProperty(sourceCode, options, "headers");
  const headersObject = headers && objectLiteralOf(sourceCode, headers.value);
  const property = headersObject && findProperty(sourceCode, headersObject, "authorization", true);
  if (!property || property.value.type === "AssignmentPattern" || property.value.type === "TSEmptyBodyFunctionExpression") return undefined;
  return { property, value: property.value as TSESTree.Expression };
}

function configOf(sourceCode: SourceCode, library: HttpLibrary, node: TSESTree.Node | undefined): Config {
  const object = objectLiteralOf(sourceCode, node);
  if (!object) return {};
  const baseKey = library === "axios" ? "baseURL" : "prefixUrl";
  const baseProperty = findProperty(sourceCode, object, baseKey) ?? (library === "ky" ? findProperty(sourceCode, object, "prefix") : undefined);
  const base = baseProperty && staticString(sourceCode, baseProperty.value);
  const authorization = authorizationIn(sourceCode, object);
  return { object, ...(base ? { base } : {}), ...(authorization ? { authorization } : {}) };
}

/** Joins a base URL and a path the way axios, got and ky do (one `/` between them). */
function joinUrl(base: StaticString | undefined, path: StaticString | undefined): StaticString | undefined {
  if (!path) return base && { text: base.text, complete: false };
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(path.text) || !base) return path;
  if (!base.complete) return undefined;
  if (path.text === "") return base;
  return { text: `${base.text.replace(/\/+$/, "")}/${path.text.replace(/^\/+/, "")}`, complete: path.complete };
}

export function devinUrlOf(url: StaticString | undefined, pathOnly: boolean): DevinUrl | undefined {
  if (!url) return undefined;
  // An incomplete URL is only known up to its last `/`: a half-written segment is not a version.
  const text = url.complete ? url.text : url.text.slice(0, url.text.lastIndexOf("/") + 1);
  if (text === "") return undefined;
  // got and ky take paths without the leading `/` (`api.get("v3/self")`).
  return parseDevinUrl(pathOnly && !text.startsWith("/") && !text.includes("//") ? `/${text}` : text, pathOnly);
}

interface Instance {
  readonly library: HttpLibrary;
  readonly config: Config;
}

function buildRequest(
  sourceCode: SourceCode,
  node: TSESTree.CallExpression,
  library: HttpLibrary,
  method: string | undefined,
  instance: Instance | undefined,
): HttpRequest | undefined {
  const args = node.arguments;
  const first = args[0];
  let urlNode: TSESTree.Node | undefined;
  let config: Config;
  if (method !== undefined && INSTANCE_FACTORIES.has(method)) {
    config = configOf(sourceCode, library, first);
    const base = config.base;
    return {
      node,
      library,
      isInstance: true,
      ...(base ? { url: base, devinUrl: devinUrlOf(base, false) } : {}),
      ...(config.authorization ? { authorization: config.authorization } : {}),
      ...(config.object ? { urlNode: findProperty(sourceCode, config.object, library === "axios" ? "baseURL" : "prefixUrl")?.value } : {}),
    };
  }
  if (library === "axios" && (method === "request" || (method === undefined && first && objectLiteralOf(sourceCode, first)))) {
    // axios(config) / axios.request(config)
    config = configOf(sourceCode, library, first);
    urlNode = config.object && findProperty(sourceCode, config.object, "url")?.value;
  } else {
    urlNode = first && first.type !== "SpreadElement" ? first : undefined;
    const optionsIndex = library === "axios" && method !== undefined && AXIOS_BODY_METHODS.has(method) ? 2 : 1;
    config = configOf(sourceCode, library, args[optionsIndex]);
  }
  const base = config.base ?? instance?.config.base;
  const path = urlNode ? staticString(sourceCode, urlNode) : undefined;
  const url = library === "fetch" ? path : joinUrl(base, path);
  let devinUrl = devinUrlOf(url, false);
  // A base known only in part (`${HOST}/`) that is still the Devin API: judge the path alone.
  if (!devinUrl && base && path && !path.text.includes("//") && devinUrlOf(base, false)) {
    devinUrl = devinUrlOf({ text: `/${path.text.replace(/^\/+/, "")}`, complete: path.complete }, true);
  }
  const inherited = instance?.config.authorization;
  return {
    node,
    library,
    isInstance: false,
    ...(urlNode ? { urlNode } : {}),
    ...(url ? { url } : {}),
    ...(devinUrl ? { devinUrl } : {}),
    ...(config.authorization ? { authorization: config.authorization } : {}),
    ...(inherited ? { inheritedAuthorization: inherited } : {}),
  };
}

function memberName(node: TSESTree.Node): string | undefined {
  return node.type === "MemberExpression" ? propertyKeyName(node) : undefined;
}

function isFetchCallee(callee: TSESTree.Node): boolean {
  if (callee.type === "Identifier") return callee.name === "fetch";
  return (
    callee.type === "MemberExpression" &&
    memberName(callee) === "fetch" &&
    callee.object.type === "Identifier" &&
    FETCH_GLOBAL_OBJECTS.has(callee.object.name)
  );
}

/** The HTTP library a `require("…")` call loads, if it is one we trace. */
function requiredModule(node: TSESTree.CallExpression): string | undefined {
  const arg = node.arguments[0];
  if (node.callee.type !== "Identifier" || node.callee.name !== "require" || arg?.type !== "Literal") return undefined;
  return typeof arg.value === "string" && Object.hasOwn(TRACE_MAP, arg.value) ? arg.value : undefined;
}

/** Calls made on an instance variable: `api(…)`, `api.get(…)`, `api.request(…)`. */
function instanceCalls(
  sourceCode: SourceCode,
  definition: TSESTree.CallExpression,
): { node: TSESTree.CallExpression; method: string | undefined }[] {
  const declarator = definition.parent;
  if (declarator?.type !== "VariableDeclarator" || declarator.id.type !== "Identifier") return [];
  const variable = sourceCode.getDeclaredVariables(declarator)[0];
  if (!variable) return [];
  const calls: { node: TSESTree.CallExpression; method: string | undefined }[] = [];
  for (const reference of variable.references) {
    const id = reference.identifier;
    const parent = id.parent;
    if (parent?.type === "CallExpression" && parent.callee === id) calls.push({ node: parent, method: undefined });
    else if (parent?.type === "MemberExpression" && parent.object === id && parent.parent?.type === "CallExpression" && parent.parent.callee === parent) {
      const method = memberName(parent);
      if (method !== undefined && (URL_FIRST_METHODS.has(method) || method === "request")) calls.push({ node: parent.parent, method });
    }
  }
  return calls;
}

/** Visits every node, without recursion: generated code nests deeper than the call stack allows. */
function walk(root: TSESTree.Node, keys: Readonly<Record<string, readonly string[] | undefined>>, visit: (n: TSESTree.Node) => void): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i] as TSESTree.Node | null;
          if (c && typeof c.type === "string") stack.push(c);
        }
      } else if (child && typeof (child as TSESTree.Node).type === "string") {
        stack.push(child as TSESTree.Node);
      }
    }
  }
}

/** Every HTTP request of the file (computed once per file, whichever rule asks first). */
export function httpRequests(sourceCode: SourceCode): readonly HttpRequest[] {
  const cached = cache.get(sourceCode);
  if (cached) return cached;
  const requests: HttpRequest[] = [];
  const seen = new Set<TSESTree.Node>();
  const add = (request: HttpRequest | undefined): void => {
    if (request && !seen.has(request.node)) {
      seen.add(request.node);
      requests.push(request);
    }
  };

  const tracker = new ReferenceTracker(sourceCode.scopeManager!.globalScope!);
  const found = [...tracker.iterateEsmReferences(TRACE_MAP)];
  const fetchCalls: TSESTree.CallExpression[] = [];
  walk(sourceCode.ast, sourceCode.visitorKeys as Record<string, readonly string[]>, (node) => {
    if (node.type !== "CallExpression") return;
    if (isFetchCallee(node.callee)) fetchCalls.push(node);
    // `require("axios")`: traced from the call, since `require` is rarely a declared global.
    const module = requiredModule(node);
    if (module !== undefined) {
      for (const reference of (tracker as unknown as PropertyTracker).iteratePropertyReferences(node, TRACE_MAP[module]!)) found.push({ ...reference, path: [module, ...reference.path] });
    }
  });
  for (const { node, path, info } of found) {
    if (node.type !== "CallExpression") continue;
    const library = info as HttpLibrary;
    const method = path.length > 1 ? path[path.length - 1] : undefined;
    const request = buildRequest(sourceCode, node, library, method, undefined);
    add(request);
    if (method !== undefined && INSTANCE_FACTORIES.has(method)) {
      const instance: Instance = { library, config: configOf(sourceCode, library, node.arguments[0]) };
      for (const call of instanceCalls(sourceCode, node)) add(buildRequest(sourceCode, call.node, library, call.method, instance));
    }
  }

  for (const node of fetchCalls) add(buildRequest(sourceCode, node, "fetch", undefined, undefined));
  requests.sort((a, b) => a.node.range[0] - b.node.range[0]);
  cache.set(sourceCode, requests);
  return requests;
}
