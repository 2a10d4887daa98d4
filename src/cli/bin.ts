#!/usr/bin/env node
// Start-up path: only the CLI entry is loaded here; everything else is imported lazily.
import { main } from "./main.js";

// A reader that went away (`| head`) or a full disk must not end in a stack trace. EPIPE is the
// reader's choice: ignored. Any other write error is said, and a clean scan becomes exit 3
// (the report was lost: never "clean"); findings keep exit 1.
let writeFailed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return;
    writeFailed = true;
    if (stream === process.stdout) process.stderr.write(`devin-keyscan: cannot write the report: ${error.message}\n`);
    if (process.exitCode === 0) process.exitCode = 3;
  });
}

// Not a top-level await: the shipped bundle is CommonJS (scripts/bundle-cli.mjs).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = writeFailed && code === 0 ? 3 : code;
});
