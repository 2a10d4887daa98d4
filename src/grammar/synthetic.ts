import { KINDS, type Kind } from "./kinds.js";

/**
 * Synthetic keys generated from the grammar, for tests, fixtures and benchmarks.
 * Never a real credential: the random parts come from a seeded PRNG. Not exported
 * from the package root.
 */

export type Rng = () => number;

/** mulberry32: small, fast, seedable; quality is irrelevant here. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rng: Rng, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

export const hex = (rng: Rng, n: number): string => pick(rng, "0123456789abcdef", n);
const digits = (rng: Rng, n: number): string => pick(rng, "0123456789", n);

export type PrincipalForm = "email" | "google-oauth2" | "github" | "user" | "custom";
export const PRINCIPAL_FORMS: readonly PrincipalForm[] = ["email", "google-oauth2", "github", "user", "custom"];

export function principal(rng: Rng, form: PrincipalForm): string {
  switch (form) {
    case "email":
      return `email|${hex(rng, 24)}`;
    case "google-oauth2":
      return `google-oauth2|${digits(rng, 21)}`;
    case "github":
      return `github|${digits(rng, 8)}`;
    case "user":
      return `user-${hex(rng, 32)}`;
    case "custom":
      return `samlp|Acme Corp_${pick(rng, "abcdefghijklmnopqrstuvwxyz", 6)}@example.com`;
  }
}

export type Padding = "none" | "equals" | "url";

export interface PersonalKeyOptions {
  readonly form?: PrincipalForm;
  readonly principal?: string;
  readonly padding?: Padding;
  readonly orgHex?: string;
}

export function personalKey(rng: Rng, options: PersonalKeyOptions = {}): string {
  const p = options.principal ?? principal(rng, options.form ?? "email");
  const org = options.orgHex ?? hex(rng, 32);
  const body = Buffer.from(`${p}_org-${org}:${hex(rng, 32)}`, "latin1").toString("base64");
  const unpadded = body.replace(/=+$/, "");
  const padCount = body.length - unpadded.length;
  switch (options.padding ?? "none") {
    case "none":
      return KINDS.personal.prefix + unpadded;
    case "equals":
      return KINDS.personal.prefix + body;
    case "url":
      return KINDS.personal.prefix + unpadded + "%3D".repeat(padCount);
  }
}

export function serviceKey(rng: Rng, orgHex?: string): string {
  const body = Buffer.from(`org-${orgHex ?? hex(rng, 32)}:${hex(rng, 32)}`, "latin1").toString("base64");
  return KINDS.service.prefix + body;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export function serviceUserKey(rng: Rng): string {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) bytes[i] = Math.floor(rng() * 256);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return KINDS["service-user"].prefix + out;
}

export function keyOfKind(rng: Rng, kind: Kind): string {
  switch (kind) {
    case "personal":
      return personalKey(rng, { form: PRINCIPAL_FORMS[Math.floor(rng() * PRINCIPAL_FORMS.length)]! });
    case "service":
      return serviceKey(rng);
    case "service-user":
      return serviceUserKey(rng);
  }
}
