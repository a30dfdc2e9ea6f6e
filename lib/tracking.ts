// Client-side caching: the keys each tracking client has read, the prefixes of broadcasting
// clients, and the invalidation messages sent when those keys change. Mirrors Redis's tracking.c.
import type { Client } from "./client.ts";
import {
  CLIENT_PUBSUB,
  CLIENT_TRACKING,
  CLIENT_TRACKING_BCAST,
  CLIENT_TRACKING_BROKEN_REDIR,
  CLIENT_TRACKING_CACHING,
  CLIENT_TRACKING_NOLOOP,
  CLIENT_TRACKING_OPTIN,
  CLIENT_TRACKING_OPTOUT,
} from "./client_flags.ts";
import { onFlushedDb, onModifiedKey } from "./keyspace_events.ts";
import type { Server } from "./server.ts";

export interface TrackingState {
  /** Client id invalidations go to; 0 for this client itself. */
  redirect: number;
  /** BCAST prefixes of this client ("" when BCAST was given without PREFIX). */
  prefixes: Set<string>;
}

/** A broadcast prefix: its clients and the keys changed under it since the last broadcast. */
interface BcastState {
  /** Changed key -> the client whose command changed it (null: no client, e.g. expiry). */
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

/** key -> ids of the clients that may have it cached (keys of every db share it, as in Redis). */
const trackingTable = new Map<string, Set<number>>();
let trackingTableTotalItems = 0;
const prefixTable = new Map<string, BcastState>();
let trackingClients = 0;
let server: Server | null = null;
/** The client whose command runs (server.current_client); its own invalidations wait. */
let currentClient: Client | null = null;
/** Keys (null: a flush) to invalidate for currentClient after its reply. */
let pendingKeys: (string | null)[] = [];
let broadcastScheduled = false;

const TRACKING_CHANNEL = "__redis__:invalidate";

export function trackingActive(): boolean {
  return trackingClients !== 0;
}

/** CLIENT TRACKING ON: the options were validated by the caller. */
export function enableTracking(
  c: Client,
  redirect: number,
  options: number,
  prefixes: string[],
): void {
  server = c.server;
  if ((c.flags & CLIENT_TRACKING) === 0) trackingClients++;
  c.flags |= CLIENT_TRACKING;
  c.flags &= ~(CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST | CLIENT_TRACKING_OPTIN |
    CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP);
  const state = c.tracking ??= { redirect: 0, prefixes: new Set() };
  state.redirect = redirect;
  if ((options & CLIENT_TRACKING_BCAST) !== 0) {
    c.flags |= CLIENT_TRACKING_BCAST;
    if (prefixes.length === 0) enableBcastTrackingForPrefix(c, "");
    for (const prefix of prefixes) enableBcastTrackingForPrefix(c, prefix);
  }
  c.flags |= options & (CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_NOLOOP);
}

function enableBcastTrackingForPrefix(c: Client, prefix: string): void {
  let bs = prefixTable.get(prefix);
  if (bs === undefined) prefixTable.set(prefix, bs = { keys: new Map(), clients: new Set() });
  if (!bs.clients.has(c)) {
    bs.clients.add(c);
    c.tracking!.prefixes.add(prefix);
  }
}

/** CLIENT TRACKING OFF, RESET and disconnection. Keys it read stay in the table until touched. */
export function disableTracking(c: Client): void {
  if ((c.flags & CLIENT_TRACKING_BCAST) !== 0 && c.tracking !== null) {
    for (const prefix of c.tracking.prefixes) {
      const bs = prefixTable.get(prefix)!;
      bs.clients.delete(c);
      if (bs.clients.size === 0) prefixTable.delete(prefix);
    }
    c.tracking.prefixes.clear();
  }
  if ((c.flags & CLIENT_TRACKING) !== 0) {
    trackingClients--;
    c.flags &= ~(CLIENT_TRACKING | CLIENT_TRACKING_BROKEN_REDIR | CLIENT_TRACKING_BCAST |
      CLIENT_TRACKING_OPTIN | CLIENT_TRACKING_OPTOUT | CLIENT_TRACKING_CACHING |
      CLIENT_TRACKING_NOLOOP);
  }
}

/**
 * checkPrefixCollisionsOrReply: null when no new prefix is a prefix of another new one or of
 * one the client already has; otherwise the error text.
 */
export function prefixCollision(c: Client, prefixes: string[]): string | null {
  const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i]!;
    for (const existing of [...(c.tracking?.prefixes ?? [])].sort()) {
      if (overlaps(existing, prefix)) {
        return `ERR Prefix '${cstr(prefix)}' overlaps with an existing prefix '${
          cstr(existing)
        }'. Prefixes for a single client must not overlap.`;
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (overlaps(prefix, prefixes[j]!)) {
        return `ERR Prefix '${cstr(prefix)}' overlaps with another provided prefix '${
          cstr(prefixes[j]!)
        }'. Prefixes for a single client must not overlap.`;
      }
    }
  }
  return null;
}

/** What printf's %s shows of a byte string. */
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * After a read-only command of a tracking client (default mode): remembers that the client may
 * cache its keys. OPTIN needs CLIENT CACHING YES before the command, OPTOUT skips it after
 * CLIENT CACHING NO.
 */
export function trackingRememberKeys(c: Client, keys: string[]): void {
  const optin = (c.flags & CLIENT_TRACKING_OPTIN) !== 0;
  const optout = (c.flags & CLIENT_TRACKING_OPTOUT) !== 0;
  const caching = (c.flags & CLIENT_TRACKING_CACHING) !== 0;
  if ((optin && !caching) || (optout && caching)) return;
  for (const key of keys) {
    let ids = trackingTable.get(key);
    if (ids === undefined) trackingTable.set(key, ids = new Set());
    if (!ids.has(c.id)) {
      ids.add(c.id);
      trackingTableTotalItems++;
    }
  }
  // Over tracking-table-max-keys: evict once the current event ends (Redis's beforeSleep).
  const maxKeys = c.server.config.num("tracking-table-max-keys");
  if (maxKeys !== 0 && trackingTable.size > maxKeys && !limitScheduled) {
    limitScheduled = true;
    queueMicrotask(() => {
      limitScheduled = false;
      trackingLimitUsedSlots(c.server.config.num("tracking-table-max-keys"));
    });
  }
}

let limitScheduled = false;

/**
 * sendTrackingMessage: `keys` (null: everything, after a flush) to the client or the client it
 * redirects to: a RESP3 push, or for a RESP2 client in Pub/Sub mode a __redis__:invalidate
 * message; a RESP2 client that redirects nowhere gets nothing.
 */
function sendTrackingMessage(c: Client, keys: string[] | null): void {
  let target = c;
  const redirect = c.tracking?.redirect ?? 0;
  if (redirect !== 0) {
    const redir = c.server.clients.get(redirect);
    if (redir === undefined || redir.closed) {
      c.flags |= CLIENT_TRACKING_BROKEN_REDIR;
      if (c.resp > 2) {
        c.reply.push(2);
        c.reply.bulk("tracking-redir-broken");
        c.reply.integer(redirect);
        c.pushed();
      }
      return;
    }
    target = redir;
  }
  if (target.closeAfterReply) return;
  const reply = target.reply;
  if (target.resp > 2) {
    reply.push(2);
    reply.bulk("invalidate");
  } else if (redirect !== 0 && (target.flags & CLIENT_PUBSUB) !== 0) {
    reply.push(3);
    reply.bulk("message");
    reply.bulk(TRACKING_CHANNEL);
  } else {
    return;
  }
  if (keys === null) {
    // The null of the tracking client's protocol, even when redirected (shared.null[c->resp]).
    reply.str(c.resp === 2 ? "$-1\r\n" : "_\r\n");
  } else {
    reply.array(keys.length);
    for (const key of keys) reply.bulk(key);
  }
  target.pushed();
}

/**
 * signalModifiedKey: every client that may cache the key is told, once (the key leaves the
 * table until read again); broadcasting prefixes collect it for the next broadcast.
 */
function trackingInvalidateKey(key: string): void {
  if (prefixTable.size !== 0) trackingRememberKeyToBroadcast(key);
  if (trackingTable.size === 0) return;
  const ids = trackingTable.get(key);
  if (ids === undefined) return;
  const clients = server!.clients;
  for (const id of ids) {
    const target = clients.get(id);
    // A client that switched to BCAST does not get what it tracked before.
    if (
      target === undefined || (target.flags & CLIENT_TRACKING) === 0 ||
      (target.flags & CLIENT_TRACKING_BCAST) !== 0
    ) {
      continue;
    }
    if (target === currentClient) {
      if ((target.flags & CLIENT_TRACKING_NOLOOP) !== 0) continue;
      // Its own change: the invalidation follows the command's reply.
      pendingKeys.push(key);
    } else {
      sendTrackingMessage(target, [key]);
    }
  }
  trackingTableTotalItems -= ids.size;
  trackingTable.delete(key);
}

function trackingRememberKeyToBroadcast(key: string): void {
  for (const [prefix, bs] of prefixTable) {
    if (!key.startsWith(prefix)) continue;
    bs.keys.set(key, currentClient);
    if (!broadcastScheduled) {
      broadcastScheduled = true;
      queueMicrotask(trackingBroadcastInvalidationMessages);
    }
  }
}

/** FLUSHDB/FLUSHALL/SWAPDB: every tracking client is told to drop everything (a null). */
function trackingInvalidateKeysOnFlush(): void {
  if (trackingClients !== 0) {
    for (const c of server!.clients.values()) {
      if ((c.flags & CLIENT_TRACKING) === 0) continue;
      if (c === currentClient) pendingKeys.push(null);
      else sendTrackingMessage(c, null);
    }
  }
  trackingTable.clear();
  trackingTableTotalItems = 0;
}

/**
 * Sends, per prefix, the keys changed under it since the last broadcast (sorted as Redis's
 * radix tree iterates them); a NOLOOP client is spared the keys it changed itself. Runs once
 * the current event ends, like Redis's beforeSleep.
 */
function trackingBroadcastInvalidationMessages(): void {
  broadcastScheduled = false;
  const prefixes = [...prefixTable.keys()].sort();
  for (const prefix of prefixes) {
    const bs = prefixTable.get(prefix)!;
    if (bs.keys.size === 0) continue;
    const changed = [...bs.keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    bs.keys = new Map();
    const all = changed.map(([key]) => key);
    for (const c of bs.clients) {
      if ((c.flags & CLIENT_TRACKING_NOLOOP) !== 0) {
        const mine = changed.filter(([, by]) => by !== c).map(([key]) => key);
        if (mine.length !== 0) sendTrackingMessage(c, mine);
      } else {
        sendTrackingMessage(c, all);
      }
    }
  }
}

/** The dispatcher's bracket around the outermost command (server.current_client). */
export function trackingSetCurrentClient(c: Client | null): void {
  currentClient = c;
}

/** After the outermost command: its own invalidations, after its reply. */
export function trackingHandlePendingKeyInvalidations(): void {
  if (pendingKeys.length === 0) return;
  const keys = pendingKeys;
  pendingKeys = [];
  const c = currentClient;
  if (c === null || c.closed) return;
  for (const key of keys) sendTrackingMessage(c, key === null ? null : [key]);
}

let timeoutCounter = 0;

/**
 * tracking-table-max-keys: past the limit, keys are invalidated (oldest first, instead of
 * Redis's random walk) with an effort that grows while the table stays too big.
 */
export function trackingLimitUsedSlots(maxKeys: number): void {
  if (maxKeys === 0 || trackingTable.size <= maxKeys) {
    timeoutCounter = 0;
    return;
  }
  let effort = 100 * (timeoutCounter + 1);
  for (const key of trackingTable.keys()) {
    if (effort-- <= 0) break;
    trackingInvalidateKey(key);
    if (trackingTable.size <= maxKeys) {
      timeoutCounter = 0;
      return;
    }
  }
  timeoutCounter++;
}

/** INFO's tracking_clients, tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
export function trackingInfo(): {
  clients: number;
  keys: number;
  items: number;
  prefixes: number;
} {
  return {
    clients: trackingClients,
    keys: trackingTable.size,
    items: trackingTableTotalItems,
    prefixes: prefixTable.size,
  };
}

onModifiedKey((_db, key) => trackingInvalidateKey(key));
onFlushedDb(() => trackingInvalidateKeysOnFlush());
