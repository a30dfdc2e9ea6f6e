// Each type's RDB encoding both ways: what Redis 7.0 writes (rdbSaveObject) and every type an
// RDB 10 reader accepts (rdbLoadObject), older ziplist, zipmap and quicklist forms included.
import type { Value } from "../store/keyspace.ts";
import type { ByteString } from "../store/byte_string.ts";
import { ListObject } from "../store/list.ts";
import { type HashLimits, HashObject } from "../store/hash.ts";
import { type IntMember, SetObject } from "../store/set.ts";
import { Zset, type ZsetLimits } from "../store/zset.ts";
import { formatDouble, parseDouble } from "../util/numbers.ts";
import { listpack, ListpackBuilder, listpackEntries } from "./listpack.ts";
import { intsetBytes, intsetMembers } from "./intset.ts";
import { ziplistEntries, zipmapPairs } from "./ziplist.ts";
import type { RdbWriter } from "./rdb_writer.ts";
import { RdbError, type RdbReader } from "./rdb_reader.ts";

export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;

/** rdbIsObjectType: 0-7 and 9-19 (streams and module values included). */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** What encoding the saving side needs from the config. */
export interface SaveOptions {
  /** list-max-listpack-size: how quicklist nodes are cut. */
  listFill: number;
}

/** The conversion thresholds of the loading side (rdbLoadObject reads them from the config). */
export interface LoadLimits {
  hash: HashLimits;
  zset: ZsetLimits;
  maxIntset: number;
}

// ---- Saving ----

/** rdbSaveObjectType: the RDB type Redis 7.0 writes for a value in its current encoding. */
export function rdbType(value: Value): number {
  if (typeof value === "string") return RDB_TYPE_STRING;
  switch (value.type) {
    case "string":
      return RDB_TYPE_STRING;
    case "list":
      return RDB_TYPE_LIST_QUICKLIST_2;
    case "set":
      return (value as SetObject).ints !== null ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case "zset":
      return value.encoding() === "listpack" ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case "hash":
      return value.encoding() === "listpack" ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    default:
      throw new Error(`cannot save a ${value.type} value`);
  }
}

/** rdbSaveObject: a value's payload in the encoding rdbType named. */
export function writePayload(w: RdbWriter, value: Value, opts: SaveOptions): void {
  if (typeof value === "string") {
    w.string(value);
    return;
  }
  switch (value.type) {
    case "string":
      w.stringBytes((value as ByteString).bytes);
      return;
    case "list":
      writeQuicklist(w, value as ListObject, opts.listFill);
      return;
    case "set":
      writeSet(w, value as SetObject);
      return;
    case "zset":
      writeZset(w, value as Zset);
      return;
    case "hash":
      writeHash(w, value as HashObject);
      return;
    default:
      throw new Error(`cannot save a ${value.type} value`);
  }
}

/** The type byte and the payload of a value (a DUMP payload's body). */
export function writeValue(w: RdbWriter, value: Value, opts: SaveOptions): void {
  w.byte(rdbType(value));
  writePayload(w, value, opts);
}

/** Redis's listpack byte limits per negative list-max-listpack-size (optimization_level). */
const NODE_BYTES = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;

/** SIZE_ESTIMATE_OVERHEAD: what Redis assumes an entry adds to a listpack beyond its bytes. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * _quicklistNodeAllowInsert (Redis 7.0.15): whether an element of `sz` bytes joins a node of
 * `nodeBytes` bytes and `count` entries.
 */
function allowInsert(nodeBytes: number, count: number, fill: number, sz: number): boolean {
  const newSize = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const limit = NODE_BYTES[-fill - 1];
    if (limit !== undefined && newSize <= limit) return true;
  }
  if (newSize > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/**
 * A list as quicklist nodes of listpacks, cut where RPUSHing the elements one by one into a
 * Redis list would cut them, so the nodes of a list built that way come out identical.
 */
function writeQuicklist(w: RdbWriter, list: ListObject, fill: number): void {
  const nodes: Uint8Array[] = [];
  let node: ListpackBuilder | null = null;
  const it = list.iterator(0, false);
  while (it.next()) {
    const e = it.value();
    if (node !== null && !allowInsert(node.size, node.count, fill, e.length)) {
      nodes.push(node.finish());
      node = null;
    }
    node ??= new ListpackBuilder();
    node.append(e);
  }
  if (node !== null) nodes.push(node.finish());
  w.len(nodes.length);
  for (const lp of nodes) {
    w.len(QUICKLIST_NODE_CONTAINER_PACKED);
    w.stringBytes(lp);
  }
}

function writeSet(w: RdbWriter, set: SetObject): void {
  if (set.ints !== null) {
    w.stringBytes(intsetBytes(set.ints));
    return;
  }
  const members = set.members;
  w.len(members.length);
  for (let i = 0; i < members.length; i++) w.string(members[i]!);
}

/**
 * d2string as Redis 7.0 writes a score into a listpack: integers within ±2^62 in plain
 * digits (the listpack then stores them as integers), "-0" for negative zero, else %.17g.
 */
export function scoreText(score: number): string {
  if (score === 0) return Object.is(score, -0) ? "-0" : "0";
  if (Number.isInteger(score) && Math.abs(score) <= 4611686018427387904) {
    return Number.isSafeInteger(score) ? String(score) : BigInt(score).toString();
  }
  return formatDouble(score);
}

function writeZset(w: RdbWriter, z: Zset): void {
  const size = z.size;
  if (z.encoding() === "listpack") {
    const lp = new ListpackBuilder();
    z.forRange(0, size, false, (member, score) => {
      lp.append(member);
      lp.append(scoreText(score));
    });
    w.stringBytes(lp.finish());
    return;
  }
  // Highest score first, as Redis walks its skiplist from the tail.
  w.len(size);
  z.forRange(size - 1, size, true, (member, score) => {
    w.string(member);
    w.binaryDouble(score);
  });
}

function writeHash(w: RdbWriter, hash: HashObject): void {
  const pairs = hash.pairs();
  if (hash.encoding() === "listpack") {
    w.stringBytes(listpack(pairs));
    return;
  }
  w.len(pairs.length >> 1);
  for (let i = 0; i < pairs.length; i++) w.string(pairs[i]!);
}

// ---- Loading ----

function corrupt(what: string): never {
  throw new RdbError(what);
}

/**
 * rdbLoadObject: the value of an object of RDB type `type`, in the encoding Redis would give
 * it with these limits; null for an empty collection (Redis skips those keys).
 */
export function readValue(r: RdbReader, type: number, limits: LoadLimits): Value | null {
  switch (type) {
    case RDB_TYPE_STRING:
      return r.string();
    case RDB_TYPE_LIST: {
      const list = new ListObject();
      for (let n = r.len(); n > 0; n--) list.push(r.string(), false);
      return list.length === 0 ? null : list;
    }
    case RDB_TYPE_SET:
      return readSet(r, limits.maxIntset);
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2:
      return readZset(r, type === RDB_TYPE_ZSET_2, limits.zset);
    case RDB_TYPE_HASH:
      return readHash(r, limits.hash);
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      return readQuicklist(r, type === RDB_TYPE_LIST_QUICKLIST_2);
    case RDB_TYPE_HASH_ZIPMAP: {
      const pairs = zipmapPairs(r.stringBytes()) ?? corrupt("Zipmap integrity check failed.");
      let maxLength = 0;
      for (const s of pairs) maxLength = Math.max(maxLength, s.length);
      const hash = hashFromPairs(pairs, limits.hash);
      if (hash !== null && maxLength > limits.hash.maxValue) hash.convert();
      return hash;
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const entries = ziplistEntries(r.stringBytes()) ??
        corrupt("List ziplist integrity check failed.");
      const list = new ListObject();
      for (const e of entries) list.push(e, false);
      return list.length === 0 ? null : list;
    }
    case RDB_TYPE_SET_INTSET: {
      const ints = intsetMembers(r.stringBytes()) ?? corrupt("Intset integrity check failed.");
      return ints.length === 0 ? null : setFromInts(ints, limits.maxIntset);
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK: {
      const blob = r.stringBytes();
      const entries = type === RDB_TYPE_ZSET_LISTPACK
        ? listpackEntries(blob)
        : ziplistEntries(blob);
      if (entries === null || entries.length % 2 !== 0) {
        corrupt("Zset listpack integrity check failed.");
      }
      return zsetFromPairs(entries, limits.zset);
    }
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: {
      const blob = r.stringBytes();
      const pairs = type === RDB_TYPE_HASH_LISTPACK ? listpackEntries(blob) : ziplistEntries(blob);
      if (pairs === null || pairs.length % 2 !== 0) {
        corrupt("Hash listpack integrity check failed.");
      }
      return hashFromPairs(pairs, limits.hash);
    }
    default:
      if (isObjectType(type)) corrupt(`RDB type ${type} (streams, modules) is not supported`);
      corrupt(`Unknown RDB encoding type ${type}`);
  }
}

function readQuicklist(r: RdbReader, v2: boolean): ListObject | null {
  const list = new ListObject();
  for (let nodes = r.len(); nodes > 0; nodes--) {
    const container = v2 ? r.len() : QUICKLIST_NODE_CONTAINER_PACKED;
    if (
      container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN
    ) {
      corrupt("Quicklist integrity check failed.");
    }
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      list.push(r.string(), false);
      continue;
    }
    const blob = r.stringBytes();
    if (blob.length === 0) corrupt("Quicklist integrity check failed.");
    const entries = v2 ? listpackEntries(blob) : ziplistEntries(blob);
    if (entries === null) {
      corrupt(v2 ? "Listpack integrity check failed." : "Ziplist integrity check failed.");
    }
    for (const e of entries) list.push(e, false);
  }
  return list.length === 0 ? null : list;
}

function readSet(r: RdbReader, maxIntset: number): SetObject | null {
  const n = r.len();
  if (n === 0) return null;
  // Like Redis: a regular set when there are too many members for an intset.
  const set = n > maxIntset ? SetObject.hashtable() : SetObject.intset();
  for (let i = 0; i < n; i++) {
    if (!set.add(r.string(), Infinity)) corrupt("Duplicate set members detected");
  }
  return set;
}

function setFromInts(ints: IntMember[], maxIntset: number): SetObject {
  const set = SetObject.intset();
  if (ints.length <= maxIntset) {
    set.ints = ints;
    return set;
  }
  const table = SetObject.hashtable();
  for (const v of ints) table.add(String(v), 0);
  return table;
}

/** Sorts (score, member) pairs into Redis's order; duplicates are corrupt data. */
function sortedZset(members: string[], scores: number[], limits: ZsetLimits): Zset {
  const order = members.map((_, i) => i);
  order.sort((a, b) => {
    const sa = scores[a]!, sb = scores[b]!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ma = members[a]!, mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  const seen = new Set<string>();
  const ms: string[] = new Array(order.length), ss: number[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const m = members[order[i]!]!;
    if (seen.has(m)) corrupt("Duplicate zset fields detected");
    seen.add(m);
    ms[i] = m;
    ss[i] = scores[order[i]!]!;
  }
  return Zset.fromSorted(ms, ss, limits);
}

function readZset(r: RdbReader, binary: boolean, limits: ZsetLimits): Zset | null {
  const n = r.len();
  if (n === 0) return null;
  const members: string[] = new Array(n), scores: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    members[i] = r.string();
    const score = binary ? r.binaryDouble() : r.textDouble();
    if (Number.isNaN(score)) corrupt("Zset with NAN score detected");
    scores[i] = score;
  }
  // Redis converts to a listpack after loading when both limits allow it.
  return sortedZset(members, scores, limits);
}

/** A listpack or ziplist zset: it stays a listpack unless it has too many entries. */
function zsetFromPairs(entries: string[], limits: ZsetLimits): Zset | null {
  const n = entries.length >> 1;
  if (n === 0) return null;
  const members: string[] = new Array(n), scores: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    members[i] = entries[2 * i]!;
    const score = parseDouble(entries[2 * i + 1]!);
    if (score === null) corrupt("Zset listpack integrity check failed.");
    scores[i] = score;
  }
  return sortedZset(members, scores, { maxEntries: limits.maxEntries, maxValue: Infinity });
}

/** A listpack, ziplist or zipmap hash: it stays a listpack unless it has too many fields. */
function hashFromPairs(pairs: string[], limits: HashLimits): HashObject | null {
  if (pairs.length === 0) return null;
  const hash = new HashObject();
  const count = pairs.length >> 1;
  if (count > limits.maxEntries) hash.convert();
  const keep = { maxEntries: Infinity, maxValue: Infinity };
  for (let i = 0; i < pairs.length; i += 2) {
    if (!hash.set(pairs[i]!, pairs[i + 1]!, keep)) corrupt("Hash with dup elements");
  }
  return hash;
}

function readHash(r: RdbReader, limits: HashLimits): HashObject | null {
  const n = r.len();
  if (n === 0) return null;
  const hash = new HashObject();
  // Too many entries: a hash table from the start; else a listpack until a long string.
  if (n > limits.maxEntries) hash.convert();
  for (let i = 0; i < n; i++) {
    const field = r.string();
    const value = r.string();
    if (!hash.set(field, value, limits)) corrupt("Duplicate hash fields detected");
  }
  return hash;
}
