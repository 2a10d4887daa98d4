import { kindLabel, redact } from "../../src/grammar/index.js";
import rule from "../../rules/no-key-in-logs.js";
import { KEYS, locate, tester } from "./support/tester.js";

const { personal, serviceUser } = KEYS;

const envDirect = 'console.log("key", process.env.DEVIN_API_KEY);';
const viaVariable = 'const token = process.env.DEVIN_SERVICE_USER_TOKEN ?? "";\nlogger.info({ token }, "calling Devin");';
const literal = `const KEY = "${personal}";\nconsole.error(\`using \${KEY}\`);`;
const destructured = "const { DEVIN_API_KEY } = process.env;\nthis.logger.debug(DEVIN_API_KEY);";
const headersLogged = `const headers = { Authorization: "Bearer ${serviceUser}" };\nwinston.warn("request", JSON.stringify(headers));`;

tester().run("no-key-in-logs", rule, {
  valid: [
    "console.log(Boolean(process.env.DEVIN_API_KEY));",
    "console.log(!!process.env.DEVIN_API_KEY);",
    "console.log(process.env.DEVIN_API_KEY.length);",
    "console.log(typeof process.env.DEVIN_API_KEY);",
    "logger.info(redact(process.env.DEVIN_API_KEY));",
    "const key = process.env.DEVIN_API_KEY;\nconsole.log(key ? 'key set' : 'key missing');",
    // An identifier, not a secret.
    "console.log(process.env.DEVIN_ORG_ID);",
    "console.log(process.env.API_KEY);",
    // Not a logger.
    "cache.set(process.env.DEVIN_API_KEY);",
    // Decoys.
    'console.log("apk_user_rating", "cog_before_invoke");',
    "console.log(process.env.DEVIN_API_KEY); // devin-keyscan-ignore",
  ],
  invalid: [
    {
      code: envDirect,
      errors: [
        {
          messageId: "keyInLog",
          data: { what: "The secret process.env.DEVIN_API_KEY", logger: "console.log" },
          ...locate(envDirect, "process.env.DEVIN_API_KEY"),
          suggestions: [{ messageId: "logPresence", output: 'console.log("key", Boolean(process.env.DEVIN_API_KEY));' }],
        },
      ],
    },
    {
      code: viaVariable,
      errors: [
        {
          messageId: "keyInLog",
          data: { what: "The secret process.env.DEVIN_SERVICE_USER_TOKEN", logger: "logger.info" },
          ...locate(viaVariable, "{ token }"),
          suggestions: [],
        },
      ],
    },
    {
      code: literal,
      errors: [
        {
          messageId: "keyInLog",
          data: { what: `The ${kindLabel("personal")} ${redact(personal)}`, logger: "console.error" },
          ...locate(literal, "`using ${KEY}`"),
          suggestions: [],
        },
      ],
    },
    {
      code: destructured,
      errors: [
        {
          messageId: "keyInLog",
          ...locate(destructured, "DEVIN_API_KEY", 2),
          suggestions: [{ messageId: "logPresence", output: "const { DEVIN_API_KEY } = process.env;\nthis.logger.debug(Boolean(DEVIN_API_KEY));" }],
        },
      ],
    },
    {
      // An object that holds the key: no "log whether it is set" (Boolean of an object is always true).
      code: `const opts = { headers: { Authorization: process.env.DEVIN_API_KEY } };\nconsole.log(opts);`,
      errors: [{ messageId: "keyInLog", line: 2, suggestions: [] }],
    },
    {
      code: headersLogged,
      errors: [{ messageId: "keyInLog", ...locate(headersLogged, "JSON.stringify(headers)"), suggestions: [] }],
    },
    {
      code: "import.meta.env.VITE_DEVIN_API_KEY && log.warn(import.meta.env.VITE_DEVIN_API_KEY);",
      errors: [
        {
          messageId: "keyInLog",
          data: { what: "The secret import.meta.env.VITE_DEVIN_API_KEY", logger: "log.warn" },
          line: 1,
          column: 48,
          endLine: 1,
          endColumn: 82,
          suggestions: [{ messageId: "logPresence", output: "import.meta.env.VITE_DEVIN_API_KEY && log.warn(Boolean(import.meta.env.VITE_DEVIN_API_KEY));" }],
        },
      ],
    },
    {
      code: "audit.record(process.env.DEVIN_TOKEN);",
      options: [{ loggers: ["audit"] }],
      errors: [{ messageId: "keyInLog", line: 1, column: 14, endLine: 1, endColumn: 37, suggestions: [{ messageId: "logPresence", output: "audit.record(Boolean(process.env.DEVIN_TOKEN));" }] }],
    },
  ],
});
