// Strings that the bit and HyperLogLog commands edit in place: a growable byte buffer standing in
// for Redis's sds (sdsgrowzero), so SETBIT on a 10 MB bitmap costs O(1) instead of a copy.
import type { Db, RedisObject, Value } from "./keyspace.ts";
import { latin1 } from "../bytes.ts";
import { Buffer } from "node:buffer";
import { ReplyError, WRONGTYPE } from "../errors.ts";

/**
 * Values shorter than this go back into the keyspace as plain JS strings after each edit: the
 * O(n) copy is cheap at that size and a plain string costs far less memory than an object with
 * its own buffer. Longer ones stay a ByteString until someone outside reads them as a string.
 */
export const INLINE_MAX = 4096;

/** A byte-backed string value; Db.lookupRead/lookupWrite flatten it into a plain string. */
export class ByteString implements RedisObject {
  readonly type = "string" as const;
  /** The plain string of the current bytes, until the next edit. */
  private flat: string | null = null;
  /** used_memory's estimate of this value (lib/store/memory.ts). */
  mem = 0;

  /** `buf` may be longer than `length` (room to grow, like sds's free space). */
  constructor(public buf: Uint8Array, public length: number) {}

  /** A copy of the bytes of a plain string. */
  static from(s: string): ByteString {
    return new ByteString(bytesOfString(s), s.length);
  }

  /** A string of `length` zero bytes. */
  static zeros(length: number): ByteString {
    return new ByteString(new Uint8Array(length), length);
  }

  encoding(): string {
    return "raw";
  }

  duplicate(): ByteString {
    return new ByteString(this.buf.slice(0, this.length), this.length);
  }

  toString(): string {
    if (this.flat === null) this.flat = latin1(this.buf, 0, this.length);
    return this.flat;
  }

  /** The bytes, as a view (valid until the next grow). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** sdsgrowzero: extends the string with zero bytes to at least `length` bytes. */
  grow(length: number): void {
    if (length <= this.length) return;
    if (length > this.buf.length) {
      // Doubling up to 1 MB then +1 MB steps, as sdsMakeRoomFor does.
      const capacity = length < 1048576 ? length * 2 : length + 1048576;
      const next = new Uint8Array(capacity);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    } else {
      this.buf.fill(0, this.length, length);
    }
    this.length = length;
    this.flat = null;
  }

  /** Declares that the bytes changed (drops the cached plain string). */
  touched(): void {
    this.flat = null;
  }
}

/** The value at key for a bit or HLL read: a plain string, a ByteString, or undefined. */
export function lookupStringRead(db: Db, key: string): string | ByteString | undefined {
  return asString(db.lookupReadRaw(key));
}

/** lookupStringRead for a write (no hit/miss statistics). */
export function lookupStringWrite(db: Db, key: string): string | ByteString | undefined {
  return asString(db.lookupWriteRaw(key));
}

function asString(value: Value | undefined): string | ByteString | undefined {
  if (value === undefined || typeof value === "string" || value instanceof ByteString) {
    return value;
  }
  throw new ReplyError(WRONGTYPE);
}

/** The bytes of a string value (a copy for a plain string, a view for a ByteString). */
export function bytesOf(value: string | ByteString): Uint8Array {
  return typeof value === "string" ? bytesOfString(value) : value.bytes;
}

/** A private copy of a byte string's bytes, as a plain Uint8Array. */
function bytesOfString(s: string): Uint8Array {
  if (s.length < 4096) {
    // node:buffer serves small strings from a shared pool: copy out of it.
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }
  const b = Buffer.from(s, "latin1");
  // A plain view: Buffer's own slice() would share memory where Uint8Array's copies.
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** A string value for editing in place: the ByteString itself, or a copy of a plain string. */
export function editable(value: string | ByteString): ByteString {
  return typeof value === "string" ? ByteString.from(value) : value;
}

/**
 * Stores an edited value at key: a new key is added, an existing one keeps its TTL. Short
 * values become plain strings again; every value a bit or HLL command writes is "raw" in Redis.
 */
export function storeString(db: Db, key: string, value: ByteString, isNew: boolean): void {
  value.touched();
  const stored: Value = value.length < INLINE_MAX ? value.toString() : value;
  if (isNew) db.set(key, stored);
  else db.overwrite(key, stored);
  if (typeof stored === "string") db.stringEncodings.set(key, "raw");
}
