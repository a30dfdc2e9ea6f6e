// The command time snapshot (Redis's server.mstime per command): every handler of one command
// sees the same "now". Tests may replace the source.

let source: () => number = Date.now;
let snapshot = source();

/** Milliseconds since the epoch, as of the start of the current command. */
export function now(): number {
  return snapshot;
}

/** Takes a new snapshot; the dispatcher calls this before each command. */
export function tick(): number {
  snapshot = source();
  return snapshot;
}

/** Replaces the time source (tests); pass undefined to go back to Date.now. */
export function setTimeSource(fn?: () => number): void {
  source = fn ?? Date.now;
  snapshot = source();
}

/** Seconds since the epoch (Redis's server.unixtime, for save and rewrite times). */
export function unixTime(): number {
  return Math.floor(Date.now() / 1000);
}
