// One connection: its read loop, request parser, reply buffer and per-client state.
// Mirrors the client struct and readQueryFromClient/writeToClient of Redis's networking.c.
import { ProtocolError, RespParser } from "./resp/parser.ts";
import { ReplyWriter } from "./resp/writer.ts";
import { protocolError } from "./errors.ts";
import { now } from "./clock.ts";
import { processCommand } from "./commands/dispatch.ts";
import { clientInfoLine } from "./commands/connection.ts";
import { type BlockState, unblockClient } from "./blocking.ts";
import { freeClientMultiState, type MultiState } from "./multi.ts";
import { type ClientPubSub, pubsubUnsubscribeAll } from "./pubsub.ts";
import { removeMonitor } from "./monitor.ts";
import { disableTracking, type TrackingState } from "./tracking.ts";
import type { Db } from "./store/keyspace.ts";
import type { Server } from "./server.ts";
import type { User } from "./acl_user.ts";
import {
  CLIENT_CLOSE_ASAP,
  CLIENT_MONITOR,
  CLIENT_PUBSUB,
  CLIENT_TRACKING,
} from "./client_flags.ts";
import { clientSetDefaultAuth } from "./acl.ts";

export * from "./client_flags.ts";

/** Output beyond this is what Redis keeps in its reply list (the part output limits count). */
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;

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
  /** The ACL user the connection runs as, and whether it logged in (lib/acl.ts). */
  user!: User;
  authenticated = false;
  /** MULTI and scripts: blocking commands reply as on timeout (Redis's CLIENT_DENY_BLOCKING). */
  denyBlocking = false;
  /** CLIENT_* bits (lib/client_flags.ts). */
  flags = 0;
  /** Queued commands and watched keys (lib/multi.ts), created by the first MULTI or WATCH. */
  mstate: MultiState | null = null;
  /** Subscriptions (lib/pubsub.ts), created by the first subscribe. */
  pubsub: ClientPubSub | null = null;
  /** CLIENT TRACKING state (lib/tracking.ts). */
  tracking: TrackingState | null = null;
  /** When the output first went past the soft limit (seconds), 0 when below it. */
  private obufSoftLimitReachedTime = 0;
  /** Waiting in pendingWrites for the next write pass. */
  private writePending = false;
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
    clientSetDefaultAuth(this);
  }

  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  get dbIndex(): number {
    return this.db.id;
  }

  /** The output buffer class (getClientType): MONITOR clients count as normal, like Redis's. */
  get obufClass(): number {
    return (this.flags & CLIENT_PUBSUB) !== 0 ? 2 : 0;
  }

  /** The `timeout` option spares clients that wait for the server (Pub/Sub, MONITOR). */
  get idleExempt(): boolean {
    return this.blocked !== null || (this.flags & (CLIENT_PUBSUB | CLIENT_MONITOR)) !== 0;
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
        server.stats.readsProcessed++;
        // Checked on what was read, before parsing, like readQueryFromClient: one argument
        // bigger than the limit closes the client even when it arrives whole.
        if (this.parser.pending > server.config.num("client-query-buffer-limit")) {
          server.log(
            "warning",
            `Closing client that reached max query buffer length: id=${this.id}`,
          );
          break;
        }
        this.processInput();
        this.lastInteraction = now();
        if (this.reply.len > PROTO_REPLY_CHUNK_BYTES && this.closeOnOutputBufferLimit()) break;
        if (this.reply.len > 0) await this.flush();
        if (this.closeAfterReply) break;
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
    // Served after a long wait: not idle (the `timeout` check must not close it now).
    this.lastInteraction = Date.now();
    this.processInput();
    this.flush().then(
      () => {
        if (this.closeAfterReply) this.close();
      },
      () => this.close(),
    );
  }

  /**
   * Output written for this client by another client's command (messages, MONITOR lines,
   * invalidations): enforces the output buffer limit, then queues the write for the end of
   * the current event, so a burst of messages leaves in one write (Redis's
   * clientInstallWriteHandler and handleClientsWithPendingWrites).
   */
  pushed(): void {
    if (this.closed || (this.flags & CLIENT_CLOSE_ASAP) !== 0) return;
    if (this.reply.len > PROTO_REPLY_CHUNK_BYTES && this.closeOnOutputBufferLimit()) return;
    if (this.writePending) return;
    this.writePending = true;
    pendingWrites.push(this);
    if (pendingWrites.length === 1) queueMicrotask(handleClientsWithPendingWrites);
  }

  /** Sends the output queued by pushed(); the write loop itself runs on. */
  writePushed(): void {
    this.writePending = false;
    if (this.closed) return;
    this.flush().catch(() => this.close());
  }

  /**
   * closeClientOnOutputBufferLimitReached: unsent output (the reply buffer, including bytes
   * handed to a write that has not completed) past the hard limit of the client's class, or past
   * the soft limit for longer than its seconds, closes the client once the current event ends.
   */
  closeOnOutputBufferLimit(): boolean {
    if (this.conn === null || (this.flags & CLIENT_CLOSE_ASAP) !== 0) return false;
    const limit = this.server.config.obufLimits()[this.obufClass]!;
    const used = this.reply.len;
    const hard = limit.hard !== 0 && used >= limit.hard;
    let soft = limit.soft !== 0 && used >= limit.soft;
    if (soft) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (this.obufSoftLimitReachedTime === 0) {
        this.obufSoftLimitReachedTime = nowSeconds;
        soft = false;
      } else if (nowSeconds - this.obufSoftLimitReachedTime <= limit.seconds) {
        soft = false;
      }
    } else {
      this.obufSoftLimitReachedTime = 0;
    }
    if (!hard && !soft) return false;
    this.server.log(
      "warning",
      `Client ${
        clientInfoLine(this)
      } scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    this.flags |= CLIENT_CLOSE_ASAP;
    queueMicrotask(() => this.close());
    return true;
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
    const aof = this.server.persistence.aof;
    try {
      do {
        // Writes reach the append-only file (fsynced, with appendfsync always) before replies.
        if (aof.pending) await aof.beforeReply();
        const out = this.reply.bytes();
        let written = 0;
        while (written < out.length) written += await conn.write(out.subarray(written));
        this.server.stats.netOutputBytes += written;
        this.server.stats.writesProcessed++;
        this.reply.consume(written);
        // Output counts as interaction (writeToClient): a client served after a long block
        // is not idle.
        this.lastInteraction = Date.now();
      } while (this.reply.len > 0 && !this.closed);
    } finally {
      this.flushing = null;
    }
  }

  /**
   * An idle client's grown input and output buffers go back to their initial size (Redis's
   * clientsCronResizeQueryBuffer and clientsCronResizeOutputBuffer).
   */
  releaseIdleBuffers(): void {
    this.parser.releaseSpare();
    if (this.flushing === null) this.reply.shrink();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A blocked client that goes away stops waiting; the next waiter gets what it would have.
    if (this.blocked !== null) unblockClient(this);
    // freeClient: the client leaves every registry that could write to it or wait for it.
    if (this.mstate !== null) freeClientMultiState(this);
    if (this.pubsub !== null) pubsubUnsubscribeAll(this, false);
    if ((this.flags & CLIENT_MONITOR) !== 0) removeMonitor(this);
    if ((this.flags & CLIENT_TRACKING) !== 0) disableTracking(this);
    try {
      this.conn?.close();
    } catch {
      // already closed by the peer
    }
    // Unsent output is dropped with the connection (a slow subscriber's may be megabytes).
    this.reply.reset();
    this.server.clientClosed(this);
  }
}

const DONE = Promise.resolve();

/** Clients with output from other clients' commands, written once the current event ends. */
let pendingWrites: Client[] = [];

function handleClientsWithPendingWrites(): void {
  const clients = pendingWrites;
  pendingWrites = [];
  for (let i = 0; i < clients.length; i++) clients[i]!.writePushed();
}

function isDisconnect(err: unknown): boolean {
  return err instanceof Deno.errors.ConnectionReset ||
    err instanceof Deno.errors.BrokenPipe ||
    err instanceof Deno.errors.BadResource ||
    err instanceof Deno.errors.ConnectionAborted ||
    err instanceof Deno.errors.Interrupted;
}
