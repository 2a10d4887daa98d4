import rule from "../../rules/valid-api-version.js";
import { locate, tester } from "./support/tester.js";

const VERSIONS = "v1, v2, v3beta1, v3";
const report = (code: string, segment: string, suggestion: string, occurrence = 1) => ({
  messageId: "unknownVersion" as const,
  data: { segment, suggestion, versions: VERSIONS },
  ...locate(code, `/${segment}`, occurrence),
  column: locate(code, `/${segment}`, occurrence).column + 1,
});

const v3beta = `fetch("https://api.devin.ai/v3beta/organizations/o/sessions");`;
const v4Template = 'const BASE = "https://api.devin.ai";\nfetch(`${BASE}/v4/sessions/${id}`);';
const apiPrefix = 'const url = "https://api.devin.ai/api/v1/sessions";';
const viaUrl = 'const u = new URL("/v3beta/self", "https://api.devin.ai");';
const viaAxios = 'import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.devin.ai" });\napi.post("/V1/sessions", body);';
const concat = 'const BASE = "https://api.devin.ai/";\nconst u = BASE + "v5/x";';
const badBase = 'import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.devin.ai/v3beta" });\napi.get("/enterprise/organizations");';
const viaKy = 'import ky from "ky";\nconst api = ky.create({ prefixUrl: "https://api.devin.ai" });\napi.get("v3beta/enterprise/organizations");';

tester().run("valid-api-version", rule, {
  valid: [
    'fetch("https://api.devin.ai/v1/sessions");',
    'fetch("https://api.devin.ai/v2/enterprise/organizations");',
    'fetch("https://api.devin.ai/v3beta1/enterprise/organizations");',
    'const BASE = "https://api.devin.ai";\nfetch(`${BASE}/v3/organizations/${org}/sessions`);',
    'fetch("https://api.devin.ai");',
    // An unknown version segment built at run time: cannot be judged.
    'fetch(`https://api.devin.ai/${version}/sessions`);',
    'fetch(`https://api.devin.ai/v${n}/sessions`);',
    // Other hosts and documentation links.
    'fetch("https://docs.devin.ai/api-reference/v4/overview");',
    'fetch("https://example.com/v4/x");',
    // A relative path without a Devin base.
    'fetch("/v4/sessions");',
    'const u = "https://api.devin.ai/v4/x"; // devin-keyscan-ignore',
  ],
  invalid: [
    {
      code: v3beta,
      errors: [
        {
          ...report(v3beta, "v3beta", "v3beta1"),
          suggestions: [{ messageId: "useVersion", output: v3beta.replace("/v3beta/", "/v3beta1/") }],
        },
      ],
    },
    {
      code: v4Template,
      errors: [{ ...report(v4Template, "v4", "v3"), suggestions: [{ messageId: "useVersion", output: v4Template.replace("/v4/", "/v3/") }] }],
    },
    {
      code: apiPrefix,
      errors: [{ ...report(apiPrefix, "api/v1", "v1"), suggestions: [{ messageId: "useVersion", output: 'const url = "https://api.devin.ai/v1/sessions";' }] }],
    },
    {
      code: viaUrl,
      errors: [{ ...report(viaUrl, "v3beta", "v3beta1"), suggestions: [{ messageId: "useVersion", output: viaUrl.replace("/v3beta/", "/v3beta1/") }] }],
    },
    {
      code: viaAxios,
      errors: [{ ...report(viaAxios, "V1", "v1"), suggestions: [{ messageId: "useVersion", output: viaAxios.replace("/V1/", "/v1/") }] }],
    },
    {
      // No version at all: the suggestion puts one in front of the path instead of replacing it.
      code: 'fetch("https://api.devin.ai/sessions");',
      errors: [
        {
          messageId: "unknownVersion",
          suggestions: [{ messageId: "useVersion", output: 'fetch("https://api.devin.ai/v3/sessions");' }],
        },
      ],
    },
    {
      // The base URL's wrong version is reported once, at the base; the path under it is right.
      code: badBase,
      errors: [{ ...report(badBase, "v3beta", "v3beta1"), suggestions: [{ messageId: "useVersion", output: badBase.replace("/v3beta\"", "/v3beta1\"") }] }],
    },
    {
      // ky and got take paths without a leading "/".
      code: viaKy,
      errors: [
        {
          messageId: "unknownVersion",
          data: { segment: "v3beta", suggestion: "v3beta1", versions: VERSIONS },
          ...locate(viaKy, "v3beta"),
          suggestions: [{ messageId: "useVersion", output: viaKy.replace('"v3beta/', '"v3beta1/') }],
        },
      ],
    },
    {
      code: concat,
      errors: [
        {
          messageId: "unknownVersion",
          ...locate(concat, "v5"),
          suggestions: [{ messageId: "useVersion", output: concat.replace('"v5/x"', '"v3/x"') }],
        },
      ],
    },
  ],
});
