// Persistence commands: SAVE, BGSAVE, BGREWRITEAOF, DUMP and RESTORE. Mirrors saveCommand/bgsaveCommand in
// Redis's rdb.c and dumpCommand/restoreCommand in cluster.c (the payload: lib/persistence/).
import type { Client } from "../client.ts";
import { CLIENT_MULTI } from "../client_flags.ts";
import {
  BAD_DUMP_PAYLOAD,
  BGSAVE_IN_PROGRESS,
  BUSYKEY,
  NOT_INTEGER,
  ReplyError,
  SYNTAX,
} from "../errors.ts";
import { toBytes } from "../bytes.ts";
import { now } from "../clock.ts";
import { signalKeyAsReady } from "../blocking.ts";
import { NOTIFY_GENERIC, notifyKeyspaceEvent, signalModifiedKey } from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";
import { parseInteger } from "../util/numbers.ts";
import { objectSetLRUOrLFU } from "../store/lru.ts";
import { createDumpPayload, parseDumpPayload, verifyDumpPayload } from "../persistence/dump.ts";
import type { Command } from "./types.ts";

function saveCommand(c: Client): void {
  const persistence = c.server.persistence;
  if (persistence.snapshot !== null) throw new ReplyError(BGSAVE_IN_PROGRESS);
  // Redis's shared.err: a bare "-ERR" (the reason is in the log).
  if (persistence.save()) c.reply.ok();
  else c.reply.error("ERR");
}

/** BGSAVE [SCHEDULE]. */
function bgsaveCommand(c: Client, argv: string[]): void {
  if (argv.length > 1 && (argv.length !== 2 || argv[1]!.toLowerCase() !== "schedule")) {
    throw new ReplyError(SYNTAX);
  }
  const persistence = c.server.persistence;
  if (persistence.snapshot !== null) throw new ReplyError(BGSAVE_IN_PROGRESS);
  if (persistence.hasActiveChild() || (c.flags & CLIENT_MULTI) !== 0) {
    // Inside EXEC or beside an AOF rewrite: started by serverCron later, as in Redis.
    if (argv.length === 1 && (c.flags & CLIENT_MULTI) === 0) {
      throw new ReplyError(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE " +
          "SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
    }
    persistence.bgsaveScheduled = true;
    c.reply.simple("Background saving scheduled");
  } else {
    persistence.bgsave();
    c.reply.simple("Background saving started");
  }
}

/** bgrewriteaofCommand: started now, or by serverCron after a BGSAVE or the transaction. */
function bgrewriteaofCommand(c: Client): void {
  const persistence = c.server.persistence;
  const aof = persistence.aof;
  if (aof.rewrite !== null) {
    throw new ReplyError("ERR Background append only file rewriting already in progress");
  }
  if (persistence.hasActiveChild() || (c.flags & CLIENT_MULTI) !== 0) {
    aof.rewriteScheduled = true;
    c.reply.simple("Background append only file rewriting scheduled");
  } else if (aof.rewriteBackground()) {
    c.reply.simple("Background append only file rewriting started");
  } else {
    throw new ReplyError(
      "ERR Can't execute an AOF background rewriting. Please check the server logs for more " +
        "information.",
    );
  }
}

function dumpCommand(c: Client, argv: string[]): void {
  const value = c.db.lookupRead(argv[1]!);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  const config = c.server.config;
  const payload = createDumpPayload(
    value,
    { listFill: config.num("list-max-listpack-size") },
    config.bool("rdbcompression"),
  );
  c.reply.bulkBytes(payload);
}

/** getLongLongFromObjectOrReply. */
function longLong(text: string): number | bigint {
  const v = parseInteger(text);
  if (v === null) throw new ReplyError(NOT_INTEGER);
  return v;
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
function restoreCommand(c: Client, argv: string[]): void {
  let replace = false, absttl = false, idle = false, freq = false;
  let idleSeconds = -1, lfuFreq = -1;
  for (let j = 4; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase();
    const additional = argv.length - j - 1;
    if (option === "replace") {
      replace = true;
    } else if (option === "absttl") {
      absttl = true;
    } else if (option === "idletime" && additional >= 1 && !freq) {
      const seconds = longLong(argv[++j]!);
      if (seconds < 0) throw new ReplyError("ERR Invalid IDLETIME value, must be >= 0");
      idleSeconds = Number(seconds);
      idle = true;
    } else if (option === "freq" && additional >= 1 && !idle) {
      const f = longLong(argv[++j]!);
      if (f < 0 || f > 255) throw new ReplyError("ERR Invalid FREQ value, must be >= 0 and <= 255");
      lfuFreq = Number(f);
      freq = true;
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const db = c.db, key = argv[1]!;
  if (!replace && db.lookupWrite(key) !== undefined) throw new ReplyError(BUSYKEY);
  let ttl = longLong(argv[2]!);
  if (ttl < 0) throw new ReplyError("ERR Invalid TTL value, must be >= 0");
  const payload = toBytes(argv[3]!);
  if (!verifyDumpPayload(payload)) throw new ReplyError(BAD_DUMP_PAYLOAD);
  const value = parseDumpPayload(payload, c.server.persistence.loadLimits());
  if (value === null) throw new ReplyError("ERR Bad data format");

  const deleted = replace && db.delete(key);
  if (ttl !== 0 && !absttl) {
    const at = BigInt(ttl) + BigInt(now());
    ttl = Number.isSafeInteger(Number(at)) ? Number(at) : at;
  }
  if (ttl !== 0 && ttl <= now()) {
    // Already expired: the key is not created (an old one REPLACE removed stays removed).
    if (deleted) {
      if (propagating()) c.propagateAs = [["DEL", key]];
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
      db.keyspace.dirty++;
    }
    c.reply.ok();
    return;
  }
  db.set(key, value);
  objectSetLRUOrLFU(db, key, lfuFreq, idleSeconds);
  if (ttl !== 0) {
    db.setExpireExact(key, ttl);
    // Replayed with the absolute time, so a replica or the AOF gets the same deadline.
    if (!absttl && propagating()) {
      c.propagateAs = [["RESTORE", key, String(ttl), ...argv.slice(3), "ABSTTL"]];
    }
  }
  signalKeyAsReady(db, key);
  signalModifiedKey(db, key);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "restore", key, db.id);
  db.keyspace.dirty++;
  c.reply.ok();
}

export const persistenceCommands: Command[] = [
  {
    name: "save",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    since: "1.0.0",
    summary: "Synchronously saves the database(s) to disk.",
    complexity: "O(N) where N is the total number of keys in all databases",
    syntax: "",
    run: saveCommand,
  },
  {
    name: "bgsave",
    arity: -1,
    flags: ["admin", "noscript", "no_async_loading"],
    group: "server",
    since: "1.0.0",
    summary: "Asynchronously saves the database(s) to disk.",
    complexity: "O(1)",
    syntax: "[SCHEDULE]",
    run: bgsaveCommand,
  },
  {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading"],
    group: "server",
    since: "1.0.0",
    summary: "Asynchronously rewrite the append-only file",
    complexity: "O(1)",
    syntax: "",
    run: bgrewriteaofCommand,
  },
  {
    name: "dump",
    arity: 2,
    flags: ["readonly"],
    group: "generic",
    since: "2.6.0",
    summary: "Returns a serialized representation of the value stored at a key.",
    complexity:
      "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    syntax: "key",
    keys: { first: 1, last: 1, step: 1 },
    meta: { tips: ["nondeterministic_output"] },
    run: dumpCommand,
  },
  {
    name: "restore",
    arity: -4,
    flags: ["write", "denyoom"],
    group: "generic",
    since: "2.6.0",
    summary: "Creates a key from the serialized representation of a value.",
    complexity:
      "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
    syntax:
      "key ttl:integer serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds:integer] [FREQ frequency:integer]",
    keys: { first: 1, last: 1, step: 1 },
    meta: { acl: "keyspace dangerous", keyFlags: "OW update" },
    run: restoreCommand,
  },
];
