#!/usr/bin/env node
// Start-up path: only the CLI entry is loaded here; everything else is imported lazily.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
