// Set commands: SADD, SREM, SPOP, SRANDMEMBER, SMOVE, SINTER/SUNION/SDIFF and their STORE and
// CARD forms, SSCAN... Mirrors Redis 7.0's t_set.c, its argument checks and its encodings.
import type { Client } from "../client.ts";
import type { Config } from "../config.ts";
import {
  LIMIT_NEGATIVE,
  NUMKEYS_NOT_POSITIVE,
  ReplyError,
  SYNTAX,
  TOO_MANY_NUMKEYS,
} from "../errors.ts";
import { SetObject } from "../store/set.ts";
import { lookupRead, lookupWrite } from "../store/typed.ts";
import { integerArg } from "./args.ts";
import {
  cOptionIs,
  countArg,
  positiveCountArg,
  randomDistinct,
  replyEmptyScan,
  saturate,
  scanOptions,
  scanStep,
} from "./collections.ts";
import type { Command, CommandMeta, KeyPositions } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_SET,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";

const maxIntsetByConfig = new WeakMap<Config, { value: number }>();

/** set-max-intset-entries, read once per config and refreshed by CONFIG SET. */
function maxIntset(c: Client): number {
  const config = c.server.config;
  let cached = maxIntsetByConfig.get(config);
  if (cached === undefined) {
    const fresh = { value: config.num("set-max-intset-entries") };
    config.onChange(() => fresh.value = config.num("set-max-intset-entries"));
    maxIntsetByConfig.set(config, fresh);
    cached = fresh;
  }
  return cached.value;
}

function lookupSetRead(c: Client, key: string): SetObject | undefined {
  return lookupRead<SetObject>(c.db, key, "set");
}

function lookupSetWrite(c: Client, key: string): SetObject | undefined {
  return lookupWrite<SetObject>(c.db, key, "set");
}

/** Replies the members of a set as a RESP3 set (an array in RESP2), in the set's order. */
function replySet(c: Client, set: SetObject): void {
  const n = set.size;
  c.reply.set(n);
  for (let i = 0; i < n; i++) c.reply.bulk(set.at(i));
}

// ---- SADD, SREM, SMOVE ----

function saddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let set = lookupSetWrite(c, key);
  if (set === undefined) {
    set = SetObject.forMember(argv[2]!);
    c.db.set(key, set);
  }
  const max = maxIntset(c);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!, max)) added++;
  if (added > 0) {
    signalModifiedKey(c.db, key);
    notifyKeyspaceEvent(NOTIFY_SET, "sadd", key, c.db.id);
  }
  c.db.keyspace.dirty += added;
  c.reply.integer(added);
}

function sremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const set = lookupSetWrite(c, key);
  let deleted = 0;
  let keyRemoved = false;
  if (set !== undefined) {
    for (let i = 2; i < argv.length; i++) {
      if (!set.remove(argv[i]!)) continue;
      deleted++;
      if (set.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    signalModifiedKey(c.db, key);
    notifyKeyspaceEvent(NOTIFY_SET, "srem", key, c.db.id);
    if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, c.db.id);
  }
  c.db.keyspace.dirty += deleted;
  c.reply.integer(deleted);
}

function smoveCommand(c: Client, argv: string[]): void {
  const srcKey = argv[1]!, dstKey = argv[2]!, member = argv[3]!;
  const db = c.db;
  // A missing source replies 0 before the destination's type is looked at, as in Redis.
  if (db.lookupWrite(srcKey) === undefined) {
    c.reply.integer(0);
    return;
  }
  const src = lookupSetWrite(c, srcKey)!;
  const dst = lookupSetWrite(c, dstKey);
  if (src === dst) {
    c.reply.integer(src.has(member) ? 1 : 0);
    return;
  }
  if (!src.remove(member)) {
    c.reply.integer(0);
    return;
  }
  notifyKeyspaceEvent(NOTIFY_SET, "srem", srcKey, db.id);
  if (src.size === 0) {
    db.delete(srcKey);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", srcKey, db.id);
  }
  let target = dst;
  if (target === undefined) {
    target = SetObject.forMember(member);
    db.set(dstKey, target);
  }
  signalModifiedKey(db, srcKey);
  db.keyspace.dirty++;
  // A member already in the destination changes only the source.
  if (target.add(member, maxIntset(c))) {
    db.keyspace.dirty++;
    signalModifiedKey(db, dstKey);
    notifyKeyspaceEvent(NOTIFY_SET, "sadd", dstKey, db.id);
  }
  c.reply.integer(1);
}

// ---- SISMEMBER, SMISMEMBER, SCARD ----

function sismemberCommand(c: Client, argv: string[]): void {
  const set = lookupSetRead(c, argv[1]!);
  c.reply.integer(set !== undefined && set.has(argv[2]!) ? 1 : 0);
}

function smismemberCommand(c: Client, argv: string[]): void {
  // A missing key is an empty set: a zero per member.
  const set = lookupSetRead(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.integer(set !== undefined && set.has(argv[i]!) ? 1 : 0);
  }
}

function scardCommand(c: Client, argv: string[]): void {
  c.reply.integer(lookupSetRead(c, argv[1]!)?.size ?? 0);
}

// ---- SPOP, SRANDMEMBER ----

/** How much larger than what remains a pop must be to return the rest in set order. */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spopCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.length > 3) throw new ReplyError(SYNTAX);
  const key = argv[1]!;
  const set = lookupSetWrite(c, key);
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  const member = set.removeAt(set.randomPosition());
  const db = c.db;
  notifyKeyspaceEvent(NOTIFY_SET, "spop", key, db.id);
  // Replayed as the removal of the member that was drawn.
  if (propagating()) c.propagateAs = [["SREM", key, member]];
  c.reply.bulk(member);
  if (set.size === 0) {
    db.delete(key);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
  }
  signalModifiedKey(db, key);
  db.keyspace.dirty++;
}

function spopWithCount(c: Client, argv: string[]): void {
  const count = positiveCountArg(argv[2]!);
  const key = argv[1]!;
  const set = lookupSetWrite(c, key);
  if (set === undefined || count === 0) {
    c.reply.set(0);
    return;
  }
  const size = set.size;
  if (count >= size) {
    // Redis answers with SUNION of the key: in an intset's order when the members would fit
    // one, which only a small hashtable set needs to be copied to learn.
    const max = maxIntset(c);
    replySet(c, set.ints !== null || size > max ? set : unionOf([set], max));
    const db = c.db;
    db.delete(key);
    notifyKeyspaceEvent(NOTIFY_SET, "spop", key, db.id);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
    if (propagating()) c.propagateAs = [["DEL", key]];
    signalModifiedKey(db, key);
    db.keyspace.dirty += size;
    return;
  }
  const popped = new Array<string>(count);
  for (let i = 0; i < count; i++) popped[i] = set.removeAt(set.randomPosition());
  // Popping most of an intset, Redis keeps the few that remain and returns the rest in order.
  if (set.ints !== null && (size - count) * SPOP_MOVE_STRATEGY_MUL <= count) {
    popped.sort((a, b) => compareIntegers(a, b));
  }
  const db = c.db;
  notifyKeyspaceEvent(NOTIFY_SET, "spop", key, db.id);
  // Replayed as one SREM per member drawn (Redis 7.0's form).
  if (propagating()) c.propagateAs = popped.map((member) => ["SREM", key, member]);
  signalModifiedKey(db, key);
  db.keyspace.dirty += count;
  c.reply.set(count);
  for (const member of popped) c.reply.bulk(member);
}

function compareIntegers(a: string, b: string): number {
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function srandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  if (argv.length > 3) throw new ReplyError(SYNTAX);
  const set = lookupSetRead(c, argv[1]!);
  if (set === undefined) c.reply.nullBulk();
  else c.reply.bulk(set.at(set.randomPosition()));
}

/** srandmemberWithCountCommand: count < 0 may repeat members, count > 0 never does. */
function srandmemberWithCount(c: Client, argv: string[]): void {
  const count = saturate(countArg(argv[2]!));
  const set = lookupSetRead(c, argv[1]!);
  const r = c.reply;
  if (set === undefined || count === 0) {
    r.array(0);
    return;
  }
  const size = set.size;
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    r.array(n);
    for (let i = 0; i < n; i++) r.bulk(set.at(set.randomPosition()));
    return;
  }
  if (count >= size) {
    r.array(size);
    for (let i = 0; i < size; i++) r.bulk(set.at(i));
    return;
  }
  r.array(count);
  for (const i of randomDistinct(size, count)) r.bulk(set.at(i));
}

// ---- SINTER, SINTERCARD, SINTERSTORE, SMEMBERS ----

/** The sets at keys, null for missing keys; WRONGTYPE (before any reply) if one is not a set. */
function lookupSets(c: Client, keys: string[]): (SetObject | null)[] {
  const sets = new Array<SetObject | null>(keys.length);
  for (let i = 0; i < keys.length; i++) sets[i] = lookupSetRead(c, keys[i]!) ?? null;
  return sets;
}

/**
 * Stores a result set at dstkey (setKey: any old value and TTL go) with the command's event
 * ("sinterstore"...), or deletes dstkey (a "del" when it existed).
 */
function storeResult(c: Client, dstKey: string, result: SetObject, event: string): void {
  const db = c.db;
  if (result.size > 0) {
    db.set(dstKey, result);
    signalModifiedKey(db, dstKey);
    notifyKeyspaceEvent(NOTIFY_SET, event, dstKey, db.id);
    db.keyspace.dirty++;
  } else if (db.delete(dstKey)) {
    signalModifiedKey(db, dstKey);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dstKey, db.id);
    db.keyspace.dirty++;
  }
  c.reply.integer(result.size);
}

/**
 * sinterGenericCommand. The smallest set is walked and each member looked up in the others,
 * so the reply comes in the smallest set's order (ascending for an intset), as in Redis.
 */
function sinterGeneric(
  c: Client,
  keys: string[],
  dstKey: string | null,
  cardinalityOnly: boolean,
  limit: number,
): void {
  const found = lookupSets(c, keys);
  if (found.includes(null)) {
    // An intersection with an empty set is empty.
    if (dstKey !== null) storeResult(c, dstKey, SetObject.intset(), "sinterstore");
    else if (cardinalityOnly) c.reply.integer(0);
    else c.reply.set(0);
    return;
  }
  if (found.length === 1 && dstKey === null && !cardinalityOnly) {
    // SMEMBERS (and SINTER of one key): the set itself, without a copy of its members.
    replySet(c, found[0]!);
    return;
  }
  // Smallest first; ties keep their order (a stable sort, as glibc's qsort is).
  const sets = (found as SetObject[]).sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const members: string[] = [];
  const n = first.size;
  next: for (let i = 0; i < n; i++) {
    const member = first.at(i);
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] !== first && !sets[j]!.has(member)) continue next;
    }
    members.push(member);
    if (cardinalityOnly && limit !== 0 && members.length >= limit) break;
  }
  if (cardinalityOnly) {
    c.reply.integer(members.length);
  } else if (dstKey !== null) {
    const result = SetObject.intset();
    const max = maxIntset(c);
    for (const member of members) result.add(member, max);
    storeResult(c, dstKey, result, "sinterstore");
  } else {
    c.reply.set(members.length);
    for (const member of members) c.reply.bulk(member);
  }
}

function sintercardCommand(c: Client, argv: string[]): void {
  const numkeys = integerArg(argv[1]!, NUMKEYS_NOT_POSITIVE);
  if (numkeys < 1) throw new ReplyError(NUMKEYS_NOT_POSITIVE);
  if (numkeys > argv.length - 2) throw new ReplyError(TOO_MANY_NUMKEYS);
  const n = Number(numkeys);
  let limit = 0;
  for (let j = 2 + n; j < argv.length; j++) {
    if (cOptionIs(argv[j]!, "limit") && j < argv.length - 1) {
      limit = positiveCountArg(argv[++j]!, LIMIT_NEGATIVE);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + n), null, true, limit);
}

// ---- SUNION, SDIFF and their STORE forms ----

/** The union of sets as Redis builds it: into a new intset, which the members may convert. */
function unionOf(sets: (SetObject | null)[], max: number): SetObject {
  const result = SetObject.intset();
  for (const set of sets) {
    if (set === null) continue;
    const n = set.size;
    for (let i = 0; i < n; i++) result.add(set.at(i), max);
  }
  return result;
}

/** The members of the first set in none of the others (sunionDiffGenericCommand's DIFF). */
function diffOf(sets: (SetObject | null)[], max: number): SetObject {
  const result = SetObject.intset();
  const first = sets[0];
  if (first === null || first === undefined) return result;
  // The first key named again makes the difference empty.
  if (sets.some((set, j) => j > 0 && set === first)) return result;
  let firstWork = 0, allWork = 0;
  for (const set of sets) {
    if (set === null) continue;
    firstWork += first.size;
    allWork += set.size;
  }
  const n = first.size;
  if (firstWork / 2 <= allWork) {
    // Algorithm 1: each member of the first set is looked up in the others.
    next: for (let i = 0; i < n; i++) {
      const member = first.at(i);
      for (let j = 1; j < sets.length; j++) if (sets[j]?.has(member)) continue next;
      result.add(member, max);
    }
    return result;
  }
  // Algorithm 2: copy the first set, then remove every member of the others.
  for (let i = 0; i < n; i++) result.add(first.at(i), max);
  for (let j = 1; j < sets.length && result.size > 0; j++) {
    const set = sets[j];
    if (set === null || set === undefined) continue;
    for (let i = 0; i < set.size; i++) result.remove(set.at(i));
  }
  return result;
}

function sunionDiffGeneric(c: Client, keys: string[], dstKey: string | null, diff: boolean): void {
  const sets = lookupSets(c, keys);
  const max = maxIntset(c);
  const result = diff ? diffOf(sets, max) : unionOf(sets, max);
  if (dstKey !== null) storeResult(c, dstKey, result, diff ? "sdiffstore" : "sunionstore");
  else replySet(c, result);
}

// ---- SSCAN ----

function sscanCommand(c: Client, argv: string[]): void {
  const options = scanOptions(argv);
  const set = lookupSetRead(c, argv[1]!);
  if (set === undefined) {
    replyEmptyScan(c);
    return;
  }
  options.parse();
  const pattern = options.pattern;
  const found: string[] = [];
  let next = "0";
  const index = set.index;
  if (index === null) {
    // An intset (and a small hashtable) is returned whole in one call.
    const n = set.size;
    for (let i = 0; i < n; i++) {
      const member = set.at(i);
      if (pattern === undefined || pattern(member)) found.push(member);
    }
  } else {
    const step = scanStep(set, index, options);
    next = step.cursor;
    for (const member of step.elements) {
      // A member read ahead in the previous call may have been removed since.
      if (!index.has(member)) continue;
      if (pattern === undefined || pattern(member)) found.push(member);
    }
  }
  const r = c.reply;
  r.array(2);
  r.bulk(next);
  r.array(found.length);
  for (const member of found) r.bulk(member);
}

// ---- The command records ----

const KEY1: KeyPositions = { first: 1, last: 1, step: 1 };
const ALL_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };

/** The fields set commands share; a record spreads them first and may override `keys`. */
const SET: Pick<Command, "group" | "keys"> = { group: "set", keys: KEY1 };

const READ: Command["flags"] = ["readonly"];
const READ_FAST: Command["flags"] = ["readonly", "fast"];
const STORE: Command["flags"] = ["write", "denyoom"];
const ORDER_TIPS: CommandMeta = { tips: ["nondeterministic_output_order"] };

function storeMeta(dstFlags: string): CommandMeta {
  return {
    keySpecs: [
      { flags: dstFlags, index: 1, range: [0, 1, 0] },
      { flags: "RO access", index: 2, range: [-1, 1, 0] },
    ],
  };
}

const INTER_COMPLEXITY =
  "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const UNION_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

export const setCommands: Command[] = [
  {
    ...SET,
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary: "Adds one or more members to a set. Creates the key if it doesn't exist.",
    complexity:
      "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    syntax: "key member [member ...]",
    meta: { keyFlags: "RW insert" },
    run: saddCommand,
  },
  {
    ...SET,
    name: "scard",
    arity: 2,
    flags: READ_FAST,
    since: "1.0.0",
    summary: "Returns the number of members in a set.",
    complexity: "O(1)",
    syntax: "key",
    meta: { keyFlags: "RO" },
    run: scardCommand,
  },
  {
    ...SET,
    name: "sdiff",
    arity: -2,
    flags: READ,
    since: "1.0.0",
    summary: "Returns the difference of multiple sets.",
    complexity: UNION_COMPLEXITY,
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: ORDER_TIPS,
    run: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, true),
  },
  {
    ...SET,
    name: "sdiffstore",
    arity: -3,
    flags: STORE,
    since: "1.0.0",
    summary: "Stores the difference of multiple sets in a key.",
    complexity: UNION_COMPLEXITY,
    syntax: "destination:key key [key ...]",
    keys: ALL_KEYS,
    meta: storeMeta("OW update"),
    run: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, true),
  },
  {
    ...SET,
    name: "sinter",
    arity: -2,
    flags: READ,
    since: "1.0.0",
    summary: "Returns the intersect of multiple sets.",
    complexity: INTER_COMPLEXITY,
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: ORDER_TIPS,
    run: (c, argv) => sinterGeneric(c, argv.slice(1), null, false, 0),
  },
  {
    ...SET,
    name: "sintercard",
    arity: -3,
    flags: READ,
    since: "7.0.0",
    summary: "Returns the number of members of the intersect of multiple sets.",
    complexity: INTER_COMPLEXITY,
    syntax: "numkeys:integer key [key ...] [LIMIT limit:integer]",
    keys: undefined,
    meta: { keySpecs: [{ flags: "RO access", index: 1, keynum: [0, 1, 1] }] },
    run: sintercardCommand,
  },
  {
    ...SET,
    name: "sinterstore",
    arity: -3,
    flags: STORE,
    since: "1.0.0",
    summary: "Stores the intersect of multiple sets in a key.",
    complexity: INTER_COMPLEXITY,
    syntax: "destination:key key [key ...]",
    keys: ALL_KEYS,
    meta: storeMeta("RW update"),
    run: (c, argv) => sinterGeneric(c, argv.slice(2), argv[1]!, false, 0),
  },
  {
    ...SET,
    name: "sismember",
    arity: 3,
    flags: READ_FAST,
    since: "1.0.0",
    summary: "Determines whether a member belongs to a set.",
    complexity: "O(1)",
    syntax: "key member",
    meta: { keyFlags: "RO" },
    run: sismemberCommand,
  },
  {
    ...SET,
    name: "smembers",
    arity: 2,
    flags: READ,
    since: "1.0.0",
    summary: "Returns all members of a set.",
    complexity: "O(N) where N is the set cardinality.",
    syntax: "key",
    meta: ORDER_TIPS,
    run: (c, argv) => sinterGeneric(c, [argv[1]!], null, false, 0),
  },
  {
    ...SET,
    name: "smismember",
    arity: -3,
    flags: READ_FAST,
    since: "6.2.0",
    summary: "Determines whether multiple members belong to a set.",
    complexity: "O(N) where N is the number of elements being checked for membership",
    syntax: "key member [member ...]",
    run: smismemberCommand,
  },
  {
    ...SET,
    name: "smove",
    arity: 4,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary: "Moves a member from one set to another.",
    complexity: "O(1)",
    syntax: "source:key destination:key member",
    keys: { first: 1, last: 2, step: 1 },
    meta: {
      keySpecs: [
        { flags: "RW access delete", index: 1, range: [0, 1, 0] },
        { flags: "RW insert", index: 2, range: [0, 1, 0] },
      ],
    },
    run: smoveCommand,
  },
  {
    ...SET,
    name: "spop",
    arity: -2,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary:
      "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    syntax: "key [count:integer]",
    meta: { keyFlags: "RW access delete", tips: ["nondeterministic_output"] },
    run: spopCommand,
  },
  {
    ...SET,
    name: "srandmember",
    arity: -2,
    flags: READ,
    since: "1.0.0",
    summary: "Get one or multiple random members from a set",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    syntax: "key [count:integer]",
    meta: { tips: ["nondeterministic_output"] },
    run: srandmemberCommand,
  },
  {
    ...SET,
    name: "srem",
    arity: -3,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary:
      "Removes one or more members from a set. Deletes the set if the last member was removed.",
    complexity: "O(N) where N is the number of members to be removed.",
    syntax: "key member [member ...]",
    meta: { keyFlags: "RW delete" },
    run: sremCommand,
  },
  {
    ...SET,
    name: "sscan",
    arity: -3,
    flags: READ,
    since: "2.8.0",
    summary: "Iterates over members of a set.",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    syntax: "key cursor:integer [MATCH pattern] [COUNT count:integer]",
    meta: { tips: ["nondeterministic_output"] },
    run: sscanCommand,
  },
  {
    ...SET,
    name: "sunion",
    arity: -2,
    flags: READ,
    since: "1.0.0",
    summary: "Returns the union of multiple sets.",
    complexity: UNION_COMPLEXITY,
    syntax: "key [key ...]",
    keys: ALL_KEYS,
    meta: ORDER_TIPS,
    run: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, false),
  },
  {
    ...SET,
    name: "sunionstore",
    arity: -3,
    flags: STORE,
    since: "1.0.0",
    summary: "Stores the union of multiple sets in a key.",
    complexity: UNION_COMPLEXITY,
    syntax: "destination:key key [key ...]",
    keys: ALL_KEYS,
    meta: storeMeta("OW update"),
    run: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, false),
  },
];
