// Differential tests of the hash commands (lib/commands/hashes.ts) against redis-server:
// replies, errors, encodings (listpack/hashtable) and RESP3 forms; HRANDFIELD and HSCAN by
// their properties, checked on both servers.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, plain, type Resp } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";

const LONG_VALUE = "v".repeat(65);
const VALUE_64 = "v".repeat(64);

/** HSET key f0 v0 ... f(n-1) v(n-1). */
function hsetMany(key: string, n: number, prefix = "f"): string[] {
  const args = ["HSET", key];
  for (let i = 0; i < n; i++) args.push(`${prefix}${i}`, `v${i}`);
  return args;
}

differentialCases("hashes: replies, errors and encodings like Redis's", {
  "HSET counts new fields, HGET and HMGET read them": [
    ["HSET", "h", "a", "1", "b", "2", "a", "3"],
    ["HGET", "h", "a"],
    ["HGET", "h", "missing"],
    ["HGET", "nokey", "a"],
    ["HMGET", "h", "a", "missing", "b", "a"],
    ["HMGET", "nokey", "a", "b"],
    ["HSET", "h", "b", "20", "c", "30"],
    ["HGETALL", "h"],
    ["HLEN", "h"],
    ["HLEN", "nokey"],
  ],
  "HSET and HMSET need field/value pairs": [
    ["HSET", "h", "a"],
    ["HSET", "h", "a", "1", "b"],
    ["HMSET", "h", "a", "1", "b"],
    ["HMSET", "h", "a", "1", "b", "2"],
    ["HMSET", "h", "a", "10"],
    ["HGETALL", "h"],
    ["EXISTS", "h2"],
    ["HSET", "h2", "a"],
    ["EXISTS", "h2"],
  ],
  "empty and binary fields and values": [
    ["HSET", "h", "", "", "\x00\xff", "\r\n", "k", ""],
    ["HGET", "h", ""],
    ["HGET", "h", "\x00\xff"],
    ["HSTRLEN", "h", "\x00\xff"],
    ["HSTRLEN", "h", "k"],
    ["HEXISTS", "h", ""],
    ["HGETALL", "h"],
    ["HDEL", "h", ""],
    ["HKEYS", "h"],
  ],
  "HDEL removes fields and the key with the last one": [
    ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"],
    ["HDEL", "h", "b", "missing", "b"],
    ["HGETALL", "h"],
    ["HSET", "h", "b", "5"],
    ["HGETALL", "h"],
    ["HDEL", "h", "a", "c", "d", "b", "a"],
    ["EXISTS", "h"],
    ["HDEL", "h", "a"],
    ["HDEL", "nokey", "a"],
  ],
  "HSTRLEN, HEXISTS on fields and missing keys": [
    ["HSET", "h", "num", "12345", "s", "hello"],
    ["HSTRLEN", "h", "num"],
    ["HSTRLEN", "h", "s"],
    ["HSTRLEN", "h", "missing"],
    ["HSTRLEN", "nokey", "f"],
    ["HEXISTS", "h", "s"],
    ["HEXISTS", "h", "S"],
    ["HEXISTS", "nokey", "s"],
  ],
  "HSETNX sets only new fields": [
    ["HSETNX", "h", "a", "1"],
    ["HSETNX", "h", "a", "2"],
    ["HSETNX", "h", "b", "3"],
    ["HGETALL", "h"],
    ["HSETNX", "h", "a"],
  ],
  "HKEYS, HVALS, HGETALL keep listpack order and answer empty for missing keys": [
    ["HSET", "h", "z", "1", "y", "2", "x", "3"],
    ["HSET", "h", "a", "4"],
    ["HDEL", "h", "y"],
    ["HSET", "h", "y", "5"],
    ["HKEYS", "h"],
    ["HVALS", "h"],
    ["HGETALL", "h"],
    ["HKEYS", "nokey"],
    ["HVALS", "nokey"],
    ["HGETALL", "nokey"],
  ],
  "arity errors": [
    ["HGET", "h"],
    ["HMGET", "h"],
    ["HDEL", "h"],
    ["HLEN"],
    ["HSTRLEN", "h"],
    ["HEXISTS", "h", "a", "b"],
    ["HKEYS"],
    ["HVALS", "h", "x"],
    ["HGETALL"],
    ["HSETNX", "h", "a"],
    ["HINCRBY", "h", "a"],
    ["HINCRBYFLOAT", "h", "a"],
    ["HRANDFIELD"],
    ["HSCAN", "h"],
  ],
  "WRONGTYPE for every hash command on a string, after the argument checks Redis makes first": [
    ["SET", "s", "x"],
    ["HSET", "s", "a", "1"],
    ["HMSET", "s", "a", "1"],
    ["HSETNX", "s", "a", "1"],
    ["HGET", "s", "a"],
    ["HMGET", "s", "a"],
    ["HDEL", "s", "a"],
    ["HLEN", "s"],
    ["HSTRLEN", "s", "a"],
    ["HEXISTS", "s", "a"],
    ["HKEYS", "s"],
    ["HVALS", "s"],
    ["HGETALL", "s"],
    ["HINCRBY", "s", "a", "1"],
    ["HINCRBY", "s", "a", "x"],
    ["HINCRBYFLOAT", "s", "a", "1"],
    ["HINCRBYFLOAT", "s", "a", "x"],
    ["HRANDFIELD", "s"],
    ["HRANDFIELD", "s", "0"],
    ["HRANDFIELD", "s", "x"],
    ["HSCAN", "s", "0"],
    ["HSCAN", "s", "x"],
    ["HSCAN", "s", "0", "COUNT", "0"],
    ["SADD", "set", "m"],
    ["HGET", "set", "m"],
    ["GET", "s"],
  ],

  "HINCRBY from nothing, on integers and to the int64 limits": [
    ["HINCRBY", "h", "a", "5"],
    ["HINCRBY", "h", "a", "-7"],
    ["HINCRBY", "h", "b", "9223372036854775807"],
    ["HINCRBY", "h", "b", "1"],
    ["HINCRBY", "h", "c", "-9223372036854775808"],
    ["HINCRBY", "h", "c", "-1"],
    ["HINCRBY", "h", "c", "9223372036854775807"],
    ["HINCRBY", "h", "d", "9007199254740993"],
    ["HINCRBY", "h", "d", "9007199254740993"],
    ["HGETALL", "h"],
  ],
  "HINCRBY errors: bad increment first, then the stored value": [
    ["HINCRBY", "nokey", "f", "x"],
    ["EXISTS", "nokey"],
    ["HINCRBY", "h", "a", "1.5"],
    ["HINCRBY", "h", "a", "9223372036854775808"],
    ["HINCRBY", "h", "a", " 1"],
    ["HSET", "h", "s", "foo", "f", "1.0", "sp", " 1", "z", "01", "neg0", "-0"],
    ["HINCRBY", "h", "s", "1"],
    ["HINCRBY", "h", "f", "1"],
    ["HINCRBY", "h", "sp", "1"],
    ["HINCRBY", "h", "z", "1"],
    ["HINCRBY", "h", "neg0", "1"],
    ["HGETALL", "h"],
  ],
  "HINCRBYFLOAT uses long double arithmetic and Redis's formatting": [
    ["HINCRBYFLOAT", "h", "a", "0.1"],
    ["HINCRBYFLOAT", "h", "a", "0.2"],
    ["HINCRBYFLOAT", "h", "a", "-0.3"],
    ["HINCRBYFLOAT", "h", "b", "1e10"],
    ["HINCRBYFLOAT", "h", "b", "1.5e-5"],
    ["HINCRBYFLOAT", "h", "c", "3"],
    ["HINCRBYFLOAT", "h", "c", "-3"],
    ["HINCRBYFLOAT", "h", "d", "0x10"],
    ["HINCRBYFLOAT", "h", "e", "5.0e3"],
    ["HINCRBYFLOAT", "h", "e", "-1.23456789012345678"],
    ["HSET", "h", "i", "10"],
    ["HINCRBYFLOAT", "h", "i", "0.5"],
    ["HINCRBY", "h", "i", "1"],
    ["HGETALL", "h"],
  ],
  "HINCRBYFLOAT errors": [
    ["HINCRBYFLOAT", "nokey", "f", "x"],
    ["EXISTS", "nokey"],
    ["HINCRBYFLOAT", "h", "a", "nan"],
    ["HINCRBYFLOAT", "h", "a", "inf"],
    ["HINCRBYFLOAT", "h", "a", "-infinity"],
    ["HINCRBYFLOAT", "h", "a", ""],
    ["HINCRBYFLOAT", "h", "a", " 1"],
    ["HINCRBYFLOAT", "h", "a", "1e5000"],
    ["HSET", "h", "s", "foo", "inf", "inf", "sp", " 1", "big", "1e4930"],
    ["HINCRBYFLOAT", "h", "s", "1"],
    ["HINCRBYFLOAT", "h", "inf", "1"],
    ["HINCRBYFLOAT", "h", "sp", "1"],
    ["HINCRBYFLOAT", "h", "big", "1e4930"],
    ["HINCRBYFLOAT", "h", "big", "1e4930"],
    ["HLEN", "h"],
  ],

  "a hash is a listpack up to 512 entries, then a hashtable": [
    hsetMany("h", 512),
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "f0", "changed"],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "one-more", "x"],
    ["OBJECT", "ENCODING", "h"],
    ["HDEL", "h", "one-more", "f1", "f2"],
    ["OBJECT", "ENCODING", "h"],
    ["HLEN", "h"],
    ["HGET", "h", "f0"],
    ["HGET", "h", "f511"],
    hsetMany("big", 600),
    ["OBJECT", "ENCODING", "big"],
    ["HLEN", "big"],
  ],
  "a value or field longer than 64 bytes converts, 64 does not": [
    ["HSET", "h", "a", VALUE_64],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "b", LONG_VALUE],
    ["OBJECT", "ENCODING", "h"],
    ["HGET", "h", "b"],
    ["HSET", "h2", LONG_VALUE, "1"],
    ["OBJECT", "ENCODING", "h2"],
    ["HSET", "h3", "a", "1", "b", LONG_VALUE, "c", "3"],
    ["OBJECT", "ENCODING", "h3"],
    ["HDEL", "h3", "b"],
    ["OBJECT", "ENCODING", "h3"],
  ],
  "HSETNX converts only when it sets; HINCRBY(FLOAT) converts on long fields and results": [
    ["HSET", "h", "a", "1"],
    ["HSETNX", "h", "a", LONG_VALUE],
    ["OBJECT", "ENCODING", "h"],
    ["HSETNX", "h", "b", LONG_VALUE],
    ["OBJECT", "ENCODING", "h"],
    ["HINCRBY", "h2", LONG_VALUE, "5"],
    ["OBJECT", "ENCODING", "h2"],
    ["HINCRBYFLOAT", "h3", "a", "1e60"],
    ["OBJECT", "ENCODING", "h3"],
    ["HINCRBYFLOAT", "h3", "a", "1e70"],
    ["OBJECT", "ENCODING", "h3"],
    ["HGET", "h3", "a"],
  ],
  "the limits follow CONFIG SET, under their listpack and ziplist names": [
    ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
    ["CONFIG", "GET", "hash-max-ziplist-entries"],
    ["HSET", "h", "a", "1", "b", "2"],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "c", "3"],
    ["OBJECT", "ENCODING", "h"],
    ["CONFIG", "SET", "hash-max-ziplist-entries", "0"],
    ["HSET", "h0", "a", "1"],
    ["OBJECT", "ENCODING", "h0"],
    ["CONFIG", "SET", "hash-max-ziplist-entries", "512"],
    ["CONFIG", "SET", "hash-max-ziplist-value", "3"],
    ["HSET", "v", "abc", "def"],
    ["OBJECT", "ENCODING", "v"],
    ["HSET", "v", "abcd", "1"],
    ["OBJECT", "ENCODING", "v"],
    ["CONFIG", "SET", "hash-max-listpack-value", "64"],
    ["CONFIG", "GET", "hash-max-ziplist-value"],
    ["CONFIG", "GET", "hash-max-listpack-entries"],
  ],
  "COPY and RENAME keep the encoding": [
    ["HSET", "h", "a", "1", "b", "2"],
    ["COPY", "h", "h2"],
    ["OBJECT", "ENCODING", "h2"],
    ["HSET", "h2", "c", "3"],
    ["HGETALL", "h"],
    ["HGETALL", "h2"],
    ["HSET", "t", "a", LONG_VALUE],
    ["COPY", "t", "t2"],
    ["OBJECT", "ENCODING", "t2"],
    ["HGET", "t2", "a"],
    ["RENAME", "t2", "t3"],
    ["OBJECT", "ENCODING", "t3"],
    ["TYPE", "t3"],
  ],

  "HSCAN of a listpack returns everything at once, MATCH filters fields": [
    ["HSET", "h", "apple", "1", "banana", "2", "avocado", "3", "cherry", "a"],
    ["HSCAN", "h", "0"],
    ["HSCAN", "h", "0", "COUNT", "1"],
    ["HSCAN", "h", "0", "MATCH", "a*"],
    ["HSCAN", "h", "0", "match", "*", "count", "2"],
    ["HSCAN", "h", "0", "MATCH", "a*", "MATCH", "b*"],
    ["HSCAN", "h", "0", "MATCH", "zzz*"],
    ["HSCAN", "h", "123"],
    ["HSCAN", "h", "-1"],
  ],
  "HSCAN argument errors": [
    ["HSET", "h", "a", "1"],
    ["HSCAN", "h", "x"],
    ["HSCAN", "h", "1.5"],
    ["HSCAN", "h", "18446744073709551616"],
    ["HSCAN", "h", "0", "COUNT", "0"],
    ["HSCAN", "h", "0", "COUNT", "-1"],
    ["HSCAN", "h", "0", "COUNT", "x"],
    ["HSCAN", "h", "0", "COUNT"],
    ["HSCAN", "h", "0", "MATCH"],
    ["HSCAN", "h", "0", "TYPE", "string"],
    ["HSCAN", "h", "0", "NOVALUES"],
    ["HSCAN", "h", "0", "COUNT\x00z", "5"],
    ["HSCAN", "nokey", "0"],
    ["HSCAN", "nokey", "x"],
    ["HSCAN", "nokey", "0", "COUNT", "0"],
  ],
  "HRANDFIELD replies that are not random": [
    ["HSET", "h", "a", "1", "b", "2", "c", "3"],
    ["HRANDFIELD", "nokey"],
    ["HRANDFIELD", "nokey", "3"],
    ["HRANDFIELD", "nokey", "-3", "WITHVALUES"],
    ["HRANDFIELD", "h", "0"],
    ["HRANDFIELD", "h", "0", "WITHVALUES"],
    ["HRANDFIELD", "h", "3"],
    ["HRANDFIELD", "h", "5", "WITHVALUES"],
    ["HRANDFIELD", "h", "9223372036854775807"],
    ["HRANDFIELD", "h", "4611686018427387903", "withvalues"],
  ],
  "HRANDFIELD argument errors": [
    ["HSET", "h", "a", "1"],
    ["HRANDFIELD", "h", "x"],
    ["HRANDFIELD", "h", "x", "WITHVALUES"],
    ["HRANDFIELD", "h", "1.5"],
    ["HRANDFIELD", "h", "9223372036854775808"],
    ["HRANDFIELD", "h", "-9223372036854775808"],
    ["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"],
    ["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"],
    ["HRANDFIELD", "h", "1", "WITHVALUE"],
    ["HRANDFIELD", "h", "1", "WITHVALUES", "x"],
    ["HRANDFIELD", "h", "1", "WITHVALUES\x00x"],
    ["HRANDFIELD", "nokey", "1", "x"],
    ["HRANDFIELD", "nokey", "-4611686018427387904", "WITHVALUES"],
  ],
});

async function hello(b: Both, version: "2" | "3"): Promise<void> {
  const [ours, redis] = await b.both("HELLO", version);
  assert(!ours.startsWith("-") && !redis.startsWith("-"), `HELLO ${version}: ${ours} ${redis}`);
}

/** Runs fn with both connections in RESP2 or RESP3, back in RESP2 afterwards. */
async function withResp(b: Both, resp: 2 | 3, fn: () => Promise<void>): Promise<void> {
  if (resp === 2) return await fn();
  await hello(b, "3");
  try {
    await fn();
  } finally {
    await hello(b, "2");
  }
}

async function call(client: RawClient, ...args: string[]): Promise<Resp> {
  return decode(await client.call(...args));
}

/** field -> value of an HGETALL reply (a RESP3 map or a RESP2 flat array). */
function asPairs(reply: Resp): Map<string, string> {
  const out = new Map<string, string>();
  if (reply.t === "map") {
    for (const [k, v] of reply.v) out.set(String(plain(k)), String(plain(v)));
    return out;
  }
  const flat = plain(reply) as string[];
  for (let i = 0; i < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
}

/** The same hash content on both servers, in any order (hashtable order is Redis's own). */
async function checkSameHash(b: Both, key: string): Promise<Map<string, string>> {
  const [ours, redis] = await Promise.all([
    call(b.ours, "HGETALL", key),
    call(b.redis, "HGETALL", key),
  ]);
  assertEquals(ours.t, redis.t, `HGETALL ${key} reply type`);
  const a = asPairs(ours), r = asPairs(redis);
  assertEquals([...a].sort(), [...r].sort(), `HGETALL ${key}`);
  return a;
}

async function resp3AndHashtableSteps(t: Deno.TestContext, b: Both): Promise<void> {
  await t.step("RESP3: HGETALL is a map, HRANDFIELD WITHVALUES nests pairs", async () => {
    await b.check("FLUSHALL");
    await b.check("HSET", "h", "a", "1", "b", "2", "c", "3");
    await hello(b, "3");
    await b.check("HGETALL", "h");
    await b.check("HGETALL", "nokey");
    await b.check("HKEYS", "h");
    await b.check("HVALS", "nokey");
    await b.check("HGET", "h", "nokey");
    await b.check("HMGET", "h", "a", "x");
    await b.check("HRANDFIELD", "nokey");
    await b.check("HRANDFIELD", "nokey", "2", "WITHVALUES");
    await b.check("HRANDFIELD", "h", "3", "WITHVALUES");
    await b.check("HRANDFIELD", "h", "10");
    await b.check("HRANDFIELD", "h", "0", "WITHVALUES");
    await b.check("HSCAN", "h", "0");
    await b.check("HINCRBYFLOAT", "h", "a", "1.5");
    await b.check("HSTRLEN", "h", "a");
    await hello(b, "2");
  });
  await t.step("hashtable-encoded hashes hold the same content as Redis's", async () => {
    await b.check("FLUSHALL");
    await b.check(...hsetMany("h", 1000));
    await b.check("OBJECT", "ENCODING", "h");
    for (let i = 0; i < 1000; i += 3) await b.check("HDEL", "h", `f${i}`);
    await b.check("HSET", "h", "f0", "again", "new", "x");
    await b.check("HLEN", "h");
    await b.check("HGET", "h", "f1");
    await b.check("HGET", "h", "f3");
    await b.check("HMGET", "h", "f0", "f1", "f2", "f3", "new");
    await b.check("HINCRBY", "h", "f1", "10");
    await b.check("HEXISTS", "h", "f999");
    await b.check("HSTRLEN", "h", "f998");
    await checkSameHash(b, "h");
    await b.checkUnordered("HKEYS", "h");
    await b.checkUnordered("HVALS", "h");
    await hello(b, "3");
    await checkSameHash(b, "h");
    await hello(b, "2");
  });
  await t.step("deleting every field of a hashtable deletes the key", async () => {
    await b.check("FLUSHALL");
    await b.check(...hsetMany("h", 600));
    const del = ["HDEL", "h"];
    for (let i = 0; i < 600; i++) del.push(`f${i}`);
    await b.check(...del);
    await b.check("EXISTS", "h");
  });
}

/** HRANDFIELD's properties for one count, on one server (hash content `all`). */
async function checkRandfield(
  client: RawClient,
  resp: 2 | 3,
  key: string,
  all: Map<string, string>,
  count: number,
  withValues: boolean,
): Promise<void> {
  const args = ["HRANDFIELD", key, String(count), ...(withValues ? ["WITHVALUES"] : [])];
  const reply = await call(client, ...args);
  const label = `${args.join(" ")} (RESP${resp})`;
  assertEquals(reply.t, "array", label);
  const items = (reply as { v: Resp[] }).v;
  const fields: string[] = [];
  if (withValues && resp === 3) {
    for (const pair of items) {
      const [f, v] = plain(pair) as [string, string];
      assertEquals(pair.t === "array" && pair.v.length, 2, label);
      assertEquals(all.get(f), v, `${label}: value of ${f}`);
      fields.push(f);
    }
  } else {
    const flat = plain(reply) as string[];
    const step = withValues ? 2 : 1;
    for (let i = 0; i < flat.length; i += step) {
      if (withValues) assertEquals(all.get(flat[i]!), flat[i + 1], `${label}: value`);
      fields.push(flat[i]!);
    }
  }
  for (const f of fields) assert(all.has(f), `${label}: ${f} is not a field`);
  const n = Math.abs(count);
  if (count < 0) {
    assertEquals(fields.length, n, `${label}: count`);
  } else {
    assertEquals(fields.length, Math.min(n, all.size), `${label}: count`);
    assertEquals(new Set(fields).size, fields.length, `${label}: distinct`);
  }
}

async function hrandfieldSteps(t: Deno.TestContext, b: Both): Promise<void> {
  for (const [encoding, size] of [["listpack", 5], ["hashtable", 700]] as const) {
    await t.step(`${encoding} hash`, async () => {
      await b.check("FLUSHALL");
      await b.check(...hsetMany("h", size));
      await b.check("OBJECT", "ENCODING", "h");
      const all = await checkSameHash(b, "h");
      for (const resp of [2, 3] as const) {
        await withResp(b, resp, async () => {
          for (const client of [b.ours, b.redis]) {
            for (const count of [1, 2, size - 1, size, size + 3, -1, -3, -size * 3]) {
              for (const withValues of [false, true]) {
                await checkRandfield(client, resp, "h", all, count, withValues);
              }
            }
            const one = plain(await call(client, "HRANDFIELD", "h")) as string;
            assert(all.has(one), `HRANDFIELD h: ${one}`);
          }
        });
      }
    });
  }
  await t.step("negative counts repeat fields; positive ones cover the hash", async () => {
    await b.check("FLUSHALL");
    await b.check("HSET", "h", "a", "1", "b", "2");
    for (const client of [b.ours, b.redis]) {
      const many = plain(await call(client, "HRANDFIELD", "h", "-200")) as string[];
      assertEquals(new Set(many).size, 2, "both fields come up in 200 draws");
      const seen = new Set<string>();
      for (let i = 0; i < 100 && seen.size < 2; i++) {
        seen.add(plain(await call(client, "HRANDFIELD", "h")) as string);
      }
      assertEquals(seen.size, 2, "single draws reach both fields");
    }
  });
}

/** Runs a full HSCAN with COUNT on one server, calling `between` after each step. */
async function hscanAll(
  client: RawClient,
  key: string,
  count: number,
  between: (step: number) => Promise<void>,
): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  let cursor = "0", steps = 0;
  do {
    const reply = plain(await call(client, "HSCAN", key, cursor, "COUNT", String(count))) as [
      string,
      string[],
    ];
    cursor = reply[0];
    for (let i = 0; i < reply[1].length; i += 2) seen.set(reply[1][i]!, reply[1][i + 1]!);
    await between(++steps);
    if (steps > 100_000) throw new Error("HSCAN did not terminate");
  } while (cursor !== "0");
  return seen;
}

async function hscanSteps(t: Deno.TestContext, b: Both): Promise<void> {
  await t.step("a full scan equals HGETALL, with and without MATCH", async () => {
    await b.check("FLUSHALL");
    await b.check(...hsetMany("h", 1500));
    await b.check("OBJECT", "ENCODING", "h");
    const all = await checkSameHash(b, "h");
    for (const client of [b.ours, b.redis]) {
      const seen = await hscanAll(client, "h", 10, async () => {});
      assertEquals([...seen].sort(), [...all].sort());
    }
    const matched = await Promise.all([b.ours, b.redis].map(async (client) => {
      const seen = new Set<string>();
      let cursor = "0";
      do {
        const reply = plain(await call(client, "HSCAN", "h", cursor, "MATCH", "f1*")) as [
          string,
          string[],
        ];
        cursor = reply[0];
        for (let i = 0; i < reply[1].length; i += 2) seen.add(reply[1][i]!);
      } while (cursor !== "0");
      return [...seen].sort();
    }));
    assertEquals(matched[0], matched[1]);
    assertEquals(matched[0]!.length, [...all.keys()].filter((f) => f.startsWith("f1")).length);
  });
  await t.step("fields added and removed between calls do not hide the stable ones", async () => {
    for (const client of [b.ours, b.redis]) {
      await call(client, "FLUSHALL");
      await call(client, ...hsetMany("h", 2000));
      // Fields f0..f999 stay; f1000..f1999 are deleted while new ones are added.
      let next = 1000, added = 0;
      const seen = await hscanAll(client, "h", 7, async () => {
        if (next < 2000) await call(client, "HDEL", "h", `f${next++}`, `f${next++}`);
        await call(client, "HSET", "h", `n${added}`, "x", `n${added + 1}`, "y");
        added += 2;
      });
      for (let i = 0; i < 1000; i++) {
        assertEquals(seen.get(`f${i}`), `v${i}`, `f${i} seen with its value`);
      }
      for (const [field, value] of seen) {
        assert(/^(f\d+|n\d+)$/.test(field), `unexpected ${field}`);
        if (field.startsWith("f")) assertEquals(value, `v${field.slice(1)}`);
      }
    }
  });
}

differential("hashes: RESP3 forms, hashtable content, HRANDFIELD and HSCAN properties", async (
  t,
  servers,
) => {
  const b = await servers.connect();
  await resp3AndHashtableSteps(t, b);
  await hrandfieldSteps(t, b);
  await hscanSteps(t, b);
});
