// Hash and set operations at 10k, 100k and 1M elements: time per HSET/HGET/HDEL and per
// SADD/SISMEMBER/SPOP/SRANDMEMBER, directly on lib/store/{hash,set}.ts and through the server
// with a pipelined client (inmemdb and, when installed, redis-server in the same run); then the
// memory of 100k small hashes and sets. Constant times across sizes are the point.
// Run: deno run -A bench/collection_scaling.ts
import { type HashLimits, HashObject } from "../lib/store/hash.ts";
import { SetObject } from "../lib/store/set.ts";
import { type BenchServer, type ServerKind, startServer } from "./servers.ts";

const SIZES = [10_000, 100_000, 1_000_000];
/** Fields, values and members are a letter and 8 digits: every reply has a known length. */
const WIDTH = 9;
const name = (prefix: string, i: number) => prefix + String(i).padStart(WIDTH - 1, "0");
const LIMITS: HashLimits = { maxEntries: 512, maxValue: 64 };
const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(8);

// ---- directly on the data structures ----

/** ns per operation of `op(i)` over `n` calls. */
function time(n: number, op: (i: number) => void): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) op(i);
  return (performance.now() - t) * 1e6 / n;
}

/** The best of three rounds of each operation (other processes add noise, never speed). */
function storeFigures(size: number): Record<string, number> {
  const ops = 200_000;
  const h = new HashObject();
  for (let i = 0; i < size; i++) h.set(name("f", i), name("v", i), LIMITS);
  const s = SetObject.hashtable();
  for (let i = 0; i < size; i++) s.add(name("m", i), 512);
  const best: Record<string, number> = {};
  const keep = (key: string, ns: number) => best[key] = Math.min(best[key] ?? Infinity, ns);
  let misses = 0, bytes = 0, found = 0;
  for (let round = 0; round < 3; round++) {
    const base = round * ops;
    keep(
      "hget",
      time(ops, (i) => {
        if (h.get(name("f", (i * 7919) % size)) === undefined) misses++;
      }),
    );
    // A new field then its deletion keeps the size constant.
    keep("hset", time(ops, (i) => h.set(name("n", base + i), "x", LIMITS)));
    keep("hdel", time(ops, (i) => h.delete(name("n", base + i))));
    // SPOP below removes original members too: count the hits, most lookups still find one.
    keep(
      "sismember",
      time(ops, (i) => {
        if (s.has(name("m", (i * 7919) % size))) found++;
      }),
    );
    keep("srandmember", time(ops, () => bytes += s.at(s.randomPosition()).length));
    // SADD of a new member then SPOP keeps the size constant.
    keep("sadd", time(ops, (i) => s.add(name("n", base + i), 512)));
    keep("spop", time(ops, () => bytes += s.removeAt(s.randomPosition()).length));
  }
  const sizes = h.size === size && s.size === size;
  if (misses !== 0 || !sizes || bytes !== 6 * ops * WIDTH || found < ops) {
    throw new Error("store check failed");
  }
  return best;
}

/** The same loops on a plain Map and Set: what the JS engine itself costs at each size. */
function baselineFigures(size: number): Record<string, number> {
  const ops = 200_000;
  const m = new Map<string, string>();
  for (let i = 0; i < size; i++) m.set(name("f", i), name("v", i));
  const s = new Set<string>();
  for (let i = 0; i < size; i++) s.add(name("m", i));
  const best: Record<string, number> = {};
  const keep = (key: string, ns: number) => best[key] = Math.min(best[key] ?? Infinity, ns);
  let found = 0;
  for (let round = 0; round < 3; round++) {
    const base = round * ops;
    keep(
      "hget",
      time(ops, (i) => {
        if (m.get(name("f", (i * 7919) % size)) !== undefined) found++;
      }),
    );
    keep("hset", time(ops, (i) => m.set(name("n", base + i), "x")));
    keep("hdel", time(ops, (i) => m.delete(name("n", base + i))));
    keep(
      "sismember",
      time(ops, (i) => {
        if (s.has(name("m", (i * 7919) % size))) found++;
      }),
    );
    keep("sadd", time(ops, (i) => s.add(name("n", base + i))));
    time(ops, (i) => s.delete(name("n", base + i)));
  }
  if (found !== 6 * ops || m.size !== size || s.size !== size) throw new Error("check failed");
  return best;
}

// ---- through a server ----

function encode(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Sends every request in one stream and reads exactly `replyBytes` back; returns ms taken. */
async function pipeline(conn: Deno.TcpConn, request: string, replyBytes: number): Promise<number> {
  const bytes = new TextEncoder().encode(request);
  const t = performance.now();
  const writing = (async () => {
    let off = 0;
    while (off < bytes.length) off += await conn.write(bytes.subarray(off));
  })();
  const buf = new Uint8Array(1 << 20);
  let got = 0;
  while (got < replyBytes) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("connection closed");
    got += n;
  }
  await writing;
  if (got !== replyBytes) throw new Error(`expected ${replyBytes} reply bytes, got ${got}`);
  return performance.now() - t;
}

const INT1 = ":1\r\n".length;
const BULK = `$${WIDTH}\r\n`.length + WIDTH + 2;
const BATCH = 1000;

/** us per command of `make(i)` sent in pipelined batches, each reply `replyBytes` long. */
async function timed(
  conn: Deno.TcpConn,
  n: number,
  replyBytes: number,
  make: (i: number) => string[],
): Promise<number> {
  let ms = 0;
  for (let done = 0; done < n; done += BATCH) {
    let request = "";
    for (let i = done; i < done + BATCH; i++) request += encode(make(i));
    ms += await pipeline(conn, request, replyBytes * BATCH);
  }
  return ms * 1e3 / n;
}

/** Fills `key` with `size` elements by `command`, 1000 per command, 100 commands per trip. */
async function fill(conn: Deno.TcpConn, command: string, key: string, size: number) {
  const pairs = command === "HSET";
  for (let i = 0; i < size; i += 100_000) {
    let request = "", replies = 0;
    for (let j = i; j < Math.min(size, i + 100_000); j += 1000) {
      const args = [command, key];
      for (let k = j; k < j + 1000; k++) {
        if (pairs) args.push(name("f", k), name("v", k));
        else args.push(name("m", k));
      }
      request += encode(args);
      replies += ":1000\r\n".length;
    }
    await pipeline(conn, request, replies);
  }
}

async function serverFigures(port: number, size: number): Promise<Record<string, number>> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await pipeline(conn, encode(["FLUSHALL"]), 5);
    await fill(conn, "HSET", "h", size);
    await fill(conn, "SADD", "s", size);
    const n = 100_000;
    const hget = await timed(conn, n, BULK, (i) => ["HGET", "h", name("f", (i * 7919) % size)]);
    const hset = await timed(conn, n, INT1, (i) => ["HSET", "h", name("n", i), name("v", i)]);
    const hdel = await timed(conn, n, INT1, (i) => ["HDEL", "h", name("n", i)]);
    const sismember = await timed(conn, n, INT1, (i) => [
      "SISMEMBER",
      "s",
      name("m", (i * 7919) % size),
    ]);
    const srandmember = await timed(conn, n, BULK, () => ["SRANDMEMBER", "s"]);
    const sadd = await timed(conn, n, INT1, (i) => ["SADD", "s", name("n", i)]);
    const spop = await timed(conn, n, BULK, () => ["SPOP", "s"]);
    return { hset, hget, hdel, sadd, sismember, spop, srandmember };
  } finally {
    conn.close();
  }
}

// ---- memory of small collections ----

const SMALL_KEYS = 100_000;

/** A fresh copy of a byte string (as a command's argv would be: nothing shared). */
const fresh = (s: string) => s.split("").join("");

interface Shape {
  label: string;
  compact: (i: number) => unknown;
  naive: (i: number) => unknown;
}

const SHAPES: Shape[] = [
  {
    label: "hash, 5 fields of 6 B, values of 10 B",
    compact: (i) => {
      const h = new HashObject();
      for (let j = 0; j < 5; j++) h.set(fresh(`field${j}`), fresh(name("v", i * 5 + j)), LIMITS);
      return h;
    },
    naive: (i) => {
      const m = new Map<string, string>();
      for (let j = 0; j < 5; j++) m.set(fresh(`field${j}`), fresh(name("v", i * 5 + j)));
      return m;
    },
  },
  {
    label: "set, 5 integer members (intset)",
    compact: (i) => {
      const s = SetObject.intset();
      for (let j = 0; j < 5; j++) s.add(fresh(String(i * 5 + j)), 512);
      return s;
    },
    naive: (i) => {
      const s = new Set<string>();
      for (let j = 0; j < 5; j++) s.add(fresh(String(i * 5 + j)));
      return s;
    },
  },
  {
    label: "set, 5 string members of 9 B",
    compact: (i) => {
      const s = SetObject.hashtable();
      for (let j = 0; j < 5; j++) s.add(fresh(name("m", i * 5 + j)), 512);
      return s;
    },
    naive: (i) => {
      const s = new Set<string>();
      for (let j = 0; j < 5; j++) s.add(fresh(name("m", i * 5 + j)));
      return s;
    },
  },
];

/** Heap bytes per object of `make`, measured with forced GCs (needs --expose-gc). */
function heapPerObject(make: (i: number) => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const keep = new Array<unknown>(SMALL_KEYS);
  gc();
  const before = Deno.memoryUsage().heapUsed;
  for (let i = 0; i < SMALL_KEYS; i++) keep[i] = make(i);
  gc();
  const after = Deno.memoryUsage().heapUsed;
  if (keep.length !== SMALL_KEYS) throw new Error("unreachable");
  return (after - before) / SMALL_KEYS;
}

/** Server RSS growth per key for 100k small hashes, then 100k small sets (kB -> B/key). */
async function serverBytesPerKey(server: BenchServer): Promise<number[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const out: number[] = [];
  try {
    for (const kind of ["hash", "intset", "strset"]) {
      await pipeline(conn, encode(["FLUSHALL"]), 5);
      await new Promise((r) => setTimeout(r, 200));
      const before = server.rssKb() ?? 0;
      for (let i = 0; i < SMALL_KEYS; i += 1000) {
        let request = "", replies = 0;
        for (let k = i; k < i + 1000; k++) {
          const args = kind === "hash" ? ["HSET", name("k", k)] : ["SADD", name("k", k)];
          for (let j = 0; j < 5; j++) {
            if (kind === "hash") args.push(`field${j}`, name("v", k * 5 + j));
            else args.push(kind === "intset" ? String(k * 5 + j) : name("m", k * 5 + j));
          }
          request += encode(args);
          replies += ":5\r\n".length;
        }
        await pipeline(conn, request, replies);
      }
      await new Promise((r) => setTimeout(r, 200));
      out.push(((server.rssKb() ?? 0) - before) * 1024 / SMALL_KEYS);
    }
  } finally {
    conn.close();
  }
  return out;
}

function haveRedis(): boolean {
  try {
    new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return true;
  } catch {
    return false;
  }
}

const COLUMNS = ["hset", "hget", "hdel", "sadd", "sismember", "spop", "srandmember"];
const HEADER = COLUMNS.map((c) => c.toUpperCase().padStart(8)).join(" ");

if (Deno.args[0] === "--heap") {
  // Child process run with --expose-gc: one line of JSON, [compact, naive] per shape.
  console.log(
    JSON.stringify(SHAPES.map((s) => [heapPerObject(s.compact), heapPerObject(s.naive)])),
  );
  Deno.exit(0);
}

console.log("Directly on lib/store/hash.ts and set.ts, ns per operation (hashtable encodings):");
console.log(`  elements ${HEADER}`);
for (const size of SIZES) {
  const f = storeFigures(size);
  console.log(`  ${String(size).padStart(8)} ${COLUMNS.map((c) => fmt(f[c]!)).join(" ")}`);
}
console.log("The same loops on a plain JS Map / Set (no random access: no SPOP, SRANDMEMBER):");
for (const size of SIZES) {
  const f = baselineFigures(size);
  const cells = COLUMNS.map((c) => f[c] === undefined ? "       -" : fmt(f[c]!));
  console.log(`  ${String(size).padStart(8)} ${cells.join(" ")}`);
}

const root = new URL("..", import.meta.url).pathname;
const kinds: ServerKind[] = haveRedis() ? ["inmemdb", "redis"] : ["inmemdb"];
console.log("\nThrough the server, pipelined in batches of 1000, us per command:");
console.log(`  server    elements ${HEADER}`);
const rss: Partial<Record<ServerKind, number[]>> = {};
for (const kind of kinds) {
  let server: BenchServer | undefined;
  try {
    server = await startServer(kind, root);
    for (const size of SIZES) {
      const f = await serverFigures(server.port, size);
      console.log(
        `  ${kind.padEnd(8)} ${String(size).padStart(8)} ${
          COLUMNS.map((c) => fmt(f[c]!, 3)).join(" ")
        }`,
      );
    }
    rss[kind] = await serverBytesPerKey(server);
  } finally {
    await server?.stop();
  }
}

const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "--v8-flags=--expose-gc", "-A", new URL(import.meta.url).pathname, "--heap"],
  stdout: "piped",
}).outputSync();
const heap = JSON.parse(new TextDecoder().decode(child.stdout)) as [number, number][];
console.log(`\nMemory of ${SMALL_KEYS / 1000}k small collections, bytes per collection:`);
console.log(
  "  shape                                   heap: ours  naive Map/Set   RSS/key: inmemdb" +
    (rss.redis ? "  redis" : ""),
);
SHAPES.forEach((shape, i) => {
  const [ours, naive] = heap[i]!;
  const server = `${fmt(rss.inmemdb?.[i] ?? 0)}` + (rss.redis ? ` ${fmt(rss.redis[i]!)}` : "");
  console.log(`  ${shape.label.padEnd(40)} ${fmt(ours)}  ${fmt(naive)}        ${server}`);
});
console.log(
  "  (RSS/key includes the key, its dict entry and the collection, as each server stores them)",
);
