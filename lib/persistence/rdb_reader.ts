// The low-level RDB decoder over a byte array: lengths, strings in every encoding (integer,
// LZF, verbatim), doubles and times, as rdb.c's rdbLoadLen / rdbGenericLoadStringObject read.
import { decodeShort, latin1, type Latin1View, latin1View, SHORT_MAX } from "../bytes.ts";
import { lzfDecompressInto } from "./lzf.ts";

/** A malformed or truncated RDB stream; the message says what was wrong. */
export class RdbError extends Error {}

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

export class RdbReader {
  pos = 0;
  /** Decodes ranges of `data` to byte strings without a wrapper object per string. */
  private readonly view: Latin1View;
  /** Where LZF strings are decompressed (reused: most are small). */
  private scratch = new Uint8Array(4096);
  private scratchView = latin1View(this.scratch);

  constructor(readonly data: Uint8Array, readonly end = data.length) {
    this.view = latin1View(data);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RdbError("Unexpected EOF reading RDB file");
  }

  byte(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Whether the last lenOrEncoding read a special string encoding rather than a length. */
  private encoded = false;

  /** rdbLoadLenByRef: a length, or (then `encoded`) a special string encoding number. */
  private lenOrEncoding(): number {
    const b = this.byte();
    const kind = b >> 6;
    this.encoded = kind === 3;
    if (kind === 3 || kind === 0) return b & 0x3f;
    if (kind === 1) return ((b & 0x3f) << 8) | this.byte();
    if (b === 0x80) {
      this.need(4);
      const d = this.data, p = this.pos;
      this.pos += 4;
      return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
    }
    if (b === 0x81) {
      this.need(8);
      let n = 0;
      for (let i = 0; i < 8; i++) n = n * 256 + this.data[this.pos++]!;
      if (!Number.isSafeInteger(n)) throw new RdbError("Length too large");
      return n;
    }
    throw new RdbError(`Unknown length encoding ${kind} in rdbLoadLen()`);
  }

  len(): number {
    const n = this.lenOrEncoding();
    if (this.encoded) throw new RdbError("Unexpected string encoding where a length was expected");
    return n;
  }

  /** A string in any encoding, as a byte string. */
  string(): string {
    const n = this.lenOrEncoding();
    if (this.encoded) {
      if (n !== 3) return String(this.encodedInt(n));
      const length = this.lzfToScratch();
      return length <= SHORT_MAX
        ? decodeShort(this.scratch, 0, length)
        : this.scratchView.latin1Slice(0, length);
    }
    this.need(n);
    const p = this.pos;
    this.pos += n;
    return n <= SHORT_MAX ? decodeShort(this.data, p, n) : this.view.latin1Slice(p, p + n);
  }

  /** A string in any encoding, as bytes (listpacks, intsets, ziplists). */
  stringBytes(): Uint8Array {
    const n = this.lenOrEncoding();
    if (this.encoded) {
      if (n === 3) {
        const length = this.lzfToScratch(); // may replace `scratch`: read it after
        return this.scratch.slice(0, length);
      }
      const text = String(this.encodedInt(n));
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
      return out;
    }
    return this.bytes(n);
  }

  private encodedInt(kind: number): number {
    if (kind === 0) {
      const v = this.byte();
      return v >= 128 ? v - 256 : v;
    }
    if (kind === 1) {
      const v = this.byte() | (this.byte() << 8);
      return v >= 32768 ? v - 65536 : v;
    }
    if (kind === 2) {
      this.need(4);
      const d = this.data, p = this.pos;
      this.pos += 4;
      return d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
    }
    throw new RdbError(`Unknown RDB string encoding type ${kind}`);
  }

  /** Decompresses an LZF string into `scratch`; returns its length. */
  private lzfToScratch(): number {
    const clen = this.len();
    const len = this.len();
    this.need(clen);
    if (this.scratch.length < len) {
      this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
      this.scratchView = latin1View(this.scratch);
    }
    const start = this.pos;
    this.pos += clen;
    if (!lzfDecompressInto(this.data, start, start + clen, this.scratch, len)) {
      throw new RdbError("Invalid LZF compressed string");
    }
    return len;
  }

  /** rdbLoadMillisecondTime: int64 little-endian (a bigint beyond 2^53). */
  millis(): number | bigint {
    this.need(8);
    const d = this.data, p = this.pos;
    this.pos += 8;
    const lo = (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
    const hi = d[p + 4]! | (d[p + 5]! << 8) | (d[p + 6]! << 16) | (d[p + 7]! << 24);
    const n = hi * 0x100000000 + lo;
    if (Number.isSafeInteger(n)) return n;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** rdbLoadTime: the int32 seconds of RDB_OPCODE_EXPIRETIME. */
  seconds(): number {
    this.need(4);
    const d = this.data, p = this.pos;
    this.pos += 4;
    return d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
  }

  binaryDouble(): number {
    F64_BYTES.set(this.bytes(8));
    return F64[0]!;
  }

  /** rdbLoadDoubleValue: the old text form (length byte; 253 nan, 254 +inf, 255 -inf). */
  textDouble(): number {
    const n = this.byte();
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    const text = latin1(this.bytes(n));
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value)) throw new RdbError("Bad double value");
    return value;
  }
}
