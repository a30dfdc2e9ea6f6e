// The low-level RDB encoder: lengths, strings (integer, LZF or verbatim), doubles and times, as
// rdb.c's rdbSaveLen / rdbSaveRawString / rdbSave*Value write them, into a chunked buffer.
import { writeLatin1 } from "../bytes.ts";
import { parseInteger } from "../util/numbers.ts";
import { Crc64 } from "./crc64.ts";
import { lzfCompress } from "./lzf.ts";

const CHUNK = 64 * 1024;
const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

// Scratch buffers for LZF: the input as bytes and the compressed output.
let scratchIn = new Uint8Array(1024);
let scratchOut = new Uint8Array(1024);

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

export class RdbWriter {
  private buf: Uint8Array;
  private pos = 0;
  private done: Uint8Array[] = [];
  /** Buffers of written-out chunks, for reuse. */
  private spare: Uint8Array[] = [];
  /** Bytes handed out by take() or still buffered. */
  written = 0;
  /** Running checksum of the bytes handed out (rdbchecksum); null when off. */
  readonly crc: Crc64 | null;

  /** `chunk`: the buffer size; small for the one-value writers of DUMP and copy-on-write. */
  constructor(readonly compression = true, checksum = true, private chunk = CHUNK) {
    this.crc = checksum ? new Crc64() : null;
    this.buf = new Uint8Array(chunk);
  }

  /** Bytes buffered and not yet taken. */
  get pending(): number {
    let n = this.pos;
    for (const chunk of this.done) n += chunk.length;
    return n;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.seal();
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.chunk));
  }

  /** Closes the current buffer (its bytes go to `done`) and starts a new one. */
  private seal(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.crc?.update(chunk);
    this.done.push(chunk);
    // Small writers grow: a big value does not end up in many tiny chunks.
    if (this.chunk < CHUNK) this.chunk = Math.min(CHUNK, this.chunk * 4);
    this.buf = this.spare.pop() ?? new Uint8Array(this.chunk);
    this.pos = 0;
  }

  /**
   * Hands back chunks from take() once written out: their buffers are reused, so a save of any
   * size keeps allocating (and the garbage collector collecting) only a few buffers.
   */
  recycle(chunks: Uint8Array[]): void {
    for (const chunk of chunks) {
      if (chunk.buffer.byteLength === CHUNK && this.chunk === CHUNK && this.spare.length < 8) {
        this.spare.push(new Uint8Array(chunk.buffer as ArrayBuffer));
      }
    }
  }

  /** Every byte written so far, in order, as chunks the writer no longer touches. */
  take(): Uint8Array[] {
    this.seal();
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Every byte written so far as one array (DUMP payloads, tests). */
  toBytes(): Uint8Array {
    const chunks = this.take();
    if (chunks.length === 1) return chunks[0]!;
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

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
    this.written++;
  }

  bytes(data: Uint8Array): void {
    if (data.length > this.chunk) {
      this.seal();
      const copy = data.slice();
      this.crc?.update(copy);
      this.done.push(copy);
    } else {
      this.room(data.length);
      this.buf.set(data, this.pos);
      this.pos += data.length;
    }
    this.written += data.length;
  }

  /** A byte string's bytes, verbatim. */
  latin1(s: string): void {
    const n = s.length;
    if (n > this.chunk) {
      const out = new Uint8Array(n);
      writeLatin1(s, out, 0);
      this.bytes(out);
      return;
    }
    this.room(n);
    const buf = this.buf;
    if (n > 64) writeLatin1(s, buf, this.pos);
    else for (let i = 0; i < n; i++) buf[this.pos + i] = s.charCodeAt(i);
    this.pos += n;
    this.written += n;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  len(n: number): void {
    if (n < 64) {
      this.byte(n);
    } else if (n < 16384) {
      this.room(2);
      this.buf[this.pos++] = 0x40 | (n >> 8);
      this.buf[this.pos++] = n & 0xff;
      this.written += 2;
    } else if (n <= 0xffffffff) {
      this.room(5);
      const b = this.buf, p = this.pos;
      b[p] = 0x80;
      b[p + 1] = n >>> 24;
      b[p + 2] = (n >>> 16) & 0xff;
      b[p + 3] = (n >>> 8) & 0xff;
      b[p + 4] = n & 0xff;
      this.pos += 5;
      this.written += 5;
    } else {
      this.byte(0x81);
      const hi = Math.floor(n / 0x100000000), lo = n >>> 0;
      this.uint32BE(hi);
      this.uint32BE(lo);
    }
  }

  private uint32BE(n: number): void {
    this.room(4);
    const b = this.buf, p = this.pos;
    b[p] = n >>> 24;
    b[p + 1] = (n >>> 16) & 0xff;
    b[p + 2] = (n >>> 8) & 0xff;
    b[p + 3] = n & 0xff;
    this.pos += 4;
    this.written += 4;
  }

  /** rdbEncodeInteger: an integer string in 2, 3 or 5 bytes. */
  private encodedInt(v: number): void {
    if (v >= -128 && v <= 127) {
      this.room(2);
      this.buf[this.pos++] = 0xc0;
      this.buf[this.pos++] = v & 0xff;
      this.written += 2;
    } else if (v >= -32768 && v <= 32767) {
      this.room(3);
      this.buf[this.pos++] = 0xc1;
      this.buf[this.pos++] = v & 0xff;
      this.buf[this.pos++] = (v >> 8) & 0xff;
      this.written += 3;
    } else {
      this.room(5);
      const b = this.buf, p = this.pos;
      b[p] = 0xc2;
      b[p + 1] = v & 0xff;
      b[p + 2] = (v >> 8) & 0xff;
      b[p + 3] = (v >> 16) & 0xff;
      b[p + 4] = (v >>> 24) & 0xff;
      this.pos += 5;
      this.written += 5;
    }
  }

  /** rdbSaveRawString of a byte string: integer encoding, LZF, or length + bytes. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const c = s.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45) {
        const v = parseInteger(s);
        if (typeof v === "number" && v >= INT32_MIN && v <= INT32_MAX) {
          this.encodedInt(v);
          return;
        }
      }
    }
    if (this.compression && n > 20) {
      if (scratchIn.length < n) scratchIn = new Uint8Array(n * 2);
      writeLatin1(s, scratchIn, 0);
      if (this.lzf(scratchIn.subarray(0, n))) return;
    }
    this.len(n);
    this.latin1(s);
  }

  /** rdbSaveRawString of bytes (listpacks, intsets): the same encodings as a string. */
  stringBytes(data: Uint8Array): void {
    const n = data.length;
    if (n <= 11 && n > 0 && ((data[0]! >= 48 && data[0]! <= 57) || data[0] === 45)) {
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(data[i]!);
      this.string(s);
      return;
    }
    if (this.compression && n > 20 && this.lzf(data)) return;
    this.len(n);
    this.bytes(data);
  }

  /** rdbSaveLzfStringObject: writes the compressed form if it saves at least 4 bytes. */
  private lzf(data: Uint8Array): boolean {
    const n = data.length;
    const outLen = n - 4;
    if (scratchOut.length < outLen + 16) scratchOut = new Uint8Array(outLen * 2 + 16);
    const compressed = lzfCompress(data, scratchOut, outLen);
    if (compressed === 0) return false;
    this.byte(0xc3);
    this.len(compressed);
    this.len(n);
    this.bytes(scratchOut.subarray(0, compressed));
    return true;
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  millis(ms: number | bigint): void {
    this.room(8);
    if (typeof ms === "number" && ms >= 0 && Number.isSafeInteger(ms)) {
      const lo = ms >>> 0, hi = Math.floor(ms / 0x100000000);
      const b = this.buf, p = this.pos;
      for (let i = 0; i < 4; i++) {
        b[p + i] = (lo >>> (8 * i)) & 0xff;
        b[p + 4 + i] = (hi >>> (8 * i)) & 0xff;
      }
    } else {
      const big = BigInt.asUintN(64, BigInt(ms));
      for (let i = 0; i < 8; i++) this.buf[this.pos + i] = Number((big >> BigInt(8 * i)) & 0xffn);
    }
    this.pos += 8;
    this.written += 8;
  }

  /** rdbSaveBinaryDoubleValue: IEEE 754 little-endian. */
  binaryDouble(d: number): void {
    F64[0] = d;
    this.room(8);
    this.buf.set(F64_BYTES, this.pos);
    this.pos += 8;
    this.written += 8;
  }
}
