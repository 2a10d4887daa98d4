import { mismatchMessage, redact } from "../../src/grammar/index.js";
import rule from "../../rules/no-version-mismatch.js";
import { KEYS, locate, tester } from "./support/tester.js";

const { personal, service, serviceUser } = KEYS;

const at = (code: string, version: string, occurrence = 1) => {
  const l = locate(code, `/${version}`, occurrence);
  return { ...l, column: l.column + 1 };
};
const data = (key: string, kind: "personal" | "service" | "service-user", version: "v1" | "v2" | "v3beta1" | "v3") => ({
  detail: mismatchMessage(kind, version),
  redacted: redact(key),
});

const fetchPersonalV3 = `const KEY = "${personal}";\nfetch("https://api.devin.ai/v3/self", { headers: { Authorization: \`Bearer \${KEY}\` } });`;
const concatServiceV2 = `const BASE = "https://api.devin.ai";\nconst TOKEN = "Bearer " + "${service}";\nawait fetch(BASE + "/v2/enterprise/organizations", { headers: { Authorization: TOKEN } });`;
const newUrlCogV1 = `const url = new URL("/v1/sessions", "https://api.devin.ai");\nfetch(url, { method: "POST", headers: new Headers({ Authorization: "Bearer ${serviceUser}" }) });`;
const axiosConfig = `import axios from "axios";\naxios({ url: "https://api.devin.ai/v3beta1/enterprise/organizations", headers: { Authorization: \`Bearer ${service}\` } });`;
const axiosPost = `import axios from "axios";\nconst config = { headers: { Authorization: "Bearer ${serviceUser}" } };\naxios.post("https://api.devin.ai/v1/sessions", { prompt }, config);`;
const axiosCreate = `import axios from "axios";\nconst devin = axios.create({ baseURL: "https://api.devin.ai", headers: { Authorization: "Bearer ${personal}" } });\ndevin.get("/v1/sessions");\ndevin.get(\`/v3/organizations/\${org}/sessions\`);`;
const axiosCreateVersioned = `const axios = require("axios");\nconst devin = axios.create({ baseURL: "https://api.devin.ai/v3", headers: { Authorization: "Bearer ${service}" } });\ndevin.get("/self");\ndevin.get("/organizations");`;
const gotCall = `import got from "got";\nawait got.post("https://api.devin.ai/v2/enterprise/api-keys", { headers: { authorization: "Bearer ${serviceUser}" } });`;
const kyExtend = `import ky from "ky";\nconst api = ky.create({ prefixUrl: "https://api.devin.ai", headers: { Authorization: "Bearer ${serviceUser}" } });\nawait api.get("v2/enterprise/organizations").json();`;

tester().run("no-version-mismatch", rule, {
  valid: [
    `fetch("https://api.devin.ai/v1/sessions", { headers: { Authorization: "Bearer ${personal}" } });`,
    `fetch("https://api.devin.ai/v1/sessions", { headers: { Authorization: "Bearer ${service}" } });`,
    `fetch("https://api.devin.ai/v3/self", { headers: { Authorization: "Bearer ${serviceUser}" } });`,
    `fetch("https://api.devin.ai/v3beta1/enterprise/organizations", { headers: { Authorization: "Bearer ${serviceUser}" } });`,
    // A personal key on v2 works when its user is an Enterprise admin: not reported.
    `fetch("https://api.devin.ai/v2/enterprise/organizations", { headers: { Authorization: "Bearer ${personal}" } });`,
    // Kind unknown (env): nothing to judge.
    `fetch("https://api.devin.ai/v3/self", { headers: { Authorization: \`Bearer \${process.env.DEVIN_API_KEY}\` } });`,
    // Not the Devin API.
    `fetch("https://example.com/v3/self", { headers: { Authorization: "Bearer ${personal}" } });`,
    // A local function that happens to be called get is not axios.
    `const api = { get() {} };\napi.get("/v3/self", { headers: { Authorization: "Bearer ${personal}" } });`,
    `fetch("https://api.devin.ai/v3/self", { headers: { Authorization: "Bearer ${personal}" } }); // devin-keyscan-ignore`,
  ],
  invalid: [
    { code: fetchPersonalV3, errors: [{ messageId: "mismatch", data: data(personal, "personal", "v3"), ...at(fetchPersonalV3, "v3") }] },
    { code: concatServiceV2, errors: [{ messageId: "mismatch", data: data(service, "service", "v2"), ...at(concatServiceV2, "v2") }] },
    { code: newUrlCogV1, errors: [{ messageId: "mismatch", data: data(serviceUser, "service-user", "v1"), ...at(newUrlCogV1, "v1") }] },
    { code: axiosConfig, errors: [{ messageId: "mismatch", data: data(service, "service", "v3beta1"), ...at(axiosConfig, "v3beta1") }] },
    { code: axiosPost, errors: [{ messageId: "mismatch", data: data(serviceUser, "service-user", "v1"), ...at(axiosPost, "v1") }] },
    { code: axiosCreate, errors: [{ messageId: "mismatch", data: data(personal, "personal", "v3"), ...at(axiosCreate, "v3") }] },
    // The version comes from the instance's base URL: one report, at the instance.
    { code: axiosCreateVersioned, errors: [{ messageId: "mismatch", data: data(service, "service", "v3"), ...at(axiosCreateVersioned, "v3") }] },
    { code: gotCall, errors: [{ messageId: "mismatch", data: data(serviceUser, "service-user", "v2"), ...at(gotCall, "v2") }] },
    { code: kyExtend, errors: [{ messageId: "mismatch", data: data(serviceUser, "service-user", "v2"), ...locate(kyExtend, "v2") }] },
  ],
});
