// The command time snapshot (Redis's server.mstime per command): every handler of one command
// sees the same "now". Tests may replace the source.

let source: () => number = Date.now;
let snapshot = source();
/** Set by tick(): the next now() reads the clock. */
let stale = false;

/**
 * Milliseconds since the epoch, as of the current command's first look at the time. Taken
 * lazily: most commands (SET, GET of keys without a TTL) never ask, and Date.now() is about a
 * fifth of the dispatcher's cost per command.
 */
export function now(): number {
  if (stale) {
    snapshot = source();
    stale = false;
  }
  return snapshot;
}

/** Starts a new snapshot; the dispatcher calls this before each command. */
export function tick(): void {
  stale = true;
}

/** Replaces the time source (tests); pass undefined to go back to Date.now. */
export function setTimeSource(fn?: () => number): void {
  source = fn ?? Date.now;
  stale = true;
}

/** Seconds since the epoch (Redis's server.unixtime, for save and rewrite times). */
export function unixTime(): number {
  return Math.floor(Date.now() / 1000);
}
