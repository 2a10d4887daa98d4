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
let done = false;

function afterListing(dir) {
  if (!done && target && path.resolve(String(dir)) === path.dirname(target)) {
    done = true;
    fs.unlinkSync(target);
    if (action === "fifo") execFileSync("mkfifo", [target]);
  }
}

// Whichever way the walker lists directories (sync, callback or promise), the hook runs after.
const readdirSync = fs.readdirSync;
fs.readdirSync = function (dir, options) {
  const listing = readdirSync.call(this, dir, options);
  afterListing(dir);
  return listing;
};
const readdir = fs.readdir;
fs.readdir = function (dir, ...rest) {
  const callback = rest.pop();
  return readdir.call(this, dir, ...rest, (error, listing) => {
    if (!error) afterListing(dir);
    callback(error, listing);
  });
};
const readdirPromise = fs.promises.readdir;
fs.promises.readdir = async function (dir, options) {
  const listing = await readdirPromise.call(this, dir, options);
  afterListing(dir);
  return listing;
};
// ESM `import * as fs from "node:fs"` sees the patched function only after this.
syncBuiltinESMExports();
