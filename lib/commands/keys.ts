// Generic keyspace commands: DEL, EXISTS, KEYS, SCAN, RENAME, MOVE, COPY, EXPIRE, TTL, OBJECT,
// FLUSHALL... Mirrors Redis's db.c, expire.c and object.c (objectCommand).
import type { Client } from "../client.ts";
import { now } from "../clock.ts";
import { scanDatabaseForReadyKeys, signalKeyAsReady } from "../blocking.ts";
import {
  INVALID_CURSOR,
  INVALID_DB,
  invalidExpire,
  NO_SUCH_KEY,
  NOT_INTEGER,
  ReplyError,
  SAME_OBJECT,
  SYNTAX,
} from "../errors.ts";
import { matchGlob } from "../store/glob.ts";
import { estimateObjectIdleTime, LFU_INIT_VAL, lfuDecrAndReturn } from "../store/lru.ts";
import { type Db, typeOf, type Value } from "../store/keyspace.ts";
import { parseCursor } from "../store/scan.ts";
import { LLONG_MAX, LLONG_MIN, parseInteger } from "../util/numbers.ts";
import { integerArg, isOption } from "./args.ts";
import type { Command, KeyPositions } from "./types.ts";
import {
  NOTIFY_GENERIC,
  notifyKeyspaceEvent,
  signalFlushedDb,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { forcePropagation, propagating } from "../propagate.ts";

const KEY1: KeyPositions = { first: 1, last: 1, step: 1 };
const KEY1_2: KeyPositions = { first: 1, last: 2, step: 1 };
const ALL_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
/** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared objects with refcount INT_MAX. */
const OBJ_SHARED_INTEGERS = 10000;
const OBJ_SHARED_REFCOUNT = 2147483647;

// ---- DEL, UNLINK, EXISTS, TOUCH, TYPE ----

/** delGenericCommand: DEL and UNLINK (both free values synchronously here). */
function delGenericCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    if (!db.delete(key)) continue;
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
    deleted++;
  }
  db.keyspace.dirty += deleted;
  c.reply.integer(deleted);
}

/** EXISTS and TOUCH: how many of the arguments exist, a key named twice counting twice. */
/** EXISTS looks without touching (LOOKUP_NOTOUCH); TOUCH is the same count with the touch. */
function existsCommand(c: Client, argv: string[]): void {
  let count = 0;
  for (let j = 1; j < argv.length; j++) {
    if (c.db.lookupRead(argv[j]!, false) !== undefined) count++;
  }
  c.reply.integer(count);
}

function touchCommand(c: Client, argv: string[]): void {
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]!) !== undefined) count++;
  c.reply.integer(count);
}

function typeCommand(c: Client, argv: string[]): void {
  const value = c.db.lookupRead(argv[1]!, false);
  c.reply.simple(value === undefined ? "none" : typeOf(value));
}

// ---- KEYS, SCAN, RANDOMKEY, DBSIZE ----

function keysCommand(c: Client, argv: string[]): void {
  const pattern = argv[1]!;
  const allKeys = pattern === "*";
  const db = c.db;
  const checkExpire = db.expires.size !== 0;
  const found: string[] = [];
  for (const key of db.dict.keys()) {
    // Expired keys are skipped but left for lazy or active expiry, as Redis does.
    if ((allKeys || matchGlob(pattern, key)) && !(checkExpire && db.isExpired(key))) {
      found.push(key);
    }
  }
  c.reply.array(found.length);
  for (const key of found) c.reply.bulk(key);
}

/** scanGenericCommand for the keyspace: options, a step of the walk, then the filters. */
function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[1]!);
  if (cursor === null) throw new ReplyError(INVALID_CURSOR);
  let count = 10;
  let pattern: string | undefined;
  let typeName: string | undefined;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (more && isOption(opt, "count")) {
      const n = integerArg(argv[i + 1]!);
      if (n < 1) throw new ReplyError(SYNTAX);
      count = typeof n === "number" ? n : Number.MAX_SAFE_INTEGER;
    } else if (more && isOption(opt, "match")) {
      const p = argv[i + 1]!;
      pattern = p === "*" ? undefined : p;
    } else if (more && isOption(opt, "type")) {
      typeName = argv[i + 1]!.toLowerCase();
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const db = c.db;
  const dict = db.dict;
  const step = db.keyspace.scanCursors.next(cursor, dict, () => dict.keys(), count);
  const keys: string[] = [];
  for (const key of step.elements) {
    // The element read ahead at the previous step may have been deleted since.
    if (!dict.has(key)) continue;
    if (pattern !== undefined && !matchGlob(pattern, key)) continue;
    if (typeName !== undefined) {
      // Like Redis, the type lookup expires the key first, so TYPE none also finds keys
      // that have just expired (the expiry check below then sees no key with a TTL).
      const value = db.lookupRead(key, false);
      if ((value === undefined ? "none" : typeOf(value)) !== typeName) continue;
    }
    if (db.expireIfNeeded(key)) continue;
    keys.push(key);
  }
  c.reply.array(2);
  c.reply.bulk(step.cursor);
  c.reply.array(keys.length);
  for (const key of keys) c.reply.bulk(key);
}

// ---- RENAME, RENAMENX, MOVE, COPY, SWAPDB ----

/** renameGenericCommand: the source keeps its value, TTL and encoding under the new name. */
function renameGenericCommand(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const key = argv[1]!, newKey = argv[2]!;
  if (db.lookupWrite(key) === undefined) throw new ReplyError(NO_SUCH_KEY);
  if (key === newKey) {
    if (nx) c.reply.integer(0);
    else c.reply.ok();
    return;
  }
  if (db.lookupWrite(newKey) !== undefined) {
    if (nx) {
      c.reply.integer(0);
      return;
    }
    db.delete(newKey);
  }
  db.moveKey(key, db, newKey);
  signalKeyAsReady(db, newKey);
  signalModifiedKey(db, key);
  signalModifiedKey(db, newKey);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_from", key, db.id);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "rename_to", newKey, db.id);
  db.keyspace.dirty++;
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

/**
 * getIntFromObjectOrReply: an int32 argument. With a message, that message is the error
 * for both a non-integer and an out-of-range value (SWAPDB); otherwise Redis's two texts.
 */
function intArg(text: string, message?: string): number {
  const value = parseInteger(text);
  if (value === null) throw new ReplyError(message ?? NOT_INTEGER);
  if (typeof value !== "number" || value < INT_MIN || value > INT_MAX) {
    throw new ReplyError(
      message ?? `ERR value is out of range, value must between ${INT_MIN} and ${INT_MAX}`,
    );
  }
  return value;
}

/** selectDb's check: the db at index, or "DB index is out of range". */
function dbAt(c: Client, index: number): Db {
  const db = c.server.keyspace.dbs[index];
  if (db === undefined) throw new ReplyError(INVALID_DB);
  return db;
}

function moveCommand(c: Client, argv: string[]): void {
  const src = c.db;
  const dst = dbAt(c, intArg(argv[2]!));
  if (src === dst) throw new ReplyError(SAME_OBJECT);
  const key = argv[1]!;
  if (src.lookupWrite(key) === undefined || dst.lookupWrite(key) !== undefined) {
    c.reply.integer(0);
    return;
  }
  src.moveKey(key, dst, key);
  signalKeyAsReady(dst, key);
  signalModifiedKey(src, key);
  signalModifiedKey(dst, key);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "move_from", key, src.id);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "move_to", key, dst.id);
  src.keyspace.dirty++;
  c.reply.integer(1);
}

function copyCommand(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (isOption(argv[j]!, "replace")) {
      replace = true;
    } else if (isOption(argv[j]!, "db") && j + 1 < argv.length) {
      dst = dbAt(c, intArg(argv[++j]!));
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const key = argv[1]!, newKey = argv[2]!;
  if (src === dst && key === newKey) throw new ReplyError(SAME_OBJECT);
  if (src.lookupRead(key) === undefined) {
    c.reply.integer(0);
    return;
  }
  if (dst.lookupWrite(newKey) !== undefined) {
    if (!replace) {
      c.reply.integer(0);
      return;
    }
    dst.delete(newKey);
  }
  src.copyKey(key, dst, newKey);
  signalKeyAsReady(dst, newKey);
  signalModifiedKey(dst, newKey);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "copy_to", newKey, dst.id);
  dst.keyspace.dirty++;
  c.reply.integer(1);
}

function swapdbCommand(c: Client, argv: string[]): void {
  const id1 = intArg(argv[1]!, "ERR invalid first DB index");
  const id2 = intArg(argv[2]!, "ERR invalid second DB index");
  dbAt(c, id1);
  dbAt(c, id2);
  if (id1 !== id2) {
    signalFlushedDb(id1);
    signalFlushedDb(id2);
    c.server.keyspace.swap(id1, id2);
  }
  // Blocked clients stay with their db index and may now find data there.
  for (const id of [id1, id2]) scanDatabaseForReadyKeys(c.server.keyspace.dbs[id]!);
  c.server.keyspace.dirty++;
  c.reply.ok();
}

// ---- FLUSHDB, FLUSHALL ----

/** getFlushCommandFlags: one optional ASYNC or SYNC (freeing is immediate either way). */
function checkFlushFlags(argv: string[]): void {
  if (argv.length === 1) return;
  if (argv.length === 2 && (isOption(argv[1]!, "sync") || isOption(argv[1]!, "async"))) return;
  throw new ReplyError(SYNTAX);
}

// ---- EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST ----

const EXPIRE_NX = 1, EXPIRE_XX = 2, EXPIRE_GT = 4, EXPIRE_LT = 8;

/** parseExtendedExpireArgumentsOrReply: NX XX GT LT, checked before the time argument. */
function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (isOption(opt, "nx")) flags |= EXPIRE_NX;
    else if (isOption(opt, "xx")) flags |= EXPIRE_XX;
    else if (isOption(opt, "gt")) flags |= EXPIRE_GT;
    else if (isOption(opt, "lt")) flags |= EXPIRE_LT;
    else throw new ReplyError(`ERR Unsupported option ${opt}`);
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    throw new ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    throw new ReplyError("ERR GT and LT options at the same time are not compatible");
  }
  return flags;
}

/**
 * The absolute expire time in ms for `text` in `unit` after `basetime`, with Redis's int64
 * overflow checks; a bigint only when the result is not a safe integer.
 */
function expireTime(
  text: string,
  seconds: boolean,
  basetime: number,
  name: string,
): number | bigint {
  const value = integerArg(text);
  if (typeof value === "number") {
    const when = (seconds ? value * 1000 : value) + basetime;
    if (Number.isSafeInteger(when)) return when;
  }
  let when = BigInt(value);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) {
      throw new ReplyError(invalidExpire(name));
    }
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(basetime)) throw new ReplyError(invalidExpire(name));
  return when + BigInt(basetime);
}

/** expireGenericCommand: a time in the past deletes the key (and still replies 1). */
function expireGenericCommand(
  c: Client,
  argv: string[],
  relative: boolean,
  seconds: boolean,
): void {
  const flags = parseExpireFlags(argv);
  const when = expireTime(argv[2]!, seconds, relative ? now() : 0, argv[0]!.toLowerCase());
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupWrite(key) === undefined) {
    c.reply.integer(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpireExact(key);
    if (
      ((flags & EXPIRE_NX) && current !== undefined) ||
      ((flags & EXPIRE_XX) && current === undefined) ||
      // No TTL counts as an infinite one: GT never beats it, LT always does.
      ((flags & EXPIRE_GT) && (current === undefined || when <= current)) ||
      ((flags & EXPIRE_LT) && current !== undefined && when >= current)
    ) {
      c.reply.integer(0);
      return;
    }
  }
  if (when <= now()) {
    db.delete(key);
    if (propagating()) {
      c.propagateAs = [[c.server.config.bool("lazyfree-lazy-expire") ? "UNLINK" : "DEL", key]];
    }
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
  } else {
    db.setExpireExact(key, when);
    // Replayed as an absolute time in ms: PEXPIREAT with the options as given.
    const pexpireat = !relative && !seconds;
    if (!pexpireat && propagating()) {
      c.propagateAs = [["PEXPIREAT", key, String(when), ...argv.slice(3)]];
    }
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, db.id);
  }
  db.keyspace.dirty++;
  c.reply.integer(1);
}

function persistCommand(c: Client, argv: string[]): void {
  const db = c.db, key = argv[1]!;
  if (db.lookupWrite(key) === undefined || !db.persist(key)) {
    c.reply.integer(0);
    return;
  }
  signalModifiedKey(db, key);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, db.id);
  db.keyspace.dirty++;
  c.reply.integer(1);
}

// ---- TTL, PTTL, EXPIRETIME, PEXPIRETIME ----

/** ttlGenericCommand: -2 without the key, -1 without a TTL; seconds are rounded. */
function ttlGenericCommand(c: Client, argv: string[], ms: boolean, absolute: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupRead(key, false) === undefined) {
    c.reply.integer(-2);
    return;
  }
  const expire = db.getExpireExact(key);
  if (expire === undefined) {
    c.reply.integer(-1);
    return;
  }
  if (typeof expire === "number" && Number.isSafeInteger(expire)) {
    const ttl = Math.max(0, absolute ? expire : expire - now());
    c.reply.integer(ms ? ttl : Math.floor((ttl + 500) / 1000));
    return;
  }
  let ttl = absolute ? BigInt(expire) : BigInt(expire) - BigInt(now());
  if (ttl < 0n) ttl = 0n;
  c.reply.integer(ms ? ttl : (ttl + 500n) / 1000n);
}

// ---- OBJECT ----

/**
 * The value for OBJECT's subcommands, or the null reply (then undefined). Like Redis's
 * objectCommandLookup, a missing key counts as a miss but is not notified ("keymiss").
 */
function objectLookup(c: Client, key: string): Value | undefined {
  const db = c.db;
  if (!db.exists(key)) {
    db.keyspace.stats.misses++;
    c.reply.nullBulk();
    return undefined;
  }
  return db.lookupRead(key, false);
}

function isLfuPolicy(c: Client): boolean {
  return c.server.config.str("maxmemory-policy").endsWith("-lfu");
}

/**
 * Redis shares the objects for 0..9999 (refcount INT_MAX) unless maxmemory is set with an
 * LRU or LFU policy, which needs a private object per key for its access data.
 */
function refCount(c: Client, key: string, value: Value): number {
  if (typeof value !== "string" || c.db.stringEncodings.has(key)) return 1;
  const n = value.length <= 20 ? parseInteger(value) : null;
  if (typeof n !== "number" || n < 0 || n >= OBJ_SHARED_INTEGERS) return 1;
  const config = c.server.config;
  const policy = config.str("maxmemory-policy");
  const tracksAccess = policy.endsWith("-lru") || policy.endsWith("-lfu");
  return config.num("maxmemory") !== 0 && tracksAccess ? 1 : OBJ_SHARED_REFCOUNT;
}

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

const POLICY_NOTE =
  "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

/** The fields OBJECT's key subcommands share; a record spreads them first. */
const OBJECT_KEY: Pick<
  Command,
  "arity" | "flags" | "group" | "complexity" | "syntax" | "keys" | "meta"
> = {
  arity: 3,
  flags: ["readonly"],
  group: "generic",
  complexity: "O(1)",
  syntax: "key",
  keys: { first: 2, last: 2, step: 1 },
  meta: { keyFlags: "RO", tips: ["nondeterministic_output"] },
};

/** An OBJECT subcommand's handler: `run` gets the key's value; a missing key replies nil. */
function withObject(run: (c: Client, key: string, value: Value) => void): Command["run"] {
  return (c, argv) => {
    const value = objectLookup(c, argv[2]!);
    if (value !== undefined) run(c, argv[2]!, value);
  };
}

const objectSubcommands: Command[] = [
  {
    ...OBJECT_KEY,
    name: "encoding",
    since: "2.2.3",
    summary: "Returns the internal encoding of a Redis object.",
    run: withObject((c, key, value) => {
      c.reply.bulk(typeof value === "string" ? c.db.stringEncoding(key, value) : value.encoding());
    }),
  },
  {
    ...OBJECT_KEY,
    name: "freq",
    since: "4.0.0",
    summary: "Returns the logarithmic access frequency counter of a Redis object.",
    run: withObject((c, key) => {
      if (!isLfuPolicy(c)) {
        throw new ReplyError(
          `ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${POLICY_NOTE}`,
        );
      }
      const data = c.db.access.get(key);
      const decay = c.server.keyspace.accessConfig.decayTime;
      c.reply.integer(data === undefined ? LFU_INIT_VAL : lfuDecrAndReturn(data, decay));
    }),
  },
  {
    ...OBJECT_KEY,
    name: "idletime",
    since: "2.2.3",
    summary: "Returns the time since the last access to a Redis object.",
    run: withObject((c, key) => {
      if (isLfuPolicy(c)) {
        throw new ReplyError(
          `ERR An LFU maxmemory policy is selected, idle time not tracked. ${POLICY_NOTE}`,
        );
      }
      // Access times are kept under the LRU policies only (lib/store/lru.ts): else never idle.
      const config = c.server.keyspace.accessConfig;
      if (!config.track) {
        c.reply.integer(0);
        return;
      }
      const lru = c.db.access.get(key) ?? config.since;
      c.reply.integer(Math.floor(estimateObjectIdleTime(lru) / 1000));
    }),
  },
  {
    ...OBJECT_KEY,
    name: "refcount",
    since: "2.2.3",
    summary: "Returns the reference count of a value of a key.",
    run: withObject((c, key, value) => c.reply.integer(refCount(c, key, value))),
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "generic",
    since: "6.2.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.array(OBJECT_HELP.length);
      for (const line of OBJECT_HELP) c.reply.simple(line);
    },
  },
];

// ---- The records ----

/** The fields most generic commands share; a record spreads them first and may override them. */
const GENERIC: Pick<Command, "group" | "complexity"> = { group: "generic", complexity: "O(1)" };

const EXPIRE_OPTIONS = "[NX | XX | GT | LT]:condition";

export const keyCommands: Command[] = [
  {
    ...GENERIC,
    name: "del",
    arity: -2,
    flags: ["write"],
    since: "1.0.0",
    summary: "Deletes one or more keys.",
    complexity:
      "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: {
      keyFlags: "RM delete",
      tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    },
    run: delGenericCommand,
  },
  {
    ...GENERIC,
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    since: "4.0.0",
    summary: "Asynchronously deletes one or more keys.",
    complexity:
      "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: {
      keyFlags: "RM delete",
      tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    },
    run: delGenericCommand,
  },
  {
    ...GENERIC,
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Determines whether one or more keys exist.",
    complexity: "O(N) where N is the number of keys to check.",
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: { keyFlags: "RO", tips: ["request_policy:multi_shard", "response_policy:agg_sum"] },
    run: existsCommand,
  },
  {
    ...GENERIC,
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    since: "3.2.1",
    summary:
      "Returns the number of existing keys out of those specified after updating the time they were last accessed.",
    complexity: "O(N) where N is the number of keys that will be touched.",
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: { keyFlags: "RO", tips: ["request_policy:multi_shard", "response_policy:agg_sum"] },
    run: touchCommand,
  },
  {
    ...GENERIC,
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Determines the type of value stored at a key.",
    syntax: "key",
    keys: KEY1,
    meta: { keyFlags: "RO" },
    run: typeCommand,
  },
  {
    ...GENERIC,
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    since: "1.0.0",
    summary: "Returns all key names that match a pattern.",
    complexity:
      "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    syntax: "pattern:pattern",
    meta: {
      acl: "keyspace dangerous",
      tips: ["request_policy:all_shards", "nondeterministic_output_order"],
    },
    run: keysCommand,
  },
  {
    ...GENERIC,
    name: "scan",
    arity: -2,
    flags: ["readonly"],
    since: "2.8.0",
    summary: "Iterates over the key names in the database.",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    syntax: "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type:string]",
    meta: { tips: ["nondeterministic_output", "request_policy:special"] },
    run: scanCommand,
  },
  {
    ...GENERIC,
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    since: "1.0.0",
    summary: "Returns a random key name from the database.",
    syntax: "",
    meta: { tips: ["request_policy:all_shards", "nondeterministic_output"] },
    run: (c) => c.reply.bulkOrNull(c.db.randomKey()),
  },
  {
    ...GENERIC,
    name: "rename",
    arity: 3,
    flags: ["write"],
    since: "1.0.0",
    summary: "Renames a key and overwrites the destination.",
    syntax: "key newkey:key",
    keys: KEY1_2,
    meta: {
      keySpecs: [
        { flags: "RW access delete", index: 1, range: [0, 1, 0] },
        { flags: "OW update", index: 2, range: [0, 1, 0] },
      ],
    },
    run: (c, argv) => renameGenericCommand(c, argv, false),
  },
  {
    ...GENERIC,
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary: "Renames a key only when the target key name doesn't exist.",
    syntax: "key newkey:key",
    keys: KEY1_2,
    meta: {
      keySpecs: [
        { flags: "RW access delete", index: 1, range: [0, 1, 0] },
        { flags: "OW insert", index: 2, range: [0, 1, 0] },
      ],
    },
    run: (c, argv) => renameGenericCommand(c, argv, true),
  },
  {
    ...GENERIC,
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary: "Moves a key to another database.",
    syntax: "key db:integer",
    keys: KEY1,
    meta: { keyFlags: "RW access update" },
    run: moveCommand,
  },
  {
    ...GENERIC,
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    since: "6.2.0",
    summary: "Copies the value of a key to a new key.",
    complexity:
      "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    syntax: "source:key destination:key [DB destination-db:integer] [REPLACE]",
    keys: KEY1_2,
    meta: {
      keySpecs: [
        { flags: "RO access", index: 1, range: [0, 1, 0] },
        { flags: "OW update", index: 2, range: [0, 1, 0] },
      ],
    },
    run: copyCommand,
  },
  {
    ...GENERIC,
    name: "expire",
    arity: -3,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary: "Sets the expiration time of a key in seconds.",
    syntax: `key seconds:integer ${EXPIRE_OPTIONS}`,
    keys: KEY1,
    run: (c, argv) => expireGenericCommand(c, argv, true, true),
  },
  {
    ...GENERIC,
    name: "pexpire",
    arity: -3,
    flags: ["write", "fast"],
    since: "2.6.0",
    summary: "Sets the expiration time of a key in milliseconds.",
    syntax: `key milliseconds:integer ${EXPIRE_OPTIONS}`,
    keys: KEY1,
    run: (c, argv) => expireGenericCommand(c, argv, true, false),
  },
  {
    ...GENERIC,
    name: "expireat",
    arity: -3,
    flags: ["write", "fast"],
    since: "1.2.0",
    summary: "Sets the expiration time of a key to a Unix timestamp.",
    syntax: `key unix-time-seconds:unix-time ${EXPIRE_OPTIONS}`,
    keys: KEY1,
    run: (c, argv) => expireGenericCommand(c, argv, false, true),
  },
  {
    ...GENERIC,
    name: "pexpireat",
    arity: -3,
    flags: ["write", "fast"],
    since: "2.6.0",
    summary: "Sets the expiration time of a key to a Unix milliseconds timestamp.",
    syntax: `key unix-time-milliseconds:unix-time ${EXPIRE_OPTIONS}`,
    keys: KEY1,
    run: (c, argv) => expireGenericCommand(c, argv, false, false),
  },
  {
    ...GENERIC,
    name: "ttl",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Returns the expiration time in seconds of a key.",
    syntax: "key",
    keys: KEY1,
    meta: { tips: ["nondeterministic_output"] },
    run: (c, argv) => ttlGenericCommand(c, argv, false, false),
  },
  {
    ...GENERIC,
    name: "pttl",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "2.6.0",
    summary: "Returns the expiration time in milliseconds of a key.",
    syntax: "key",
    keys: KEY1,
    meta: { tips: ["nondeterministic_output"] },
    run: (c, argv) => ttlGenericCommand(c, argv, true, false),
  },
  {
    ...GENERIC,
    name: "expiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "7.0.0",
    summary: "Returns the expiration time of a key as a Unix timestamp.",
    syntax: "key",
    keys: KEY1,
    run: (c, argv) => ttlGenericCommand(c, argv, false, true),
  },
  {
    ...GENERIC,
    name: "pexpiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "7.0.0",
    summary: "Returns the expiration time of a key as a Unix milliseconds timestamp.",
    syntax: "key",
    keys: KEY1,
    run: (c, argv) => ttlGenericCommand(c, argv, true, true),
  },
  {
    ...GENERIC,
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    since: "2.2.0",
    summary: "Removes the expiration time of a key.",
    syntax: "key",
    keys: KEY1,
    run: persistCommand,
  },
  {
    name: "object",
    arity: -2,
    flags: [],
    group: "generic",
    since: "2.2.3",
    summary: "A container for object introspection commands.",
    complexity: "Depends on subcommand.",
    syntax: "",
    subcommands: objectSubcommands,
    run() {
      // Container: the dispatcher runs a subcommand instead.
    },
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    group: "server",
    since: "1.0.0",
    summary: "Returns the number of keys in the database.",
    complexity: "O(1)",
    syntax: "",
    meta: { acl: "keyspace", tips: ["request_policy:all_shards", "response_policy:agg_sum"] },
    run: (c) => c.reply.integer(c.db.size),
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    group: "server",
    since: "1.0.0",
    summary: "Removes all keys from all databases.",
    complexity: "O(N) where N is the total number of keys in all databases",
    syntax: "[ASYNC | SYNC]:async",
    meta: {
      acl: "keyspace dangerous",
      tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    },
    run: (c, argv) => {
      checkFlushFlags(argv);
      const keyspace = c.server.keyspace;
      const dirty = keyspace.dirty;
      signalFlushedDb(-1);
      // Counted before the dbs empty, as emptyData's result is: a save that follows sees it.
      for (const db of keyspace.dbs) keyspace.dirty += db.size;
      keyspace.flushAll();
      // forceCommandPropagation: FLUSHALL propagates even when the count did not move.
      if (keyspace.dirty === dirty) forcePropagation(c.db.id, argv);
      c.reply.ok();
    },
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from the current database.",
    complexity: "O(N) where N is the number of keys in the selected database",
    syntax: "[ASYNC | SYNC]:async",
    meta: {
      acl: "keyspace dangerous",
      tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    },
    run: (c, argv) => {
      checkFlushFlags(argv);
      signalFlushedDb(c.db.id);
      const removed = c.db.clear();
      c.server.keyspace.dirty += removed;
      // forceCommandPropagation: FLUSHDB of an empty db changes nothing, yet propagates.
      if (removed === 0) forcePropagation(c.db.id, argv);
      c.reply.ok();
    },
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    group: "server",
    since: "4.0.0",
    summary: "Swaps two Redis databases.",
    complexity:
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    syntax: "index1:integer index2:integer",
    meta: { acl: "keyspace dangerous" },
    run: swapdbCommand,
  },
];
