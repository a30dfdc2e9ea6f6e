// Reply encoder: RESP2 and RESP3 into one growable buffer per client, flushed with one write
// per read batch. Mirrors the addReply* family of Redis's networking.c, including the RESP2
// fallbacks of RESP3 types (maps as flat arrays, doubles as bulk strings, booleans as 0/1).
import { writeLatin1 } from "../bytes.ts";
import { formatDouble } from "../util/numbers.ts";

const INITIAL_SIZE = 16 * 1024;
/** A buffer grown past this is dropped after a flush so idle clients stay small. */
const KEEP_SIZE = 4 * 1024 * 1024;

const ascii = (s: string) => new TextEncoder().encode(s);
const OK = ascii("+OK\r\n");
const NULL_BULK = ascii("$-1\r\n");
const NULL_ARRAY = ascii("*-1\r\n");
const NULL3 = ascii("_\r\n");
const EMPTY_ARRAY = ascii("*0\r\n");
const ZERO = ascii(":0\r\n");
const ONE = ascii(":1\r\n");
const QUEUED = ascii("+QUEUED\r\n");

export type Protocol = 2 | 3;

export class ReplyWriter {
  /** Told of every error reply (INFO errorstats counts them); the protocol layer keeps none. */
  static onError: ((message: string) => void) | null = null;
  buf = new Uint8Array(INITIAL_SIZE);
  len = 0;
  /** Protocol version of the client: chooses RESP3 types or their RESP2 equivalents. */
  resp: Protocol = 2;

  /** The encoded replies; valid until the next write to this writer. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
    if (this.buf.length > KEEP_SIZE) this.buf = new Uint8Array(INITIAL_SIZE);
  }

  /** Gives back a grown buffer while nothing waits in it (an idle client's). */
  shrink(): void {
    if (this.len === 0 && this.buf.length > INITIAL_SIZE) this.buf = new Uint8Array(INITIAL_SIZE);
  }

  /** Drops the first n bytes (they were written to the socket). */
  consume(n: number): void {
    if (n >= this.len) {
      this.reset();
      return;
    }
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }

  /** Removes everything after `mark` (a value of `len` taken earlier). */
  truncate(mark: number): void {
    this.len = mark;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.len + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.len + n > this.buf.length) this.grow(n);
    if (n <= 16) {
      // The shared replies (+OK, :1, $-1) are a few bytes: a loop beats TypedArray.set's call.
      const buf = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) buf[at++] = bytes[i]!;
    } else {
      this.buf.set(bytes, this.len);
    }
    this.len += n;
  }

  /** Appends a byte string (each char one byte). */
  str(s: string): void {
    if (this.len + s.length > this.buf.length) this.grow(s.length);
    writeLatin1(s, this.buf, this.len);
    this.len += s.length;
  }

  private crlf(): void {
    if (this.len + 2 > this.buf.length) this.grow(2);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** Writes `<prefix><n>\r\n` without allocating a string for n. */
  private header(prefix: number, n: number): void {
    if (this.len + 24 > this.buf.length) this.grow(24);
    const buf = this.buf;
    buf[this.len++] = prefix;
    if (n < 0) {
      buf[this.len++] = 45;
      n = -n;
    }
    if (n < 10) {
      buf[this.len++] = 48 + n;
    } else if (n < 0x80000000) {
      // Lengths and most integers: int32 division, several times faster than Math.floor's.
      let digits = 1;
      for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
      let at = this.len + digits;
      this.len = at;
      let m = n | 0;
      do {
        const q = (m / 10) | 0;
        buf[--at] = 48 + m - q * 10;
        m = q;
      } while (m !== 0);
    } else if (n < 1e15) {
      let digits = 0;
      for (let t = n; t >= 1; t = Math.floor(t / 10)) digits++;
      let at = this.len + digits;
      this.len = at;
      while (n >= 1) {
        buf[--at] = 48 + (n % 10);
        n = Math.floor(n / 10);
      }
    } else {
      this.str(String(n));
    }
    buf[this.len++] = 13;
    buf[this.len++] = 10;
  }

  ok(): void {
    this.raw(OK);
  }

  queued(): void {
    this.raw(QUEUED);
  }

  /** `+s`: s must not contain CR or LF. */
  simple(s: string): void {
    if (this.len + s.length + 3 > this.buf.length) this.grow(s.length + 3);
    this.buf[this.len++] = 43;
    this.str(s);
    this.crlf();
  }

  /**
   * `-message`: the message starts with its code (ERR, WRONGTYPE, ...). Like Redis's
   * addReplyErrorFormat, trailing CR/LF are dropped and inner ones become spaces.
   */
  error(message: string): void {
    ReplyWriter.onError?.(message);
    let end = message.length;
    while (end > 0 && (message.charCodeAt(end - 1) === 13 || message.charCodeAt(end - 1) === 10)) {
      end--;
    }
    const oneLine = (end === message.length ? message : message.slice(0, end))
      .replace(/[\r\n]/g, " ");
    this.buf.length < this.len + 1 && this.grow(1);
    this.buf[this.len++] = 45;
    this.str(oneLine);
    this.crlf();
  }

  integer(n: number | bigint): void {
    if (typeof n === "bigint") {
      this.buf.length < this.len + 1 && this.grow(1);
      this.buf[this.len++] = 58;
      this.str(n.toString());
      this.crlf();
    } else if (n === 0) {
      this.raw(ZERO);
    } else if (n === 1) {
      this.raw(ONE);
    } else {
      this.header(58, n);
    }
  }

  bulk(s: string): void {
    this.header(36, s.length);
    this.str(s);
    this.crlf();
  }

  bulkBytes(bytes: Uint8Array): void {
    this.header(36, bytes.length);
    this.raw(bytes);
    this.crlf();
  }

  /** A bulk string, or the null reply for undefined/null. */
  bulkOrNull(s: string | undefined | null): void {
    if (s === undefined || s === null) this.nullBulk();
    else this.bulk(s);
  }

  /** RESP2 `$-1`, RESP3 `_`. */
  nullBulk(): void {
    this.raw(this.resp === 2 ? NULL_BULK : NULL3);
  }

  /** RESP2 `*-1`, RESP3 `_`. */
  nullArray(): void {
    this.raw(this.resp === 2 ? NULL_ARRAY : NULL3);
  }

  array(n: number): void {
    if (n === 0) this.raw(EMPTY_ARRAY);
    else this.header(42, n);
  }

  /** A map of n pairs: RESP3 `%n`, RESP2 a flat array of 2n elements. */
  map(n: number): void {
    if (this.resp === 3) this.header(37, n);
    else this.array(n * 2);
  }

  /** RESP3 `~n`, RESP2 `*n`. */
  set(n: number): void {
    this.header(this.resp === 3 ? 126 : 42, n);
  }

  /** RESP3 `>n` out-of-band push, RESP2 `*n`. */
  push(n: number): void {
    this.header(this.resp === 3 ? 62 : 42, n);
  }

  /** RESP3 `,d`, RESP2 a bulk string, formatted like Redis 7.0 (%.17g, inf, -inf, nan). */
  double(d: number): void {
    const text = formatDouble(d);
    if (this.resp === 3) {
      this.buf.length < this.len + 1 && this.grow(1);
      this.buf[this.len++] = 44;
      this.str(text);
      this.crlf();
    } else {
      this.bulk(text);
    }
  }

  /** RESP3 `#t`/`#f`, RESP2 `:1`/`:0`. */
  bool(b: boolean): void {
    if (this.resp === 3) this.simpleRaw(b ? "#t" : "#f");
    else this.raw(b ? ONE : ZERO);
  }

  /** RESP3 verbatim string `=len\r\ntxt:...`, RESP2 a bulk string. */
  verbatim(s: string, format = "txt"): void {
    if (this.resp === 3) {
      this.header(61, s.length + 4);
      this.str(format);
      this.str(":");
      this.str(s);
      this.crlf();
    } else {
      this.bulk(s);
    }
  }

  /** RESP3 big number `(n`, RESP2 a bulk string. */
  bigNumber(digits: string): void {
    if (this.resp === 3) this.simpleRaw("(" + digits);
    else this.bulk(digits);
  }

  private simpleRaw(line: string): void {
    this.str(line);
    this.crlf();
  }
}
