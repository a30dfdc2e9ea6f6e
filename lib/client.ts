// One connection: its read loop, request parser, reply buffer and per-client state.
// Mirrors the client struct and readQueryFromClient/writeToClient of Redis's networking.c.
import { ProtocolError, RespParser } from "./resp/parser.ts";
import { ReplyWriter } from "./resp/writer.ts";
import { protocolError } from "./errors.ts";
import { now } from "./clock.ts";
import { processCommand } from "./commands/dispatch.ts";
import { type BlockState, unblockClient } from "./blocking.ts";
import type { Db } from "./store/keyspace.ts";
import type { Server } from "./server.ts";

export class Client {
  readonly id: number;
  readonly reply = new ReplyWriter();
  readonly parser: RespParser;
  db: Db;
  name = "";
  libName = "";
  libVer = "";
  /** "ip:port" of the peer and of our end, as CLIENT LIST shows them. */
  addr = "";
  laddr = "";
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = "NULL";
  /** Set by QUIT, protocol errors and CLIENT KILL: close once pending replies are written. */
  closeAfterReply = false;
  closed = false;
  /** Set while a blocking command waits (lib/blocking.ts); input waits behind it. */
  blocked: BlockState | null = null;
  /**
   * Set by a write handler whose command must be replayed in another form (lib/propagate.ts):
   * the commands to propagate instead of its argv. The dispatcher resets it.
   */
  propagateAs: string[][] | null = null;
  /** MULTI and scripts: blocking commands reply as on timeout (Redis's CLIENT_DENY_BLOCKING). */
  denyBlocking = false;
  /** The running write loop, if any (see flush). */
  private flushing: Promise<void> | null = null;

  constructor(readonly server: Server, readonly conn: Deno.Conn | null = null) {
    this.id = server.nextClientId++;
    this.db = server.keyspace.dbs[0]!;
    this.parser = new RespParser(server.config.num("proto-max-bulk-len"));
    if (conn !== null) {
      const remote = conn.remoteAddr as Deno.NetAddr;
      const local = conn.localAddr as Deno.NetAddr;
      this.addr = `${remote.hostname}:${remote.port}`;
      this.laddr = `${local.hostname}:${local.port}`;
    }
  }

  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  get dbIndex(): number {
    return this.db.id;
  }

  /** Reads, executes and replies until the peer goes away or the client is closed. */
  async serve(): Promise<void> {
    const conn = this.conn!;
    const server = this.server;
    try {
      while (!this.closed) {
        const n = await conn.read(this.parser.space());
        if (n === null || this.closed) break;
        this.parser.commit(n);
        server.stats.netInputBytes += n;
        this.processInput();
        this.lastInteraction = now();
        if (this.reply.len > 0) await this.flush();
        if (this.closeAfterReply) break;
        if (this.parser.pending > server.config.num("client-query-buffer-limit")) {
          server.log(
            "warning",
            `Closing client that reached max query buffer length: id=${this.id}`,
          );
          break;
        }
      }
    } catch (err) {
      if (!isDisconnect(err)) server.log("warning", `Client id=${this.id} error: ${err}`);
    } finally {
      this.close();
    }
  }

  /** Executes every complete command in the read buffer (one reply batch). */
  processInput(): void {
    if (this.blocked !== null) return;
    for (;;) {
      let argv: string[] | null;
      try {
        argv = this.parser.next();
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.reply.error(protocolError(err.message));
        this.closeAfterReply = true;
        return;
      }
      if (argv === null) return;
      processCommand(this, argv);
      if (this.closeAfterReply || this.closed || this.blocked !== null) return;
    }
  }

  /**
   * After a blocking command got its reply (served, timed out, CLIENT UNBLOCK): runs the
   * commands pipelined behind it and sends the replies, while the read loop keeps waiting.
   */
  resume(): void {
    this.processInput();
    this.flush().then(
      () => {
        if (this.closeAfterReply) this.close();
      },
      () => this.close(),
    );
  }

  /**
   * Writes every pending reply byte. One write loop at a time: a call while one runs returns
   * that loop, which also sends what was appended meanwhile.
   */
  flush(): Promise<void> {
    if (this.flushing === null) {
      if (this.reply.len === 0 || this.closed || this.conn === null) return DONE;
      this.flushing = this.writeAll(this.conn);
    }
    return this.flushing;
  }

  private async writeAll(conn: Deno.Conn): Promise<void> {
    try {
      do {
        const out = this.reply.bytes();
        let written = 0;
        while (written < out.length) written += await conn.write(out.subarray(written));
        this.server.stats.netOutputBytes += written;
        this.reply.consume(written);
      } while (this.reply.len > 0 && !this.closed);
    } finally {
      this.flushing = null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A blocked client that goes away stops waiting; the next waiter gets what it would have.
    if (this.blocked !== null) unblockClient(this);
    try {
      this.conn?.close();
    } catch {
      // already closed by the peer
    }
    this.server.clientClosed(this);
  }
}

const DONE = Promise.resolve();

function isDisconnect(err: unknown): boolean {
  return err instanceof Deno.errors.ConnectionReset ||
    err instanceof Deno.errors.BrokenPipe ||
    err instanceof Deno.errors.BadResource ||
    err instanceof Deno.errors.ConnectionAborted ||
    err instanceof Deno.errors.Interrupted;
}
