// The hash type with Redis 7.0's two encodings (t_hash.c's hashType* functions): "listpack" is
// one packed string of length-prefixed fields and values; "hashtable" a pair array + field Map.
import type { RedisObject } from "./keyspace.ts";

/** hash-max-listpack-entries and hash-max-listpack-value, read by the caller from the config. */
export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

/** The hashtable encoding: pairs[2i] is a field, pairs[2i+1] its value; index: field -> 2i. */
export interface HashTable {
  pairs: string[];
  index: Map<string, number>;
}

// A listpack is a byte string of entries, each a length header then the bytes: one char for a
// length below 128, else 7 bits per char, low bits first, high bit set on all but the last.
// One flat string per small hash costs a header and the bytes; an array of strings (or a Map)
// would cost a heap object per field and value, 3x the memory for typical small hashes.

/** Length of the header read by the last readLength call (no tuple allocated per entry). */
let headerSize = 0;

function readLength(lp: string, pos: number): number {
  let c = lp.charCodeAt(pos);
  if (c < 0x80) {
    headerSize = 1;
    return c;
  }
  let length = 0, scale = 1, n = 0;
  while (c >= 0x80) {
    length += (c & 0x7f) * scale;
    scale *= 128;
    c = lp.charCodeAt(pos + ++n);
  }
  headerSize = n + 1;
  return length + c * scale;
}

const SHORT_HEADERS: string[] = [];
for (let i = 0; i < 0x80; i++) SHORT_HEADERS.push(String.fromCharCode(i));

function header(length: number): string {
  if (length < 0x80) return SHORT_HEADERS[length]!;
  let out = "";
  while (length >= 0x80) {
    out += String.fromCharCode(0x80 | (length % 128));
    length = Math.floor(length / 128);
  }
  return out + String.fromCharCode(length);
}

/**
 * Concatenation through join: V8 then allocates one flat string, where `+` would build a rope
 * that keeps every previous version of the listpack alive.
 */
function concat(parts: string[]): string {
  return parts.join("");
}

export class HashObject implements RedisObject {
  /** listpack encoding: the packed entries ("" once a hashtable). */
  lp = "";
  /** listpack encoding: the number of pairs in `lp`. */
  count = 0;
  /** hashtable encoding; null while a listpack. */
  table: HashTable | null = null;
  /** used_memory's estimate of this value (lib/store/memory.ts). */
  mem = 0;

  get type(): "hash" {
    return "hash";
  }

  encoding(): string {
    return this.table === null ? "listpack" : "hashtable";
  }

  get size(): number {
    return this.table === null ? this.count : this.table.pairs.length >> 1;
  }

  /**
   * listpack: the position of the field's entry, or -1. indexOf finds where the field's bytes
   * occur (a missing field usually costs that one native search); the entries are walked only
   * as far as each occurrence, to tell a field from bytes inside another field or a value.
   */
  private find(field: string): number {
    const lp = this.lp, end = lp.length, length = field.length;
    let pos = 0, fieldStart = 0, fieldLength = 0;
    for (let at = lp.indexOf(field); at >= 0; at = lp.indexOf(field, at + 1)) {
      while (pos < end) {
        // Short lengths (one header char) are read inline: this loop is the listpack's hot path.
        fieldLength = lp.charCodeAt(pos);
        if (fieldLength < 0x80) fieldStart = pos + 1;
        else {
          fieldLength = readLength(lp, pos);
          fieldStart = pos + headerSize;
        }
        if (fieldStart >= at) break;
        const valueAt = fieldStart + fieldLength;
        const valueLength = lp.charCodeAt(valueAt);
        pos = valueLength < 0x80
          ? valueAt + 1 + valueLength
          : valueAt + readLength(lp, valueAt) + headerSize;
      }
      if (pos >= end) return -1;
      if (fieldStart === at && fieldLength === length) return pos;
    }
    return -1;
  }

  /** listpack: the position of the value header of the entry at pos. */
  private valueAt(pos: number): number {
    return pos + readLength(this.lp, pos) + headerSize;
  }

  get(field: string): string | undefined {
    if (this.table !== null) {
      const i = this.table.index.get(field);
      return i === undefined ? undefined : this.table.pairs[i + 1];
    }
    const pos = this.find(field);
    if (pos < 0) return undefined;
    const at = this.valueAt(pos);
    const length = readLength(this.lp, at);
    return this.lp.slice(at + headerSize, at + headerSize + length);
  }

  has(field: string): boolean {
    return this.table !== null ? this.table.index.has(field) : this.find(field) >= 0;
  }

  /** hashTypeGetValueLength: the value's length, 0 for a missing field. */
  valueLength(field: string): number {
    if (this.table !== null) return this.get(field)?.length ?? 0;
    const pos = this.find(field);
    return pos < 0 ? 0 : readLength(this.lp, this.valueAt(pos));
  }

  /**
   * hashTypeSet: sets field to value, returns true when the field is new. A listpack turns into
   * a hashtable first when the field or value is longer than maxValue, and after the insert
   * when it holds more than maxEntries pairs.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (
      this.table === null && (field.length > limits.maxValue || value.length > limits.maxValue)
    ) {
      this.convert();
    }
    const table = this.table;
    if (table !== null) {
      const i = table.index.get(field);
      if (i !== undefined) {
        table.pairs[i + 1] = value;
        return false;
      }
      table.index.set(field, table.pairs.length);
      table.pairs.push(field, value);
      return true;
    }
    const lp = this.lp;
    const pos = this.find(field);
    if (pos >= 0) {
      const at = this.valueAt(pos);
      const length = readLength(lp, at);
      const start = at + headerSize;
      // The same value again (an idempotent write) leaves the listpack as it is.
      if (length === value.length && lp.startsWith(value, start)) return false;
      this.lp = concat([lp.slice(0, at), header(value.length), value, lp.slice(start + length)]);
      return false;
    }
    this.lp = concat([lp, header(field.length), field, header(value.length), value]);
    if (++this.count > limits.maxEntries) this.convert();
    return true;
  }

  /** hashTypeDelete: true when the field was there. */
  delete(field: string): boolean {
    const table = this.table;
    if (table === null) {
      const pos = this.find(field);
      if (pos < 0) return false;
      const at = this.valueAt(pos);
      const end = at + readLength(this.lp, at) + headerSize;
      this.lp = this.count === 1 ? "" : concat([this.lp.slice(0, pos), this.lp.slice(end)]);
      this.count--;
      return true;
    }
    const i = table.index.get(field);
    if (i === undefined) return false;
    table.index.delete(field);
    // The last pair moves into the hole, so deletes are O(1) and slots stay dense.
    const pairs = table.pairs;
    const last = pairs.length - 2;
    if (i !== last) {
      const moved = pairs[last]!;
      pairs[i] = moved;
      pairs[i + 1] = pairs[last + 1]!;
      table.index.set(moved, i);
    }
    pairs.length = last;
    return true;
  }

  /**
   * Every field and value as [f0, v0, f1, v1, ...], in listpack order for a listpack. For a
   * hashtable this is the live array: read it before the next write, never change it.
   */
  pairs(): string[] {
    if (this.table !== null) return this.table.pairs;
    const lp = this.lp, out = new Array<string>(2 * this.count);
    let pos = 0;
    for (let i = 0; i < out.length; i++) {
      const length = readLength(lp, pos);
      pos += headerSize;
      out[i] = lp.slice(pos, pos + length);
      pos += length;
    }
    return out;
  }

  /** hashTypeConvert to the hashtable encoding (never back, as in Redis). */
  convert(): void {
    if (this.table !== null) return;
    const pairs = this.pairs();
    const index = new Map<string, number>();
    for (let i = 0; i < pairs.length; i += 2) index.set(pairs[i]!, i);
    this.table = { pairs, index };
    this.lp = "";
    this.count = 0;
  }

  duplicate(): HashObject {
    const copy = new HashObject();
    copy.lp = this.lp;
    copy.count = this.count;
    if (this.table !== null) {
      copy.table = { pairs: this.table.pairs.slice(), index: new Map(this.table.index) };
    }
    return copy;
  }
}
