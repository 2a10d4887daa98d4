/**
 * Properties: a key never leaves the tool in full (issue 8). Whatever the key and wherever it
 * hides (the scanned text, the file name, an error message, a notice, a suppressed finding),
 * no registered formatter, no error path and no baseline shows more than its prefix and last
 * 4 body characters — unless the user asked for `--no-redact`.
 */
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactKeysIn } from "../../src/grammar/index.js";
import { main } from "../../src/cli/main.js";
import { FORMATS, type ReportContext } from "../../src/report/index.js";
import { DEFAULT_DETECTORS } from "../../src/scan/detectors.js";
import { scanByteChunks } from "../../src/scan/scanner.js";
import type { Finding, ScanResult } from "../../src/scan/types.js";
import { serializeBaseline, updateBaseline } from "../../src/suppress/baseline.js";
import { keyArb, leaks, RUNS, surroundingArb, type GeneratedKey } from "./arbitraries.js";

const FORMAT_NAMES = Object.keys(FORMATS) as (keyof typeof FORMATS)[];
const formatters = await Promise.all(FORMAT_NAMES.map(async (name) => [name, await FORMATS[name]()] as const));

/** A scan result in which the key appears everywhere a key can reach a report. */
async function resultAround(k: GeneratedKey, left: string, right: string, fileName: string): Promise<ScanResult> {
  const file = `dir/${fileName}`;
  const outcome = await scanByteChunks(file, [Buffer.from(left + k.key + right, "utf8")], { detectors: DEFAULT_DETECTORS });
  const findings: Finding[] = outcome.status === "scanned" ? outcome.findings : [];
  expect(findings.length).toBeGreaterThan(0);
  const [first, ...rest] = findings;
  return {
    findings: rest.length > 0 ? rest : findings,
    errors: [
      { path: file, message: `cannot read ${k.key}: permission denied`, code: "EACCES" },
      { path: `refs/${k.key}`, message: `git failed: fatal: bad revision '${k.key}'`, code: "GIT" },
    ],
    notices: [`skipped ${file} (${k.key})`],
    stats: { filesScanned: 1, bytesScanned: outcome.bytes, skippedBinary: 0, skippedNotRegular: 0, durationMs: 1 },
    suppressed: [{ finding: first!, by: "baseline", reason: `accepted ${k.key}` }],
    stale: [{ fingerprint: first!.fingerprint, ruleId: "no-hardcoded-key", file, reason: `old ${k.key}` }],
  };
}

const fileNameArb = (k: GeneratedKey): fc.Arbitrary<string> =>
  fc.constantFrom(`${k.key}.env`, `a ${k.key}`, "plain.env", `x/${k.key}/y.txt`);

describe("no formatter ever shows a key in full", () => {
  it(`every registered format (${FORMAT_NAMES.join(", ")}), colour or not, verbose or not`, async () => {
    await fc.assert(
      fc.asyncProperty(
        keyArb.chain((k) => fc.tuple(fc.constant(k), surroundingArb({ noNul: true }), fileNameArb(k))),
        fc.boolean(),
        fc.boolean(),
        async ([k, { left, right }, fileName], color, verbose) => {
          const result = await resultAround(k, left, right, fileName);
          const context: ReportContext = { color, redact: true, verbose, toolVersion: "0.0.0-test" };
          for (const [name, format] of formatters) {
            const output = format(result, context);
            expect(leaks(output, k), `${name} leaks the key`).toBe(false);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("the leak check itself works: with --no-redact the text and JSON formats do show the key", async () => {
    const k = fc.sample(keyArb, { numRuns: 1, seed: 8 })[0]!;
    const result = await resultAround(k, "K=", "\n", "plain.env");
    const context: ReportContext = { color: false, redact: false, verbose: true, toolVersion: "0.0.0-test" };
    for (const [name, format] of formatters) {
      if (name === "text" || name === "json") expect(leaks(format(result, context), k), name).toBe(true);
    }
  });
});

describe("no error path shows a key in full", () => {
  it("redactKeysIn: any text around any key", () => {
    fc.assert(
      fc.property(keyArb, surroundingArb(), (k, { left, right }) => {
        expect(leaks(redactKeysIn(left + k.key + right), k)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("the CLI's usage and failure messages: a key as a missing path, a format, an unknown flag, an output path", async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, fc.integer({ min: 0, max: 3 }), async (k, which) => {
        const argv = [[`missing-dir/${k.key}`], ["--format", k.key, "."], [`--${k.key}`], ["--output", `/nonexistent-dir/${k.key}`, "/dev/null"]][which]!;
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let printed = "";
        stdout.on("data", (d: Buffer) => (printed += d.toString()));
        stderr.on("data", (d: Buffer) => (printed += d.toString()));
        const code = await main(argv, { stdout, stderr, env: { NO_COLOR: "1" }, cwd: "/" });
        expect(code === 2 || code === 3).toBe(true);
        expect(printed).toMatch(/devin-keyscan: /);
        expect(leaks(printed, k)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("no baseline holds a key", () => {
  it("the baseline written from findings in any file (named after the key, too) holds hashes only", async () => {
    await fc.assert(
      fc.asyncProperty(
        keyArb.chain((k) => fc.tuple(fc.constant(k), surroundingArb({ noNul: true }), fileNameArb(k))),
        async ([k, { left, right }, fileName]) => {
          const result = await resultAround(k, left, right, fileName);
          const { baseline } = updateBaseline(undefined, result, { cwd: "/repo", dir: "/repo" });
          expect(leaks(serializeBaseline(baseline), k)).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
