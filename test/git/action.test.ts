import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "../support/cli.js";
import { commitAll, git, GIT_ENV, keys, lines, newRepo, write } from "./support.js";

/**
 * The composite action's shell steps, run as the runner would run them (bash, env from
 * `env:`), against a real repository. The upload step is GitHub's own action.
 */
const action = readFileSync(join(ROOT, "action.yml"), "utf8");

/** The `run: |` block of the step whose `name:` is `step`. */
function stepScript(step: string): string {
  const start = action.indexOf(`- name: ${step}\n`);
  expect(start, step).toBeGreaterThan(-1);
  const run = action.indexOf("run: |\n", start);
  const body: string[] = [];
  for (const line of action.slice(run + "run: |\n".length).split("\n")) {
    if (line.trim() !== "" && !line.startsWith("        ")) break;
    body.push(line.slice(8));
  }
  return body.join("\n");
}

function runStep(step: string, cwd: string, env: Record<string, string>): { status: number | null; stdout: string; outputs: string } {
  const outputFile = join(tempDir("dks-gh-out-"), "output");
  const r = spawnSync("bash", ["-e", "-c", stepScript(step)], {
    cwd,
    encoding: "utf8",
    env: { ...GIT_ENV, NO_COLOR: "1", GITHUB_OUTPUT: outputFile, ...env },
  });
  let outputs = "";
  try {
    outputs = readFileSync(outputFile, "utf8");
  } catch {
    // the step wrote no output
  }
  return { status: r.status, stdout: r.stdout + r.stderr, outputs };
}

const k = keys(1001);

function pullRequestRepo(): { repo: string; base: string } {
  const repo = newRepo();
  write(repo, "legacy.env", lines(`OLD=${k.personal}`));
  const base = commitAll(repo, "main");
  git(repo, "checkout", "-q", "-b", "feature");
  write(repo, "src/new.ts", lines(`export const key = "${k.serviceUser}";`));
  commitAll(repo, "feature");
  return { repo, base };
}

const scanEnv = (over: Record<string, string>) => ({
  DKS_BIN: BIN,
  DKS_MODE: "auto",
  DKS_ARGS: "",
  DKS_SARIF: "devin-keyscan.sarif",
  DKS_ANNOTATIONS: "true",
  DKS_EVENT: "pull_request",
  DKS_BASE_SHA: "",
  ...over,
});

describe("action.yml", () => {
  it("on pull_request: scans the diff from the event's base, writes SARIF and annotations", () => {
    const { repo, base } = pullRequestRepo();
    const r = runStep("Scan", repo, scanEnv({ DKS_BASE_SHA: base }));
    expect(r.status, r.stdout).toBe(0);
    expect(r.outputs).toContain("exit-code=1");
    const sarif = JSON.parse(readFileSync(join(repo, "devin-keyscan.sarif"), "utf8")) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(["src/new.ts"]);
    expect(r.stdout).toMatch(/^::error file=src\/new\.ts,line=1,/m);
    expect(r.stdout).not.toContain(k.serviceUser);
  });

  it("on push: scans the whole tree; extra args are passed through", () => {
    const { repo } = pullRequestRepo();
    const full = runStep("Scan", repo, scanEnv({ DKS_EVENT: "push" }));
    expect(full.outputs).toContain("exit-code=1");
    expect(full.stdout.match(/^::error file=/gm)).toHaveLength(2);
    const excluded = runStep("Scan", repo, scanEnv({ DKS_EVENT: "push", DKS_ARGS: "--exclude *.env --exclude src/**" }));
    expect(excluded.outputs).toContain("exit-code=0");
  });

  it("a multi-line args block is read whole, not just its first line", () => {
    const { repo } = pullRequestRepo();
    const r = runStep("Scan", repo, scanEnv({ DKS_EVENT: "push", DKS_ARGS: "--exclude *.env\n--exclude src/**\n" }));
    expect(r.outputs, r.stdout).toContain("exit-code=0");
  });

  it("on pull_request_target with the base checked out (its default): an error, not a pass that scanned nothing", () => {
    const { repo, base } = pullRequestRepo();
    const head = git(repo, "rev-parse", "feature");
    git(repo, "checkout", "-q", "main");
    const target = (over: Record<string, string> = {}) => runStep("Scan", repo, scanEnv({ DKS_EVENT: "pull_request_target", DKS_BASE_SHA: base, DKS_HEAD_SHA: head, ...over }));
    const r = target();
    expect(r.outputs).toContain("exit-code=2");
    expect(r.stdout).toMatch(/::error title=devin-keyscan::HEAD is the pull request's base/);
    // The base branch moved on since the event's base: still not the pull request.
    write(repo, "later.txt", "x\n");
    commitAll(repo, "main moves on");
    expect(target().outputs).toContain("exit-code=2");
    // With the head checked out, the diff is scanned.
    git(repo, "checkout", "-q", "feature");
    expect(target().outputs).toContain("exit-code=1");
  });

  it("with --verify, keys are sent once: no second run for annotations", () => {
    const { repo } = pullRequestRepo();
    // A closed loopback port: verification fails fast, without the network.
    const r = runStep("Scan", repo, scanEnv({ DKS_EVENT: "push", DKS_ARGS: "--verify --verify-base-url http://127.0.0.1:9" }));
    expect(r.outputs).toContain("exit-code=1");
    expect(r.stdout).toMatch(/::notice title=devin-keyscan::annotations are not printed with --verify/);
    expect(r.stdout).not.toMatch(/^::error file=/m);
    expect(r.stdout).not.toContain(k.serviceUser);
  });

  it("builds with the runner's Node when it is recent enough, and refuses an older one with a hint", () => {
    const bin = tempDir("dks-fake-bin-");
    const build = (): { status: number | null; out: string } => {
      const r = spawnSync("bash", ["-e", "-c", stepScript("Build devin-keyscan")], { cwd: tempDir(), encoding: "utf8", env: { ...GIT_ENV, PATH: `${bin}:${process.env.PATH}` } });
      return { status: r.status, out: r.stdout + r.stderr };
    };
    // npm stands in for the install; this Node (20.19 or later) passes the check.
    writeFileSync(join(bin, "npm"), '#!/bin/sh\necho "npm $*"\n', { mode: 0o755 });
    expect(build()).toMatchObject({ status: 0, out: expect.stringContaining("npm ci") });
    // An older Node fails its own check.
    writeFileSync(join(bin, "node"), '#!/bin/sh\n[ "$1" = --version ] && echo v18.20.0 && exit 0\nexit 1\n', { mode: 0o755 });
    const old = build();
    expect(old.status).toBe(1);
    expect(old.out).toMatch(/::error title=devin-keyscan::needs Node\.js 20\.19 or later, found v18\.20\.0: add actions\/setup-node/);
    expect(old.out).not.toContain("npm ci");
  });

  it("a pull request that adds no key is clean", () => {
    const { repo } = pullRequestRepo();
    const head = git(repo, "rev-parse", "HEAD");
    expect(runStep("Scan", repo, scanEnv({ DKS_BASE_SHA: head })).outputs).toContain("exit-code=0");
  });

  it("diff mode without a base commit is an error, not a pass", () => {
    const { repo } = pullRequestRepo();
    const r = runStep("Scan", repo, scanEnv({ DKS_MODE: "diff", DKS_EVENT: "workflow_dispatch" }));
    expect(r.outputs).toContain("exit-code=2");
    expect(r.stdout).toMatch(/::error title=devin-keyscan::/);
  });

  it("the verdict fails the job on findings and on scan failures", () => {
    const dir = tempDir();
    const verdict = (code: string, failOnFindings = "true") => runStep("Verdict", dir, { DKS_CODE: code, DKS_FAIL_ON_FINDINGS: failOnFindings }).status;
    expect(verdict("0")).toBe(0);
    expect(verdict("1")).toBe(1);
    expect(verdict("1", "false")).toBe(0);
    expect(verdict("2", "false")).toBe(1);
    expect(verdict("3")).toBe(1);
    expect(verdict("")).toBe(1);
  });

  it("runs the CLI the package ships (package.json \"bin\", the bundle), the one the tests run", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(action).toContain(`DKS_BIN: \${{ github.action_path }}/${pkg.bin["devin-keyscan"]}\n`);
    expect(join(ROOT, pkg.bin["devin-keyscan"]!)).toBe(BIN);
  });

  it("uploads with github/codeql-action/upload-sarif", () => {
    expect(action).toMatch(/uses: github\/codeql-action\/upload-sarif@v\d/);
    expect(action).toContain("github.event.pull_request.base.sha");
  });
});
