// What the data set costs in V8's heap: per-type byte estimators (Redis's objectComputeSize in
// object.c) and used_memory as a running total kept by the keyspace's write paths, so that
// maxmemory can be checked in O(1) before every command. The constants are V8's layouts on
// 64-bit Deno without pointer compression (measured: bench/memory.ts checks the estimate
// against the heap).
import type { Db, Keyspace, RedisObject, Value } from "./keyspace.ts";
import { HashObject } from "./hash.ts";
import { SetObject } from "./set.ts";
import { Zset } from "./zset.ts";
import { ListObject } from "./list.ts";
import { ByteString } from "./byte_string.ts";
import { initialAccess } from "./lru.ts";

const WORD = 8;
/** A JS object's map, properties and elements words. */
const OBJECT_HEADER = 3 * WORD;
/** A JSArray (header + length) and its FixedArray backing store's header. */
const ARRAY_HEADER = 4 * WORD + 2 * WORD;
/** A boxed double (a score or expire time that is not a small integer). */
const HEAP_NUMBER = 2 * WORD;
/** A JSTypedArray plus its JSArrayBuffer, not counting the bytes. */
const TYPED_ARRAY = 160;
/** An OrderedHashMap slot: a 3-word entry plus half a bucket word. */
const MAP_SLOT = 3 * WORD + WORD / 2;
/** The JSMap and the hash table's header. */
const MAP_HEADER = 4 * WORD + 3 * WORD;

/** A flat one-byte string of `length` chars: map, hash and length words, then the bytes. */
export function stringBytes(length: number): number {
  return (2 * WORD + length + 7) & ~7;
}

/** A Map of n entries: V8 keeps a power-of-two number of slots, at least 4. */
export function mapBytes(n: number): number {
  if (n === 0) return 0;
  const capacity = n <= 4 ? 4 : n <= 1 << 30 ? 1 << (32 - Math.clz32(n - 1)) : 2 ** 31;
  return MAP_HEADER + capacity * MAP_SLOT;
}

/** An array of n elements grown by push (V8 grows by half again plus 16): 1.25x on average. */
function arrayBytes(n: number, exact = false): number {
  return ARRAY_HEADER + (exact ? n : Math.ceil(n * 1.25)) * WORD;
}

/** A score or other number in a tagged slot: boxed unless it is a 31-bit integer (a Smi). */
function numberBytes(n: number): number {
  return (n | 0) === n ? 0 : HEAP_NUMBER;
}

/** What samples = 0 means: every element. */
const ALL = Number.MAX_SAFE_INTEGER;

/**
 * Bytes of a value in the heap, the key excluded. Big collections are estimated from up to
 * `samples` elements (0: all), like MEMORY USAGE's SAMPLES.
 */
export function valueBytes(value: Value, samples: number): number {
  if (typeof value === "string") return stringBytes(value.length);
  return objectBytes(value, samples === 0 ? ALL : samples);
}

function objectBytes(value: RedisObject, samples: number): number {
  if (value instanceof ByteString) {
    return OBJECT_HEADER + 4 * WORD + TYPED_ARRAY + value.buf.byteLength;
  }
  if (value instanceof HashObject) return hashBytes(value, samples);
  if (value instanceof SetObject) return setBytes(value, samples);
  if (value instanceof Zset) return zsetBytes(value as unknown as ZsetView, samples);
  if (value instanceof ListObject) return listBytes(value as unknown as ListView, samples);
  return OBJECT_HEADER;
}

function hashBytes(h: HashObject, samples: number): number {
  const base = OBJECT_HEADER + 4 * WORD;
  const table = h.table;
  if (table === null) return base + stringBytes(h.lp.length);
  const pairs = table.pairs;
  const n = pairs.length >> 1;
  const sampled = Math.min(n, samples);
  let strings = 0;
  for (let i = 0; i < sampled * 2; i++) strings += stringBytes(pairs[i]!.length);
  const perPair = sampled === 0 ? 0 : strings / sampled;
  return base + OBJECT_HEADER + 2 * WORD + arrayBytes(n * 2) + mapBytes(table.index.size) +
    Math.round(perPair * n);
}

function setBytes(s: SetObject, samples: number): number {
  const base = OBJECT_HEADER + 4 * WORD;
  const ints = s.ints;
  if (ints !== null) {
    let boxed = 0;
    const sampled = Math.min(ints.length, samples);
    for (let i = 0; i < sampled; i++) {
      const v = ints[i]!;
      boxed += typeof v === "number" ? numberBytes(v) : 4 * WORD;
    }
    const perInt = sampled === 0 ? 0 : boxed / sampled;
    return base + arrayBytes(ints.length, ints.length < 64) + Math.round(perInt * ints.length);
  }
  const members = s.members;
  const n = members.length;
  const sampled = Math.min(n, samples);
  let strings = 0;
  for (let i = 0; i < sampled; i++) strings += stringBytes(members[i]!.length);
  const perMember = sampled === 0 ? 0 : strings / sampled;
  const index = s.index === null ? 0 : mapBytes(s.index.size);
  return base + arrayBytes(n, n < 64) + index + Math.round(perMember * n);
}

/** The parts of a Zset the estimate reads (private to lib/store/zset.ts). */
interface ZsetView {
  lp: string;
  big: { dict: Map<string, number> } | null;
}

/** A ScoreTree element: the member and score slots in a leaf (3/4 full on average). */
const TREE_ELEMENT = 48;

function zsetBytes(z: ZsetView, samples: number): number {
  const base = OBJECT_HEADER + 4 * WORD;
  const big = z.big;
  if (big === null) return base + stringBytes(z.lp.length);
  const dict = big.dict;
  const n = dict.size;
  let sampled = 0, bytes = 0;
  for (const [member, score] of dict) {
    if (sampled === samples) break;
    bytes += stringBytes(member.length) + numberBytes(score);
    sampled++;
  }
  const perMember = sampled === 0 ? 0 : bytes / sampled;
  return base + OBJECT_HEADER + 2 * WORD + mapBytes(n) + n * TREE_ELEMENT +
    Math.round(perMember * n);
}

/** The parts of a ListObject the estimate reads (its quicklist nodes are private). */
interface ListNode {
  p: string;
  n: number;
  next: ListNode | null;
}
interface ListView {
  p: string;
  q: { count: number; head: ListNode } | null;
}

/** A quicklist node object (prev, next, p, n, pend) and its string's header. */
const LIST_NODE = OBJECT_HEADER + 5 * WORD + 2 * WORD;

function listBytes(l: ListView, samples: number): number {
  const base = OBJECT_HEADER + 6 * WORD;
  const q = l.q;
  if (q === null) return base + stringBytes(l.p.length);
  let nodes = 0, entries = 0, bytes = 0;
  for (let node: ListNode | null = q.head; node !== null && nodes < samples; node = node.next) {
    nodes++;
    entries += node.n;
    bytes += node.p.length;
  }
  if (entries === 0) return base;
  const totalNodes = Math.ceil((q.count * nodes) / entries);
  return base + OBJECT_HEADER + 3 * WORD + totalNodes * LIST_NODE +
    Math.round((bytes / entries) * q.count);
}

/** Samples for the estimate kept in used_memory (MEMORY USAGE's default, 5, plus margin). */
const TRACKED_SAMPLES = 8;

/** Bytes a key and its value add to used_memory, besides the dbs' maps (the running total). */
export function trackedBytes(key: string, value: Value): number {
  return stringBytes(key.length) + trackedValueBytes(value);
}

/**
 * What a value stored by a write adds to the running total now: a string its bytes; an object
 * nothing yet — it is queued and sized once, by the next refresh (the command usually fills it
 * after storing it, so sizing it here would be done twice).
 */
export function storedValueBytes(keyspace: Keyspace, value: Value): number {
  if (typeof value === "string") return stringBytes(value.length);
  value.mem = 0;
  keyspace.changedObjects.add(value);
  return 0;
}

/** A value's share of the running total; an object remembers it in `mem` for the next change. */
export function trackedValueBytes(value: Value): number {
  if (typeof value === "string") return stringBytes(value.length);
  return value.mem = objectBytes(value, TRACKED_SAMPLES);
}

/** The tables of a db: dict, access data and expires, with their boxed expire times. */
export function dbOverheadBytes(db: Db): number {
  return mapBytes(db.dict.size) + mapBytes(db.access.size) + mapBytes(db.expires.size) +
    db.expires.size * HEAP_NUMBER;
}

/**
 * Re-estimates the objects changed in place since the last call (handed out by lookupWrite or
 * stored by set): their new size replaces the old one in the running total.
 */
export function refreshChangedObjects(keyspace: Keyspace): void {
  const changed = keyspace.changedObjects;
  for (const value of changed) {
    // A negative mem marks a value no longer in the keyspace.
    if (value.mem < 0) continue;
    const old = value.mem;
    keyspace.bytes += trackedValueBytes(value) - old;
  }
  changed.clear();
}

/** The data set's estimated bytes: keys, values and the dbs' tables. */
export function datasetBytes(keyspace: Keyspace): number {
  if (keyspace.changedObjects.size !== 0) refreshChangedObjects(keyspace);
  let overhead = 0, keys = 0;
  for (const db of keyspace.dbs) {
    if (db.dict.size === 0) continue;
    overhead += dbOverheadBytes(db);
    keys += db.dict.size;
  }
  if (keys !== keyspace.trackedKeys) recomputeBytes(keyspace);
  return keyspace.bytes + overhead;
}

/** Recomputes the running total from every key (after a load that bypassed the write paths). */
export function recomputeBytes(keyspace: Keyspace): void {
  keyspace.changedObjects.clear();
  let total = 0, keys = 0;
  const config = keyspace.accessConfig;
  for (const db of keyspace.dbs) {
    const access = db.access;
    const fresh = initialAccess(config);
    for (const [key, value] of db.dict) {
      total += trackedBytes(key, value);
      if (config.track && !access.has(key)) access.set(key, fresh);
    }
    keys += db.dict.size;
  }
  keyspace.bytes = total;
  keyspace.trackedKeys = keys;
}

/** Bytes of the keys and values of a dict being dropped (FLUSHDB); its objects are marked gone. */
export function untrackDict(dict: Map<string, Value>): number {
  let total = 0;
  for (const [key, value] of dict) {
    total += stringBytes(key.length);
    if (typeof value === "string") total += stringBytes(value.length);
    else {
      total += Math.max(0, value.mem);
      value.mem = -1;
    }
  }
  return total;
}

/** MEMORY USAGE: the key, its dict entry, its value and its access data. */
export function keyMemoryUsage(db: Db, key: string, value: Value, samples: number): number {
  const entry = MAP_SLOT + (db.access.has(key) ? MAP_SLOT : 0) +
    (db.expires.has(key) ? MAP_SLOT + HEAP_NUMBER : 0);
  return stringBytes(key.length) + entry + valueBytes(value, samples);
}
