import { closeSync, existsSync, mkdirSync, openSync, readFileSync, constants as fsConstants, writeFileSync, writeSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileChunks, NotRegularFileError, READ_CHUNK, readSmallFile, WHOLE_FILE_LIMIT } from "../../src/sources/file.js";
import { tempDir } from "../support/cli.js";

describe("readSmallFile", () => {
  it("reads a file whole, into the caller's buffer when given one", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.txt");
    writeFileSync(file, "hello\nworld\n");
    expect(readSmallFile(file, { follow: false })?.toString()).toBe("hello\nworld\n");
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    const bytes = readSmallFile(file, { follow: false, into })!;
    expect(bytes.buffer).toBe(into.buffer);
    expect(bytes.toString()).toBe("hello\nworld\n");
    writeFileSync(file, "");
    expect(readSmallFile(file, { follow: false, into })?.length).toBe(0);
  });

  it("lets the caller choose the buffer from the file's size (the byte gate, built for a large file)", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.txt");
    writeFileSync(file, "x".repeat(5000));
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    const sizes: (number | undefined)[] = [];
    const chosen = readSmallFile(file, { follow: false, into: (size) => (sizes.push(size), into) })!;
    expect(sizes).toEqual([5000]);
    expect(chosen.buffer).toBe(into.buffer);
    const pooled = readSmallFile(file, { follow: false, into: () => undefined })!;
    expect(pooled.buffer).not.toBe(into.buffer);
    expect(pooled.toString()).toBe("x".repeat(5000));
  });

  it("reads a file of a few MiB whole, and leaves one of WHOLE_FILE_LIMIT bytes or more to fileChunks", () => {
    const dir = tempDir();
    const file = path.join(dir, "big.txt");
    writeFileSync(file, Buffer.alloc(3 * READ_CHUNK + 5, "b"));
    expect(readSmallFile(file, { follow: false })?.length).toBe(3 * READ_CHUNK + 5);
    writeFileSync(file, Buffer.alloc(WHOLE_FILE_LIMIT, "a"));
    expect(readSmallFile(file, { follow: false })).toBeUndefined();
    expect(readSmallFile(file, { follow: false, into: Buffer.alloc(WHOLE_FILE_LIMIT) })).toBeUndefined();
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
    const refused = readSmallFile(file, { follow: false, wanted: (head) => (heads.push(head.length), false) });
    expect(heads).toEqual([READ_CHUNK]);
    expect(refused?.length).toBe(READ_CHUNK);
    expect(readSmallFile(file, { follow: false, wanted: () => true })?.length).toBe(3 * READ_CHUNK + 7);
    // A file of one chunk or less is read whole without asking.
    writeFileSync(file, Buffer.alloc(READ_CHUNK, 0));
    expect(readSmallFile(file, { follow: false, wanted: () => false })?.length).toBe(READ_CHUNK);
  });

  // /proc files report size 0 and are read a page at a time: a short read is not their end.
  it.runIf(existsSync("/proc/self/maps"))("reads on past short reads when fstat's size is not reached (/proc files)", () => {
    const bytes = readSmallFile("/proc/self/maps", { follow: true });
    expect(bytes).toBeDefined();
    // The process maps dozens of regions: far more than the first page.
    expect(bytes!.length).toBeGreaterThan(4096);
    expect(bytes!.toString()).toContain("[stack]");
    expect(readFileSync("/proc/self/maps").length).toBeGreaterThan(4096);
  });
});

describe("readSmallFile of a file the walk listed as regular (`listed`: read before fstat)", () => {
  /** Whether `read` holds exactly `expected` (undefined: the file was left to fileChunks); no deep equality over MiBs. */
  const same = (read: Buffer | undefined, expected: Buffer | undefined): boolean =>
    read === undefined || expected === undefined ? read === expected : read.equals(expected);

  it("reads the same bytes as with fstat first, at every size around READ_CHUNK and WHOLE_FILE_LIMIT", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.bin");
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    for (const size of [0, 1, 5000, 64 * 1024, READ_CHUNK - 1, READ_CHUNK, READ_CHUNK + 1, 3 * READ_CHUNK + 5, WHOLE_FILE_LIMIT - 1, WHOLE_FILE_LIMIT]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 997) bytes[i] = 32 + (i % 95);
      writeFileSync(file, bytes);
      const expected = size < WHOLE_FILE_LIMIT ? bytes : undefined;
      expect(same(readSmallFile(file, { follow: false, listed: true }), expected), `size ${size}`).toBe(true);
      expect(same(readSmallFile(file, { follow: false, listed: true, into }), expected), `size ${size}, into`).toBe(true);
      expect(same(readSmallFile(file, { follow: false }), expected), `size ${size}, fstat first`).toBe(true);
    }
  });

  it("asks `into` without a size first, and with the size once fstat gave it (a file of READ_CHUNK or more)", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.txt");
    const into = Buffer.alloc(WHOLE_FILE_LIMIT);
    const sizes: (number | undefined)[] = [];
    writeFileSync(file, "x".repeat(5000));
    expect(readSmallFile(file, { follow: false, listed: true, into: (size) => (sizes.push(size), into) })?.buffer).toBe(into.buffer);
    expect(sizes).toEqual([undefined]);
    // The first MiB, read into the module's buffer, is copied to the one the size chose.
    sizes.length = 0;
    const big = Buffer.alloc(2 * READ_CHUNK + 3, "y");
    big[READ_CHUNK - 1] = 0x7a;
    writeFileSync(file, big);
    const read = readSmallFile(file, { follow: false, listed: true, into: (size) => (sizes.push(size), size === undefined ? undefined : into) })!;
    expect(sizes).toEqual([undefined, 2 * READ_CHUNK + 3]);
    expect(read.buffer).toBe(into.buffer);
    expect(read.equals(big)).toBe(true);
  });

  it("still lets `wanted` turn a large binary file down after its first chunk", () => {
    const dir = tempDir();
    const file = path.join(dir, "tool.bin");
    writeFileSync(file, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.alloc(3 * READ_CHUNK, 1)]));
    const heads: number[] = [];
    expect(readSmallFile(file, { follow: false, listed: true, wanted: (head) => (heads.push(head.length), false) })?.length).toBe(READ_CHUNK);
    expect(heads).toEqual([READ_CHUNK]);
    expect(readSmallFile(file, { follow: false, listed: true, wanted: () => true })?.length).toBe(3 * READ_CHUNK + 7);
  });

  it.runIf(existsSync("/proc/self/maps"))("reads on when the second read is not the end (/proc files)", () => {
    const bytes = readSmallFile("/proc/self/maps", { follow: true, listed: true });
    expect(bytes!.length).toBeGreaterThan(4096);
    expect(bytes!.toString()).toContain("[stack]");
  });

  // What took a listed file's place since the walk: it must neither block nor be read past READ_CHUNK.
  it("refuses an empty FIFO, a directory and a device in a listed file's place, without blocking", () => {
    const dir = tempDir();
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(() => readSmallFile(fifo, { follow: false, listed: true })).toThrow(new NotRegularFileError("FIFO"));
    const sub = path.join(dir, "sub");
    mkdirSync(sub);
    expect(() => readSmallFile(sub, { follow: false, listed: true })).toThrow(new NotRegularFileError("directory"));
    // A device fills the first read: fstat is asked before anything more is read.
    expect(() => readSmallFile("/dev/zero", { follow: true, listed: true })).toThrow(new NotRegularFileError("character device"));
  });

  it("refuses a FIFO whose writer is still there (the read that would block fails: EAGAIN), without blocking", () => {
    const dir = tempDir();
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    // Opened read-write, this process is the writer: what it wrote is read, then the next read finds nothing yet.
    const writer = openSync(fifo, fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
    try {
      writeSync(writer, "some text\n");
      expect(() => readSmallFile(fifo, { follow: false, listed: true })).toThrow(new NotRegularFileError("FIFO"));
    } finally {
      closeSync(writer);
    }
  });
});
