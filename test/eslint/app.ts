import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { personalKey, seededRng, serviceUserKey } from "../../src/grammar/synthetic.js";

/**
 * A small Next.js/Vite-style app, written to a temporary directory, with every mistake the
 * plugin catches (`mistakes`) or the same app done right (`clean`). Keys are synthetic.
 */

export const REPO = resolve(import.meta.dirname, "../..");

const rng = seededRng(0xe2e);
export const PERSONAL = personalKey(rng, { form: "github" });
export const SERVICE_USER = serviceUserKey(rng);

export interface Expected {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string;
}

const CONFIG = `import tsParser from "@typescript-eslint/parser";
import devinKeys from "devin-keyscan/eslint";

export default [
  { ignores: ["node_modules/**"] },
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  { files: ["**/*.{js,jsx}"], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  devinKeys.configs.recommended,
];
`;

/** File name → lines; a line ending in `// <- rule-id` is expected to be reported by that rule. */
const MISTAKES: Record<string, string[]> = {
  "app/page.tsx": [
    `"use client";`,
    `import { useState } from "react";`,
    ``,
    `export default function Page() {`,
    `  const [sessions, setSessions] = useState([]);`,
    `  const key = process.env.NEXT_PUBLIC_DEVIN_API_KEY; // <- no-client-side-key`,
    `  const org = process.env.NEXT_PUBLIC_DEVIN_ORG_ID;`,
    `  return <main data-org={org} onClick={() => load(key, setSessions)}>{sessions.length}</main>;`,
    `}`,
  ],
  "components/SessionList.jsx": [
    `export async function load(token, done) {`,
    `  const res = await fetch("https://api.devin.ai/v1/sessions", {`,
    "    headers: { Authorization: `Bearer ${token}` }, // <- no-client-side-key",
    `  });`,
    `  done(await res.json());`,
    `}`,
  ],
  "pages/api/sessions.ts": [
    `import type { NextApiRequest, NextApiResponse } from "next";`,
    ``,
    `const DEVIN_API = "https://api.devin.ai";`,
    `const PERSONAL_KEY = "${PERSONAL}"; // <- no-hardcoded-key`,
    ``,
    `export default async function handler(req: NextApiRequest, res: NextApiResponse) {`,
    `  console.log("devin key", process.env.DEVIN_API_KEY); // <- no-key-in-logs`,
    `  const self = await fetch(\`\${DEVIN_API}/v3/self\`, { // <- no-version-mismatch`,
    "    headers: { Authorization: `Bearer ${PERSONAL_KEY}` },",
    `  });`,
    `  const list = await fetch(new URL("/v3beta/enterprise/organizations", DEVIN_API), { // <- valid-api-version`,
    `    headers: { Authorization: process.env.DEVIN_API_KEY! }, // <- valid-auth-header`,
    `  });`,
    `  res.json({ self: await self.json(), list: await list.json() });`,
    `}`,
  ],
  "lib/devin.ts": [
    `import axios from "axios";`,
    ``,
    `export const devin = axios.create({`,
    `  baseURL: "https://api.devin.ai",`,
    "  headers: { Authorization: `Token ${process.env.DEVIN_SERVICE_USER_TOKEN}` }, // <- valid-auth-header",
    `});`,
    ``,
    `export const self = () => devin.get("/v3/self");`,
  ],
  "lib/decoys.js": [
    `// Names that look like keys and are not.`,
    `export class Music { async cog_before_invoke() {} cog_unload() {} }`,
    `export const apk_version_code = 12;`,
    `export const fields = ["apk_user_rating", "apk_your_api_key_here", "cog_${"a".repeat(52)}"];`,
  ],
};

/** The same app, done right. */
const CLEAN: Record<string, string[]> = {
  "app/page.tsx": [
    `"use client";`,
    `import { useState } from "react";`,
    ``,
    `export default function Page() {`,
    `  const [sessions, setSessions] = useState([]);`,
    `  const org = process.env.NEXT_PUBLIC_DEVIN_ORG_ID;`,
    `  const load = async () => setSessions(await (await fetch("/api/sessions", { method: "POST" })).json());`,
    `  return <main data-org={org} onClick={load}>{sessions.length}</main>;`,
    `}`,
  ],
  "components/SessionList.jsx": [
    `export async function load(done) {`,
    `  const res = await fetch("/api/sessions");`,
    `  done(await res.json());`,
    `}`,
  ],
  "pages/api/sessions.ts": [
    `import type { NextApiRequest, NextApiResponse } from "next";`,
    ``,
    `const DEVIN_API = "https://api.devin.ai";`,
    ``,
    `export default async function handler(req: NextApiRequest, res: NextApiResponse) {`,
    `  console.log("devin key set:", Boolean(process.env.DEVIN_API_KEY));`,
    `  const self = await fetch(\`\${DEVIN_API}/v3/self\`, {`,
    "    headers: { Authorization: `Bearer ${process.env.DEVIN_SERVICE_USER_TOKEN}` },",
    `  });`,
    `  const list = await fetch(new URL("/v3beta1/enterprise/organizations", DEVIN_API), {`,
    "    headers: { Authorization: `Bearer ${process.env.DEVIN_SERVICE_USER_TOKEN}` },",
    `  });`,
    `  res.json({ self: await self.json(), list: await list.json() });`,
    `}`,
  ],
  "lib/devin.ts": [
    `import axios from "axios";`,
    ``,
    `export const devin = axios.create({`,
    `  baseURL: "https://api.devin.ai",`,
    "  headers: { Authorization: `Bearer ${process.env.DEVIN_SERVICE_USER_TOKEN}` },",
    `});`,
    ``,
    `export const self = () => devin.get("/v3/self");`,
  ],
  "lib/decoys.js": MISTAKES["lib/decoys.js"]!,
};

/** Writes the app (with or without mistakes) into `dir` and links the packages it imports. */
export function writeApp(dir: string, variant: "mistakes" | "clean"): Expected[] {
  const files = variant === "mistakes" ? MISTAKES : CLEAN;
  const expected: Expected[] = [];
  for (const [file, lines] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.join("\n")}\n`);
    lines.forEach((line, i) => {
      const m = /\/\/ <- ([a-z-]+)$/.exec(line);
      if (m) expected.push({ file, line: i + 1, ruleId: `devin-keys/${m[1]}` });
    });
  }
  writeFileSync(join(dir, "eslint.config.js"), CONFIG);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "demo-app", private: true, type: "module" }));
  const modules = join(dir, "node_modules");
  mkdirSync(modules, { recursive: true });
  // The plugin is resolved as a user resolves it: `devin-keyscan` in node_modules (the built package).
  symlinkSync(REPO, join(modules, "devin-keyscan"), "dir");
  symlinkSync(join(REPO, "node_modules/@typescript-eslint"), join(modules, "@typescript-eslint"), "dir");
  return expected;
}
