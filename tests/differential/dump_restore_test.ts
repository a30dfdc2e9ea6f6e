// DUMP and RESTORE against redis-server 7.0: payloads byte for byte where both hold the value in
// the same order, RESTORE's options and errors, and payloads crossing between the two servers.
import { type Both, differential } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";
import { crc64 } from "../../lib/persistence/crc64.ts";

function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** The bulk string of a reply. */
function payloadOf(reply: string): string {
  const m = /^\$(\d+)\r\n/.exec(reply);
  if (m === null) throw new Error(`not a bulk reply: ${reply}`);
  return reply.slice(m[0].length, m[0].length + Number(m[1]));
}

function bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** A payload body with the version footer and a correct checksum. */
function withFooter(body: string, version = 10): string {
  const head = body + String.fromCharCode(version & 0xff, version >> 8);
  const crc = crc64(bytes(head)).bytes();
  return head + String.fromCharCode(...crc);
}

/** Values whose DUMP is deterministic: same encoding and element order on both servers. */
const VALUES: string[][] = [
  ["SET", "s:short", "hello"],
  ["SET", "s:int8", "-100"],
  ["SET", "s:int16", "30000"],
  ["SET", "s:int32", "-2000000000"],
  ["SET", "s:int64", "9223372036854775807"],
  ["SET", "s:notint", "0123"],
  ["SET", "s:empty", ""],
  ["SET", "s:binary", "\0\xff\x80\r\nbin"],
  ["SET", "s:lzf", "abc".repeat(200)],
  ["SET", "s:random", range(200, (i) => String.fromCharCode((i * 7919) % 251)).join("")],
  ["SETRANGE", "s:raw", "0", "x".repeat(60)],
  ["RPUSH", "l:small", "a", "1", "-5", "300", "70000", "2147483648", "x".repeat(70)],
  ["RPUSH", "l:big", ...range(3000, (i) => i % 3 === 0 ? String(i * 131) : `element-${i}`)],
  ["RPUSH", "l:huge-elements", ...range(40, (i) => String(i).repeat(500))],
  ["HSET", "h:small", "f", "v", "n", "12", "neg", "-3", "e", ""],
  ["HSET", "h:listpack", ...range(100, (i) => [`field${i}`, String(i * i)]).flat()],
  ["SADD", "i:16", "1", "2", "3"],
  ["SADD", "i:32", "1", "70000"],
  ["SADD", "i:64", "-9223372036854775808", "0", "9223372036854775807"],
  ["SADD", "i:big", ...range(400, (i) => String(i * 5))],
  ["ZADD", "z:small", "1", "a", "2.5", "b", "-0", "c", "1e100", "d", "inf", "e"],
  ["ZADD", "z:ints", "1", "100", "2", "-200", "4611686018427387904", "big"],
  ["ZADD", "z:skiplist", ...range(300, (i) => [String(i / 7), `member-${i}`]).flat()],
  ["ZADD", "z:long", "1", "m".repeat(80), "2", "n"],
];

differential("DUMP payloads equal Redis's byte for byte", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  for (const command of VALUES) {
    await t.step(`${command[0]} ${command[1]}`, async () => {
      await both.check(...command);
      await both.check("DUMP", command[1]!);
    });
  }
  await both.check("DUMP", "missing");
  await both.check("DUMP");
  await both.check("CONFIG", "SET", "list-max-listpack-size", "5");
  await both.check("DEL", "l:big");
  await both.check("RPUSH", "l:big", ...range(100, (i) => `e${i}`));
  await both.check("DUMP", "l:big");
  await both.check("CONFIG", "SET", "list-max-listpack-size", "-2");
  await both.check("CONFIG", "SET", "rdbcompression", "no");
  await both.check("DUMP", "s:lzf");
  await both.check("CONFIG", "SET", "rdbcompression", "yes");
});

/** Every value restores to the same reads, TTL and encoding. */
async function checkRestored(both: Both, key: string): Promise<void> {
  await both.check("TYPE", key);
  await both.check("OBJECT", "ENCODING", key);
  await both.checkNear(50, "PTTL", key);
  await both.check("DUMP", key);
}

differential(
  "RESTORE creates each type from a DUMP payload, with TTL and options",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    for (const command of VALUES) await both.check(...command);
    await t.step("restore under a new name, with and without TTL", async () => {
      for (const command of VALUES) {
        const key = command[1]!;
        const payload = payloadOf(await both.check("DUMP", key));
        await both.check("RESTORE", `copy:${key}`, "0", payload);
        await checkRestored(both, `copy:${key}`);
        await both.check("RESTORE", `ttl:${key}`, "100000", payload);
        await checkRestored(both, `ttl:${key}`);
      }
    });
    const payload = payloadOf(await both.check("DUMP", "l:small"));
    await t.step("BUSYKEY, REPLACE, ABSTTL, IDLETIME, FREQ", async () => {
      await both.check("RESTORE", "l:small", "0", payload);
      await both.check("RESTORE", "l:small", "0", payload, "REPLACE");
      await both.check("RESTORE", "s:short", "0", payload, "replace");
      await both.check("TYPE", "s:short");
      await both.check("RESTORE", "abs", String(Date.now() + 200_000), payload, "ABSTTL");
      await both.checkNear(5000, "PTTL", "abs");
      await both.check("RESTORE", "idle", "0", payload, "IDLETIME", "1000");
      await both.check("RESTORE", "freq", "0", payload, "FREQ", "100");
      await both.check("RESTORE", "both", "0", payload, "IDLETIME", "1", "FREQ", "1");
      await both.check("RESTORE", "both", "0", payload, "FREQ", "1", "IDLETIME", "1");
      await both.check("RESTORE", "r1", "0", payload, "REPLACE", "ABSTTL", "REPLACE");
      await both.check("EXISTS", "idle", "freq", "both", "r1");
    });
    await t.step(
      "a TTL already in the past creates nothing, and REPLACE deletes the old key",
      async () => {
        await both.check("RESTORE", "past", "1", payload, "ABSTTL");
        await both.check("EXISTS", "past");
        await both.check("SET", "old", "x");
        await both.check("RESTORE", "old", "1000", payload, "ABSTTL", "REPLACE");
        await both.check("EXISTS", "old");
      },
    );
    await t.step("errors, in Redis's order", async () => {
      await both.check("RESTORE", "k", "0");
      await both.check("RESTORE", "k", "abc", payload);
      await both.check("RESTORE", "k", "-1", payload);
      await both.check("RESTORE", "k", "1.5", payload);
      await both.check("RESTORE", "l:small", "-1", payload);
      await both.check("RESTORE", "l:small", "0", "garbage");
      await both.check("RESTORE", "k", "0", payload, "NOPE");
      await both.check("RESTORE", "k", "0", payload, "IDLETIME");
      await both.check("RESTORE", "k", "0", payload, "IDLETIME", "-1");
      await both.check("RESTORE", "k", "0", payload, "IDLETIME", "x");
      await both.check("RESTORE", "k", "0", payload, "FREQ", "256");
      await both.check("RESTORE", "k", "0", payload, "FREQ", "-1");
      await both.check("RESTORE", "k", "0", payload, "FREQ");
      await both.check("RESTORE", "k", "abc", payload, "NOPE");
      await both.check("RESTORE", "k", "0", "short");
      await both.check("RESTORE", "k", "0", "");
    });
    await t.step("a bad checksum, a newer version, a body that does not parse", async () => {
      const body = payload.slice(0, -10);
      const flipped = payload.slice(0, -1) +
        String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
      await both.check("RESTORE", "k", "0", flipped);
      await both.check("RESTORE", "k", "0", withFooter(body, 11));
      await both.check("RESTORE", "k", "0", withFooter(body, 9));
      await both.check("RESTORE", "k", "0", withFooter(body.slice(0, -3)));
      await both.check("RESTORE", "k", "0", withFooter("\x08abc"));
      await both.check("RESTORE", "k", "0", withFooter("\x00"));
      await both.check("RESTORE", "k", "0", withFooter("\x00\x05hello"));
      await both.check("GET", "k");
      // An empty collection is refused.
      await both.check("RESTORE", "k", "0", withFooter("\x12\x00"));
      await both.check("EXISTS", "k");
    });
  },
);

differential(
  "DUMP from one server RESTOREs into the other, whatever the encoding",
  async (_t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    const values: string[][] = [
      ...VALUES,
      ["HSET", "h:table", ...range(700, (i) => [`f${i}`, `v${i}`]).flat()],
      ["HSET", "h:long", "f", "v".repeat(100)],
      ["SADD", "set:table", ...range(700, (i) => `m${i}`)],
      ["SADD", "set:small", "a", "b", "c"],
      ["LPUSH", "l:lpushed", ...range(2000, (i) => `item${i}`)],
    ];
    for (const command of values) await both.check(...command);
    for (const command of values) {
      const key = command[1]!;
      const [fromOurs, fromRedis] = await both.both("DUMP", key);
      // Each server restores the other's payload.
      assertEquals(
        await both.ours.call("RESTORE", `x:${key}`, "0", payloadOf(fromRedis)),
        "+OK\r\n",
        `RESTORE of Redis's ${key}`,
      );
      assertEquals(
        await both.redis.call("RESTORE", `x:${key}`, "0", payloadOf(fromOurs)),
        "+OK\r\n",
        `Redis RESTORE of our ${key}`,
      );
      await both.check("TYPE", `x:${key}`);
      await both.check("OBJECT", "ENCODING", `x:${key}`);
      const type = (await both.ours.call("TYPE", key)).slice(1, -2);
      if (type === "string") await both.check("GET", `x:${key}`);
      else if (type === "list") await both.check("LRANGE", `x:${key}`, "0", "-1");
      else if (type === "zset") await both.check("ZRANGE", `x:${key}`, "0", "-1", "WITHSCORES");
      else if (type === "set") await both.checkUnordered("SMEMBERS", `x:${key}`);
      else await both.checkUnordered("HGETALL", `x:${key}`);
    }
  },
);
