// A raw RESP client for tests: sends exact bytes and returns each reply's exact bytes, so
// replies can be compared byte for byte between inmemdb and redis-server.

/** Bytes of a byte string (each char one byte). */
export function bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Byte string of bytes. */
export function str(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  }
  return s;
}

/** RESP2 multibulk encoding of a command; arguments are byte strings. */
export function encodeCommand(args: string[]): Uint8Array {
  let head = `*${args.length}\r\n`;
  for (const a of args) head += `$${a.length}\r\n${a}\r\n`;
  return bytes(head);
}

/** Length of the first complete RESP2/RESP3 frame in buf[from..], or -1 if incomplete. */
export function frameLength(buf: Uint8Array, from = 0): number {
  const end = frameEnd(buf, from);
  return end < 0 ? -1 : end - from;
}

function lineEnd(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === 13 && buf[i + 1] === 10) return i;
  return -1;
}

function frameEnd(buf: Uint8Array, at: number): number {
  if (at >= buf.length) return -1;
  const type = String.fromCharCode(buf[at]!);
  const eol = lineEnd(buf, at);
  if (eol < 0) return -1;
  const line = new TextDecoder().decode(buf.subarray(at + 1, eol));
  switch (type) {
    case "+":
    case "-":
    case ":":
    case "_":
    case ",":
    case "#":
    case "(":
      return eol + 2;
    case "$":
    case "=":
    case "!": {
      const n = Number(line);
      if (n < 0) return eol + 2;
      const end = eol + 2 + n + 2;
      return end <= buf.length ? end : -1;
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      let n = Number(line);
      if (n < 0) return eol + 2;
      if (type === "%" || type === "|") n *= 2;
      let pos = eol + 2;
      for (let i = 0; i < n; i++) {
        pos = frameEnd(buf, pos);
        if (pos < 0) return -1;
      }
      // An attribute is followed by the reply it annotates.
      return type === "|" ? frameEnd(buf, pos) : pos;
    }
    default:
      throw new Error(`not a RESP frame: ${JSON.stringify(str(buf.subarray(at, at + 40)))}`);
  }
}

export class RawClient {
  private buf = new Uint8Array(0);
  private closed = false;

  private constructor(private conn: Deno.TcpConn) {}

  static async connect(port: number, hostname = "127.0.0.1"): Promise<RawClient> {
    const conn = await Deno.connect({ hostname, port });
    return new RawClient(conn);
  }

  async send(data: Uint8Array | string): Promise<void> {
    const b = typeof data === "string" ? bytes(data) : data;
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  /** Reads more bytes; false at EOF. */
  private async fill(timeoutMs: number): Promise<boolean> {
    const chunk = new Uint8Array(65536);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) =>
      timer = setTimeout(() => r("timeout"), timeoutMs)
    );
    const result = await Promise.race([this.conn.read(chunk), timeout]);
    clearTimeout(timer);
    if (result === "timeout") throw new Error(`no reply within ${timeoutMs} ms`);
    if (result === null) {
      this.closed = true;
      return false;
    }
    const next = new Uint8Array(this.buf.length + result);
    next.set(this.buf);
    next.set(chunk.subarray(0, result), this.buf.length);
    this.buf = next;
    return true;
  }

  /** The raw bytes of the next complete reply. */
  async reply(timeoutMs = 5000): Promise<Uint8Array> {
    for (;;) {
      const n = this.buf.length > 0 ? frameLength(this.buf) : -1;
      if (n >= 0) {
        const out = this.buf.slice(0, n);
        this.buf = this.buf.slice(n);
        return out;
      }
      if (!(await this.fill(timeoutMs))) throw new Error("connection closed before a full reply");
    }
  }

  /** The next reply as a byte string (convenient for assertions). */
  async replyText(timeoutMs?: number): Promise<string> {
    return str(await this.reply(timeoutMs));
  }

  /** Sends one command (byte-string arguments) and returns its raw reply as a byte string. */
  async call(...args: string[]): Promise<string> {
    await this.send(encodeCommand(args));
    return await this.replyText();
  }

  /** Reads until the server closes the connection; returns everything that arrived. */
  async readToEnd(timeoutMs = 5000): Promise<string> {
    while (!this.closed) {
      if (!(await this.fill(timeoutMs))) break;
    }
    const out = str(this.buf);
    this.buf = new Uint8Array(0);
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

/** Sends commands in pipelined batches; returns every reply. */
export async function pipeline(
  client: RawClient,
  commands: string[][],
  batchSize = 500,
): Promise<string[]> {
  const replies: string[] = [];
  for (let at = 0; at < commands.length; at += batchSize) {
    const batch = commands.slice(at, at + batchSize);
    const parts = batch.map((c) => encodeCommand(c));
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    await client.send(all);
    for (let i = 0; i < batch.length; i++) replies.push(await client.replyText(30_000));
  }
  return replies;
}
