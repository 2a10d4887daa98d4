import type { Formatter } from "./types.js";

export type { Formatter, ReportContext } from "./types.js";

/** Report formats; each is loaded only when asked for, to keep start-up light. */
export const FORMATS = {
  text: async () => (await import("./text.js")).formatText,
  json: async () => (await import("./json.js")).formatJson,
  sarif: async () => (await import("./sarif.js")).formatSarif,
  github: async () => (await import("./github.js")).formatGithub,
} as const satisfies Record<string, () => Promise<Formatter>>;

export type FormatName = keyof typeof FORMATS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
