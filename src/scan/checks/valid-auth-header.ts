import { authHeaderMessage, authSchemeProblem, findKeysInRange, redactKeysIn, type KeyMatch } from "../../grammar/index.js";
import type { Detector, Hit } from "../types.js";
import { anotherHostBetween, devinUrlsAround, paragraphNamesAnotherHost, requestAt, sameRequest, statementNamesAnotherHost } from "./devin-urls.js";

/**
 * `valid-auth-header`: an `Authorization` header without the `Bearer ` scheme (a bare key,
 * `Token …`, `Basic …`) when it carries a Devin key, names a `DEVIN_…` variable, or is
 * part of a request to `api.devin.ai`: the API answers 401. Recognised forms: curl `-H`,
 * `.http` and YAML header lines, JSON/Python/Ruby/JS maps (`"Authorization": …`,
 * `=> …`), Go `Header.Set("Authorization", …)`, `req["Authorization"] = …`.
 */

const NAME_TAIL = "uthorization";
/** Longest header value looked at. */
const MAX_VALUE = 512;

interface HeaderValue {
  /** Index of the header name's first letter. */
  readonly start: number;
  /** The value as judged (string contents, or the rest of the line). */
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** What a string value is joined with (`"Token " + os.environ["DEVIN_API_KEY"]`): the credential. */
  readonly joined?: string;
}

function isWordish(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

function skipSpaces(text: string, i: number, limit: number): number {
  while (i < limit && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** Reads a quoted string at `i` (after an optional Python `f`/`r`/`b` prefix). */
function readQuoted(text: string, i: number, limit: number): { contents: string; start: number; end: number; closed: boolean } | undefined {
  if (/[frbFRB]/.test(text[i] ?? "") && /["']/.test(text[i + 1] ?? "")) i++;
  const q = text.charCodeAt(i);
  if (q !== 0x22 && q !== 0x27 && q !== 0x60) return undefined;
  let j = i + 1;
  while (j < limit) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) {
      j += 2;
      continue;
    }
    if (c === q || c === 0x0a || c === 0x0d) break;
    j++;
  }
  const closed = text.charCodeAt(j) === q;
  return { contents: text.slice(i + 1, Math.min(j, limit)), start: i + 1, end: Math.min(j, limit), closed };
}

/** A value that is a code expression (`apiKey`, `self.token`, `getToken()`): its content is unknown here. */
const IDENTIFIER_VALUE = /^[A-Za-z_][\w.]*(?:\(\))?[ \t]*(?:[,;)}]|$)/;
/**
 * An expression that is the Devin key itself: a `DEVIN_…` variable, environment lookup or
 * member (`DEVIN_API_KEY`, `$DEVIN_TOKEN`, `os.environ["DEVIN_API_KEY"]`, `process.env.DEVIN_KEY`).
 */
const DEVIN_REFERENCE =
  /^(?:[\w.]*DEVIN\w*|\$\{?\w*DEVIN\w*\}?|[\w.]*(?:environ|ENV|[Gg]etenv|env)[ \t]*[[(.][ \t]*["']?\w*DEVIN\w*["']?[ \t]*[\])]?)[ \t]*(?:[,;)}]|$)/i;
/** Files where `Authorization: value` is code, so an unquoted value is an expression. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|kts|cs|php|rs|swift|scala|vue|svelte|dart|groovy|lua|ex|exs)$/i;

/** Parses the header whose name's tail `uthorization` starts at `at`. */
function readHeader(text: string, at: number, codeFile: boolean): HeaderValue | undefined {
  const start = at - 1;
  const first = text.charCodeAt(start);
  if (first !== 0x41 && first !== 0x61) return undefined; // A or a
  if (start > 0 && isWordish(text.charCodeAt(start - 1))) return undefined;
  let i = at + NAME_TAIL.length;
  if (i < text.length && isWordish(text.charCodeAt(i))) return undefined;
  const limit = Math.min(text.length, i + MAX_VALUE);
  const before = start > 0 ? text.charCodeAt(start - 1) : 0;
  const nameQuoted = before === 0x22 || before === 0x27;
  let closedName = false;
  if (nameQuoted && text.charCodeAt(i) === before) {
    closedName = true;
    i++;
  }
  if (text.charCodeAt(i) === 0x5d /* ] */) i++;
  i = skipSpaces(text, i, limit);
  const sep = text.charCodeAt(i);
  if (text.startsWith("=>", i)) i += 2;
  else if (sep === 0x3a /* : */ || sep === 0x3d /* = */ || (sep === 0x2c /* , */ && closedName)) i++;
  else return undefined;
  if (text.charCodeAt(i) === 0x3d) return undefined; // `==`: a comparison
  i = skipSpaces(text, i, limit);
  if (nameQuoted && !closedName) {
    // `-H "Authorization: Token …"`: the value runs to the quote that opened the header.
    let j = i;
    while (j < limit && text.charCodeAt(j) !== before && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d) j++;
    return { start, value: text.slice(i, j), valueStart: i, valueEnd: j };
  }
  const quoted = readQuoted(text, i, limit);
  if (quoted !== undefined) {
    // `"Token " + key`: the credential follows the literal; judge the scheme with a stand-in.
    const value = quoted.closed && /[ \t]$/.test(quoted.contents) ? `${quoted.contents}x` : quoted.contents;
    const plus = skipSpaces(text, quoted.end + 1, limit);
    const joined = quoted.closed && text.charCodeAt(plus) === 0x2b ? /^[^,;)}\r\n]*/.exec(text.slice(plus + 1, limit))![0] : undefined;
    return { start, value, valueStart: quoted.start, valueEnd: quoted.end, ...(joined !== undefined ? { joined } : {}) };
  }
  let j = i;
  while (j < limit && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d) j++;
  const value = text.slice(i, j).replace(/[\s,;]+$/, "");
  if (closedName || codeFile || IDENTIFIER_VALUE.test(value)) {
    // An expression in code: only judged when it is a Devin key or the Devin key's variable.
    if (!/apk_|cog_/.test(value) && !DEVIN_REFERENCE.test(value)) return undefined;
  }
  return { start, value, valueStart: i, valueEnd: i + value.length };
}

/** Variables a header value reads: `$NAME`, `${NAME}`, `{name}` (f-strings, templates), `#{name}` (Ruby). */
const NAMED = /\$\{?([A-Za-z_]\w*)|#?\{([A-Za-z_][\w.]*)\}/g;

/** True when the value reads a variable whose name is not Devin's (another service's token). */
function namesOtherCredential(value: string): boolean {
  for (const m of value.matchAll(NAMED)) if (!/devin/i.test(m[1] ?? m[2]!)) return true;
  return false;
}

function nextNameTail(text: string, from: number): number {
  return text.indexOf(NAME_TAIL, from);
}

export const detectAuthHeader: Detector = (text, from, to, context) => {
  let at = nextNameTail(text, from);
  if (at === -1 || at > to) return [];
  const hits: Hit[] = [];
  const codeFile = CODE_FILE.test(context.path);
  for (; at !== -1 && at <= to; at = nextNameTail(text, at + NAME_TAIL.length)) {
    const header = readHeader(text, at, codeFile);
    if (header === undefined || header.start < from || header.start >= to) continue;
    const problem = authSchemeProblem(header.value);
    if (problem === undefined) continue;
    const key: KeyMatch | undefined = findKeysInRange(text, header.valueStart, header.valueEnd, { paranoid: context.paranoid })[0];
    let request = requestAt(devinUrlsAround(text, from, to), header.start);
    // Paired by paragraph (a request built over several statements) only when nothing says it
    // is another service's: its own statement or the paragraph names another host, or its value
    // names a credential that is not Devin's (`token $GITHUB_TOKEN`, `f"token {gh_token}"`).
    if (
      request !== undefined &&
      (anotherHostBetween(text, request, header.start) ||
        (!sameRequest(request, header.start) &&
          (statementNamesAnotherHost(text, header.start) || paragraphNamesAnotherHost(text, request) || namesOtherCredential(header.value))))
    ) {
      request = undefined;
    }
    if (key === undefined && request === undefined && !/devin/i.test(header.value) && !/devin/i.test(header.joined ?? "")) continue;
    const target = request === undefined ? "" : ` (request to ${redactKeysIn(request.parsed.host + request.path)})`;
    hits.push({
      ruleId: "valid-auth-header",
      start: header.start,
      end: key?.end ?? header.valueEnd,
      ...(key !== undefined ? { key } : {}),
      fingerprintSalt: key !== undefined ? problem.problem : `${problem.problem}\0${header.value.trim()}`,
      message: authHeaderMessage(problem) + target,
    });
  }
  return hits;
};
// `AUTHORIZATION` in capitals is not a trigger: one literal less for every file's gate, for a
// spelling HTTP code does not use.
detectAuthHeader.triggers = [NAME_TAIL];
