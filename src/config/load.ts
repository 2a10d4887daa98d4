import * as fs from "node:fs";
import * as path from "node:path";
import type { RuleId } from "../scan/types.js";
import { readWholeFile } from "../sources/whole-file.js";
import { jsonErrorOffset } from "./json-position.js";
import { ConfigError, validateConfig } from "./validate.js";

/**
 * Finding and reading the configuration. Discovery walks up from the working directory;
 * in each directory the first of these that exists wins, and the others there are named
 * in a notice: `devin-keyscan.config.json`, `.devin-keyscanrc.json`, the `devin-keyscan`
 * key of `package.json`.
 */
export const CONFIG_FILE_NAMES = ["devin-keyscan.config.json", ".devin-keyscanrc.json"] as const;
export const PACKAGE_JSON_KEY = "devin-keyscan";

/** The configuration file's content, as the schema (`schema/devin-keyscan.schema.json`) describes it. */
export interface Config {
  readonly $schema?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly gitignore?: boolean;
  readonly checks?: readonly RuleId[];
  readonly clientGlobs?: readonly string[];
  readonly serverGlobs?: readonly string[];
  readonly publicEnvPrefixes?: readonly string[];
  readonly paranoid?: boolean;
  readonly allow?: ReadonlyArray<{ readonly paths: readonly string[]; readonly checks?: readonly RuleId[]; readonly reason: string }>;
  readonly baseline?: string;
  readonly verifyBaseUrl?: string;
}

export interface LoadedConfig {
  /** Absolute path of the file the configuration came from. */
  readonly path: string;
  /** The same path as messages show it (relative to the working directory when below it). */
  readonly display: string;
  /** Directory that paths and globs in the configuration are relative to. */
  readonly dir: string;
  readonly config: Config;
  /** Things worth telling the user (another config file in the same directory was ignored). */
  readonly notices: string[];
}

export interface LoadConfigOptions {
  readonly cwd: string;
  /** `--config FILE`: this file and no discovery. */
  readonly file?: string;
}

/** Finds and reads the configuration; undefined when there is none. Throws `ConfigError`. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig | undefined {
  const cwd = path.resolve(options.cwd);
  if (options.file !== undefined) {
    const abs = path.resolve(cwd, options.file);
    const isPackageJson = path.basename(abs) === "package.json";
    const config = readConfigFile(abs, displayFor(cwd, abs), isPackageJson ? "required" : undefined);
    return { path: abs, display: displayFor(cwd, abs), dir: path.dirname(abs), config: config!, notices: [] };
  }
  const notices: string[] = [];
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const found: string[] = [];
    for (const name of CONFIG_FILE_NAMES) {
      const abs = path.join(dir, name);
      // Anything by that name counts (a FIFO, a directory, a dangling link): it is read, and a
      // read that fails is an error (exit 2), never a configuration silently passed over.
      if (exists(abs)) found.push(abs);
    }
    const pkg = path.join(dir, "package.json");
    let fromPackage: Config | undefined;
    if (isFile(pkg)) {
      fromPackage = readPackageJsonKey(pkg, displayFor(cwd, pkg), notices);
      if (fromPackage !== undefined) found.push(pkg);
    }
    if (found.length > 0) {
      const chosen = found[0]!;
      const display = displayFor(cwd, chosen);
      if (found.length > 1) {
        notices.push(`using ${display}; also found ${found.slice(1).map((f) => displayFor(cwd, f)).join(", ")} in the same directory, ignored`);
      }
      const config = chosen === pkg ? fromPackage! : readConfigFile(chosen, display, undefined)!;
      return { path: chosen, display, dir, config, notices };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function exists(abs: string): boolean {
  try {
    return fs.lstatSync(abs, { throwIfNoEntry: false }) !== undefined;
  } catch {
    // Not even lstat can look (no permission on the directory): as if absent, like git's own lookups.
    return false;
  }
}

function isFile(abs: string): boolean {
  try {
    // Without an exception for a missing file (most of the names looked for, at every level).
    return fs.statSync(abs, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

export function displayFor(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel === "" || path.isAbsolute(rel) ? abs : rel).split(path.sep).join("/");
}

/** Reads a JSON file; a read or parse problem is a `ConfigError` naming the file. */
export function readJsonFile(abs: string, display: string): unknown {
  let text: string;
  try {
    // Not readFileSync: a FIFO or /dev/zero in place of the file must not hang or fill memory.
    text = readWholeFile(abs).toString("utf8");
  } catch (error) {
    throw new ConfigError(`${display}: cannot read: ${describeReadError(error)}`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(`${display}: invalid JSON: ${describeParseError(text, error as Error)}`);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return (error as Error).message;
}

function describeParseError(text: string, error: Error): string {
  // V8 quotes the text around the problem; a position is enough, and quotes nothing of the file.
  if (text.trim() === "") return "the file is empty";
  const offset = jsonErrorOffset(text) ?? Number(/position (\d+)/.exec(error.message)?.[1] ?? NaN);
  if (Number.isNaN(offset)) return "syntax error";
  if (offset >= text.length) return "unexpected end of file";
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `syntax error at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function readConfigFile(abs: string, display: string, packageKey: "required" | undefined): Config | undefined {
  const data = readJsonFile(abs, display);
  if (packageKey === "required") {
    const value = packageValue(data);
    if (value === undefined) throw new ConfigError(`${display}: no "${PACKAGE_JSON_KEY}" key`);
    validateConfig(value, display, `/${PACKAGE_JSON_KEY}`);
    return value as Config;
  }
  validateConfig(data, display);
  return data as Config;
}

function packageValue(data: unknown): unknown {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  return Object.hasOwn(data, PACKAGE_JSON_KEY) ? (data as Record<string, unknown>)[PACKAGE_JSON_KEY] : undefined;
}

/**
 * The `devin-keyscan` key of a package.json met during discovery. A package.json that
 * cannot be read or parsed is not ours to reject: it is skipped with a notice.
 */
function readPackageJsonKey(abs: string, display: string, notices: string[]): Config | undefined {
  let data: unknown;
  try {
    data = readJsonFile(abs, display);
  } catch (error) {
    notices.push(`${(error as Error).message}; looked for a "${PACKAGE_JSON_KEY}" key, skipped`);
    return undefined;
  }
  const value = packageValue(data);
  if (value === undefined) return undefined;
  validateConfig(value, display, `/${PACKAGE_JSON_KEY}`);
  return value as Config;
}
