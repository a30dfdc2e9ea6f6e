// PUBLISH fan-out: messages per second delivered to 1, 10 and 100 subscribers of one channel,
// inmemdb and redis-server alternated in the same run. redis-benchmark publishes (50 clients,
// pipeline 16); this process subscribes and counts bytes until every message has arrived.
// Run alone: deno run -A bench/pubsub.ts [--subscribers 1,10,100] [--rounds 3]
import { median } from "./stats.ts";
import { type BenchServer, type ServerKind, startServer } from "./servers.ts";

const CHANNEL = "bench:channel";
const PAYLOAD = "x".repeat(32);
/** Deliveries per run: enough for a run of about a second at Redis's speed on a small VM. */
const DELIVERIES = 2_000_000;
const CLIENTS = 50;
const PIPELINE = 16;

export interface PubsubRow {
  subscribers: number;
  publishes: number;
  /** Median messages delivered per second over the rounds. */
  inmemdb?: number;
  redis?: number;
  /** Median of the per-round inmemdb/redis ratios. */
  ratio?: number;
  error?: string;
}

function frame(args: string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return new TextEncoder().encode(s);
}

const MESSAGE_BYTES = frame(["message", CHANNEL, PAYLOAD]).length;
const SUBSCRIBED_BYTES = frame(["subscribe", CHANNEL]).length + ":1\r\n".length;

/** A subscriber connection counting the bytes it receives. */
class Subscriber {
  bytes = 0;
  private waiters: { bytes: number; resolve: () => void }[] = [];
  private readonly loop: Promise<void>;

  private constructor(private readonly conn: Deno.TcpConn) {
    this.loop = this.read();
  }

  static async open(port: number): Promise<Subscriber> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const sub = new Subscriber(conn);
    await conn.write(frame(["SUBSCRIBE", CHANNEL]));
    await sub.reach(SUBSCRIBED_BYTES);
    return sub;
  }

  private async read(): Promise<void> {
    const buf = new Uint8Array(1 << 20);
    try {
      for (;;) {
        const n = await this.conn.read(buf);
        if (n === null) break;
        this.bytes += n;
        this.waiters = this.waiters.filter((w) => {
          if (this.bytes < w.bytes) return true;
          w.resolve();
          return false;
        });
      }
    } catch {
      // closed
    }
  }

  /** Resolves once `bytes` bytes in total have arrived. */
  reach(bytes: number): Promise<void> {
    if (this.bytes >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }));
  }

  async close(): Promise<void> {
    this.conn.close();
    await this.loop;
  }
}

/** One timed run: messages delivered per second (from the start of publishing to the last). */
async function run(port: number, subscribers: number, publishes: number): Promise<number> {
  const subs = await Promise.all(Array.from({ length: subscribers }, () => Subscriber.open(port)));
  try {
    const start = performance.now();
    const out = await new Deno.Command("redis-benchmark", {
      args: [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-c",
        String(CLIENTS),
        "-P",
        String(PIPELINE),
        "-n",
        String(publishes),
        "-q",
        "PUBLISH",
        CHANNEL,
        PAYLOAD,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`redis-benchmark failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    const expected = SUBSCRIBED_BYTES + publishes * MESSAGE_BYTES;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("messages missing after 60 s")), 60_000);
    });
    try {
      await Promise.race([Promise.all(subs.map((s) => s.reach(expected))), timeout]);
    } finally {
      clearTimeout(timer);
    }
    const seconds = (performance.now() - start) / 1000;
    return (subscribers * publishes) / seconds;
  } finally {
    await Promise.all(subs.map((s) => s.close()));
  }
}

/**
 * Runs every subscriber count against both servers for `rounds` rounds, alternating which
 * server goes first.
 */
export async function pubsubBench(
  ports: Record<ServerKind, number>,
  counts: number[],
  rounds: number,
  log: (line: string) => void,
): Promise<PubsubRow[]> {
  const rows: PubsubRow[] = [];
  for (const subscribers of counts) {
    const publishes = Math.max(10_000, Math.round(DELIVERIES / subscribers));
    const rates: Record<ServerKind, number[]> = { inmemdb: [], redis: [] };
    const ratios: number[] = [];
    const row: PubsubRow = { subscribers, publishes };
    try {
      // Warm-up (JIT), not measured.
      for (const kind of ["inmemdb", "redis"] as const) {
        await run(ports[kind], subscribers, Math.round(publishes / 10));
      }
      for (let round = 0; round < rounds; round++) {
        const order: ServerKind[] = round % 2 === 0 ? ["inmemdb", "redis"] : ["redis", "inmemdb"];
        const got: Partial<Record<ServerKind, number>> = {};
        for (const kind of order) {
          got[kind] = await run(ports[kind], subscribers, publishes);
          rates[kind].push(got[kind]!);
          log(
            `pubsub round ${round + 1}/${rounds} ${String(subscribers).padStart(3)} subscribers ` +
              `${kind.padEnd(7)} ${Math.round(got[kind]!).toLocaleString("en-US")} msg/s`,
          );
        }
        ratios.push(got.inmemdb! / got.redis!);
      }
      row.inmemdb = median(rates.inmemdb);
      row.redis = median(rates.redis);
      row.ratio = median(ratios);
    } catch (err) {
      row.error = (err as Error).message;
    }
    rows.push(row);
  }
  return rows;
}

export function renderPubsub(rows: PubsubRow[]): string {
  const fmt = (n?: number) => n === undefined ? "-" : Math.round(n).toLocaleString("en-US");
  const lines = [
    `PUBLISH fan-out (redis-benchmark -c ${CLIENTS} -P ${PIPELINE} publishing ${PAYLOAD.length}-byte ` +
    `messages to one channel; messages delivered per second to all subscribers, median of rounds):`,
    "",
    "| subscribers | publishes | inmemdb msg/s | redis msg/s | ratio |",
    "| ----------: | --------: | ------------: | ----------: | ----: |",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.subscribers} | ${fmt(row.publishes)} | ${fmt(row.inmemdb)} | ${fmt(row.redis)} | ${
        row.ratio === undefined ? row.error ?? "-" : row.ratio.toFixed(2)
      } |`,
    );
  }
  return lines.join("\n");
}

function parseList(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  return value.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

if (import.meta.main) {
  const args = Deno.args;
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const counts = parseList(opt("--subscribers"), [1, 10, 100]);
  const rounds = parseList(opt("--rounds"), [3])[0]!;
  const dir = await Deno.makeTempDir({ prefix: "inmemdb-pubsub-bench-" });
  const servers: Partial<Record<ServerKind, BenchServer>> = {};
  try {
    servers.inmemdb = await startServer("inmemdb", dir);
    servers.redis = await startServer("redis", dir);
    const rows = await pubsubBench(
      { inmemdb: servers.inmemdb.port, redis: servers.redis.port },
      counts,
      rounds,
      (line) => console.error(line),
    );
    console.log(renderPubsub(rows));
  } finally {
    await servers.inmemdb?.stop();
    await servers.redis?.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
