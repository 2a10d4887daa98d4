import * as fs from "node:fs";

/** Bytes read per system call when a file is read in chunks (`fileChunks`). */
export const READ_CHUNK = 1 << 20;
/**
 * Files smaller than this are read whole (`readSmallFile`), in one system call: nearly every
 * file of a tree, and the bundled JavaScript of a dependency (a few MiB), which the byte gate
 * then usually rules out without decoding it. Larger ones are read in chunks, in bounded memory.
 */
export const WHOLE_FILE_LIMIT = 16 << 20;

/** A path that exists but is not a regular file (FIFO, socket, device). */
export class NotRegularFileError extends Error {
  readonly code = "ENOTREG";
  constructor(readonly what: string) {
    super(`not a regular file (${what}): skipped`);
    this.name = "NotRegularFileError";
  }
}

let pool: Buffer | undefined;

function describeType(stat: fs.Stats): string {
  if (stat.isFIFO()) return "FIFO";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice()) return "character device";
  if (stat.isBlockDevice()) return "block device";
  if (stat.isDirectory()) return "directory";
  return "special file";
}

/** `open`, except that a Unix socket (ENXIO) is named as what it is, like a FIFO or device. */
function openRegular(absPath: string, flags: number): number {
  try {
    return fs.openSync(absPath, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENXIO") throw new NotRegularFileError("socket");
    throw error;
  }
}

let wholePool: Buffer | undefined;

/**
 * Reads a regular file whole when it is smaller than `WHOLE_FILE_LIMIT` bytes, with the same
 * checks as `fileChunks`; undefined when it is larger (read it with `fileChunks`). The bytes are
 * read into `into` (a buffer of `WHOLE_FILE_LIMIT` bytes, such as the byte gate's scratch
 * memory, or a function that chooses it from the file's size) or into a reused buffer of this
 * module: either way, consume them before the next call.
 *
 * `wanted` sees the first `READ_CHUNK` bytes of a file larger than that: when it says no (a
 * binary file), only those are returned, and the rest is never read.
 */
export function readSmallFile(
  absPath: string,
  follow: boolean,
  into?: Buffer | ((size: number) => Buffer | undefined),
  wanted?: (head: Buffer) => boolean,
): Buffer | undefined {
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (follow ? 0 : fs.constants.O_NOFOLLOW);
  const fd = openRegular(absPath, flags);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(describeType(stat));
    if (stat.size >= WHOLE_FILE_LIMIT) return undefined;
    const target = typeof into === "function" ? into(stat.size) : into;
    let buffer: Buffer;
    if (target !== undefined && target.length >= WHOLE_FILE_LIMIT) buffer = target;
    else {
      // Grown to the largest file seen (a /proc file says size 0: at least 64 KiB).
      if (wholePool === undefined || wholePool.length <= stat.size) wholePool = Buffer.allocUnsafe(Math.max(64 * 1024, stat.size + 1, wholePool?.length ?? 0));
      buffer = wholePool;
    }
    let length = 0;
    let head = wanted !== undefined && stat.size > READ_CHUNK;
    while (length < buffer.length) {
      const requested = head ? READ_CHUNK - length : buffer.length - length;
      const n = fs.readSync(fd, buffer, length, requested, null);
      length += n;
      if (head && length >= READ_CHUNK) {
        head = false;
        if (!wanted!(buffer.subarray(0, length))) return buffer.subarray(0, length);
        continue;
      }
      // A short read that brought the file to the size fstat gave is its end: no second read
      // just to be told so. (A file that reads short before that, as /proc files do, is read on.)
      if (n === 0 || (n < requested && length === stat.size)) return buffer.subarray(0, length);
    }
    // It grew past the buffer since fstat: read it in chunks instead.
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a regular file in chunks. Opened non-blocking, so a FIFO that replaced the file
 * since the walk cannot block; checked with `fstat` after opening, so only regular files
 * are ever read. Symlinks are refused unless `follow` (explicit command-line paths).
 *
 * The yielded buffer is reused: each chunk must be consumed before the next is requested.
 */
export function* fileChunks(absPath: string, follow: boolean): Generator<Buffer> {
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (follow ? 0 : fs.constants.O_NOFOLLOW);
  const fd = openRegular(absPath, flags);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(describeType(stat));
    if (pool === undefined) pool = Buffer.allocUnsafe(READ_CHUNK);
    const buffer = pool;
    // Reentrancy guard: another generator must not share the pool while this one runs.
    pool = undefined;
    try {
      while (true) {
        const n = fs.readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        yield buffer.subarray(0, n);
      }
    } finally {
      pool = buffer;
    }
  } finally {
    fs.closeSync(fd);
  }
}
