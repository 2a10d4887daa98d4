import { personalKey, seededRng, serviceKey, serviceUserKey } from "../../src/grammar/synthetic.js";

/** One synthetic key of each kind, different for each seed. */
export function keys(seed: number): { personal: string; service: string; serviceUser: string } {
  const rng = seededRng(seed);
  return { personal: personalKey(rng), service: serviceKey(rng), serviceUser: serviceUserKey(rng) };
}
