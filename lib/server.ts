// The server: listeners and accept loops, the client registry, periodic tasks (serverCron),
// statistics, logging and shutdown. Mirrors the parts of Redis's server.c that are not commands.
import { Client } from "./client.ts";
import type { Config } from "./config.ts";
import { Keyspace } from "./store/keyspace.ts";
import { activeExpireCycle } from "./store/expiry.ts";
import { VERSION } from "./version.ts";

export interface ServerStats {
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  /** Commands per second over the last cron period (instantaneous_ops_per_sec). */
  opsPerSec: number;
}

type LogLevel = "debug" | "verbose" | "notice" | "warning";
const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_MARK: Record<LogLevel, string> = { debug: ".", verbose: "-", notice: "*", warning: "#" };

export class Server {
  readonly keyspace: Keyspace;
  readonly clients = new Map<number, Client>();
  nextClientId = 1;
  readonly startTime = Date.now();
  stats: ServerStats = newStats();
  /** The port actually listened on (differs from the config when it asks for port 0). */
  port = 0;
  shuttingDown = false;
  /** Resolves when the server has stopped; carries the exit code. */
  readonly stopped: Promise<number>;
  private resolveStopped!: (code: number) => void;
  private listeners: Deno.Listener[] = [];
  private cron: ReturnType<typeof setInterval> | undefined;
  private cronCommandsSeen = 0;
  private cronLastRun = performance.now();

  constructor(readonly config: Config) {
    this.keyspace = new Keyspace(config.num("databases"));
    this.stopped = new Promise((resolve) => this.resolveStopped = resolve);
  }

  /** Opens every `bind` address on `port` and starts accepting clients. */
  start(): void {
    const port = this.config.num("port");
    for (const spec of this.config.str("bind").split(" ")) {
      const optional = spec.startsWith("-");
      const host = optional ? spec.slice(1) : spec;
      const hostname = host === "*" ? "0.0.0.0" : host === "::*" ? "::" : host;
      try {
        const listener = Deno.listen({ hostname, port: this.port || port });
        this.port = (listener.addr as Deno.NetAddr).port;
        this.listeners.push(listener);
        this.acceptLoop(listener);
      } catch (err) {
        if (optional && err instanceof Deno.errors.AddrNotAvailable) continue;
        this.stopListening();
        throw err;
      }
    }
    this.cron = setInterval(() => this.serverCron(), 1000 / this.config.num("hz"));
    this.config.onChange((name) => {
      if (name !== "hz") return;
      clearInterval(this.cron);
      this.cron = setInterval(() => this.serverCron(), 1000 / this.config.num("hz"));
    });
  }

  private async acceptLoop(listener: Deno.Listener): Promise<void> {
    try {
      for await (const conn of listener) {
        if (this.shuttingDown) {
          conn.close();
          continue;
        }
        this.stats.totalConnections++;
        try {
          (conn as Deno.TcpConn).setNoDelay(true);
        } catch {
          // not a TCP connection
        }
        const client = new Client(this, conn);
        if (this.clients.size >= this.config.num("maxclients")) {
          this.stats.rejectedConnections++;
          client.reply.error("ERR max number of clients reached");
          client.flush().finally(() => client.close());
          continue;
        }
        this.clients.set(client.id, client);
        client.serve();
      }
    } catch (err) {
      if (!this.shuttingDown) this.log("warning", `Accept loop stopped: ${err}`);
    }
  }

  clientClosed(client: Client): void {
    this.clients.delete(client.id);
  }

  /** Periodic work, hz times per second (Redis's serverCron). */
  private serverCron(): void {
    const periodMs = 1000 / this.config.num("hz");
    // Redis gives active expiry at most 25% of the CPU time of each period.
    activeExpireCycle(this.keyspace, periodMs / 4);
    const nowPerf = performance.now();
    const elapsed = nowPerf - this.cronLastRun;
    if (elapsed >= 100) {
      this.stats.opsPerSec = Math.round(
        (this.stats.totalCommands - this.cronCommandsSeen) * 1000 / elapsed,
      );
      this.cronCommandsSeen = this.stats.totalCommands;
      this.cronLastRun = nowPerf;
    }
    const timeout = this.config.num("timeout");
    if (timeout > 0) {
      const idleSince = Date.now() - timeout * 1000;
      for (const client of this.clients.values()) {
        if (client.lastInteraction < idleSince) client.close();
      }
    }
  }

  private stopListening(): void {
    for (const listener of this.listeners) {
      try {
        listener.close();
      } catch {
        // already closed
      }
    }
    this.listeners = [];
  }

  /**
   * Stops accepting, lets every client's pending replies go out, closes all connections and
   * resolves `stopped` with the exit code.
   */
  async shutdown(code = 0): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log("warning", "User requested shutdown...");
    clearInterval(this.cron);
    this.stopListening();
    const clients = [...this.clients.values()];
    await Promise.allSettled(clients.map((c) => c.flush()));
    for (const client of clients) client.close();
    this.log("warning", `${VERSION.name} is now ready to exit, bye bye...`);
    this.resolveStopped(code);
  }

  /** A log line in Redis's format: `pid:M 25 Nov 2026 16:00:00.000 * message`. */
  log(level: LogLevel, message: string): void {
    if (LEVELS[level]! < LEVELS[this.config.str("loglevel")]!) return;
    const line = `${Deno.pid}:M ${formatLogTime(new Date())} ${LEVEL_MARK[level]} ${message}`;
    console.log(line);
  }
}

function newStats(): ServerStats {
  return {
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    opsPerSec: 0,
  };
}

/** Resets the counters CONFIG RESETSTAT resets. */
export function resetStats(server: Server): void {
  server.stats = newStats();
  const ks = server.keyspace.stats;
  ks.expiredKeys = ks.hits = ks.misses = ks.expireCycleCpuMs = 0;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatLogTime(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${
      pad(d.getMilliseconds(), 3)
    }`;
}
