// BGSAVE of a large dataset under load: for inmemdb (incremental snapshot, no fork) and
// redis-server (fork), how long the save takes and the longest wait of a client sending PINGs
// one at a time meanwhile, while another client keeps writing. Also SAVE's duration and the
// time to load the file at startup.
// Run alone: deno run -A bench/bgsave.ts [--keys 1000000]
import { type BenchServer, type ServerKind, startServer } from "./servers.ts";

export interface BgsaveRow {
  kind: ServerKind;
  keys: number;
  bgsaveMs: number;
  pings: number;
  maxPingMs: number;
  p99PingMs: number;
  /** SETs served during the BGSAVE by the writing client. */
  writes: number;
  fileBytes: number;
  saveMs: number;
  /** From spawn until DBSIZE answers: starting up and loading dump.rdb. */
  loadMs: number;
  error?: string;
}

function frame(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** A minimal pipelining RESP client: replies are read as text, one line or bulk each. */
class Conn {
  private buf = "";
  private readonly decoder = new TextDecoder("latin1");
  private constructor(private readonly conn: Deno.TcpConn) {}

  static async open(port: number): Promise<Conn> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    return new Conn(conn);
  }

  async send(commands: string[][]): Promise<string[]> {
    await this.conn.write(new TextEncoder().encode(commands.map(frame).join("")));
    const replies: string[] = [];
    const chunk = new Uint8Array(1 << 16);
    while (replies.length < commands.length) {
      const reply = this.next();
      if (reply !== null) {
        replies.push(reply);
        continue;
      }
      const n = await this.conn.read(chunk);
      if (n === null) throw new Error("connection closed");
      this.buf += this.decoder.decode(chunk.subarray(0, n));
    }
    return replies;
  }

  private next(): string | null {
    const end = this.buf.indexOf("\r\n");
    if (end < 0) return null;
    if (this.buf[0] === "$") {
      const len = Number(this.buf.slice(1, end));
      if (len < 0) return this.take(end + 2);
      if (this.buf.length < end + 2 + len + 2) return null;
      return this.take(end + 2 + len + 2);
    }
    return this.take(end + 2);
  }

  private take(n: number): string {
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return out;
  }

  close(): void {
    this.conn.close();
  }
}

function field(info: string, name: string): string {
  return new RegExp(`\r\n${name}:([^\r]*)`).exec(info)?.[1] ?? "";
}

async function populate(conn: Conn, keys: number): Promise<void> {
  const batch: string[][] = [];
  for (let at = 0; at < keys; at += 1000) {
    const mset = ["MSET"];
    for (let i = at; i < Math.min(keys, at + 1000); i++) {
      mset.push(`key:${i}`, `value:${i}:xxxxxxxxxxxxxxxx`);
    }
    batch.push(mset);
    if (batch.length === 50) await conn.send(batch.splice(0));
  }
  if (batch.length > 0) await conn.send(batch);
}

async function measure(
  kind: ServerKind,
  keys: number,
  log: (line: string) => void,
): Promise<BgsaveRow> {
  const dir = await Deno.makeTempDir({ prefix: `inmemdb-bgsave-bench-${kind}-` });
  let server: BenchServer | undefined;
  const conns: Conn[] = [];
  try {
    server = await startServer(kind, dir);
    const open = async () => {
      const c = await Conn.open(server!.port);
      conns.push(c);
      return c;
    };
    const main = await open(), pinger = await open(), writer = await open();
    log(`bgsave   ${kind.padEnd(7)} loading ${keys.toLocaleString("en-US")} keys`);
    await populate(main, keys);

    let running = true;
    const latencies: number[] = [];
    const pinging = (async () => {
      while (running) {
        const t = performance.now();
        await pinger.send([["PING"]]);
        latencies.push(performance.now() - t);
      }
    })();
    let writes = 0;
    const writing = (async () => {
      let n = 0;
      while (running) {
        const batch: string[][] = [];
        for (let i = 0; i < 100; i++) batch.push(["SET", `key:${(n++ * 7919) % keys}`, "updated"]);
        await writer.send(batch);
        writes += batch.length;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    latencies.length = 0;
    writes = 0;
    const started = performance.now();
    const [reply] = await main.send([["BGSAVE"]]);
    if (!reply!.startsWith("+")) throw new Error(`BGSAVE: ${reply}`);
    let info = "";
    for (;;) {
      info = (await main.send([["INFO", "persistence"]]))[0]!;
      if (field(info, "rdb_bgsave_in_progress") === "0") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const bgsaveMs = performance.now() - started;
    const writesDuring = writes;
    running = false;
    await Promise.all([pinging, writing]);
    if (field(info, "rdb_last_bgsave_status") !== "ok") throw new Error("BGSAVE failed");
    const sorted = [...latencies].sort((a, b) => a - b);
    const fileBytes = (await Deno.stat(`${dir}/dump.rdb`)).size;

    const t = performance.now();
    const [saved] = await main.send([["SAVE"]]);
    if (!saved!.startsWith("+")) throw new Error(`SAVE: ${saved}`);
    const saveMs = performance.now() - t;
    for (const c of conns.splice(0)) c.close();
    await server.stop();
    server = await startServer(kind, dir);
    const accepted = performance.now();
    const check = await open();
    // Redis accepts connections while it loads and answers -LOADING until it is done.
    let size = "";
    for (;;) {
      size = (await check.send([["DBSIZE"]]))[0]!;
      if (!size.startsWith("-LOADING")) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const loadMs = server.startupMs + performance.now() - accepted;
    if (size !== `:${keys}\r\n`) throw new Error(`after restart DBSIZE is ${size.trim()}`);
    const row: BgsaveRow = {
      kind,
      keys,
      bgsaveMs,
      pings: sorted.length,
      maxPingMs: sorted[sorted.length - 1] ?? 0,
      p99PingMs: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      writes: writesDuring,
      fileBytes,
      saveMs,
      loadMs,
    };
    log(
      `bgsave   ${kind.padEnd(7)} ${Math.round(bgsaveMs)} ms, ${row.pings} PINGs, max ` +
        `${row.maxPingMs.toFixed(1)} ms, SAVE ${Math.round(saveMs)} ms, load ${
          Math.round(loadMs)
        } ms`,
    );
    return row;
  } catch (err) {
    return {
      kind,
      keys,
      bgsaveMs: 0,
      pings: 0,
      maxPingMs: 0,
      p99PingMs: 0,
      writes: 0,
      fileBytes: 0,
      saveMs: 0,
      loadMs: 0,
      error: (err as Error).message,
    };
  } finally {
    for (const c of conns) c.close();
    await server?.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Measures both servers, one after the other (each alone on the machine). */
export async function bgsaveBench(keys: number, log: (line: string) => void): Promise<BgsaveRow[]> {
  const rows: BgsaveRow[] = [];
  for (const kind of ["inmemdb", "redis"] as const) rows.push(await measure(kind, keys, log));
  return rows;
}

export function renderBgsave(rows: BgsaveRow[]): string {
  const ms = (n: number) => n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US");
  const keys = rows[0]?.keys.toLocaleString("en-US") ?? "0";
  const lines = [
    `BGSAVE of ${keys} keys (30-byte values) while one client writes (pipelined SETs) and ` +
    "another sends PINGs one at a time; SAVE and startup load of the same data:",
    "",
    "| server  | BGSAVE ms | PINGs | max PING ms | p99 PING ms | SETs during | dump.rdb bytes | SAVE ms | load ms |",
    "| ------- | --------: | ----: | ----------: | ----------: | ----------: | -------------: | ------: | ------: |",
  ];
  for (const r of rows) {
    if (r.error !== undefined) {
      lines.push(`| ${r.kind} | error: ${r.error} | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.kind} | ${ms(r.bgsaveMs)} | ${r.pings.toLocaleString("en-US")} | ${
        r.maxPingMs.toFixed(1)
      } | ${r.p99PingMs.toFixed(2)} | ${r.writes.toLocaleString("en-US")} | ${
        r.fileBytes.toLocaleString("en-US")
      } | ${ms(r.saveMs)} | ${ms(r.loadMs)} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--keys");
  const keys = i >= 0 ? Number(Deno.args[i + 1]) : 1_000_000;
  if (!Number.isInteger(keys) || keys < 1) {
    console.error("usage: deno run -A bench/bgsave.ts [--keys N]");
    Deno.exit(2);
  }
  const rows = await bgsaveBench(keys, (line) => console.error(line));
  console.log(renderBgsave(rows));
  Deno.exit(rows.some((r) => r.error !== undefined) ? 1 : 0);
}
