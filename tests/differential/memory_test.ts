// Differential tests of OBJECT IDLETIME/FREQ/HELP and the MEMORY command against redis-server:
// replies and errors byte for byte where they are deterministic, the reply shapes (field names,
// order and types) where the numbers are each server's own (MEMORY USAGE, MEMORY STATS).
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";
import { decode, type Resp } from "../helpers/resp_decode.ts";

differentialCases("memory: OBJECT and MEMORY replies and errors", {
  "OBJECT HELP and MEMORY HELP": [
    ["OBJECT", "HELP"],
    ["MEMORY", "HELP"],
    ["OBJECT", "HELP", "extra"],
    ["MEMORY", "HELP", "extra"],
  ],
  "OBJECT FREQ needs an LFU policy; IDLETIME refuses one": [
    ["SET", "k", "v"],
    ["OBJECT", "FREQ", "k"],
    ["OBJECT", "FREQ", "missing"],
    ["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
    ["OBJECT", "IDLETIME", "k"],
    ["OBJECT", "IDLETIME", "missing"],
    ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
  ],
  "OBJECT FREQ counts accesses (lfu-log-factor 0 makes every access count)": [
    ["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
    ["CONFIG", "SET", "lfu-log-factor", "0"],
    ["SET", "k", "v"],
    ["OBJECT", "FREQ", "k"],
    ["GET", "k"],
    ["OBJECT", "FREQ", "k"],
    ["GET", "k"],
    ["GET", "k"],
    ["OBJECT", "FREQ", "k"],
    // Not counted: OBJECT itself, EXISTS, TYPE, TTL (LOOKUP_NOTOUCH).
    ["EXISTS", "k"],
    ["TYPE", "k"],
    ["TTL", "k"],
    ["OBJECT", "ENCODING", "k"],
    ["OBJECT", "FREQ", "k"],
    // Counted: TOUCH and writes.
    ["TOUCH", "k", "missing"],
    ["APPEND", "k", "x"],
    ["OBJECT", "FREQ", "k"],
    ["HSET", "h", "f", "v"],
    ["OBJECT", "FREQ", "h"],
    ["HGET", "h", "f"],
    ["OBJECT", "FREQ", "h"],
    ["CONFIG", "SET", "lfu-log-factor", "10"],
    ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
  ],
  "MEMORY USAGE errors and missing keys": [
    ["SET", "k", "v"],
    ["MEMORY", "USAGE", "missing"],
    ["MEMORY", "USAGE", "k", "SAMPLES"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "x"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
    ["MEMORY", "USAGE", "k", "bogus"],
    ["MEMORY", "USAGE", "missing", "SAMPLES", "x"],
    ["MEMORY", "USAGE"],
    ["MEMORY"],
    ["MEMORY", "nosuch"],
    ["MEMORY", "STATS", "extra"],
    ["MEMORY", "PURGE"],
  ],
});

/** The reply's shape: types and, for maps, keys; numbers and string contents left out. */
function shape(r: Resp): unknown {
  switch (r.t) {
    case "map":
      return r.v.map(([k, v]) => [k.t === "bulk" ? k.v : k.t, shape(v)]);
    case "array":
    case "set":
    case "push":
      return r.v.map(shape);
    default:
      return r.t;
  }
}

async function checkShape(both: Both, ...args: string[]): Promise<void> {
  const [ours, redis] = await both.both(...args);
  assertEquals(shape(decode(ours)), shape(decode(redis)), `shape of ${args.join(" ")}`);
}

differential(
  "memory: MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS reply shapes",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    await both.check("SET", "s", "value");
    await both.check("HSET", "h", "a", "1", "b", "2");
    await both.check("RPUSH", "l", "a", "b", "c");
    await both.check("SADD", "set", "a", "b");
    await both.check("ZADD", "z", "1", "a");
    await both.check("SET", "ttl", "v", "EX", "100");
    for (const resp of ["2", "3"]) {
      await t.step(`RESP${resp}`, async () => {
        await both.both("HELLO", resp);
        for (const key of ["s", "h", "l", "set", "z", "ttl"]) {
          await checkShape(both, "MEMORY", "USAGE", key);
          await checkShape(both, "MEMORY", "USAGE", key, "SAMPLES", "0");
        }
        await checkShape(both, "MEMORY", "STATS");
        await checkShape(both, "MEMORY", "DOCTOR");
        await checkShape(both, "MEMORY", "MALLOC-STATS");
      });
    }
    await t.step("INFO memory has Redis's fields in Redis's order", async () => {
      const [ours, redis] = await both.both("INFO", "memory");
      const names = (text: string) =>
        text.split("\r\n").filter((l) => l.includes(":")).map((l) => l.split(":")[0]);
      assertEquals(names(ours), names(redis));
    });
  },
);

differential(
  "memory: OBJECT IDLETIME under an LRU policy; EXISTS, TYPE, TTL do not touch, TOUCH does",
  async (_t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    await both.check("SET", "a", "1");
    await both.check("SET", "b", "1");
    await both.check("SET", "c", "1");
    // Idle times are whole seconds of clocks that may tick apart: ±1.
    await both.checkNear(1, "OBJECT", "IDLETIME", "a");
    // The LRU clock counts seconds.
    await new Promise((r) => setTimeout(r, 2100));
    await both.check("EXISTS", "a");
    await both.check("TYPE", "a");
    await both.check("TTL", "a");
    await both.checkNear(1, "OBJECT", "IDLETIME", "a");
    await both.check("GET", "b");
    await both.check("TOUCH", "c");
    await both.checkNear(1, "OBJECT", "IDLETIME", "b");
    await both.checkNear(1, "OBJECT", "IDLETIME", "c");
    await both.check("OBJECT", "FREQ", "a");
    // RESTORE ... IDLETIME sets the LRU clock back.
    const dump = await both.check("DUMP", "a");
    const payload = dump.slice(dump.indexOf("\r\n") + 2, -2);
    await both.check("RESTORE", "r", "0", payload, "IDLETIME", "1000");
    await both.checkNear(1, "OBJECT", "IDLETIME", "r");
  },
  {
    inmemdbArgs: ["--maxmemory-policy", "allkeys-lru"],
    redisArgs: ["--maxmemory-policy", "allkeys-lru"],
  },
);
