import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findKeys } from "../../src/grammar/index.js";
import { seededRng, serviceUserKey } from "../../src/grammar/synthetic.js";
import { runCli, tempDir } from "../support/cli.js";
import { scanText } from "./checks/support.js";

const rng = seededRng(0xf1a9);
const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("a finding's fingerprint", () => {
  it("is the SHA-256 of the canonical key, an own enumerable property that copies, serialises and clones with its value", async () => {
    const key = serviceUserKey(rng);
    const [finding, ...rest] = await scanText("app.js", `const token = "${key}";\n`);
    expect(rest).toEqual([]);
    const expected = sha256(findKeys(key)[0]!.canonical);
    expect(Object.keys(finding!)).toContain("fingerprint");
    expect(finding!.fingerprint).toBe(expected);
    // Read again: the same value (hashed once, kept).
    expect(finding!.fingerprint).toBe(expected);
    expect({ ...finding! }.fingerprint).toBe(expected);
    expect((JSON.parse(JSON.stringify(finding)) as { fingerprint: string }).fingerprint).toBe(expected);
    expect(structuredClone(finding!).fingerprint).toBe(expected);
  });

  it("is hashed only when read: a text report of a key never loads node:crypto, a JSON report does and prints it", () => {
    const dir = tempDir("dks-fingerprint-");
    const key = serviceUserKey(rng);
    writeFileSync(join(dir, "app.js"), `const token = "${key}";\n`);
    const probe = join(dir, "probe.cjs");
    const loaded = join(dir, "loaded.txt");
    // At exit, whether the process loaded node:crypto (Node's own list of its loaded modules).
    writeFileSync(probe, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, String(process.moduleLoadList.includes("NativeModule crypto"))));\n`);
    // Quoted: NODE_OPTIONS splits on spaces, and a temporary directory may hold one.
    const env = { NODE_OPTIONS: `--require ${JSON.stringify(probe)}` };

    const text = runCli(["app.js"], { cwd: dir, env });
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain("no-hardcoded-key");
    expect(readFileSync(loaded, "utf8")).toBe("false");

    const json = runCli(["-f", "json", "app.js"], { cwd: dir, env });
    expect(json.status, json.stderr).toBe(1);
    expect(json.stdout).toContain(sha256(findKeys(key)[0]!.canonical));
    expect(readFileSync(loaded, "utf8")).toBe("true");
  });
});
