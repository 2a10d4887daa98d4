import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { ScanError } from "../scan/types.js";
import { globMatcher, matchesPathOrAncestor } from "./path-filter.js";
import { readWholeFile } from "./whole-file.js";

/**
 * The file-system source: which files a scan reads. A breadth-first `readdir` walk (faster
 * than fast-glob's `**`, which also drops names its matcher cannot take) applies `.gitignore`
 * files (nested ones too, and `.git/info/exclude`) and `--exclude` per directory, so ignored directories are pruned instead of walked, and a directory
 * that cannot be listed is recorded instead of silently skipped.
 */

/** Always excluded when walking (never for explicit file arguments). */
export const DEFAULT_EXCLUDED_DIRS = [".git", "node_modules"] as const;

export interface WalkOptions {
  /** Directory that relative paths, globs and displayed paths are relative to. */
  readonly cwd: string;
  /** Files and directories to scan; files are always scanned, whatever the filters say. */
  readonly paths: readonly string[];
  /** Honour `.gitignore` files (default true). */
  readonly gitignore?: boolean;
  /** Only files matching one of these globs (relative to `cwd`) are scanned when walking. */
  readonly include?: readonly string[];
  /** Files and directories matching one of these globs are skipped when walking. */
  readonly exclude?: readonly string[];
}

export interface FileEntry {
  readonly absPath: string;
  /** Relative to `cwd`, `/`-separated. */
  readonly path: string;
  /** Named on the command line: scanned whatever the filters say, symlink followed. */
  readonly explicit: boolean;
}

export interface WalkResult {
  readonly files: FileEntry[];
  readonly errors: ScanError[];
}

/** A path argument that does not exist: a usage error (exit 2), raised before scanning. */
export class MissingPathError extends Error {
  constructor(readonly missing: string) {
    super(`path does not exist: ${missing}`);
    this.name = "MissingPathError";
  }
}

export function displayPath(cwd: string, absPath: string): string {
  const rel = path.relative(cwd, absPath);
  return (rel === "" ? "." : rel).split(path.sep).join("/");
}

export function walk(options: WalkOptions): WalkResult {
  const files: FileEntry[] = [];
  const errors: ScanError[] = [];
  const seen = new Set<string>();
  const cwd = path.resolve(options.cwd);
  for (const arg of options.paths) {
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw new MissingPathError(arg);
      // A dangling or looping symlink, or no permission: say so, keep going.
      errors.push({ path: displayPath(cwd, abs), message: describeError(error), ...(code ? { code } : {}) });
      continue;
    }
    if (stat.isDirectory()) {
      for (const entry of walkDirectory(cwd, abs, options, errors)) {
        if (seen.has(entry.absPath)) continue;
        seen.add(entry.absPath);
        files.push(entry);
      }
    } else if (!seen.has(abs)) {
      seen.add(abs);
      files.push({ absPath: abs, path: displayPath(cwd, abs), explicit: true });
    }
  }
  return { files, errors };
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOENT":
      return "no such file (it may have been deleted during the scan)";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EISDIR":
      return "is a directory";
    default:
      return e.message ?? String(error);
  }
}

interface IgnoreLayer {
  /** Directory of the ignore file, absolute. */
  readonly dir: string;
  readonly rules: Ignore;
}

function walkDirectory(cwd: string, root: string, options: WalkOptions, errors: ScanError[]): FileEntry[] {
  const useGitignore = options.gitignore !== false;
  const layers = new Map<string, IgnoreLayer>();
  // A directory named on the command line is scanned even when an exclude pattern names it
  // (`devin-keyscan fixtures` with `fixtures/**` excluded): as for a named file, the patterns
  // that match it or a directory above it are dropped for this walk.
  const rootDisplay = displayPath(cwd, root);
  const isExcluded = globMatcher(options.exclude?.filter((p) => !matchesPathOrAncestor(p, rootDisplay)));
  const isIncluded = globMatcher(options.include);

  const loadIgnoreFile = (dir: string, file: string): void => {
    let text: string;
    try {
      // Not readFileSync: a FIFO or /dev/zero link named .gitignore must not hang or fill memory.
      text = readWholeFile(file).toString("utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") errors.push({ path: displayPath(cwd, file), message: `cannot read ignore file: ${describeError(error)}`, ...(code ? { code } : {}) });
      return;
    }
    const layer = layers.get(dir) ?? { dir, rules: ignore({ allowRelativePaths: true }) };
    try {
      layer.rules.add(text);
    } catch (error) {
      errors.push({ path: displayPath(cwd, file), message: `invalid ignore pattern: ${describeError(error)}` });
    }
    layers.set(dir, layer);
  };

  if (useGitignore) {
    // Ignore files between the repository root and the walk root also apply.
    const repoRoot = findRepoRoot(root);
    if (repoRoot !== undefined) {
      loadIgnoreFile(repoRoot, path.join(repoRoot, ".git", "info", "exclude"));
      let dir = repoRoot;
      for (const part of path.relative(repoRoot, root).split(path.sep).filter(Boolean)) {
        loadIgnoreFile(dir, path.join(dir, ".gitignore"));
        dir = path.join(dir, part);
      }
    }
  }

  const ignoredByGit = (abs: string, isDir: boolean): boolean => {
    // Deepest ignore file first; the first one with an opinion decides (git's precedence).
    let dir = path.dirname(abs);
    while (true) {
      const layer = layers.get(dir);
      if (layer) {
        const rel = path.relative(dir, abs).split(path.sep).join("/") + (isDir ? "/" : "");
        const verdict = layer.rules.test(rel);
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      const parent = path.dirname(dir);
      if (parent === dir) return false;
      dir = parent;
    }
  };

  // Every regular file and directory kept by the filter is remembered; the walk below lists each directory once.
  const listedFiles: string[] = [];
  const listedDirs: string[] = [];
  const visitedDirs = new Set<string>();
  // Likewise a directory git ignores (`devin-keyscan dist`): only the ignore files inside it apply.
  if (useGitignore && layers.size > 0 && ignoredByGit(root, true)) layers.clear();

  // Paths here are absolute and normalised (`root` is resolved, children are joined by hand):
  // string operations replace `path.join`/`path.relative`, which dominate a walk's cost.
  const cwdPrefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  const displayPathFast = (abs: string): string =>
    abs.startsWith(cwdPrefix) ? toSlashes(abs.slice(cwdPrefix.length)) : displayPath(cwd, abs);

  /** Lists `absDir` and keeps what the ignore files and `--exclude` let through. */
  const list = (absDir: string): void => {
    visitedDirs.add(absDir);
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(absDir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push({ path: displayPath(cwd, absDir), message: `cannot list directory: ${describeError(error)}`, ...(code ? { code } : {}) });
      return;
    }
    if (useGitignore && dirents.some((d) => d.name === ".gitignore" && d.isFile())) {
      loadIgnoreFile(absDir, path.join(absDir, ".gitignore"));
    }
    // The ignore files that apply here, deepest first (git's precedence: the first with an opinion decides).
    const applicable: IgnoreLayer[] = [];
    if (useGitignore && layers.size > 0) {
      for (let dir = absDir; ; ) {
        const layer = layers.get(dir);
        if (layer) applicable.push(layer);
        const parent = path.dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
    }
    const dirPrefix = absDir.endsWith(path.sep) ? absDir : absDir + path.sep;
    for (const d of dirents) {
      const isDir = d.isDirectory();
      if (isDir && (DEFAULT_EXCLUDED_DIRS as readonly string[]).includes(d.name)) continue;
      const abs = dirPrefix + d.name;
      if (applicable.length > 0 && ignoredByLayers(applicable, abs, isDir)) continue;
      if (isExcluded !== undefined && isExcluded(displayPathFast(abs))) continue;
      if (d.isFile()) listedFiles.push(abs);
      if (isDir) listedDirs.push(abs);
    }
  };

  // Breadth-first: listing a directory appends its kept subdirectories (symlinks are not
  // followed: a link's dirent is neither a file nor a directory).
  list(root);
  for (let i = 0; i < listedDirs.length; i++) {
    if (!visitedDirs.has(listedDirs[i]!)) list(listedDirs[i]!);
  }
  const entries: FileEntry[] = [];
  for (const abs of [...new Set(listedFiles)].sort()) {
    const display = displayPathFast(abs);
    if (isIncluded !== undefined && !isIncluded(display)) continue;
    entries.push({ absPath: abs, path: display, explicit: false });
  }
  return entries;
}

function toSlashes(p: string): string {
  return path.sep === "/" ? p : p.split(path.sep).join("/");
}

/** `ignoredByGit` for `abs` in a directory whose applicable layers (deepest first) are known. */
function ignoredByLayers(applicable: readonly IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const layer of applicable) {
    const start = layer.dir.endsWith(path.sep) ? layer.dir.length : layer.dir.length + 1;
    const verdict = layer.rules.test(toSlashes(abs.slice(start)) + (isDir ? "/" : ""));
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

function findRepoRoot(start: string): string | undefined {
  let dir = start;
  while (true) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
