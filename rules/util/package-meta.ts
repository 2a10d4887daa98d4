import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Name and version from the package.json this file ships with. Walks up, because the file
 * runs both from `rules/` (tests) and from `dist/rules/` (the published plugin).
 */
export function packageMeta(): { readonly name: string; readonly version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (true) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "devin-keyscan" && typeof pkg.version === "string") return { name: pkg.name, version: pkg.version };
    } catch {
      // No package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: "devin-keyscan", version: "0.0.0" };
    dir = parent;
  }
}
