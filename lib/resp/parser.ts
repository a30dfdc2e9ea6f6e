// Streaming RESP2 request parser: multibulk and inline commands over one growable read buffer.
// Mirrors Redis's networking.c (processMultibulkBuffer, processInlineBuffer): a frame split
// across reads resumes where it stopped, and lengths are checked before anything is allocated.
import { decodeShort, latin1View, SHORT_MAX } from "../bytes.ts";
import { splitArgs } from "./split_args.ts";

/** Largest inline command or length line Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Bulk arguments at least this big get a buffer of their own size (PROTO_MBULK_BIG_ARG). */
const BIG_ARG = 32 * 1024;
/** How far ahead of the received bytes a big argument's buffer grows (doubling as it fills). */
const BIG_ARG_AHEAD = 16 * 1024 * 1024;
/** Largest multibulk count accepted; bigger counts are a protocol error. */
export const MAX_MULTIBULK_LEN = 1024 * 1024 * 1024;
const INITIAL_SIZE = 16 * 1024;
/** Command names up to this length are remembered between commands. */
const NAME_CACHE_MAX = 24;

const CR = 13;
const LF = 10;

/** A malformed request. The message is Redis's text after "ERR Protocol error: ". */
export class ProtocolError extends Error {}

export class RespParser {
  /** proto-max-bulk-len: longest bulk string accepted. */
  maxBulkLen: number;
  /**
   * Set while the client must still authenticate: Redis then refuses multibulks of more than
   * 10 arguments and bulks over 16 KB, so an anonymous peer cannot make it allocate much.
   */
  unauthenticated = false;
  /** Reads between commands go here, so no pending read ever holds on to a grown buffer. */
  private readonly small: Uint8Array = new Uint8Array(INITIAL_SIZE);
  private readonly smallView = latin1View(this.small);
  private buf: Uint8Array = this.small;
  private view = this.smallView;
  /**
   * The last buffer grown for a big argument or a long pipeline, kept for the next one until
   * the client idles (releaseSpare, Redis's clientsCronResizeQueryBuffer).
   */
  private spare: Uint8Array | null = null;
  private pos = 0; // first unparsed byte
  private end = 0; // one past the last byte read
  // State of a multibulk frame in progress; multibulkLen 0 means "between frames".
  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private lastName = "";
  private lastNameBytes = new Uint8Array(NAME_CACHE_MAX);

  constructor(maxBulkLen = 512 * 1024 * 1024) {
    this.maxBulkLen = maxBulkLen;
  }

  /** Free space to read into; call `commit(n)` after reading n bytes into it. */
  space(): Uint8Array {
    if (this.pos === this.end) {
      this.pos = this.end = 0;
      if (this.buf !== this.small && this.bulkLen < BIG_ARG) {
        if (this.spare === null || this.buf.length > this.spare.length) this.spare = this.buf;
        this.buf = this.small;
        this.view = this.smallView;
      }
    }
    let need = 1024;
    if (this.bulkLen >= BIG_ARG) {
      // Room for the rest of a big argument at once, but at most BIG_ARG_AHEAD more than what
      // arrived: a client that announces 500 MB and sends 10 bytes does not get 500 MB.
      need = Math.min(this.bulkLen + 2 - (this.end - this.pos), BIG_ARG_AHEAD);
    }
    if (this.buf.length - this.end < need) this.makeRoom(need);
    return this.buf.subarray(this.end);
  }

  commit(n: number): void {
    this.end += n;
  }

  /** Appends bytes (tests and callers that do not read into `space()` directly). */
  feed(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      const room = this.space();
      const n = Math.min(room.length, bytes.length - off);
      room.set(bytes.subarray(off, off + n));
      this.commit(n);
      off += n;
    }
  }

  /** Bytes received but not yet parsed into a command (client-query-buffer accounting). */
  get pending(): number {
    return this.end - this.pos;
  }

  /** Room left in the input buffer (CLIENT LIST's qbuf-free). */
  get free(): number {
    return this.buf.length - this.end;
  }

  /** Bytes the parser holds: its buffer and the spare one (CLIENT LIST's tot-mem). */
  get allocated(): number {
    return this.buf.length + (this.buf === this.small ? 0 : this.small.length) +
      (this.spare?.length ?? 0);
  }

  /** Drops the spare buffer (an idle client's); returns how many bytes that freed. */
  releaseSpare(): number {
    const freed = this.spare?.length ?? 0;
    this.spare = null;
    return freed;
  }

  /**
   * The next complete command, or null when more bytes are needed. Empty inline lines and
   * empty multibulks are skipped. Throws ProtocolError on malformed input; the parser is
   * then unusable (Redis closes the connection).
   */
  next(): string[] | null {
    for (;;) {
      if (this.multibulkLen === 0) {
        if (this.pos >= this.end) return null;
        if (this.buf[this.pos] !== 42 /* '*' */) {
          const argv = this.inline();
          if (argv === null) return null;
          if (argv.length > 0) return argv;
          continue;
        }
        const count = this.lengthLine(42, "mbulk");
        if (count === null) return null;
        if (count > MAX_MULTIBULK_LEN) throw new ProtocolError("invalid multibulk length");
        if (count > 10 && this.unauthenticated) {
          throw new ProtocolError("unauthenticated multibulk length");
        }
        if (count <= 0) continue;
        this.multibulkLen = count;
        this.argv = [];
      }
      const argv = this.multibulk();
      if (argv === null) return null;
      return argv;
    }
  }

  private multibulk(): string[] | null {
    while (this.multibulkLen > 0) {
      if (this.bulkLen < 0) {
        const len = this.lengthLine(36, "bulk");
        if (len === null) return null;
        if (len < 0 || len > this.maxBulkLen) throw new ProtocolError("invalid bulk length");
        if (len > 16384 && this.unauthenticated) {
          throw new ProtocolError("unauthenticated bulk length");
        }
        this.bulkLen = len;
      }
      if (this.end - this.pos < this.bulkLen + 2) return null;
      const start = this.pos;
      const len = this.bulkLen;
      if (this.argv.length === 0) {
        this.argv.push(this.commandName(start, len));
      } else {
        this.argv.push(
          len <= SHORT_MAX
            ? decodeShort(this.buf, start, len)
            : this.view.latin1Slice(start, start + len),
        );
      }
      this.pos = start + this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }

  /**
   * argv[0], reusing the previous command's string when the bytes are the same: pipelines
   * repeat names, and a reused string is already hashed for the command table lookup.
   */
  private commandName(start: number, len: number): string {
    const buf = this.buf;
    if (len === this.lastName.length && len <= NAME_CACHE_MAX) {
      const bytes = this.lastNameBytes;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (buf[start + i] !== bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastName;
    }
    const name = len <= SHORT_MAX
      ? decodeShort(buf, start, len)
      : this.view.latin1Slice(start, start + len);
    if (len <= NAME_CACHE_MAX) {
      this.lastNameBytes.set(buf.subarray(start, start + len));
      this.lastName = name;
    }
    return name;
  }

  /**
   * Parses "<prefix><integer>\r\n" at pos. Returns null when the line is incomplete. Like
   * Redis, the line ends at the first CR (and its LF must have arrived too).
   */
  private lengthLine(prefix: number, kind: "mbulk" | "bulk"): number | null {
    const buf = this.buf;
    const cr = findCR(buf, this.pos, this.end);
    if (cr < 0) {
      if (this.end - this.pos > INLINE_MAX_SIZE) {
        throw new ProtocolError(`too big ${kind} count string`);
      }
      return null;
    }
    // The CR is there but not yet its LF: wait, however long the line (Redis does).
    if (cr + 1 >= this.end) return null;
    if (buf[this.pos] !== prefix) {
      throw new ProtocolError(`expected '$', got '${printable(buf[this.pos]!)}'`);
    }
    const value = parseLength(buf, this.pos + 1, cr);
    if (value === null) {
      throw new ProtocolError(
        kind === "mbulk" ? "invalid multibulk length" : "invalid bulk length",
      );
    }
    this.pos = cr + 2;
    return value;
  }

  private inline(): string[] | null {
    const buf = this.buf;
    // Like Redis's strchr(querybuf, '\n'), a NUL byte hides the newline: the line never
    // completes and ends as "too big inline request".
    let nl = -1;
    for (let i = this.pos; i < this.end; i++) {
      const b = buf[i];
      if (b === LF) {
        nl = i;
        break;
      }
      if (b === 0) break;
    }
    if (nl < 0) {
      if (this.end - this.pos > INLINE_MAX_SIZE) throw new ProtocolError("too big inline request");
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && buf[lineEnd - 1] === CR) lineEnd--;
    const argv = splitArgs(buf, this.pos, lineEnd);
    this.pos = nl + 1;
    if (argv === null) throw new ProtocolError("unbalanced quotes in request");
    return argv;
  }

  private makeRoom(need: number): void {
    const used = this.end - this.pos;
    let size = this.buf.length;
    while (size - used < need) size *= 2;
    // Reuse the current buffer when sliding the unparsed tail down frees enough space, else
    // the spare one when it is big enough.
    if (size === this.buf.length) {
      this.buf.copyWithin(0, this.pos, this.end);
    } else {
      let target: Uint8Array;
      if (this.spare !== null && this.spare.length >= size) {
        target = this.spare;
        this.spare = null;
      } else {
        target = new Uint8Array(size);
      }
      target.set(this.buf.subarray(this.pos, this.end));
      this.buf = target;
      this.view = latin1View(target);
    }
    this.pos = 0;
    this.end = used;
  }
}

/** Like Redis's strchr(querybuf, '\r'), which also stops at a NUL byte. */
function findCR(buf: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b === CR) return i;
    if (b === 0) return -1;
  }
  return -1;
}

/** Redis's string2ll on buf[from, to): no '+', no leading zeros, at most 20 chars. */
function parseLength(buf: Uint8Array, from: number, to: number): number | null {
  const n = to - from;
  if (n === 0 || n > 20) return null;
  let i = from;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === to) return null;
  }
  if (buf[i] === 48 /* '0' */) return n === 1 ? 0 : null;
  let value = 0;
  for (; i < to; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  // Lengths beyond 2^53 are rejected by the callers' limits anyway.
  return negative ? -value : value;
}

/** Redis replaces CR and LF in error messages with spaces so the reply stays one line. */
function printable(byte: number): string {
  return byte === CR || byte === LF ? " " : String.fromCharCode(byte);
}
