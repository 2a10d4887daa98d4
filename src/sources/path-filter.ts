import picomatch from "picomatch";

/**
 * `--include` and `--exclude` (and the configuration's lists) as matchers over `/`-separated
 * paths relative to the working directory: the walk applies them per directory, the git modes
 * (`--staged`, `--diff`, `--history`) to each changed file.
 */

/**
 * Matches `/`-separated paths relative to the working directory. A pattern without `/`
 * matches the base name (`*.snap`); one with `/` matches the whole path (`src/gen/**`).
 * Two matchers because picomatch's `basename` option applies to every pattern it is
 * given, so `src/*.ts` would never match `src/a.ts`.
 */
export function globMatcher(patterns: readonly string[] | undefined): ((path: string) => boolean) | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const withSlash = patterns.filter((p) => p.includes("/"));
  const bare = patterns.filter((p) => !p.includes("/"));
  const whole = withSlash.length > 0 ? picomatch(withSlash, { dot: true }) : undefined;
  const base = bare.length > 0 ? picomatch(bare, { dot: true, basename: true }) : undefined;
  return (path) => (whole !== undefined && whole(path)) || (base !== undefined && base(path));
}

/** True when `matches` accepts `display` (a `/`-separated relative path) or one of its parent directories. */
function pathOrAncestor(matches: (path: string) => boolean, display: string): boolean {
  if (display === ".") return false;
  const parts = display.split("/");
  for (let i = 1; i <= parts.length; i++) {
    if (matches(parts.slice(0, i).join("/"))) return true;
  }
  return false;
}

/** True when `pattern` matches `display` or one of its parent directories. */
export function matchesPathOrAncestor(pattern: string, display: string): boolean {
  return pathOrAncestor(globMatcher([pattern])!, display);
}

/**
 * Whether a file found by other means than the walk (a git mode's changed file) is scanned: what
 * the walk would have kept. It is skipped when an exclude pattern matches it or a directory above
 * it (the walk prunes such a directory), and, with include patterns, when none matches it.
 * Undefined when there are no patterns: every file is kept.
 */
export function pathFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined): ((display: string) => boolean) | undefined {
  const isIncluded = globMatcher(include);
  const isExcluded = globMatcher(exclude);
  if (isIncluded === undefined && isExcluded === undefined) return undefined;
  return (display) => (isExcluded === undefined || !pathOrAncestor(isExcluded, display)) && (isIncluded === undefined || isIncluded(display));
}
