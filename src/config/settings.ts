import * as path from "node:path";
import type { ClientSideOptions, RuleId } from "../scan/types.js";
import type { AllowEntry } from "../suppress/allow.js";
import { displayFor, type LoadedConfig } from "./load.js";

/**
 * The configuration file and the command line, merged: flags win. Lists: `--exclude` adds
 * to the configured list, `--include` replaces it. Paths and globs of the file are made
 * relative to the working directory here, so the rest of the tool sees one frame.
 */

/** The command-line values this module reads (from `cli/args.ts`). */
export interface SettingFlags {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly noGitignore?: boolean;
  readonly paranoid?: boolean;
  readonly baseline?: string;
}

export interface Settings {
  readonly include: string[];
  readonly exclude: string[];
  readonly gitignore: boolean;
  readonly paranoid: boolean;
  /** Findings accepted by path (configuration `allow`), globs relative to the working directory. */
  readonly allow?: readonly AllowEntry[];
  /** Rule ids that report; undefined: all. */
  readonly checks?: readonly RuleId[];
  readonly clientSide?: ClientSideOptions;
  /** The baseline file: absolute path, the path messages show, and whether the configuration named it. */
  readonly baseline?: { readonly path: string; readonly display: string; readonly fromConfig: boolean };
  /** Where `--verify` sends keys when `--verify-base-url` is not given (checked by src/verify). */
  readonly verifyBaseUrl?: string;
}

export function resolveSettings(loaded: LoadedConfig | undefined, flags: SettingFlags, cwd: string): Settings {
  const config = loaded?.config ?? {};
  const fromConfig = (globs: readonly string[] | undefined): string[] =>
    (globs ?? []).map((g) => (loaded ? rebaseGlob(g, loaded.dir, cwd) : g));
  const clientSide: ClientSideOptions = {
    ...(config.clientGlobs ? { clientGlobs: fromConfig(config.clientGlobs) } : {}),
    ...(config.serverGlobs ? { serverGlobs: fromConfig(config.serverGlobs) } : {}),
    ...(config.publicEnvPrefixes ? { publicEnvPrefixes: [...config.publicEnvPrefixes] } : {}),
  };
  let baseline: Settings["baseline"];
  if (flags.baseline !== undefined) {
    const abs = path.resolve(cwd, flags.baseline);
    baseline = { path: abs, display: displayFor(cwd, abs), fromConfig: false };
  } else if (config.baseline !== undefined && loaded) {
    const abs = path.resolve(loaded.dir, config.baseline);
    baseline = { path: abs, display: displayFor(cwd, abs), fromConfig: true };
  }
  return {
    include: flags.include && flags.include.length > 0 ? [...flags.include] : fromConfig(config.include),
    exclude: [...fromConfig(config.exclude), ...(flags.exclude ?? [])],
    gitignore: flags.noGitignore === true ? false : (config.gitignore ?? true),
    paranoid: flags.paranoid === true || config.paranoid === true,
    ...(config.checks ? { checks: [...config.checks] } : {}),
    ...(config.allow ? { allow: config.allow.map((a) => ({ ...a, paths: fromConfig(a.paths) })) } : {}),
    ...(Object.keys(clientSide).length > 0 ? { clientSide } : {}),
    ...(baseline ? { baseline } : {}),
    // A new setting is one schema property plus one line here.
    ...(config.verifyBaseUrl !== undefined ? { verifyBaseUrl: config.verifyBaseUrl } : {}),
  };
}

/**
 * A glob written relative to `fromDir` (the configuration's directory), rewritten to match
 * paths relative to `toDir` (the working directory). Base-name patterns (no `/`) and
 * `**`-led patterns mean the same from anywhere; others are re-anchored.
 */
export function rebaseGlob(glob: string, fromDir: string, toDir: string): string {
  const g = glob.startsWith("./") ? glob.slice(2) : glob;
  const from = path.resolve(fromDir);
  const to = path.resolve(toDir);
  if (from === to || !g.includes("/") || g.startsWith("**/")) return g;
  const down = path.relative(from, to).split(path.sep).join("/");
  if (!down.startsWith("..") && !path.isAbsolute(down) && g.startsWith(`${down}/`)) return g.slice(down.length + 1);
  return path.posix.join(path.relative(to, from).split(path.sep).join("/"), g);
}
