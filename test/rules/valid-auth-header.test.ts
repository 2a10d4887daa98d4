import rule from "../../rules/valid-auth-header.js";
import { KEYS, locate, tester } from "./support/tester.js";

const { service, serviceUser } = KEYS;
const API = "https://api.devin.ai/v1/sessions";

tester().run("valid-auth-header", rule, {
  valid: [
    `fetch("${API}", { headers: { Authorization: \`Bearer \${process.env.DEVIN_API_KEY}\` } });`,
    // Decision: the scheme is case-insensitive (RFC 7235 §2.1), so lowercase "bearer" is accepted.
    `fetch("${API}", { headers: { authorization: \`bearer \${process.env.DEVIN_API_KEY}\` } });`,
    `fetch("${API}", { headers: { Authorization: "BEARER " + token } });`,
    // Another host: not the Devin API's business.
    `fetch("https://api.github.com/user", { headers: { Authorization: \`token \${process.env.GH_TOKEN}\` } });`,
    // Unknown value: nothing to judge.
    `fetch("${API}", { headers: { Authorization: token } });`,
    `fetch("${API}", { headers: { Authorization: \`\${scheme} \${token}\` } });`,
    // No URL known: the header may go anywhere.
    `fetch(url, { headers: { Authorization: process.env.DEVIN_API_KEY } });`,
    `fetch("${API}", { headers: { Authorization: process.env.DEVIN_API_KEY } }); // devin-keyscan-ignore`,
  ],
  invalid: [
    {
      // "Bearer" glued to the key: a space, not a second scheme.
      code: `fetch("${API}", { headers: { Authorization: "Bearer" + process.env.DEVIN_API_KEY } });`,
      errors: [
        {
          messageId: "noSpace",
          suggestions: [{ messageId: "addSpace", output: `fetch("${API}", { headers: { Authorization: "Bearer " + process.env.DEVIN_API_KEY } });` }],
        },
      ],
    },
    {
      code: `fetch("${API}", { headers: { Authorization: \`Bearer:\${process.env.DEVIN_API_KEY}\` } });`,
      errors: [
        {
          messageId: "noSpace",
          suggestions: [{ messageId: "addSpace", output: `fetch("${API}", { headers: { Authorization: \`Bearer \${process.env.DEVIN_API_KEY}\` } });` }],
        },
      ],
    },
    {
      code: `fetch("${API}", { headers: { Authorization: process.env.DEVIN_API_KEY } });`,
      errors: [
        {
          messageId: "missingScheme",
          ...locate(`fetch("${API}", { headers: { Authorization: process.env.DEVIN_API_KEY } });`, "process.env.DEVIN_API_KEY"),
          suggestions: [
            { messageId: "addBearer", output: `fetch("${API}", { headers: { Authorization: \`Bearer \${process.env.DEVIN_API_KEY}\` } });` },
          ],
        },
      ],
    },
    {
      code: `fetch("${API}", { headers: { Authorization: "${service}" } });`,
      errors: [
        {
          messageId: "missingScheme",
          ...locate(`fetch("${API}", { headers: { Authorization: "${service}" } });`, `"${service}"`),
          suggestions: [{ messageId: "addBearer", output: `fetch("${API}", { headers: { Authorization: "Bearer ${service}" } });` }],
        },
      ],
    },
    {
      code: `const KEY = process.env.DEVIN_API_KEY;\nfetch("${API}", { headers: { Authorization: \`Token \${KEY}\` } });`,
      errors: [
        {
          messageId: "wrongScheme",
          data: { scheme: "Token" },
          line: 2,
          ...(({ column, endColumn }) => ({ column, endColumn }))(locate(`fetch("${API}", { headers: { Authorization: \`Token \${KEY}\` } });`, "`Token ${KEY}`")),
          endLine: 2,
          suggestions: [
            { messageId: "useBearer", data: { scheme: "Token" }, output: `const KEY = process.env.DEVIN_API_KEY;\nfetch("${API}", { headers: { Authorization: \`Bearer \${KEY}\` } });` },
          ],
        },
      ],
    },
    {
      // axios.create defaults, Basic scheme, header held in a Headers object.
      code: `import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.devin.ai", headers: { Authorization: "Basic " + btoa(key) } });\napi.get("/v3/self");`,
      errors: [
        {
          messageId: "wrongScheme",
          data: { scheme: "Basic" },
          line: 2,
          column: 87,
          endLine: 2,
          endColumn: 87 + '"Basic " + btoa(key)'.length,
          suggestions: [],
        },
      ],
    },
    {
      code: `const headers = new Headers({ Authorization: "${serviceUser}" });\nawait fetch(new URL("/v3/self", "https://api.devin.ai"), { headers });`,
      errors: [
        {
          messageId: "missingScheme",
          ...locate(`const headers = new Headers({ Authorization: "${serviceUser}" });`, `"${serviceUser}"`),
          suggestions: [
            { messageId: "addBearer", output: `const headers = new Headers({ Authorization: "Bearer ${serviceUser}" });\nawait fetch(new URL("/v3/self", "https://api.devin.ai"), { headers });` },
          ],
        },
      ],
    },
  ],
});
