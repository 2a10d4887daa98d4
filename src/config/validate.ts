import { validateBaseline as baselineValidator, validateConfig as configValidator } from "./validators.generated.js";

/**
 * Validation of configuration and baseline files against the schemas in `schema/`,
 * precompiled by `scripts/generate-validators.mjs` (ajv standalone code): start-up does
 * not pay for loading ajv and compiling schemas.
 */

/** The subset of an ajv error the messages need. */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** A file that cannot be used: every message names the file and the JSON pointer of the problem. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * One line per problem: `<file>: <JSON pointer> <what is wrong>`, the pointer prefixed by
 * `pointerPrefix` when the document is embedded (`/devin-keyscan` in package.json).
 */
export function describeSchemaErrors(file: string, errors: readonly SchemaError[], pointerPrefix = ""): string[] {
  const lines: string[] = [];
  for (const e of errors) {
    let pointer = pointerPrefix + e.instancePath;
    let what: string;
    switch (e.keyword) {
      case "additionalProperties":
        pointer += `/${escapePointer(String(e.params.additionalProperty))}`;
        what = "is not a known setting";
        break;
      case "enum":
        what = `must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "const":
        what = `must be ${JSON.stringify(e.params.allowedValue)}`;
        break;
      case "minItems":
        what = e.params.limit === 1 ? "must not be empty (leave the setting out for the default)" : `must have at least ${String(e.params.limit)} items`;
        break;
      case "pattern":
        what = e.params.pattern === "\\S" ? "must not be empty" : `must match ${String(e.params.pattern)}`;
        break;
      default:
        what = e.message ?? `fails ${e.keyword}`;
    }
    const line = `${file}: ${pointer === "" ? "(root)" : pointer} ${what}`;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function check(validator: GeneratedValidator, data: unknown, file: string, pointerPrefix: string): void {
  if (validator(data)) return;
  throw new ConfigError(describeSchemaErrors(file, validator.errors ?? [], pointerPrefix).join("\n"));
}

export function validateConfig(data: unknown, file: string, pointerPrefix = ""): void {
  check(configValidator as GeneratedValidator, data, file, pointerPrefix);
}

export function validateBaseline(data: unknown, file: string): void {
  check(baselineValidator as GeneratedValidator, data, file, "");
}
