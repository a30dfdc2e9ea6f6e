// The databases: keys to values, keys to expire times, lazy expiry and typed lookups.
// Mirrors Redis's db.c (lookupKeyRead/Write, setKey, dbDelete, expireIfNeeded).
import { ReplyError, WRONGTYPE } from "../errors.ts";
import { now } from "../clock.ts";
import { parseInteger } from "../util/numbers.ts";

/** Values other than strings; each data type's module defines one. */
export interface RedisObject {
  readonly type: "list" | "hash" | "set" | "zset" | "stream";
  /** OBJECT ENCODING's answer. */
  encoding(): string;
}

/** A string value is a byte string; anything else is a RedisObject. */
export type Value = string | RedisObject;

export function typeOf(value: Value): string {
  return typeof value === "string" ? "string" : value.type;
}

/** Called when a key is removed by expiry (lazily or by the active cycle). */
export type ExpiredListener = (db: Db, key: string) => void;

export class Db {
  dict = new Map<string, Value>();
  /** Absolute expire time in ms, only for keys that have one. */
  expires = new Map<string, number>();
  /**
   * Strings whose Redis encoding is not the one their content implies: APPEND and SETRANGE
   * leave "raw" strings, INCRBYFLOAT an "embstr" even for "3". See `stringEncoding`.
   */
  stringEncodings = new Map<string, "raw" | "embstr">();
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

  /** The value for a read (counts a keyspace hit or miss), or undefined. */
  lookupRead(key: string): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const value = this.dict.get(key);
    if (value === undefined) this.keyspace.stats.misses++;
    else this.keyspace.stats.hits++;
    return value;
  }

  /** The value for a write, or undefined. */
  lookupWrite(key: string): Value | undefined {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    return this.dict.get(key);
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

  /** setKey: stores the value and drops any expire time unless keepTtl. */
  set(key: string, value: Value, keepTtl = false): void {
    this.dict.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
    this.keyspace.dirty++;
  }

  /** Replaces the value in place, keeping the expire time (APPEND, SETRANGE, INCR). */
  overwrite(key: string, value: Value): void {
    this.dict.set(key, value);
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
    this.keyspace.dirty++;
  }

  delete(key: string): boolean {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    if (!this.dict.has(key)) return false;
    this.removeKey(key);
    this.keyspace.dirty++;
    return true;
  }

  private removeKey(key: string): void {
    this.dict.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    if (this.stringEncodings.size !== 0) this.stringEncodings.delete(key);
  }

  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
    this.keyspace.dirty++;
  }

  /** Removes the expire time; returns true if the key had one. */
  persist(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    this.keyspace.dirty++;
    return true;
  }

  /** Moves a key's value, expire and string encoding to `to` under `toKey`. */
  moveKey(key: string, to: Db, toKey: string): void {
    const value = this.dict.get(key)!;
    const when = this.getExpire(key);
    const encoding = this.stringEncodings.get(key);
    this.removeKey(key);
    to.set(toKey, value);
    if (when !== undefined) to.expires.set(toKey, when);
    if (encoding !== undefined) to.stringEncodings.set(toKey, encoding);
    this.keyspace.dirty++;
  }

  clear(): number {
    const removed = this.dict.size;
    this.dict = new Map();
    this.expires = new Map();
    this.stringEncodings = new Map();
    this.expireCursor = null;
    this.randomCursor = null;
    this.keyspace.dirty += removed;
    return removed;
  }

  /** A random live key, or undefined when the db is empty (RANDOMKEY). */
  randomKey(): string | undefined {
    for (let tries = 0; tries < 100 && this.dict.size > 0; tries++) {
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

export class Keyspace {
  readonly dbs: Db[];
  /** Writes since the last save (Redis's server.dirty). */
  dirty = 0;
  stats: KeyspaceStats = { expiredKeys: 0, hits: 0, misses: 0, expireCycleCpuMs: 0 };
  expiredListeners: ExpiredListener[] = [];
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
    [da.stringEncodings, db.stringEncodings] = [db.stringEncodings, da.stringEncodings];
    da.expireCursor = db.expireCursor = null;
    da.randomCursor = db.randomCursor = null;
    this.dirty++;
  }

  flushAll(): number {
    let removed = 0;
    for (const db of this.dbs) removed += db.clear();
    return removed;
  }
}
