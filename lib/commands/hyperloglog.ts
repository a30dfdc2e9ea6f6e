// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST. Mirrors the command half
// of Redis's hyperloglog.c; an HLL is a string value in Redis's own format (GET returns it).
import type { Client } from "../client.ts";
import { HLL_INVALID, HLL_WRONGTYPE, ReplyError } from "../errors.ts";
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
  cachedCount,
  createHll,
  decodeSparse,
  denseRegisters,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllAdd,
  hllCount,
  hllCountRaw,
  hllMerge,
  hllSet,
  hllSparseToDense,
  invalidateCache,
  isValidHll,
  setCachedCount,
} from "../store/hyperloglog.ts";
import type { Command } from "./types.ts";
import { NOTIFY_STRING, notifyKeyspaceEvent, signalModifiedKey } from "../keyspace_events.ts";

/** isHLLObjectOrReply for a value that exists: its bytes, or the WRONGTYPE reply's error. */
function hllBytes(value: string | ByteString): Uint8Array {
  const bytes = bytesOf(value);
  if (!isValidHll(bytes)) throw new ReplyError(HLL_WRONGTYPE);
  return bytes;
}

/**
 * dbUnshareStringValue of a value left unchanged: Redis turns it into a "raw" string (an
 * embstr HLL that PFADD or PFCOUNT touched reports raw in OBJECT ENCODING).
 */
function unshare(db: Db, key: string, value: string | ByteString): void {
  if (typeof value === "string") db.stringEncodings.set(key, "raw");
}

function sparseMax(c: Client): number {
  return c.server.config.num("hll-sparse-max-bytes");
}

function pfaddCommand(c: Client, argv: string[]): void {
  const db = c.db, key = argv[1]!;
  const current = lookupStringWrite(db, key);
  let hll: ByteString;
  let updated = 0;
  if (current === undefined) {
    hll = createHll();
    updated++;
  } else {
    hllBytes(current);
    hll = editable(current);
  }
  const max = sparseMax(c);
  let corrupt = false;
  for (let j = 2; j < argv.length; j++) {
    const result = hllAdd(hll, argv[j]!, max);
    if (result === 1) updated++;
    else if (result === -1) {
      corrupt = true;
      break;
    }
  }
  // Elements added before a corrupt spot stay added, as in Redis (it edits in place).
  if (updated > 0) {
    if (!corrupt) invalidateCache(hll.buf);
    storeString(db, key, hll, current === undefined);
    if (!corrupt) {
      signalModifiedKey(db, key);
      notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", key, db.id);
      db.keyspace.dirty += updated;
    }
  } else if (current !== undefined) {
    unshare(db, key, current);
  }
  if (corrupt) throw new ReplyError(HLL_INVALID);
  c.reply.integer(updated > 0 ? 1 : 0);
}

function pfcountCommand(c: Client, argv: string[]): void {
  const db = c.db;
  if (argv.length > 2) {
    // The cardinality of the union: registers merged one byte each, nothing written.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const value = lookupStringRead(db, argv[j]!);
      if (value === undefined) continue;
      if (!hllMerge(max, hllBytes(value))) throw new ReplyError(HLL_INVALID);
    }
    c.reply.integer(hllCountRaw(max));
    return;
  }
  const key = argv[1]!;
  const value = lookupStringRead(db, key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const bytes = hllBytes(value);
  const cached = cachedCount(bytes);
  if (cached >= 0) {
    unshare(db, key, value);
    c.reply.integer(cached);
    return;
  }
  const card = hllCount(bytes);
  if (card < 0) throw new ReplyError(HLL_INVALID);
  // The cache lives in the value's header: PFCOUNT changes the string (and so propagates).
  const hll = typeof value === "string" ? new ByteString(bytes, bytes.length) : value;
  setCachedCount(hll.buf, card);
  storeString(db, key, hll, false);
  signalModifiedKey(db, key);
  db.keyspace.dirty++;
  c.reply.integer(card);
}

function pfmergeCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const value = lookupStringRead(db, argv[j]!);
    if (value === undefined) continue;
    const bytes = hllBytes(value);
    if (bytes[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, bytes)) throw new ReplyError(HLL_INVALID);
  }
  const key = argv[1]!;
  // The destination was checked as the first source.
  const current = lookupStringWrite(db, key);
  const hll = current === undefined ? createHll() : editable(current);
  if (useDense && !hllSparseToDense(hll)) throw new ReplyError(HLL_INVALID);
  const sparse = sparseMax(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] !== 0) hllSet(hll, j, max[j]!, sparse);
  }
  invalidateCache(hll.buf);
  storeString(db, key, hll, current === undefined);
  signalModifiedKey(db, key);
  // Redis notifies PFMERGE as a PFADD: in effect a mass add of elements.
  notifyKeyspaceEvent(NOTIFY_STRING, "pfadd", key, db.id);
  db.keyspace.dirty++;
  c.reply.ok();
}

function pfdebugCommand(c: Client, argv: string[]): void {
  const db = c.db, key = argv[2]!;
  const current = lookupStringWrite(db, key);
  if (current === undefined) throw new ReplyError("ERR The specified key does not exist");
  hllBytes(current);
  const hll = editable(current);
  const nul = argv[1]!.indexOf("\0");
  const name = nul < 0 ? argv[1]! : argv[1]!.slice(0, nul);
  switch (name.toLowerCase()) {
    case "getreg": {
      if (hll.buf[4] === HLL_SPARSE) {
        if (!hllSparseToDense(hll)) throw new ReplyError(HLL_INVALID);
        storeString(db, key, hll, false);
        db.keyspace.dirty++; // an encoding change, propagated
      } else {
        unshare(db, key, current);
      }
      const registers = denseRegisters(hll.buf);
      c.reply.array(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) c.reply.integer(registers[j]!);
      return;
    }
    case "decode":
      unshare(db, key, current);
      if (hll.buf[4] !== HLL_SPARSE) throw new ReplyError("ERR HLL encoding is not sparse");
      c.reply.bulk(decodeSparse(hll.bytes));
      return;
    case "encoding":
      unshare(db, key, current);
      c.reply.simple(hll.buf[4] === HLL_DENSE ? "dense" : "sparse");
      return;
    case "todense": {
      const convert = hll.buf[4] === HLL_SPARSE;
      if (convert) {
        if (!hllSparseToDense(hll)) throw new ReplyError(HLL_INVALID);
        storeString(db, key, hll, false);
        db.keyspace.dirty++; // an encoding change, propagated
      } else {
        unshare(db, key, current);
      }
      c.reply.integer(convert ? 1 : 0);
      return;
    }
    default:
      unshare(db, key, current);
      throw new ReplyError(`ERR Unknown PFDEBUG subcommand '${name}'`);
  }
}

/**
 * PFSELFTEST: Redis's self-test of the register layout and of the estimate's error, with the
 * sparse and dense encodings of the same elements required to agree. Smaller than Redis's (20
 * register cycles, 100k elements) so that it stays well under a second.
 */
function pfselftestCommand(c: Client): void {
  // Test 1: registers keep the value written and leave their neighbours alone.
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 20; cycle++) {
    const scratch = createHll();
    hllSparseToDense(scratch);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      expected[i] = Math.floor(Math.random() * 64);
      if (expected[i] !== 0) hllSet(scratch, i, expected[i]!, 0);
    }
    const got = denseRegisters(scratch.buf);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      if (got[i] !== expected[i]) {
        throw new ReplyError(
          `TESTFAILED Register ${i} should be ${expected[i]} but is ${got[i]}`,
        );
      }
    }
  }
  // Test 2: the estimate stays within 6 standard errors, and sparse equals dense.
  const dense = new ByteString(new Uint8Array(HLL_DENSE_SIZE), HLL_DENSE_SIZE);
  dense.buf.set([72, 89, 76, 76, HLL_DENSE]);
  const sparse = createHll();
  const max = sparseMax(c);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seed = Math.floor(Math.random() * 4294967296);
  const ele = new Uint8Array(8);
  let checkpoint = 1;
  for (let j = 1; j <= 100000; j++) {
    // The element is the 8 bytes of j ^ seed, little endian, as in Redis (a 32-bit seed).
    const x = (j ^ seed) >>> 0;
    ele[0] = x & 0xff;
    ele[1] = (x >>> 8) & 0xff;
    ele[2] = (x >>> 16) & 0xff;
    ele[3] = x >>> 24;
    const s = String.fromCharCode(...ele);
    hllAdd(dense, s, max);
    hllAdd(sparse, s, max);
    if (j !== checkpoint) continue;
    if (j < max / 2 && sparse.buf[4] !== HLL_SPARSE) {
      throw new ReplyError("TESTFAILED sparse encoding not used");
    }
    const count = hllCount(dense.bytes);
    if (count !== hllCount(sparse.bytes)) throw new ReplyError("TESTFAILED dense/sparse disagree");
    const abserr = Math.abs(checkpoint - count);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) {
      throw new ReplyError(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    }
    checkpoint *= 10;
  }
  c.reply.ok();
}

/** The fields HyperLogLog commands share; a record spreads them first and may override them. */
const HLL: Pick<Command, "group" | "since" | "keys"> = {
  group: "hyperloglog",
  since: "2.8.9",
  keys: { first: 1, last: 1, step: 1 },
};

export const hyperloglogCommands: Command[] = [
  {
    ...HLL,
    name: "pfadd",
    arity: -2,
    flags: ["write", "denyoom", "fast"],
    summary: "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
    complexity: "O(1) to add every element.",
    syntax: "key [element [element ...]]",
    meta: { keyFlags: "RW insert" },
    run: pfaddCommand,
  },
  {
    ...HLL,
    name: "pfcount",
    arity: -2,
    flags: ["readonly"],
    summary:
      "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
    complexity:
      "O(1) with a very small average constant time when called with a single key. O(N) with N " +
      "being the number of keys, and much bigger constant times, when called with multiple keys.",
    syntax: "key [key ...]",
    keys: { first: 1, last: -1, step: 1 },
    meta: {
      keyFlags: "RW access",
      notes:
        "RW because it may change the internal representation of the key, and propagate to replicas",
    },
    run: pfcountCommand,
  },
  {
    ...HLL,
    name: "pfmerge",
    arity: -2,
    flags: ["write", "denyoom"],
    summary: "Merges one or more HyperLogLog values into a single key.",
    complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
    syntax: "destkey:key sourcekey:key [sourcekey:key ...]",
    keys: { first: 1, last: -1, step: 1 },
    meta: {
      keySpecs: [
        { flags: "RW access insert", index: 1, range: [0, 1, 0] },
        { flags: "RO access", index: 2, range: [-1, 1, 0] },
      ],
    },
    run: pfmergeCommand,
  },
  {
    ...HLL,
    name: "pfdebug",
    arity: 3,
    flags: ["write", "denyoom", "admin"],
    summary: "Internal commands for debugging HyperLogLog values.",
    complexity: "N/A",
    syntax: "subcommand key",
    keys: { first: 2, last: 2, step: 1 },
    meta: { keyFlags: "RW access" },
    run: pfdebugCommand,
  },
  {
    ...HLL,
    name: "pfselftest",
    arity: 1,
    flags: ["admin"],
    summary: "An internal command for testing HyperLogLog values.",
    complexity: "N/A",
    syntax: "",
    keys: undefined,
    run: pfselftestCommand,
  },
];
