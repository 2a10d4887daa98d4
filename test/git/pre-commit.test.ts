import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../support/cli.js";
import { git, GIT_ENV, keys, lines, newRepo, write } from "./support.js";

/**
 * The pre-commit framework installs this repository as a `language: node` hook (npm
 * install, npm pack, npm install -g) and runs it: the real integration, end to end.
 */
const hasPreCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;
const inCi = process.env.CI === "true";

describe("pre-commit framework (.pre-commit-hooks.yaml)", () => {
  it("pre-commit is installed in CI (.ci/run installs it)", () => {
    if (inCi) expect(hasPreCommit, "pre-commit is missing: apt-get install pre-commit").toBe(true);
  });

  it.skipIf(!hasPreCommit && !inCi)(
    "pre-commit try-repo blocks a commit that adds a key and passes a clean one",
    () => {
      const key = keys(901).service;
      const home = tempDir("dks-pc-home-");
      // A clone of the committed tree: one shadow-free revision, so both runs share one
      // installed environment (and work in progress elsewhere in the tree is not built).
      const hookRepo = join(tempDir("dks-pc-src-"), "devin-keyscan");
      git(ROOT, "clone", "-q", "--no-hardlinks", ROOT, hookRepo);
      const repo = newRepo("dks-pc-");
      write(repo, "README.md", "project\n");
      git(repo, "add", "README.md");
      git(repo, "commit", "-q", "-m", "init");
      const tryRepo = () =>
        spawnSync("pre-commit", ["try-repo", hookRepo, "devin-keyscan", "--verbose"], {
          cwd: repo,
          encoding: "utf8",
          // The environment install runs npm: let it use the local cache and skip the extras.
          env: { ...GIT_ENV, PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: "never", NO_COLOR: "1", npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" },
          maxBuffer: 64 * 1024 * 1024,
        });

      write(repo, "deploy/.env", lines("REGION=eu", `DEVIN_API_KEY=${key}`));
      git(repo, "add", "deploy/.env");
      const blocked = tryRepo();
      const blockedOut = blocked.stdout + blocked.stderr;
      expect(blocked.status, blockedOut).toBe(1);
      expect(blockedOut).toMatch(/devin-keyscan \(Devin API keys\)\.+Failed/);
      expect(blockedOut).toContain("deploy/.env:2:15  no-hardcoded-key");
      expect(blockedOut).not.toContain(key);

      git(repo, "rm", "-q", "--cached", join("deploy", ".env"));
      write(repo, "src/app.js", lines("const key = process.env.DEVIN_API_KEY;"));
      git(repo, "add", "src/app.js");
      const clean = tryRepo();
      const cleanOut = clean.stdout + clean.stderr;
      expect(clean.status, cleanOut).toBe(0);
      expect(cleanOut).toMatch(/devin-keyscan \(Devin API keys\)\.+Passed/);
    },
    15 * 60 * 1000,
  );
});
