// Hash commands: HSET, HGET, HDEL, HINCRBY(FLOAT), HGETALL, HRANDFIELD, HSCAN... Mirrors Redis
// 7.0's t_hash.c, including its argument checks, their order, and the encoding conversions.
import type { Client } from "../client.ts";
import type { Config } from "../config.ts";
import {
  HASH_NOT_FLOAT,
  HASH_NOT_INTEGER,
  NAN_OR_INFINITY,
  NOT_FLOAT,
  OVERFLOW,
  ReplyError,
  SYNTAX,
  VALUE_NAN_OR_INFINITY,
  VALUE_OUT_OF_RANGE,
  wrongArity,
} from "../errors.ts";
import { type HashLimits, HashObject } from "../store/hash.ts";
import { lookupRead, lookupWrite } from "../store/typed.ts";
import { LLONG_MAX, LLONG_MIN, parseInteger } from "../util/numbers.ts";
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from "../util/long_double.ts";
import { integerArg } from "./args.ts";
import {
  cOptionIs,
  countArg,
  LONG_MAX_HALF,
  randomDistinct,
  replyEmptyScan,
  saturate,
  scanOptions,
  scanStep,
} from "./collections.ts";
import type { Command, CommandMeta } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";

const limitsByConfig = new WeakMap<Config, HashLimits>();

/** hash-max-listpack-entries/-value, read once per config and refreshed by CONFIG SET. */
function hashLimits(c: Client): HashLimits {
  const config = c.server.config;
  let limits = limitsByConfig.get(config);
  if (limits === undefined) {
    const fresh: HashLimits = { maxEntries: 0, maxValue: 0 };
    const read = () => {
      fresh.maxEntries = config.num("hash-max-listpack-entries");
      fresh.maxValue = config.num("hash-max-listpack-value");
    };
    read();
    config.onChange(read);
    limitsByConfig.set(config, fresh);
    limits = fresh;
  }
  return limits;
}

/** hashTypeLookupWriteOrCreate, minus the create: callers add the key when they first write. */
function lookupHashWrite(c: Client, key: string): HashObject | undefined {
  return lookupWrite<HashObject>(c.db, key, "hash");
}

/** A write to the hash at key: signalModifiedKey, the event, `changes` counted in dirty. */
function hashModified(c: Client, key: string, event: string, changes: number): void {
  signalModifiedKey(c.db, key);
  notifyKeyspaceEvent(NOTIFY_HASH, event, key, c.db.id);
  c.db.keyspace.dirty += changes;
}

/** The hash at key, made and stored when missing (callers have validated everything). */
function hashForWrite(c: Client, key: string, found: HashObject | undefined): HashObject {
  if (found !== undefined) return found;
  const hash = new HashObject();
  c.db.set(key, hash);
  return hash;
}

// ---- HSET, HSETNX, HMSET ----

function hsetCommand(c: Client, argv: string[], isHmset: boolean): void {
  if (argv.length % 2 === 1) throw new ReplyError(wrongArity(isHmset ? "hmset" : "hset"));
  const key = argv[1]!;
  const hash = hashForWrite(c, key, lookupHashWrite(c, key));
  const limits = hashLimits(c);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i]!, argv[i + 1]!, limits)) created++;
  }
  hashModified(c, key, "hset", (argv.length - 2) / 2);
  if (isHmset) c.reply.ok();
  else c.reply.integer(created);
}

function hsetnxCommand(c: Client, argv: string[]): void {
  const key = argv[1]!, field = argv[2]!;
  const found = lookupHashWrite(c, key);
  if (found !== undefined && found.has(field)) {
    c.reply.integer(0);
    return;
  }
  hashForWrite(c, key, found).set(field, argv[3]!, hashLimits(c));
  hashModified(c, key, "hset", 1);
  c.reply.integer(1);
}

// ---- HGET, HMGET, HEXISTS, HSTRLEN, HLEN ----

function hgetCommand(c: Client, argv: string[]): void {
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  c.reply.bulkOrNull(hash?.get(argv[2]!));
}

function hmgetCommand(c: Client, argv: string[]): void {
  // A missing key is an empty hash: a null per field.
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(hash?.get(argv[i]!));
}

function hexistsCommand(c: Client, argv: string[]): void {
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  c.reply.integer(hash !== undefined && hash.has(argv[2]!) ? 1 : 0);
}

function hstrlenCommand(c: Client, argv: string[]): void {
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  c.reply.integer(hash === undefined ? 0 : hash.valueLength(argv[2]!));
}

function hlenCommand(c: Client, argv: string[]): void {
  c.reply.integer(lookupRead<HashObject>(c.db, argv[1]!, "hash")?.size ?? 0);
}

// ---- HDEL ----

function hdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const hash = lookupHashWrite(c, key);
  let deleted = 0;
  let keyRemoved = false;
  if (hash !== undefined) {
    for (let i = 2; i < argv.length; i++) {
      if (!hash.delete(argv[i]!)) continue;
      deleted++;
      if (hash.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    hashModified(c, key, "hdel", deleted);
    if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c.db.id);
  }
  c.reply.integer(deleted);
}

// ---- HINCRBY, HINCRBYFLOAT ----

function hincrbyCommand(c: Client, argv: string[]): void {
  const incr = integerArg(argv[3]!);
  const key = argv[1]!, field = argv[2]!;
  const found = lookupHashWrite(c, key);
  const current = found?.get(field);
  let old: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseInteger(current);
    if (parsed === null) throw new ReplyError(HASH_NOT_INTEGER);
    old = parsed;
  }
  let value: number | bigint;
  if (typeof old === "number" && typeof incr === "number" && Number.isSafeInteger(old + incr)) {
    value = old + incr;
  } else {
    const sum = BigInt(old) + BigInt(incr);
    if (sum > LLONG_MAX || sum < LLONG_MIN) throw new ReplyError(OVERFLOW);
    value = Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
  }
  hashForWrite(c, key, found).set(field, String(value), hashLimits(c));
  hashModified(c, key, "hincrby", 1);
  c.reply.integer(value);
}

function hincrbyfloatCommand(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) throw new ReplyError(NOT_FLOAT);
  if (typeof incr === "string") throw new ReplyError(VALUE_NAN_OR_INFINITY);
  const key = argv[1]!, field = argv[2]!;
  const found = lookupHashWrite(c, key);
  const current = found?.get(field);
  let sum = incr;
  if (current !== undefined) {
    // string2ld: the stored value may be "inf", which then makes the sum infinite.
    const value = parseLongDouble(current);
    if (value === null) throw new ReplyError(HASH_NOT_FLOAT);
    const added = typeof value === "string" ? null : addLongDouble(value, incr);
    if (added === null) throw new ReplyError(NAN_OR_INFINITY);
    sum = added;
  }
  const text = formatLongDoubleHuman(sum);
  hashForWrite(c, key, found).set(field, text, hashLimits(c));
  hashModified(c, key, "hincrbyfloat", 1);
  // Replayed as the result: float formatting must not be redone elsewhere.
  if (propagating()) c.propagateAs = [["HSET", key, field, text]];
  c.reply.bulk(text);
}

// ---- HKEYS, HVALS, HGETALL ----

const KEYS = 1, VALUES = 2;

/** genericHgetallCommand: HGETALL is a map (RESP3), HKEYS and HVALS flat arrays. */
function hgetallGeneric(c: Client, argv: string[], what: number): void {
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  const r = c.reply;
  if (hash === undefined) {
    if (what === (KEYS | VALUES)) r.map(0);
    else r.array(0);
    return;
  }
  const pairs = hash.pairs();
  const n = pairs.length >> 1;
  if (what === (KEYS | VALUES)) {
    r.map(n);
    for (let i = 0; i < pairs.length; i++) r.bulk(pairs[i]!);
    return;
  }
  r.array(n);
  for (let i = what === KEYS ? 0 : 1; i < pairs.length; i += 2) r.bulk(pairs[i]!);
}

// ---- HRANDFIELD ----

function hrandfieldCommand(c: Client, argv: string[]): void {
  const r = c.reply;
  if (argv.length >= 3) {
    const count = countArg(argv[2]!);
    if (argv.length > 4 || (argv.length === 4 && !cOptionIs(argv[3]!, "withvalues"))) {
      throw new ReplyError(SYNTAX);
    }
    const withValues = argv.length === 4;
    // Redis doubles the count for the values; it refuses what would overflow.
    if (withValues && (count < -LONG_MAX_HALF || count > LONG_MAX_HALF)) {
      throw new ReplyError(VALUE_OUT_OF_RANGE);
    }
    hrandfieldWithCount(c, argv[1]!, saturate(count), withValues);
    return;
  }
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  if (hash === undefined) {
    r.nullBulk();
    return;
  }
  const pairs = hash.pairs();
  r.bulk(pairs[2 * Math.floor(Math.random() * hash.size)]!);
}

/** hrandfieldWithCountCommand: count < 0 may repeat fields, count > 0 never does. */
function hrandfieldWithCount(c: Client, key: string, count: number, withValues: boolean): void {
  const r = c.reply;
  const hash = lookupRead<HashObject>(c.db, key, "hash");
  if (hash === undefined || count === 0) {
    r.array(0);
    return;
  }
  const pairs = hash.pairs();
  const size = hash.size;
  const nested = withValues && r.resp === 3;
  const emit = (slot: number) => {
    if (nested) r.array(2);
    r.bulk(pairs[slot]!);
    if (withValues) r.bulk(pairs[slot + 1]!);
  };
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    r.array(withValues && !nested ? 2 * n : n);
    for (let i = 0; i < n; i++) emit(2 * Math.floor(Math.random() * size));
    return;
  }
  const n = Math.min(count, size);
  r.array(withValues && !nested ? 2 * n : n);
  if (count >= size) {
    for (let slot = 0; slot < pairs.length; slot += 2) emit(slot);
    return;
  }
  const picked = randomDistinct(size, count);
  // A listpack is sampled in its own order (lpRandomPairsUnique), a hashtable in random order.
  if (hash.encoding() === "listpack") picked.sort((a, b) => a - b);
  for (const i of picked) emit(2 * i);
}

// ---- HSCAN ----

function hscanCommand(c: Client, argv: string[]): void {
  const options = scanOptions(argv);
  const hash = lookupRead<HashObject>(c.db, argv[1]!, "hash");
  if (hash === undefined) {
    replyEmptyScan(c);
    return;
  }
  options.parse();
  const found: string[] = [];
  const pattern = options.pattern;
  const table = hash.table;
  let next = "0";
  if (table === null) {
    // A listpack is returned whole in one call, as Redis does.
    const pairs = hash.pairs();
    for (let i = 0; i < pairs.length; i += 2) {
      if (pattern === undefined || pattern(pairs[i]!)) found.push(pairs[i]!, pairs[i + 1]!);
    }
  } else {
    const step = scanStep(hash, table.index, options);
    next = step.cursor;
    for (const field of step.elements) {
      // A field read ahead in the previous call may have been deleted since.
      const slot = table.index.get(field);
      if (slot === undefined) continue;
      if (pattern === undefined || pattern(field)) found.push(field, table.pairs[slot + 1]!);
    }
  }
  const r = c.reply;
  r.array(2);
  r.bulk(next);
  r.array(found.length);
  for (const s of found) r.bulk(s);
}

// ---- The command records ----

/** The fields every hash command shares; a record spreads them first. */
const HASH: Pick<Command, "group" | "keys"> = {
  group: "hash",
  keys: { first: 1, last: 1, step: 1 },
};

const READ: Command["flags"] = ["readonly"];
const READ_FAST: Command["flags"] = ["readonly", "fast"];
const WRITE_FAST: Command["flags"] = ["write", "denyoom", "fast"];
const ORDER_TIPS: CommandMeta = { tips: ["nondeterministic_output_order"] };
const SCAN_COMPLEXITY =
  "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..";

export const hashCommands: Command[] = [
  {
    ...HASH,
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    since: "2.0.0",
    summary:
      "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
    complexity: "O(N) where N is the number of fields to be removed.",
    syntax: "key field [field ...]",
    meta: { keyFlags: "RW delete" },
    run: hdelCommand,
  },
  {
    ...HASH,
    name: "hexists",
    arity: 3,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Determines whether a field exists in a hash.",
    complexity: "O(1)",
    syntax: "key field",
    meta: { keyFlags: "RO" },
    run: hexistsCommand,
  },
  {
    ...HASH,
    name: "hget",
    arity: 3,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the value of a field in a hash.",
    complexity: "O(1)",
    syntax: "key field",
    run: hgetCommand,
  },
  {
    ...HASH,
    name: "hgetall",
    arity: 2,
    flags: READ,
    since: "2.0.0",
    summary: "Returns all fields and values in a hash.",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    meta: ORDER_TIPS,
    run: (c, argv) => hgetallGeneric(c, argv, KEYS | VALUES),
  },
  {
    ...HASH,
    name: "hincrby",
    arity: 4,
    flags: WRITE_FAST,
    since: "2.0.0",
    summary:
      "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
    complexity: "O(1)",
    syntax: "key field increment:integer",
    meta: { keyFlags: "RW access update" },
    run: hincrbyCommand,
  },
  {
    ...HASH,
    name: "hincrbyfloat",
    arity: 4,
    flags: WRITE_FAST,
    since: "2.6.0",
    summary:
      "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
    complexity: "O(1)",
    syntax: "key field increment:double",
    meta: { keyFlags: "RW access update" },
    run: hincrbyfloatCommand,
  },
  {
    ...HASH,
    name: "hkeys",
    arity: 2,
    flags: READ,
    since: "2.0.0",
    summary: "Returns all fields in a hash.",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    meta: ORDER_TIPS,
    run: (c, argv) => hgetallGeneric(c, argv, KEYS),
  },
  {
    ...HASH,
    name: "hlen",
    arity: 2,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the number of fields in a hash.",
    complexity: "O(1)",
    syntax: "key",
    meta: { keyFlags: "RO" },
    run: hlenCommand,
  },
  {
    ...HASH,
    name: "hmget",
    arity: -3,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the values of all fields in a hash.",
    complexity: "O(N) where N is the number of fields being requested.",
    syntax: "key field [field ...]",
    run: hmgetCommand,
  },
  {
    ...HASH,
    name: "hmset",
    arity: -4,
    flags: WRITE_FAST,
    since: "2.0.0",
    summary: "Sets the values of multiple fields.",
    complexity: "O(N) where N is the number of fields being set.",
    syntax: "key field value [field value ...]",
    run: (c, argv) => hsetCommand(c, argv, true),
  },
  {
    ...HASH,
    name: "hrandfield",
    arity: -2,
    flags: READ,
    since: "6.2.0",
    summary: "Returns one or more random fields from a hash.",
    complexity: "O(N) where N is the number of fields returned",
    syntax: "key [count:integer [WITHVALUES]]:options",
    meta: { tips: ["nondeterministic_output"] },
    run: hrandfieldCommand,
  },
  {
    ...HASH,
    name: "hscan",
    arity: -3,
    flags: READ,
    since: "2.8.0",
    summary: "Iterates over fields and values of a hash.",
    complexity: SCAN_COMPLEXITY,
    syntax: "key cursor:integer [MATCH pattern] [COUNT count:integer]",
    meta: { tips: ["nondeterministic_output"] },
    run: hscanCommand,
  },
  {
    ...HASH,
    name: "hset",
    arity: -4,
    flags: WRITE_FAST,
    since: "2.0.0",
    summary: "Creates or modifies the value of a field in a hash.",
    complexity:
      "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    syntax: "key field value [field value ...]",
    run: (c, argv) => hsetCommand(c, argv, false),
  },
  {
    ...HASH,
    name: "hsetnx",
    arity: 4,
    flags: WRITE_FAST,
    since: "2.0.0",
    summary: "Sets the value of a field in a hash only when the field doesn't exist.",
    complexity: "O(1)",
    syntax: "key field value",
    meta: { keyFlags: "RW insert" },
    run: hsetnxCommand,
  },
  {
    ...HASH,
    name: "hstrlen",
    arity: 3,
    flags: READ_FAST,
    since: "3.2.0",
    summary: "Returns the length of the value of a field.",
    complexity: "O(1)",
    syntax: "key field",
    meta: { keyFlags: "RO" },
    run: hstrlenCommand,
  },
  {
    ...HASH,
    name: "hvals",
    arity: 2,
    flags: READ,
    since: "2.0.0",
    summary: "Returns all values in a hash.",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    meta: ORDER_TIPS,
    run: (c, argv) => hgetallGeneric(c, argv, VALUES),
  },
];
