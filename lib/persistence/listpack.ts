// Redis's listpack format (listpack.c), byte for byte, with lpAppend's integer encodings: the
// container of small hashes, sorted sets and quicklist nodes in RDB files.
import { latin1, writeLatin1 } from "../bytes.ts";
import { parseInteger } from "../util/numbers.ts";

const HEADER = 6;

/** Bytes of the backlen of an entry of `l` bytes (lpEncodeBacklen's thresholds). */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Builds a listpack entry by entry. */
export class ListpackBuilder {
  private buf = new Uint8Array(256);
  private pos = HEADER;
  count = 0;

  /** Size of the finished listpack so far (header, entries and end byte): lpBytes. */
  get size(): number {
    return this.pos + 1;
  }

  private room(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n + 1));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** lpAppend: an integer encoding when the string is a canonical int64, else a string. */
  append(s: string): void {
    const n = s.length;
    if (n > 0 && n <= 20) {
      const c = s.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45) {
        const v = parseInteger(s);
        if (v !== null) {
          this.appendInteger(v);
          return;
        }
      }
    }
    const head = n < 64 ? 1 : n < 4096 ? 2 : 5;
    const l = head + n;
    this.room(l + 5);
    const b = this.buf;
    let p = this.pos;
    if (head === 1) {
      b[p++] = 0x80 | n;
    } else if (head === 2) {
      b[p++] = 0xe0 | (n >> 8);
      b[p++] = n & 0xff;
    } else {
      b[p++] = 0xf0;
      b[p++] = n & 0xff;
      b[p++] = (n >>> 8) & 0xff;
      b[p++] = (n >>> 16) & 0xff;
      b[p++] = n >>> 24;
    }
    if (n > 64) writeLatin1(s, b, p);
    else for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
    this.pos = p + n;
    this.backlen(l);
    this.count++;
  }

  private appendInteger(v: number | bigint): void {
    this.room(14);
    const b = this.buf;
    let p = this.pos;
    let width: number;
    if (typeof v === "number" && v >= 0 && v <= 127) {
      b[p++] = v;
      width = 0;
    } else if (typeof v === "number" && v >= -4096 && v <= 4095) {
      const u = v < 0 ? 8192 + v : v;
      b[p++] = 0xc0 | (u >> 8);
      b[p++] = u & 0xff;
      width = 0;
    } else if (typeof v === "number" && v >= -32768 && v <= 32767) {
      b[p++] = 0xf1;
      width = 2;
    } else if (typeof v === "number" && v >= -8388608 && v <= 8388607) {
      b[p++] = 0xf2;
      width = 3;
    } else if (typeof v === "number" && v >= -2147483648 && v <= 2147483647) {
      b[p++] = 0xf3;
      width = 4;
    } else {
      b[p++] = 0xf4;
      width = 8;
    }
    if (width > 0) {
      let u = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < width; i++) {
        b[p++] = Number(u & 0xffn);
        u >>= 8n;
      }
    }
    const l = p - this.pos;
    this.pos = p;
    this.backlen(l);
    this.count++;
  }

  /** lpEncodeBacklen: the entry length, 7 bits per byte, low bits rightmost. */
  private backlen(l: number): void {
    const n = backlenSize(l);
    const b = this.buf;
    let v = l;
    for (let i = n - 1; i >= 0; i--) {
      // Every byte but the leftmost carries the "more bytes to the left" bit.
      b[this.pos + i] = (v & 127) | (i > 0 ? 128 : 0);
      v = Math.floor(v / 128);
    }
    this.pos += n;
  }

  /** The finished listpack. */
  finish(): Uint8Array {
    const b = this.buf;
    b[this.pos] = 0xff;
    const total = this.pos + 1;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = total >>> 24;
    const count = Math.min(this.count, 65535);
    b[4] = count & 0xff;
    b[5] = count >>> 8;
    return b.slice(0, total);
  }
}

/** A listpack of the given entries. */
export function listpack(entries: Iterable<string>): Uint8Array {
  const lp = new ListpackBuilder();
  for (const e of entries) lp.append(e);
  return lp.finish();
}

/** The entries of a listpack as byte strings (integers in decimal); null when it is corrupt. */
export function listpackEntries(lp: Uint8Array): string[] | null {
  const total = lp.length;
  if (total < HEADER + 1) return null;
  const declared = (lp[0]! | (lp[1]! << 8) | (lp[2]! << 16) | (lp[3]! << 24)) >>> 0;
  const declaredCount = lp[4]! | (lp[5]! << 8);
  if (declared !== total || lp[total - 1] !== 0xff) return null;
  const out: string[] = [];
  let p = HEADER;
  const end = total - 1;
  while (p < end) {
    const b = lp[p]!;
    let value: string;
    let l: number;
    if (b < 0x80) {
      value = String(b);
      l = 1;
    } else if ((b & 0xc0) === 0x80) {
      const n = b & 0x3f;
      l = 1 + n;
      if (p + l > end) return null;
      value = latin1(lp, p + 1, p + l);
    } else if ((b & 0xe0) === 0xc0) {
      if (p + 2 > end) return null;
      const u = ((b & 0x1f) << 8) | lp[p + 1]!;
      value = String(u >= 4096 ? u - 8192 : u);
      l = 2;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 2 > end) return null;
      const n = ((b & 0x0f) << 8) | lp[p + 1]!;
      l = 2 + n;
      if (p + l > end) return null;
      value = latin1(lp, p + 2, p + l);
    } else if (b === 0xf0) {
      if (p + 5 > end) return null;
      const n = (lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16) | (lp[p + 4]! << 24)) >>> 0;
      l = 5 + n;
      if (p + l > end) return null;
      value = latin1(lp, p + 5, p + l);
    } else if (b >= 0xf1 && b <= 0xf4) {
      const width = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      l = 1 + width;
      if (p + l > end) return null;
      if (width <= 4) {
        let u = 0;
        for (let i = width; i >= 1; i--) u = u * 256 + lp[p + i]!;
        const range = 2 ** (width * 8);
        value = String(u >= range / 2 ? u - range : u);
      } else {
        let u = 0n;
        for (let i = width; i >= 1; i--) u = (u << 8n) | BigInt(lp[p + i]!);
        value = BigInt.asIntN(64, u).toString();
      }
    } else {
      return null;
    }
    p += l + backlenSize(l);
    if (p > end) return null;
    out.push(value);
  }
  if (p !== end) return null;
  if (declaredCount !== 65535 && declaredCount !== out.length) return null;
  return out;
}
