import { kindLabel, redact } from "../../src/grammar/index.js";
import rule from "../../rules/no-client-side-key.js";
import { KEYS, locate, tester } from "./support/tester.js";

const { service, serviceUser } = KEYS;

const apiCall = 'const r = await fetch("https://api.devin.ai/v1/sessions", {\n  headers: { Authorization: `Bearer ${token}` },\n});';
const nextPublic = "export const key = process.env.NEXT_PUBLIC_DEVIN_API_KEY;";
const vite = "const key = import.meta.env.VITE_DEVIN_TOKEN;";
const svelte = 'import { PUBLIC_DEVIN_API_KEY, PUBLIC_SITE } from "$env/static/public";';
const svelteDynamic = 'import { env } from "$env/dynamic/public";\nconst k = env.DEVIN_API_KEY;';
const destructured = "const { REACT_APP_DEVIN_KEY } = process.env;";
const nuxt = "const config = useRuntimeConfig();\nconst k = config.public.devinApiKey;";
const clientKey = `"use client";\nconst k = "${service}";`;
const onceCode =
  '"use client";\nfetch("https://api.devin.ai/v1/sessions", { headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_DEVIN_API_KEY}` } });';
const clientEnv = '"use client";\nconst k = process.env.DEVIN_API_KEY;';

tester().run("no-client-side-key", rule, {
  valid: [
    // Server files: route handlers, API routes, 'use server', server-only, *.server.*.
    { code: apiCall, filename: "app/api/sessions/route.ts" },
    { code: apiCall, filename: "pages/api/devin.ts" },
    { code: `'use server';\n${apiCall}`, filename: "components/actions.ts" },
    { code: `import "server-only";\n${apiCall}`, filename: "components/devin.ts" },
    { code: nextPublic, filename: "app/api/route.ts" },
    { code: `const k = "${serviceUser}";\n${apiCall}`, filename: "src/lib/devin.server.ts" },
    // Unknown side: only public env names are reported, a plain secret env is fine.
    { code: "const k = process.env.DEVIN_API_KEY;", filename: "src/lib/devin.ts" },
    { code: apiCall, filename: "src/lib/devin.ts" },
    // Identifiers are not keys.
    { code: "const org = process.env.NEXT_PUBLIC_DEVIN_ORG_ID;", filename: "app/page.tsx" },
    { code: '"use client";\nconst org = process.env.NEXT_PUBLIC_DEVIN_ORG_ID;', filename: "app/page.tsx" },
    // Client code calling its own server route, without credentials.
    { code: '"use client";\nawait fetch("/api/devin", { method: "POST" });', filename: "app/page.tsx" },
    // Decoys in client code.
    { code: '"use client";\nconst a = "apk_user_rating"; const b = "cog_before_invoke";', filename: "components/x.tsx" },
    { code: `"use client";\nconst k = "${service}"; // devin-keyscan-ignore`, filename: "app/page.tsx" },
    // A page's Next.js data functions run on the server and are removed from its browser bundle.
    {
      code: "export async function getServerSideProps() {\n  const r = await fetch(\"https://api.devin.ai/v1/sessions\", { headers: { Authorization: `Bearer ${process.env.DEVIN_API_KEY}` } });\n  return { props: { sessions: await r.json() } };\n}\nexport default function Page() { return null; }",
      filename: "pages/sessions/index.tsx",
    },
    { code: "export const getStaticProps = async () => ({ props: { k: Boolean(process.env.DEVIN_API_KEY) } });", filename: "pages/index.tsx" },
  ],
  invalid: [
    {
      // The page component itself still ships to browsers.
      code: "export function getServerSideProps() { return { props: {} }; }\nexport default function Page() { return process.env.DEVIN_API_KEY; }",
      filename: "pages/index.tsx",
      errors: [{ messageId: "secretEnvInClient", line: 2 }],
    },
    {
      code: nextPublic,
      filename: "app/page.tsx",
      errors: [
        { messageId: "publicEnv", data: { name: "process.env.NEXT_PUBLIC_DEVIN_API_KEY", why: "the NEXT_PUBLIC_ prefix" }, ...locate(nextPublic, "process.env.NEXT_PUBLIC_DEVIN_API_KEY") },
      ],
    },
    {
      code: vite,
      filename: "src/main.ts",
      errors: [{ messageId: "publicEnv", data: { name: "import.meta.env.VITE_DEVIN_TOKEN", why: "the VITE_ prefix" }, ...locate(vite, "import.meta.env.VITE_DEVIN_TOKEN") }],
    },
    {
      code: svelte,
      filename: "src/routes/+page.svelte.ts",
      errors: [{ messageId: "publicEnv", data: { name: "PUBLIC_DEVIN_API_KEY", why: "exported by $env/static/public" }, ...locate(svelte, "PUBLIC_DEVIN_API_KEY") }],
    },
    {
      code: svelteDynamic,
      filename: "src/routes/+page.ts",
      errors: [{ messageId: "publicEnv", data: { name: "DEVIN_API_KEY", why: "exported by $env/dynamic/public" }, ...locate(svelteDynamic, "env.DEVIN_API_KEY") }],
    },
    {
      code: destructured,
      filename: "src/App.jsx",
      errors: [{ messageId: "publicEnv", ...locate(destructured, "REACT_APP_DEVIN_KEY") }],
    },
    {
      code: nuxt,
      filename: "pages/index.vue.ts",
      errors: [{ messageId: "publicEnv", data: { name: "devinApiKey", why: "Nuxt runtimeConfig.public" }, ...locate(nuxt, "config.public.devinApiKey") }],
    },
    {
      code: clientKey,
      filename: "app/dashboard/page.tsx",
      errors: [{ messageId: "keyInClient", data: { kind: kindLabel("service"), redacted: redact(service) }, ...locate(clientKey, service) }],
    },
    {
      code: `const k = "${serviceUser}";`,
      filename: "src/environments/environment.prod.ts",
      errors: [{ messageId: "keyInClient", ...locate(`const k = "${serviceUser}";`, serviceUser) }],
    },
    {
      code: clientEnv,
      filename: "app/page.tsx",
      errors: [{ messageId: "secretEnvInClient", data: { name: "process.env.DEVIN_API_KEY" }, ...locate(clientEnv, "process.env.DEVIN_API_KEY") }],
    },
    {
      // A component file (client glob) calling the Devin API with a credential from props.
      code: apiCall,
      filename: "components/SessionList.tsx",
      errors: [{ messageId: "apiCallInClient", ...locate(apiCall, "Authorization: `Bearer ${token}`") }],
    },
    {
      // The credential is reported once, where it is read; the call on the same header is not reported again.
      code: onceCode,
      filename: "app/page.tsx",
      errors: [{ messageId: "publicEnv", ...locate(onceCode, "process.env.NEXT_PUBLIC_DEVIN_API_KEY") }],
    },
    {
      // Custom globs: a `web/` folder ships to browsers.
      code: "const k = process.env.DEVIN_API_KEY;",
      filename: "web/devin.ts",
      options: [{ clientGlobs: ["web/**"] }],
      errors: [{ messageId: "secretEnvInClient", line: 1, column: 11, endLine: 1, endColumn: 36 }],
    },
  ],
});
