// Per-key access data for maxmemory's LRU and LFU policies and OBJECT IDLETIME/FREQ: the 24
// bits Redis keeps in robj.lru. Mirrors evict.c's LRU_CLOCK and LFU functions and the
// lookupKey touch of db.c. The values live in Db.access (one Smi per key, no object per key).
import { now } from "../clock.ts";
import type { Db } from "./keyspace.ts";

/** Redis's LRU_BITS: the LRU clock wraps at 2^24 seconds (~194 days). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LRU_CLOCK_RESOLUTION in ms. */
export const LRU_CLOCK_RESOLUTION = 1000;
/** A new key's logarithmic access counter, so that it is not evicted before it can be used. */
export const LFU_INIT_VAL = 5;

/** How keys are touched: the policy family and the LFU parameters, kept from the config. */
export interface AccessConfig {
  /**
   * Access data is kept under the LRU and LFU policies only (the other policies never read
   * it): 29 bytes per key and a map update per lookup that the default setup does not pay.
   */
  track: boolean;
  /** The LRU clock when tracking began: keys with no access data count as idle since then. */
  since: number;
  /** maxmemory-policy is volatile-lfu or allkeys-lfu: the 24 bits hold (minutes << 8) | counter. */
  lfu: boolean;
  /** lfu-log-factor. */
  logFactor: number;
  /** lfu-decay-time, minutes. */
  decayTime: number;
}

/** The LRU clock: seconds, 24 bits (server.lruclock). */
export function lruClock(): number {
  return (now() / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/** Milliseconds since the access recorded in `lru`, at the clock's resolution. */
export function estimateObjectIdleTime(lru: number): number {
  const clock = lruClock();
  return clock >= lru
    ? (clock - lru) * LRU_CLOCK_RESOLUTION
    : (clock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

/** The time LFU data records: minutes, 16 bits. */
export function lfuTimeInMinutes(): number {
  return Math.floor(now() / 60000) & 65535;
}

/** Minutes since ldt, allowing for one wrap of the 16-bit clock. */
function lfuTimeElapsed(ldt: number): number {
  const t = lfuTimeInMinutes();
  return t >= ldt ? t - ldt : 65535 - ldt + t;
}

/** LFULogIncr: the counter grows with probability 1 / ((counter - LFU_INIT_VAL) * factor + 1). */
export function lfuLogIncr(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const baseval = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (baseval * logFactor + 1);
  return Math.random() < p ? counter + 1 : counter;
}

/** LFUDecrAndReturn: the counter after one decrement per lfu-decay-time minutes idle. */
export function lfuDecrAndReturn(data: number, decayTime: number): number {
  const ldt = data >> 8;
  const counter = data & 255;
  const periods = decayTime !== 0 ? Math.floor(lfuTimeElapsed(ldt) / decayTime) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** The access data of a new key (createObject's lru). */
export function initialAccess(config: AccessConfig): number {
  return config.lfu ? (lfuTimeInMinutes() << 8) | LFU_INIT_VAL : lruClock();
}

/** The access data after one more access (lookupKey: updateLFU or the LRU clock). */
export function touchedAccess(config: AccessConfig, data: number | undefined): number {
  if (!config.lfu) return lruClock();
  let counter = data === undefined ? LFU_INIT_VAL : lfuDecrAndReturn(data, config.decayTime);
  counter = lfuLogIncr(counter, config.logFactor);
  return (lfuTimeInMinutes() << 8) | counter;
}

/**
 * objectSetLRUOrLFU (RESTORE's IDLETIME/FREQ, -1 when not given): the LFU counter under an LFU
 * policy, else the LRU clock set back by the idle time.
 */
export function objectSetLRUOrLFU(db: Db, key: string, lfuFreq: number, idleSeconds: number): void {
  const config = db.keyspace.accessConfig;
  if (!config.track) return;
  if (config.lfu) {
    if (lfuFreq >= 0) db.access.set(key, (lfuTimeInMinutes() << 8) | lfuFreq);
  } else if (idleSeconds >= 0) {
    const clock = lruClock();
    const idle = idleSeconds % (LRU_CLOCK_MAX + 1);
    db.access.set(key, clock >= idle ? clock - idle : LRU_CLOCK_MAX + 1 + clock - idle);
  }
}
