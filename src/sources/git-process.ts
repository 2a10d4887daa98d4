import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { redactKeysIn } from "../grammar/index.js";

/**
 * Git plumbing through `child_process` with argument arrays only (never a shell), and
 * the byte-level readers the git sources need. Every failure becomes a `GitError`:
 * a git failure is never reported as a clean scan.
 */

/** `usage` exits 2 (bad ref, not a repository), `failure` exits 3 (git itself failed). */
export type GitErrorKind = "usage" | "failure";

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind,
  ) {
    super(redactKeysIn(message));
    this.name = "GitError";
  }
}

/** Options that make git's output independent of the user's configuration. */
const NEUTRAL_CONFIG = ["-c", "core.quotePath=true", "-c", "diff.noprefix=false", "-c", "color.ui=never"];

/** Bytes of git's standard error kept for the error message. */
const STDERR_LIMIT = 64 * 1024;

export interface GitRun {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

function spawnGit(cwd: string, args: readonly string[], stdin: "pipe" | "ignore"): ChildProcessByStdio<Writable | null, Readable, Readable> {
  return spawn("git", [...NEUTRAL_CONFIG, ...args], {
    cwd,
    stdio: [stdin, "pipe", "pipe"],
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" },
    windowsHide: true,
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
}

function gitMissing(error: NodeJS.ErrnoException): GitError {
  return error.code === "ENOENT"
    ? new GitError("git is not installed or not on PATH (the git modes need it)", "failure")
    : new GitError(`cannot run git: ${error.message}`, "failure");
}

function collectStderr(stream: Readable): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    if (text.length < STDERR_LIMIT) text += chunk.toString("utf8");
  });
  return () => text.trim();
}

/** Runs git to completion and returns its output whatever the exit code. */
export function runGit(cwd: string, args: readonly string[]): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args, "ignore");
    const out: Buffer[] = [];
    const stderr = collectStderr(child.stderr);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.on("error", (error) => reject(gitMissing(error)));
    child.on("close", (code, signal) => {
      resolve({ stdout: Buffer.concat(out), stderr: stderr() || (signal ? `killed by ${signal}` : ""), code: code ?? 128 });
    });
  });
}

export function firstLines(text: string, n = 4): string {
  return text.split("\n").filter(Boolean).slice(0, n).join(" / ");
}

/** A streaming git process: read its output with `reader`, then `await finished()`. */
export interface GitStream {
  readonly reader: ByteReader;
  readonly stdin: Writable | null;
  /** Resolves when git exits 0; throws `GitError` otherwise. */
  finished(): Promise<void>;
  kill(): void;
}

export function streamGit(cwd: string, args: readonly string[], what: string, withStdin = false): GitStream {
  const child = spawnGit(cwd, args, withStdin ? "pipe" : "ignore");
  const stderr = collectStderr(child.stderr);
  let spawnError: GitError | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("error", (error) => {
      spawnError = gitMissing(error);
      resolve({ code: null, signal: null });
    });
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  // A git that dies early must not crash the process with EPIPE on its stdin.
  child.stdin?.on("error", () => {});
  return {
    reader: new ByteReader(child.stdout),
    stdin: child.stdin,
    async finished() {
      const { code, signal } = await exited;
      if (spawnError) throw spawnError;
      if (code !== 0) {
        throw new GitError(`${what} failed: ${firstLines(stderr()) || (signal ? `git killed by ${signal}` : `git exited with ${code}`)}`, "failure");
      }
    },
    kill() {
      child.kill();
    },
  };
}

/** Reads lines and byte runs from a stream without decoding it. */
export class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Promise<IteratorResult<Buffer>> | undefined;

  constructor(stream: AsyncIterable<Buffer>) {
    this.iterator = stream[Symbol.asyncIterator]();
    // Listening from the start: a child's output that nobody listens to when it exits is
    // thrown away by Node (child_process resumes such streams), and a git process started
    // early (a staged scan) may exit before its output is read.
    this.pending = this.iterator.next();
    // Its failure is seen by the first read.
    this.pending.catch(() => {});
  }

  private pull(): Promise<IteratorResult<Buffer>> {
    const next = this.pending ?? this.iterator.next();
    this.pending = undefined;
    return next;
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.pull();
    if (next.done) {
      this.done = true;
      return false;
    }
    // Only called once the buffer is used up.
    this.buffer = next.value;
    this.offset = 0;
    return true;
  }

  /**
   * The next line without its `\n`, or `null` at the end. With `limit`, only the first
   * `limit` bytes are kept (a multi-megabyte minified line costs no memory when only its
   * start matters).
   */
  async readLine(limit = Infinity): Promise<Buffer | null> {
    return this.readUntil(0x0a, limit);
  }

  /** The bytes up to the next `delimiter` (dropped), or what is left at the end, or `null`. */
  async readUntil(delimiter: number, limit = Infinity): Promise<Buffer | null> {
    // Pieces are joined once at the end: a long line costs linear time, not quadratic.
    const pieces: Buffer[] = [];
    let kept = 0;
    const keep = (piece: Buffer): void => {
      if (kept >= limit) return;
      const part = piece.length > limit - kept ? piece.subarray(0, limit - kept) : piece;
      pieces.push(part);
      kept += part.length;
    };
    while (true) {
      const at = this.buffer.indexOf(delimiter, this.offset);
      if (at !== -1) {
        keep(this.buffer.subarray(this.offset, at));
        this.offset = at + 1;
        return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
      }
      if (this.offset < this.buffer.length) keep(this.buffer.subarray(this.offset));
      this.offset = this.buffer.length;
      if (this.done) return pieces.length > 0 ? Buffer.concat(pieces) : null;
      const next = await this.pull();
      if (next.done) {
        this.done = true;
        return pieces.length > 0 ? Buffer.concat(pieces) : null;
      }
      this.buffer = next.value;
      this.offset = 0;
    }
  }

  /** Yields exactly `n` bytes in chunks (fewer only if the stream ends). */
  async *readBytes(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.offset >= this.buffer.length && !(await this.fill())) return;
      const take = Math.min(left, this.buffer.length - this.offset);
      const chunk = this.buffer.subarray(this.offset, this.offset + take);
      this.offset += take;
      left -= take;
      yield chunk;
    }
  }
}

/** Decodes a path as git prints it: C-quoted (`"a\tb\303\251"`) when unusual, else verbatim. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  const body = Buffer.from(text.slice(1, -1), "latin1");
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (next >= "0" && next <= "7") {
      bytes.push(parseInt(body.subarray(i + 1, i + 4).toString("latin1"), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? body[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
