// processCommand: from argv to a handler, with the checks every command gets from its record
// (existence, subcommand, arity) and the client's state (MULTI queuing, Pub/Sub, MONITOR).
// Mirrors processCommand/call in Redis's server.c.
import type { Client } from "../client.ts";
import {
  CLIENT_MONITOR,
  CLIENT_MULTI,
  CLIENT_PUBSUB,
  CLIENT_TRACKING,
  CLIENT_TRACKING_BCAST,
  CLIENT_TRACKING_CACHING,
} from "../client_flags.ts";
import { INTERNAL, ReplyError, unknownCommand, unknownSubcommand, wrongArity } from "../errors.ts";
import { tick } from "../clock.ts";
import { lookupCommand, type TableEntry } from "./table.ts";
import { handleClientsBlockedOnKeys, haveReadyKeys } from "../blocking.ts";
import { checkCommandAccess } from "../acl.ts";
import { performEvictions } from "../store/eviction.ts";
import { refreshChangedObjects } from "../store/memory.ts";
import { alsoPropagate, enterCall, exitCall, propagating } from "../propagate.ts";
import { flagTransaction, queueMultiCommand, touchWatchedKeysAfterFlush } from "../multi.ts";
import { monitorCount, replicationFeedMonitors } from "../monitor.ts";
import {
  trackingActive,
  trackingHandlePendingKeyInvalidations,
  trackingLimitUsedSlots,
  trackingRememberKeys,
  trackingSetCurrentClient,
} from "../tracking.ts";
import { commandKeys } from "./key_specs.ts";
import { errorsSinceLastCommand } from "./command_stats.ts";

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** Objects changed in place whose sizes may wait for the next used_memory reader. */
const CHANGED_OBJECTS_PENDING = 256;

/** INFO commandstats timing: every call of a command's first TIMED_CALLS, then a sample. */
const TIMED_CALLS = 1024;
const TIMING_SAMPLE = 128;
let timingCounter = 0;

/** How many call()s are running (more than one inside EXEC or a script). */
let nesting = 0;

/** Commands MULTI does not queue: they act on the transaction or the connection itself. */
const NOT_QUEUED = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);
/** What a RESP2 client in Pub/Sub mode may still send. */
const PUBSUB_ALLOWED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);
/** Commands MULTI does not refuse when memory is short (the OOM check of processCommand). */
const OOM_EXEMPT_IN_MULTI = new Set(["exec", "discard", "quit", "reset"]);

/** Executes one command for the client, appending its reply. */
export function processCommand(c: Client, argv: string[]): void {
  const entry = processCommandChecks(c, argv);
  // resetClient: CLIENT CACHING covers the next command only (all of a transaction).
  if ((c.flags & CLIENT_TRACKING_CACHING) !== 0) resetTrackingCaching(c, entry);
}

/** Runs or queues the command, or replies why not; returns its entry when it was found. */
function processCommandChecks(c: Client, argv: string[]): TableEntry | undefined {
  tick();
  if (trackingActive()) {
    trackingLimitUsedSlots(c.server.config.num("tracking-table-max-keys"));
  }
  let entry: TableEntry | undefined = lookupCommand(argv[0]!);
  if (entry === undefined) {
    rejectCommand(c, unknownCommand(argv[0]!, argv.slice(1)));
    return undefined;
  }
  if (entry.subcommands !== undefined && argv.length >= 2) {
    const sub = entry.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      rejectCommand(c, unknownSubcommand(argv[1]!, argv[0]!));
      return undefined;
    }
    entry = sub;
  }
  const command = entry.command;
  const arity = command.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
    rejectCommand(c, wrongArity(entry.fullName), entry);
    return entry;
  }
  if ((c.flags & CLIENT_MULTI) !== 0 && command.flags.includes("no_multi")) {
    rejectCommand(c, "ERR Command not allowed inside a transaction", entry);
    return entry;
  }
  const denied = checkCommandAccess(c, entry, argv);
  if (denied !== null) {
    rejectCommand(c, denied, entry);
    return entry;
  }
  // Like Redis, every command first evicts what is over maxmemory; denyoom ones fail if it can't.
  const maxmemory = c.server.config.maxmemory;
  if (
    maxmemory !== 0 && !performEvictions(c.server.keyspace, maxmemory) && denyOnOom(c, entry)
  ) {
    rejectCommand(c, OOM, entry);
    return entry;
  }
  const diskError = c.server.persistence.writeDeniedError();
  if (diskError !== null && isWriteOrPing(c, entry)) {
    rejectCommand(c, diskError, entry);
    return entry;
  }
  if (c.flags !== 0 && !checkClientState(c, entry, argv)) return entry;
  call(c, entry, argv);
  return entry;
}

/**
 * An error reply for a command that does not run; inside MULTI it dooms the transaction.
 * A command that was found counts it in its rejected_calls.
 */
function rejectCommand(c: Client, message: string, entry?: TableEntry): void {
  flagTransaction(c);
  if (entry !== undefined) entry.stats.rejected++;
  c.reply.error(message);
  errorsSinceLastCommand();
}

/**
 * Whether maxmemory refuses the command: denyoom commands, EXEC of a transaction holding one,
 * and anything queued inside MULTI (queuing itself takes memory).
 */
function denyOnOom(c: Client, entry: TableEntry): boolean {
  const name = entry.fullName;
  if (entry.command.flags.includes("denyoom")) return true;
  if (name === "exec") return c.mstate?.denyoom === true;
  return (c.flags & CLIENT_MULTI) !== 0 && !OOM_EXEMPT_IN_MULTI.has(name);
}

/** What MISCONF refuses: writes, EXEC of a transaction holding one, and PING (a health check). */
function isWriteOrPing(c: Client, entry: TableEntry): boolean {
  const name = entry.fullName;
  if (entry.command.flags.includes("write") || name === "ping") return true;
  return name === "exec" && c.mstate?.write === true;
}

/**
 * The checks and queuing for clients in a special state; false when the command was answered
 * here (refused, or queued with +QUEUED).
 */
function checkClientState(c: Client, entry: TableEntry, argv: string[]): boolean {
  const command = entry.command;
  const flags = command.flags;
  // A monitor counts as a replica, and replicas may not touch the keyspace.
  if (
    (c.flags & CLIENT_MONITOR) !== 0 &&
    (flags.includes("may_replicate") || flags.includes("write") || flags.includes("readonly"))
  ) {
    rejectCommand(c, "ERR Replica can't interact with the keyspace", entry);
    return false;
  }
  if ((c.flags & CLIENT_PUBSUB) !== 0 && c.resp === 2 && !PUBSUB_ALLOWED.has(entry.fullName)) {
    rejectCommand(
      c,
      `ERR Can't execute '${entry.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      entry,
    );
    return false;
  }
  if ((c.flags & CLIENT_MULTI) !== 0 && !NOT_QUEUED.has(entry.fullName)) {
    queueMultiCommand(c, entry, argv);
    c.reply.queued();
    return false;
  }
  return true;
}

function resetTrackingCaching(c: Client, entry: TableEntry | undefined): void {
  if ((c.flags & CLIENT_MULTI) !== 0) return;
  if (entry !== undefined && entry.fullName.startsWith("client|")) return;
  c.flags &= ~CLIENT_TRACKING_CACHING;
}

/**
 * Runs the handler and what follows a command: propagation of writes, MONITOR, key tracking,
 * and, after the outermost command, serving clients blocked on keys it filled and its own
 * invalidations. Redis's call() and afterCommand().
 */
export function call(c: Client, entry: TableEntry, argv: string[]): void {
  const keyspace = c.server.keyspace;
  c.server.stats.totalCommands++;
  c.lastCommand = entry.fullName;
  const mark = c.reply.len;
  const dirty = keyspace.dirty;
  const dbIndex = c.db.id;
  const outermost = nesting === 0;
  if (outermost) trackingSetCurrentClient(c);
  nesting++;
  enterCall();
  const stats = entry.stats;
  // performance.now() is an op call: a command's first calls are all timed, later ones one in
  // TIMING_SAMPLE, counted TIMING_SAMPLE times (usec stays a good estimate at a fraction of
  // the cost).
  const timed = stats.calls < TIMED_CALLS || (++timingCounter & (TIMING_SAMPLE - 1)) === 0;
  const started = timed ? performance.now() : 0;
  try {
    entry.command.run(c, argv);
  } catch (err) {
    // A handler validates before replying, but never leave half a reply behind.
    c.reply.truncate(mark);
    if (err instanceof ReplyError) {
      c.reply.error(err.message);
    } else {
      c.server.log("warning", `Internal error in '${entry.fullName}': ${(err as Error).stack}`);
      c.reply.error(INTERNAL);
    }
  } finally {
    nesting--;
  }
  if (timed) {
    stats.ms += (performance.now() - started) * (stats.calls < TIMED_CALLS ? 1 : TIMING_SAMPLE);
  }
  stats.calls++;
  if (errorsSinceLastCommand()) stats.failed++;
  if (keyspace.dirty !== dirty && propagating()) {
    for (const op of c.propagateAs ?? [argv]) alsoPropagate(dbIndex, op);
  }
  c.propagateAs = null;
  // Leaving the outermost command sends what it propagated, inside MULTI/EXEC when several.
  exitCall();
  if (monitorCount() !== 0) feedMonitors(c, entry, argv);
  if ((c.flags & CLIENT_TRACKING) !== 0) rememberKeys(c, entry, argv);
  if (!outermost) return;
  touchWatchedKeysAfterFlush();
  // Keys the command filled for blocked clients are served before the next command runs;
  // a command run by another one (EXEC) leaves that to the outermost, which is atomic.
  if (haveReadyKeys()) handleClientsBlockedOnKeys();
  trackingHandlePendingKeyInvalidations();
  trackingSetCurrentClient(null);
  // Values changed in place are sized again for used_memory, once per key for many commands:
  // its readers (INFO, MEMORY, eviction) refresh what is pending first; this bounds the wait.
  if (keyspace.changedObjects.size > CHANGED_OBJECTS_PENDING) refreshChangedObjects(keyspace);
}

/** Administrative commands and those flagged skip_monitor are not shown. */
function feedMonitors(c: Client, entry: TableEntry, argv: string[]): void {
  const flags = entry.command.flags;
  if (flags.includes("admin") || flags.includes("skip_monitor")) return;
  replicationFeedMonitors(c, c.db.id, argv);
}

/** A read-only command of a (non-broadcasting) tracking client: its keys may now be cached. */
function rememberKeys(c: Client, entry: TableEntry, argv: string[]): void {
  const flags = entry.command.flags;
  if ((c.flags & CLIENT_TRACKING_BCAST) !== 0) return;
  if (!flags.includes("readonly") || flags.includes("pubsub")) return;
  const keys = commandKeys(entry.command, entry.fullName, argv);
  if (keys.length !== 0) trackingRememberKeys(c, keys.map((k) => argv[k.pos]!));
}
