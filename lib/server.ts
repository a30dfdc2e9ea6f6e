// The server: listeners and accept loops, the client registry, periodic tasks (serverCron),
// statistics, logging and shutdown. Mirrors the parts of Redis's server.c that are not commands.
import { clientsAllowed } from "./fd_limit.ts";
import { resetCommandStats } from "./commands/table.ts";
import { resetErrorStats } from "./commands/command_stats.ts";
import { Client } from "./client.ts";
import { type Config, utf8 } from "./config.ts";
import { Keyspace } from "./store/keyspace.ts";
import { activeExpireCycle } from "./store/expiry.ts";
import { setupMemory } from "./commands/memory.ts";
import { usedMemory } from "./store/eviction.ts";
import { VERSION } from "./version.ts";
import { Acl } from "./acl.ts";
import { Persistence, type ShutdownFlags } from "./persistence/persistence.ts";
import { listenTls, TlsConfigError, type TlsListener, tlsServerOptions } from "./tls.ts";

export interface ServerStats {
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  /** Socket reads that returned data, and reply writes (total_reads/writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
  /** Commands per second over the last cron period (instantaneous_ops_per_sec). */
  opsPerSec: number;
  /** Network KB/s over the last cron period (instantaneous_input_kbps, _output_kbps). */
  inputKbps: number;
  outputKbps: number;
}

type LogLevel = "debug" | "verbose" | "notice" | "warning";
const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
/** A client idle this long gives back its grown buffers (Redis: idle for more than 2 s). */
const CLIENT_IDLE_BUFFERS_MS = 2000;
const LEVEL_MARK: Record<LogLevel, string> = {
  debug: ".",
  verbose: "-",
  notice: "*",
  warning: "#",
};

/** 40 random hex digits, like Redis's run_id and replication id. */
function randomHex40(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class Server {
  readonly keyspace: Keyspace;
  readonly clients = new Map<number, Client>();
  /** Users, their permissions and the ACL log. */
  readonly acl: Acl;
  nextClientId = 1;
  readonly startTime = Date.now();
  /** UNIX time of the last successful save (LASTSAVE); startup before the first one. */
  lastSave = Math.floor(Date.now() / 1000);
  /** RDB snapshots: SAVE, BGSAVE, save points, the save at shutdown (lib/persistence/). */
  readonly persistence: Persistence;
  /** Identity of this process run (INFO run_id) and of its replication history. */
  readonly runId = randomHex40();
  readonly replId = randomHex40();
  /** Clients blocked in a blocking command (INFO blocked_clients), kept by those commands. */
  blockedClients = 0;
  /** Highest used_memory seen (INFO used_memory_peak). */
  memoryPeak = 0;
  /** heap used once the server is up (INFO used_memory_startup). */
  memoryStartup = 0;
  stats: ServerStats = newStats();
  /** The port actually listened on (differs from the config when it asks for port 0). */
  port = 0;
  shuttingDown = false;
  /** Resolves when the server has stopped; carries the exit code. */
  readonly stopped: Promise<number>;
  private resolveStopped!: (code: number) => void;
  private listeners: Deno.Listener[] = [];
  private tlsListeners: TlsListener[] = [];
  /** The TLS listeners being (re)opened, so changes apply one after the other. */
  private tlsOpening: Promise<void> = Promise.resolve();
  private cron: ReturnType<typeof setInterval> | undefined;
  private cronCommandsSeen = 0;
  private cronInputSeen = 0;
  private cronOutputSeen = 0;
  private cronLastRun = performance.now();
  /** When the once-a-second pass over the clients last ran (Redis's clientsCron). */
  private clientsCronLastRun = performance.now();
  private logFile: Deno.FsFile | null = null;
  private pidFile: string | null = null;

  constructor(readonly config: Config) {
    this.keyspace = new Keyspace(config.num("databases"));
    this.stopped = new Promise((resolve) => this.resolveStopped = resolve);
    const logfile = config.str("logfile");
    if (logfile !== "") {
      this.logFile = Deno.openSync(utf8(logfile), { append: true, create: true });
    }
    const maxclients = config.num("maxclients");
    const allowed = clientsAllowed(maxclients);
    if (allowed !== maxclients) {
      config.setNumber("maxclients", allowed);
      this.log(
        "warning",
        `You requested maxclients of ${maxclients} requiring at least ${
          maxclients + 32
        } max file descriptors. Server can't set maximum open files, maxclients is now ${allowed}.`,
      );
    }
    setupMemory(this);
    this.persistence = new Persistence(this);
    this.acl = new Acl(this);
    this.acl.loadUsersAtStartup();
  }

  /** Listens on every `bind` address, writes the pidfile and starts the cron. */
  start(): void {
    this.listeners = this.listen(this.config.list("bind"), this.config.num("port"));
    const pidfile = this.config.str("pidfile");
    if (pidfile !== "") {
      Deno.writeTextFileSync(utf8(pidfile), `${Deno.pid}\n`);
      this.pidFile = utf8(pidfile);
    }
    this.memoryStartup = Deno.memoryUsage().heapUsed;
    this.memoryPeak = usedMemory(this.keyspace);
    this.armCron();
    this.reopenTls(true);
    this.config.onChange((name) => {
      if (TLS_LISTENER_OPTIONS.includes(name)) this.reopenTls(false);
      if (name === "hz") this.armCron();
      if (name === "proto-max-bulk-len") {
        const max = this.config.num(name);
        for (const client of this.clients.values()) client.parser.maxBulkLen = max;
      }
    });
    // CONFIG SET port/bind: move to the new addresses, or keep the old ones on failure.
    const relisten = (error: string) => () => {
      try {
        this.listeners = this.listen(this.config.list("bind"), this.config.num("port"));
        return null;
      } catch (err) {
        this.log("warning", `Failed to listen: ${(err as Error).message}`);
        return error;
      }
    };
    // updateAppendonly: on (after a first rewrite) or off; updateAppendFsync fsyncs at once.
    this.config.onApply("appendonly", () => {
      const aof = this.persistence.aof;
      const enabled = this.config.bool("appendonly");
      if (!enabled && aof.state !== "off") aof.stop();
      else if (enabled && aof.state === "off" && !aof.start()) {
        return "Unable to turn on AOF. Check server logs.";
      }
      return null;
    });
    this.config.onApply("appendfsync", () => {
      if (this.persistence.aof.state !== "off") this.persistence.aof.flush(true);
      return null;
    });
    // updateMaxclients: a limit the OS cannot serve is refused with the one it can.
    this.config.onApply("maxclients", () => {
      const allowed = clientsAllowed(this.config.num("maxclients"));
      if (allowed === this.config.num("maxclients")) return null;
      return "The operating system is not able to handle the specified number of clients, " +
        `try with ${allowed}`;
    });
    this.config.onApply("port", relisten("Unable to listen on this port. Check server logs."));
    this.config.onApply("bind", relisten("Failed to bind to specified addresses."));
    // applyTlsCfg/applyTLSPort: while TLS is in use, a change must leave a working setup.
    for (const name of TLS_OPTIONS) {
      this.config.onApply(name, () => {
        const inUse = this.config.num("tls-port") !== 0 || this.config.bool("tls-replication") ||
          this.config.bool("tls-cluster");
        if (!inUse) return null;
        try {
          tlsServerOptions(this.config);
          return null;
        } catch (err) {
          if (!(err instanceof TlsConfigError)) throw err;
          this.log("warning", err.message);
          return "Unable to update TLS configuration. Check server logs.";
        }
      });
    }
  }

  /**
   * Opens a listener per address, like listenToPort: "*" is every IPv4 address, "::*" every
   * IPv6 one, and a "-" prefix marks an address that may be unavailable. Port 0 picks a free
   * port (Redis would not listen on TCP at all). Listeners already open on the same address and
   * port are kept (a closed one frees its port only later); the others are closed once every
   * new address is open, so a failure leaves the old listeners in place.
   */
  private listen(addresses: string[], port: number): Deno.Listener[] {
    const current = new Map<string, Deno.Listener>();
    for (const listener of this.listeners) {
      current.set((listener.addr as Deno.NetAddr).hostname, listener);
    }
    const samePort = this.port !== 0 && (port === this.port || port === 0);
    const kept: Deno.Listener[] = [];
    const opened: Deno.Listener[] = [];
    let boundPort = samePort ? this.port : port;
    for (const spec of addresses.length === 0 ? ["*", "-::*"] : addresses) {
      const optional = spec.startsWith("-");
      const host = optional ? spec.slice(1) : spec;
      const hostname = host === "*" ? "0.0.0.0" : host === "::*" ? "::" : host;
      const existing = samePort ? current.get(hostname) : undefined;
      if (existing !== undefined) {
        kept.push(existing);
        continue;
      }
      try {
        const listener = Deno.listen({ hostname, port: boundPort });
        boundPort = (listener.addr as Deno.NetAddr).port;
        opened.push(listener);
      } catch (err) {
        // Deno's IPv6 wildcard is dual-stack, so "::" after "0.0.0.0" finds the port taken.
        const covered = hostname === "::" && err instanceof Deno.errors.AddrInUse;
        if (optional && (err instanceof Deno.errors.AddrNotAvailable || covered)) continue;
        closeAll(opened);
        throw err;
      }
    }
    closeAll(this.listeners.filter((listener) => !kept.includes(listener)));
    this.port = boundPort;
    for (const listener of opened) this.acceptLoop(listener);
    return [...kept, ...opened];
  }

  /**
   * Closes the TLS listeners and, when tls-port is set, opens one per bind address with the
   * current certificates. At startup a failure stops the server, as in Redis; after CONFIG SET
   * it is logged and TLS stays off.
   */
  private reopenTls(atStartup: boolean): void {
    this.tlsOpening = this.tlsOpening.then(async () => {
      for (const listener of this.tlsListeners) listener.close();
      this.tlsListeners = [];
      const port = this.config.num("tls-port");
      if (port === 0 || this.shuttingDown) return;
      let options;
      try {
        options = tlsServerOptions(this.config);
      } catch (err) {
        if (!(err instanceof TlsConfigError)) throw err;
        this.log("warning", err.message);
        this.log("warning", "Failed to configure TLS. Check logs for more info.");
        if (atStartup) await this.shutdown(1, "Exiting: TLS is not configured.");
        return;
      }
      try {
        for (const spec of this.config.list("bind")) {
          const optional = spec.startsWith("-");
          const host = optional ? spec.slice(1) : spec;
          if (host === "::*" && this.tlsListeners.length > 0) continue; // dual-stack already
          const hostname = host === "*" ? "0.0.0.0" : host === "::*" ? "::" : host;
          this.tlsListeners.push(
            await listenTls(
              this.config,
              options,
              hostname,
              port,
              (conn) => this.accept(conn),
              (message) => this.log("verbose", message),
            ),
          );
        }
        this.log("notice", `Ready to accept connections tls port=${port}`);
      } catch (err) {
        this.log("warning", `Failed listening on port ${port} (tls), aborting: ${err}`);
        for (const listener of this.tlsListeners) listener.close();
        this.tlsListeners = [];
        if (atStartup) await this.shutdown(1, "Exiting: no TLS listener.");
      }
    });
  }

  private async acceptLoop(listener: Deno.Listener): Promise<void> {
    try {
      for await (const conn of listener) this.accept(conn);
    } catch (err) {
      if (!this.shuttingDown && this.listeners.includes(listener)) {
        this.log("warning", `Accept loop stopped: ${err}`);
      }
    }
  }

  /**
   * A new connection, plain or TLS (acceptCommonHandler, then clientAcceptHandler): refused
   * past maxclients, and from other hosts while protected mode is on and no password is set.
   */
  accept(conn: Deno.Conn): void {
    if (this.shuttingDown) {
      conn.close();
      return;
    }
    this.stats.totalConnections++;
    setSocketOptions(conn, this.config.num("tcp-keepalive"));
    const client = new Client(this, conn);
    let refusal: string | null = null;
    if (this.clients.size >= this.config.num("maxclients")) {
      refusal = "ERR max number of clients reached";
    } else if (
      this.config.bool("protected-mode") && this.acl.defaultUser.nopass &&
      !isLoopback((conn.remoteAddr as Deno.NetAddr).hostname)
    ) {
      refusal = PROTECTED_MODE_DENIED;
    }
    if (refusal !== null) {
      this.stats.rejectedConnections++;
      client.reply.error(refusal);
      client.flush().finally(() => client.close());
      return;
    }
    this.clients.set(client.id, client);
    client.serve();
  }

  clientClosed(client: Client): void {
    this.clients.delete(client.id);
  }

  private armCron(): void {
    clearInterval(this.cron);
    this.cron = setInterval(() => this.serverCron(), 1000 / this.config.num("hz"));
  }

  /** Periodic work, hz times per second (Redis's serverCron). */
  private serverCron(): void {
    const periodMs = 1000 / this.config.num("hz");
    // Redis gives active expiry at most 25% of the CPU time of each period.
    activeExpireCycle(this.keyspace, periodMs / 4);
    this.persistence.cron();
    const nowPerf = performance.now();
    const elapsed = nowPerf - this.cronLastRun;
    if (elapsed >= 100) {
      const stats = this.stats;
      const perSecond = (delta: number) => delta * 1000 / elapsed;
      stats.opsPerSec = Math.round(perSecond(stats.totalCommands - this.cronCommandsSeen));
      stats.inputKbps = perSecond(stats.netInputBytes - this.cronInputSeen) / 1024;
      stats.outputKbps = perSecond(stats.netOutputBytes - this.cronOutputSeen) / 1024;
      this.cronCommandsSeen = stats.totalCommands;
      this.cronInputSeen = stats.netInputBytes;
      this.cronOutputSeen = stats.netOutputBytes;
      this.cronLastRun = nowPerf;
    }
    this.memoryPeak = Math.max(this.memoryPeak, usedMemory(this.keyspace));
    if (nowPerf - this.clientsCronLastRun >= 1000) {
      this.clientsCronLastRun = nowPerf;
      const idleSince = Date.now() - CLIENT_IDLE_BUFFERS_MS;
      for (const client of this.clients.values()) {
        if (client.lastInteraction < idleSince) client.releaseIdleBuffers();
      }
    }
    const timeout = this.config.num("timeout");
    if (timeout > 0) {
      const idleSince = Date.now() - timeout * 1000;
      for (const client of this.clients.values()) {
        // Like Redis, a client waiting in a blocking command, Pub/Sub or MONITOR is not idle.
        if (client.lastInteraction < idleSince && !client.idleExempt) client.close();
      }
    }
  }

  /** Counters zeroed by CONFIG RESETSTAT. */
  resetStats(): void {
    this.stats = newStats();
    resetCommandStats();
    resetErrorStats();
    this.cronCommandsSeen = this.cronInputSeen = this.cronOutputSeen = 0;
    const ks = this.keyspace.stats;
    ks.expiredKeys =
      ks.hits =
      ks.misses =
      ks.expireCycleCpuMs =
        0;
    this.keyspace.evictedKeys = 0;
    this.memoryPeak = usedMemory(this.keyspace);
  }

  /**
   * Stops accepting, stops every client after its current command, lets pending replies go
   * out, closes all connections, removes the pidfile and resolves `stopped` with the exit code.
   */
  /**
   * prepareForShutdown: logs the request, stops a BGSAVE and saves when the config or the flags
   * ask for it. False, with the server still running, when that save failed (without FORCE).
   */
  prepareForShutdown(flags: ShutdownFlags = {}): boolean {
    this.log("warning", "User requested shutdown...");
    if (this.persistence.prepareForShutdown(flags)) return true;
    this.log(
      "warning",
      "Errors trying to shut down the server. Check the logs for more information.",
    );
    return false;
  }

  /** Stops the server; `reason` is logged unless prepareForShutdown already did. */
  async shutdown(code = 0, reason: string | null = null): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (reason !== null) this.log("warning", reason);
    clearInterval(this.cron);
    const listeners = this.listeners;
    for (const listener of this.tlsListeners) listener.close();
    this.tlsListeners = [];
    this.listeners = [];
    closeAll(listeners);
    const clients = [...this.clients.values()];
    for (const client of clients) client.closeAfterReply = true;
    await Promise.allSettled(clients.map((c) => c.flush()));
    for (const client of clients) client.close();
    if (this.pidFile !== null) {
      this.log("notice", "Removing the pid file.");
      try {
        Deno.removeSync(this.pidFile);
      } catch {
        // already gone
      }
    }
    this.log("warning", `${VERSION.name} is now ready to exit, bye bye...`);
    this.logFile?.close();
    this.logFile = null;
    this.resolveStopped(code);
  }

  /** A log line in Redis's format: `pid:M 25 Nov 2026 16:00:00.000 * message`. */
  log(level: LogLevel, message: string): void {
    if (LEVELS[level]! < LEVELS[this.config.str("loglevel")]!) return;
    const line = `${Deno.pid}:M ${formatLogTime(new Date())} ${LEVEL_MARK[level]} ${message}`;
    if (this.logFile === null) console.log(line);
    else this.logFile.writeSync(new TextEncoder().encode(line + "\n"));
  }
}

/** Every TLS option: a change is checked while TLS is in use. */
const TLS_OPTIONS = [
  "tls-port",
  "tls-cert-file",
  "tls-key-file",
  "tls-key-file-pass",
  "tls-client-cert-file",
  "tls-client-key-file",
  "tls-client-key-file-pass",
  "tls-dh-params-file",
  "tls-ca-cert-file",
  "tls-ca-cert-dir",
  "tls-protocols",
  "tls-ciphers",
  "tls-ciphersuites",
  "tls-auth-clients",
  "tls-prefer-server-ciphers",
  "tls-session-caching",
  "tls-session-cache-size",
  "tls-session-cache-timeout",
  "tls-replication",
  "tls-cluster",
];

/** Options whose change reopens the TLS listeners (applyTLSPort, applyTlsCfg). */
const TLS_LISTENER_OPTIONS = [
  "tls-port",
  "tls-cert-file",
  "tls-key-file",
  "tls-key-file-pass",
  "tls-ca-cert-file",
  "tls-ca-cert-dir",
  "tls-auth-clients",
  "tls-protocols",
];

/** clientAcceptHandler's refusal of non-loopback peers in protected mode (Redis 7.0 text). */
const PROTECTED_MODE_DENIED = "DENIED Redis is running in protected mode because protected " +
  "mode is enabled and no password is set for the default user. In this mode connections are " +
  "only accepted from the loopback interface. If you want to connect from external computers " +
  "to Redis you may adopt one of the following solutions: 1) Just disable protected mode " +
  "sending the command 'CONFIG SET protected-mode no' from the loopback interface by " +
  "connecting to Redis from the same host the server is running, however MAKE SURE Redis is " +
  "not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change " +
  "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis " +
  "configuration file, and setting the protected mode option to 'no', and then restarting the " +
  "server. 3) If you started the server manually just for testing, restart it with the " +
  "'--protected-mode no' option. 4) Setup a an authentication password for the default user. " +
  "NOTE: You only need to do one of the above things in order for the server to start " +
  "accepting connections from the outside.";

/**
 * Redis compares the peer's text form with 127.0.0.1 and ::1 only; a dual-stack IPv6 listener
 * shows IPv4 loopback peers as ::ffff:127.0.0.1.
 */
function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "::1" || hostname === "::ffff:127.0.0.1";
}

/**
 * No Nagle delay for replies, and keepalive probes when tcp-keepalive is set (Deno cannot set
 * the probe interval; TLS sockets can, see lib/tls.ts).
 */
function setSocketOptions(conn: Deno.Conn, keepalive: number): void {
  if (!("setNoDelay" in conn)) return;
  const tcp = conn as Deno.TcpConn;
  try {
    tcp.setNoDelay(true);
    if (keepalive > 0) tcp.setKeepAlive(true);
  } catch {
    // the peer is already gone
  }
}

function closeAll(listeners: Deno.Listener[]): void {
  for (const listener of listeners) {
    try {
      listener.close();
    } catch {
      // already closed
    }
  }
}

function newStats(): ServerStats {
  return {
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    readsProcessed: 0,
    writesProcessed: 0,
    opsPerSec: 0,
    inputKbps: 0,
    outputKbps: 0,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatLogTime(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${
      pad(d.getMilliseconds(), 3)
    }`;
}
