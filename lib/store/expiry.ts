// The active expiry cycle, after Redis's expire.c activeExpireCycle: sample keys that have a
// TTL, delete the expired ones, and keep going in a db while more than a quarter of a sample
// was expired, within a time budget per cycle. Keys nobody reads again are reclaimed this way.
import { now, tick } from "../clock.ts";
import type { Db, Keyspace } from "./keyspace.ts";

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 25;

/** Runs one cycle over every db, for at most `budgetMs` milliseconds. */
export function activeExpireCycle(keyspace: Keyspace, budgetMs: number): void {
  if (!keyspace.activeExpireEnabled) return;
  const start = performance.now();
  const deadline = start + budgetMs;
  tick();
  const dbs = keyspace.dbs;
  // Like Redis's static current_db: a cycle that runs out of time resumes at the next db, so
  // a db full of expired keys cannot starve the others.
  for (let n = 0; n < dbs.length; n++) {
    const db = dbs[keyspace.expireNextDb++ % dbs.length]!;
    if (db.expires.size === 0) continue;
    while (expireSample(db) * 100 > KEYS_PER_LOOP * ACCEPTABLE_STALE_PERCENT) {
      if (performance.now() > deadline) break;
    }
    if (performance.now() > deadline) break;
  }
  keyspace.expireNextDb %= dbs.length;
  keyspace.stats.expireCycleCpuMs += performance.now() - start;
}

/** Examines up to KEYS_PER_LOOP keys with a TTL; returns how many of them expired. */
function expireSample(db: Db): number {
  const at = now();
  let expired = 0;
  let sampled = Math.min(KEYS_PER_LOOP, db.expires.size);
  while (sampled-- > 0) {
    if (db.expireCursor === null) db.expireCursor = db.expires.keys();
    const next = db.expireCursor.next();
    if (next.done) {
      db.expireCursor = null;
      continue;
    }
    const key = next.value;
    const when = db.expires.get(key);
    if (when !== undefined && when <= at) {
      db.deleteExpired(key);
      expired++;
    }
  }
  return expired;
}
