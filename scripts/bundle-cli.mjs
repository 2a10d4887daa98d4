#!/usr/bin/env node
// Bundles the CLI that `npm run build` ships as `dist/cli/bin.js`, and the ESLint plugin it ships
// as `dist/eslint/index.js` (performance issue #7).
//
//   node scripts/bundle-cli.mjs [dist]     (default: the repository's dist/, after `tsc -p tsconfig.build.json`)
//
// Input: tsc's output, `<dist>/src/cli/bin.js` and `<dist>/src/parallel-worker.js`. Output:
// `<dist>/cli/`, ES modules split into chunks, so the modules the CLI imports lazily (the
// walker with picomatch and ignore, git, the reporters, --verify, install-hook, …) stay in
// chunks that load only when a run needs them. Start-up then reads and compiles a handful of
// files instead of ~50 modules resolved one by one.
//
// Everything lands flat in `<dist>/cli/`, next to `bin.js`, because two modules find files
// next to themselves through `import.meta.url`: src/parallel.ts starts
// `new URL("./parallel-worker.js", import.meta.url)` and src/cli/install-hook.ts writes a hook
// that runs `bin.js` from its own directory. (src/cli/version.ts walks up to package.json,
// which works from any depth.)
//
// esbuild's metafile goes to `<dist>/cli-meta.json` (not shipped: package.json "files" lists
// dist/cli/ only): which source modules each chunk holds, for the start-up test
// (test/cli/bundle.test.ts) and the benchmark (bench/run.mjs).
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Bundles `<dist>/src` into `<dist>/cli`; returns the output directory and the metafile's path.
 * The metafile names files relative to the repository root (`dist/cli/bin.js`,
 * `dist/src/sources/walk.js`, `node_modules/ignore/index.js`), whatever the working directory.
 */
export async function bundleCli(dist) {
  const outdir = path.join(dist, "cli");
  const metaPath = path.join(dist, "cli-meta.json");
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: [path.join(dist, "src/cli/bin.js"), path.join(dist, "src/parallel-worker.js")],
    outdir,
    // Flat and fixed names: see above (parallel-worker.js and bin.js are found next to the chunks).
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // picomatch and ignore are CommonJS, wrapped by esbuild. Today they require only their own
    // files (bundled), but a require() of a Node built-in would need a real `require`, which
    // an ES module lacks: esbuild's shim would throw "Dynamic require … is not supported".
    banner: { js: 'import { createRequire as __dksCreateRequire } from "node:module";\nconst require = __dksCreateRequire(import.meta.url);' },
    // Readable stack traces (DEVIN_KEYSCAN_DEBUG): identifiers stay as written, except that
    // esbuild numbers names two modules share (`scan2`). keepNames would restore those, but its
    // ~350 `__name()` calls cost 5-10 ms of start-up, and nothing reads a function's or class's
    // `.name` (the error classes set `this.name` themselves).
    minify: false,
    keepNames: false,
    // bin.js keeps the `#!/usr/bin/env node` line tsc wrote (esbuild keeps an entry's hashbang).
    metafile: true,
    logLevel: "warning",
  });
  writeFileSync(metaPath, JSON.stringify(result.metafile, null, 1) + "\n");
  chmodSync(path.join(outdir, "bin.js"), 0o755);
  return { outdir, metaPath };
}

/**
 * Bundles the ESLint plugin (`<dist>/rules/index.js`, tsc's output) into one file,
 * `<dist>/eslint/index.js`, the package's `devin-keyscan/eslint` export: ESLint then reads one
 * module instead of ≈ 30. npm packages stay imports (they are the plugin's dependencies, and
 * ESLint may already have loaded them); types still come from `<dist>/rules/index.d.ts`.
 */
export async function bundlePlugin(dist) {
  const outdir = path.join(dist, "eslint");
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: REPO,
    entryPoints: [path.join(dist, "rules/index.js")],
    outdir,
    entryNames: "[name]",
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    minify: false,
    logLevel: "warning",
  });
  return { outdir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(process.argv[2] ?? path.join(REPO, "dist"));
  await bundleCli(dist);
  await bundlePlugin(dist);
}
