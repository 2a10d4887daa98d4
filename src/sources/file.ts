import * as fs from "node:fs";

/**
 * Bytes read per system call when a file is read in chunks (`fileChunks`); also what `wanted`
 * sees of a larger file read whole, and the most a listed file's first read brings before `fstat`.
 */
export const READ_CHUNK = 1 << 20;
/**
 * Files smaller than this are read whole, into one buffer (`readSmallFile`): nearly every
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

/** The module's buffer for a file read whole, at least `bytes` long (grown to the largest file seen). */
function poolOf(bytes: number): Buffer {
  if (wholePool === undefined || wholePool.length < bytes) wholePool = Buffer.allocUnsafe(Math.max(64 * 1024, bytes, wholePool?.length ?? 0));
  return wholePool;
}

export interface ReadSmallFileOptions {
  /** Follow a symlink (a path named on the command line); otherwise a symlink is refused (ELOOP). */
  readonly follow: boolean;
  /**
   * The walk listed a regular file here (its directory entry's type). Such a file is read
   * before `fstat` is asked: one under `READ_CHUNK` bytes that reads to its end (nearly every
   * file of a tree) is never `fstat`ed, which saves a system call and a `Stats` object per file.
   * The checks still hold where they matter: the file is opened non-blocking (a FIFO that took
   * its place cannot block), and `fstat` is asked, and anything but a regular file refused, as
   * soon as the first read gives nothing, fails, or fills `READ_CHUNK` bytes (a device).
   */
  readonly listed?: boolean;
  /**
   * Where to read: a buffer of `WHOLE_FILE_LIMIT` bytes (such as the byte gate's scratch
   * memory), or a function that chooses it from the file's size (undefined: not known yet, the
   * file is read before `fstat`); otherwise, or when it gives none, a reused buffer of this module.
   */
  readonly into?: Buffer | ((size: number | undefined) => Buffer | undefined);
  /**
   * Sees the first `READ_CHUNK` bytes of a file larger than that: when it says no (a binary
   * file), only those are returned, and the rest is never read.
   */
  readonly wanted?: (head: Buffer) => boolean;
}

const target = (into: ReadSmallFileOptions["into"], size: number | undefined): Buffer | undefined => {
  const chosen = typeof into === "function" ? into(size) : into;
  return chosen !== undefined && chosen.length >= WHOLE_FILE_LIMIT ? chosen : undefined;
};

/**
 * Reads a regular file whole when it is smaller than `WHOLE_FILE_LIMIT` bytes; undefined when it
 * is larger (read it with `fileChunks`). Opened as `fileChunks` opens it, and checked with
 * `fstat` as it is, except that a `listed` file is checked only when its reads call for it. The
 * bytes are in the buffer `into` gives or in a reused buffer of this module: either way, consume
 * them before the next call.
 */
export function readSmallFile(absPath: string, options: ReadSmallFileOptions): Buffer | undefined {
  const { into, wanted } = options;
  const fd = openRegular(absPath, readFlags(options.follow));
  try {
    let buffer: Buffer | undefined;
    let length = 0;
    if (options.listed === true) {
      // The first read, before fstat: nearly every file is smaller than READ_CHUNK and is
      // done when a second read says it has ended.
      buffer = target(into, undefined) ?? poolOf(READ_CHUNK + 1);
      try {
        length = fs.readSync(fd, buffer, 0, READ_CHUNK, null);
        if (length > 0 && length < READ_CHUNK) {
          const more = fs.readSync(fd, buffer, length, buffer.length - length, null);
          if (more === 0) return buffer.subarray(0, length);
          length += more;
        }
      } catch (error) {
        // A FIFO with a writer (EAGAIN) or a directory (EISDIR) in the file's place: say what it is.
        checkRegular(fd);
        throw error;
      }
    }
    const stat = checkRegular(fd);
    if (stat.size >= WHOLE_FILE_LIMIT) return undefined;
    // (A /proc file says size 0: the pool is at least 64 KiB.)
    const chosen = target(into, stat.size) ?? poolOf(stat.size + 1);
    // What the first read brought, when the size chose another buffer (rare: a file of READ_CHUNK or more).
    if (buffer !== undefined && buffer !== chosen && length > 0) buffer.copy(chosen, 0, 0, length);
    buffer = chosen;
    let head = wanted !== undefined && stat.size > READ_CHUNK;
    if (head && length >= READ_CHUNK) {
      head = false;
      if (!wanted!(buffer.subarray(0, length))) return buffer.subarray(0, length);
    }
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

const readFlags = (follow: boolean): number => fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (follow ? 0 : fs.constants.O_NOFOLLOW);

/** `fstat`: the file's `Stats` when it is a regular file, `NotRegularFileError` otherwise. */
function checkRegular(fd: number): fs.Stats {
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) throw new NotRegularFileError(describeType(stat));
  return stat;
}

/**
 * Reads a regular file in chunks. Opened non-blocking, so a FIFO that replaced the file
 * since the walk cannot block; checked with `fstat` after opening, so only regular files
 * are ever read. Symlinks are refused unless `follow` (explicit command-line paths).
 *
 * The yielded buffer is reused: each chunk must be consumed before the next is requested.
 */
export function* fileChunks(absPath: string, follow: boolean): Generator<Buffer> {
  const fd = openRegular(absPath, readFlags(follow));
  try {
    checkRegular(fd);
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
