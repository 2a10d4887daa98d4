import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, streamGit, unquotePath } from "../../src/sources/git-process.js";
import { parseHunkHeader, parseRawFields, validateRef } from "../../src/sources/git.js";

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const n of sizes) {
    if (at >= data.length) break;
    yield data.subarray(at, at + n);
    at += n;
  }
  if (at < data.length) yield data.subarray(at);
}

describe("git plumbing helpers", () => {
  it("ByteReader returns the same lines whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "binary-ascii" }).map((s) => s.replace(/\n/g, "")), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 7 })), async (lines, sizes) => {
        const data = Buffer.from(lines.map((l) => l + "\n").join(""), "latin1");
        const reader = new ByteReader(chunked(data, sizes));
        const got: string[] = [];
        for (let l = await reader.readLine(); l !== null; l = await reader.readLine()) got.push(l.toString("latin1"));
        expect(got).toEqual(lines);
      }),
    );
  });

  it("keeps the output of a git process that exits before anyone reads it (a staged scan starts git early)", async () => {
    const stream = streamGit(process.cwd(), ["version"], "git version");
    // Node throws away the output of a child that exits while nobody listens to it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stream.finished();
    expect((await stream.reader.readLine())?.toString()).toMatch(/^git version \d/);
    expect(await stream.reader.readLine()).toBeNull();
  });

  it("ByteReader keeps only `limit` bytes of a long line and stays aligned for readBytes", async () => {
    const data = Buffer.concat([Buffer.from("x".repeat(100_000) + "\nhead 5\n"), Buffer.from("abcde\nrest")]);
    const reader = new ByteReader(chunked(data, Array(200).fill(999)));
    expect((await reader.readLine(10))!.toString()).toBe("xxxxxxxxxx");
    expect((await reader.readLine())!.toString()).toBe("head 5");
    const body: Buffer[] = [];
    for await (const c of reader.readBytes(5)) body.push(Buffer.from(c));
    expect(Buffer.concat(body).toString()).toBe("abcde");
    for await (const _ of reader.readBytes(1));
    expect((await reader.readLine())!.toString()).toBe("rest");
    expect(await reader.readLine()).toBeNull();
  });

  it("unquotes git's C-quoted paths, octal UTF-8 included", () => {
    expect(unquotePath("plain name.txt")).toBe("plain name.txt");
    expect(unquotePath('"b/new\\nline.txt"')).toBe("b/new\nline.txt");
    expect(unquotePath('"b/\\303\\251.txt"')).toBe("b/é.txt");
    expect(unquotePath('"b/quo\\"te\\\\\\t.env"')).toBe('b/quo"te\\\t.env');
  });

  it("reads the new-side range of hunk headers", () => {
    expect(parseHunkHeader("@@ -0,0 +1,3 @@")).toEqual({ start: 1, count: 3 });
    expect(parseHunkHeader("@@ -5 +7 @@ function f() {")).toEqual({ start: 7, count: 1 });
    expect(parseHunkHeader("@@ -5,2 +4,0 @@")).toEqual({ start: 4, count: 0 });
    expect(() => parseHunkHeader("@@ nonsense")).toThrow(/hunk header/);
  });

  it("parses raw -z listings with renames and odd paths", () => {
    const z = ":100644 100644 aaaa bbbb M\0a b.txt\0:100644 100644 cccc dddd R087\0old\nname\0new\nname\0:000000 160000 0000 eeee A\0sub\0";
    expect(parseRawFields(z.split("\0"))).toEqual([
      { dstMode: "100644", dstSha: "bbbb", status: "M", path: "a b.txt" },
      { dstMode: "100644", dstSha: "dddd", status: "R087", path: "new\nname" },
      { dstMode: "160000", dstSha: "eeee", status: "A", path: "sub" },
    ]);
  });

  it("accepts ref syntax and rejects options, ranges and shell", () => {
    for (const ok of ["main", "origin/main", "v1.2.0", "HEAD~3", "HEAD^", "main@{1}", "v1^{}", "feature/x-y_z", "0123abcd"]) {
      expect(() => validateRef(ok, "--diff"), ok).not.toThrow();
    }
    for (const bad of ["", "-x", "--output=x", "$(id)", "`id`", "a b", "a;b", "main..x", "a|b", "a\nb"]) {
      expect(() => validateRef(bad, "--diff"), bad).toThrow(/invalid git ref/);
    }
  });
});
