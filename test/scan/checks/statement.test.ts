import { describe, expect, it } from "vitest";
import { MAX_STATEMENT_LINES, paragraphAround, segmentStatements, yamlBlockAround } from "../../../src/scan/checks/statement.js";
import { readDevinUrl } from "../../../src/scan/checks/devin-urls.js";
import { HOST } from "./support.js";

/** The statements of `text` as lists of 1-based line numbers. */
function statementLines(text: string): number[][] {
  const lineOf = (i: number) => text.slice(0, i).split("\n").length;
  return segmentStatements(text, 0, text.length).map((s) => {
    const first = lineOf(s.start);
    const last = lineOf(s.end);
    return Array.from({ length: last - first + 1 }, (_, k) => first + k);
  });
}

const lineText = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe("segmentStatements", () => {
  it("joins curl line continuations and separates consecutive commands", () => {
    const text = ["curl -X POST \\", '  "$URL" \\', '  -H "A: b"', "curl next", "", "echo done"].join("\n");
    expect(statementLines(text)).toEqual([[1, 2, 3], [4], [6]]);
  });

  it("joins lines while brackets are open (Python, Go, JS calls), ignoring brackets in strings", () => {
    const text = ["r = requests.post(", '    "https://x/(",', "    headers={", '        "A": "b",', "    },", ")", "x = 1"].join("\n");
    expect(statementLines(text)).toEqual([[1, 2, 3, 4, 5, 6], [7]]);
  });

  it("keeps an HTTP request line with its header lines, and stops at a blank line or ###", () => {
    const text = ["### one", "GET https://x/a", "Authorization: Bearer t", "Accept: */*", "", "{}", "###", "POST https://x/b"].join("\n");
    expect(statementLines(text)).toEqual([[2, 3, 4], [6], [8]]);
  });

  it("never crosses a Markdown fence, and bounds a statement an unbalanced bracket keeps open", () => {
    const fenced = ["```sh", "curl a \\", "```", "curl b"].join("\n");
    expect(statementLines(fenced)).toEqual([[2], [4]]);
    const prose = ["Note (see below", ...Array.from({ length: MAX_STATEMENT_LINES + 5 }, (_, i) => `line ${i}`)].join("\n");
    expect(statementLines(prose).every((s) => s.length <= MAX_STATEMENT_LINES)).toBe(true);
  });
});

describe("yamlBlockAround", () => {
  it("is the mapping of a `url:` line: siblings before and after, with their children", () => {
    const text = ["request:", "  method: GET", `  url: https://${HOST}/v1/x`, "  headers:", "    Authorization: Bearer t", "other: 1"].join("\n");
    const block = yamlBlockAround(text, text.indexOf("https"))!;
    expect(lineText(text, block)).toBe(["  method: GET", `  url: https://${HOST}/v1/x`, "  headers:", "    Authorization: Bearer t"].join("\n"));
  });

  it("is one list item when the URL opens it, or sits in it", () => {
    const text = ["- url: https://a/1", "  headers: {}", "- name: b", "  url: https://a/2", "  headers: {}", "- url: https://a/3"].join("\n");
    expect(lineText(text, yamlBlockAround(text, text.indexOf("https://a/1"))!)).toBe("- url: https://a/1\n  headers: {}");
    expect(lineText(text, yamlBlockAround(text, text.indexOf("https://a/2"))!)).toBe("- name: b\n  url: https://a/2\n  headers: {}");
  });

  it("is undefined when the URL is not the value of a key", () => {
    const text = "curl https://a/1 -H 'x: y'";
    expect(yamlBlockAround(text, text.indexOf("https"))).toBeUndefined();
  });
});

describe("paragraphAround", () => {
  it("is the run of non-blank lines, inside the fence", () => {
    const text = ["intro", "", "```go", "a", "b", "```", "after"].join("\n");
    expect(lineText(text, paragraphAround(text, text.indexOf("b")))).toBe("a\nb");
  });
});

describe("readDevinUrl", () => {
  const read = (s: string) => readDevinUrl(s, s.indexOf(HOST));
  it("reads the version of api.devin.ai URLs, escaped slashes included", () => {
    expect(read(`"https://${HOST}/v3beta1/x"`)?.parsed).toMatchObject({ kind: "known", version: "v3beta1" });
    expect(read(`"https:\\/\\/${HOST}\\/v4\\/x"`)?.parsed).toMatchObject({ kind: "unknown", segment: "v4", suggestion: "v3" });
    expect(read(`https://${HOST}:443/v1/x`)?.parsed).toMatchObject({ kind: "known", version: "v1" });
    expect(read(`BASE=https://${HOST}\n`)?.parsed.kind).toBe("root");
  });

  it("rejects other hosts that contain the name", () => {
    expect(read(`https://x${HOST}/v1/`)).toBeUndefined();
    expect(read(`https://${HOST}.example.com/v1/`)).toBeUndefined();
    expect(read(`https://${HOST}x/v1/`)).toBeUndefined();
  });

  it("marks paths cut by a placeholder", () => {
    expect(read(`f"https://${HOST}/{version}/x"`)).toMatchObject({ templated: true, path: "/" });
  });
});
