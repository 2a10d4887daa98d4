#!/usr/bin/env node
// Adversarial base64 benchmark: time and memory of the scanner (all default detectors, the
// decoded ones included) on inputs built to make a base64 decoder blow up. Each case runs
// in its own process, so its peak RSS is its own.
//
//   node bench/adversarial-base64.mjs            all cases, a table on stdout
//   node bench/adversarial-base64.mjs --json     the same as JSON (for bench/run.mjs)
//   BENCH_QUICK=1                                 smaller inputs
//
// Exported: `runAdversarialBase64({ quick })` → rows `{ name, bytes, ms, mbPerS, peakRssMiB, findings, expected }`.
// Build first (`npm run build`): it imports dist/.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, "../dist/src");
const MiB = 1 << 20;

/** Inputs, each a function of its size in bytes; `expected` is the number of findings it must give. */
const CASES = {
  // Plain random base64: the prefilter literals are 4–5 characters, so they occur by chance.
  "random-base64": { expected: 0, build: async (size, s) => randomBytes(s, Math.floor((size * 3) / 4)).toString("base64") },
  // The encoding of prefixes back to back: a literal every few characters, no key.
  "encoded-prefixes": { expected: 0, build: async (size) => b64("apk_apk_user_cog_".repeat(Math.ceil(((size * 3) / 4) / 17))).slice(0, size) },
  // Prefilter literals at every alignment, glued together: each one is a false start.
  "literal-soup": {
    expected: 0,
    build: async (size) => {
      const { BASE64_LITERALS } = await import(pathToFileURL(path.join(DIST, "scan/decoded/base64.js")).href);
      const soup = BASE64_LITERALS.map((l) => l.text).join("");
      return soup.repeat(Math.ceil(size / soup.length)).slice(0, size);
    },
  },
  // base64 of base64 of … (a tree of blobs): decoded once only, so nothing is found and nothing grows.
  "nested-20-deep": {
    expected: 0,
    build: async (size, s) => {
      let text = (await keys(s, 1))[0];
      let out = "";
      for (let depth = 0; out.length < size && depth < 20; depth++) text = b64(text);
      while (out.length < size) out += `${text}\n`;
      return out.slice(0, size - 1) + "\n";
    },
  },
  // Many real keys inside one giant blob: every window decodes and finds keys.
  "blob-of-keys": {
    expected: -1,
    build: async (size, s) => {
      const ks = await keys(s, 64);
      let plain = "";
      while (plain.length < (size * 3) / 4) plain += `${ks[plain.length % 64]} filler text between keys\n`;
      return b64(plain).slice(0, size - (size % 4));
    },
  },
  // One very long line of base64 with a key at the very end.
  "key-at-end": {
    expected: 1,
    build: async (size, s) => {
      const [k] = await keys(s, 1);
      return b64("x".repeat(Math.floor((size * 3) / 4) - 200) + " " + k + "\n");
    },
  },
};

function b64(s) {
  return Buffer.from(s, "latin1").toString("base64");
}

function randomBytes(rng, n) {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) buf[i] = Math.floor(rng() * 256);
  return buf;
}

async function keys(rng, n) {
  const { keyOfKind } = await import(pathToFileURL(path.join(DIST, "grammar/synthetic.js")).href);
  const kinds = ["personal", "service", "service-user"];
  return Array.from({ length: n }, (_, i) => keyOfKind(rng, kinds[i % 3]));
}

/** Runs one case in this process and prints its result as JSON. */
async function child(name, size) {
  const { seededRng } = await import(pathToFileURL(path.join(DIST, "grammar/synthetic.js")).href);
  const { scanByteChunks } = await import(pathToFileURL(path.join(DIST, "scan/scanner.js")).href);
  const { DEFAULT_DETECTORS } = await import(pathToFileURL(path.join(DIST, "scan/detectors.js")).href);
  const text = await CASES[name].build(size, seededRng(42));
  const bytes = Buffer.from(text, "latin1");
  const chunks = function* () {
    for (let i = 0; i < bytes.length; i += MiB) yield bytes.subarray(i, i + MiB);
  };
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const outcome = await scanByteChunks(`${name}.txt`, chunks(), { detectors: DEFAULT_DETECTORS });
  const ms = performance.now() - t0;
  const findings = outcome.status === "scanned" ? outcome.findings.length : -1;
  process.stdout.write(JSON.stringify({ name, bytes: bytes.length, ms, findings, rssBeforeKiB: before, peakRssKiB: process.resourceUsage().maxRSS }) + "\n");
}

export function runAdversarialBase64({ quick = process.env.BENCH_QUICK === "1" } = {}) {
  const size = quick ? 4 * MiB : 32 * MiB;
  const rows = [];
  for (const name of Object.keys(CASES)) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--case", name, String(size)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`adversarial-base64 ${name} failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop());
    const expected = CASES[name].expected;
    rows.push({
      name,
      bytes: out.bytes,
      ms: Math.round(out.ms),
      mbPerS: +((out.bytes / MiB) / (out.ms / 1000)).toFixed(1),
      // The input itself is held once as a Buffer and once as a string: report the scanner's extra.
      peakRssMiB: +(out.peakRssKiB / 1024).toFixed(0),
      inputHeldMiB: +((out.rssBeforeKiB) / 1024).toFixed(0),
      findings: out.findings,
      ok: expected === -1 ? out.findings > 0 : out.findings === expected,
    });
  }
  return rows;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const i = process.argv.indexOf("--case");
  if (i !== -1) {
    await child(process.argv[i + 1], Number(process.argv[i + 2]));
  } else {
    const rows = runAdversarialBase64();
    if (process.argv.includes("--json")) {
      process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    } else {
      console.log("case               size     time      MB/s   peak RSS (before scan)  findings");
      for (const r of rows) {
        console.log(
          `${r.name.padEnd(18)} ${`${(r.bytes / MiB).toFixed(0)} MiB`.padStart(7)} ${`${r.ms} ms`.padStart(9)} ${String(r.mbPerS).padStart(8)}   ${`${r.peakRssMiB} MiB (${r.inputHeldMiB})`.padStart(18)}  ${r.findings}${r.ok ? "" : "  UNEXPECTED"}`,
        );
      }
    }
    if (rows.some((r) => !r.ok)) process.exit(1);
  }
}
