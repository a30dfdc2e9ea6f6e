// Typed lookups for the collection types: the value at a key as the expected RedisObject, or
// WRONGTYPE. Mirrors lookupKeyReadOrReply + checkType in Redis's db.c/object.c.
import { ReplyError, WRONGTYPE } from "../errors.ts";
import type { Db, RedisObject } from "./keyspace.ts";

/** The value at key for reading (counts a hit or miss); WRONGTYPE if it has another type. */
export function lookupRead<T extends RedisObject>(
  db: Db,
  key: string,
  type: T["type"],
): T | undefined {
  const value = db.lookupRead(key);
  if (value === undefined) return undefined;
  if (typeof value === "string" || value.type !== type) throw new ReplyError(WRONGTYPE);
  return value as T;
}

/** The value at key for a write; WRONGTYPE if it has another type. */
export function lookupWrite<T extends RedisObject>(
  db: Db,
  key: string,
  type: T["type"],
): T | undefined {
  const value = db.lookupWrite(key);
  if (value === undefined) return undefined;
  if (typeof value === "string" || value.type !== type) throw new ReplyError(WRONGTYPE);
  return value as T;
}
