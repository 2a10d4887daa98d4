import { existsSync } from "node:fs";
import * as path from "node:path";
import { ScanFailure } from "../cli/exit.js";
import type { ScanOptions } from "../pipeline.js";
import type { ScanResult } from "../scan/types.js";
import { applyBaseline, readBaseline, updateBaseline, writeBaseline, type Baseline } from "../suppress/baseline.js";
import { loadConfig, type LoadedConfig } from "./load.js";
import { resolveSettings, type Settings } from "./settings.js";
import { ConfigError } from "./validate.js";

/**
 * What the CLI needs from the configuration file, the suppression flags and the baseline,
 * prepared before the scan (so a bad file fails fast, exit 2) and finished after it
 * (`--update-baseline` writes the file).
 */
export interface PreparedRun {
  readonly config?: LoadedConfig;
  readonly settings: Settings;
  /** Spread into `scan()`'s options. */
  readonly scanOptions: Pick<ScanOptions, "gitignore" | "include" | "exclude" | "paranoid" | "clientSide" | "suppress">;
  /** After the scan: notices from the configuration, `--update-baseline`. Returns lines for stderr. */
  finish(result: ScanResult): string[];
  /** `--fail-on-stale` and the baseline has stale entries. */
  failsOnStale(result: ScanResult): boolean;
}

export interface RunFlags {
  readonly config?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly noGitignore?: boolean;
  readonly paranoid?: boolean;
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly failOnStale?: boolean;
  readonly requireReason?: boolean;
}

/** Reads `cli/args.ts` values into `RunFlags`. */
export function runFlags(values: Record<string, unknown>): RunFlags {
  const str = (name: string): string | undefined => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const list = (name: string): string[] | undefined => (Array.isArray(values[name]) ? (values[name] as string[]) : undefined);
  const config = str("config");
  const baseline = str("baseline");
  const include = list("include");
  const exclude = list("exclude");
  return {
    ...(config !== undefined ? { config } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(include ? { include } : {}),
    ...(exclude ? { exclude } : {}),
    noGitignore: values["no-gitignore"] === true,
    paranoid: values.paranoid === true,
    updateBaseline: values["update-baseline"] === true,
    failOnStale: values["fail-on-stale"] === true,
    requireReason: values["require-reason"] === true,
  };
}

/** Throws `ConfigError` (exit 2) for a bad configuration or baseline. */
export function prepareRun(flags: RunFlags, cwd: string): PreparedRun {
  if (flags.config === "") throw new ConfigError("--config needs a file name");
  if (flags.baseline === "") throw new ConfigError("--baseline needs a file name");
  for (const flag of ["include", "exclude"] as const) {
    if (flags[flag]?.includes("")) throw new ConfigError(`--${flag} needs a glob, not an empty string`);
  }
  const config = loadConfig({ cwd, ...(flags.config !== undefined ? { file: flags.config } : {}) });
  const settings = resolveSettings(config, flags, cwd);
  const target = settings.baseline;
  if (flags.updateBaseline === true && target === undefined) {
    throw new ConfigError('--update-baseline needs a baseline file: --baseline FILE, or "baseline" in the configuration');
  }
  const frame = target ? { cwd: path.resolve(cwd), dir: path.dirname(target.path) } : undefined;
  let previous: Baseline | undefined;
  const notices: string[] = [];
  if (target && flags.updateBaseline === true) {
    // An existing file must be valid: its reasons and expiry dates are carried over.
    previous = existsSync(target.path) ? readBaseline(target.path, target.display) : undefined;
  } else if (target && target.fromConfig && !existsSync(target.path)) {
    // Configured before it was created: every finding is reported, and the notice says how to create it.
    notices.push(`${target.display}: baseline file not found, nothing is accepted (create it with --update-baseline)`);
  } else if (target) {
    previous = readBaseline(target.path, target.display);
  }

  const scanOptions: PreparedRun["scanOptions"] = {
    gitignore: settings.gitignore,
    include: settings.include,
    exclude: settings.exclude,
    paranoid: settings.paranoid,
    ...(settings.clientSide ? { clientSide: settings.clientSide } : {}),
    suppress: {
      ...(settings.checks ? { checks: settings.checks } : {}),
      ...(settings.allow ? { allow: settings.allow } : {}),
      requireReason: flags.requireReason === true,
      // When updating, findings the old baseline accepted must be seen to be kept.
      ...(previous && frame && flags.updateBaseline !== true ? { baseline: { baseline: previous, dir: frame.dir } } : {}),
    },
  };

  return {
    ...(config ? { config } : {}),
    settings,
    scanOptions,
    finish(result) {
      result.notices.unshift(...(config?.notices ?? []), ...notices);
      if (flags.updateBaseline !== true || !target || !frame) return [];
      const update = updateBaseline(previous, result, frame);
      try {
        writeBaseline(target.path, update.baseline);
      } catch (error) {
        throw new ScanFailure(`cannot write baseline ${target.display}: ${(error as Error).message}`);
      }
      applyBaseline(result, update.baseline, frame);
      return [
        `devin-keyscan: baseline ${target.display} written: ${update.baseline.entries.length} entr${update.baseline.entries.length === 1 ? "y" : "ies"} (${update.added} added, ${update.pruned} pruned)\n`,
      ];
    },
    failsOnStale(result) {
      return flags.failOnStale === true && (result.stale?.length ?? 0) > 0;
    },
  };
}
