import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileChunks, READ_CHUNK, readSmallFile, WHOLE_FILE_LIMIT } from "../../src/sources/file.js";
import { tempDir } from "../support/cli.js";

describe("readSmallFile", () => {
  it("reads a file whole, into the caller's buffer when given one", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.txt");
    writeFileSync(file, "hello\nworld\n");
    expect(readSmallFile(file, false)?.toString()).toBe("hello\nworld\n");
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    const bytes = readSmallFile(file, false, into)!;
    expect(bytes.buffer).toBe(into.buffer);
    expect(bytes.toString()).toBe("hello\nworld\n");
    writeFileSync(file, "");
    expect(readSmallFile(file, false, into)?.length).toBe(0);
  });

  it("lets the caller choose the buffer from the file's size (the byte gate, built for a large file)", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.txt");
    writeFileSync(file, "x".repeat(5000));
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    const sizes: number[] = [];
    const chosen = readSmallFile(file, false, (size) => (sizes.push(size), into))!;
    expect(sizes).toEqual([5000]);
    expect(chosen.buffer).toBe(into.buffer);
    const pooled = readSmallFile(file, false, () => undefined)!;
    expect(pooled.buffer).not.toBe(into.buffer);
    expect(pooled.toString()).toBe("x".repeat(5000));
  });

  it("reads a file of a few MiB whole, and leaves one of WHOLE_FILE_LIMIT bytes or more to fileChunks", () => {
    const dir = tempDir();
    const file = path.join(dir, "big.txt");
    writeFileSync(file, Buffer.alloc(3 * READ_CHUNK + 5, "b"));
    expect(readSmallFile(file, false)?.length).toBe(3 * READ_CHUNK + 5);
    writeFileSync(file, Buffer.alloc(WHOLE_FILE_LIMIT, "a"));
    expect(readSmallFile(file, false)).toBeUndefined();
    expect(readSmallFile(file, false, Buffer.alloc(WHOLE_FILE_LIMIT))).toBeUndefined();
    let total = 0;
    let chunks = 0;
    for (const chunk of fileChunks(file, false)) {
      total += chunk.length;
      chunks++;
    }
    expect(total).toBe(WHOLE_FILE_LIMIT);
    expect(chunks).toBe(WHOLE_FILE_LIMIT / READ_CHUNK);
  });

  it("reads only the first chunk of a larger file that `wanted` turns down (a binary file)", () => {
    const dir = tempDir();
    const file = path.join(dir, "tool.bin");
    writeFileSync(file, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.alloc(3 * READ_CHUNK, 1)]));
    const heads: number[] = [];
    const refused = readSmallFile(file, false, undefined, (head) => (heads.push(head.length), false));
    expect(heads).toEqual([READ_CHUNK]);
    expect(refused?.length).toBe(READ_CHUNK);
    expect(readSmallFile(file, false, undefined, () => true)?.length).toBe(3 * READ_CHUNK + 7);
    // A file of one chunk or less is read whole without asking.
    writeFileSync(file, Buffer.alloc(READ_CHUNK, 0));
    expect(readSmallFile(file, false, undefined, () => false)?.length).toBe(READ_CHUNK);
  });

  // /proc files report size 0 and are read a page at a time: a short read is not their end.
  it.runIf(existsSync("/proc/self/maps"))("reads on past short reads when fstat's size is not reached (/proc files)", () => {
    const bytes = readSmallFile("/proc/self/maps", true);
    expect(bytes).toBeDefined();
    // The process maps dozens of regions: far more than the first page.
    expect(bytes!.length).toBeGreaterThan(4096);
    expect(bytes!.toString()).toContain("[stack]");
    expect(readFileSync("/proc/self/maps").length).toBeGreaterThan(4096);
  });
});
