// How sorted set operations scale with the set's size: time per ZADD, ZRANK, ZRANGE (10
// elements at a random rank) and ZPOPMIN at 10k, 100k and 1M members, on the store directly
// (lib/store/zset.ts) and through the server (pipelined), next to redis-server in the same run.
// Usage: deno run -A bench/zset_scaling.ts [--sizes 10000,100000,1000000] [--ops 10000]
import { Zset, type ZsetLimits } from "../lib/store/zset.ts";
import { type BenchServer, type ServerKind, startServer } from "./servers.ts";

const LIMITS: ZsetLimits = { maxEntries: 128, maxValue: 64 };
const OPS = ["ZADD", "ZRANK", "ZRANGE", "ZPOPMIN"] as const;
type Op = typeof OPS[number];

function flag(name: string, fallback: string): string {
  const at = Deno.args.indexOf(name);
  return at >= 0 && at + 1 < Deno.args.length ? Deno.args[at + 1]! : fallback;
}

const SIZES = flag("--sizes", "10000,100000,1000000").split(",").map(Number);
/** Operations timed per measurement (ZPOPMIN: at most half the set). */
const K = Number(flag("--ops", "10000"));

/** A deterministic PRNG (mulberry32): both servers and the store see the same data. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs per measurement; the fastest counts (other processes on the machine only slow runs). */
const RUNS = 5;

/** Nanoseconds per operation of `fn(count)`, the best of RUNS runs, `reset` after each. */
function timeStore(count: number, fn: (count: number) => void, reset: () => void): number {
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    fn(count);
    runs.push(((performance.now() - start) * 1e6) / count);
    reset();
  }
  return Math.min(...runs);
}

function storeRow(n: number): Record<Op, number> {
  const random = rng(n);
  const z = new Zset();
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = Math.floor(random() * 1e9);
    scores.push(s);
    z.insert("m:" + i, s, LIMITS);
  }
  const k = Math.min(K, n >> 1);
  const fresh = Array.from({ length: K }, (_, i) => "n:" + i);
  const freshScores = fresh.map(() => Math.floor(random() * 1e9));
  const probes = Array.from({ length: K }, () => Math.floor(random() * n));
  let sink = 0;
  const popped: [string, number][] = [];
  const row = {
    ZADD: timeStore(K, (c) => {
      for (let i = 0; i < c; i++) z.insert(fresh[i]!, freshScores[i]!, LIMITS);
    }, () => {
      for (const m of fresh) z.remove(m);
    }),
    ZRANK: timeStore(K, (c) => {
      for (let i = 0; i < c; i++) sink += z.rank("m:" + probes[i]!)!;
    }, () => {}),
    ZRANGE: timeStore(K, (c) => {
      for (let i = 0; i < c; i++) {
        z.forRange(Math.min(probes[i]!, n - 10), 10, false, (_m, s) => sink += s);
      }
    }, () => {}),
    ZPOPMIN: timeStore(k, (c) => {
      for (let i = 0; i < c; i++) {
        popped.push([z.memberAt(0), z.scoreAt(0)]);
        z.deleteRange(0, 1);
      }
    }, () => {
      for (const [m, s] of popped.splice(0)) z.insert(m, s, LIMITS);
    }),
  };
  if (sink === -1) console.log(sink);
  return row;
}

// ---- Through the server: pipelined raw RESP ----

function encode(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Skips one reply frame at `at`; -1 when incomplete. */
function skipFrame(b: Uint8Array, at: number, end: number): number {
  if (at >= end) return -1;
  let eol = at;
  while (eol + 1 < end && !(b[eol] === 13 && b[eol + 1] === 10)) eol++;
  if (eol + 1 >= end) return -1;
  const type = b[at];
  let n = 0, neg = false;
  for (let i = at + 1; i < eol; i++) {
    if (b[i] === 45) neg = true;
    else n = n * 10 + b[i]! - 48;
  }
  let next = eol + 2;
  if (type === 36) { // $
    if (neg) return next;
    next += n + 2;
    return next <= end ? next : -1;
  }
  if (type === 42) { // *
    if (neg) return next;
    for (let i = 0; i < n; i++) {
      next = skipFrame(b, next, end);
      if (next < 0) return -1;
    }
    return next;
  }
  if (type === 45) throw new Error(new TextDecoder().decode(b.subarray(at, eol)));
  return next;
}

class Pipe {
  private buf = new Uint8Array(1 << 20);
  private constructor(private conn: Deno.TcpConn) {}

  static async open(port: number): Promise<Pipe> {
    return new Pipe(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends the commands in batches and waits for every reply; returns elapsed ms. */
  async run(commands: string[][], batch = 1000): Promise<number> {
    const encoder = new TextEncoder();
    const start = performance.now();
    for (let at = 0; at < commands.length; at += batch) {
      const chunk = commands.slice(at, at + batch);
      const bytes = encoder.encode(chunk.map(encode).join(""));
      let off = 0;
      while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
      await this.replies(chunk.length);
    }
    return performance.now() - start;
  }

  private async replies(count: number): Promise<void> {
    let len = 0, pos = 0, seen = 0;
    while (seen < count) {
      const next = skipFrame(this.buf, pos, len);
      if (next >= 0) {
        pos = next;
        seen++;
        continue;
      }
      if (len === this.buf.length) {
        const bigger = new Uint8Array(this.buf.length * 2);
        bigger.set(this.buf);
        this.buf = bigger;
      }
      const n = await this.conn.read(this.buf.subarray(len));
      if (n === null) throw new Error("server closed the connection");
      len += n;
    }
  }

  close(): void {
    this.conn.close();
  }
}

async function serverRow(server: BenchServer, n: number): Promise<Record<Op, number>> {
  const pipe = await Pipe.open(server.port);
  const random = rng(n);
  await pipe.run([["FLUSHALL"]]);
  const fill: string[][] = [];
  for (let at = 0; at < n; at += 1000) {
    const cmd = ["ZADD", "z"];
    for (let i = at; i < Math.min(n, at + 1000); i++) {
      cmd.push(String(Math.floor(random() * 1e9)), "m:" + i);
    }
    fill.push(cmd);
  }
  await pipe.run(fill, 50);
  const k = Math.min(K, n >> 1);
  const probes = Array.from({ length: K }, () => Math.floor(random() * n));
  const perOp = async (commands: string[][], reset?: string[][]) => {
    const runs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      runs.push(((await pipe.run(commands)) * 1e6) / commands.length);
      if (reset !== undefined) await pipe.run(reset);
    }
    return Math.min(...runs);
  };
  const fresh = Array.from({ length: K }, (_, i) => "n:" + i);
  const row = {
    ZADD: await perOp(
      fresh.map((m) => ["ZADD", "z", String(Math.floor(random() * 1e9)), m]),
      [["ZREM", "z", ...fresh]],
    ),
    ZRANK: await perOp(probes.map((p) => ["ZRANK", "z", "m:" + p])),
    ZRANGE: await perOp(probes.map((p) => ["ZRANGE", "z", String(p), String(p + 9)])),
    ZPOPMIN: 0,
  };
  // Popped elements go back with the scores they had (ZPOPMIN's reply is not kept: re-add a
  // fresh batch of the same size so every run pops from a set of n).
  const pops = Array.from({ length: k }, () => ["ZPOPMIN", "z"]);
  const refill: string[][] = [];
  for (let at = 0; at < k; at += 1000) {
    const cmd = ["ZADD", "z"];
    for (let i = at; i < Math.min(k, at + 1000); i++) cmd.push("0", "r:" + i);
    refill.push(cmd);
  }
  row.ZPOPMIN = await perOp(pops, refill);
  pipe.close();
  return row;
}

function fmt(ns: number): string {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;
}

function table(title: string, rows: Map<number, Record<Op, number>>): void {
  console.log(`\n${title} (time per operation)`);
  console.log(["members", ...OPS].map((s) => s.padStart(12)).join(""));
  for (const [n, row] of rows) {
    console.log([String(n), ...OPS.map((op) => fmt(row[op]))].map((s) => s.padStart(12)).join(""));
  }
}

const storeRows = new Map<number, Record<Op, number>>();
for (const n of SIZES) storeRows.set(n, storeRow(n));
table("store (lib/store/zset.ts, skiplist form)", storeRows);

const dir = await Deno.makeTempDir({ prefix: "zset_scaling_" });
for (const kind of ["inmemdb", "redis"] as ServerKind[]) {
  let server: BenchServer;
  try {
    server = await startServer(kind, dir);
  } catch (err) {
    console.log(`\nSKIP: ${kind}: ${(err as Error).message.split("\n")[0]}`);
    continue;
  }
  try {
    const rows = new Map<number, Record<Op, number>>();
    for (const n of SIZES) rows.set(n, await serverRow(server, n));
    table(`${kind} through the server (pipelined, ${K} ops per run)`, rows);
    console.log(`  RSS with ${SIZES[SIZES.length - 1]} members: ${server.rssKb()} kB`);
  } finally {
    await server.stop();
  }
}
await Deno.remove(dir, { recursive: true });
