// maxmemory eviction end to end: each policy fills past maxmemory after a known access pattern,
// on inmemdb and redis-server side by side, and what was evicted must be what the policy says
// on both. Tolerance: the share of keys a policy must keep is at least `min` on each server, and
// the two servers' shares differ by at most 0.15 (both use sampled approximations).
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";

/** Sends the commands in one write and returns their replies. */
async function pipeline(client: RawClient, commands: string[][]): Promise<string[]> {
  const parts = commands.map(encodeCommand);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  await client.send(buf);
  const replies: string[] = [];
  for (let i = 0; i < commands.length; i++) replies.push(await client.replyText());
  return replies;
}

async function infoField(client: RawClient, section: string, field: string): Promise<number> {
  const text = await client.call("INFO", section);
  const m = new RegExp(`\\r\\n${field}:(\\d+)`).exec(text);
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return Number(m[1]);
}

const VALUE = "v".repeat(100);
const N = 3000;

interface Outcome {
  /** Keys of the initial set still there, by group. */
  kept: Record<string, number>;
  evicted: number;
  /** The initial keys that were evicted, by index (volatile-ttl). */
  evictedIndexes: number[];
}

/**
 * Loads N keys (key i in group groupOf(i), with a TTL where ttlOf gives one), runs `access`,
 * caps maxmemory at the memory then in use, writes `extra` new keys and counts what stayed.
 */
async function scenario(
  server: ServerHandle,
  opts: {
    groupOf: (i: number) => string;
    ttlOf?: (i: number) => number | undefined;
    access?: (client: RawClient) => Promise<void>;
    extra: number;
  },
): Promise<Outcome> {
  const client = await RawClient.connect(server.port);
  try {
    const load: string[][] = [];
    for (let i = 0; i < N; i++) {
      const ttl = opts.ttlOf?.(i);
      load.push(
        ttl === undefined ? ["SET", `k:${i}`, VALUE] : ["SET", `k:${i}`, VALUE, "EX", String(ttl)],
      );
    }
    await pipeline(client, load);
    if (opts.access) await opts.access(client);
    const used = await infoField(client, "memory", "used_memory");
    assertEquals(await client.call("CONFIG", "SET", "maxmemory", String(used)), "+OK\r\n");
    const extra: string[][] = [];
    for (let i = 0; i < opts.extra; i++) extra.push(["SET", `new:${i}`, VALUE]);
    const replies = await pipeline(client, extra);
    for (const r of replies) assertEquals(r, "+OK\r\n");
    const exists = await pipeline(
      client,
      Array.from({ length: N }, (_, i) => ["EXISTS", `k:${i}`]),
    );
    const kept: Record<string, number> = {};
    const evictedIndexes: number[] = [];
    exists.forEach((r, i) => {
      const group = opts.groupOf(i);
      kept[group] ??= 0;
      if (r === ":1\r\n") kept[group]++;
      else evictedIndexes.push(i);
    });
    return { kept, evicted: await infoField(client, "stats", "evicted_keys"), evictedIndexes };
  } finally {
    client.close();
  }
}

/** Runs the scenario on both servers at once (the LRU one sleeps) and returns both outcomes. */
async function onBoth(
  policy: string,
  run: (server: ServerHandle) => Promise<Outcome>,
): Promise<{ ours: Outcome; redis: Outcome }> {
  const args = ["--maxmemory-policy", policy];
  const [inmemdb, redis] = await Promise.all([startInmemdb(args), startRedis(args)]);
  try {
    const [ours, theirs] = await Promise.all([run(inmemdb), run(redis)]);
    return { ours, redis: theirs };
  } finally {
    await Promise.all([inmemdb.stop(), redis.stop()]);
  }
}

/** share of `group` kept is >= min on both servers and within 0.15 of each other. */
function checkKept(
  result: { ours: Outcome; redis: Outcome },
  group: string,
  total: number,
  min: number,
): void {
  const ours = result.ours.kept[group]! / total, redis = result.redis.kept[group]! / total;
  const label = `${group} kept: inmemdb ${ours.toFixed(3)}, redis ${redis.toFixed(3)}`;
  if (VERBOSE) console.log(label, `evicted: ${result.ours.evicted} / ${result.redis.evicted}`);
  ok(ours >= min && redis >= min, label);
  ok(Math.abs(ours - redis) <= 0.15, label);
}

/** EVICTION_VERBOSE=1 prints the measured shares. */
const VERBOSE = Deno.env.get("EVICTION_VERBOSE") === "1";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOT = 750;
const hotOrCold = (i: number) => (i < HOT ? "hot" : "cold");

Deno.test({
  name: "allkeys-lru keeps the keys read recently, like redis-server",
  ignore: !redisAvailable(),
  async fn() {
    const result = await onBoth("allkeys-lru", (server) =>
      scenario(server, {
        groupOf: hotOrCold,
        // The LRU clock has a resolution of one second: cold keys are left 2 s behind.
        access: async (client) => {
          await sleep(2100);
          await pipeline(client, Array.from({ length: HOT }, (_, i) => ["GET", `k:${i}`]));
        },
        extra: 750,
      }));
    ok(result.ours.evicted >= 500 && result.redis.evicted >= 500, JSON.stringify(result));
    checkKept(result, "hot", HOT, 0.9);
  },
});

Deno.test({
  name: "allkeys-lfu keeps the keys read often, like redis-server",
  ignore: !redisAvailable(),
  async fn() {
    const result = await onBoth("allkeys-lfu", (server) =>
      scenario(server, {
        groupOf: hotOrCold,
        access: async (client) => {
          const reads: string[][] = [];
          for (let round = 0; round < 20; round++) {
            for (let i = 0; i < HOT; i++) reads.push(["GET", `k:${i}`]);
          }
          await pipeline(client, reads);
        },
        extra: 750,
      }));
    ok(result.ours.evicted >= 500 && result.redis.evicted >= 500, JSON.stringify(result));
    checkKept(result, "hot", HOT, 0.9);
  },
});

const withTtl = (i: number) => (i % 2 === 0 ? "ttl" : "plain");
const ttlOnEven = (i: number) => (i % 2 === 0 ? 10_000 : undefined);

for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random"]) {
  Deno.test({
    name: `${policy} evicts only keys with a TTL, like redis-server`,
    ignore: !redisAvailable(),
    async fn() {
      const result = await onBoth(
        policy,
        (server) => scenario(server, { groupOf: withTtl, ttlOf: ttlOnEven, extra: 600 }),
      );
      ok(result.ours.evicted >= 400 && result.redis.evicted >= 400, JSON.stringify(result));
      if (VERBOSE) console.log(policy, result.ours.kept, result.redis.kept);
      assertEquals(result.ours.kept.plain, N / 2);
      assertEquals(result.redis.kept.plain, N / 2);
    },
  });
}

Deno.test({
  name: "volatile-ttl evicts the keys closest to expiring first, like redis-server",
  ignore: !redisAvailable(),
  async fn() {
    // Key i expires after 10000 + 10 i seconds: low indexes go first.
    const result = await onBoth(
      "volatile-ttl",
      (server) =>
        scenario(server, { groupOf: () => "all", ttlOf: (i) => 10_000 + 10 * i, extra: 600 }),
    );
    for (const [name, outcome] of [["inmemdb", result.ours], ["redis", result.redis]] as const) {
      const early = outcome.evictedIndexes.filter((i) => i < N / 2).length;
      const share = early / outcome.evictedIndexes.length;
      ok(outcome.evicted >= 400, `${name}: ${outcome.evicted} evicted`);
      const label = `${name}: ${share.toFixed(3)} of evicted keys from the earlier half`;
      if (VERBOSE) console.log(label, `(${outcome.evicted} evicted)`);
      ok(share >= 0.9, label);
    }
  },
});

Deno.test({
  name: "allkeys-random evicts about as many keys as redis-server, from both groups",
  ignore: !redisAvailable(),
  async fn() {
    const result = await onBoth(
      "allkeys-random",
      (server) => scenario(server, { groupOf: hotOrCold, extra: 750 }),
    );
    if (VERBOSE) console.log("allkeys-random", result.ours.kept, result.redis.kept);
    for (const outcome of [result.ours, result.redis]) {
      ok(outcome.evicted >= 500, JSON.stringify(outcome.kept));
      ok(outcome.kept.hot! < HOT && outcome.kept.cold! < N - HOT, JSON.stringify(outcome.kept));
    }
  },
});

Deno.test({
  name: "noeviction refuses denyoom commands with Redis's error; reads and DEL keep working",
  ignore: !redisAvailable(),
  async fn() {
    const args = ["--maxmemory-policy", "noeviction"];
    const [inmemdb, redis] = await Promise.all([startInmemdb(args), startRedis(args)]);
    try {
      for (const server of [inmemdb, redis]) {
        const client = await RawClient.connect(server.port);
        try {
          await pipeline(
            client,
            Array.from({ length: 1000 }, (_, i) => ["SET", `k:${i}`, VALUE]),
          );
          const used = await infoField(client, "memory", "used_memory");
          await client.call("CONFIG", "SET", "maxmemory", String(used - 20_000));
          assertEquals(
            await client.call("SET", "new", VALUE),
            "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
          );
          assertEquals(await client.call("GET", "k:1"), `$100\r\n${VALUE}\r\n`);
          assertEquals(await infoField(client, "stats", "evicted_keys"), 0);
          // Deleting brings memory back under the limit: writes work again.
          await pipeline(client, Array.from({ length: 800 }, (_, i) => ["DEL", `k:${i}`]));
          assertEquals(await client.call("SET", "new", VALUE), "+OK\r\n", `port ${server.port}`);
        } finally {
          client.close();
        }
      }
    } finally {
      await Promise.all([inmemdb.stop(), redis.stop()]);
    }
  },
});

Deno.test({
  name: "an eviction notifies `evicted` and is written to the AOF as DEL, like redis-server",
  ignore: !redisAvailable(),
  async fn() {
    const dirs = {
      inmemdb: await Deno.makeTempDir({ prefix: "inmemdb-evict-" }),
      redis: await Deno.makeTempDir({ prefix: "redis-evict-" }),
    };
    const args = (dir: string) => [
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--maxmemory-policy",
      "allkeys-random",
      "--notify-keyspace-events",
      "Ee",
    ];
    const [inmemdb, redis] = await Promise.all([
      startInmemdb(args(dirs.inmemdb)),
      startRedis(args(dirs.redis)),
    ]);
    try {
      for (const [server, dir] of [[inmemdb, dirs.inmemdb], [redis, dirs.redis]] as const) {
        const subscriber = await RawClient.connect(server.port);
        const client = await RawClient.connect(server.port);
        try {
          await subscriber.call("SUBSCRIBE", "__keyevent@0__:evicted");
          await pipeline(client, Array.from({ length: 500 }, (_, i) => ["SET", `k:${i}`, VALUE]));
          const used = await infoField(client, "memory", "used_memory");
          await client.call("CONFIG", "SET", "maxmemory", String(used));
          await pipeline(client, Array.from({ length: 100 }, (_, i) => ["SET", `n:${i}`, VALUE]));
          const message = await subscriber.replyText();
          const key = /\$\d+\r\n(k:\d+|n:\d+)\r\n$/.exec(message)?.[1];
          ok(key !== undefined, `${server.port}: ${JSON.stringify(message)}`);
          assertEquals(await client.call("EXISTS", key), ":0\r\n");
          const aof = await Deno.readTextFile(`${dir}/appendonlydir/appendonly.aof.1.incr.aof`);
          ok(aof.includes(`*2\r\n$3\r\nDEL\r\n$${key.length}\r\n${key}\r\n`), `DEL ${key} in AOF`);
        } finally {
          subscriber.close();
          client.close();
        }
      }
    } finally {
      await Promise.all([inmemdb.stop(), redis.stop()]);
      await Promise.all(Object.values(dirs).map((d) => Deno.remove(d, { recursive: true })));
    }
  },
});
