// Differential tests of the set commands (lib/commands/sets.ts) against redis-server: replies,
// errors, encodings (intset/hashtable) and RESP3 forms; SPOP, SRANDMEMBER and SSCAN by their
// properties, checked on both servers.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, plain, type Resp } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";

/** SADD key <prefix>0 ... <prefix>(n-1), from `from`. */
function saddMany(key: string, n: number, prefix = "", from = 0): string[] {
  const args = ["SADD", key];
  for (let i = from; i < from + n; i++) args.push(`${prefix}${i}`);
  return args;
}

differentialCases("sets: replies, errors and encodings like Redis's", {
  "SADD counts new members; intsets reply in ascending order": [
    ["SADD", "s", "3", "1", "2", "3", "-5"],
    ["SADD", "s", "1", "4"],
    ["SMEMBERS", "s"],
    ["SCARD", "s"],
    ["SCARD", "nokey"],
    ["SISMEMBER", "s", "4"],
    ["SISMEMBER", "s", "04"],
    ["SISMEMBER", "s", "x"],
    ["SISMEMBER", "nokey", "1"],
    ["SMISMEMBER", "s", "1", "x", "-5", "01", "1"],
    ["SMISMEMBER", "nokey", "a", "b"],
    ["SMEMBERS", "nokey"],
  ],
  "intset members are canonical int64s; anything else makes a hashtable": [
    ["SADD", "s", "-9223372036854775808", "9223372036854775807", "0", "-1"],
    ["OBJECT", "ENCODING", "s"],
    ["SMEMBERS", "s"],
    ["SISMEMBER", "s", "-0"],
    ["SISMEMBER", "s", "+1"],
    ["SISMEMBER", "s", "9223372036854775807"],
    ["SADD", "a", "01"],
    ["OBJECT", "ENCODING", "a"],
    ["SADD", "b", "9223372036854775808"],
    ["OBJECT", "ENCODING", "b"],
    ["SADD", "c", " 1"],
    ["OBJECT", "ENCODING", "c"],
    ["SADD", "d", "-0"],
    ["OBJECT", "ENCODING", "d"],
    ["SADD", "e", "1.0"],
    ["OBJECT", "ENCODING", "e"],
    ["SADD", "s", "x"],
    ["OBJECT", "ENCODING", "s"],
    ["SREM", "s", "x"],
    ["OBJECT", "ENCODING", "s"],
    ["SCARD", "s"],
    ["SISMEMBER", "s", "-9223372036854775808"],
  ],
  "an intset holds up to 512 members, and never converts back": [
    saddMany("s", 512),
    ["OBJECT", "ENCODING", "s"],
    ["SADD", "s", "511"],
    ["OBJECT", "ENCODING", "s"],
    ["SADD", "s", "512"],
    ["OBJECT", "ENCODING", "s"],
    ["SREM", "s", "0", "1", "2"],
    ["OBJECT", "ENCODING", "s"],
    ["SCARD", "s"],
    ["SISMEMBER", "s", "3"],
    saddMany("big", 1000),
    ["OBJECT", "ENCODING", "big"],
  ],
  "set-max-intset-entries follows CONFIG SET": [
    ["CONFIG", "SET", "set-max-intset-entries", "2"],
    ["SADD", "a", "1", "2"],
    ["OBJECT", "ENCODING", "a"],
    ["SADD", "a", "3"],
    ["OBJECT", "ENCODING", "a"],
    ["SADD", "b", "1", "2", "3"],
    ["OBJECT", "ENCODING", "b"],
    ["SUNIONSTORE", "u", "a"],
    ["OBJECT", "ENCODING", "u"],
    ["CONFIG", "SET", "set-max-intset-entries", "0"],
    ["SADD", "z", "1"],
    ["OBJECT", "ENCODING", "z"],
    ["CONFIG", "SET", "set-max-intset-entries", "512"],
  ],
  "SREM removes members and the key with the last one": [
    ["SADD", "s", "a", "b", "c"],
    ["SREM", "s", "a", "x", "a"],
    ["SCARD", "s"],
    ["SREM", "s", "b", "c", "d"],
    ["EXISTS", "s"],
    ["SREM", "s", "a"],
    ["SREM", "nokey", "a"],
    ["SADD", "i", "1", "2"],
    ["SREM", "i", "x", "01", "2"],
    ["SMEMBERS", "i"],
  ],
  "SMOVE moves a member and creates or deletes keys": [
    ["SADD", "a", "1", "2", "x"],
    ["SMOVE", "a", "b", "1"],
    ["OBJECT", "ENCODING", "b"],
    ["SMOVE", "a", "b", "x"],
    ["OBJECT", "ENCODING", "b"],
    ["SMOVE", "a", "b", "missing"],
    ["SMOVE", "a", "b", "2"],
    ["EXISTS", "a"],
    ["SCARD", "b"],
    ["SADD", "c", "1"],
    ["SMOVE", "b", "c", "1"],
    ["SMEMBERS", "c"],
    ["SMOVE", "c", "c", "1"],
    ["SMOVE", "c", "c", "2"],
    ["SMOVE", "nokey", "c", "1"],
    ["SMOVE", "c", "new", "y"],
    ["SMOVE", "c", "new2", "1"],
    ["EXISTS", "c"],
    ["OBJECT", "ENCODING", "new2"],
  ],
  "SMOVE type checks: a missing source answers 0 first": [
    ["SET", "str", "v"],
    ["SADD", "a", "1"],
    ["SMOVE", "str", "a", "1"],
    ["SMOVE", "a", "str", "1"],
    ["SMOVE", "nokey", "str", "1"],
    ["SMOVE", "a", "str", "2"],
    ["SMEMBERS", "a"],
  ],
  "SINTER, SUNION, SDIFF of intsets, missing keys and repeated keys": [
    ["SADD", "x1", "1", "2", "3", "4", "5"],
    ["SADD", "x2", "3", "4", "5", "6"],
    ["SADD", "x3", "5", "6", "7"],
    ["SINTER", "x1", "x2"],
    ["SINTER", "x1", "x2", "x3"],
    ["SINTER", "x3", "x1", "x3"],
    ["SINTER", "x1"],
    ["SINTER", "x1", "nokey"],
    ["SINTER", "nokey"],
    ["SUNION", "x1", "x2", "x3"],
    ["SUNION", "x1", "nokey"],
    ["SUNION", "nokey"],
    ["SDIFF", "x1", "x2"],
    ["SDIFF", "x1", "x2", "x3"],
    ["SDIFF", "x1", "nokey"],
    ["SDIFF", "nokey", "x1"],
    ["SDIFF", "x1", "x1"],
    ["SDIFF", "x1", "x2", "x1"],
    ["SDIFF", "x3", "x1", "x2"],
  ],
  "set operations across encodings": [
    ["SADD", "i", "1", "2", "3", "10"],
    ["SADD", "h", "2", "3", "a", "b"],
    ["SINTER", "i", "h"],
    ["SINTERCARD", "2", "i", "h"],
    ["SDIFF", "i", "h"],
    ["SDIFFSTORE", "d", "h", "i"],
    ["OBJECT", "ENCODING", "d"],
    ["SCARD", "d"],
    ["SINTERSTORE", "d", "i", "h"],
    ["OBJECT", "ENCODING", "d"],
    ["SMEMBERS", "d"],
    ["SUNIONSTORE", "d", "i", "h"],
    ["OBJECT", "ENCODING", "d"],
    ["SCARD", "d"],
  ],
  "WRONGTYPE in any position, even after a missing key": [
    ["SET", "str", "v"],
    ["SADD", "a", "1"],
    ["SINTER", "a", "nokey", "str"],
    ["SINTER", "nokey", "str"],
    ["SINTERCARD", "2", "nokey", "str"],
    ["SINTERSTORE", "d", "nokey", "str"],
    ["SUNION", "nokey", "str"],
    ["SUNIONSTORE", "d", "a", "str"],
    ["SDIFF", "nokey", "str"],
    ["SDIFFSTORE", "d", "a", "str"],
    ["EXISTS", "d"],
  ],
  "STORE forms overwrite the destination, drop its TTL, delete it when empty": [
    ["SADD", "a", "1", "2", "3"],
    ["SADD", "b", "2", "3", "4"],
    ["SET", "dst", "string"],
    ["EXPIRE", "dst", "1000"],
    ["SINTERSTORE", "dst", "a", "b"],
    ["TYPE", "dst"],
    ["TTL", "dst"],
    ["SMEMBERS", "dst"],
    ["EXPIRE", "dst", "1000"],
    ["SUNIONSTORE", "dst", "a", "b"],
    ["TTL", "dst"],
    ["SMEMBERS", "dst"],
    ["SDIFFSTORE", "dst", "a", "b"],
    ["SMEMBERS", "dst"],
    ["SINTERSTORE", "dst", "a", "nokey"],
    ["EXISTS", "dst"],
    ["SET", "dst", "x"],
    ["SUNIONSTORE", "dst", "nokey"],
    ["EXISTS", "dst"],
    ["SET", "dst", "x"],
    ["SDIFFSTORE", "dst", "a", "a"],
    ["EXISTS", "dst"],
    ["SINTERSTORE", "nothing", "nokey"],
    ["SINTERSTORE", "a", "a", "b"],
    ["SMEMBERS", "a"],
    ["SUNIONSTORE", "b", "b", "a"],
    ["SMEMBERS", "b"],
    ["SDIFFSTORE", "b", "b", "a"],
    ["SMEMBERS", "b"],
  ],
  "SINTERCARD arguments and LIMIT": [
    ["SADD", "a", "1", "2", "3", "4"],
    ["SADD", "b", "2", "3", "4", "5"],
    ["SINTERCARD", "2", "a", "b"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "2"],
    ["SINTERCARD", "2", "a", "b", "limit", "0"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "100"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "2"],
    ["SINTERCARD", "1", "a"],
    ["SINTERCARD", "1", "nokey"],
    ["SINTERCARD", "2", "a", "nokey"],
    ["SINTERCARD", "0", "a"],
    ["SINTERCARD", "-1", "a"],
    ["SINTERCARD", "x", "a"],
    ["SINTERCARD", "9223372036854775808", "a"],
    ["SINTERCARD", "3", "a", "b"],
    ["SINTERCARD", "1", "a", "b"],
    ["SINTERCARD", "2", "a", "b", "LIMIT"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "-1"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "x"],
    ["SINTERCARD", "2", "a", "b", "FOO", "1"],
    ["SINTERCARD", "2", "a", "b", "LIMIT\x00", "1"],
  ],
  "SPOP and SRANDMEMBER replies that are not random": [
    ["SPOP", "nokey"],
    ["SPOP", "nokey", "3"],
    ["SRANDMEMBER", "nokey"],
    ["SRANDMEMBER", "nokey", "3"],
    ["SRANDMEMBER", "nokey", "-3"],
    ["SADD", "s", "5", "3", "1"],
    ["SPOP", "s", "0"],
    ["SRANDMEMBER", "s", "0"],
    ["SRANDMEMBER", "s", "3"],
    ["SRANDMEMBER", "s", "100"],
    ["SRANDMEMBER", "s", "9223372036854775807"],
    ["SPOP", "s", "3"],
    ["EXISTS", "s"],
    ["SADD", "s", "7", "x"],
    ["SREM", "s", "x"],
    ["OBJECT", "ENCODING", "s"],
    ["SPOP", "s", "5"],
    ["EXISTS", "s"],
    ["SADD", "one", "m"],
    ["SPOP", "one"],
    ["EXISTS", "one"],
    ["SADD", "one", "m"],
    ["SRANDMEMBER", "one"],
    ["SRANDMEMBER", "one", "-3"],
    ["SRANDMEMBER", "one", "1"],
  ],
  "SPOP and SRANDMEMBER argument errors": [
    ["SADD", "s", "1"],
    ["SPOP", "s", "-1"],
    ["SPOP", "s", "x"],
    ["SPOP", "nokey", "x"],
    ["SPOP", "s", "9223372036854775808"],
    ["SPOP", "s", "1", "2"],
    ["SRANDMEMBER", "s", "x"],
    ["SRANDMEMBER", "s", "1.5"],
    ["SRANDMEMBER", "s", "-9223372036854775808"],
    ["SRANDMEMBER", "s", "9223372036854775808"],
    ["SRANDMEMBER", "s", "1", "2"],
    ["SRANDMEMBER", "nokey", "x"],
    ["SCARD", "s"],
  ],
  "SSCAN of an intset returns everything at once, MATCH filters": [
    ["SADD", "s", "10", "2", "33", "1", "-4"],
    ["SSCAN", "s", "0"],
    ["SSCAN", "s", "0", "COUNT", "1"],
    ["SSCAN", "s", "0", "MATCH", "*3*"],
    ["SSCAN", "s", "0", "MATCH", "-*", "COUNT", "100"],
    ["SSCAN", "s", "42"],
    ["SSCAN", "s", "x"],
    ["SSCAN", "s", "0", "COUNT", "0"],
    ["SSCAN", "s", "0", "COUNT", "x"],
    ["SSCAN", "s", "0", "MATCH"],
    ["SSCAN", "s", "0", "TYPE", "set"],
    ["SSCAN", "nokey", "0"],
    ["SSCAN", "nokey", "x"],
    ["SSCAN", "nokey", "0", "BAD"],
  ],
  "WRONGTYPE for every set command on a string": [
    ["SET", "str", "v"],
    ["SADD", "str", "a"],
    ["SREM", "str", "a"],
    ["SMEMBERS", "str"],
    ["SISMEMBER", "str", "a"],
    ["SMISMEMBER", "str", "a"],
    ["SCARD", "str"],
    ["SPOP", "str"],
    ["SPOP", "str", "1"],
    ["SPOP", "str", "0"],
    ["SPOP", "str", "-1"],
    ["SRANDMEMBER", "str"],
    ["SRANDMEMBER", "str", "0"],
    ["SRANDMEMBER", "str", "x"],
    ["SINTER", "str"],
    ["SUNION", "str"],
    ["SDIFF", "str"],
    ["SSCAN", "str", "0"],
    ["SSCAN", "str", "x"],
    ["SSCAN", "str", "0", "COUNT", "0"],
    ["HSET", "hash", "f", "v"],
    ["SADD", "hash", "a"],
    ["GET", "str"],
  ],
  "arity errors": [
    ["SADD", "s"],
    ["SREM", "s"],
    ["SMEMBERS"],
    ["SISMEMBER", "s"],
    ["SMISMEMBER", "s"],
    ["SCARD"],
    ["SPOP"],
    ["SRANDMEMBER"],
    ["SMOVE", "a", "b"],
    ["SINTER"],
    ["SINTERCARD", "1"],
    ["SINTERSTORE", "d"],
    ["SUNION"],
    ["SUNIONSTORE", "d"],
    ["SDIFF"],
    ["SDIFFSTORE", "d"],
    ["SSCAN", "s"],
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

/** A reply with elements in no defined order: same RESP type and same sorted elements. */
async function checkSameMembers(b: Both, ...args: string[]): Promise<string[]> {
  const [ours, redis] = await Promise.all([call(b.ours, ...args), call(b.redis, ...args)]);
  assertEquals(ours.t, redis.t, `type of the reply to ${args.join(" ")}`);
  const a = (plain(ours) as string[]).sort(), r = (plain(redis) as string[]).sort();
  assertEquals(a, r, `members in the reply to ${args.join(" ")}`);
  return a;
}

async function resp3AndHashtableSteps(t: Deno.TestContext, b: Both): Promise<void> {
  await t.step("RESP3: sets are sets, SRANDMEMBER's counts arrays", async () => {
    await b.check("FLUSHALL");
    await b.check("SADD", "s", "3", "1", "2");
    await b.check("SADD", "t", "2", "3", "4");
    await hello(b, "3");
    await b.check("SMEMBERS", "s");
    await b.check("SMEMBERS", "nokey");
    await b.check("SINTER", "s", "t");
    await b.check("SINTER", "s", "nokey");
    await b.check("SUNION", "s", "t");
    await b.check("SDIFF", "s", "t");
    await b.check("SMISMEMBER", "s", "1", "x");
    await b.check("SPOP", "nokey");
    await b.check("SPOP", "nokey", "2");
    await b.check("SPOP", "s", "0");
    await b.check("SRANDMEMBER", "nokey");
    await b.check("SRANDMEMBER", "nokey", "2");
    await b.check("SRANDMEMBER", "s", "0");
    await b.check("SRANDMEMBER", "s", "5");
    await b.check("SSCAN", "s", "0");
    await b.check("SINTERCARD", "2", "s", "t");
    await b.check("SPOP", "t", "10");
    await hello(b, "2");
  });
  await t.step("hashtable-encoded sets hold the same members as Redis's", async () => {
    await b.check("FLUSHALL");
    await b.check(...saddMany("h", 1000, "m"));
    await b.check(...saddMany("i", 800));
    await b.check("OBJECT", "ENCODING", "h");
    await b.check("OBJECT", "ENCODING", "i");
    for (let n = 0; n < 1000; n += 3) await b.check("SREM", "h", `m${n}`, `x${n}`);
    await b.check("SADD", "h", "m0", "m1", "new");
    await b.check("SCARD", "h");
    await b.check("SISMEMBER", "h", "m3");
    await b.check("SMISMEMBER", "h", "m0", "m1", "m2", "m3", "new");
    await checkSameMembers(b, "SMEMBERS", "h");
    await checkSameMembers(b, "SMEMBERS", "i");
    await b.check(...saddMany("j", 300, "m", 500));
    await checkSameMembers(b, "SINTER", "h", "j");
    await checkSameMembers(b, "SUNION", "h", "j", "i");
    await checkSameMembers(b, "SDIFF", "h", "j");
    await checkSameMembers(b, "SDIFF", "j", "h", "nokey");
    await b.check("SINTERCARD", "2", "h", "j");
    await b.check("SINTERCARD", "2", "h", "j", "LIMIT", "17");
    await b.check("SINTERSTORE", "d", "h", "j");
    await checkSameMembers(b, "SMEMBERS", "d");
    await b.check("SUNIONSTORE", "d", "i", "j");
    await b.check("OBJECT", "ENCODING", "d");
    await b.check("SDIFFSTORE", "d", "i", "h");
    await b.check("OBJECT", "ENCODING", "d");
    await checkSameMembers(b, "SMEMBERS", "d");
    await b.check("SMOVE", "h", "i", "m1");
    await b.check("SISMEMBER", "i", "m1");
    await hello(b, "3");
    await checkSameMembers(b, "SMEMBERS", "h");
    await checkSameMembers(b, "SUNION", "h", "j");
    await hello(b, "2");
    const rem = ["SREM", "j"];
    for (let n = 500; n < 800; n++) rem.push(`m${n}`);
    await b.check(...rem);
    await b.check("EXISTS", "j");
  });
}

/** SPOP's or SRANDMEMBER's properties for one count, on one server (set content `all`). */
async function checkRandom(
  client: RawClient,
  args: string[],
  all: Set<string>,
  count: number,
  type: "array" | "set",
): Promise<string[]> {
  const reply = await call(client, ...args);
  const label = args.join(" ");
  assertEquals(reply.t, type, `${label}: reply type`);
  const members = plain(reply) as string[];
  for (const m of members) assert(all.has(m), `${label}: ${m} is not a member`);
  if (count < 0) {
    assertEquals(members.length, -count, `${label}: count`);
  } else {
    assertEquals(members.length, Math.min(count, all.size), `${label}: count`);
    assertEquals(new Set(members).size, members.length, `${label}: distinct`);
  }
  return members;
}

async function randomSteps(t: Deno.TestContext, b: Both): Promise<void> {
  for (
    const [encoding, create] of [["intset", saddMany("s", 200)], [
      "hashtable",
      saddMany("s", 700, "m"),
    ]] as const
  ) {
    await t.step(`SRANDMEMBER and SPOP on a ${encoding}`, async () => {
      await b.check("FLUSHALL");
      await b.check(...create);
      await b.check("OBJECT", "ENCODING", "s");
      const all = new Set(await checkSameMembers(b, "SMEMBERS", "s"));
      for (const resp of [2, 3] as const) {
        await withResp(b, resp, async () => {
          const size = all.size;
          const setType = resp === 3 ? "set" : "array";
          for (const client of [b.ours, b.redis]) {
            for (const count of [1, 2, size >> 2, size - 1, size, size + 5, -1, -5, -size * 2]) {
              await checkRandom(client, ["SRANDMEMBER", "s", String(count)], all, count, "array");
            }
            const one = plain(await call(client, "SRANDMEMBER", "s")) as string;
            assert(all.has(one), `SRANDMEMBER s: ${one}`);
          }
          // SPOP removes what it returns: the rest stays, on both servers alike.
          for (const count of [1, 3, Math.floor(size / 15)]) {
            const popped = await Promise.all(
              [b.ours, b.redis].map((client) =>
                checkRandom(client, ["SPOP", "s", String(count)], all, count, setType)
              ),
            );
            for (const [i, client] of [b.ours, b.redis].entries()) {
              assertEquals(plain(await call(client, "SCARD", "s")), all.size - count);
              const left = await call(client, "SMISMEMBER", "s", ...popped[i]!);
              assert((plain(left) as number[]).every((x) => x === 0), "popped members are gone");
            }
            // Same content again on both servers for the next round.
            await b.both("SREM", "s", ...popped[0]!, ...popped[1]!);
            for (const m of [...popped[0]!, ...popped[1]!]) all.delete(m);
            await checkSameMembers(b, "SMEMBERS", "s");
            const single = await Promise.all([b.ours, b.redis].map((c) => call(c, "SPOP", "s")));
            await b.both("SREM", "s", ...single.map((r) => plain(r) as string));
            for (const r of single) all.delete(plain(r) as string);
          }
        });
      }
      await b.check("SCARD", "s");
      await b.check("OBJECT", "ENCODING", "s");
    });
  }
  await t.step("negative counts repeat members; SPOP empties and deletes the key", async () => {
    await b.check("FLUSHALL");
    await b.check("SADD", "s", "a", "b");
    for (const client of [b.ours, b.redis]) {
      const many = plain(await call(client, "SRANDMEMBER", "s", "-200")) as string[];
      assertEquals(new Set(many).size, 2, "both members come up in 200 draws");
    }
    await b.check(...saddMany("big", 100, "m"));
    for (let i = 0; i < 99; i++) {
      await Promise.all([b.ours, b.redis].map((c) => call(c, "SPOP", "big")));
    }
    await b.check("SCARD", "big");
    await Promise.all([b.ours, b.redis].map((c) => call(c, "SPOP", "big")));
    await b.check("EXISTS", "big");
    await b.check(...saddMany("big", 100, "m"));
    await Promise.all([b.ours, b.redis].map((c) => call(c, "SPOP", "big", "60")));
    await b.check("SCARD", "big");
    await Promise.all([b.ours, b.redis].map((c) => call(c, "SPOP", "big", "40")));
    await b.check("EXISTS", "big");
  });
}

/** Runs a full SSCAN with COUNT on one server, calling `between` after each step. */
async function sscanAll(
  client: RawClient,
  key: string,
  options: string[],
  between: () => Promise<void>,
): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor = "0", steps = 0;
  do {
    const reply = plain(await call(client, "SSCAN", key, cursor, ...options)) as [string, string[]];
    cursor = reply[0];
    for (const m of reply[1]) seen.add(m);
    await between();
    if (++steps > 100_000) throw new Error("SSCAN did not terminate");
  } while (cursor !== "0");
  return seen;
}

async function sscanSteps(t: Deno.TestContext, b: Both): Promise<void> {
  await t.step("a full SSCAN equals SMEMBERS, with and without MATCH", async () => {
    await b.check("FLUSHALL");
    await b.check(...saddMany("s", 1500, "m"));
    const all = await checkSameMembers(b, "SMEMBERS", "s");
    for (const options of [["COUNT", "10"], ["MATCH", "m1*"], ["MATCH", "*7", "COUNT", "3"]]) {
      const [ours, redis] = await Promise.all(
        [b.ours, b.redis].map((c) => sscanAll(c, "s", options, async () => {})),
      );
      assertEquals([...ours!].sort(), [...redis!].sort(), `SSCAN ${options.join(" ")}`);
      if (options.length === 2 && options[0] === "COUNT") assertEquals([...ours!].sort(), all);
    }
  });
  await t.step("members added and removed between calls do not hide the stable ones", async () => {
    for (const client of [b.ours, b.redis]) {
      await call(client, "FLUSHALL");
      await call(client, ...saddMany("s", 2000, "m"));
      // m0..m999 stay; m1000..m1999 are removed (SREM and SPOP-like churn) while new ones come.
      let next = 1000, added = 0;
      const seen = await sscanAll(client, "s", ["COUNT", "7"], async () => {
        if (next < 2000) await call(client, "SREM", "s", `m${next++}`, `m${next++}`);
        await call(client, "SADD", "s", `n${added++}`, `n${added++}`);
      });
      for (let i = 0; i < 1000; i++) assert(seen.has(`m${i}`), `m${i} was returned`);
      for (const m of seen) assert(/^[mn]\d+$/.test(m), `unexpected ${m}`);
    }
  });
}

differential("sets: RESP3 forms, hashtable content, SPOP/SRANDMEMBER and SSCAN properties", async (
  t,
  servers,
) => {
  const b = await servers.connect();
  await resp3AndHashtableSteps(t, b);
  await randomSteps(t, b);
  await sscanSteps(t, b);
});
