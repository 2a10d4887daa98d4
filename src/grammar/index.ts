export * from "./kinds.js";
export * from "./keys.js";
export * from "./versions.js";
export * from "./redact.js";
export * from "./client-side.js";
export * from "./auth-header.js";
export * from "./rule-ids.js";
