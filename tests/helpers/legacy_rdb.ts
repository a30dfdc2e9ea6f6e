// Encoders for the RDB forms Redis 7.0 only reads (ziplist, zipmap, quicklist v1, old zset
// doubles, second-precision expires): tests build such files to check that they load. Mirrors
// the writers of ziplist.c and zipmap.c from before 7.0.
import { RdbWriter } from "../../lib/persistence/rdb_writer.ts";
import { parseInteger } from "../../lib/util/numbers.ts";

/** A ziplist of the entries, with the integer encodings zipTryEncoding picks. */
export function ziplist(entries: string[]): Uint8Array {
  const parts: number[] = [];
  let prevlen = 0;
  let tail = 10;
  for (const e of entries) {
    const entry: number[] = [];
    if (prevlen < 254) entry.push(prevlen);
    else entry.push(254, ...le(prevlen, 4));
    const v = e.length <= 32 ? parseInteger(e) : null;
    if (v !== null) {
      const n = BigInt(v);
      if (n >= 0n && n <= 12n) entry.push(0xf1 + Number(n));
      else if (n >= -128n && n <= 127n) entry.push(0xfe, ...le(n, 1));
      else if (n >= -32768n && n <= 32767n) entry.push(0xc0, ...le(n, 2));
      else if (n >= -8388608n && n <= 8388607n) entry.push(0xf0, ...le(n, 3));
      else if (n >= -2147483648n && n <= 2147483647n) entry.push(0xd0, ...le(n, 4));
      else entry.push(0xe0, ...le(n, 8));
    } else {
      const n = e.length;
      if (n < 64) entry.push(n);
      else if (n < 16384) entry.push(0x40 | (n >> 8), n & 0xff);
      else entry.push(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
      for (let i = 0; i < n; i++) entry.push(e.charCodeAt(i));
    }
    tail = 10 + parts.length;
    parts.push(...entry);
    prevlen = entry.length;
  }
  const total = 10 + parts.length + 1;
  const count = Math.min(entries.length, 65535);
  return Uint8Array.from([
    ...le(total, 4),
    ...le(entries.length === 0 ? 10 : tail, 4),
    ...le(count, 2),
    ...parts,
    0xff,
  ]);
}

/** A zipmap (Redis 2.4 hashes) of [field, value, ...]. */
export function zipmap(pairs: string[]): Uint8Array {
  const out: number[] = [Math.min(pairs.length / 2, 254)];
  const length = (n: number) => n < 254 ? [n] : [254, ...le(n, 4)];
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i]!, value = pairs[i + 1]!;
    out.push(...length(field.length), ...[...field].map((c) => c.charCodeAt(0)));
    // One byte of free space after the value, as an update that shrank it leaves.
    out.push(...length(value.length), 1, ...[...value].map((c) => c.charCodeAt(0)), 0);
  }
  out.push(0xff);
  return Uint8Array.from(out);
}

function le(v: number | bigint, bytes: number): number[] {
  let n = BigInt.asUintN(bytes * 8, BigInt(v));
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push(Number(n & 0xffn));
    n >>= 8n;
  }
  return out;
}

/** One key of a hand-written RDB file: its type byte and a payload writer. */
export interface LegacyKey {
  db: number;
  key: string;
  type: number;
  payload: (w: RdbWriter) => void;
  /** An RDB_OPCODE_EXPIRETIME (seconds) before the key, as RDB versions before 3 wrote. */
  expireSeconds?: number;
  expireMs?: number;
}

/** An RDB file of the given version holding the keys (databases in the order given). */
export function legacyRdb(version: number, keys: LegacyKey[]): Uint8Array {
  const w = new RdbWriter(false, true);
  w.latin1(`REDIS${String(version).padStart(4, "0")}`);
  let db = -1;
  for (const k of keys) {
    if (k.db !== db) {
      w.byte(0xfe);
      w.len(k.db);
      db = k.db;
    }
    if (k.expireSeconds !== undefined) {
      w.byte(0xfd);
      const b = le(k.expireSeconds, 4);
      for (const x of b) w.byte(x);
    }
    if (k.expireMs !== undefined) {
      w.byte(0xfc);
      w.millis(k.expireMs);
    }
    w.byte(k.type);
    w.string(k.key);
    k.payload(w);
  }
  w.byte(0xff);
  const chunks = w.take();
  chunks.push(w.crc!.bytes());
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The old text form of a double (RDB_TYPE_ZSET): a length byte and %.17g. */
export function textDouble(w: RdbWriter, d: number): void {
  if (d === Infinity) return w.byte(254);
  if (d === -Infinity) return w.byte(255);
  const s = String(d);
  w.byte(s.length);
  w.latin1(s);
}
