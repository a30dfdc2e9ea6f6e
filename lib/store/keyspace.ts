// The databases: keys to values, keys to expire times, lazy expiry and typed lookups.
// Mirrors Redis's db.c (lookupKeyRead/Write, setKey, dbDelete, expireIfNeeded).
import { ReplyError, WRONGTYPE } from "../errors.ts";
import { now } from "../clock.ts";
import { parseInteger } from "../util/numbers.ts";
import { ScanCursors } from "./scan.ts";
import { type AccessConfig, initialAccess, touchedAccess } from "./lru.ts";
import { storedValueBytes, stringBytes, untrackDict } from "./memory.ts";
import {
  keyExpired,
  NOTIFY_KEY_MISS,
  NOTIFY_NEW,
  notifyKeyspaceEvent,
} from "../keyspace_events.ts";

/**
 * Values other than JS strings; each data type's module defines one. A "string" object is a
 * string kept as mutable bytes by the bit and HyperLogLog commands (lib/store/byte_string.ts):
 * lookupRead/lookupWrite turn it back into a plain string, so other code never sees one.
 */
export interface RedisObject {
  readonly type: "string" | "list" | "hash" | "set" | "zset" | "stream";
  /** OBJECT ENCODING's answer. */
  encoding(): string;
  /** A deep copy that shares nothing mutable with this one (COPY). */
  duplicate(): RedisObject;
  /**
   * Bytes this value counts for in used_memory as last estimated (lib/store/memory.ts);
   * negative once the value has left the keyspace.
   */
  mem: number;
}

/** A string value is a byte string; anything else is a RedisObject. */
export type Value = string | RedisObject;

export function typeOf(value: Value): string {
  return typeof value === "string" ? "string" : value.type;
}

/**
 * Told before a key's value or expire time changes while BGSAVE writes a snapshot, so the old
 * value can be kept (lib/persistence/snapshot.ts). `dict` names the database by its map.
 */
export interface SnapshotHook {
  beforeWrite(dict: Map<string, Value>, key: string): void;
}

/** Called when a key is removed by expiry (lazily or by the active cycle). */
export type ExpiredListener = (db: Db, key: string) => void;

export class Db {
  dict = new Map<string, Value>();
  /** Absolute expire time in ms, only for keys that have one. */
  expires = new Map<string, number>();
  /**
   * Expire times beyond 2^53 ms (year 287396) exactly, as Redis's int64: `expires` then
   * holds the nearest double, which is enough to compare with the clock.
   */
  exactExpires = new Map<string, bigint>();
  /**
   * Strings whose Redis encoding is not the one their content implies: APPEND and SETRANGE
   * leave "raw" strings, INCRBYFLOAT an "embstr" even for "3", and COPY an "int" that is
   * not a shared integer object (OBJECT REFCOUNT 1). See `stringEncoding`.
   */
  stringEncodings = new Map<string, "raw" | "embstr" | "int">();
  /**
   * Per-key access data, Redis's 24-bit robj.lru: the LRU clock, or the LFU time and counter
   * under an LFU policy (lib/store/lru.ts). A Smi per key in its own map: no object per key.
   */
  access = new Map<string, number>();
  /** Round-robin position of the active expiry cycle and RANDOMKEY in this db. */
  expireCursor: Iterator<string> | null = null;
  randomCursor: Iterator<string> | null = null;

  constructor(readonly id: number, readonly keyspace: Keyspace) {}

  get size(): number {
    return this.dict.size;
  }

  /** True when the key has an expire time in the past (it is then logically gone). */
  isExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when <= now();
  }

  /** Deletes the key when it has expired; returns true if it did. */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined || when > now()) return false;
    this.deleteExpired(key);
    return true;
  }

  deleteExpired(key: string): void {
    this.removeKey(key);
    this.keyspace.stats.expiredKeys++;
    for (const listener of this.keyspace.expiredListeners) listener(this, key);
  }

  /**
   * The value for a read (counts a keyspace hit or miss, notifies a miss), or undefined.
   * `touch` false is Redis's LOOKUP_NOTOUCH: the access time stays (EXISTS, TYPE, TTL).
   */
  lookupRead(key: string, touch = true): Value | undefined {
    const value = this.lookupReadRaw(key, touch);
    if (typeof value === "object" && value.type === "string") return this.flatten(key, value);
    return value;
  }

  /** The value for a write, or undefined. */
  lookupWrite(key: string): Value | undefined {
    const value = this.lookupWriteRaw(key);
    if (typeof value === "object" && value.type === "string") return this.flatten(key, value);
    return value;
  }

  /** lookupRead that leaves a byte-backed string as it is (bit and HyperLogLog commands). */
  lookupReadRaw(key: string, touch = true): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const value = this.dict.get(key);
    if (value === undefined) {
      this.keyspace.stats.misses++;
      notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", key, this.id);
    } else {
      this.keyspace.stats.hits++;
      if (touch) this.touch(key);
    }
    return value;
  }

  /** Records an access to an existing key (lookupKey's LRU clock or LFU counter update). */
  touch(key: string): void {
    const config = this.keyspace.accessConfig;
    if (!config.track) return;
    this.access.set(key, touchedAccess(config, config.lfu ? this.access.get(key) : undefined));
  }

  /** lookupWrite that leaves a byte-backed string as it is (bit and HyperLogLog commands). */
  lookupWriteRaw(key: string): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    // The caller may change the value in place.
    const hook = this.keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    const value = this.dict.get(key);
    if (value !== undefined) {
      this.touch(key);
      // Its size is estimated again once the command is done with it.
      if (typeof value === "object") this.keyspace.changedObjects.add(value);
    }
    return value;
  }

  /** Replaces a byte-backed string by the plain string it holds; Redis calls it "raw". */
  private flatten(key: string, value: RedisObject): string {
    const s = value.toString();
    this.dict.set(key, s);
    this.keyspace.bytes += stringBytes(s.length) - Math.max(0, value.mem);
    value.mem = -1;
    this.stringEncodings.set(key, "raw");
    return s;
  }

  /** The string at key for reading; WRONGTYPE for other types. */
  getString(key: string): string | undefined {
    const value = this.lookupRead(key);
    if (value === undefined || typeof value === "string") return value;
    throw new ReplyError(WRONGTYPE);
  }

  /** The string at key for a write; WRONGTYPE for other types. */
  getStringForWrite(key: string): string | undefined {
    const value = this.lookupWrite(key);
    if (value === undefined || typeof value === "string") return value;
    throw new ReplyError(WRONGTYPE);
  }

  exists(key: string): boolean {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    return this.dict.has(key);
  }

  /**
   * setKey: stores the value and drops any expire time unless keepTtl. Like lookupKeyWrite
   * then dbAdd, an expired key goes first and a new key is notified ("new"). Writes count in
   * keyspace.dirty where each command says, as Redis's server.dirty, not here.
   */
  set(key: string, value: Value, keepTtl = false): void {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const keyspace = this.keyspace;
    const hook = keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    const old = this.dict.get(key);
    this.dict.set(key, value);
    if (old === undefined) {
      keyspace.bytes += stringBytes(key.length) + storedValueBytes(keyspace, value);
      keyspace.trackedKeys++;
      const config = keyspace.accessConfig;
      if (config.track) this.access.set(key, initialAccess(config));
      notifyKeyspaceEvent(NOTIFY_NEW, "new", key, this.id);
    } else {
      const freed = untrack(old);
      keyspace.bytes += storedValueBytes(keyspace, value) - freed;
      // setKey's lookupKeyWrite; an LFU counter carries over to the new value (dbSetValue).
      this.touch(key);
    }
    if (!keepTtl && this.expires.size !== 0) {
      this.expires.delete(key);
      if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    }
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
  }

  /** Replaces the value in place, keeping the expire time (APPEND, SETRANGE, INCR). */
  overwrite(key: string, value: Value): void {
    const keyspace = this.keyspace;
    const hook = keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    const old = this.dict.get(key);
    this.dict.set(key, value);
    const freed = old === undefined ? 0 : untrack(old);
    keyspace.bytes += storedValueBytes(keyspace, value) - freed;
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
  }

  delete(key: string): boolean {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    if (!this.dict.has(key)) return false;
    this.removeKey(key);
    return true;
  }

  /** Removes the key with its expire time and access data (dbDelete without the checks). */
  removeKey(key: string): void {
    const keyspace = this.keyspace;
    const hook = keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    const old = this.dict.get(key);
    if (old !== undefined) {
      keyspace.bytes -= stringBytes(key.length) + untrack(old);
      keyspace.trackedKeys--;
    }
    this.dict.delete(key);
    this.access.delete(key);
    if (this.expires.size !== 0) {
      this.expires.delete(key);
      if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    }
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
  }

  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  /** The expire time as Redis stores it: exact even beyond 2^53 (a bigint there). */
  getExpireExact(key: string): number | bigint | undefined {
    const when = this.getExpire(key);
    if (when === undefined || this.exactExpires.size === 0) return when;
    return this.exactExpires.get(key) ?? when;
  }

  setExpire(key: string, when: number): void {
    const hook = this.keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    this.expires.set(key, when);
    if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
  }

  /** setExpire for a time that may not fit a double exactly (EXPIRE's int64 arithmetic). */
  setExpireExact(key: string, when: number | bigint): void {
    const approx = Number(when);
    this.setExpire(key, approx);
    if (!Number.isSafeInteger(approx)) this.exactExpires.set(key, BigInt(when));
  }

  /** Removes the expire time; returns true if the key had one. */
  persist(key: string): boolean {
    const hook = this.keyspace.snapshotHook;
    if (hook !== null) hook.beforeWrite(this.dict, key);
    if (!this.expires.delete(key)) return false;
    if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    return true;
  }

  /** Moves a key's value, expire and string encoding to `to` under `toKey`. */
  moveKey(key: string, to: Db, toKey: string): void {
    const value = this.dict.get(key)!;
    const when = this.getExpireExact(key);
    const encoding = this.stringEncodings.get(key);
    const access = this.access.get(key);
    this.removeKey(key);
    to.set(toKey, value);
    // The object moves with its access data, as Redis's robj does.
    if (access !== undefined) to.access.set(toKey, access);
    if (when !== undefined) to.setExpireExact(toKey, when);
    if (encoding !== undefined) to.stringEncodings.set(toKey, encoding);
  }

  /**
   * COPY: stores a duplicate of key's value, with its expire time and encoding, in `to`
   * under `toKey` (replacing any value there). The key must exist.
   */
  copyKey(key: string, to: Db, toKey: string): void {
    const value = this.dict.get(key)!;
    const when = this.getExpireExact(key);
    let encoding = this.stringEncodings.get(key);
    let copy: Value;
    if (typeof value === "string") {
      copy = value;
      // Redis's dupStringObject makes a private integer object, never the shared one.
      if (encoding === undefined && this.stringEncoding(key, value) === "int") encoding = "int";
    } else {
      copy = value.duplicate();
    }
    to.set(toKey, copy);
    if (when !== undefined) to.setExpireExact(toKey, when);
    if (encoding !== undefined) to.stringEncodings.set(toKey, encoding);
  }

  /** Empties the db with new maps: a snapshot still writing the old ones sees them unchanged. */
  clear(): number {
    const removed = this.dict.size;
    const keyspace = this.keyspace;
    keyspace.scanCursors.forget(this.dict);
    if (removed !== 0) {
      const others = keyspace.dbs.some((db) => db !== this && db.dict.size !== 0);
      const freed = untrackDict(this.dict);
      keyspace.bytes = others ? keyspace.bytes - freed : 0;
      keyspace.trackedKeys = others ? keyspace.trackedKeys - removed : 0;
    }
    this.dict = new Map();
    this.access = new Map();
    this.expires = new Map();
    this.exactExpires = new Map();
    this.stringEncodings = new Map();
    this.expireCursor = null;
    this.randomCursor = null;
    return removed;
  }

  /**
   * A random live key, or undefined when the db is empty (RANDOMKEY). Every expired pick is
   * deleted, so the loop ends.
   */
  randomKey(): string | undefined {
    while (this.dict.size > 0) {
      const key = this.pickKey();
      if (!this.expireIfNeeded(key)) return key;
    }
    return undefined;
  }

  /**
   * Map has no random access: small dbs pick an exact uniform index; large ones advance a
   * rotating iterator by a random step, which is O(1) and still visits every key.
   */
  private pickKey(): string {
    const size = this.dict.size;
    if (size <= 256) {
      let index = Math.floor(Math.random() * size);
      for (const key of this.dict.keys()) if (index-- === 0) return key;
    }
    let steps = 1 + Math.floor(Math.random() * 32);
    let key: string | undefined;
    while (steps > 0) {
      if (this.randomCursor === null) this.randomCursor = this.dict.keys();
      const next = this.randomCursor.next();
      if (next.done) {
        this.randomCursor = null;
        continue;
      }
      key = next.value;
      steps--;
    }
    return key!;
  }

  /** OBJECT ENCODING of a string value, like Redis's tryObjectEncoding would leave it. */
  stringEncoding(key: string, value: string): string {
    const override = this.stringEncodings.get(key);
    if (override !== undefined) return override;
    if (value.length <= 20 && parseInteger(value) !== null) return "int";
    return value.length <= 44 ? "embstr" : "raw";
  }

  /** Number of keys with an expire time, for INFO keyspace. */
  get volatileCount(): number {
    return this.expires.size;
  }
}

export interface KeyspaceStats {
  expiredKeys: number;
  hits: number;
  misses: number;
  /** Time spent in active expiry, and keys it sampled, for INFO stats. */
  expireCycleCpuMs: number;
}

/** The bytes a removed value counted for; an object is marked as gone. */
function untrack(value: Value): number {
  if (typeof value === "string") return stringBytes(value.length);
  const bytes = Math.max(0, value.mem);
  value.mem = -1;
  return bytes;
}

export class Keyspace {
  readonly dbs: Db[];
  /**
   * Estimated bytes of every key and value (lib/store/memory.ts), kept by the write paths; the
   * dbs' tables are added when used_memory is read.
   */
  bytes = 0;
  /**
   * Keys counted in `bytes`; differs from the dbs' sizes after a load that filled the dicts
   * directly (RDB), which makes the next reading recount (memory.ts datasetBytes).
   */
  trackedKeys = 0;
  /** Objects that may have changed in place since their size was last estimated. */
  changedObjects = new Set<RedisObject>();
  /** How accesses are recorded (maxmemory-policy, lfu-log-factor, lfu-decay-time). */
  accessConfig: AccessConfig = { track: false, since: 0, lfu: false, logFactor: 10, decayTime: 1 };
  /** Keys removed by maxmemory (INFO evicted_keys). */
  evictedKeys = 0;
  /** Writes since the last save (Redis's server.dirty). */
  dirty = 0;
  /** The BGSAVE in progress, told before every key change; null (the usual case) costs one test. */
  snapshotHook: SnapshotHook | null = null;
  /** Runs after FLUSHALL emptied every db (Redis then stops a BGSAVE and saves at once). */
  afterFlushAll: (() => void) | null = null;
  stats: KeyspaceStats = { expiredKeys: 0, hits: 0, misses: 0, expireCycleCpuMs: 0 };
  /** Notification, signalModifiedKey and DEL propagation first (lib/keyspace_events.ts). */
  expiredListeners: ExpiredListener[] = [keyExpired];
  /** Live SCAN walks over the dbs' dicts. */
  readonly scanCursors = new ScanCursors<string>();
  /** The db where the next active expiry cycle starts. */
  expireNextDb = 0;
  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the active cycle off (lazy expiry stays on). */
  activeExpireEnabled = true;

  constructor(databases: number) {
    this.dbs = [];
    for (let i = 0; i < databases; i++) this.dbs.push(new Db(i, this));
  }

  /** SWAPDB: clients selected on a keep their index and now see b's data. */
  swap(a: number, b: number): void {
    const da = this.dbs[a]!, db = this.dbs[b]!;
    [da.dict, db.dict] = [db.dict, da.dict];
    [da.expires, db.expires] = [db.expires, da.expires];
    [da.exactExpires, db.exactExpires] = [db.exactExpires, da.exactExpires];
    [da.stringEncodings, db.stringEncodings] = [db.stringEncodings, da.stringEncodings];
    [da.access, db.access] = [db.access, da.access];
    da.expireCursor = db.expireCursor = null;
    da.randomCursor = db.randomCursor = null;
  }

  flushAll(): number {
    let removed = 0;
    for (const db of this.dbs) removed += db.clear();
    this.afterFlushAll?.();
    return removed;
  }
}
