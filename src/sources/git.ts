import * as fs from "node:fs";
import * as path from "node:path";
import type { ScanError } from "../scan/types.js";
import { ByteReader, GitError, runGit, streamGit, unquotePath, firstLines, type GitStream } from "./git-process.js";
import { readWholeFile } from "./whole-file.js";

export { GitError } from "./git-process.js";

/**
 * The git sources (DESIGN.md §4): what a commit is about to add (`--staged`), what a
 * branch adds to its base (`--diff`), and every commit ever made (`--history`). Each
 * yields units `{ path, chunks, addedLines?, commit? }` for the scanner; only lines the
 * change adds are reported, with the line numbers of the new file.
 */

export type GitMode =
  | { readonly mode: "staged"; readonly paths?: readonly string[] }
  | { readonly mode: "diff"; readonly base: string; readonly head?: string }
  | { readonly mode: "history"; readonly since?: string };

export interface GitUnit {
  /** Relative to the working directory, `/` separators. */
  readonly path: string;
  readonly chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** 1-based lines the change adds; absent when every line is new. */
  readonly addedLines?: ReadonlySet<number>;
  /** The unit holds only part of the file (history: the added lines), so it cannot prove a key is gone. */
  readonly partial?: boolean;
  readonly commit?: string;
}

export interface GitSource {
  readonly units: AsyncIterable<GitUnit>;
  /** Filled while `units` is read: skipped submodules, no-op ranges. */
  readonly notices: string[];
  /** What could not be scanned (history beyond a shallow clone's depth): never a clean result. */
  readonly errors?: ScanError[];
  /** History: report each (key, file) once, at the first (oldest) unit that has it. */
  readonly oncePerKeyAndFile: boolean;
  /** Stops its git processes: for a run that fails before it reads the units. */
  cancel?(): void;
}

/** Mode of a gitlink (submodule) entry. */
const GITLINK_MODE = "160000";
/** Added, copied, modified, renamed, type-changed: everything that can add lines. */
const DIFF_FILTER = "--diff-filter=ACMRT";
/** Options shared by every diff, so the raw and patch listings describe the same file pairs. */
const DIFF_OPTIONS = ["--no-ext-diff", "--no-textconv", "--no-relative", "--submodule=short", "-M", DIFF_FILTER];

/**
 * Characters a ref may contain here: git's own ref names plus revision syntax
 * (`HEAD~2`, `main^`, `@{u}`, `v1^{}`). No leading `-`, no `..`: a ref is never an
 * option or a range.
 */
const SAFE_REF = /^[A-Za-z0-9._/@{}~^+-]+$/;

export function validateRef(ref: string, flag: string): void {
  if (ref === "" || ref.startsWith("-") || !SAFE_REF.test(ref) || ref.includes("..")) {
    throw new GitError(`${flag}: invalid git ref ${JSON.stringify(ref)} (expected a branch, tag or commit such as main, origin/main, v1.2.0, HEAD~3)`, "usage");
  }
}

interface Repo {
  readonly cwd: string;
  /** Working directory relative to the top of the work tree, `/`-terminated, or "". */
  readonly prefix: string;
}

async function openRepo(cwd: string): Promise<Repo> {
  const r = await runGit(cwd, ["rev-parse", "--show-prefix"]);
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) {
      throw new GitError(`not a git repository: ${cwd} (--staged, --diff and --history scan a git repository; run them inside one)`, "usage");
    }
    if (/must be run in a work tree/i.test(r.stderr)) {
      throw new GitError(`no work tree: ${cwd} is inside a bare repository or .git directory`, "usage");
    }
    throw new GitError(`git rev-parse failed: ${firstLines(r.stderr) || `exit ${r.code}`}`, "failure");
  }
  return { cwd, prefix: r.stdout.toString("utf8").trim() };
}

/** A repository path (relative to the top) as the user sees it from the working directory. */
function displayPath(repo: Repo, repoPath: string): string {
  if (repo.prefix === "") return repoPath;
  return path.posix.relative(`/${repo.prefix}`, `/${repoPath}`);
}

/** Resolves a ref to a commit SHA; an unknown ref is a usage error that names it. */
async function resolveCommit(repo: Repo, ref: string, flag: string): Promise<string> {
  validateRef(ref, flag);
  const r = await runGit(repo.cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  const sha = r.stdout.toString("utf8").trim();
  if (r.code === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  if (r.code === 1 || r.code === 128) {
    const hint = ref === "HEAD" ? " (the repository has no commits yet)" : " (not a branch, tag or commit here; in CI, fetch it first, e.g. git fetch origin main, or use fetch-depth: 0)";
    throw new GitError(`${flag}: unknown git ref "${ref}"${hint}`, "usage");
  }
  throw new GitError(`git rev-parse ${ref} failed: ${firstLines(r.stderr) || `exit ${r.code}`}`, "failure");
}

export async function gitSource(cwd: string, mode: GitMode): Promise<GitSource> {
  if (mode.mode === "staged") {
    const paths = mode.paths ?? [];
    // A path in neither the work tree nor the index is a typo, not a clean commit (as a scan's
    // missing path is). Asked of git only for paths missing from the disk: lint-staged's exist.
    const missing = paths.filter((p) => !fs.existsSync(path.resolve(cwd, p)));
    if (missing.length > 0) await checkStagedPaths(cwd, missing);
    // The index diff does not depend on rev-parse's answer: both start at once (a pre-commit
    // hook waits for every process in turn otherwise). rev-parse's verdict still comes first.
    return changeSource(cwd, openRepo(cwd), ["diff", "--cached"], [], paths);
  }
  const repo = await openRepo(cwd);
  return mode.mode === "diff" ? diffSource(repo, mode.base, mode.head ?? "HEAD") : historySource(repo, mode.since);
}

/** Throws a usage error naming the first of `missing` (paths not on disk) that the index does not hold either. */
async function checkStagedPaths(cwd: string, missing: readonly string[]): Promise<void> {
  // In the index, or staged as deleted (`git rm`, the old name of a `git mv`): hooks pass those too.
  const [indexed, deleted, prefix] = await Promise.all([
    runGit(cwd, ["--literal-pathspecs", "ls-files", "-z", "--cached", "--full-name", "--", ...missing]),
    runGit(cwd, ["--literal-pathspecs", "diff", "--cached", "--name-only", "-z", "--no-renames", "--no-relative", "--diff-filter=D", "--", ...missing]),
    runGit(cwd, ["rev-parse", "--show-prefix"]),
  ]);
  // Not a repository (or git failing): said by the scan itself, as for any --staged run.
  if (indexed.code !== 0 || deleted.code !== 0 || prefix.code !== 0) return;
  const base = prefix.stdout.toString("utf8").trim();
  const listed = [...indexed.stdout.toString("utf8").split("\0"), ...deleted.stdout.toString("utf8").split("\0")].filter(Boolean);
  for (const p of missing) {
    const full = path.posix.normalize(path.posix.join(base, path.relative(cwd, path.resolve(cwd, p)).split(path.sep).join("/"))).replace(/\/+$/, "");
    if (!listed.some((l) => l === full || l.startsWith(`${full}/`))) {
      throw new GitError(`--staged: path does not exist: ${p} (not in the work tree, the index, or the staged deletions)`, "usage");
    }
  }
}

async function diffSource(repo: Repo, baseRef: string, headRef: string): Promise<GitSource> {
  const base = await resolveCommit(repo, baseRef, "--diff");
  const head = await resolveCommit(repo, headRef, "--head");
  const mb = await runGit(repo.cwd, ["merge-base", base, head]);
  const mergeBase = mb.stdout.toString("utf8").trim();
  if (mb.code !== 0 || mergeBase === "") {
    if (mb.code === 1 && mergeBase === "") {
      const shallow = (await runGit(repo.cwd, ["rev-parse", "--is-shallow-repository"])).stdout.toString("utf8").trim() === "true";
      if (shallow) {
        throw new GitError(
          `--diff: no merge base between ${baseRef} and ${headRef} in this shallow clone: fetch more history (actions/checkout with fetch-depth: 0, GIT_DEPTH: 0 on GitLab, or git fetch --unshallow)`,
          "failure",
        );
      }
      throw new GitError(`--diff: ${baseRef} and ${headRef} have no common ancestor (unrelated histories)`, "failure");
    }
    throw new GitError(`git merge-base failed: ${firstLines(mb.stderr) || `exit ${mb.code}`}`, "failure");
  }
  if (mergeBase === head) {
    const notices = [`nothing to scan: ${headRef} adds no commits to ${baseRef}`];
    return { units: (async function* () {})(), notices, oncePerKeyAndFile: false };
  }
  return changeSource(repo.cwd, Promise.resolve(repo), ["diff"], [mergeBase, head], []);
}

interface RawEntry {
  readonly dstMode: string;
  readonly dstSha: string;
  readonly status: string;
  readonly path: string;
}

/**
 * Parses the fields of `git diff --raw -z` output (NUL-separated):
 * `:srcmode dstmode srcsha dstsha status`, `path` (and a second path for renames and copies).
 */
export function parseRawFields(fields: readonly string[]): RawEntry[] {
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i]!;
    if (!meta.startsWith(":")) continue;
    const [, dstMode, , dstSha, status] = meta.slice(1).split(" ");
    const twoPaths = status !== undefined && (status.startsWith("R") || status.startsWith("C"));
    const p = fields[twoPaths ? i + 2 : i + 1];
    i += twoPaths ? 2 : 1;
    if (dstMode === undefined || dstSha === undefined || status === undefined || p === undefined) {
      throw new GitError("unexpected output from git diff --raw", "failure");
    }
    entries.push({ dstMode, dstSha, status, path: p });
  }
  return entries;
}

interface PatchFile {
  readonly added: Set<number>;
  binary: boolean;
}

/** Bytes of a patch line kept when only headers matter (content lines are skipped, whatever their length). */
const HEADER_LIMIT = 64 * 1024;

/** The added line numbers of each file pair of a `--unified=0` patch, in output order. */
async function parseHunks(reader: ByteReader): Promise<PatchFile[]> {
  const files: PatchFile[] = [];
  let current: PatchFile | undefined;
  for (let line = await reader.readLine(HEADER_LIMIT); line !== null; line = await reader.readLine(HEADER_LIMIT)) {
    // Content lines start with + - space or \, so headers cannot be forged by file content.
    if (line[0] === 0x64 && line.subarray(0, 11).toString("latin1") === "diff --git ") {
      current = { added: new Set(), binary: false };
      files.push(current);
    } else if (current && line[0] === 0x40 && line[1] === 0x40) {
      const range = parseHunkHeader(line.toString("latin1"));
      for (let n = range.start; n < range.start + range.count; n++) current.added.add(n);
    } else if (current && line[0] === 0x42 && line.subarray(0, 13).toString("latin1") === "Binary files ") {
      current.binary = true;
    }
  }
  return files;
}

/** `@@ -a,b +c,d @@` → the new-side range `{ start: c, count: d }` (d defaults to 1). */
export function parseHunkHeader(header: string): { start: number; count: number } {
  const m = /^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@/.exec(header);
  if (!m) throw new GitError(`unexpected hunk header from git diff: ${header.slice(0, 80)}`, "failure");
  return { start: Number(m[1]), count: m[2] === undefined ? 1 : Number(m[2]) };
}

/**
 * A set of file pairs from `git diff` (index vs HEAD, or two commits): the raw listing
 * gives modes and new blob ids, the patch gives added lines, `cat-file --batch` the blobs.
 * The diff and cat-file run at once (and, for a staged scan, rev-parse): cat-file is handed
 * the blob ids as soon as the raw listing is in, while the patch is still being read.
 */
async function changeSource(cwd: string, repoReady: Promise<Repo>, command: string[], revs: string[], paths: readonly string[]): Promise<GitSource> {
  const global = paths.length > 0 ? ["--literal-pathspecs"] : [];
  const tail = [...revs, "--", ...paths];
  const what = `git ${command.join(" ")}`;
  // One git process gives both listings: the raw records (NUL-separated fields), an empty
  // field, then the patch, read as it streams.
  const diff = streamGit(cwd, [...global, ...command, "--raw", "-z", "--no-abbrev", "--patch", "--unified=0", "--no-color", ...DIFF_OPTIONS, ...tail], what);
  const raw = (async () => {
    const fields: string[] = [];
    for (let field = await diff.reader.readUntil(0); field !== null; field = await diff.reader.readUntil(0)) {
      if (field.length === 0) return fields;
      fields.push(field.toString("utf8"));
    }
    // The output ended before any patch: no change at all, or git failed (its message wins).
    await diff.finished();
    return fields;
  })();
  const patch = raw.then(async () => {
    const files = await parseHunks(diff.reader);
    await diff.finished();
    return files;
  });
  const batch = streamGit(cwd, ["cat-file", "--batch"], "git cat-file --batch", true);
  const stop = (): void => {
    batch.kill();
    diff.kill();
  };
  // Awaited below, one after the other; a failure that arrives while an earlier step is
  // awaited must not count as unhandled.
  raw.catch(() => {});
  patch.catch(() => {});
  try {
    // Not a repository, no work tree: rev-parse says so (a usage error), not the diffs.
    const repo = await repoReady;
    const entries = parseRawFields(await raw);
    const notices: string[] = [];
    const wanted: { entry: RawEntry; index: number }[] = [];
    entries.forEach((entry, index) => {
      if (entry.dstMode === GITLINK_MODE) {
        notices.push(`submodule ${displayPath(repo, entry.path)} skipped (scan it in its own repository)`);
      } else if (/^0+$/.test(entry.dstSha)) {
        notices.push(`${displayPath(repo, entry.path)} skipped: intent-to-add entry without content in the index`);
      } else {
        wanted.push({ entry, index });
      }
    });
    batch.stdin!.end(wanted.length === 0 ? "" : wanted.map((w) => w.entry.dstSha).join("\n") + "\n");
    const files = await patch;
    if (entries.length !== files.length) {
      throw new GitError(`git diff listed ${entries.length} files but patched ${files.length}: cannot tell which lines are added`, "failure");
    }
    const units = blobUnits(repo, batch, wanted.map(({ entry, index }) => ({ entry, file: files[index]! })));
    return { units, notices, oncePerKeyAndFile: false, cancel: stop };
  } catch (error) {
    stop();
    throw error;
  }
}

async function* blobUnits(repo: Repo, batch: GitStream, wanted: { entry: RawEntry; file: PatchFile }[]): AsyncGenerator<GitUnit> {
  let complete = false;
  try {
    for (const { entry, file } of wanted) {
      const header = (await batch.reader.readLine())?.toString("utf8") ?? "";
      const m = /^([0-9a-f]+) (\S+) (\d+)$/.exec(header);
      if (!m || m[2] !== "blob") {
        // Git's own message (a crash, a corrupt object) beats ours when there is one.
        if (header === "") await batch.finished();
        throw new GitError(`git cat-file: cannot read ${displayPath(repo, entry.path)} (${header || "no output"})`, "failure");
      }
      const size = Number(m[3]);
      // New files, and files git calls binary (UTF-16 text among them), are scanned whole.
      const whole = entry.status === "A" || file.binary;
      yield {
        path: displayPath(repo, entry.path),
        chunks: blobChunks(batch.reader, size),
        ...(whole ? {} : { addedLines: file.added }),
      };
    }
    complete = true;
  } finally {
    if (!complete) batch.kill();
  }
  await batch.finished();
}

/** The blob's bytes; whatever the consumer leaves unread is skipped, to keep the stream aligned. */
async function* blobChunks(reader: ByteReader, size: number): AsyncGenerator<Buffer> {
  let read = 0;
  try {
    for await (const chunk of reader.readBytes(size)) {
      read += chunk.length;
      yield chunk;
    }
  } finally {
    if (read < size) for await (const _ of reader.readBytes(size - read));
    // Each object ends with a newline.
    for await (const _ of reader.readBytes(1));
  }
  if (read < size) throw new GitError("git cat-file output ended early", "failure");
}

async function historySource(repo: Repo, since: string | undefined): Promise<GitSource> {
  const head = await runGit(repo.cwd, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  const notices: string[] = [];
  if (head.code !== 0) {
    notices.push("nothing to scan: the repository has no commits yet");
    return { units: (async function* () {})(), notices, oncePerKeyAndFile: true };
  }
  const range = since === undefined ? ["HEAD"] : [`${await resolveCommit(repo, since, "--since")}..HEAD`];
  const cut = await shallowCut(repo, range);
  // A shallow clone's boundary commits show their whole tree as added: what came before is not in the clone.
  const errors: ScanError[] = cut.map((sha) => ({
    path: sha.slice(0, 12),
    message:
      "shallow clone: the history before this commit is not in the clone and was not scanned (fetch it: actions/checkout with fetch-depth: 0, GIT_DEPTH: 0 on GitLab, or git fetch --unshallow)",
    code: "SHALLOW",
  }));
  return { units: historyUnits(repo, range, notices), notices, errors, oncePerKeyAndFile: true };
}

/** The commits of `range` whose parents a shallow clone lacks (git's `shallow` file); none in a full clone. */
async function shallowCut(repo: Repo, range: string[]): Promise<string[]> {
  const shallow = await runGit(repo.cwd, ["rev-parse", "--is-shallow-repository", "--git-path", "shallow"]);
  const [isShallow, file] = shallow.stdout.toString("utf8").split("\n");
  if (shallow.code !== 0 || isShallow !== "true" || !file) return [];
  let cut: Set<string>;
  try {
    cut = new Set(readWholeFile(path.resolve(repo.cwd, file)).toString("utf8").split("\n").filter(Boolean));
  } catch (error) {
    throw new GitError(`--history: cannot read the shallow clone's boundary (${(error as Error).message})`, "failure");
  }
  const listed = await runGit(repo.cwd, ["rev-list", ...range, "--"]);
  if (listed.code !== 0) throw new GitError(`git rev-list failed: ${firstLines(listed.stderr) || `exit ${listed.code}`}`, "failure");
  return listed.stdout.toString("utf8").split("\n").filter((sha) => cut.has(sha));
}

/** Marks a commit line in our `git log` format; file content lines never start with it. */
const COMMIT_MARK = 0x01;

/**
 * Streams `git log -p`, oldest commit first, and yields one unit per (commit, file) holding
 * only the added lines, each at its line number in the new file (gaps are empty lines).
 */
async function* historyUnits(repo: Repo, range: string[], notices: string[]): AsyncGenerator<GitUnit> {
  const log = streamGit(
    repo.cwd,
    [
      "log", "-p", "--reverse", "--unified=0", "--no-color", "--format=%x01%H", "--diff-merges=off",
      "--no-show-signature", "--no-notes", "--src-prefix=a/", "--dst-prefix=b/", "--full-index", ...DIFF_OPTIONS, ...range, "--",
    ],
    "git log",
  );
  let commit = "";
  let file: string | undefined;
  let inHunk = false;
  let parts: Buffer[] = [];
  let nextLine = 1;
  // The new blob of the file being read (its `index` line), for a change git shows no lines of.
  let blob: string | undefined;
  const binaries: { readonly path: string; readonly blob: string; readonly commit: string }[] = [];
  let unreadable = 0;
  let complete = false;
  const flush = (): GitUnit | undefined => {
    const unit = file !== undefined && parts.length > 0 ? { path: displayPath(repo, file), chunks: [Buffer.concat(parts)], commit, partial: true } : undefined;
    file = undefined;
    parts = [];
    inHunk = false;
    nextLine = 1;
    return unit;
  };
  try {
    for (let line = await log.reader.readLine(); line !== null; line = await log.reader.readLine()) {
      const first = line[0];
      if (first === COMMIT_MARK || (first === 0x64 && line.subarray(0, 11).toString("latin1") === "diff --git ")) {
        const unit = flush();
        if (unit) yield unit;
        blob = undefined;
        if (first === COMMIT_MARK) commit = line.subarray(1).toString("latin1").trim();
      } else if (inHunk && first === 0x2b) {
        parts.push(Buffer.from(line.subarray(1)), NEWLINE);
        nextLine++;
      } else if (first === 0x40 && line[1] === 0x40) {
        const { start } = parseHunkHeader(line.toString("latin1"));
        if (start > nextLine) parts.push(Buffer.alloc(start - nextLine, 0x0a));
        nextLine = Math.max(nextLine, start);
        inHunk = true;
      } else if (!inHunk && first === 0x2b && line.subarray(0, 4).toString("latin1") === "+++ ") {
        const name = unquotePath(line.subarray(4).toString("latin1").replace(/\t$/, ""));
        file = name === "/dev/null" ? undefined : name.replace(/^b\//, "");
      } else if (!inHunk && first === 0x69 && line.subarray(0, 6).toString("latin1") === "index ") {
        const m = /^index [0-9a-f]+\.\.([0-9a-f]+)/.exec(line.toString("latin1"));
        blob = m && !/^0+$/.test(m[1]!) ? m[1] : undefined;
      } else if (!inHunk && first === 0x42 && line.subarray(0, 13).toString("latin1") === "Binary files ") {
        // UTF-16 text among them (PowerShell, .reg): read whole from its blob, as --diff does.
        const path = binaryChangePath(line.toString("latin1"));
        if (path !== undefined && blob !== undefined) binaries.push({ path: displayPath(repo, path), blob, commit });
        else if (path !== undefined) unreadable++;
      }
    }
    const unit = flush();
    if (unit) yield unit;
    complete = true;
  } finally {
    if (!complete) log.kill();
  }
  await log.finished();
  if (binaries.length > 0) yield* blobsOfHistory(repo, binaries, notices);
  if (unreadable > 0) notices.push(`${unreadable} binary file change${unreadable === 1 ? "" : "s"} in history not scanned (git names no blob for them)`);
}

/**
 * The new path of `Binary files a/P and b/P differ` (or `/dev/null and b/P`, quoted when git
 * quotes it); undefined for a deletion, or when the two names cannot be told apart.
 */
export function binaryChangePath(line: string): string | undefined {
  const m = /^Binary files (.*) differ$/.exec(line.replace(/\r?\n$/, ""));
  if (!m) return undefined;
  const both = m[1]!;
  if (both.endsWith(" and /dev/null")) return undefined;
  let dst: string | undefined;
  if (both.startsWith("/dev/null and ")) dst = both.slice("/dev/null and ".length);
  else if (both.startsWith('"')) dst = both.slice(both.indexOf('" and ') + 6);
  else if (both.endsWith('"')) dst = both.slice(both.lastIndexOf(' and "') + 5);
  else {
    // `a/P and b/Q`: when P = Q (no rename), the halves have the same length.
    const half = (both.length - 5) / 2;
    if (Number.isInteger(half) && both.slice(half, half + 5) === " and " && both.slice(2, half) === both.slice(half + 7)) dst = both.slice(half + 5);
    else dst = /^a\/.* and (b\/.*)$/.exec(both)?.[1];
  }
  if (dst === undefined) return undefined;
  const name = unquotePath(dst);
  return name.startsWith("b/") ? name.slice(2) : undefined;
}

/**
 * Largest blob of a binary change a history scan reads: the text git calls binary (UTF-16
 * scripts and registry files) is small, while images and archives, which the scanner would skip
 * after reading them, can be large and many.
 */
export const MAX_HISTORY_BINARY = 4 * 1024 * 1024;

/**
 * Whole blobs of the binary changes of a history scan, after the text ones: their sizes from one
 * `cat-file --batch-check`, then the ones up to `MAX_HISTORY_BINARY` from one `cat-file --batch`.
 */
async function* blobsOfHistory(repo: Repo, all: readonly { path: string; blob: string; commit: string }[], notices: string[]): AsyncGenerator<GitUnit> {
  const ids = all.map((b) => b.blob).join("\n") + "\n";
  const check = streamGit(repo.cwd, ["cat-file", "--batch-check"], "git cat-file --batch-check", true);
  check.stdin!.end(ids);
  const sizes: number[] = [];
  try {
    for (const { path: shown, commit } of all) {
      const header = (await check.reader.readLine())?.toString("utf8") ?? "";
      const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
      if (!m) {
        if (header === "") await check.finished();
        throw new GitError(`git cat-file: cannot read ${shown} at ${commit.slice(0, 12)} (${header || "no output"})`, "failure");
      }
      sizes.push(Number(m[1]));
    }
  } catch (error) {
    check.kill();
    throw error;
  }
  await check.finished();
  const binaries = all.filter((_, i) => sizes[i]! <= MAX_HISTORY_BINARY);
  const large = all.length - binaries.length;
  if (large > 0) notices.push(`${large} binary file change${large === 1 ? "" : "s"} in history over ${MAX_HISTORY_BINARY / 1048576} MiB not scanned`);
  if (binaries.length === 0) return;
  const batch = streamGit(repo.cwd, ["cat-file", "--batch"], "git cat-file --batch", true);
  batch.stdin!.end(binaries.map((b) => b.blob).join("\n") + "\n");
  let complete = false;
  try {
    for (const { path: shown, blob, commit } of binaries) {
      const header = (await batch.reader.readLine())?.toString("utf8") ?? "";
      const m = /^([0-9a-f]+) (\S+) (\d+)$/.exec(header);
      if (!m || m[2] !== "blob") {
        if (header === "") await batch.finished();
        throw new GitError(`git cat-file: cannot read ${shown} at ${commit.slice(0, 12)} (${header || "no output"}, ${blob})`, "failure");
      }
      yield { path: shown, chunks: blobChunks(batch.reader, Number(m[3])), commit, partial: true };
    }
    complete = true;
  } finally {
    if (!complete) batch.kill();
  }
  await batch.finished();
}

const NEWLINE = Buffer.from("\n");
