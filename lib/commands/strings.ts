// String commands. Mirrors Redis's t_string.c, including its argument checks and error order.
import type { Client } from "../client.ts";
import {
  invalidExpire,
  NAN_OR_INFINITY,
  NOT_FLOAT,
  NOT_INTEGER,
  OVERFLOW,
  ReplyError,
  STRING_TOO_LONG,
  SYNTAX,
  wrongArity,
} from "../errors.ts";
import { now } from "../clock.ts";
import { LLONG_MAX, LLONG_MIN, parseInteger } from "../util/numbers.ts";
import {
  addLongDouble,
  formatLongDoubleHuman,
  type LongDouble,
  type Parsed,
  parseLongDouble,
} from "../util/long_double.ts";
import { integerArg } from "./args.ts";
import type { Command } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_STRING,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";

/** V8 cannot hold a longer string; Redis's 512mb limit is 24 bytes longer. */
const MAX_STRING = 536870888;

// SET/GETEX option flags, as in Redis's parseExtendedStringArgumentsOrReply.
const NX = 1, XX = 2, GET = 4, KEEPTTL = 8, PERSIST = 16, EX = 32, PX = 64, EXAT = 128, PXAT = 256;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface ExtendedArgs {
  flags: number;
  expire: string | undefined;
}

/** An option as Redis's strcasecmp sees it: lowercase, cut at the first NUL byte. */
function option(arg: string): string {
  const nul = arg.indexOf("\0");
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

/** Parses SET's (or GETEX's) options starting at argv[from]; throws a syntax error. */
function parseExtendedArgs(argv: string[], from: number, isSet: boolean): ExtendedArgs {
  let flags = 0;
  let expire: string | undefined;
  for (let j = from; j < argv.length; j++) {
    const opt = option(argv[j]!);
    const hasNext = j < argv.length - 1;
    if (opt === "nx" && !(flags & XX) && isSet) flags |= NX;
    else if (opt === "xx" && !(flags & NX) && isSet) flags |= XX;
    else if (opt === "get" && isSet) flags |= GET;
    else if (opt === "keepttl" && !(flags & (PERSIST | ANY_EXPIRE)) && isSet) flags |= KEEPTTL;
    else if (opt === "persist" && !isSet && !(flags & (ANY_EXPIRE | KEEPTTL))) flags |= PERSIST;
    else if (
      hasNext && !(flags & (KEEPTTL | PERSIST)) &&
      ((opt === "ex" && !(flags & (EXAT | PX | PXAT))) ||
        (opt === "px" && !(flags & (EX | EXAT | PXAT))) ||
        (opt === "exat" && !(flags & (EX | PX | PXAT))) ||
        (opt === "pxat" && !(flags & (EX | EXAT | PX))))
    ) {
      flags = (flags & ~ANY_EXPIRE) |
        (opt === "ex" ? EX : opt === "px" ? PX : opt === "exat" ? EXAT : PXAT);
      expire = argv[++j];
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  return { flags, expire };
}

/**
 * Redis's getExpireMillisecondsOrReply: a positive integer, in seconds for EX/EXAT, made
 * absolute for EX/PX; overflow is an "invalid expire time" error naming the command.
 */
function expireMilliseconds(text: string, flags: number, command: string): number {
  const value = integerArg(text);
  const seconds = (flags & (EX | EXAT)) !== 0;
  const big = BigInt(value);
  if (big <= 0n || (seconds && big > LLONG_MAX / 1000n)) {
    throw new ReplyError(invalidExpire(command));
  }
  let ms = seconds ? big * 1000n : big;
  if (flags & (EX | PX)) ms += BigInt(now());
  if (ms > LLONG_MAX) throw new ReplyError(invalidExpire(command));
  return Number(ms);
}

/**
 * setGenericCommand: the shared body of SET, SETNX, SETEX and PSETEX. An expire propagates as
 * SET key value PXAT <ms> (the replica must not restart a relative time), GET is dropped.
 */
function setGeneric(
  c: Client,
  argv: string[],
  flags: number,
  key: string,
  value: string,
  expire: string | undefined,
  command: string,
  reply: (c: Client, done: boolean) => void,
): void {
  const when = expire === undefined ? undefined : expireMilliseconds(expire, flags, command);
  const db = c.db;
  if (flags & GET) {
    const old = db.getString(key); // WRONGTYPE before anything changes
    c.reply.bulkOrNull(old);
  }
  if (flags & (NX | XX)) {
    const found = db.lookupWrite(key) !== undefined;
    if ((flags & NX && found) || (flags & XX && !found)) {
      if (!(flags & GET)) reply(c, false);
      return;
    }
  }
  // Db.set expires a key whose time has passed first, as lookupKeyWrite would.
  db.set(key, value, (flags & KEEPTTL) !== 0);
  signalModifiedKey(db, key);
  db.keyspace.dirty++;
  notifyKeyspaceEvent(NOTIFY_STRING, "set", key, db.id);
  if (when !== undefined) {
    db.setExpire(key, when);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, db.id);
    if (propagating()) c.propagateAs = [["SET", key, value, "PXAT", String(when)]];
  } else if ((flags & GET) && propagating()) {
    c.propagateAs = [argv.filter((arg, j) => j < 3 || option(arg) !== "get")];
  }
  if (!(flags & GET)) reply(c, true);
}

/** msetGenericCommand's writes: each key set and notified in order. */
function msetGeneric(c: Client, argv: string[]): void {
  const db = c.db;
  for (let i = 1; i < argv.length; i += 2) {
    const key = argv[i]!;
    db.set(key, argv[i + 1]!);
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "set", key, db.id);
  }
  db.keyspace.dirty += (argv.length - 1) / 2;
}

const okOrNull = (c: Client, done: boolean) => done ? c.reply.ok() : c.reply.nullBulk();
const oneOrZero = (c: Client, done: boolean) => c.reply.integer(done ? 1 : 0);

const KEY1 = { first: 1, last: 1, step: 1 };

/** The fields most string commands share; a record spreads them first and may override them. */
const STRING: Pick<Command, "group" | "complexity" | "keys"> = {
  group: "string",
  complexity: "O(1)",
  keys: KEY1,
};

function getCommand(c: Client, argv: string[]): void {
  c.reply.bulkOrNull(c.db.getString(argv[1]!));
}

/** A new integer value, or OVERFLOW when old + incr leaves the int64 range. */
function addIntegers(old: number | bigint, incr: number | bigint): number | bigint {
  if (typeof old === "number" && typeof incr === "number") {
    const sum = old + incr;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(old) + BigInt(incr);
  if (sum > LLONG_MAX || sum < LLONG_MIN) throw new ReplyError(OVERFLOW);
  return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
}

/** incrDecrCommand: the shared body of INCR, DECR, INCRBY and DECRBY. */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const current = db.getStringForWrite(key);
  let old: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseInteger(current);
    if (parsed === null) throw new ReplyError(NOT_INTEGER);
    old = parsed;
  }
  const value = addIntegers(old, incr);
  const text = String(value);
  if (current === undefined) db.set(key, text);
  else db.overwrite(key, text);
  signalModifiedKey(db, key);
  notifyKeyspaceEvent(NOTIFY_STRING, "incrby", key, db.id);
  db.keyspace.dirty++;
  c.reply.integer(value);
}

function negate(n: number | bigint): number | bigint {
  return typeof n === "number" ? -n : -n;
}

/** Redis's getLongDoubleFromObjectOrReply: a long double, or "inf"/"-inf". */
function longDoubleArg(text: string): Parsed {
  const value = parseLongDouble(text);
  if (value === null) throw new ReplyError(NOT_FLOAT);
  return value;
}

/** Redis's checkStringLength for APPEND and SETRANGE. */
function checkStringLength(c: Client, size: number): void {
  if (size > c.server.config.num("proto-max-bulk-len") || size > MAX_STRING) {
    throw new ReplyError(STRING_TOO_LONG);
  }
}

function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const va = db.lookupRead(argv[1]!);
  const vb = db.lookupRead(argv[2]!);
  if (
    (va !== undefined && typeof va !== "string") || (vb !== undefined && typeof vb !== "string")
  ) {
    throw new ReplyError("ERR The specified keys must contain string values");
  }
  const a = va ?? "";
  const b = vb ?? "";
  let getLen = false, getIdx = false, withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = option(argv[j]!);
    const more = argv.length - 1 - j;
    if (opt === "idx") getIdx = true;
    else if (opt === "len") getLen = true;
    else if (opt === "withmatchlen") withMatchLen = true;
    else if (opt === "minmatchlen" && more > 0) {
      const n = integerArg(argv[++j]!);
      minMatchLen = n < 0 ? 0 : Number(n);
    } else throw new ReplyError(SYNTAX);
  }
  if (getIdx && getLen) {
    throw new ReplyError("ERR If you want both the length and indexes, please just use IDX.");
  }
  const alen = a.length, blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells > 0xffffffff / 4 || cells * 4 > c.server.config.num("proto-max-bulk-len")) {
    throw new ReplyError(
      "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
    );
  }
  // table[j + (blen+1)*i] is the LCS length of a[0..i) and b[0..j).
  const width = blen + 1;
  const table = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      table[j + width * i] = ca === b.charCodeAt(j - 1)
        ? table[j - 1 + width * (i - 1)]! + 1
        : Math.max(table[j + width * (i - 1)]!, table[j - 1 + width * i]!);
    }
  }
  const total = table[blen + width * alen]!;
  if (getLen) {
    c.reply.integer(total);
    return;
  }
  // Walk back from the end, collecting the LCS and the matching ranges like Redis does.
  const chars: number[] = new Array(total);
  let idx = total;
  const ranges: number[][] = [];
  let aStart = alen, aEnd = 0, bStart = 0, bEnd = 0;
  let i = alen, j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[j + width * (i - 1)]! > table[j - 1 + width * i]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (minMatchLen === 0 || matchLen >= minMatchLen) {
        ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      }
      aStart = alen;
    }
  }
  if (!getIdx) {
    let text = "";
    for (let k = 0; k < chars.length; k += 8192) {
      text += String.fromCharCode(...chars.slice(k, k + 8192));
    }
    c.reply.bulk(text);
    return;
  }
  const r = c.reply;
  r.map(2);
  r.bulk("matches");
  r.array(ranges.length);
  for (const [as, ae, bs, be, len] of ranges) {
    r.array(withMatchLen ? 3 : 2);
    r.array(2);
    r.integer(as!);
    r.integer(ae!);
    r.array(2);
    r.integer(bs!);
    r.integer(be!);
    if (withMatchLen) r.integer(len!);
  }
  r.bulk("len");
  r.integer(total);
}

/** An index compared with a string length: beyond ±2^53 every value acts the same. */
function clampIndex(n: number | bigint): number {
  if (typeof n === "number") return n;
  return n > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

function getrange(c: Client, argv: string[]): void {
  const startArg = integerArg(argv[2]!);
  const endArg = integerArg(argv[3]!);
  const value = c.db.getString(argv[1]!);
  if (value === undefined) {
    c.reply.bulk("");
    return;
  }
  // Compared before clamping: -2^63+1 > -2^63 must hold exactly (number/bigint compare is exact).
  if (startArg < 0 && endArg < 0 && startArg > endArg) {
    c.reply.bulk("");
    return;
  }
  const len = value.length;
  let start = clampIndex(startArg), end = clampIndex(endArg);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk("");
  else c.reply.bulk(value.slice(start, end + 1));
}

export const stringCommands: Command[] = [
  {
    ...STRING,
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Returns the string value of a key.",
    syntax: "key",
    run: getCommand,
  },
  {
    ...STRING,
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    since: "1.0.0",
    summary:
      "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
    syntax:
      "key value [NX | XX]:condition [GET] [EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL]:expiration",
    meta: {
      keyFlags: "RW access update variable_flags",
      notes: "RW and ACCESS due to the optional `GET` argument",
    },
    run: (c, argv) => {
      const { flags, expire } = parseExtendedArgs(argv, 3, true);
      setGeneric(c, argv, flags, argv[1]!, argv[2]!, expire, "set", okOrNull);
    },
  },
  {
    ...STRING,
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary: "Set the string value of a key only when the key doesn't exist.",
    syntax: "key value",
    meta: { keyFlags: "OW insert" },
    run: (c, argv) => setGeneric(c, argv, NX, argv[1]!, argv[2]!, undefined, "setnx", oneOrZero),
  },
  {
    ...STRING,
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    since: "2.0.0",
    summary:
      "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
    syntax: "key seconds:integer value",
    meta: { keyFlags: "OW update" },
    run: (c, argv) => setGeneric(c, argv, EX, argv[1]!, argv[3]!, argv[2]!, "setex", okOrNull),
  },
  {
    ...STRING,
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    since: "2.6.0",
    summary:
      "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
    syntax: "key milliseconds:integer value",
    meta: { keyFlags: "OW update" },
    run: (c, argv) => setGeneric(c, argv, PX, argv[1]!, argv[3]!, argv[2]!, "psetex", okOrNull),
  },
  {
    ...STRING,
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary: "Returns the previous string value of a key after setting it to a new value.",
    syntax: "key value",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => {
      const db = c.db, key = argv[1]!;
      const old = db.getString(key);
      db.set(key, argv[2]!);
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_STRING, "set", key, db.id);
      db.keyspace.dirty++;
      if (propagating()) c.propagateAs = [["SET", key, argv[2]!]];
      c.reply.bulkOrNull(old);
    },
  },
  {
    ...STRING,
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    since: "6.2.0",
    summary: "Returns the string value of a key after deleting the key.",
    syntax: "key",
    meta: { keyFlags: "RW access delete" },
    run: (c, argv) => {
      const db = c.db, key = argv[1]!;
      const old = db.getString(key);
      if (old !== undefined) {
        db.delete(key);
        if (propagating()) {
          const del = c.server.config.bool("lazyfree-lazy-user-del") ? "UNLINK" : "DEL";
          c.propagateAs = [[del, key]];
        }
        signalModifiedKey(db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
        db.keyspace.dirty++;
      }
      c.reply.bulkOrNull(old);
    },
  },
  {
    ...STRING,
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    since: "6.2.0",
    summary: "Returns the string value of a key after setting its expiration time.",
    syntax:
      "key [EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | PERSIST]:expiration",
    meta: { keyFlags: "RW access update", notes: "RW and UPDATE because it changes the TTL" },
    run: (c, argv) => {
      const key = argv[1]!;
      const { flags, expire } = parseExtendedArgs(argv, 2, false);
      // Redis looks the key up (null, WRONGTYPE) before it validates the expire time.
      const value = c.db.getString(key);
      if (value === undefined) {
        c.reply.nullBulk();
        return;
      }
      const when = expire === undefined ? undefined : expireMilliseconds(expire, flags, "getex");
      c.reply.bulk(value);
      const db = c.db;
      if ((flags & (EXAT | PXAT)) && when! <= now()) {
        db.delete(key);
        if (propagating()) {
          const del = c.server.config.bool("lazyfree-lazy-expire") ? "UNLINK" : "DEL";
          c.propagateAs = [[del, key]];
        }
        signalModifiedKey(db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
        db.keyspace.dirty++;
      } else if (when !== undefined) {
        db.setExpire(key, when);
        if (propagating()) c.propagateAs = [["PEXPIREAT", key, String(when)]];
        signalModifiedKey(db, key);
        notifyKeyspaceEvent(NOTIFY_GENERIC, "expire", key, db.id);
        db.keyspace.dirty++;
      } else if ((flags & PERSIST) && db.persist(key)) {
        signalModifiedKey(db, key);
        if (propagating()) c.propagateAs = [["PERSIST", key]];
        notifyKeyspaceEvent(NOTIFY_GENERIC, "persist", key, db.id);
        db.keyspace.dirty++;
      }
    },
  },
  {
    ...STRING,
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    since: "1.0.0",
    summary: "Atomically returns the string values of one or more keys.",
    complexity: "O(N) where N is the number of keys to retrieve.",
    syntax: "key [key ...]",
    keys: { first: 1, last: -1, step: 1 },
    meta: { tips: ["request_policy:multi_shard"] },
    run: (c, argv) => {
      c.reply.array(argv.length - 1);
      for (let i = 1; i < argv.length; i++) {
        const value = c.db.lookupRead(argv[i]!);
        if (typeof value === "string") c.reply.bulk(value);
        else c.reply.nullBulk();
      }
    },
  },
  {
    ...STRING,
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    since: "1.0.1",
    summary: "Atomically creates or modifies the string values of one or more keys.",
    complexity: "O(N) where N is the number of keys to set.",
    syntax: "key value [key value ...]",
    keys: { first: 1, last: -1, step: 2 },
    meta: {
      keyFlags: "OW update",
      tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
    },
    run: (c, argv) => {
      if (argv.length % 2 === 0) throw new ReplyError(wrongArity("mset"));
      msetGeneric(c, argv);
      c.reply.ok();
    },
  },
  {
    ...STRING,
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    since: "1.0.1",
    summary:
      "Atomically modifies the string values of one or more keys only when all keys don't exist.",
    complexity: "O(N) where N is the number of keys to set.",
    syntax: "key value [key value ...]",
    keys: { first: 1, last: -1, step: 2 },
    meta: {
      keyFlags: "OW insert",
      tips: ["request_policy:multi_shard", "response_policy:agg_min"],
    },
    run: (c, argv) => {
      if (argv.length % 2 === 0) throw new ReplyError(wrongArity("msetnx"));
      for (let i = 1; i < argv.length; i += 2) {
        if (c.db.lookupWrite(argv[i]!) !== undefined) {
          c.reply.integer(0);
          return;
        }
      }
      msetGeneric(c, argv);
      c.reply.integer(1);
    },
  },
  {
    ...STRING,
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "2.0.0",
    summary: "Appends a string to the value of a key. Creates the key if it doesn't exist.",
    syntax: "key value",
    meta: { keyFlags: "RW insert" },
    run: (c, argv) => {
      const key = argv[1]!, db = c.db;
      const current = db.getStringForWrite(key);
      let length = argv[2]!.length;
      if (current === undefined) {
        db.set(key, argv[2]!);
      } else {
        checkStringLength(c, current.length + argv[2]!.length);
        const value = current + argv[2]!;
        db.overwrite(key, value);
        db.stringEncodings.set(key, "raw");
        length = value.length;
      }
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_STRING, "append", key, db.id);
      db.keyspace.dirty++;
      c.reply.integer(length);
    },
  },
  {
    ...STRING,
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    since: "2.2.0",
    summary: "Returns the length of a string value.",
    syntax: "key",
    meta: { keyFlags: "RO" },
    run: (c, argv) => {
      const value = c.db.getString(argv[1]!);
      c.reply.integer(value === undefined ? 0 : value.length);
    },
  },
  {
    ...STRING,
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary:
      "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
    syntax: "key",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => incrDecr(c, argv[1]!, 1),
  },
  {
    ...STRING,
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary:
      "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
    syntax: "key",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => incrDecr(c, argv[1]!, -1),
  },
  {
    ...STRING,
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary:
      "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
    syntax: "key increment:integer",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => incrDecr(c, argv[1]!, integerArg(argv[2]!)),
  },
  {
    ...STRING,
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "1.0.0",
    summary:
      "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
    syntax: "key decrement:integer",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => {
      const decr = integerArg(argv[2]!);
      if (decr === LLONG_MIN) throw new ReplyError("ERR decrement would overflow");
      incrDecr(c, argv[1]!, negate(decr));
    },
  },
  {
    ...STRING,
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    since: "2.6.0",
    summary:
      "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
    syntax: "key increment:double",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => {
      const key = argv[1]!;
      const current = c.db.getStringForWrite(key);
      const zero: LongDouble = { neg: false, mant: 0n, exp: 0 };
      const value = current === undefined ? zero : longDoubleArg(current);
      const incr = longDoubleArg(argv[2]!);
      // Both must parse before an infinity makes the sum inf or NaN (Redis's order of errors).
      if (typeof value === "string" || typeof incr === "string") {
        throw new ReplyError(NAN_OR_INFINITY);
      }
      const sum = addLongDouble(value, incr);
      if (sum === null) throw new ReplyError(NAN_OR_INFINITY);
      const text = formatLongDoubleHuman(sum);
      const db = c.db;
      if (current === undefined) db.set(key, text);
      else db.overwrite(key, text);
      db.stringEncodings.set(key, text.length <= 44 ? "embstr" : "raw");
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_STRING, "incrbyfloat", key, db.id);
      db.keyspace.dirty++;
      // Replayed as the result: float formatting must not be redone elsewhere.
      if (propagating()) c.propagateAs = [["SET", key, text, "KEEPTTL"]];
      c.reply.bulk(text);
    },
  },
  {
    ...STRING,
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    since: "2.4.0",
    summary: "Returns a substring of the string stored at a key.",
    complexity: "O(N) where N is the length of the returned string.",
    syntax: "key start:integer end:integer",
    run: getrange,
  },
  {
    ...STRING,
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    since: "1.0.0",
    summary: "Returns a substring from a string value.",
    complexity: "O(N) where N is the length of the returned string.",
    syntax: "key start:integer end:integer",
    run: getrange,
  },
  {
    ...STRING,
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    since: "2.2.0",
    summary:
      "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
    syntax: "key offset:integer value",
    run: (c, argv) => {
      const key = argv[1]!;
      const patch = argv[3]!;
      const offset = integerArg(argv[2]!);
      if (offset < 0) throw new ReplyError("ERR offset is out of range");
      const current = c.db.getStringForWrite(key);
      if (patch.length === 0) {
        c.reply.integer(current === undefined ? 0 : current.length);
        return;
      }
      if (typeof offset !== "number") throw new ReplyError(STRING_TOO_LONG);
      checkStringLength(c, offset + patch.length);
      const base = current ?? "";
      const padded = base.length < offset ? base + "\0".repeat(offset - base.length) : base;
      const value = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
      const db = c.db;
      if (current === undefined) db.set(key, value);
      else db.overwrite(key, value);
      db.stringEncodings.set(key, "raw");
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_STRING, "setrange", key, db.id);
      db.keyspace.dirty++;
      c.reply.integer(value.length);
    },
  },
  {
    ...STRING,
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    since: "7.0.0",
    summary: "Finds the longest common substring.",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    syntax: "key1:key key2:key [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]",
    keys: { first: 1, last: 2, step: 1 },
    run: lcs,
  },
];
