// eslint-doc-generator derives the rule prefix from `meta.name` (`eslint-plugin-<prefix>`); the
// plugin's prefix is its namespace, `devin-keys`, while its name is the package's. This shim
// hands the generator the built plugin under a name that yields the right prefix.
import plugin from "../../dist/rules/index.js";

export default { ...plugin, meta: { ...plugin.meta, name: `eslint-plugin-${plugin.meta.namespace}` } };
