#!/usr/bin/env node
// devin-keyscan's command (package.json "bin"), copied to dist/cli/bin.js by
// scripts/bundle-cli.mjs. It runs the CLI bundle next to it, main.js, from the V8 code cache the
// build made for it (main.js.cache): start-up then skips most of compiling the bundle.
//
// Node 20 has no compile cache of its own (module.enableCompileCache arrived in Node 22). The
// cache is made at build time and ships beside the code it was made from, so it is trusted as
// much as that code; nothing is written at run time. V8 checks it against the source, its own
// version and its flags, and rejects it on any difference (another Node, `--cpu-prof`, …):
// the bundle is then compiled as usual.
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const { Script } = require("node:vm");

/** The bundle in CommonJS's module wrapper: the text compiled here and cached by the build. */
function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

function run() {
  const file = join(__dirname, "main.js");
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache: compiled as usual.
  }
  const script = new Script(wrap(readFileSync(file, "utf8")), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, __dirname);
}

// Required rather than run (by the build, to make the cache): it only lends `wrap`.
if (require.main === module) run();
else module.exports = { wrap };
