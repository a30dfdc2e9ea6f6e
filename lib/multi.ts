// MULTI state and WATCH: a client's queued commands, the keys it watches, and the registry that
// marks watchers dirty when a key changes, expires or is flushed. Mirrors Redis's multi.c.
import type { Client } from "./client.ts";
import { CLIENT_DIRTY_CAS, CLIENT_DIRTY_EXEC, CLIENT_MULTI } from "./client_flags.ts";
import type { TableEntry } from "./commands/table.ts";
import { onFlushedDb, onModifiedKey } from "./keyspace_events.ts";
import type { Db } from "./store/keyspace.ts";

/** One key a client watches (Redis's watchedKey). */
interface WatchedKey {
  client: Client;
  db: Db;
  key: string;
  /** The key had already expired when WATCH ran: its deletion is no change. */
  expired: boolean;
  /**
   * Whether the key exists, as of WATCH or the last signal about it: what a flush or swap
   * found there before it (touchWatchedKeysAfterFlush).
   */
  exists: boolean;
}

export interface MultiState {
  /** Commands queued since MULTI, run by EXEC. */
  commands: { entry: TableEntry; argv: string[] }[];
  /** Some queued command is denyoom (EXEC is then refused when out of memory). */
  denyoom: boolean;
  /** Some queued command writes (EXEC is then refused by MISCONF). */
  write: boolean;
  watched: WatchedKey[];
}

/** db -> key -> the clients watching it. */
const watchedKeys = new Map<Db, Map<string, WatchedKey[]>>();
/** Keys watched by anybody: touchWatchedKey returns at once while nobody watches. */
let watchedCount = 0;

function stateOf(c: Client): MultiState {
  return c.mstate ??= { commands: [], denyoom: false, write: false, watched: [] };
}

/** MULTI: from now on commands are queued. */
export function startTransaction(c: Client): void {
  stateOf(c);
  c.flags |= CLIENT_MULTI;
}

export function queueMultiCommand(c: Client, entry: TableEntry, argv: string[]): void {
  // A transaction bound to fail keeps nothing (CLIENT LIST then shows multi=0, as Redis does).
  if ((c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) !== 0) return;
  const state = stateOf(c);
  state.commands.push({ entry, argv });
  if (entry.command.flags.includes("denyoom")) state.denyoom = true;
  if (entry.command.flags.includes("write")) state.write = true;
}

/** A command failed while queuing: EXEC will fail with EXECABORT. */
export function flagTransaction(c: Client): void {
  if ((c.flags & CLIENT_MULTI) !== 0) c.flags |= CLIENT_DIRTY_EXEC;
}

/** Ends the transaction (EXEC, DISCARD, RESET): drops queued commands and watched keys. */
export function discardTransaction(c: Client): void {
  if (c.mstate !== null) {
    c.mstate.commands = [];
    c.mstate.denyoom = false;
    c.mstate.write = false;
  }
  c.flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
  unwatchAllKeys(c);
}

/** The client goes away: it leaves the watch registry. */
export function freeClientMultiState(c: Client): void {
  unwatchAllKeys(c);
  c.mstate = null;
}

export function watchForKey(c: Client, key: string): void {
  const state = stateOf(c);
  const db = c.db;
  for (const wk of state.watched) if (wk.db === db && wk.key === key) return;
  let byKey = watchedKeys.get(db);
  if (byKey === undefined) watchedKeys.set(db, byKey = new Map());
  let clients = byKey.get(key);
  if (clients === undefined) byKey.set(key, clients = []);
  const wk: WatchedKey = {
    client: c,
    db,
    key,
    expired: db.isExpired(key),
    exists: db.dict.has(key),
  };
  clients.push(wk);
  state.watched.push(wk);
  watchedCount++;
}

export function unwatchAllKeys(c: Client): void {
  const state = c.mstate;
  if (state === null || state.watched.length === 0) return;
  for (const wk of state.watched) {
    const byKey = watchedKeys.get(wk.db)!;
    const clients = byKey.get(wk.key)!;
    clients.splice(clients.indexOf(wk), 1);
    if (clients.length === 0) byKey.delete(wk.key);
    if (byKey.size === 0) watchedKeys.delete(wk.db);
    watchedCount--;
  }
  state.watched = [];
}

/** Redis 7.0 checks at EXEC whether a watched key has expired since WATCH. */
export function isWatchedKeyExpired(c: Client): boolean {
  const state = c.mstate;
  if (state === null) return false;
  for (const wk of state.watched) {
    if (!wk.expired && wk.db.isExpired(wk.key)) return true;
  }
  return false;
}

/** signalModifiedKey: every client watching the key will fail its EXEC. */
function touchWatchedKey(db: Db, key: string): void {
  if (watchedCount === 0) return;
  const clients = watchedKeys.get(db)?.get(key);
  if (clients === undefined) return;
  const exists = db.dict.has(key);
  for (const wk of clients) {
    wk.exists = exists;
    if (wk.expired) {
      // An expired key that is now deleted (lazily or by the active cycle) changed nothing.
      if (!exists) {
        wk.expired = false;
        continue;
      }
    }
    wk.client.flags |= CLIENT_DIRTY_CAS;
  }
}

/** Databases flushed or swapped by the running command, examined once it is done. */
let flushedDbs: number[] = [];

/**
 * FLUSHDB, FLUSHALL (dbIndex -1) and SWAPDB signal before the data goes or moves; the watchers
 * are examined after the command (touchWatchedKeysAfterFlush), when a swapped db's new
 * content can be seen too.
 */
function signalFlushedDbToWatchers(dbIndex: number): void {
  if (watchedCount === 0) return;
  if (flushedDbs.length === 0) queueMicrotask(touchWatchedKeysAfterFlush);
  flushedDbs.push(dbIndex);
}

/**
 * touchAllWatchedKeysInDb for each db flushed or swapped: a watcher is dirty when its key
 * existed before (its tracked `exists`) or exists now (SWAPDB brought one in); an expired key
 * that merely disappeared, or stayed expired, changed nothing. The dispatcher calls this after
 * the outermost command; a microtask catches signals from outside commands.
 */
export function touchWatchedKeysAfterFlush(): void {
  if (flushedDbs.length === 0) return;
  const ids = flushedDbs;
  flushedDbs = [];
  for (const [db, byKey] of watchedKeys) {
    if (!ids.includes(-1) && !ids.includes(db.id)) continue;
    for (const [key, clients] of byKey) {
      const existsNow = db.dict.has(key);
      for (const wk of clients) {
        const existed = wk.exists;
        wk.exists = existsNow;
        if (!existed && !existsNow) continue;
        if (wk.expired) {
          if (!existsNow) {
            wk.expired = false;
            continue;
          }
          if (db.isExpired(key)) continue;
        } else if (!existed && db.isExpired(key)) {
          // A missing key replaced by an already expired one.
          wk.expired = true;
          continue;
        }
        wk.client.flags |= CLIENT_DIRTY_CAS;
      }
    }
  }
}

onModifiedKey(touchWatchedKey);
onFlushedDb(signalFlushedDbToWatchers);
