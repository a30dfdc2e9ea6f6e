// maxmemory and its eviction policies. Mirrors Redis's evict.c: sampled LRU/LFU/TTL with an
// eviction pool of EVPOOL_SIZE best candidates, and random eviction. The dispatcher calls
// performEvictions before every command while maxmemory is set; denyoom commands are refused
// when it returns false.
import type { Db, Keyspace } from "./keyspace.ts";
import { estimateObjectIdleTime, initialAccess, lfuDecrAndReturn } from "./lru.ts";
import { datasetBytes } from "./memory.ts";
import { alsoPropagate } from "../propagate.ts";
import { NOTIFY_EVICTED, notifyKeyspaceEvent, signalModifiedKey } from "../keyspace_events.ts";

export const EVPOOL_SIZE = 16;

/** maxmemory-policy values, with Redis's flag bits. */
const FLAG_LRU = 1 << 0;
const FLAG_LFU = 1 << 1;
const FLAG_ALLKEYS = 1 << 2;
export const POLICIES: Readonly<Record<string, number>> = {
  "volatile-lru": (0 << 8) | FLAG_LRU,
  "volatile-lfu": (1 << 8) | FLAG_LFU,
  "volatile-random": 2 << 8,
  "volatile-ttl": 3 << 8,
  "allkeys-lru": (4 << 8) | FLAG_LRU | FLAG_ALLKEYS,
  "allkeys-lfu": (5 << 8) | FLAG_LFU | FLAG_ALLKEYS,
  "allkeys-random": (6 << 8) | FLAG_ALLKEYS,
  "noeviction": 7 << 8,
};
const VOLATILE_TTL = 3 << 8;
const NO_EVICTION = 7 << 8;

/** What eviction reads from the config (kept up to date by lib/commands/memory.ts). */
export interface EvictionConfig {
  policy: number;
  /** maxmemory-samples. */
  samples: number;
  /** lazyfree-lazy-eviction: evictions propagate as UNLINK. */
  lazy: boolean;
  /** used_memory of the server without data (the heap at startup), added to the data set. */
  baseBytes: number;
}

const configs = new WeakMap<Keyspace, EvictionConfig>();
/** The last keyspace asked about: a server has one, so the WeakMap is rarely consulted. */
let lastKeyspace: Keyspace | null = null;
let lastConfig: EvictionConfig | null = null;

export function evictionConfig(keyspace: Keyspace): EvictionConfig {
  if (keyspace === lastKeyspace) return lastConfig!;
  let config = configs.get(keyspace);
  if (config === undefined) {
    config = { policy: NO_EVICTION, samples: 5, lazy: false, baseBytes: 0 };
    configs.set(keyspace, config);
  }
  lastKeyspace = keyspace;
  lastConfig = config;
  return config;
}

/** The memory maxmemory is compared with: the server's base plus the data set. */
export function usedMemory(keyspace: Keyspace): number {
  return evictionConfig(keyspace).baseBytes + datasetBytes(keyspace);
}

/** Evicts keys until memory is under maxmemory; false if that was not possible (-OOM). */
export function performEvictions(keyspace: Keyspace, maxmemory: number): boolean {
  const config = evictionConfig(keyspace);
  let used = usedMemory(keyspace);
  if (used <= maxmemory) return true;
  if (config.policy === NO_EVICTION) return false;
  while (used > maxmemory) {
    const picked = (config.policy & (FLAG_LRU | FLAG_LFU)) !== 0 ||
        config.policy === VOLATILE_TTL
      ? pickFromPool(keyspace, config)
      : pickRandom(keyspace, config);
    if (picked === null) return false;
    evictKey(picked, pickedKey, config.lazy);
    used = usedMemory(keyspace);
  }
  return true;
}

/** The key chosen by the last pick (with its db as the return value: no tuple per eviction). */
let pickedKey = "";

/** deleteEvictedKeyAndPropagate: the DEL goes out first, then the key goes, as in Redis. */
function evictKey(db: Db, key: string, lazy: boolean): void {
  alsoPropagate(db.id, [lazy ? "UNLINK" : "DEL", key]);
  db.removeKey(key);
  db.keyspace.evictedKeys++;
  signalModifiedKey(db, key);
  notifyKeyspaceEvent(NOTIFY_EVICTED, "evicted", key, db.id);
}

// ---- The eviction pool (evictionPoolPopulate) ----

interface Pool {
  keys: (string | null)[];
  idle: number[];
  dbs: number[];
}

const pools = new WeakMap<Keyspace, Pool>();

function poolOf(keyspace: Keyspace): Pool {
  let pool = pools.get(keyspace);
  if (pool === undefined) {
    pool = {
      keys: new Array<string | null>(EVPOOL_SIZE).fill(null),
      idle: new Array<number>(EVPOOL_SIZE).fill(0),
      dbs: new Array<number>(EVPOOL_SIZE).fill(0),
    };
    pools.set(keyspace, pool);
  }
  return pool;
}

const sampled: string[] = [];

/**
 * Samples each db, merges the samples into the pool (ascending idle), then takes the best
 * candidate that still exists; a pool of ghosts (keys gone since) samples again.
 */
function pickFromPool(keyspace: Keyspace, config: EvictionConfig): Db | null {
  const pool = poolOf(keyspace);
  const allkeys = (config.policy & FLAG_ALLKEYS) !== 0;
  for (;;) {
    let total = 0;
    for (const db of keyspace.dbs) {
      const dict = allkeys ? db.dict : db.expires;
      if (dict.size === 0) continue;
      poolPopulate(pool, db, dict, config);
      total += dict.size;
    }
    if (total === 0) return null;
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const key = pool.keys[k];
      if (key === null || key === undefined) continue;
      const db = keyspace.dbs[pool.dbs[k]!]!;
      // Remove the entry from the pool whether or not the key is still there.
      pool.keys[k] = null;
      if ((allkeys ? db.dict : db.expires).has(key)) {
        pickedKey = key;
        return db;
      }
    }
  }
}

function poolPopulate(
  pool: Pool,
  db: Db,
  dict: Map<string, unknown>,
  config: EvictionConfig,
): void {
  const count = sampleKeys(dict, config.samples, sampled);
  const keys = pool.keys, idles = pool.idle, dbs = pool.dbs;
  const policy = config.policy;
  const keyspace = db.keyspace;
  for (let j = 0; j < count; j++) {
    const key = sampled[j]!;
    let idle: number;
    if ((policy & FLAG_LRU) !== 0) {
      // No access data: untouched since tracking began (the policy was set at run time).
      idle = estimateObjectIdleTime(db.access.get(key) ?? keyspace.accessConfig.since);
    } else if ((policy & FLAG_LFU) !== 0) {
      const data = db.access.get(key) ?? initialAccess(keyspace.accessConfig);
      idle = 255 - lfuDecrAndReturn(data, keyspace.accessConfig.decayTime);
    } else {
      // volatile-ttl: the sooner the expire time, the better the candidate.
      idle = Number.MAX_SAFE_INTEGER - (db.expires.get(key) ?? 0);
    }
    // The first slot that is empty or holds a better candidate.
    let k = 0;
    while (k < EVPOOL_SIZE && keys[k] !== null && idles[k]! < idle) k++;
    if (k === 0 && keys[EVPOOL_SIZE - 1] !== null) {
      // Worse than every candidate of a full pool.
      continue;
    } else if (k < EVPOOL_SIZE && keys[k] === null) {
      // An empty slot: nothing to move.
    } else if (keys[EVPOOL_SIZE - 1] === null) {
      // Room on the right: shift right from k.
      for (let i = EVPOOL_SIZE - 1; i > k; i--) {
        keys[i] = keys[i - 1]!;
        idles[i] = idles[i - 1]!;
        dbs[i] = dbs[i - 1]!;
      }
    } else {
      // Full: drop the worst (leftmost) candidate, insert at k - 1.
      k--;
      for (let i = 0; i < k; i++) {
        keys[i] = keys[i + 1]!;
        idles[i] = idles[i + 1]!;
        dbs[i] = dbs[i + 1]!;
      }
    }
    keys[k] = key;
    idles[k] = idle;
    dbs[k] = db.id;
  }
}

// ---- Sampling (dictGetSomeKeys, dictGetRandomKey) ----

/** Iterators spread over each sampled map: a Map has no random access. */
const cursors = new WeakMap<Map<string, unknown>, Iterator<string>[]>();
const CURSORS = 8;

/**
 * CURSORS iterators, the j-th started j/CURSORS of the way into the map (an O(n) walk once
 * per map, then O(1) per sample): samples drawn from a random one of them mix keys of every
 * age, where one rotating iterator would return runs of keys inserted together.
 */
function spreadCursors(map: Map<string, unknown>): Iterator<string>[] {
  const its: Iterator<string>[] = [];
  const gap = Math.floor(map.size / CURSORS);
  for (let j = 0; j < CURSORS; j++) {
    its.push(map.keys());
    for (let i = 0; i < gap * j; i++) its[j]!.next();
  }
  cursors.set(map, its);
  return its;
}

/**
 * Up to `count` keys of the map into `out` (dictGetSomeKeys): each from a random one of the
 * spread iterators, taken with probability 1/2 so successive samples differ; an iterator at
 * the end starts again. Small maps give all their keys.
 */
function sampleKeys(map: Map<string, unknown>, count: number, out: string[]): number {
  let n = 0;
  if (map.size <= count) {
    for (const key of map.keys()) out[n++] = key;
    return n;
  }
  const its = cursors.get(map) ?? spreadCursors(map);
  while (n < count) {
    const j = Math.floor(Math.random() * CURSORS);
    const next = its[j]!.next();
    if (next.done) {
      its[j] = map.keys();
      continue;
    }
    if (Math.random() < 0.5) out[n++] = next.value;
  }
  return n;
}

/** Round-robin db for the random policies (next_db). */
let nextDb = 0;

function pickRandom(keyspace: Keyspace, config: EvictionConfig): Db | null {
  const allkeys = (config.policy & FLAG_ALLKEYS) !== 0;
  const dbs = keyspace.dbs;
  for (let i = 0; i < dbs.length; i++) {
    const db = dbs[++nextDb % dbs.length]!;
    const dict = allkeys ? db.dict : db.expires;
    if (dict.size === 0) continue;
    if (dict.size === 1) {
      pickedKey = dict.keys().next().value!;
      return db;
    }
    // A random start in small maps; the rotating sample otherwise.
    if (dict.size <= 64) {
      let index = Math.floor(Math.random() * dict.size);
      for (const key of dict.keys()) {
        if (index-- === 0) {
          pickedKey = key;
          return db;
        }
      }
    }
    sampleKeys(dict, 1, sampled);
    pickedKey = sampled[0]!;
    return db;
  }
  return null;
}
