// The `deno` flags the server runs with, shared by the compiled binary (scripts/compile.ts) and
// the benchmark's from-source server (bench/), so both measure and ship the same thing.

/**
 * Minimum permissions: net to listen, read for the config file (and snapshots), write for
 * persistence. The server reads no environment variables, so no --allow-env. `--no-config`
 * keeps deno.json's test-only npm imports out of the binary (deno embeds every package the
 * import map resolves, used or not) and makes the build independent of the lockfile.
 */
export const SERVER_FLAGS = ["--no-config", "--allow-net", "--allow-read", "--allow-write"];

/** Absolute path of the server's entry point. */
export const MAIN_TS = new URL("../main.ts", import.meta.url).pathname;

/** Absolute path of the checkout root. */
export const ROOT = new URL("../", import.meta.url).pathname;
