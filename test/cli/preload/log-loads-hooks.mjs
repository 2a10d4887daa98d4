// The hooks log-loads.mjs registers (they run on the loader's own thread).
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  if (process.env.DKS_LOAD_LOG && url.startsWith("file:")) appendFileSync(process.env.DKS_LOAD_LOG, `${url}\n`);
  return nextLoad(url, context);
}
