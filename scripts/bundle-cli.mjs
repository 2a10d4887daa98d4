#!/usr/bin/env node
// Bundles the CLI that `npm run build` ships as `dist/cli/bin.js`, and the ESLint plugin it ships
// as `dist/eslint/index.js` (performance issue #7).
//
//   node scripts/bundle-cli.mjs [dist]     (default: the repository's dist/, after `tsc -p tsconfig.build.json`)
//
// Input: tsc's output, `<dist>/src/cli/bin.js` and `<dist>/src/parallel-worker.js`. Output,
// in `<dist>/cli/` (its package.json, written here, says `"type": "commonjs"`):
// - `main.js`, the CLI in one CommonJS file, and `main.js.cache`, V8's code cache for it;
// - `bin.js`, the command (package.json "bin"): scripts/cli-launcher.cjs, which runs main.js
//   from that cache;
// - `parallel-worker.js`, the worker thread's bundle.
//
// Why one CommonJS file: start-up is most of a pre-commit run. An ES module graph is resolved,
// read and linked file by file through Node's ESM loader (itself ≈ 10 internal modules to
// load); split into chunks, `--staged` read 15 files. One CommonJS file is read and compiled
// once, and `--staged` took ≈ 25% less time (76–83 vs 102–107 ms, `node -e 0` 32 ms). The code
// cache saves most of the compiling: `--version` 43.7–45.8 → 37.8–41.8 ms (CPU 32 → 25 ms).
// What a run does not need still costs nothing but parsing: every module the CLI imports
// lazily (`await import(…)`: the walker with picomatch and ignore, git, the reporters,
// --verify, install-hook, …), and everything those import, is wrapped by esbuild in a function
// that runs on first import (`__esm`, `__commonJS`); `evaluatedModules` below reads which ones
// ran from V8's coverage (the start-up test, test/cli/bundle.test.ts, and the benchmark).
//
// The files sit together in `<dist>/cli/` because two modules find files next to themselves
// through `import.meta.url` (which becomes main.js's own file URL): src/parallel.ts starts
// `new URL("./parallel-worker.js", import.meta.url)` and src/cli/install-hook.ts writes a hook
// that runs `bin.js` from its own directory. (src/cli/version.ts walks up to the package.json
// named devin-keyscan, past `<dist>/cli/package.json`.)
//
// esbuild's metafile goes to `<dist>/cli-meta.json` (not shipped: package.json "files" lists
// dist/cli/ only): which source modules each file holds. A file that would load anything at
// run time but a Node built-in fails the build.
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
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
    entryPoints: [
      { in: path.join(dist, "src/cli/bin.js"), out: "main" },
      { in: path.join(dist, "src/parallel-worker.js"), out: "parallel-worker" },
    ],
    outdir,
    bundle: true,
    splitting: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    // ES modules are strict; so stays their code.
    banner: { js: '"use strict";\nconst __dksImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__dksImportMetaUrl" },
    // Readable stack traces (DEVIN_KEYSCAN_DEBUG): identifiers stay as written, except that
    // esbuild numbers names two modules share (`scan2`). keepNames would restore those, but its
    // ~350 `__name()` calls cost 5-10 ms of start-up, and nothing reads a function's or class's
    // `.name` (the error classes set `this.name` themselves).
    minify: false,
    keepNames: false,
    metafile: true,
    logLevel: "warning",
  });
  // Each file must be whole: it may only require Node's built-ins. An `import()` left for run
  // time would fail in main.js (vm.Script, in the launcher, has no module loader to serve it),
  // and anything else would be read from node_modules at run time.
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const loose = output.imports.filter((i) => !(i.kind === "require-call" && i.path.startsWith("node:")));
    if (loose.length > 0) throw new Error(`${file} loads at run time: ${loose.map((i) => `${i.kind} ${i.path}`).join(", ")}`);
  }
  writeFileSync(path.join(outdir, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
  writeFileSync(metaPath, JSON.stringify(result.metafile, null, 1) + "\n");
  // main.js runs inside CommonJS's module wrapper, where the `#!/usr/bin/env node` line that
  // esbuild keeps from bin.ts would be a syntax error: the launcher carries it.
  const main = path.join(outdir, "main.js");
  const source = readFileSync(main, "utf8").replace(/^#!.*\n/, "");
  writeFileSync(main, source);
  // The launcher's own wrapper: the cache is made from the very text it compiles.
  const { wrap } = createRequire(import.meta.url)("./cli-launcher.cjs");
  writeFileSync(`${main}.cache`, new Script(wrap(source), { filename: main }).createCachedData());
  const bin = path.join(outdir, "bin.js");
  copyFileSync(path.join(REPO, "scripts/cli-launcher.cjs"), bin);
  chmodSync(bin, 0o755);
  return { outdir, metaPath };
}

/**
 * The source modules a run of the bundle evaluated, from the V8 coverage it wrote
 * (`NODE_V8_COVERAGE=<coverageDir>`): modules esbuild wrapped (evaluated on first import) count
 * when their wrapper ran; the others run at start-up, always. Also returns every `file:` script
 * the run loaded (worker threads included), and which modules are wrapped.
 *
 * `bundle` is the bundle file (`<dist>/cli/main.js`), `metaPath` the metafile `bundleCli` wrote.
 */
export function evaluatedModules(coverageDir, bundle, metaPath) {
  const meta = JSON.parse(readFileSync(metaPath, "utf8"));
  const key = path.relative(REPO, bundle).split(path.sep).join("/");
  const output = meta.outputs[key];
  if (output === undefined) throw new Error(`${key} is not in ${metaPath}: a stale build?`);
  const bundled = new Set(Object.keys(output.inputs));
  const scripts = new Set();
  const ran = new Map();
  for (const file of readdirSync(coverageDir)) {
    if (!file.endsWith(".json")) continue;
    for (const script of JSON.parse(readFileSync(path.join(coverageDir, file), "utf8")).result) {
      // A file the module loader read has a file: URL; main.js, compiled by the launcher's
      // vm.Script, has its path.
      const file = script.url.startsWith("file:") ? fileURLToPath(script.url) : path.isAbsolute(script.url) ? script.url : undefined;
      if (file === undefined) continue;
      scripts.add(file);
      if (file !== bundle) continue;
      // A wrapper is the function named after its module: `__esm({ "dist/src/x.js"() {…} })`.
      for (const fn of script.functions) {
        if (bundled.has(fn.functionName)) ran.set(fn.functionName, (ran.get(fn.functionName) ?? false) || fn.ranges[0].count > 0);
      }
    }
  }
  const wrapped = new Set(ran.keys());
  const evaluated = new Set([...bundled].filter((m) => (wrapped.has(m) ? ran.get(m) : scripts.has(bundle))));
  return { bundled, wrapped, evaluated, scripts: [...scripts] };
}

/**
 * Bundles the ESLint plugin (`<dist>/rules/index.js`, tsc's output) into one file,
 * `<dist>/eslint/index.js`, the package's `devin-keyscan/eslint` export: ESLint then reads one
 * module instead of ≈ 30. The parts of `@typescript-eslint/utils` the rules use (RuleCreator,
 * ASTUtils, with `@eslint-community/eslint-utils` and `@typescript-eslint/types`) are bundled
 * too, so installing devin-keyscan does not pull in what that package asks for as peers
 * (TypeScript and ESLint, ≈ 45 MB) for a project that only runs the CLI: the plugin needs
 * nothing at run time but Node's built-ins and the ESLint that loads it. Types still come from
 * `<dist>/rules/index.d.ts`.
 */
export async function bundlePlugin(dist) {
  const outdir = path.join(dist, "eslint");
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: [path.join(dist, "rules/index.js")],
    outdir,
    entryNames: "[name]",
    bundle: true,
    external: ["eslint", "eslint/*"],
    format: "esm",
    platform: "node",
    target: "node20",
    minify: false,
    metafile: true,
    logLevel: "warning",
  });
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const loose = output.imports.filter((i) => !i.path.startsWith("node:") && i.path !== "eslint" && !i.path.startsWith("eslint/"));
    if (loose.length > 0) throw new Error(`${file} loads at run time: ${loose.map((i) => `${i.kind} ${i.path}`).join(", ")}`);
  }
  return { outdir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(process.argv[2] ?? path.join(REPO, "dist"));
  await bundleCli(dist);
  await bundlePlugin(dist);
}
