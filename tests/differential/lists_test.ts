// Differential tests of the list commands (lib/commands/lists.ts) against redis-server: every
// command with its errors and edges, big lists across many nodes, RESP3, and the blocking
// commands where their replies are deterministic (served at once, or timed out).
import { differential, differentialCases } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";
import { encodeCommand, type RawClient, str } from "../helpers/resp_client.ts";

const LLONG_MAX = "9223372036854775807";
const LLONG_MIN = "-9223372036854775808";
const BEYOND = "9223372036854775808";

/** RPUSH of n numbered elements, in batches. */
function fill(key: string, n: number, prefix = "e", size = 0): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i += 500) {
    const batch = ["RPUSH", key];
    for (let j = i; j < Math.min(n, i + 500); j++) batch.push(`${prefix}${j}`.padEnd(size, "x"));
    out.push(batch);
  }
  return out;
}

/** A binary string with every byte value. */
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");

differentialCases("lists: push, pop, length, index", {
  "LPUSH and RPUSH order and count": [
    ["LPUSH", "l", "a", "b", "c"],
    ["RPUSH", "l", "d", "e"],
    ["LRANGE", "l", "0", "-1"],
    ["LLEN", "l"],
    ["TYPE", "l"],
    ["OBJECT", "ENCODING", "l"],
  ],
  "LPUSHX and RPUSHX only push onto existing lists": [
    ["LPUSHX", "l", "a"],
    ["RPUSHX", "l", "a", "b"],
    ["EXISTS", "l"],
    ["RPUSH", "l", "x"],
    ["LPUSHX", "l", "a", "b"],
    ["RPUSHX", "l", "y", "z"],
    ["LRANGE", "l", "0", "-1"],
    ["SET", "s", "v"],
    ["LPUSHX", "s", "a"],
    ["RPUSHX", "s", "a"],
  ],
  "pushes and pops on other types are WRONGTYPE": [
    ["SET", "s", "v"],
    ["LPUSH", "s", "a"],
    ["RPUSH", "s", "a"],
    ["LPOP", "s"],
    ["RPOP", "s", "2"],
    ["LLEN", "s"],
    ["LINDEX", "s", "0"],
    ["LRANGE", "s", "0", "1"],
    ["LSET", "s", "0", "x"],
    ["LINSERT", "s", "BEFORE", "a", "b"],
    ["LREM", "s", "0", "a"],
    ["LTRIM", "s", "0", "1"],
    ["LPOS", "s", "a"],
    ["GET", "s"],
  ],
  "LPOP and RPOP, with and without a count": [
    ["RPUSH", "l", "a", "b", "c", "d", "e"],
    ["LPOP", "l"],
    ["RPOP", "l"],
    ["LPOP", "l", "2"],
    ["RPOP", "l", "0"],
    ["RPOP", "l", "5"],
    ["EXISTS", "l"],
    ["LPOP", "l"],
    ["LPOP", "l", "0"],
    ["LPOP", "l", "3"],
    ["RPOP", "l", "1"],
  ],
  "LPOP and RPOP count errors": [
    ["RPUSH", "l", "a", "b"],
    ["LPOP", "l", "-1"],
    ["LPOP", "l", "abc"],
    ["LPOP", "l", BEYOND],
    ["RPOP", "l", "1.5"],
    ["LPOP", "l", "1", "2"],
    ["RPOP", "missing", "-1"],
    ["LPOP", "l", LLONG_MAX],
    ["EXISTS", "l"],
  ],
  "the last pop deletes the key": [
    ["RPUSH", "l", "only"],
    ["RPOP", "l"],
    ["EXISTS", "l"],
    ["RPUSH", "l", "a", "b"],
    ["LPOP", "l", "2"],
    ["EXISTS", "l"],
  ],
  "LINDEX with negative and out of range indexes": [
    ["RPUSH", "l", "a", "b", "c"],
    ["LINDEX", "l", "0"],
    ["LINDEX", "l", "-1"],
    ["LINDEX", "l", "-3"],
    ["LINDEX", "l", "-4"],
    ["LINDEX", "l", "3"],
    ["LINDEX", "l", LLONG_MAX],
    ["LINDEX", "l", LLONG_MIN],
    ["LINDEX", "l", BEYOND],
    ["LINDEX", "l", "x"],
    ["LINDEX", "missing", "x"],
    ["LINDEX", "missing", "0"],
  ],
  "empty strings and binary elements": [
    ["RPUSH", "l", "", ALL_BYTES, "\r\n", "\0"],
    ["LRANGE", "l", "0", "-1"],
    ["LINDEX", "l", "1"],
    ["LPOS", "l", ""],
    ["LPOS", "l", ALL_BYTES],
    ["LREM", "l", "0", ""],
    ["RPOP", "l", "10"],
  ],
  "arity errors": [
    ["LPUSH", "l"],
    ["RPUSH"],
    ["LPOP"],
    ["LLEN", "a", "b"],
    ["LRANGE", "l", "0"],
    ["LINSERT", "l", "BEFORE", "a"],
    ["LMOVE", "a", "b", "LEFT"],
    ["BLPOP", "l"],
    ["LMPOP", "1", "l"],
    ["BLMPOP", "0", "1", "l"],
  ],
});

differentialCases("lists: ranges, LSET, LINSERT, LREM, LTRIM", {
  "LRANGE index arithmetic": [
    ["RPUSH", "l", "a", "b", "c", "d", "e"],
    ["LRANGE", "l", "0", "0"],
    ["LRANGE", "l", "1", "3"],
    ["LRANGE", "l", "-2", "-1"],
    ["LRANGE", "l", "-100", "100"],
    ["LRANGE", "l", "3", "1"],
    ["LRANGE", "l", "5", "10"],
    ["LRANGE", "l", "-1", "-2"],
    ["LRANGE", "l", LLONG_MIN, LLONG_MAX],
    ["LRANGE", "l", LLONG_MAX, LLONG_MIN],
    ["LRANGE", "l", "0", BEYOND],
    ["LRANGE", "l", "a", "1"],
    ["LRANGE", "missing", "0", "-1"],
    ["LRANGE", "missing", "a", "b"],
  ],
  "LSET in range, out of range, missing key": [
    ["RPUSH", "l", "a", "b", "c"],
    ["LSET", "l", "0", "A"],
    ["LSET", "l", "-1", "C"],
    ["LSET", "l", "3", "x"],
    ["LSET", "l", "-4", "x"],
    ["LSET", "l", "x", "x"],
    ["LSET", "missing", "0", "x"],
    ["LSET", "missing", "x", "x"],
    ["LSET", "l", "1", "a much longer element than the others".repeat(10)],
    ["LRANGE", "l", "0", "-1"],
  ],
  "LINSERT before, after, missing pivot, missing key": [
    ["RPUSH", "l", "a", "b", "a"],
    ["LINSERT", "l", "BEFORE", "a", "x"],
    ["LINSERT", "l", "after", "a", "y"],
    ["LINSERT", "l", "AFTER", "b", "z"],
    ["LINSERT", "l", "BEFORE", "nope", "w"],
    ["LINSERT", "l", "MIDDLE", "a", "w"],
    ["LINSERT", "missing", "BEFORE", "a", "w"],
    ["LINSERT", "missing", "MIDDLE", "a", "w"],
    ["EXISTS", "missing"],
    ["LRANGE", "l", "0", "-1"],
  ],
  "LREM from the head, the tail, all": [
    ["RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"],
    ["LREM", "l", "1", "a"],
    ["LRANGE", "l", "0", "-1"],
    ["LREM", "l", "-2", "a"],
    ["LRANGE", "l", "0", "-1"],
    ["LREM", "l", "0", "b"],
    ["LRANGE", "l", "0", "-1"],
    ["LREM", "l", "0", "nope"],
    ["LREM", "l", "x", "a"],
    ["LREM", "missing", "1", "a"],
    ["LREM", "missing", "x", "a"],
    ["LREM", "l", "0", "a"],
    ["LREM", "l", "0", "c"],
    ["EXISTS", "l"],
  ],
  "LREM with extreme counts": [
    ["RPUSH", "l", "a", "b", "a", "c", "a"],
    ["LREM", "l", LLONG_MIN, "a"],
    ["LRANGE", "l", "0", "-1"],
    ["RPUSH", "l", "b", "b"],
    ["LREM", "l", LLONG_MAX, "b"],
    ["LRANGE", "l", "0", "-1"],
    ["LREM", "l", BEYOND, "c"],
  ],
  "LTRIM keeps a range or empties the list": [
    ["RPUSH", "l", "a", "b", "c", "d", "e", "f"],
    ["LTRIM", "l", "1", "-2"],
    ["LRANGE", "l", "0", "-1"],
    ["LTRIM", "l", "-100", "100"],
    ["LRANGE", "l", "0", "-1"],
    ["LTRIM", "l", "1", "1"],
    ["LRANGE", "l", "0", "-1"],
    ["LTRIM", "l", "5", "10"],
    ["EXISTS", "l"],
    ["RPUSH", "l", "a", "b"],
    ["LTRIM", "l", "1", "0"],
    ["EXISTS", "l"],
    ["LTRIM", "missing", "0", "1"],
    ["LTRIM", "missing", "a", "1"],
    ["LTRIM", "l", "0", "b"],
    ["RPUSH", "l", "a", "b"],
    ["LTRIM", "l", LLONG_MIN, LLONG_MAX],
    ["LRANGE", "l", "0", "-1"],
  ],
});

differentialCases("lists: LPOS", {
  "LPOS RANK, COUNT and MAXLEN": [
    ["RPUSH", "l", "a", "b", "c", "a", "b", "a"],
    ["LPOS", "l", "a"],
    ["LPOS", "l", "b"],
    ["LPOS", "l", "z"],
    ["LPOS", "l", "a", "RANK", "2"],
    ["LPOS", "l", "a", "RANK", "-1"],
    ["LPOS", "l", "a", "RANK", "-3"],
    ["LPOS", "l", "a", "RANK", "4"],
    ["LPOS", "l", "a", "COUNT", "0"],
    ["LPOS", "l", "a", "COUNT", "2"],
    ["LPOS", "l", "a", "RANK", "2", "COUNT", "0"],
    ["LPOS", "l", "a", "RANK", "-2", "COUNT", "2"],
    ["LPOS", "l", "a", "RANK", "5", "COUNT", "2"],
    ["LPOS", "l", "z", "COUNT", "0"],
    ["LPOS", "l", "a", "MAXLEN", "1"],
    ["LPOS", "l", "a", "RANK", "2", "MAXLEN", "3"],
    ["LPOS", "l", "a", "COUNT", "0", "MAXLEN", "4"],
    ["LPOS", "l", "a", "RANK", "-1", "MAXLEN", "2", "COUNT", "0"],
    ["LPOS", "l", "a", "rank", "1", "count", "1", "maxlen", "0", "RANK", "2"],
    ["LPOS", "l", "a", "COUNT", LLONG_MAX],
    ["LPOS", "l", "a", "RANK", LLONG_MAX],
    ["LPOS", "l", "a", "RANK", "-" + LLONG_MAX],
    ["LPOS", "missing", "a"],
    ["LPOS", "missing", "a", "COUNT", "1"],
  ],
  "LPOS RANK LLONG_MIN counts from the tail and ignores COUNT": [
    ["RPUSH", "l", "a", "b", "c", "a", "b", "a"],
    ["LPOS", "l", "a", "RANK", LLONG_MIN],
    ["LPOS", "l", "a", "RANK", LLONG_MIN, "COUNT", "0"],
    ["LPOS", "l", "a", "RANK", LLONG_MIN, "COUNT", "1"],
    ["LPOS", "l", "a", "RANK", LLONG_MIN, "COUNT", "2", "MAXLEN", "3"],
  ],
  "LPOS errors, in argument order": [
    ["RPUSH", "l", "a"],
    ["LPOS", "l", "a", "RANK", "0"],
    ["LPOS", "l", "a", "RANK", BEYOND],
    ["LPOS", "l", "a", "RANK", "x"],
    ["LPOS", "l", "a", "COUNT", "-1"],
    ["LPOS", "l", "a", "COUNT", "x"],
    ["LPOS", "l", "a", "COUNT", BEYOND],
    ["LPOS", "l", "a", "MAXLEN", "-1"],
    ["LPOS", "l", "a", "MAXLEN", "x"],
    ["LPOS", "l", "a", "RANK", "0", "COUNT", "-1"],
    ["LPOS", "l", "a", "COUNT", "-1", "RANK", "0"],
    ["LPOS", "l", "a", "RANK"],
    ["LPOS", "l", "a", "FIRST", "1"],
    ["LPOS", "missing", "a", "RANK", "0"],
  ],
});

differentialCases("lists: LMOVE, RPOPLPUSH, LMPOP", {
  "LMOVE in every direction": [
    ["RPUSH", "src", "a", "b", "c", "d"],
    ["LMOVE", "src", "dst", "LEFT", "LEFT"],
    ["LMOVE", "src", "dst", "RIGHT", "LEFT"],
    ["LMOVE", "src", "dst", "left", "right"],
    ["LMOVE", "src", "dst", "Right", "Right"],
    ["LRANGE", "dst", "0", "-1"],
    ["EXISTS", "src"],
    ["LMOVE", "src", "dst", "LEFT", "LEFT"],
  ],
  "LMOVE onto itself rotates": [
    ["RPUSH", "l", "a", "b", "c"],
    ["LMOVE", "l", "l", "LEFT", "RIGHT"],
    ["LMOVE", "l", "l", "RIGHT", "LEFT"],
    ["LMOVE", "l", "l", "LEFT", "LEFT"],
    ["LRANGE", "l", "0", "-1"],
  ],
  "LMOVE and RPOPLPUSH errors": [
    ["RPUSH", "l", "a"],
    ["SET", "s", "v"],
    ["LMOVE", "l", "s", "LEFT", "LEFT"],
    ["LMOVE", "s", "l", "LEFT", "LEFT"],
    ["LMOVE", "missing", "s", "LEFT", "LEFT"],
    ["LMOVE", "l", "x", "UP", "LEFT"],
    ["LMOVE", "l", "x", "LEFT", "DOWN"],
    ["LMOVE", "missing", "x", "UP", "LEFT"],
    ["RPOPLPUSH", "l", "s"],
    ["RPOPLPUSH", "s", "l"],
    ["RPOPLPUSH", "missing", "l"],
    ["LRANGE", "l", "0", "-1"],
  ],
  "RPOPLPUSH moves the tail to the head": [
    ["RPUSH", "src", "a", "b", "c"],
    ["RPOPLPUSH", "src", "dst"],
    ["RPOPLPUSH", "src", "dst"],
    ["RPOPLPUSH", "src", "src"],
    ["LRANGE", "src", "0", "-1"],
    ["LRANGE", "dst", "0", "-1"],
    ["RPOPLPUSH", "src", "dst"],
    ["EXISTS", "src"],
  ],
  "LMPOP from the first non-empty key": [
    ["RPUSH", "b", "1", "2", "3"],
    ["RPUSH", "c", "x"],
    ["LMPOP", "3", "a", "b", "c", "LEFT"],
    ["LMPOP", "3", "a", "b", "c", "RIGHT", "COUNT", "10"],
    ["LMPOP", "3", "a", "b", "c", "right", "count", "1"],
    ["LMPOP", "2", "a", "b", "LEFT"],
    ["EXISTS", "b", "c"],
  ],
  "LMPOP errors": [
    ["RPUSH", "l", "a", "b"],
    ["SET", "s", "v"],
    ["LMPOP", "0", "l", "LEFT"],
    ["LMPOP", "-1", "l", "LEFT"],
    ["LMPOP", "x", "l", "LEFT"],
    ["LMPOP", "2", "l", "LEFT"],
    ["LMPOP", LLONG_MAX, "l", "LEFT"],
    ["LMPOP", "1", "l", "MIDDLE"],
    ["LMPOP", "1", "l", "LEFT", "COUNT", "0"],
    ["LMPOP", "1", "l", "LEFT", "COUNT", "-1"],
    ["LMPOP", "1", "l", "LEFT", "COUNT", "x"],
    ["LMPOP", "1", "l", "LEFT", "COUNT"],
    ["LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"],
    ["LMPOP", "1", "l", "LEFT", "FOO"],
    ["LMPOP", "2", "missing", "s", "LEFT"],
    ["LMPOP", "2", "s", "l", "LEFT"],
    ["LMPOP", "2", "l", "s", "LEFT"],
    ["LRANGE", "l", "0", "-1"],
  ],
});

differentialCases("lists: blocking commands that need not block", {
  "BLPOP and BRPOP pop from the first non-empty key": [
    ["RPUSH", "b", "1", "2"],
    ["BLPOP", "a", "b", "1"],
    ["BRPOP", "a", "b", "0"],
    ["EXISTS", "b"],
    ["RPUSH", "a", "x"],
    ["BRPOP", "a", "a", "0.5"],
  ],
  "BLPOP WRONGTYPE and timeout errors": [
    ["SET", "s", "v"],
    ["RPUSH", "l", "x"],
    ["BLPOP", "missing", "s", "l", "0"],
    ["BLPOP", "l", "s", "0"],
    ["BLPOP", "l", "abc"],
    ["BLPOP", "l", "-1"],
    ["BLPOP", "l", "-0.5"],
    ["BLPOP", "l", "inf"],
    ["BLPOP", "l", "-inf"],
    ["BLPOP", "l", "1e30"],
    ["BLPOP", "l", "nan"],
    ["BLPOP", "l", " 1"],
    ["BLPOP", "l", ""],
    ["BLPOP", "l", "1e-5000"],
    ["BRPOP", "l", LLONG_MAX],
    ["BRPOP", "l", "9.3e15"],
    ["RPUSH", "l", "a", "b", "c"],
    ["BRPOP", "l", "0x10"],
    ["BRPOP", "l", "9.2e15"],
    ["BLPOP", "l", "-0.0001"],
    ["LLEN", "l"],
  ],
  "BLMOVE and BRPOPLPUSH with data move at once": [
    ["RPUSH", "src", "a", "b", "c"],
    ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"],
    ["BLMOVE", "src", "dst", "RIGHT", "LEFT", "1.5"],
    ["BRPOPLPUSH", "src", "dst", "0"],
    ["LRANGE", "dst", "0", "-1"],
    ["EXISTS", "src"],
  ],
  "BLMOVE and BRPOPLPUSH errors": [
    ["RPUSH", "l", "a"],
    ["SET", "s", "v"],
    ["BLMOVE", "l", "x", "MIDDLE", "LEFT", "abc"],
    ["BLMOVE", "l", "x", "LEFT", "LEFT", "abc"],
    ["BLMOVE", "l", "x", "LEFT", "LEFT", "-1"],
    ["BLMOVE", "s", "x", "LEFT", "LEFT", "0"],
    ["BLMOVE", "l", "s", "LEFT", "LEFT", "0"],
    ["BRPOPLPUSH", "s", "l", "0"],
    ["BRPOPLPUSH", "l", "s", "0"],
    ["BRPOPLPUSH", "l", "s", "x"],
    ["LRANGE", "l", "0", "-1"],
  ],
  "BLMPOP pops like LMPOP and checks arguments first": [
    ["RPUSH", "b", "1", "2", "3"],
    ["BLMPOP", "0", "2", "a", "b", "LEFT"],
    ["BLMPOP", "1", "2", "a", "b", "RIGHT", "COUNT", "5"],
    ["EXISTS", "b"],
    ["BLMPOP", "0", "0", "l", "LEFT"],
    ["BLMPOP", "abc", "1", "l", "LEFT"],
    ["BLMPOP", "abc", "1", "l", "MIDDLE"],
    ["BLMPOP", "abc", "0", "l", "LEFT"],
    ["BLMPOP", "-1", "0", "l", "LEFT"],
    ["BLMPOP", "-1", "1", "l", "LEFT"],
    ["BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0"],
    ["BLMPOP", "0", "2", "l", "LEFT"],
    ["SET", "s", "v"],
    ["BLMPOP", "0", "1", "s", "LEFT"],
  ],
});

differentialCases("lists: timeouts reply null", {
  "BLPOP, BRPOP, BLMPOP time out with a null array": [
    ["BLPOP", "a", "b", "0.05"],
    ["BRPOP", "a", "0.01"],
    ["BLMPOP", "0.02", "2", "a", "b", "LEFT", "COUNT", "2"],
    ["BLPOP", "a", "0.0001"],
    ["BLPOP", "a", "1e-400"],
  ],
  "BLMOVE and BRPOPLPUSH time out with a null array too": [
    ["BLMOVE", "a", "b", "LEFT", "LEFT", "0.02"],
    ["BRPOPLPUSH", "a", "b", "0.02"],
    ["EXISTS", "a", "b"],
  ],
});

/** Like differentialCases, on a connection pair switched to RESP3 (HELLO's ids differ). */
function resp3Cases(name: string, cases: Record<string, string[][]>): void {
  differential(name, async (t, servers) => {
    const both = await servers.connect();
    await both.both("HELLO", "3");
    for (const [caseName, commands] of Object.entries(cases)) {
      await t.step(caseName, async () => {
        await both.check("FLUSHALL");
        for (const command of commands) await both.check(...command);
      });
    }
  });
}

resp3Cases("lists: RESP3 replies", {
  "timeouts are the null type": [
    ["BLPOP", "a", "0.01"],
    ["BLMOVE", "a", "b", "LEFT", "LEFT", "0.01"],
    ["BLMPOP", "0.01", "1", "a", "LEFT"],
  ],
  "null and array forms": [
    ["LPOP", "missing"],
    ["LPOP", "missing", "2"],
    ["LINDEX", "missing", "0"],
    ["LPOS", "missing", "a"],
    ["LMPOP", "1", "missing", "LEFT"],
    ["LMOVE", "missing", "x", "LEFT", "LEFT"],
    ["RPUSH", "l", "a", "b", "c"],
    ["LINDEX", "l", "9"],
    ["LPOS", "l", "z"],
    ["LPOS", "l", "a", "COUNT", "0"],
    ["LPOP", "l", "2"],
    ["LMPOP", "1", "l", "RIGHT"],
    ["RPUSH", "l", "d"],
    ["BLPOP", "l", "0"],
    ["LRANGE", "l", "0", "-1"],
  ],
});

differentialCases("lists: big lists across many nodes", {
  "LRANGE, LINDEX and pops across node boundaries": [
    ...fill("l", 5000),
    ["LLEN", "l"],
    ["LRANGE", "l", "0", "99"],
    ["LRANGE", "l", "-100", "-1"],
    ["LRANGE", "l", "1500", "1700"],
    ["LRANGE", "l", "4990", "6000"],
    ["LINDEX", "l", "0"],
    ["LINDEX", "l", "2500"],
    ["LINDEX", "l", "-1"],
    ["LINDEX", "l", "-2501"],
    ["LPOP", "l", "700"],
    ["RPOP", "l", "700"],
    ["LLEN", "l"],
    ["LINDEX", "l", "0"],
    ["LINDEX", "l", "-1"],
    ["LSET", "l", "1000", "changed"],
    ["LINSERT", "l", "BEFORE", "e3000", "before-3000"],
    ["LINSERT", "l", "AFTER", "e3000", "after-3000"],
    ["LRANGE", "l", "1795", "1805"],
    ["LPOS", "l", "e3000"],
    ["LPOS", "l", "e3000", "RANK", "-1"],
    ["LREM", "l", "0", "changed"],
    ["LTRIM", "l", "100", "-100"],
    ["LLEN", "l"],
    ["LRANGE", "l", "0", "4"],
    ["LRANGE", "l", "-5", "-1"],
    ["OBJECT", "ENCODING", "l"],
  ],
  "large elements get nodes of their own": [
    ["RPUSH", "l", "a", "x".repeat(10000), "b", "y".repeat(20000), "c"],
    ["LPUSH", "l", "z".repeat(9000)],
    ["LRANGE", "l", "0", "-1"],
    ["LINDEX", "l", "-2"],
    ["LSET", "l", "1", "small"],
    ["LINSERT", "l", "AFTER", "b", "w".repeat(30000)],
    ["LREM", "l", "0", "x".repeat(10000)],
    ["LRANGE", "l", "0", "-1"],
    ["OBJECT", "ENCODING", "l"],
  ],
  "LREM across nodes from both ends": [
    ...fill("l", 3000, "v", 30).map((cmd) =>
      cmd.map((arg, i) => (i > 1 && Number(arg.slice(1, 5)) % 3 === 0 ? "dup" : arg))
    ),
    ["LREM", "l", "-300", "dup"],
    ["LREM", "l", "300", "dup"],
    ["LLEN", "l"],
    ["LRANGE", "l", "0", "5"],
    ["LRANGE", "l", "-5", "-1"],
    ["LREM", "l", "0", "dup"],
    ["LLEN", "l"],
    ["LPOS", "l", "dup"],
  ],
  "a small list keeps working after CONFIG SET list-max-listpack-size": [
    ["CONFIG", "SET", "list-max-listpack-size", "2"],
    ...fill("l", 50),
    ["LINSERT", "l", "AFTER", "e10", "x"],
    ["LRANGE", "l", "8", "14"],
    ["CONFIG", "SET", "list-max-ziplist-size", "-5"],
    ...fill("m", 50),
    ["LRANGE", "m", "45", "-1"],
    ["OBJECT", "ENCODING", "l"],
    ["CONFIG", "SET", "list-max-listpack-size", "-2"],
  ],
});

differential("lists: COPY, RENAME and MOVE keep list values", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await t.step("COPY duplicates, the copy changes alone", async () => {
    for (const cmd of fill("l", 1200)) await both.check(...cmd);
    await both.check("COPY", "l", "c");
    await both.check("RPUSH", "c", "extra");
    await both.check("LPOP", "l", "3");
    await both.check("LLEN", "l");
    await both.check("LLEN", "c");
    await both.check("LRANGE", "c", "0", "2");
    await both.check("LRANGE", "c", "-2", "-1");
    await both.check("OBJECT", "ENCODING", "c");
  });
  await t.step("RENAME and MOVE carry the list", async () => {
    await both.check("RENAME", "c", "d");
    await both.check("LRANGE", "d", "-1", "-1");
    await both.check("MOVE", "d", "1");
    await both.check("SELECT", "1");
    await both.check("LLEN", "d");
    await both.check("SELECT", "0");
  });
});

differential("lists: a pipelined BLPOP batch replies like Redis", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  // Served commands in one write, a timed-out one among them: every reply comes in order.
  const commands = [
    ["RPUSH", "q", "1", "2"],
    ["BLPOP", "q", "0"],
    ["BRPOP", "q", "0"],
    ["BLPOP", "q", "0.05"],
    ["PING"],
  ];
  const batch = commands.map((args) => str(encodeCommand(args))).join("");
  await Promise.all([both.ours.send(batch), both.redis.send(batch)]);
  const replies = async (client: RawClient) => {
    const out: string[] = [];
    for (const _ of commands) out.push(await client.replyText());
    return out;
  };
  const [ours, redis] = await Promise.all([replies(both.ours), replies(both.redis)]);
  assertEquals(ours, redis);
});
