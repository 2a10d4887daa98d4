// Preloaded into the built CLI (`node --import`): registers module-loader hooks that append
// the URL of every file the loader loads to the file named by DKS_LOAD_LOG. The CLI's own
// output stays untouched.
import { register } from "node:module";

register("./log-loads-hooks.mjs", import.meta.url);
