// Command-line options of bench/bench.ts and the list of redis-benchmark tests it can run.

/** Run by default. Any name of KNOWN_TESTS can be added here or passed with --tests. */
export const DEFAULT_TESTS = [
  "PING_MBULK",
  "SET",
  "GET",
  "INCR",
  "LPUSH",
  "RPUSH",
  "LPOP",
  "RPOP",
  "SADD",
  "HSET",
  "SPOP",
  "ZADD",
  "ZPOPMIN",
  "ZRANGE_100",
  "LRANGE_100",
  "LRANGE_300",
  "MSET",
];

/**
 * Tests redis-benchmark has no -t for: a command line run as given, after `setup` commands
 * prepared the data on each server.
 */
export const CUSTOM_TESTS: Record<string, { command: string[]; setup: string[][] }> = {
  ZRANGE_100: {
    command: ["ZRANGE", "bench:zset", "0", "99", "WITHSCORES"],
    setup: [["DEL", "bench:zset"], [
      "ZADD",
      "bench:zset",
      ...Array.from({ length: 1000 }, (_, i) => [String(i * 1.5), `member:${i}`]).flat(),
    ]],
  },
};

/** redis-benchmark 7.0's built-in tests (its -t names, upper-cased as in its output). */
export const KNOWN_TESTS = [
  "PING_INLINE",
  "PING_MBULK",
  "SET",
  "GET",
  "INCR",
  "LPUSH",
  "RPUSH",
  "LPOP",
  "RPOP",
  "SADD",
  "HSET",
  "SPOP",
  "ZADD",
  "ZPOPMIN",
  "LRANGE_100",
  "LRANGE_300",
  "LRANGE_500",
  "LRANGE_600",
  "MSET",
];

export interface Options {
  tests: string[];
  pipelines: number[];
  rounds: number;
  /** Fixed -n for every run; undefined sizes each run to take about `seconds`. */
  requests?: number;
  seconds: number;
  clients: number;
  keyspace: number;
  out?: string;
  json: boolean;
  help: boolean;
  /** Subscriber counts of the PUBLISH fan-out benchmark (bench/pubsub.ts); empty skips it. */
  pubsub: number[];
  /** Keys of the BGSAVE benchmark (bench/bgsave.ts); when set, only that section runs. */
  bgsave?: number;
  /** Keys of the bytes-per-key measurement (bench/memory.ts); 0 skips it. */
  memoryKeys: number;
  /** -d: value size in bytes of SET/GET and the other tests (redis-benchmark's default 3). */
  dataSize?: number;
  /** Also write an SVG bar chart of the ratios to this file. */
  svg?: string;
}

export const USAGE = `Usage: deno task bench [options]     (or: make bench BENCH_ARGS="...")
Runs redis-benchmark against inmemdb and redis-server, alternating between them.
  --tests a,b          tests to run (default ${DEFAULT_TESTS.join(",")})
                       known: ${KNOWN_TESTS.join(",")}
                       custom: ${Object.keys(CUSTOM_TESTS).join(",")}
  --pipelines 1,16     pipeline depths (-P) (default 1,16)
  --rounds N           runs per server per test; the median is reported (default 3)
  --requests N         fixed -n per run (default: sized from a warm-up run to last --seconds)
  --seconds S          target duration of one run (default 2)
  --clients N          -c (default 50)
  --keyspace N         -r, random keys in [0,N); 0 uses one key (default 0, like redis-benchmark)
  --pubsub 1,10,100    subscriber counts of the PUBLISH fan-out test; "none" skips it
  --bgsave N           only the BGSAVE section: N keys saved under load, PING latency meanwhile
  --memory-keys N      bytes/key of N SETs of 32-byte values in each server (default 1000000; 0 skips)
  --data-size N        -d, value size in bytes (default: redis-benchmark's 3)
  --svg FILE           also write a bar chart of the ratios (SVG) to FILE
  --out FILE           also write the markdown report to FILE
  --json               print JSON instead of markdown`;

export class OptionError extends Error {}

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new OptionError(`${name} needs an integer >= ${min}`);
  return n;
}

export function parseOptions(args: string[]): Options {
  const opts: Options = {
    tests: [...DEFAULT_TESTS],
    pipelines: [1, 16],
    rounds: 3,
    seconds: 2,
    clients: 50,
    keyspace: 0,
    json: false,
    help: false,
    pubsub: [1, 10, 100],
    memoryKeys: 1_000_000,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (name === "--json" || name === "--help" || name === "-h") {
      if (name === "--json") opts.json = true;
      else opts.help = true;
      continue;
    }
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new OptionError(`${name} needs a value`);
    }
    switch (name) {
      case "--tests":
        opts.tests = value.split(",").filter((t) => t !== "").map((t) => t.toUpperCase());
        for (const t of opts.tests) {
          if (!KNOWN_TESTS.includes(t) && !(t in CUSTOM_TESTS)) {
            throw new OptionError(`unknown test ${t}`);
          }
        }
        if (opts.tests.length === 0) throw new OptionError("--tests needs at least one test");
        break;
      case "--pipelines":
        opts.pipelines = value.split(",").map((p) => positiveInt("--pipelines", p));
        break;
      case "--rounds":
        opts.rounds = positiveInt(name, value);
        break;
      case "--requests":
        opts.requests = positiveInt(name, value);
        break;
      case "--seconds": {
        const s = Number(value);
        if (!(s > 0)) throw new OptionError("--seconds needs a positive number");
        opts.seconds = s;
        break;
      }
      case "--clients":
        opts.clients = positiveInt(name, value);
        break;
      case "--keyspace":
        opts.keyspace = positiveInt(name, value, 0);
        break;
      case "--out":
        opts.out = value;
        break;
      case "--svg":
        opts.svg = value;
        break;
      case "--data-size":
        opts.dataSize = positiveInt(name, value);
        break;
      case "--bgsave":
        opts.bgsave = positiveInt(name, value);
        break;
      case "--memory-keys":
        opts.memoryKeys = positiveInt(name, value, 0);
        break;
      case "--pubsub":
        opts.pubsub = value === "none" ? [] : value.split(",").map((n) => positiveInt(name, n));
        break;
      default:
        throw new OptionError(`unknown option ${name}`);
    }
  }
  return opts;
}
