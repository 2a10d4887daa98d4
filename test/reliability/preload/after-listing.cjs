// Preloaded into the built CLI (`node --require`) to make "the file changed between listing
// and reading" deterministic: right after the walker lists a directory, the file named by
// DKS_AFTER_LISTING_PATH is removed (DKS_AFTER_LISTING=vanish) or replaced by a FIFO
// (DKS_AFTER_LISTING=fifo). No timing, no race.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { syncBuiltinESMExports } = require("node:module");

const target = process.env.DKS_AFTER_LISTING_PATH;
const action = process.env.DKS_AFTER_LISTING;
const original = fs.readdirSync;
let done = false;

fs.readdirSync = function readdirSync(dir, options) {
  const listing = original.call(this, dir, options);
  if (!done && target && path.resolve(String(dir)) === path.dirname(target)) {
    done = true;
    fs.unlinkSync(target);
    if (action === "fifo") execFileSync("mkfifo", [target]);
  }
  return listing;
};
// ESM `import * as fs from "node:fs"` sees the patched function only after this.
syncBuiltinESMExports();
