// Memory benchmark: bytes per key of `SET key:N <32-byte value>` in inmemdb and redis-server
// (RSS after the load minus RSS before, both in the same run), and how close inmemdb's
// used_memory estimate is to the V8 heap growth it stands for, per data type.
//
//   deno run -A bench/memory.ts [--keys 1000000] [--accuracy] [--scale 1]
//
// inmemdb runs with --v8-flags=--expose-gc so that MEMORY PURGE collects garbage (like
// jemalloc's purge for redis-server) before each reading.
import { MAIN_TS, SERVER_FLAGS, v8Flags } from "../scripts/server_flags.ts";
import { freePort } from "./servers.ts";

export interface MemoryServer {
  kind: "inmemdb" | "redis";
  port: number;
  stop(): Promise<void>;
}

/** Starts a server with no persistence; `extra` goes to its command line. */
export async function startMemoryServer(
  kind: "inmemdb" | "redis",
  extra: string[] = [],
): Promise<MemoryServer> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: `memory-bench-${kind}-` });
  const common = ["--port", String(port), "--save", "", "--dir", dir, ...extra];
  const [cmd, args] = kind === "inmemdb"
    ? [Deno.execPath(), [
      "run",
      ...SERVER_FLAGS.filter((f) => !f.startsWith("--v8-flags")),
      v8Flags("--expose-gc"),
      MAIN_TS,
      ...common,
    ]]
    : ["redis-server", [...common, "--bind", "127.0.0.1", "--appendonly", "no"]];
  const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .spawn();
  const stderr = child.stderr.pipeTo(new WritableStream());
  let exited = false;
  child.status.then(() => exited = true);
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    await child.status;
    await stderr.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (exited || Date.now() > deadline) {
        await stop();
        throw new Error(`${kind} did not start`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { kind, port, stop };
}

const encoder = new TextEncoder();

/** A connection that sends commands in pipelined batches and waits for every reply. */
export class Pipeline {
  private buf = new Uint8Array(1 << 16);
  private constructor(private conn: Deno.TcpConn) {}

  static async connect(port: number): Promise<Pipeline> {
    return new Pipeline(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends the commands and reads their replies, which must each be one line (+OK, :n, -ERR). */
  async run(commands: string[][]): Promise<void> {
    let text = "";
    for (const argv of commands) {
      text += `*${argv.length}\r\n`;
      for (const a of argv) text += `$${a.length}\r\n${a}\r\n`;
    }
    const data = encoder.encode(text);
    const writing = (async () => {
      let off = 0;
      while (off < data.length) off += await this.conn.write(data.subarray(off));
    })();
    let lines = 0;
    while (lines < commands.length) {
      const n = await this.conn.read(this.buf);
      if (n === null) throw new Error("connection closed");
      for (let i = 0; i < n; i++) if (this.buf[i] === 10) lines++;
    }
    await writing;
  }

  /** One command whose reply is a bulk string (INFO): returns its text. */
  async text(argv: string[]): Promise<string> {
    let req = `*${argv.length}\r\n`;
    for (const a of argv) req += `$${a.length}\r\n${a}\r\n`;
    await this.conn.write(encoder.encode(req));
    let out = "";
    const decoder = new TextDecoder();
    for (;;) {
      const n = await this.conn.read(this.buf);
      if (n === null) throw new Error("connection closed");
      out += decoder.decode(this.buf.subarray(0, n));
      const m = /^[$=](\d+)\r\n/.exec(out);
      if (out.startsWith("+") || out.startsWith("-") || out.startsWith(":")) {
        if (out.endsWith("\r\n")) return out;
      } else if (m !== null && out.length >= m[0].length + Number(m[1]) + 2) {
        return out.slice(m[0].length, m[0].length + Number(m[1]));
      }
    }
  }

  close(): void {
    this.conn.close();
  }
}

/** Numeric INFO fields. */
export async function info(p: Pipeline, section = "memory"): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await p.text(["INFO", section])).split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

/** Runs `make(i)` for i in [0, n) in pipelined batches. */
export async function load(p: Pipeline, n: number, make: (i: number) => string[]) {
  const batch = 5000;
  for (let start = 0; start < n; start += batch) {
    const commands: string[][] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) commands.push(make(i));
    await p.run(commands);
  }
}

/** A 32-byte value that differs per key. */
function value32(i: number): string {
  return `v${String(i).padStart(31, "0")}`;
}

/** Memory readings after a purge (a full GC in inmemdb). */
async function settle(p: Pipeline): Promise<Record<string, number>> {
  await p.text(["MEMORY", "PURGE"]);
  await new Promise((r) => setTimeout(r, 200));
  await p.text(["MEMORY", "PURGE"]);
  return await info(p);
}

export interface BytesPerKey {
  keys: number;
  inmemdb: number;
  redis: number;
  ratio: number;
}

/** RSS growth per key for `keys` SETs of 32-byte values, both servers in the same run. */
export async function bytesPerKey(keys: number): Promise<BytesPerKey> {
  const result: Record<string, number> = {};
  for (const kind of ["inmemdb", "redis"] as const) {
    const server = await startMemoryServer(kind);
    try {
      const p = await Pipeline.connect(server.port);
      const before = await settle(p);
      await load(p, keys, (i) => ["SET", `key:${i}`, value32(i)]);
      const after = await settle(p);
      result[kind] = (after.used_memory_rss! - before.used_memory_rss!) / keys;
      p.close();
    } finally {
      await server.stop();
    }
  }
  return {
    keys,
    inmemdb: result.inmemdb!,
    redis: result.redis!,
    ratio: result.inmemdb! / result.redis!,
  };
}

export interface AccuracyRow {
  dataset: string;
  keys: number;
  /** used_memory growth. */
  estimated: number;
  /** V8 heap growth after a full GC. */
  heap: number;
  errorPct: number;
}

/** The data sets of the accuracy check; scale 1 is 1M strings and 100k of each collection. */
export function datasets(
  scale: number,
): { name: string; keys: number; make: (i: number) => string[] }[] {
  const strings = Math.round(1_000_000 * scale), small = Math.round(100_000 * scale);
  const fields = (n: number, f: (j: number) => string[]) => {
    const out: string[] = [];
    for (let j = 0; j < n; j++) out.push(...f(j));
    return out;
  };
  return [
    { name: "strings (32 B)", keys: strings, make: (i) => ["SET", `key:${i}`, value32(i)] },
    {
      name: "hashes (10 fields)",
      keys: small,
      make: (i) => ["HSET", `hash:${i}`, ...fields(10, (j) => [`field${j}`, `value:${i}:${j}`])],
    },
    {
      name: "lists (10 elements)",
      keys: small,
      make: (i) => ["RPUSH", `list:${i}`, ...fields(10, (j) => [`element:${i}:${j}`])],
    },
    {
      name: "sets (10 members)",
      keys: small,
      make: (i) => ["SADD", `set:${i}`, ...fields(10, (j) => [`member:${i}:${j}`])],
    },
    {
      name: "zsets (10 members)",
      keys: small,
      make: (i) => [
        "ZADD",
        `zset:${i}`,
        ...fields(10, (j) => [String(j * 1.5), `member:${i}:${j}`]),
      ],
    },
    {
      name: "big hash (hashtable)",
      keys: small,
      make: (i) => ["HSET", `bighash:${i % 10}`, `field:${i}`, value32(i)],
    },
    {
      name: "big set (hashtable)",
      keys: small,
      make: (i) => ["SADD", `bigset:${i % 10}`, `member:${i}`],
    },
    {
      name: "big zset (skiplist)",
      keys: small,
      make: (i) => ["ZADD", `bigzset:${i % 10}`, String(i * 0.5), `member:${i}`],
    },
    {
      name: "big list (quicklist)",
      keys: small,
      make: (i) => ["RPUSH", `biglist:${i % 10}`, `element:${i}`],
    },
  ];
}

/** used_memory growth against heap growth for each data set, on a fresh inmemdb. */
export async function accuracy(scale: number): Promise<AccuracyRow[]> {
  const server = await startMemoryServer("inmemdb");
  const rows: AccuracyRow[] = [];
  try {
    const p = await Pipeline.connect(server.port);
    for (const set of datasets(scale)) {
      await p.text(["FLUSHALL"]);
      const before = await settle(p);
      await load(p, set.keys, set.make);
      const after = await settle(p);
      const estimated = after.used_memory! - before.used_memory!;
      const heap = after.allocator_allocated! - before.allocator_allocated!;
      rows.push({
        dataset: set.name,
        keys: set.keys,
        estimated,
        heap,
        errorPct: ((estimated - heap) / heap) * 100,
      });
    }
    p.close();
  } finally {
    await server.stop();
  }
  return rows;
}

export function renderBytesPerKey(r: BytesPerKey): string {
  return [
    `| SET key:N <32-byte value> | keys | inmemdb B/key | redis B/key | ratio |`,
    `| ------------------------- | ---: | ------------: | ----------: | ----: |`,
    `| RSS after load - before | ${r.keys} | ${r.inmemdb.toFixed(1)} | ${r.redis.toFixed(1)} | ${
      r.ratio.toFixed(2)
    } |`,
  ].join("\n");
}

export function renderAccuracy(rows: AccuracyRow[]): string {
  const lines = [
    "| data set | writes | used_memory growth | heap growth (after GC) | error |",
    "| -------- | -----: | -----------------: | ---------------------: | ----: |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.dataset} | ${r.keys} | ${r.estimated} | ${r.heap} | ${r.errorPct >= 0 ? "+" : ""}${
        r.errorPct.toFixed(1)
      }% |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const args = Deno.args;
  const arg = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const keys = arg("--keys", 1_000_000);
  console.log(renderBytesPerKey(await bytesPerKey(keys)));
  if (args.includes("--accuracy")) {
    console.log("\n" + renderAccuracy(await accuracy(arg("--scale", 1))));
  }
}
