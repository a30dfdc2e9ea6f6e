// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. Mirrors
// Redis's bitops.c; a bitmap is an ordinary string value (GET returns it), edited as bytes.
import type { Client } from "../client.ts";
import {
  BIT_OFFSET,
  BIT_VALUE,
  BITFIELD_OVERFLOW,
  BITFIELD_RO_WRITE,
  BITFIELD_TYPE,
  BITOP_NOT,
  BITPOS_BIT,
  NOT_INTEGER,
  ReplyError,
  SYNTAX,
} from "../errors.ts";
import type { Db } from "../store/keyspace.ts";
import {
  bytesOf,
  ByteString,
  editable,
  lookupStringRead,
  lookupStringWrite,
  storeString,
} from "../store/byte_string.ts";
import {
  bitpos,
  bitsInByte,
  checkSignedOverflow,
  checkUnsignedOverflow,
  getSignedBitfield,
  getUnsignedBitfield,
  type OverflowResult,
  type OverflowType,
  popcount,
  setBitfield,
} from "../store/bitops.ts";
import { parseInteger } from "../util/numbers.ts";
import { integerArg } from "./args.ts";
import type { Command } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_STRING,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";

/** An argument as strcasecmp sees it: lowercase, cut at the first NUL byte. */
function cArg(arg: string): string {
  const nul = arg.indexOf("\0");
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

/**
 * getBitOffsetFromArgument: a bit offset below proto-max-bulk-len bytes. With `bits` (BITFIELD)
 * an offset written `#n` means n * bits, multiplied in 64 bits like Redis.
 */
function bitOffsetArg(c: Client, text: string, bits = 0): number {
  const usehash = bits > 0 && text.charCodeAt(0) === 35; // '#'
  const parsed = parseInteger(usehash ? text.slice(1) : text);
  if (parsed === null) throw new ReplyError(BIT_OFFSET);
  const max = c.server.config.num("proto-max-bulk-len");
  if (typeof parsed === "number" && !usehash) {
    if (parsed < 0 || Math.floor(parsed / 8) >= max) throw new ReplyError(BIT_OFFSET);
    return parsed;
  }
  let offset = BigInt(parsed);
  if (usehash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || offset >> 3n >= BigInt(max)) throw new ReplyError(BIT_OFFSET);
  return Number(offset);
}

/**
 * lookupStringForBitCommand: the string at key grown to hold bit `maxbit`, whether it is new,
 * and whether it is new or grew (a change even if no bit does).
 */
function lookupForBitWrite(
  db: Db,
  key: string,
  maxbit: number,
): [ByteString, boolean, boolean] {
  const current = lookupStringWrite(db, key);
  const length = Math.floor(maxbit / 8) + 1;
  if (current === undefined) return [ByteString.zeros(length), true, true];
  const value = editable(current);
  const before = value.length;
  value.grow(length);
  return [value, false, value.length !== before];
}

/** An int64 argument as a bigint, or "value is not an integer". */
function int64Arg(text: string): bigint {
  return BigInt(integerArg(text));
}

/**
 * The start/end arithmetic of BITCOUNT and BITPOS: negative indexes count from the end, both
 * are clamped into the string (an empty result has start > end).
 */
function clampRange(start: bigint, end: bigint, totlen: number): [number, number] {
  const len = BigInt(totlen);
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  return [Number(start), Number(end)];
}

/** Set bits among bits [from, to] of bytes. */
function countBits(bytes: Uint8Array, from: number, to: number): number {
  const first = from >> 3, last = to >> 3;
  // Whole bytes, less the bits of the edge bytes that lie outside the range.
  return popcount(bytes, first, last + 1) -
    bitsInByte(bytes[first]! >> (8 - (from & 7))) -
    bitsInByte(bytes[last]! & ((1 << (7 - (to & 7))) - 1));
}

function setbitCommand(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]!);
  const on = parseInteger(argv[3]!);
  if (on !== 0 && on !== 1) throw new ReplyError(BIT_VALUE);
  const db = c.db, key = argv[1]!;
  const [value, isNew, changed] = lookupForBitWrite(db, key, offset);
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const old = value.buf[byte]!;
  value.buf[byte] = on === 1 ? old | mask : old & ~mask;
  storeString(db, key, value, isNew);
  // Setting a bit to the value it has is no write (unless the string was made or grown).
  if (changed || ((old & mask) !== 0) !== (on === 1)) {
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "setbit", key, db.id);
    db.keyspace.dirty++;
  }
  c.reply.integer((old & mask) !== 0 ? 1 : 0);
}

function getbitCommand(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]!);
  const value = lookupStringRead(c.db, argv[1]!);
  const byte = Math.floor(offset / 8);
  if (value === undefined || byte >= value.length) {
    c.reply.integer(0);
    return;
  }
  const bits = typeof value === "string" ? value.charCodeAt(byte) : value.buf[byte]!;
  c.reply.integer((bits >> (7 - (offset % 8))) & 1);
}

/** BYTE or BIT: true for BIT. */
function unitArg(text: string): boolean {
  const unit = cArg(text);
  if (unit === "bit") return true;
  if (unit === "byte") return false;
  throw new ReplyError(SYNTAX);
}

function bitcountCommand(c: Client, argv: string[]): void {
  const value = lookupStringRead(c.db, argv[1]!);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  let start: number, end: number;
  let isbit = false;
  if (argv.length === 4 || argv.length === 5) {
    const s = int64Arg(argv[2]!), e = int64Arg(argv[3]!);
    if (s < 0n && e < 0n && s > e) {
      c.reply.integer(0);
      return;
    }
    if (argv.length === 5) isbit = unitArg(argv[4]!);
    [start, end] = clampRange(s, e, isbit ? value.length * 8 : value.length);
  } else if (argv.length === 2) {
    [start, end] = [0, value.length - 1];
  } else {
    throw new ReplyError(SYNTAX);
  }
  if (start > end) {
    c.reply.integer(0);
    return;
  }
  const bytes = bytesOf(value);
  c.reply.integer(isbit ? countBits(bytes, start, end) : popcount(bytes, start, end + 1));
}

function bitposCommand(c: Client, argv: string[]): void {
  const bit = parseInteger(argv[2]!);
  if (bit === null) throw new ReplyError(NOT_INTEGER);
  if (bit !== 0 && bit !== 1) throw new ReplyError(BITPOS_BIT);
  const value = lookupStringRead(c.db, argv[1]!);
  if (value === undefined) {
    // A missing key is an endless run of zero bits.
    c.reply.integer(bit === 1 ? -1 : 0);
    return;
  }
  let start: number, end: number;
  let isbit = false, endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const s = int64Arg(argv[3]!);
    if (argv.length === 6) isbit = unitArg(argv[5]!);
    let e = BigInt(value.length - 1);
    if (argv.length >= 5) {
      e = int64Arg(argv[4]!);
      endGiven = true;
    }
    [start, end] = clampRange(s, e, isbit ? value.length * 8 : value.length);
  } else if (argv.length === 3) {
    [start, end] = [0, value.length - 1];
  } else {
    throw new ReplyError(SYNTAX);
  }
  if (start > end) {
    c.reply.integer(-1);
    return;
  }
  const from = isbit ? start : start * 8, to = isbit ? end : end * 8 + 7;
  const pos = bitpos(bytesOf(value), from, to, bit);
  // Looking for a clear bit without an explicit end, the string continues with zeros.
  if (pos === -1 && bit === 0 && !endGiven) c.reply.integer(to + 1);
  else c.reply.integer(pos);
}

const enum BitOp {
  And,
  Or,
  Xor,
  Not,
}

function bitopCommand(c: Client, argv: string[]): void {
  const name = cArg(argv[1]!);
  const op = name === "and"
    ? BitOp.And
    : name === "or"
    ? BitOp.Or
    : name === "xor"
    ? BitOp.Xor
    : name === "not"
    ? BitOp.Not
    : undefined;
  if (op === undefined) throw new ReplyError(SYNTAX);
  if (op === BitOp.Not && argv.length !== 4) throw new ReplyError(BITOP_NOT);
  const sources: Uint8Array[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const value = lookupStringRead(c.db, argv[j]!);
    const bytes = value === undefined ? new Uint8Array(0) : bytesOf(value);
    sources.push(bytes);
    if (bytes.length > maxlen) maxlen = bytes.length;
  }
  const dest = argv[2]!;
  const db = c.db;
  if (maxlen === 0) {
    if (db.delete(dest)) {
      signalModifiedKey(db, dest);
      notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dest, db.id);
      db.keyspace.dirty++;
    }
    c.reply.integer(0);
    return;
  }
  // Sources shorter than the longest one read as zero bytes past their end.
  const res = new Uint8Array(maxlen);
  const first = sources[0]!;
  res.set(first);
  if (op === BitOp.Not) {
    for (let i = 0; i < maxlen; i++) res[i] = ~res[i]! & 0xff;
  } else {
    for (let j = 1; j < sources.length; j++) {
      const src = sources[j]!;
      const n = src.length;
      if (op === BitOp.And) {
        for (let i = 0; i < n; i++) res[i]! &= src[i]!;
        res.fill(0, n);
      } else if (op === BitOp.Or) {
        for (let i = 0; i < n; i++) res[i]! |= src[i]!;
      } else {
        for (let i = 0; i < n; i++) res[i]! ^= src[i]!;
      }
    }
  }
  storeString(db, dest, new ByteString(res, maxlen), true);
  signalModifiedKey(db, dest);
  notifyKeyspaceEvent(NOTIFY_STRING, "set", dest, db.id);
  db.keyspace.dirty++;
  c.reply.integer(maxlen);
}

interface BitfieldOp {
  kind: "get" | "set" | "incrby";
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: OverflowType;
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63. */
function bitfieldTypeArg(text: string): [boolean, number] {
  const nul = text.indexOf("\0");
  const type = nul < 0 ? text : text.slice(0, nul);
  const sign = type.charCodeAt(0);
  if (sign !== 105 && sign !== 117) throw new ReplyError(BITFIELD_TYPE); // 'i', 'u'
  const signed = sign === 105;
  const bits = parseInteger(type.slice(1));
  if (typeof bits !== "number" || bits < 1 || bits > (signed ? 64 : 63)) {
    throw new ReplyError(BITFIELD_TYPE);
  }
  return [signed, bits];
}

/** bitfieldGeneric: parses every operation, then runs them in order on one value. */
function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow: OverflowType = "wrap";
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const sub = cArg(argv[j]!);
    let kind: BitfieldOp["kind"];
    if (sub === "get" && remargs >= 2) kind = "get";
    else if (sub === "set" && remargs >= 3) kind = "set";
    else if (sub === "incrby" && remargs >= 3) kind = "incrby";
    else if (sub === "overflow" && remargs >= 1) {
      const type = cArg(argv[++j]!);
      if (type !== "wrap" && type !== "sat" && type !== "fail") {
        throw new ReplyError(BITFIELD_OVERFLOW);
      }
      overflow = type;
      continue;
    } else {
      throw new ReplyError(SYNTAX);
    }
    const [signed, bits] = bitfieldTypeArg(argv[j + 1]!);
    const offset = bitOffsetArg(c, argv[j + 2]!, bits);
    let value = 0n;
    if (kind !== "get") {
      readonly = false;
      highest = Math.max(highest, offset + bits - 1);
      value = int64Arg(argv[j + 3]!);
    }
    ops.push({ kind, offset, bits, signed, value, overflow });
    j += kind === "get" ? 2 : 3;
  }

  const db = c.db, key = argv[1]!;
  let target: ByteString | undefined;
  let isNew = false;
  let source: string | ByteString | undefined;
  if (readonly) {
    source = lookupStringRead(db, key);
  } else {
    if (readonlyCommand) throw new ReplyError(BITFIELD_RO_WRITE);
    [target, isNew] = lookupForBitWrite(db, key, highest);
    source = target;
  }

  c.reply.array(ops.length);
  let changes = 0;
  for (const op of ops) {
    if (op.kind === "get") {
      // Up to 9 bytes at the field, zero past the end of the string (or of a missing key).
      const first = Math.floor(op.offset / 8);
      const window = new Uint8Array(9);
      if (source !== undefined) {
        const n = Math.min(9, source.length - first);
        for (let i = 0; i < n; i++) {
          window[i] = typeof source === "string"
            ? source.charCodeAt(first + i)
            : source.buf[first + i]!;
        }
      }
      const at = op.offset - first * 8;
      c.reply.integer(
        op.signed
          ? getSignedBitfield(window, at, op.bits)
          : getUnsignedBitfield(window, at, op.bits),
      );
      continue;
    }
    const buf = target!.buf;
    let result: OverflowResult, newval: bigint, retval: bigint;
    if (op.signed) {
      const oldval = getSignedBitfield(buf, op.offset, op.bits);
      if (op.kind === "incrby") {
        result = checkSignedOverflow(oldval, op.value, op.bits, op.overflow);
        newval = result.overflow !== 0 ? result.limit : oldval + op.value;
        retval = newval;
      } else {
        result = checkSignedOverflow(op.value, 0n, op.bits, op.overflow);
        newval = result.overflow !== 0 ? result.limit : op.value;
        retval = oldval;
      }
    } else {
      const oldval = getUnsignedBitfield(buf, op.offset, op.bits);
      const value = BigInt.asUintN(64, op.value);
      if (op.kind === "incrby") {
        result = checkUnsignedOverflow(oldval, op.value, op.bits, op.overflow);
        newval = result.overflow !== 0 ? result.limit : oldval + op.value;
        retval = newval;
      } else {
        result = checkUnsignedOverflow(value, 0n, op.bits, op.overflow);
        newval = result.overflow !== 0 ? result.limit : value;
        retval = oldval;
      }
    }
    if (result.overflow !== 0 && op.overflow === "fail") {
      c.reply.nullBulk();
    } else {
      c.reply.integer(BigInt.asIntN(64, retval));
      setBitfield(buf, op.offset, op.bits, newval);
      changes++;
    }
  }
  if (target === undefined) return;
  // A new key is stored even when every write failed (Redis creates it first).
  storeString(db, key, target, isNew);
  if (changes > 0) {
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_STRING, "setbit", key, db.id);
    db.keyspace.dirty += changes;
  }
}

/** The fields most bitmap commands share; a record spreads them first and may override them. */
const BITMAP: Pick<Command, "group" | "keys"> = {
  group: "bitmap",
  keys: { first: 1, last: 1, step: 1 },
};

const BITFIELD_OPERATION = "<GET encoding offset:integer | <[OVERFLOW <WRAP | SAT | FAIL>] " +
  "<SET encoding offset:integer value:integer | " +
  "INCRBY encoding offset:integer increment:integer>:write_operation>:write>:operation";

export const bitmapCommands: Command[] = [
  {
    ...BITMAP,
    name: "setbit",
    arity: 4,
    flags: ["write", "denyoom"],
    since: "2.2.0",
    summary:
      "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
    complexity: "O(1)",
    syntax: "key offset:integer value:integer",
    meta: { keyFlags: "RW access update" },
    run: setbitCommand,
  },
  {
    ...BITMAP,
    name: "getbit",
    arity: 3,
    flags: ["readonly", "fast"],
    since: "2.2.0",
    summary: "Returns a bit value by offset.",
    complexity: "O(1)",
    syntax: "key offset:integer",
    run: getbitCommand,
  },
  {
    ...BITMAP,
    name: "bitcount",
    arity: -2,
    flags: ["readonly"],
    since: "2.6.0",
    summary: "Counts the number of set bits (population counting) in a string.",
    complexity: "O(N)",
    syntax: "key [start:integer end:integer [BYTE | BIT]:index_unit]:index",
    run: bitcountCommand,
  },
  {
    ...BITMAP,
    name: "bitpos",
    arity: -3,
    flags: ["readonly"],
    since: "2.8.7",
    summary: "Finds the first set (1) or clear (0) bit in a string.",
    complexity: "O(N)",
    syntax: "key bit:integer [start:integer [end:integer [BYTE | BIT]:index_unit]:end_index]:index",
    run: bitposCommand,
  },
  {
    ...BITMAP,
    name: "bitop",
    arity: -4,
    flags: ["write", "denyoom"],
    since: "2.6.0",
    summary: "Performs bitwise operations on multiple strings, and stores the result.",
    complexity: "O(N)",
    syntax: "operation destkey:key key [key ...]",
    keys: { first: 2, last: -1, step: 1 },
    meta: {
      keySpecs: [
        { flags: "OW update", index: 2, range: [0, 1, 0] },
        { flags: "RO access", index: 3, range: [-1, 1, 0] },
      ],
    },
    run: bitopCommand,
  },
  {
    ...BITMAP,
    name: "bitfield",
    arity: -2,
    flags: ["write", "denyoom"],
    since: "3.2.0",
    summary: "Performs arbitrary bitfield integer operations on strings.",
    complexity: "O(1) for each subcommand specified",
    syntax: `key [${BITFIELD_OPERATION} [${BITFIELD_OPERATION} ...]]`,
    meta: {
      keyFlags: "RW access update variable_flags",
      notes: "This command allows both access and modification of the key",
    },
    run: (c, argv) => bitfieldGeneric(c, argv, false),
  },
  {
    ...BITMAP,
    name: "bitfield_ro",
    arity: -2,
    flags: ["readonly", "fast"],
    since: "6.0.0",
    summary: "Performs arbitrary read-only bitfield integer operations on strings.",
    complexity: "O(1) for each subcommand specified",
    syntax: "key [GET <encoding offset:integer> [GET <encoding offset:integer> ...]]",
    run: (c, argv) => bitfieldGeneric(c, argv, true),
  },
];
