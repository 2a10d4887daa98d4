// Benchmark inputs: a copy of a real dependency tree, a generated JavaScript tree, single
// big files and single long lines. Every key is synthetic (src/grammar/synthetic.ts, via
// dist), and each generator returns the keys it planted so the sanity pass can check
// that every tool finds them.
import { cpSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync, openSync, writeSync, closeSync, appendFileSync } from "node:fs";
import * as path from "node:path";

const WORDS =
  "total value index request response handler buffer stream config option result error cache token session update render widget parse format merge filter reduce payload header client server module export import default".split(
    " ",
  );
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const KINDS = ["personal", "service", "service-user"];

/** Text near-misses found in real code (DESIGN.md §1 decoys): they carry a prefix but are no key. */
const DECOYS = [
  (n) => `registry.apk_version_code = ${n};`,
  (n) => `registry.apk_path = "build/outputs/app-${n}.apk";`,
  (n) => `registry.cog_unload(${n});`,
  (n) => `registry.cog_before_invoke = "hook-${n}";`,
];

function pick(rng, s, n) {
  let out = "";
  for (let i = 0; i < n; i++) out += s[Math.floor(rng() * s.length)];
  return out;
}

/** A tiny JavaScript vocabulary: every line parses, and a file lints clean under eslint:recommended. */
export class CodeWriter {
  constructor(synthetic, seed) {
    this.synthetic = synthetic;
    this.rng = synthetic.seededRng(seed);
    this.n = 0;
    /** Whether ordinary lines may be decoys (a prefix that is no key). */
    this.decoys = true;
  }
  word() {
    return WORDS[Math.floor(this.rng() * WORDS.length)];
  }
  header() {
    return '"use strict";\nconst registry = { cog_unload() {} };\nfunction computeTotal(...args) {\n  return args.length;\n}\n'.replace(
      this.decoys ? "" : "cog_unload() {}",
      "",
    );
  }
  line() {
    const n = this.n++;
    const r = this.rng();
    if (r < 0.35) return `registry.${this.word()}${n} = computeTotal(${n}, "${this.word()} ${this.word()}", [${n % 97}, ${n % 13}]);`;
    if (r < 0.55) return `// ${this.word()} the ${this.word()} before the ${this.word()} is ${this.word()}ed (${n})`;
    if (r < 0.75) return `registry.${this.word()}${n} = { ${this.word()}: "${pick(this.rng, BASE64, 24)}", size: ${n} };`;
    if (r < 0.9) return `if (registry.${this.word()}${n % 50} === ${n}) registry.${this.word()} = "${this.word()}-${n}";`;
    if (r < 0.997 || !this.decoys) return `registry.list${n} = [${n}, ${n + 1}, ${n + 2}].map((x) => x * ${n % 7});`;
    return DECOYS[n % DECOYS.length](n);
  }
  /** A key-carrying statement; returns [line, key]. */
  keyLine(kindIndex) {
    const key = this.synthetic.keyOfKind(this.rng, KINDS[kindIndex % KINDS.length]);
    return [`registry.DEVIN_API_KEY_${this.n++} = "${key}";`, key];
  }
  /** Lines totalling about `bytes` bytes, joined by `sep`. */
  block(bytes, sep = "\n") {
    const parts = [];
    let size = 0;
    while (size < bytes) {
      const l = this.line();
      parts.push(l);
      size += l.length + sep.length;
    }
    return parts.join(sep);
  }
}

/**
 * `files` JavaScript files of about `fileBytes` bytes in `dirs` directories; every
 * `keyEvery`-th file gets one synthetic key at a pseudo-random line, and every
 * `decoyEvery`-th file has decoys (`apk_version_code`, `cog_unload`, …) in its header and
 * about one line in 300, as code that mentions such names does; the other files are
 * ordinary code without either prefix.
 */
export function generateTree(root, synthetic, { files, fileBytes, dirs, keyEvery, decoyEvery = 10, seed = 7 }) {
  const w = new CodeWriter(synthetic, seed);
  const planted = [];
  const decoyLines = { count: 0 };
  let decoyFiles = 0;
  for (let i = 0; i < files; i++) {
    w.decoys = i % decoyEvery === 0;
    if (w.decoys) decoyFiles++;
    const dir = path.join(root, `pkg${String(i % dirs).padStart(3, "0")}`, "src");
    mkdirSync(dir, { recursive: true });
    const rel = path.relative(root, path.join(dir, `module${String(i).padStart(5, "0")}.js`));
    const lines = [];
    let size = 0;
    while (size < fileBytes) {
      const l = w.line();
      lines.push(l);
      size += l.length + 1;
    }
    if (i % keyEvery === 0) {
      const [l, key] = w.keyLine(planted.length);
      lines.splice(Math.floor(w.rng() * lines.length), 0, l);
      planted.push({ file: rel.split(path.sep).join("/"), key });
    }
    for (const l of lines) if (l.includes("apk_") || l.includes("cog_")) decoyLines.count++;
    writeFileSync(path.join(root, rel), w.header() + lines.join("\n") + "\n");
  }
  // +1 per decoy file: the header's `cog_unload` line.
  return { planted, prefixLines: decoyLines.count + decoyFiles, decoyFiles };
}

/**
 * Copies a real tree (this project's node_modules). Nested `node_modules` directories are
 * renamed so that devin-keyscan's default exclusion does not skip what ripgrep reads.
 */
export function copyRealTree(from, to, synthetic, { keys = 30, seed = 11 } = {}) {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  const renames = [];
  const walkDirs = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      walkDirs(p);
      if (e.name === "node_modules" || e.name === ".git") renames.push(p);
    }
  };
  walkDirs(to);
  for (const p of renames.sort((a, b) => b.length - a.length)) renameSync(p, p + "_");
  // Plant keys in every n-th JavaScript file.
  const js = [];
  const collect = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) collect(p);
      else if (e.isFile() && e.name.endsWith(".js")) js.push(p);
    }
  };
  collect(to);
  const rng = synthetic.seededRng(seed);
  const planted = [];
  const step = Math.max(1, Math.floor(js.length / keys));
  for (let i = 0; i < js.length && planted.length < keys; i += step) {
    const key = synthetic.keyOfKind(rng, KINDS[planted.length % KINDS.length]);
    appendFileSync(js[i], `\n// DEVIN_API_KEY=${key}\n`);
    planted.push({ file: path.relative(to, js[i]).split(path.sep).join("/"), key });
  }
  return { planted, files: countFiles(to) };
}

export function countFiles(root) {
  let files = 0;
  let bytes = 0;
  const rec = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) rec(p);
      else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  rec(root);
  return { files, bytes };
}

/** A file of about `mb` MiB of ordinary code lines with three keys in it (start, middle, end). */
export function generateBigFile(file, synthetic, mb, seed = 3) {
  const w = new CodeWriter(synthetic, seed);
  const block = w.header() + w.block(8 << 20) + "\n";
  const fd = openSync(file, "w");
  const planted = [];
  const total = Math.max(1, Math.round((mb << 20) / Buffer.byteLength(block)));
  try {
    for (let i = 0; i < total; i++) {
      if (i === 0 || i === total - 1 || i === Math.floor(total / 2)) {
        const [l, key] = w.keyLine(planted.length);
        planted.push({ file: path.basename(file), key });
        writeSync(fd, l + "\n");
      }
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  return { planted };
}

/** One line of `bytes` bytes of ordinary code, no line break, no prefix. */
export function ordinaryLine(synthetic, bytes, seed = 5) {
  const w = new CodeWriter(synthetic, seed);
  let s = "";
  while (s.length < bytes) {
    const l = w.line();
    if (!l.includes("apk_") && !l.includes("cog_")) s += l + " ";
  }
  return s.slice(0, bytes);
}

/**
 * One line of `bytes` bytes made of near-miss prefixes only: `apk_user_` before a long
 * base64 run that fails the decode check, `apk_b3JnLT…` service bodies of the wrong
 * length, `cog_` with 51 base32 characters, and prefixes glued to a word.
 */
export function adversarialLine(synthetic, bytes, seed = 9) {
  const rng = synthetic.seededRng(seed);
  const parts = [];
  let size = 0;
  let prefixes = 0;
  while (size < bytes) {
    const seg = [`apk_user_${pick(rng, BASE64, 4000)}`];
    for (let i = 0; i < 20; i++) {
      seg.push(`apk_b3JnLT${pick(rng, BASE64, 80)}`);
      seg.push(`cog_${pick(rng, BASE32, 51)}`);
      seg.push(`apk_user_${pick(rng, BASE64, 120)}`);
      seg.push(`xapk_user_${pick(rng, BASE64, 8)}`);
    }
    const s = seg.join(" ") + " ";
    prefixes += seg.length;
    parts.push(s);
    size += s.length;
  }
  return { text: parts.join("").slice(0, bytes), prefixes };
}
