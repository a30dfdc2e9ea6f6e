// What a write tells the rest of the server: signalModifiedKey (WATCH, client tracking) and
// notifyKeyspaceEvent (keyspace notifications over pub/sub). Mirrors Redis's db.c
// signalModifiedKey/signalFlushedDb and notify.c. Consumers register listeners, so commands
// and the store never depend on pub/sub, transactions or tracking.
import type { Db } from "./store/keyspace.ts";
import { alsoPropagate } from "./propagate.ts";

export type ModifiedKeyListener = (db: Db, key: string) => void;
/** dbIndex -1 means every database (FLUSHALL). */
export type FlushedDbListener = (dbIndex: number) => void;
/** Delivers a notification message on a pub/sub channel (registered by the pub/sub module). */
export type EventPublisher = (channel: string, message: string) => void;

const modifiedListeners: ModifiedKeyListener[] = [];
const flushedListeners: FlushedDbListener[] = [];
let publisher: EventPublisher | null = null;

export function onModifiedKey(listener: ModifiedKeyListener): void {
  modifiedListeners.push(listener);
}

export function onFlushedDb(listener: FlushedDbListener): void {
  flushedListeners.push(listener);
}

export function setEventPublisher(fn: EventPublisher | null): void {
  publisher = fn;
}

/** Every command that changes a key calls this (after the change), as Redis's handlers do. */
export function signalModifiedKey(db: Db, key: string): void {
  for (let i = 0; i < modifiedListeners.length; i++) modifiedListeners[i]!(db, key);
}

/**
 * FLUSHDB, FLUSHALL and SWAPDB: every key of the db (or of all dbs) changed. Called before the
 * keys go (or move), as in Redis, so listeners can still see which existed.
 */
export function signalFlushedDb(dbIndex: number): void {
  for (let i = 0; i < flushedListeners.length; i++) flushedListeners[i]!(dbIndex);
}

/** The event classes of notify-keyspace-events, as bit flags (Redis's NOTIFY_*). */
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_LOADED = 1 << 12; // module only
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n

/** The classes enabled by notify-keyspace-events (0: notifications off, the default). */
let enabledClasses = 0;

/** notify-keyspace-events, as flags (lib/config.ts calls this whenever the option is set). */
export function setNotifyClasses(classes: number): void {
  enabledClasses = classes;
}

/** lazyfree-lazy-expire: expired keys then propagate as UNLINK instead of DEL. */
let lazyfreeLazyExpire = false;

export function setLazyfreeLazyExpire(on: boolean): void {
  lazyfreeLazyExpire = on;
}

/**
 * Publishes `event` for `key` in `dbIndex` on __keyspace@<db>__:<key> and/or
 * __keyevent@<db>__:<event>, when its class is enabled. Cheap when notifications are off.
 */
export function notifyKeyspaceEvent(
  type: number,
  event: string,
  key: string,
  dbIndex: number,
): void {
  if ((enabledClasses & type) === 0 || publisher === null) return;
  if (enabledClasses & NOTIFY_KEYSPACE) publisher(`__keyspace@${dbIndex}__:${key}`, event);
  if (enabledClasses & NOTIFY_KEYEVENT) publisher(`__keyevent@${dbIndex}__:${event}`, key);
}

/**
 * What follows the removal of an expired key, lazily or by the active cycle: Redis's
 * deleteExpiredKeyAndPropagate. The first of keyspace.expiredListeners; the DEL propagates in
 * the key's db, before the command that found the key expired (if any).
 */
export function keyExpired(db: Db, key: string): void {
  notifyKeyspaceEvent(NOTIFY_EXPIRED, "expired", key, db.id);
  signalModifiedKey(db, key);
  alsoPropagate(db.id, [lazyfreeLazyExpire ? "UNLINK" : "DEL", key]);
}
