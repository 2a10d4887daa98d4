import { KINDS, kindLabel, redact } from "../../src/grammar/index.js";
import rule from "../../rules/no-hardcoded-key.js";
import { KEYS, locate, tester } from "./support/tester.js";

const { personal, service, serviceUser, personalGithub } = KEYS;
const orgOf = (key: string): string => {
  const body = Buffer.from(key.replace(/^apk_(user_)?/, ""), "base64").toString("latin1");
  return / (org-[0-9a-f]{32})/.exec(` ${body.replace(/^.*_org-/, "org-")}`)![1]!;
};
const data = (key: string, kind: keyof typeof KINDS) => ({
  kind: kindLabel(kind),
  redacted: redact(key),
  org: kind === "service-user" ? "" : ` of organisation ${orgOf(key)}`,
  hint: KINDS[kind].revocationHint,
});

/** High-entropy text after a key prefix that fails the structure check: only `paranoid` reports it. */
const lookAlike = `apk_user_${Buffer.from(Array.from({ length: 60 }, (_, i) => (i * 97 + 13) % 256)).toString("base64").replace(/=+$/, "")}`;
const personalPrefix = "apk_user_";
const personalBody = personal.slice(personalPrefix.length);
const half = Math.floor(serviceUser.length / 2);

tester().run("no-hardcoded-key", rule, {
  valid: [
    'const key = process.env.DEVIN_API_KEY;',
    // Decoys seen in real code.
    "class Music { async cog_before_invoke(ctx) {} cog_unload() {} }",
    'const apk_version_code = 12; const path = config.apk_path;',
    'const field = "apk_user_rating";',
    'const placeholder = "apk_your_api_key_here";',
    `const vendorPlaceholder = "cog_${"a".repeat(52)}";`,
    'const hint = "apk_user_xxxxxxxxxxxxxxxx";',
    'const other = "cog_live_51Habcdefghijklmnop";',
    `const maybe = "${lookAlike}";`,
    // A key behind an ignore directive.
    `const k = "${serviceUser}"; // devin-keyscan-ignore: documented test key`,
    `// devin-keyscan-ignore-next-line\nconst k = "${service}";`,
  ],
  invalid: [
    {
      // The strict config's paranoid mode reports prefix matches that fail the structure check.
      code: `const maybe = "${lookAlike}";`,
      options: [{ paranoid: true }],
      errors: [
        {
          messageId: "hardcodedKey",
          // Said to be a guess.
          data: { ...data(personal, "personal"), kind: `possible ${kindLabel("personal")} (low confidence: it fails the key's structure check)`, redacted: redact(lookAlike), org: "" },
          ...locate(`const maybe = "${lookAlike}";`, lookAlike),
          suggestions: [{ messageId: "useEnv", output: "const maybe = process.env.DEVIN_API_KEY;" }],
        },
      ],
    },
    {
      code: `const key = "${personal}";`,
      errors: [
        {
          messageId: "hardcodedKey",
          data: data(personal, "personal"),
          ...locate(`const key = "${personal}";`, personal),
          suggestions: [{ messageId: "useEnv", data: { envName: "DEVIN_API_KEY" }, output: "const key = process.env.DEVIN_API_KEY;" }],
        },
      ],
    },
    {
      // A key inside a larger string: the suggestion keeps the rest as a template literal.
      code: `const h = { Authorization: "Bearer ${service}" };`,
      errors: [
        {
          messageId: "hardcodedKey",
          ...locate(`const h = { Authorization: "Bearer ${service}" };`, service),
          suggestions: [{ messageId: "useEnv", output: "const h = { Authorization: `Bearer ${process.env.DEVIN_API_KEY}` };" }],
        },
      ],
    },
    {
      code: `const h = \`Bearer ${serviceUser}\`;`,
      options: [{ envName: "DEVIN_SERVICE_USER_TOKEN" }],
      errors: [
        {
          messageId: "hardcodedKey",
          ...locate(`const h = \`Bearer ${serviceUser}\`;`, serviceUser),
          suggestions: [
            { messageId: "useEnv", data: { envName: "DEVIN_SERVICE_USER_TOKEN" }, output: "const h = `Bearer ${process.env.DEVIN_SERVICE_USER_TOKEN}`;" },
          ],
        },
      ],
    },
    {
      // JSX attribute and JSX text.
      code: `const a = <Client apiKey="${personalGithub}" />;\nconst b = <p>${service}</p>;`,
      errors: [
        {
          messageId: "hardcodedKey",
          ...locate(`const a = <Client apiKey="${personalGithub}" />;`, personalGithub),
          suggestions: [{ messageId: "useEnv", output: `const a = <Client apiKey={process.env.DEVIN_API_KEY} />;\nconst b = <p>${service}</p>;` }],
        },
        {
          messageId: "hardcodedKey",
          line: 2,
          column: 14,
          endLine: 2,
          endColumn: 14 + service.length,
          suggestions: [{ messageId: "useEnv", output: `const a = <Client apiKey="${personalGithub}" />;\nconst b = <p>{process.env.DEVIN_API_KEY}</p>;` }],
        },
      ],
    },
    {
      // Comments: reported, no suggestion.
      code: `// old key: ${serviceUser}\nconst x = 1;`,
      errors: [{ messageId: "hardcodedKey", ...locate(`// old key: ${serviceUser}`, serviceUser), suggestions: [] }],
    },
    {
      // Assembled from a prefix literal and a body literal.
      code: `const key = "${personalPrefix}" + "${personalBody}";`,
      errors: [
        {
          messageId: "assembledKey",
          data: data(personal, "personal"),
          ...locate(`const key = "${personalPrefix}" + "${personalBody}";`, `"${personalPrefix}" + "${personalBody}"`),
          suggestions: [{ messageId: "useEnv", output: "const key = process.env.DEVIN_API_KEY;" }],
        },
      ],
    },
    {
      // Constants across the module, joined later (declared after use).
      code: `function headers() { return { Authorization: \`Bearer \${PREFIX}\${BODY}\` }; }\nconst PREFIX = "${serviceUser.slice(0, half)}";\nconst BODY = "${serviceUser.slice(half)}";`,
      errors: [
        {
          messageId: "assembledKey",
          ...locate("function headers() { return { Authorization: `Bearer ${PREFIX}${BODY}` }; }", "`Bearer ${PREFIX}${BODY}`"),
          suggestions: [],
        },
      ],
    },
    {
      // An escape of the prefix's first letter: no plain "cog_" in the file at all.
      code: `const k = "\\u0063og_${serviceUser.slice(4)}";`,
      errors: [{ messageId: "assembledKey", line: 1, column: 11, suggestions: [{ messageId: "useEnv", output: "const k = process.env.DEVIN_API_KEY;" }] }],
    },
    {
      // An escape hides the key from the raw text.
      code: `const k = "cog\\u005f${serviceUser.slice(4)}";`,
      errors: [{ messageId: "assembledKey", line: 1, column: 11, endLine: 1, endColumn: 11 + serviceUser.length + 7, suggestions: [{ messageId: "useEnv", output: "const k = process.env.DEVIN_API_KEY;" }] }],
    },
    ...[
      `class A { "${serviceUser}" = 1; }`,
      `class A { "${serviceUser}"() {} }`,
      `abstract class A { abstract "${serviceUser}": string; }`,
      `import x = require("${serviceUser}");`,
      `const a = 1; export { a as "${serviceUser}" };`,
    ].map((code) => ({
      // Names, not values: reported, without a suggestion that would not parse.
      code,
      errors: [{ messageId: "hardcodedKey" as const, suggestions: [] }],
    })),
    {
      // A computed key is an expression: fixed.
      code: `const o = { ["${serviceUser}"]: 1 };`,
      errors: [{ messageId: "hardcodedKey", suggestions: [{ messageId: "useEnv", output: "const o = { [process.env.DEVIN_API_KEY]: 1 };" }] }],
    },
    {
      // Two copies assembled from the same parts: each is reported.
      code: `const P = "${personalPrefix}";\nconst a = P + "${personalBody}";\nconst b = P + "${personalBody}";`,
      errors: [
        {
          messageId: "assembledKey",
          line: 2,
          column: 11,
          suggestions: [{ messageId: "useEnv", output: `const P = "${personalPrefix}";\nconst a = process.env.DEVIN_API_KEY;\nconst b = P + "${personalBody}";` }],
        },
        {
          messageId: "assembledKey",
          line: 3,
          column: 11,
          suggestions: [{ messageId: "useEnv", output: `const P = "${personalPrefix}";\nconst a = P + "${personalBody}";\nconst b = process.env.DEVIN_API_KEY;` }],
        },
      ],
    },
    {
      // Ignoring one copy (written whole) does not hide another copy, assembled elsewhere.
      code: `const fixture = "${serviceUser}"; // devin-keyscan-ignore: revoked test key\nconst live = "cog_" + "${serviceUser.slice(4)}";`,
      errors: [
        {
          messageId: "assembledKey",
          line: 2,
          column: 14,
          suggestions: [{ messageId: "useEnv", output: `const fixture = "${serviceUser}"; // devin-keyscan-ignore: revoked test key\nconst live = process.env.DEVIN_API_KEY;` }],
        },
      ],
    },
    {
      // The same key twice: each occurrence in the text is reported; the join is not reported again.
      code: `const a = "${service}";\nconst b = a + "/x";`,
      errors: [{ messageId: "hardcodedKey", line: 1, column: 12, endLine: 1, endColumn: 12 + service.length, suggestions: [{ messageId: "useEnv", output: "const a = process.env.DEVIN_API_KEY;\nconst b = a + \"/x\";" }] }],
    },
  ],
});
