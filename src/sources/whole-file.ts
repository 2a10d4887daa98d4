import * as fs from "node:fs";
import { NotRegularFileError } from "./file.js";

/**
 * Largest ignore, configuration or baseline file read whole. Such files are small; the bound
 * exists so `/dev/zero` or a runaway file in their place fails cleanly instead of exhausting memory.
 */
export const MAX_WHOLE_FILE = 64 * 1024 * 1024;

/** A file too large to be read whole. */
export class FileTooLargeError extends Error {
  readonly code = "EFBIG";
  constructor(readonly limit: number) {
    super(`larger than ${limit / 1024 / 1024} MiB: not read`);
    this.name = "FileTooLargeError";
  }
}

/**
 * Reads a small file whole (`.gitignore`, `.git/info/exclude`, a config or baseline file).
 * Opened non-blocking and checked with `fstat`, so a FIFO, socket or device in its place never
 * blocks and never fills memory: it throws `NotRegularFileError` instead. Symlinks are followed
 * (a config file may be a link), but only to a regular file.
 */
export function readWholeFile(absPath: string, maxBytes = MAX_WHOLE_FILE): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(absPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENXIO") throw new NotRegularFileError("socket");
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!stat.isFile()) throw new NotRegularFileError(stat.isFIFO() ? "FIFO" : stat.isCharacterDevice() ? "character device" : stat.isBlockDevice() ? "block device" : "special file");
    if (stat.size > maxBytes) throw new FileTooLargeError(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 4096)));
    while (true) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      // It grew since fstat.
      if (total > maxBytes) throw new FileTooLargeError(maxBytes);
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}
