// The `deno` flags the server runs with, shared by the compiled binary (scripts/compile.ts) and
// the benchmark's from-source server (bench/), so both measure and ship the same thing.

/**
 * - V8's young generation grows to 16 MB semispaces (~48 MB) while a data set loads, which is
 *   most of the RSS above the heap; 8 MB halves that at no measured throughput cost (bytes/key
 *   for 1M small strings: 1.51x -> 1.23x redis-server's).
 * - Every value over ~128 KB is a V8 large object with pages of its own. Freed, they go to a
 *   pool of 32 MB by default and the rest back to the OS, so 50 clients writing 1 MB values
 *   page-faulted and zeroed fresh memory for each one; a 256 MB pool reuses it (1 MB SET
 *   0.61 -> 0.82-0.91 of redis-server; RSS after such a burst 188 -> 261 MB, bytes/key for
 *   small values unchanged).
 */
export const V8_FLAGS = ["--max-semi-space-size=8", "--max-large-page-pool-size=256"];

/** The --v8-flags argument, with extra V8 flags (deno takes one --v8-flags). */
export function v8Flags(...extra: string[]): string {
  return `--v8-flags=${[...V8_FLAGS, ...extra].join(",")}`;
}

/**
 * Minimum permissions: net to listen, read for the config file (and snapshots), write for
 * persistence. The server reads no environment variables, so no --allow-env. `--no-config`
 * keeps deno.json's test-only npm imports out of the binary (deno embeds every package the
 * import map resolves, used or not) and makes the build independent of the lockfile.
 */
export const SERVER_FLAGS = [
  "--no-config",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  v8Flags(),
];

/** Absolute path of the server's entry point. */
export const MAIN_TS = new URL("../main.ts", import.meta.url).pathname;

/** Absolute path of the checkout root. */
export const ROOT = new URL("../", import.meta.url).pathname;
