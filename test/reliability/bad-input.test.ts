/**
 * The bad-input matrix (issue 8): each hostile input, run through the BUILT CLI as a user
 * would, with the outcome and exit code README.md § Reliability documents. Every run must
 * end (a spawn timeout turns a hang into a failure), print no stack trace and no full key.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, runCli, tempDir, type CliRun } from "../support/cli.js";
import { expectWellBehaved, HANG_TIMEOUT_MS, keySet, positionIn, runUnprivileged, scanJson, type JsonReport } from "./support.js";

const PRELOAD_AFTER_LISTING = resolve(import.meta.dirname, "preload/after-listing.cjs");
const K = keySet(8);

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

function mksocket(path: string): void {
  // The socket file stays after the process exits: a socket nobody listens on, as left by a crashed daemon.
  execFileSync(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`]);
}

function only<T>(list: readonly T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe("binary files", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "plain.bin"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0xff, 0]));
  writeFileSync(join(dir, "with-key.bin"), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(` ${K.personal} `), Buffer.alloc(64)]));
  // The binary check reads the first 8 KiB: a NUL after that does not make a text file binary.
  writeFileSync(join(dir, "late-nul.log"), Buffer.concat([Buffer.from("x".repeat(9000) + "\n"), Buffer.from(`k=${K.service}\n`), Buffer.from([0, 0, 0])]));

  it("a binary file without a key is skipped and counted: exit 0", () => {
    const { status, report } = scanJson(["plain.bin"], { cwd: dir });
    expect(status).toBe(0);
    expect(report.stats.skippedBinary).toBe(1);
    expect(report.stats.filesScanned).toBe(0);
    expect(report.errors).toEqual([]);
  });

  it("a binary file (NUL in the first 8 KiB) holding a key is skipped, counted, and says so in the text summary", () => {
    const { status, report } = scanJson(["with-key.bin"], { cwd: dir, secrets: K.all });
    expect(status).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.stats.skippedBinary).toBe(1);
    const text = runCli(["with-key.bin"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(text, K.all);
    expect(text.stdout).toMatch(/1 binary skipped/);
  });

  it("a text file with NUL bytes after the first 8 KiB is scanned: the key is found, exit 1", () => {
    const { status, report } = scanJson(["late-nul.log"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    const f = only(report.findings);
    expect(f).toMatchObject({ kind: "service", line: 2, column: 3 });
  });

  it("binary data on standard input is skipped, exit 0", () => {
    const { status, report } = scanJson(["-"], { cwd: dir, input: Buffer.from([0, 1, 2, 3, 0, 0xff]) });
    expect(status).toBe(0);
    expect(report.stats.skippedBinary).toBe(1);
  });
});

describe("encodings and line breaks", () => {
  const dir = tempDir();

  it("invalid UTF-8 around a key does not hide it: exit 1, right line", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xc3, 0x28, 0x80, 0xfe]),
      Buffer.from(K.personal),
      Buffer.from([0xff, 0xc0, 0x0a]),
      Buffer.from([0xe2, 0x82, 0xac]), // "€": one UTF-16 unit
      Buffer.from(`=${K.serviceUser}`),
      Buffer.from([0xed, 0xa0, 0x80, 0x0a]), // an encoded surrogate: invalid UTF-8
    ]);
    writeFileSync(join(dir, "invalid-utf8.txt"), bytes);
    const { status, report } = scanJson(["invalid-utf8.txt"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.line])).toEqual([
      ["personal", 1],
      ["service-user", 2],
    ]);
    expect(report.findings[1]).toMatchObject({ column: 3, endColumn: 3 + K.serviceUser.length });
  });

  const text = `# header\r\nDEVIN_API_KEY=${K.personal}\r\n  token: ${K.serviceUser}\n`;
  const cases: [string, Buffer][] = [
    ["UTF-16 LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])],
    ["UTF-16 BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])],
    ["UTF-16 LE without BOM", Buffer.from(text, "utf16le")],
    ["UTF-16 BE without BOM", Buffer.from(text, "utf16le").swap16()],
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: decoded, both keys found at exact positions, exit 1`, () => {
      const file = `${name.replace(/\W+/g, "-")}.txt`;
      writeFileSync(join(dir, file), bytes);
      const { status, report } = scanJson([file], { cwd: dir, secrets: K.all });
      expect(status).toBe(1);
      expect(report.findings.map((f) => ({ kind: f.kind, line: f.line, column: f.column, endColumn: f.endColumn }))).toEqual([
        { kind: "personal", line: 2, column: 15, endColumn: 15 + K.personal.length },
        { kind: "service-user", line: 3, column: 10, endColumn: 10 + K.serviceUser.length },
      ]);
    });
  }

  it("a UTF-16 BOM glued before plain text does not hide its keys: exit 1", () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
      writeFileSync(join(dir, "fake-bom.txt"), Buffer.concat([Buffer.from(bom), Buffer.from(`token=${K.serviceUser}\n`)]));
      const { status, report } = scanJson(["fake-bom.txt"], { cwd: dir, secrets: K.all });
      expect(status).toBe(1);
      expect(report.findings.map((f) => [f.kind, f.line])).toEqual([["service-user", 1]]);
    }
  });

  it("CRLF and lone CR line breaks count as one line each: exact positions, exit 1", () => {
    const content = `a\r\nb\rc\n\r\n\r\r x=${K.service}\r\ny\r  ${K.personal}\r`;
    writeFileSync(join(dir, "breaks.txt"), content);
    const { status, report } = scanJson(["breaks.txt"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    const expected = [K.service, K.personal].map((k) => {
      const at = content.indexOf(k);
      return { ...positionIn(content, at), endColumn: positionIn(content, at).column + k.length };
    });
    expect(expected.map((p) => p.line)).toEqual([7, 9]);
    expect(report.findings.map((f) => ({ line: f.line, column: f.column, endColumn: f.endColumn }))).toEqual(expected);
  });

  it("an empty file is scanned and clean: exit 0", () => {
    writeFileSync(join(dir, "empty.txt"), "");
    const { status, report } = scanJson(["empty.txt"], { cwd: dir });
    expect(status).toBe(0);
    expect(report.stats).toMatchObject({ filesScanned: 1, bytesScanned: 0 });
  });

  it("empty standard input is clean: exit 0", () => {
    const { status, report } = scanJson(["-"], { cwd: dir, input: "" });
    expect(status).toBe(0);
    expect(report.errors).toEqual([]);
  });
});

describe("large inputs", () => {
  const dir = tempDir();

  it("a 10 MB single line (minified bundle) with keys at its start, middle and end: exact columns, exit 1", () => {
    const size = 10 * 1024 * 1024;
    const line = Buffer.alloc(size, "a;");
    const at = [0, size / 2 + 3, size - K.serviceUser.length];
    const keys = [K.personal, K.service, K.serviceUser];
    keys.forEach((k, i) => {
      const start = at[i]!;
      if (start > 0) line.write(";", start - 1);
      line.write(k, start);
      if (start + k.length < size) line.write(";", start + k.length);
    });
    writeFileSync(join(dir, "bundle.min.js"), line);
    const { status, report } = scanJson(["bundle.min.js"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.line, f.column, f.endColumn])).toEqual(
      keys.map((k, i) => [["personal", "service", "service-user"][i], 1, at[i]! + 1, at[i]! + 1 + k.length]),
    );
  });

  it("a 64 MiB file streamed in 1 MiB chunks: keys straddling chunk boundaries are found at exact positions", () => {
    const MiB = 1024 * 1024;
    const lineText = "2026-11-27T01:00:00Z INFO request served in 12 ms by worker 7\n"; // 63 bytes
    const buffer = Buffer.alloc(64 * MiB);
    for (let o = 0; o < buffer.length; o += lineText.length) buffer.write(lineText, o);
    // Keys start before a chunk boundary and end after it, at various offsets, plus one at the very end.
    const placed: { key: string; kind: string; offset: number }[] = [];
    const kinds = [
      ["personal", K.personal],
      ["service", K.service],
      ["service-user", K.serviceUser],
    ] as const;
    for (let b = 1; b < 64; b += 7) {
      const [kind, key] = kinds[b % 3]!;
      const offset = b * MiB - 1 - (b % 40);
      placed.push({ key, kind, offset });
    }
    placed.push({ key: K.service, kind: "service", offset: buffer.length - K.service.length - 1 });
    for (const p of placed) {
      buffer.write(" ", p.offset - 1);
      buffer.write(p.key, p.offset);
      buffer.write(" ", p.offset + p.key.length);
    }
    writeFileSync(join(dir, "huge.log"), buffer);
    // Lines are 63 bytes and untouched keys contain no newline: line/column follow from the offset,
    // unless a key overwrote a newline, so count newlines for real.
    const expected = placed.map((p) => {
      let line = 1;
      let lineStart = 0;
      for (let i = buffer.indexOf(0x0a); i !== -1 && i < p.offset; i = buffer.indexOf(0x0a, i + 1)) {
        line++;
        lineStart = i + 1;
      }
      return [p.kind, line, p.offset - lineStart + 1, p.offset - lineStart + 1 + p.key.length];
    });
    const { status, report } = scanJson(["huge.log"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.stats.bytesScanned).toBe(64 * MiB);
    expect(report.findings.map((f) => [f.kind, f.line, f.column, f.endColumn])).toEqual(expected);
  });
});

describe("special files: never opened for reading, never followed", () => {
  const dir = tempDir();
  const tree = join(dir, "tree");
  mkdirSync(tree);
  writeFileSync(join(tree, "clean.txt"), "nothing to see\n");
  mkfifo(join(tree, "pipe"));
  mksocket(join(tree, "daemon.sock"));
  symlinkSync("/dev/zero", join(tree, "zero"));
  symlinkSync("loop-b", join(tree, "loop-a"));
  symlinkSync("loop-a", join(tree, "loop-b"));
  symlinkSync("/", join(tree, "root-link"));
  writeFileSync(join(dir, "leak.env"), `DEVIN_API_KEY=${K.personal}\n`);

  it("a tree holding a FIFO, a socket, a /dev/zero link, a symlink loop and a link to / is walked without blocking: exit 0", () => {
    const { status, report } = scanJson(["tree"], { cwd: dir });
    expect(status).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.stats.filesScanned).toBe(1);
  });

  const explicit: [string, RegExp, string][] = [
    ["tree/pipe", /not a regular file \(FIFO\)/, "ENOTREG"],
    ["tree/daemon.sock", /not a regular file \(socket\)/, "ENOTREG"],
    ["tree/zero", /not a regular file \(character device\)/, "ENOTREG"],
    ["/dev/zero", /not a regular file \(character device\)/, "ENOTREG"],
    ["tree/loop-a", /too many levels of symbolic links/, "ELOOP"],
  ];
  for (const [arg, message, code] of explicit) {
    it(`${arg} named on the command line is reported in errors, never read: exit 3`, () => {
      const { status, report } = scanJson([arg], { cwd: dir });
      expect(status).toBe(3);
      const error = only(report.errors);
      expect(error.message).toMatch(message);
      expect(error.code).toBe(code);
      expect(error.path).toBe(arg.startsWith("/") ? "../".repeat(dir.split("/").length - 1) + arg.slice(1) : arg);
    });
  }

  it("a FIFO named next to a file holding a key: the error is listed, the key found, exit 1", () => {
    const { status, report } = scanJson(["tree/pipe", "leak.env"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(only(report.findings).file).toBe("leak.env");
    expect(only(report.errors).path).toBe("tree/pipe");
  });

  it("the text report names the failure and never says clean", () => {
    const run = runCli(["tree/pipe"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, []);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/error tree\/pipe: not a regular file \(FIFO\)/);
    expect(run.stdout).toMatch(/incomplete scan/);
    expect(run.stdout).not.toMatch(/no Devin credentials found/);
  });
});

describe("files that change between listing and reading (deterministic: a readdir hook preloaded into the CLI)", () => {
  const setup = (): string => {
    const dir = tempDir();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "a.txt"), "fine\n");
    writeFileSync(join(dir, "src", "gone.txt"), "soon deleted\n");
    return dir;
  };

  it("a file deleted after listing is reported in errors, the rest completes: exit 3", () => {
    const dir = setup();
    const env = { DKS_AFTER_LISTING: "vanish", DKS_AFTER_LISTING_PATH: join(dir, "src", "gone.txt") };
    const { status, report } = scanJson(["src"], { cwd: dir, nodeArgs: ["--require", PRELOAD_AFTER_LISTING], env });
    expect(status).toBe(3);
    expect(only(report.errors)).toEqual({ path: "src/gone.txt", message: "no such file (it may have been deleted during the scan)", code: "ENOENT" });
    expect(report.stats.filesScanned).toBe(1);
  });

  it("same, with a key elsewhere: exit 1, the error still listed", () => {
    const dir = setup();
    writeFileSync(join(dir, "src", "z.env"), `K=${K.serviceUser}\n`);
    const env = { DKS_AFTER_LISTING: "vanish", DKS_AFTER_LISTING_PATH: join(dir, "src", "gone.txt") };
    const { status, report } = scanJson(["src"], { cwd: dir, nodeArgs: ["--require", PRELOAD_AFTER_LISTING], env, secrets: K.all });
    expect(status).toBe(1);
    expect(only(report.findings).file).toBe("src/z.env");
    expect(only(report.errors).path).toBe("src/gone.txt");
  });

  it("a file replaced by a FIFO after listing is not read (opened non-blocking, checked with fstat): no hang, exit 0", () => {
    const dir = setup();
    const env = { DKS_AFTER_LISTING: "fifo", DKS_AFTER_LISTING_PATH: join(dir, "src", "gone.txt") };
    const { status, report } = scanJson(["src"], { cwd: dir, nodeArgs: ["--require", PRELOAD_AFTER_LISTING], env });
    expect(status).toBe(0);
    expect(report.stats).toMatchObject({ filesScanned: 1, skippedNotRegular: 1 });
  });
});

describe("permissions (as root the CLI runs as the user nobody via setpriv, since root bypasses chmod)", () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const asNobody = (args: string[]): CliRun => runUnprivileged(["--format", "json", ...args], dir);
  mkdirSync(join(dir, "locked"));
  writeFileSync(join(dir, "locked", "inside.env"), `K=${K.personal}\n`);
  chmodSync(join(dir, "locked"), 0o000);
  // Hooks run last-registered first: the directory is listable again before tempDir removes it.
  afterAll(() => chmodSync(join(dir, "locked"), 0o755));
  writeFileSync(join(dir, "unreadable.txt"), "x\n");
  chmodSync(join(dir, "unreadable.txt"), 0o000);
  // A file named after a key: its path in the error must be redacted.
  writeFileSync(join(dir, `${K.service}.txt`), "x\n");
  chmodSync(join(dir, `${K.service}.txt`), 0o000);
  writeFileSync(join(dir, "readable.txt"), "fine\n");
  chmodSync(join(dir, "readable.txt"), 0o644);

  const run = (args: string[]): { status: number | null; report: JsonReport; stderr: string; stdout: string } => {
    const r = asNobody(args);
    expectWellBehaved(r, K.all);
    return { ...r, report: JSON.parse(r.stdout) as JsonReport };
  };

  it("an unlistable directory and unreadable files are reported in errors, the rest completes: exit 3", () => {
    const { status, report } = run(["."]);
    expect(status).toBe(3);
    expect(report.errors).toEqual([
      { path: "locked", message: "cannot list directory: permission denied", code: "EACCES" },
      { path: `apk_****${K.service.slice(-4)}.txt`, message: "permission denied", code: "EACCES" },
      { path: "unreadable.txt", message: "permission denied", code: "EACCES" },
    ]);
    expect(report.stats.filesScanned).toBe(1);
  });

  it("same with a readable key elsewhere: exit 1 and the errors listed", () => {
    writeFileSync(join(dir, "zz.env"), `K=${K.serviceUser}\n`);
    chmodSync(join(dir, "zz.env"), 0o644);
    try {
      const { status, report } = run(["."]);
      expect(status).toBe(1);
      expect(only(report.findings).file).toBe("zz.env");
      expect(report.errors).toHaveLength(3);
    } finally {
      chmodSync(join(dir, "zz.env"), 0o000);
    }
  });

  it("an unreadable file named on the command line: exit 3, named in the text report", () => {
    const r = asNobody(["unreadable.txt"]);
    expect(r.status).toBe(3);
    const text = runUnprivileged(["unreadable.txt"], dir);
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(/error unreadable\.txt: permission denied/);
    expect(text.stdout).not.toMatch(/no Devin credentials found/);
  });
});

describe("a tree deeper than PATH_MAX", () => {
  // Built and removed with the shell's relative `cd`: absolute paths this long cannot be used.
  const dir = mkdtempSync(join(tmpdir(), "dks-long-"));
  afterAll(() => execFileSync("rm", ["-rf", dir]));
  execFileSync("sh", ["-c", 'cd "$1" && mkdir top && cd top && i=0; while [ $i -lt 250 ]; do mkdir dddddddddddddddddddd && cd dddddddddddddddddddd; i=$((i+1)); done; echo x > deep.txt', "sh", dir]);
  writeFileSync(join(dir, "top", "k.env"), `K=${K.service}\n`);

  it("the part beyond reach is listed in errors, the rest is scanned: exit 1 with the key, never a silent skip", () => {
    const { status, report } = scanJson(["top"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(only(report.findings).file).toBe("top/k.env");
    expect(report.errors.length).toBeGreaterThanOrEqual(1);
    expect(report.errors[0]!.code).toBe("ENAMETOOLONG");
  });
});

describe("hostile path names", () => {
  const dir = tempDir();
  const names = ["with space.env", `q"uo'te.env`, "new\nline.env", "cr\rname.env", "ünïcødé-€-😀.env", "tab\there.env", "\u001b[31mred.env", "back\\slash.env", `${K.serviceUser}.env`];
  mkdirSync(join(dir, "p"));
  for (const n of names) writeFileSync(join(dir, "p", n), `K=${K.personal}\n`);
  mkdirSync(join(dir, "p", "sub\ndir"));
  writeFileSync(join(dir, "p", "sub\ndir", "deep.env"), `K=${K.service}\n`);
  // fast-glob does not enter a directory with a backslash in its name: the walker must.
  mkdirSync(join(dir, "p", "back\\slash dir", "nested"), { recursive: true });
  writeFileSync(join(dir, "p", "back\\slash dir", "nested", "deeper.env"), `K=${K.service}\n`);

  it("every file is scanned and named exactly in JSON (escaped by JSON, a key in a name redacted): exit 1", () => {
    const { status, report } = scanJson(["p"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    const redactedName = `cog_****${K.serviceUser.slice(-4)}.env`;
    const expected = [...names.map((n) => (n.startsWith("cog_") ? redactedName : n)).map((n) => `p/${n}`), "p/sub\ndir/deep.env", "p/back\\slash dir/nested/deeper.env"].sort();
    expect(report.findings.map((f) => f.file).sort()).toEqual(expected);
  });

  it("the text report escapes control characters in names, so a name cannot forge a line or a terminal escape", () => {
    const run = runCli(["p"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, K.all);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("p/new\\nline.env:1:3");
    expect(run.stdout).toContain("p/cr\\rname.env:1:3");
    expect(run.stdout).toContain("p/\\u001b[31mred.env:1:3");
    expect(run.stdout).toContain("p/sub\\ndir/deep.env:1:3");
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).not.toContain("\r");
    expect(run.stdout).toContain("p/ünïcødé-€-😀.env:1:3");
    expect(run.stdout).toContain(`p/q"uo'te.env:1:3`);
  });

  it("a file named on the command line with a newline and a key in its name", () => {
    const name = `p/${K.serviceUser}.env`;
    const { status, report } = scanJson([name, "p/new\nline.env"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual([`p/cog_****${K.serviceUser.slice(-4)}.env`, "p/new\nline.env"]);
  });
});

describe("usage errors", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "a.txt"), "x\n");

  it("a missing path argument: exit 2 naming it, nothing scanned", () => {
    const run = runCli(["a.txt", "does/not exist.txt"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("path does not exist: does/not exist.txt");
    expect(run.stdout).toBe("");
  });

  it("a missing path with terminal escapes in its name: exit 2, the escapes shown as text", () => {
    const run = runCli(["no\u001b[2Jpe\rx"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("path does not exist: no\\u001b[2Jpe\\u000dx");
    expect(run.stderr).not.toMatch(/[\u001b\r]/);
  });

  it("an empty path argument (an unset shell variable): exit 2, not a scan of the working directory", () => {
    const run = runCli(["a.txt", ""], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('empty path argument ("")');
    expect(run.stdout).toBe("");
  });

  it("a missing path that is a key: exit 2, the key redacted in the message", () => {
    const run = runCli([K.personal], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, K.all);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`path does not exist: apk_user_****${K.personal.slice(-4)}`);
  });

  it("a key passed as a flag value is redacted in the usage error: exit 2", () => {
    const run = runCli(["--format", K.serviceUser], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, K.all);
    expect(run.status).toBe(2);
    const run2 = runCli([`--${K.service}`], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run2, K.all);
    expect(run2.status).toBe(2);
  });

  it("--output into a directory that does not exist: exit 3 (a failure, never clean), no report half-written", () => {
    const run = runCli(["a.txt", "--output", "no/such/dir/report.json"], { cwd: dir, timeout: HANG_TIMEOUT_MS });
    expectWellBehaved(run, []);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/cannot write report to no\/such\/dir\/report\.json: its directory does not exist/);
  });
});

describe("standard output that fails", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "clean.txt"), "nothing\n");
  writeFileSync(join(dir, "k.env"), `K=${K.personal}\n`);

  const toDevFull = (args: string[]): { status: number | null; stderr: string } => {
    const fd = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, stdio: ["ignore", fd, "pipe"], encoding: "utf8", timeout: HANG_TIMEOUT_MS });
      return { status: r.status, stderr: r.stderr };
    } finally {
      closeSync(fd);
    }
  };

  it("a full disk (/dev/full): said in one line, no stack trace; a clean scan becomes exit 3, findings keep exit 1", () => {
    const clean = toDevFull(["clean.txt"]);
    expectWellBehaved({ ...clean, stdout: "" }, []);
    expect(clean.status).toBe(3);
    expect(clean.stderr).toMatch(/^devin-keyscan: cannot write the report: ENOSPC/);
    const found = toDevFull(["k.env"]);
    expectWellBehaved({ ...found, stdout: "" }, K.all);
    expect(found.status).toBe(1);
  });

  it("a reader that goes away (`| head`): no stack trace, the exit code still tells the truth", async () => {
    const child = spawn(process.execPath, [BIN, "k.env", "--format", "json"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), HANG_TIMEOUT_MS);
    const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    clearTimeout(timer);
    expectWellBehaved({ status, stdout: "", stderr }, K.all);
    expect(status).toBe(1);
    expect(stderr).toBe("");
  });
});

describe(".gitignore with invalid patterns", () => {
  const dir = tempDir();
  const patterns = ["[z-a]", "\\", "!", "***[", "[", "**/[!", "/", "a/**/b/***/", "\\\\\\", "#comment", "   ", "x".repeat(10_000), "!!!", "**/*.{", "{a,b"];
  writeFileSync(join(dir, ".gitignore"), patterns.join("\n") + "\n*.skip\n");
  writeFileSync(join(dir, "found.env"), `K=${K.personal}\n`);
  writeFileSync(join(dir, "ignored.skip"), `K=${K.service}\n`);
  writeFileSync(join(dir, "a"), `K=${K.serviceUser}\n`);

  it("bad lines neither crash the walk nor hide files; valid lines still apply: exit 1", () => {
    const { status, report } = scanJson(["."], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file).sort()).toEqual(["a", "found.env"]);
  });

  it("with --no-gitignore everything is scanned: exit 1", () => {
    const { status, report } = scanJson([".", "--no-gitignore"], { cwd: dir, secrets: K.all });
    expect(status).toBe(1);
    expect(report.findings.map((f) => f.file).sort()).toEqual(["a", "found.env", "ignored.skip"]);
  });
});

describe("standard input", () => {
  it("a key on standard input is found, never echoed: exit 1", () => {
    const dir = tempDir();
    const { status, report } = scanJson(["-"], { cwd: dir, input: `token ${K.serviceUser}\n`, secrets: K.all });
    expect(status).toBe(1);
    expect(only(report.findings)).toMatchObject({ file: "<stdin>", line: 1, column: 7 });
  });
});
