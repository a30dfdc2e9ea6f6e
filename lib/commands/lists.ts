// List commands, the blocking ones included. Mirrors Redis 7.0's t_list.c (argument checks,
// their order, and the replies of the blocking commands when served later).
import type { Client } from "../client.ts";
import { blockForKeys, parseTimeout, signalKeyAsReady } from "../blocking.ts";
import {
  COUNT_NOT_POSITIVE,
  LPOS_COUNT_NEGATIVE,
  LPOS_MAXLEN_NEGATIVE,
  NO_SUCH_KEY,
  NOT_INTEGER,
  NOT_POSITIVE,
  NUMKEYS_NOT_POSITIVE,
  OUT_OF_RANGE,
  RANK_ZERO,
  ReplyError,
  SYNTAX,
  wrongArity,
} from "../errors.ts";
import type { Db } from "../store/keyspace.ts";
import { ListObject, setListMaxListpackSize } from "../store/list.ts";
import { lookupRead, lookupWrite } from "../store/typed.ts";
import { LLONG_MIN, parseInteger } from "../util/numbers.ts";
import { isOption, safeIntegerArg } from "./args.ts";
import type { Command, CommandMeta, KeyPositions } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_LIST,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";

const KEY1: KeyPositions = { first: 1, last: 1, step: 1 };
const KEY1_2: KeyPositions = { first: 1, last: 2, step: 1 };

/** Node limits follow list-max-listpack-size as CONFIG SET leaves it. */
function applyFill(c: Client): void {
  setListMaxListpackSize(c.server.config.num("list-max-listpack-size"));
}

/** Redis's getRangeLongFromObjectOrReply(min, LONG_MAX) with a custom message. */
function atLeast(text: string, min: number, error: string): number {
  const value = parseInteger(text);
  if (value === null || value < min) throw new ReplyError(error);
  return typeof value === "number" ? value : Number.MAX_SAFE_INTEGER;
}

/** LEFT or RIGHT (getListPositionFromObjectOrReply): true for the head. */
function whereArg(text: string): boolean {
  if (isOption(text, "left")) return true;
  if (isOption(text, "right")) return false;
  throw new ReplyError(SYNTAX);
}

/** Deletes a list key its last element left, notifying "del". */
function deleteIfEmpty(db: Db, key: string, list: ListObject): void {
  if (list.length !== 0) return;
  db.delete(key);
  notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
}

/**
 * listElementsRemoved: after `count` elements left the head or tail of the list at key, the
 * "lpop"/"rpop" event, the emptied key's deletion, and `count` changes.
 */
function listElementsRemoved(db: Db, key: string, head: boolean, list: ListObject, count: number) {
  notifyKeyspaceEvent(NOTIFY_LIST, head ? "lpop" : "rpop", key, db.id);
  deleteIfEmpty(db, key, list);
  signalModifiedKey(db, key);
  db.keyspace.dirty += count;
}

// ---- LPUSH, RPUSH, LPUSHX, RPUSHX ----

/** pushGenericCommand: `xx` only pushes onto an existing list (LPUSHX, RPUSHX). */
function pushGenericCommand(c: Client, argv: string[], head: boolean, xx: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  let list = lookupWrite<ListObject>(db, key, "list");
  if (list === undefined) {
    if (xx) {
      c.reply.integer(0);
      return;
    }
    list = new ListObject();
    db.set(key, list);
  }
  applyFill(c);
  for (let j = 2; j < argv.length; j++) list.push(argv[j]!, head);
  db.keyspace.dirty += argv.length - 2;
  c.reply.integer(list.length);
  signalModifiedKey(db, key);
  notifyKeyspaceEvent(NOTIFY_LIST, head ? "lpush" : "rpush", key, db.id);
  signalKeyAsReady(db, key);
}

// ---- LPOP, RPOP ----

function popGenericCommand(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) throw new ReplyError(wrongArity(head ? "lpop" : "rpop"));
  let count = -1;
  if (argv.length === 3) count = atLeast(argv[2]!, 0, NOT_POSITIVE);
  const db = c.db;
  const key = argv[1]!;
  const list = lookupWrite<ListObject>(db, key, "list");
  if (list === undefined) {
    if (count === -1) c.reply.nullBulk();
    else c.reply.nullArray();
    return;
  }
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  if (count === -1) {
    c.reply.bulk(list.pop(head)!);
    listElementsRemoved(db, key, head, list, 1);
  } else {
    const n = Math.min(count, list.length);
    c.reply.array(n);
    for (let i = 0; i < n; i++) c.reply.bulk(list.pop(head)!);
    listElementsRemoved(db, key, head, list, n);
  }
}

// ---- LLEN, LINDEX, LRANGE ----

function llenCommand(c: Client, argv: string[]): void {
  const list = lookupRead<ListObject>(c.db, argv[1]!, "list");
  c.reply.integer(list === undefined ? 0 : list.length);
}

function lindexCommand(c: Client, argv: string[]): void {
  const list = lookupRead<ListObject>(c.db, argv[1]!, "list");
  if (list === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulkOrNull(list.get(safeIntegerArg(argv[2]!)));
}

/**
 * Normalizes a start..end range like Redis (negative from the tail, clamped); returns the
 * number of elements and leaves the first index in rangeStart.
 */
function rangeLength(start: number, end: number, len: number): number {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  rangeStart = start;
  if (start > end || start >= len) return 0;
  if (end >= len) end = len - 1;
  return end - start + 1;
}

let rangeStart = 0;

function lrangeCommand(c: Client, argv: string[]): void {
  const start = safeIntegerArg(argv[2]!);
  const end = safeIntegerArg(argv[3]!);
  const list = lookupRead<ListObject>(c.db, argv[1]!, "list");
  if (list === undefined) {
    c.reply.array(0);
    return;
  }
  const n = rangeLength(start, end, list.length);
  c.reply.array(n);
  if (n === 0) return;
  const reply = c.reply;
  const it = list.iterator(rangeStart, false);
  for (let i = 0; i < n && it.next(); i++) reply.bulk(it.value());
}

// ---- LSET, LINSERT, LREM, LTRIM ----

function lsetCommand(c: Client, argv: string[]): void {
  const list = lookupWrite<ListObject>(c.db, argv[1]!, "list");
  if (list === undefined) throw new ReplyError(NO_SUCH_KEY);
  const index = safeIntegerArg(argv[2]!);
  applyFill(c);
  if (!list.set(index, argv[3]!)) throw new ReplyError(OUT_OF_RANGE);
  signalModifiedKey(c.db, argv[1]!);
  notifyKeyspaceEvent(NOTIFY_LIST, "lset", argv[1]!, c.db.id);
  c.db.keyspace.dirty++;
  c.reply.ok();
}

function linsertCommand(c: Client, argv: string[]): void {
  let after: boolean;
  if (isOption(argv[2]!, "after")) after = true;
  else if (isOption(argv[2]!, "before")) after = false;
  else throw new ReplyError(SYNTAX);
  const list = lookupWrite<ListObject>(c.db, argv[1]!, "list");
  if (list === undefined) {
    c.reply.integer(0);
    return;
  }
  applyFill(c);
  if (!list.insert(argv[3]!, argv[4]!, after)) {
    c.reply.integer(-1);
    return;
  }
  signalModifiedKey(c.db, argv[1]!);
  notifyKeyspaceEvent(NOTIFY_LIST, "linsert", argv[1]!, c.db.id);
  c.db.keyspace.dirty++;
  c.reply.integer(list.length);
}

function lremCommand(c: Client, argv: string[]): void {
  // LLONG_MIN negates to itself in Redis: every match from the tail, as the saturated count.
  const count = safeIntegerArg(argv[2]!);
  const db = c.db;
  const key = argv[1]!;
  const list = lookupWrite<ListObject>(db, key, "list");
  if (list === undefined) {
    c.reply.integer(0);
    return;
  }
  const removed = list.remove(argv[3]!, count);
  if (removed > 0) {
    notifyKeyspaceEvent(NOTIFY_LIST, "lrem", key, db.id);
    deleteIfEmpty(db, key, list);
    signalModifiedKey(db, key);
  }
  db.keyspace.dirty += removed;
  c.reply.integer(removed);
}

function ltrimCommand(c: Client, argv: string[]): void {
  const start = safeIntegerArg(argv[2]!);
  const end = safeIntegerArg(argv[3]!);
  const db = c.db;
  const key = argv[1]!;
  const list = lookupWrite<ListObject>(db, key, "list");
  if (list === undefined) {
    c.reply.ok();
    return;
  }
  const len = list.length;
  const n = rangeLength(start, end, len);
  const ltrim = n === 0 ? len : rangeStart;
  const rtrim = n === 0 ? 0 : len - rangeStart - n;
  list.deleteRange(ltrim, true);
  list.deleteRange(rtrim, false);
  // Redis notifies "ltrim" even when nothing was trimmed.
  notifyKeyspaceEvent(NOTIFY_LIST, "ltrim", key, db.id);
  deleteIfEmpty(db, key, list);
  signalModifiedKey(db, key);
  db.keyspace.dirty += ltrim + rtrim;
  c.reply.ok();
}

// ---- LPOS ----

function lposCommand(c: Client, argv: string[]): void {
  const element = argv[2]!;
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  let unlimited = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = j < argv.length - 1;
    if (more && isOption(opt, "rank")) {
      const value = parseInteger(argv[++j]!);
      if (value === null) throw new ReplyError(NOT_INTEGER);
      if (value === 0) throw new ReplyError(RANK_ZERO);
      // Redis negates LLONG_MIN into itself: the first match from the tail counts, and the
      // COUNT test overflows so that every match is returned.
      unlimited = value === LLONG_MIN;
      rank = unlimited ? -1 : typeof value === "number" ? value : Number(value);
    } else if (more && isOption(opt, "count")) {
      count = atLeast(argv[++j]!, 0, LPOS_COUNT_NEGATIVE);
    } else if (more && isOption(opt, "maxlen")) {
      maxlen = atLeast(argv[++j]!, 0, LPOS_MAXLEN_NEGATIVE);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = lookupRead<ListObject>(c.db, argv[1]!, "list");
  if (list === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.nullBulk();
    return;
  }
  const len = list.length;
  const it = list.iterator(fromTail ? len - 1 : 0, fromTail);
  const found: number[] = [];
  let matches = 0;
  for (let index = 0; (maxlen === 0 || index < maxlen) && it.next(); index++) {
    if (!it.equals(element)) continue;
    matches++;
    if (matches < rank) continue;
    found.push(fromTail ? len - index - 1 : index);
    if (count === -1) break;
    if (count !== 0 && !unlimited && matches - rank + 1 >= count) break;
  }
  if (count !== -1) {
    c.reply.array(found.length);
    for (const index of found) c.reply.integer(index);
  } else if (found.length === 0) {
    c.reply.nullBulk();
  } else {
    c.reply.integer(found[0]!);
  }
}

// ---- LMOVE, RPOPLPUSH ----

/**
 * lmoveGenericCommand: pops from source and pushes to destination, replying the element.
 * BLMOVE and BRPOPLPUSH propagate as LMOVE and RPOPLPUSH; `served` is a blocked one served
 * later (serveClientBlockedOnList), which Redis does not count in dirty.
 */
function lmoveGenericCommand(
  c: Client,
  argv: string[],
  src: string,
  dst: string,
  fromHead: boolean,
  toHead: boolean,
  served = false,
) {
  const db = c.db;
  const source = lookupWrite<ListObject>(db, src, "list");
  if (source === undefined) {
    c.reply.nullBulk();
    return;
  }
  let destination = lookupWrite<ListObject>(db, dst, "list");
  applyFill(c);
  const value = source.pop(fromHead)!;
  // lmoveHandlePush: the destination's events come before the source's.
  if (destination === undefined) {
    destination = new ListObject();
    db.set(dst, destination);
  }
  signalModifiedKey(db, dst);
  destination.push(value, toHead);
  notifyKeyspaceEvent(NOTIFY_LIST, toHead ? "lpush" : "rpush", dst, db.id);
  signalKeyAsReady(db, dst);
  c.reply.bulk(value);
  notifyKeyspaceEvent(NOTIFY_LIST, fromHead ? "lpop" : "rpop", src, db.id);
  deleteIfEmpty(db, src, source);
  signalModifiedKey(db, src);
  if (!served) db.keyspace.dirty++;
  const name = argv[0]!.toLowerCase();
  if (propagating() && (served || name === "blmove" || name === "brpoplpush")) {
    c.propagateAs = [
      name === "brpoplpush"
        ? ["RPOPLPUSH", src, dst]
        : served
        ? ["LMOVE", src, dst, fromHead ? "left" : "right", toHead ? "left" : "right"]
        : ["LMOVE", src, dst, argv[3]!, argv[4]!],
    ];
  }
}

// ---- BLPOP, BRPOP, BLMPOP, LMPOP ----

/**
 * Pops from a non-empty list for BLPOP/BRPOP (count -1: [key, element]) or for LMPOP and
 * BLMPOP ([key, [elements]]), deleting the key when it empties. Propagates as [LR]POP key,
 * with the count popped for the M forms. A BLPOP/BRPOP `served` after blocking is not
 * counted in dirty, as in Redis.
 */
function popAndReplyWithKey(
  c: Client,
  key: string,
  list: ListObject,
  head: boolean,
  count: number,
  served = false,
) {
  const reply = c.reply;
  const db = c.db;
  reply.array(2);
  reply.bulk(key);
  const pop = head ? "LPOP" : "RPOP";
  if (count === -1) {
    reply.bulk(list.pop(head)!);
    listElementsRemoved(db, key, head, list, served ? 0 : 1);
    if (propagating()) c.propagateAs = [[pop, key]];
  } else {
    const n = Math.min(count, list.length);
    reply.array(n);
    for (let i = 0; i < n; i++) reply.bulk(list.pop(head)!);
    listElementsRemoved(db, key, head, list, n);
    if (propagating()) c.propagateAs = [[pop, key, String(n)]];
  }
}

/** The list at key if it is one, for serving a blocked client (other types wait on). */
function readyList(c: Client, key: string): ListObject | undefined {
  const value = c.db.lookupWrite(key);
  return value instanceof ListObject ? value : undefined;
}

/**
 * blockingPopGenericCommand: pops from the first non-empty key (WRONGTYPE for a key of
 * another type met before it), else blocks until a push fills one of the keys.
 */
function blockingPopGenericCommand(
  c: Client,
  keys: string[],
  head: boolean,
  timeout: string,
  count: number,
): void {
  const deadline = parseTimeout(timeout);
  for (const key of keys) {
    const list = lookupWrite<ListObject>(c.db, key, "list");
    if (list === undefined) continue;
    popAndReplyWithKey(c, key, list, head, count);
    return;
  }
  blockForKeys(c, keys, deadline, (key) => {
    const list = readyList(c, key);
    if (list === undefined) return false;
    popAndReplyWithKey(c, key, list, head, count, true);
    return true;
  }, () => c.reply.nullArray());
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT n], and BLMPOP with the timeout first. */
function lmpopGenericCommand(c: Client, argv: string[], numkeysIdx: number, block: boolean) {
  const numkeys = atLeast(argv[numkeysIdx]!, 1, NUMKEYS_NOT_POSITIVE);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(SYNTAX);
  const head = whereArg(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && isOption(argv[j]!, "count") && j < argv.length - 1) {
      count = atLeast(argv[++j]!, 1, COUNT_NOT_POSITIVE);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (block) {
    blockingPopGenericCommand(c, keys, head, argv[1]!, count);
    return;
  }
  for (const key of keys) {
    const list = lookupWrite<ListObject>(c.db, key, "list");
    if (list === undefined) continue;
    popAndReplyWithKey(c, key, list, head, count);
    return;
  }
  c.reply.nullArray();
}

// ---- BLMOVE, BRPOPLPUSH ----

function blmoveGenericCommand(
  c: Client,
  argv: string[],
  src: string,
  dst: string,
  fromHead: boolean,
  toHead: boolean,
  timeout: string,
): void {
  const deadline = parseTimeout(timeout);
  if (lookupWrite<ListObject>(c.db, src, "list") !== undefined) {
    lmoveGenericCommand(c, argv, src, dst, fromHead, toHead);
    return;
  }
  // Unlike the other blocking commands, not being allowed to block is a null bulk here.
  if (c.denyBlocking) {
    c.reply.nullBulk();
    return;
  }
  blockForKeys(c, [src], deadline, (key) => {
    if (readyList(c, key) === undefined) return false;
    // A destination of another type is a WRONGTYPE reply that ends the wait.
    lmoveGenericCommand(c, argv, src, dst, fromHead, toHead, true);
    return true;
  }, () => c.reply.nullArray());
}

// ---- the command table ----

/** The fields list commands share; a record spreads them first and may override `keys`. */
const LIST: Pick<Command, "group" | "keys"> = { group: "list", keys: KEY1 };

const INSERT: CommandMeta = { keyFlags: "RW insert" };
const POP: CommandMeta = { keyFlags: "RW access delete" };
const MOVE: CommandMeta = {
  keySpecs: [
    { flags: "RW access delete", index: 1, range: [0, 1, 0] },
    { flags: "RW insert", index: 2, range: [0, 1, 0] },
  ],
};

function keynumMeta(index: number): CommandMeta {
  return { keySpecs: [{ flags: "RW access delete", index, keynum: [0, 1, 1] }] };
}

const PUSH_COMPLEXITY =
  "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";
const MOVE_SYNTAX = "source:key destination:key <LEFT | RIGHT>:wherefrom <LEFT | RIGHT>:whereto";

export const listCommands: Command[] = [
  {
    ...LIST,
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary: "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element [element ...]",
    meta: INSERT,
    run: (c, argv) => pushGenericCommand(c, argv, true, false),
  },
  {
    ...LIST,
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary: "Appends one or more elements to a list. Creates the key if it doesn't exist.",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element [element ...]",
    meta: INSERT,
    run: (c, argv) => pushGenericCommand(c, argv, false, false),
  },
  {
    ...LIST,
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    since: "2.2.0",
    summary: "Prepends one or more elements to a list only when the list exists.",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element [element ...]",
    meta: INSERT,
    run: (c, argv) => pushGenericCommand(c, argv, true, true),
  },
  {
    ...LIST,
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    since: "2.2.0",
    summary: "Appends an element to a list only when the list exists.",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element [element ...]",
    meta: INSERT,
    run: (c, argv) => pushGenericCommand(c, argv, false, true),
  },
  {
    ...LIST,
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary:
      "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
    complexity: "O(N) where N is the number of elements returned",
    syntax: "key [count:integer]",
    meta: POP,
    run: (c, argv) => popGenericCommand(c, argv, true),
  },
  {
    ...LIST,
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    since: "1.0.0",
    summary:
      "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
    complexity: "O(N) where N is the number of elements returned",
    syntax: "key [count:integer]",
    meta: POP,
    run: (c, argv) => popGenericCommand(c, argv, false),
  },
  {
    ...LIST,
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Returns the length of a list.",
    complexity: "O(1)",
    syntax: "key",
    meta: { keyFlags: "RO" },
    run: llenCommand,
  },
  {
    ...LIST,
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    since: "1.0.0",
    summary: "Returns a range of elements from a list.",
    complexity:
      "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
    syntax: "key start:integer stop:integer",
    run: lrangeCommand,
  },
  {
    ...LIST,
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    since: "1.0.0",
    summary: "Returns an element from a list by its index.",
    complexity:
      "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
    syntax: "key index:integer",
    run: lindexCommand,
  },
  {
    ...LIST,
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    since: "1.0.0",
    summary: "Sets the value of an element in a list by its index.",
    complexity:
      "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
    syntax: "key index:integer element",
    run: lsetCommand,
  },
  {
    ...LIST,
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    since: "2.2.0",
    summary: "Inserts an element before or after another element in a list.",
    complexity:
      "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
    syntax: "key <BEFORE | AFTER>:where pivot element",
    meta: INSERT,
    run: linsertCommand,
  },
  {
    ...LIST,
    name: "lrem",
    arity: 4,
    flags: ["write"],
    since: "1.0.0",
    summary: "Removes elements from a list. Deletes the list if the last element was removed.",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
    syntax: "key count:integer element",
    meta: { keyFlags: "RW delete" },
    run: lremCommand,
  },
  {
    ...LIST,
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    since: "1.0.0",
    summary:
      "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    syntax: "key start:integer stop:integer",
    meta: { keyFlags: "RW delete" },
    run: ltrimCommand,
  },
  {
    ...LIST,
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    since: "6.0.6",
    summary: "Returns the index of matching elements in a list.",
    complexity:
      "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
    syntax: "key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]",
    run: lposCommand,
  },
  {
    ...LIST,
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    since: "6.2.0",
    summary:
      "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
    complexity: "O(1)",
    syntax: MOVE_SYNTAX,
    keys: KEY1_2,
    meta: MOVE,
    run: (c, argv) =>
      lmoveGenericCommand(c, argv, argv[1]!, argv[2]!, whereArg(argv[3]!), whereArg(argv[4]!)),
  },
  {
    ...LIST,
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    since: "1.2.0",
    summary:
      "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
    complexity: "O(1)",
    syntax: "source:key destination:key",
    keys: KEY1_2,
    meta: MOVE,
    run: (c, argv) => lmoveGenericCommand(c, argv, argv[1]!, argv[2]!, false, true),
  },
  {
    ...LIST,
    name: "lmpop",
    arity: -4,
    flags: ["write"],
    since: "7.0.0",
    summary:
      "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
    complexity:
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    syntax: "numkeys:integer key [key ...] <LEFT | RIGHT>:where [COUNT count:integer]",
    keys: undefined,
    meta: keynumMeta(1),
    run: (c, argv) => lmpopGenericCommand(c, argv, 1, false),
  },
  {
    ...LIST,
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    since: "2.0.0",
    summary:
      "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
    complexity: "O(N) where N is the number of provided keys.",
    syntax: "key [key ...] timeout:double",
    keys: { first: 1, last: -2, step: 1 },
    meta: POP,
    run: (c, argv) => blockingPopGenericCommand(c, argv.slice(1, -1), true, argv.at(-1)!, -1),
  },
  {
    ...LIST,
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    since: "2.0.0",
    summary:
      "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
    complexity: "O(N) where N is the number of provided keys.",
    syntax: "key [key ...] timeout:double",
    keys: { first: 1, last: -2, step: 1 },
    meta: POP,
    run: (c, argv) => blockingPopGenericCommand(c, argv.slice(1, -1), false, argv.at(-1)!, -1),
  },
  {
    ...LIST,
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    since: "6.2.0",
    summary:
      "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
    complexity: "O(1)",
    syntax: MOVE_SYNTAX + " timeout:double",
    keys: KEY1_2,
    meta: MOVE,
    run: (c, argv) => {
      const fromHead = whereArg(argv[3]!);
      const toHead = whereArg(argv[4]!);
      blmoveGenericCommand(c, argv, argv[1]!, argv[2]!, fromHead, toHead, argv[5]!);
    },
  },
  {
    ...LIST,
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    since: "2.2.0",
    summary:
      "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
    complexity: "O(1)",
    syntax: "source:key destination:key timeout:double",
    keys: KEY1_2,
    meta: MOVE,
    run: (c, argv) => blmoveGenericCommand(c, argv, argv[1]!, argv[2]!, false, true, argv[3]!),
  },
  {
    ...LIST,
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking"],
    since: "7.0.0",
    summary:
      "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
    complexity:
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    syntax:
      "timeout:double numkeys:integer key [key ...] <LEFT | RIGHT>:where [COUNT count:integer]",
    keys: undefined,
    meta: keynumMeta(2),
    run: (c, argv) => lmpopGenericCommand(c, argv, 2, true),
  },
];
