/**
 * Client-side conventions of web frameworks (DESIGN.md §3): which environment variables
 * and files end up in a browser bundle. Defaults for the `no-client-side-key` rule and the
 * scanner's configuration; both accept overrides (picomatch globs, prefixes).
 */

/** Env variable prefixes that bundlers inline into client code. */
export const DEFAULT_PUBLIC_ENV_PREFIXES: readonly string[] = [
  "NEXT_PUBLIC_", // Next.js
  "VITE_", // Vite (import.meta.env)
  "REACT_APP_", // Create React App
  "NUXT_PUBLIC_", // Nuxt
  "PUBLIC_", // SvelteKit, Astro
  "EXPO_PUBLIC_", // Expo
  "GATSBY_", // Gatsby
  "VUE_APP_", // Vue CLI
  "STORYBOOK_", // Storybook
];

/** Modules whose every export is public (SvelteKit). */
export const DEFAULT_PUBLIC_ENV_MODULES: readonly string[] = ["$env/static/public", "$env/dynamic/public"];

/** Files that ship to browsers. */
export const DEFAULT_CLIENT_GLOBS: readonly string[] = [
  "**/*.client.{ts,tsx,js,jsx,mjs,cjs}",
  "**/components/**",
  "**/hooks/**",
  "**/public/**",
  "**/static/**",
  "**/pages/**",
  "**/src/environments/environment*.ts",
];

/** Files that never ship to browsers; these win over client globs. */
export const DEFAULT_SERVER_GLOBS: readonly string[] = [
  "**/*.server.*",
  "**/$lib/server/**",
  "**/lib/server/**",
  "**/app/**/route.*",
  "**/pages/api/**",
  "**/server/**",
  "**/middleware.*",
];

/** Directives at the top of a module that mark it as client or server code. */
export const CLIENT_DIRECTIVE = "use client";
export const SERVER_DIRECTIVE = "use server";
/** Importing this module marks a file as server-only. */
export const SERVER_ONLY_MODULE = "server-only";
/** Next.js data functions of a page: they run on the server and are removed from its browser bundle. */
export const SERVER_DATA_FUNCTIONS: readonly string[] = ["getServerSideProps", "getStaticProps", "getStaticPaths"];

/** An env variable name that holds a Devin credential: mentions DEVIN and KEY/TOKEN/SECRET/CREDENTIAL. */
export function isDevinSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.includes("DEVIN") && /KEY|TOKEN|SECRET|CREDENTIAL/.test(upper);
}
