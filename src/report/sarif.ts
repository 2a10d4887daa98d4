import { redactKeysIn } from "../grammar/index.js";
import { RULE_IDS, type Finding, type RuleId } from "../scan/types.js";
import type { Formatter } from "./types.js";

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per check,
 * fingerprints from the key's hash (so an alert survives the key moving to another
 * line), and only redacted snippets.
 */

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** Name of the partial fingerprint; bump the suffix if the fingerprint ever changes meaning. */
export const FINGERPRINT_NAME = "devinKeyscanKeyHash/v1";

interface RuleText {
  readonly name: string;
  readonly short: string;
  readonly help: string;
  /** GitHub's security-severity: 9+ is critical, 7–8.9 high, 4–6.9 medium. */
  readonly severity: string;
}

/** What each check means and what to do about it; the full pages live in docs/rules/. */
export const RULE_TEXT: Readonly<Record<RuleId, RuleText>> = {
  "no-hardcoded-key": {
    name: "NoHardcodedKey",
    short: "A Devin API key is committed in the source",
    help: "A Devin API credential (apk_user_, apk_ or cog_) is written in a file. Anyone who can read the repository can use it. Revoke the key where it was issued (Settings > API Keys, or Enterprise Settings > Service Users for cog_ keys), generate a new one, and load it from an environment variable or a secret manager.",
    severity: "9.0",
  },
  "no-client-side-key": {
    name: "NoClientSideKey",
    short: "A Devin API key reaches browser code",
    help: "A Devin API key is read through a public environment prefix (NEXT_PUBLIC_, VITE_, REACT_APP_, …) or in client-side code, so it is inlined into the bundle every visitor downloads. Call the Devin API from a server route instead and keep the key in a server-only variable.",
    severity: "9.0",
  },
  "no-version-mismatch": {
    name: "NoVersionMismatch",
    short: "The key type cannot call this API version",
    help: "The credential kind used does not work with the API version it is sent to (personal and service keys: v1, v2 for Enterprise admins only; cog_ service-user keys: v3beta1 and v3 only). The API answers 403. Use the key type that matches the version, or the version that matches the key.",
    severity: "5.0",
  },
  "valid-auth-header": {
    name: "ValidAuthHeader",
    short: "Devin API request without a valid Authorization: Bearer header",
    help: "Requests to https://api.devin.ai need the header `Authorization: Bearer <key>`. A missing header, a missing `Bearer ` or a malformed token gives 401.",
    severity: "4.0",
  },
  "valid-api-version": {
    name: "ValidApiVersion",
    short: "Unknown Devin API version in a URL",
    help: "Devin API paths start with /v1/, /v2/, /v3beta1/ or /v3/. Any other prefix (/v3beta/, /v4/, /api/v1/) answers 404.",
    severity: "4.0",
  },
  "no-key-in-logs": {
    name: "NoKeyInLogs",
    short: "A Devin API key is written to a log",
    help: "A Devin API key (or the variable holding it) is printed or logged, so it ends up in CI logs, terminals and log aggregators. Log a redacted form or nothing.",
    severity: "8.0",
  },
};

function helpUri(ruleId: RuleId, version: string): string {
  // The package ships docs/; a versioned URL keeps pointing at the text this version meant.
  return `https://unpkg.com/devin-keyscan@${encodeURIComponent(version)}/docs/rules/${ruleId}.md`;
}

/** A `/`-separated relative path as a relative URI reference. */
export function pathToUri(file: string): string {
  return file.split("/").map((segment) => encodeURIComponent(segment)).join("/");
}

function resultMessage(f: Finding): string {
  const facts: string[] = [];
  if (f.kind !== undefined) facts.push(`key ${f.redacted}`);
  if (f.orgId !== undefined) facts.push(`organisation ${f.orgId}`);
  if (f.commit !== undefined) facts.push(`commit ${f.commit}`);
  const message = redactKeysIn(f.message);
  return facts.length > 0 ? `${message} (${facts.join(", ")})` : message;
}

function sarifResult(f: Finding, ruleIndex: number): Record<string, unknown> {
  const region: Record<string, unknown> = {
    startLine: f.line,
    startColumn: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
  if (f.redacted !== "") region.snippet = { text: f.redacted };
  const properties: Record<string, unknown> = {};
  if (f.kind !== undefined) properties.kind = f.kind;
  if (f.orgId !== undefined) properties.orgId = f.orgId;
  if (f.commit !== undefined) properties.commit = f.commit;
  if (f.confidence !== undefined) properties.confidence = f.confidence;
  if (f.encoding !== undefined) properties.encoding = f.encoding;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.confidence === "low" ? "warning" : "error",
    message: { text: resultMessage(f) },
    locations: [{ physicalLocation: { artifactLocation: { uri: pathToUri(redactKeysIn(f.file)), uriBaseId: "%SRCROOT%" }, region } }],
    partialFingerprints: { [FINGERPRINT_NAME]: f.fingerprint },
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

export const formatSarif: Formatter = (result, context) => {
  const rules = RULE_IDS.map((id) => {
    const text = RULE_TEXT[id];
    return {
      id,
      name: text.name,
      shortDescription: { text: text.short },
      fullDescription: { text: text.help },
      help: { text: text.help, markdown: `**${text.short}.** ${text.help}` },
      helpUri: helpUri(id, context.toolVersion),
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "secrets", "devin"], precision: "very-high", "security-severity": text.severity },
    };
  });
  const notifications = [
    ...result.errors.map((e) => ({
      level: "error",
      message: { text: `${redactKeysIn(e.path)}: ${redactKeysIn(e.message)}` },
      ...(e.code !== undefined ? { descriptor: { id: e.code } } : {}),
    })),
    ...result.notices.map((n) => ({ level: "note", message: { text: redactKeysIn(n) } })),
  ];
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "devin-keyscan",
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: "https://www.npmjs.com/package/devin-keyscan",
            rules,
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory devin-keyscan ran in" } } },
        invocations: [{ executionSuccessful: result.errors.length === 0, toolExecutionNotifications: notifications }],
        results: result.findings.map((f) => sarifResult(f, RULE_IDS.indexOf(f.ruleId))),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
};
