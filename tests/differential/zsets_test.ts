// Differential tests of the sorted set commands (lib/commands/zsets.ts) against redis-server:
// raw reply bytes in RESP2 and RESP3, score formatting, ranges, stores, pops, encodings, errors.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, plain, type Resp } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";
import { lookupCommand } from "../../lib/commands/table.ts";

type Cases = Record<string, string[][]>;

/** Runs each case after FLUSHALL, every reply compared byte for byte. */
async function runCases(t: Deno.TestContext, both: Both, cases: Cases, label = ""): Promise<void> {
  for (const [name, commands] of Object.entries(cases)) {
    await t.step(label + name, async () => {
      await both.check("FLUSHALL");
      for (const command of commands) await both.check(...command);
    });
  }
}

/** A connection pair switched to RESP3 (HELLO replies differ by design: not compared). */
async function resp3(both: Both): Promise<Both> {
  const [ours, redis] = await both.both("HELLO", "3");
  assert(ours.startsWith("%") && redis.startsWith("%"), "HELLO 3 failed");
  return both;
}

/** A deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scores whose %.17g and RESP3 double spellings are worth checking. */
const SCORES = [
  "0",
  "-0",
  "0.1",
  "1.1",
  "-1.5",
  "1e-300",
  "1.5e300",
  "inf",
  "-inf",
  "+inf",
  "Infinity",
  "-infinity",
  "123456789012345678",
  "12345678901234567",
  "1234567890123456",
  "9007199254740993",
  "4503599627370497",
  "0.30000000000000004",
  "1.0000000000000002",
  "3.141592653589793",
  "1e17",
  "1e16",
  "1e21",
  "5e-324",
  "2.2250738585072014e-308",
  "1.7976931348623157e308",
  "100",
  ".5",
  "5.",
  "+7",
  "-.5e-3",
  "0x10",
  "0x1.8p1",
  "1E5",
  "0.000123",
  "0.0001",
  "0.00001",
  "99999999999999999",
  "-9007199254740992",
  "2.5e-5",
];

/** ZADD arguments that are not scores (each must be refused with the same error). */
const BAD_SCORES = ["nan", "-nan", "abc", "", " 1", "1 ", "1e400", "-1e400", "1e-400", "1,5", "0x"];

const CORE: Cases = {
  "ZADD adds, updates and counts": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
    ["ZADD", "z", "1", "a", "5", "b", "0", "d"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["ZADD", "z", "CH", "1", "a", "6", "b", "9", "e"],
    ["ZADD", "z", "ch", "6", "b"],
    ["ZCARD", "z"],
    ["ZADD", "z", "1", "x", "1", "x", "2", "x"],
    ["ZSCORE", "z", "x"],
    ["TYPE", "z"],
  ],
  "ZADD NX, XX, GT, LT": [
    ["ZADD", "z", "XX", "1", "a"],
    ["EXISTS", "z"],
    ["ZADD", "z", "XX", "CH", "INCR", "1", "a"],
    ["EXISTS", "z"],
    ["ZADD", "z", "NX", "1", "a", "2", "b"],
    ["ZADD", "z", "NX", "5", "a", "3", "c"],
    ["ZADD", "z", "XX", "10", "a", "4", "d"],
    ["ZADD", "z", "XX", "CH", "11", "a", "4", "d"],
    ["ZADD", "z", "GT", "CH", "5", "a", "20", "b", "1", "new"],
    ["ZADD", "z", "LT", "CH", "50", "a", "1", "b", "0", "new2"],
    ["ZADD", "z", "GT", "XX", "CH", "100", "a", "-5", "b", "1", "ghost"],
    ["ZADD", "z", "LT", "XX", "CH", "1", "a", "1", "b"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["ZADD", "z", "gt", "ch", "1", "a"],
    ["ZADD", "z", "Nx", "cH", "7", "zz"],
  ],
  "ZADD INCR": [
    ["ZADD", "z", "INCR", "1.5", "a"],
    ["ZADD", "z", "INCR", "1.5", "a"],
    ["ZADD", "z", "INCR", "NX", "1", "a"],
    ["ZADD", "z", "INCR", "NX", "1", "b"],
    ["ZADD", "z", "INCR", "XX", "1", "a"],
    ["ZADD", "z", "INCR", "XX", "1", "c"],
    ["ZADD", "z", "INCR", "GT", "-1", "a"],
    ["ZADD", "z", "INCR", "GT", "1", "a"],
    ["ZADD", "z", "INCR", "LT", "1", "a"],
    ["ZADD", "z", "INCR", "LT", "-10", "a"],
    ["ZADD", "z", "INCR", "GT", "5", "fresh"],
    ["ZADD", "z", "INCR", "0", "a"],
    ["ZADD", "z", "INCR", "inf", "a"],
    ["ZADD", "z", "INCR", "-inf", "a"],
    ["ZADD", "z", "INCR", "inf", "a"],
    ["ZSCORE", "z", "a"],
    ["ZADD", "z", "INCR", "1", "a", "2", "b"],
    ["ZADD", "z", "INCR", "CH", "1", "b"],
  ],
  "ZADD option errors": [
    ["ZADD", "z", "NX", "XX", "1", "a"],
    ["ZADD", "z", "GT", "LT", "1", "a"],
    ["ZADD", "z", "GT", "NX", "1", "a"],
    ["ZADD", "z", "LT", "NX", "1", "a"],
    ["ZADD", "z", "NX", "XX", "GT", "LT", "1", "a"],
    ["ZADD", "z", "XX", "GT", "LT", "1", "a", "2"],
    ["ZADD", "z", "1", "a", "2"],
    ["ZADD", "z", "NX", "1"],
    ["ZADD", "z", "NX"],
    ["ZADD", "z", "INCR", "1", "a", "x", "b"],
    ["ZADD", "z", "1", "a", "x", "b"],
    ["ZADD", "z", "FOO", "1", "a"],
    ["ZADD", "z", "1"],
    ["ZADD", "z"],
    ["EXISTS", "z"],
  ],
  "ZADD refuses what is not a float, before any write": BAD_SCORES.flatMap((s) => [
    ["ZADD", "z", "1", "ok", s, "a"],
    ["ZINCRBY", "z", s, "a"],
  ]).concat([["EXISTS", "z"]]),
  "ZINCRBY": [
    ["ZINCRBY", "z", "1", "a"],
    ["ZINCRBY", "z", "0.1", "a"],
    ["ZINCRBY", "z", "0.2", "a"],
    ["ZINCRBY", "z", "-2.3", "b"],
    ["ZINCRBY", "z", "inf", "c"],
    ["ZINCRBY", "z", "-inf", "c"],
    ["ZINCRBY", "z", "NX", "a"],
    ["ZINCRBY", "z", "1"],
    ["ZINCRBY", "z", "1", "a", "b"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ],
  "ZREM, ZCARD, ZSCORE, ZMSCORE": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
    ["ZREM", "z", "a", "a", "x"],
    ["ZCARD", "z"],
    ["ZSCORE", "z", "a"],
    ["ZSCORE", "z", "b"],
    ["ZSCORE", "missing", "b"],
    ["ZMSCORE", "z", "a", "b", "c", "nope"],
    ["ZMSCORE", "missing", "a", "b"],
    ["ZREM", "z", "b", "c", "d"],
    ["EXISTS", "z"],
    ["ZREM", "z", "b"],
    ["ZCARD", "missing"],
    ["ZREM", "z"],
    ["ZMSCORE", "z"],
    ["ZCARD"],
    ["ZSCORE", "z"],
  ],
  "ZRANK and ZREVRANK (no WITHSCORE in 7.0)": [
    ["ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d"],
    ["ZRANK", "z", "a"],
    ["ZRANK", "z", "c"],
    ["ZREVRANK", "z", "a"],
    ["ZREVRANK", "z", "c"],
    ["ZRANK", "z", "nope"],
    ["ZREVRANK", "missing", "a"],
    ["ZRANK", "z", "a", "WITHSCORE"],
    ["ZREVRANK", "z", "a", "withscore"],
    ["ZRANK", "z"],
  ],
  "every command refuses another type": [
    ["SET", "s", "x"],
    ["ZADD", "s", "1", "a"],
    ["ZADD", "s", "XX", "1", "a"],
    ["ZINCRBY", "s", "1", "a"],
    ["ZREM", "s", "a"],
    ["ZCARD", "s"],
    ["ZSCORE", "s", "a"],
    ["ZMSCORE", "s", "a"],
    ["ZRANK", "s", "a"],
    ["ZREVRANK", "s", "a"],
    ["ZCOUNT", "s", "0", "1"],
    ["ZLEXCOUNT", "s", "-", "+"],
    ["ZRANGE", "s", "0", "1"],
    ["ZRANGESTORE", "d", "s", "0", "1"],
    ["ZREVRANGE", "s", "0", "1"],
    ["ZRANGEBYSCORE", "s", "0", "1"],
    ["ZREVRANGEBYSCORE", "s", "0", "1"],
    ["ZRANGEBYLEX", "s", "-", "+"],
    ["ZREVRANGEBYLEX", "s", "+", "-"],
    ["ZREMRANGEBYRANK", "s", "0", "1"],
    ["ZREMRANGEBYSCORE", "s", "0", "1"],
    ["ZREMRANGEBYLEX", "s", "-", "+"],
    ["ZPOPMIN", "s"],
    ["ZPOPMAX", "s", "0"],
    ["BZPOPMIN", "s", "0"],
    ["BZPOPMAX", "missing", "s", "0"],
    ["ZMPOP", "2", "missing", "s", "MIN"],
    ["BZMPOP", "0", "1", "s", "MAX"],
    ["ZUNION", "1", "s"],
    ["ZINTER", "2", "missing", "s"],
    ["ZDIFF", "1", "s"],
    ["ZUNIONSTORE", "d", "1", "s"],
    ["ZINTERSTORE", "d", "1", "s"],
    ["ZDIFFSTORE", "d", "1", "s"],
    ["ZINTERCARD", "1", "s"],
    ["ZRANDMEMBER", "s"],
    ["ZRANDMEMBER", "s", "0"],
    ["ZSCAN", "s", "0"],
    ["GET", "s"],
    ["EXISTS", "d"],
    ["ZADD", "z", "1", "a"],
    ["GET", "z"],
    ["ZUNION", "1", "s", "WEIGHTS", "x"],
  ],
};

/** ZADD every score, then every way of reading one back. */
function formattingCases(): Cases {
  const cases: Cases = {};
  const add = ["ZADD", "z"];
  SCORES.forEach((s, i) => add.push(s, "m" + i));
  cases["scores as ZRANGE WITHSCORES, ZSCORE, ZMSCORE and ZINCRBY return them"] = [
    add,
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES"],
    ["ZMSCORE", "z", ...SCORES.map((_, i) => "m" + i), "none"],
    ...SCORES.map((_, i) => ["ZSCORE", "z", "m" + i]),
    ...SCORES.map((s) => ["ZINCRBY", "inc", s, "one"]),
    ["ZPOPMAX", "z", "3"],
    ["ZPOPMIN", "z", "3"],
    ["ZMPOP", "1", "z", "MIN", "COUNT", "5"],
    ["ZSCAN", "z", "0", "COUNT", "100"],
  ];
  const negativeZero = [
    ["ZADD", "z", "-0", "a"],
    ["ZSCORE", "z", "a"],
    ["ZADD", "z", "CH", "0", "a"],
    ["ZSCORE", "z", "a"],
    ["ZINCRBY", "z", "-0", "a"],
    ["ZADD", "z", "INCR", "-0", "b"],
    ["ZADD", "z", "0", "b", "-0", "c"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["ZCOUNT", "z", "0", "0"],
    ["ZCOUNT", "z", "(-0", "+inf"],
    ["ZRANGESTORE", "d", "z", "0", "-1"],
    ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
  ];
  // A listpack stores -0 as the integer 0; a skiplist keeps the double.
  cases["-0 in a listpack reads back as 0"] = [...negativeZero, ["ZSCAN", "z", "0"]];
  cases["-0 in a skiplist keeps its sign, and equals 0 for updates"] = [
    ["CONFIG", "SET", "zset-max-listpack-entries", "0"],
    ...negativeZero,
    ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
    ["ZUNIONSTORE", "u", "1", "z"],
    ["ZRANGE", "u", "0", "-1", "WITHSCORES"],
  ];
  return cases;
}

const RANGES: Cases = {
  "ZCOUNT with inclusive, exclusive and infinite bounds": [
    ["ZADD", "z", "-inf", "n", "1", "a", "2", "b", "2", "c", "3", "d", "inf", "p"],
    ["ZCOUNT", "z", "-inf", "+inf"],
    ["ZCOUNT", "z", "1", "2"],
    ["ZCOUNT", "z", "(1", "2"],
    ["ZCOUNT", "z", "(1", "(2"],
    ["ZCOUNT", "z", "2", "2"],
    ["ZCOUNT", "z", "(2", "2"],
    ["ZCOUNT", "z", "3", "1"],
    ["ZCOUNT", "z", "(-inf", "(inf"],
    ["ZCOUNT", "z", "inf", "inf"],
    ["ZCOUNT", "z", "-inf", "-inf"],
    ["ZCOUNT", "z", "", "5"],
    ["ZCOUNT", "z", "(", "5"],
    ["ZCOUNT", "z", " 1", " 2"],
    ["ZCOUNT", "z", "1e400", "1e500"],
    ["ZCOUNT", "z", "-1e400", "1e-400"],
    ["ZCOUNT", "z", "0x1", "0x2"],
    ["ZCOUNT", "z", "1.5", "2.5e0"],
    ["ZCOUNT", "missing", "0", "1"],
  ],
  "score range errors": [
    ["ZADD", "z", "1", "a"],
    ["ZCOUNT", "z", "nan", "1"],
    ["ZCOUNT", "z", "1", "(nan"],
    ["ZCOUNT", "z", "a", "1"],
    ["ZCOUNT", "z", "1 ", "2"],
    ["ZCOUNT", "z", "((1", "2"],
    ["ZCOUNT", "z", "[1", "2"],
    ["ZCOUNT", "z", "1", "2", "3"],
    ["ZCOUNT", "missing", "x", "1"],
    ["ZRANGEBYSCORE", "z", "x", "1"],
    ["ZREVRANGEBYSCORE", "z", "1", "-"],
    ["ZRANGE", "z", "x", "1", "BYSCORE"],
    ["ZREMRANGEBYSCORE", "z", "x", "1"],
    ["ZRANGESTORE", "d", "z", "x", "1", "BYSCORE"],
  ],
  "ZLEXCOUNT and lex bounds": [
    ["ZADD", "z", "0", "a", "0", "aa", "0", "ab", "0", "b", "0", "c", "0", "", "0", "\xff"],
    ["ZLEXCOUNT", "z", "-", "+"],
    ["ZLEXCOUNT", "z", "[a", "[b"],
    ["ZLEXCOUNT", "z", "(a", "(b"],
    ["ZLEXCOUNT", "z", "[", "(a"],
    ["ZLEXCOUNT", "z", "(", "+"],
    ["ZLEXCOUNT", "z", "[b", "[a"],
    ["ZLEXCOUNT", "z", "[a", "[a"],
    ["ZLEXCOUNT", "z", "(a", "[a"],
    ["ZLEXCOUNT", "z", "+", "-"],
    ["ZLEXCOUNT", "z", "-", "-"],
    ["ZLEXCOUNT", "z", "+", "+"],
    ["ZLEXCOUNT", "z", "[\xff", "+"],
    ["ZLEXCOUNT", "z", "-", "(\x80"],
    ["ZLEXCOUNT", "missing", "-", "+"],
  ],
  "lex range errors": [
    ["ZADD", "z", "0", "a"],
    ["ZLEXCOUNT", "z", "a", "+"],
    ["ZLEXCOUNT", "z", "-", "b"],
    ["ZLEXCOUNT", "z", "", "+"],
    ["ZLEXCOUNT", "z", "--", "+"],
    ["ZLEXCOUNT", "z", "-", "++"],
    ["ZLEXCOUNT", "z", "-a", "+"],
    ["ZRANGEBYLEX", "z", "a", "b"],
    ["ZREVRANGEBYLEX", "z", "-", "+"],
    ["ZRANGE", "z", "a", "[b", "BYLEX"],
    ["ZREMRANGEBYLEX", "z", "1", "2"],
    ["ZLEXCOUNT", "missing", "x", "y"],
  ],
  "ZRANGE by rank: negative, out of range, REV, WITHSCORES": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"],
    ["ZRANGE", "z", "0", "-1"],
    ["ZRANGE", "z", "1", "3", "WITHSCORES"],
    ["ZRANGE", "z", "-2", "-1"],
    ["ZRANGE", "z", "-100", "100"],
    ["ZRANGE", "z", "3", "1"],
    ["ZRANGE", "z", "5", "10"],
    ["ZRANGE", "z", "0", "-6"],
    ["ZRANGE", "z", "0", "-5"],
    ["ZRANGE", "z", "0", "0", "REV"],
    ["ZRANGE", "z", "1", "-2", "rev", "withscores"],
    ["ZRANGE", "z", "0", "-1", "REV", "REV"],
    ["ZRANGE", "z", "0", "9223372036854775807"],
    ["ZRANGE", "z", "-9223372036854775808", "2"],
    ["ZRANGE", "z", "0", "9223372036854775808"],
    ["ZRANGE", "z", "a", "1"],
    ["ZRANGE", "z", "0", "1.5"],
    ["ZREVRANGE", "z", "0", "1"],
    ["ZREVRANGE", "z", "1", "-1", "WITHSCORES"],
    ["ZREVRANGE", "z", "0", "1", "REV"],
    ["ZREVRANGE", "z", "0", "1", "BYSCORE"],
    ["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"],
    ["ZRANGE", "missing", "0", "-1"],
    ["ZRANGE", "missing", "0", "-1", "WITHSCORES"],
  ],
  "ZRANGE options: LIMIT, BYSCORE, BYLEX and their conflicts": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "5", "-1"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "0"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "x", "1"],
    ["ZRANGE", "z", "0", "-1", "LIMIT", "0", "x", "BYSCORE"],
    ["ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES"],
    ["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"],
    ["ZRANGE", "z", "0", "1", "BYSCORE", "BYSCORE"],
    ["ZRANGE", "z", "0", "1", "BOGUS"],
    ["ZRANGE", "z", "0", "1", "WITHSCORES", "WITHSCORES"],
    ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "WITHSCORES"],
    ["ZRANGE", "z", "+inf", "(1", "BYSCORE", "REV", "WITHSCORES"],
    ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "1"],
    ["ZRANGE", "z", "[c", "-", "BYLEX", "REV"],
    ["ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", "1", "5"],
    ["ZRANGEBYSCORE", "z", "0", "10", "REV"],
    ["ZRANGEBYSCORE", "z", "0", "10", "BYLEX"],
    ["ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"],
    ["ZRANGEBYLEX", "z", "-", "+", "LIMIT", "1"],
    ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "1", "WITHSCORES"],
    ["ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "-1"],
    ["ZRANGEBYSCORE", "missing", "-inf", "+inf", "LIMIT", "0", "x"],
  ],
  "LIMIT offsets and counts, forward and reversed": [
    ["ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d", "4", "e", "5", "f"],
    ...[
      ["0", "2"],
      ["1", "-1"],
      ["-1", "2"],
      ["-1", "-1"],
      ["2", "0"],
      ["5", "1"],
      ["6", "1"],
      [
        "100",
        "2",
      ],
      ["3", "100"],
      ["0", "9223372036854775807"],
      ["-9223372036854775808", "1"],
    ].flatMap((
      [off, cnt],
    ) => [
      ["ZRANGEBYSCORE", "z", "2", "4", "LIMIT", off!, cnt!],
      ["ZREVRANGEBYSCORE", "z", "4", "(1", "WITHSCORES", "LIMIT", off!, cnt!],
      ["ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", off!, cnt!],
      ["ZREVRANGEBYLEX", "z", "[e", "(a", "LIMIT", off!, cnt!],
      ["ZRANGE", "z", "(5", "-inf", "BYSCORE", "REV", "LIMIT", off!, cnt!],
    ]),
  ],
  "ZRANGEBYLEX and ZREVRANGEBYLEX": [
    ["ZADD", "z", "0", "alpha", "0", "bar", "0", "cool", "0", "down", "0", "elephant", "0", "foo"],
    ["ZRANGEBYLEX", "z", "-", "+"],
    ["ZRANGEBYLEX", "z", "[bar", "[down"],
    ["ZRANGEBYLEX", "z", "(bar", "(down"],
    ["ZRANGEBYLEX", "z", "[b", "(d"],
    ["ZRANGEBYLEX", "z", "[f", "+"],
    ["ZRANGEBYLEX", "z", "+", "-"],
    ["ZREVRANGEBYLEX", "z", "+", "-"],
    ["ZREVRANGEBYLEX", "z", "[down", "(bar"],
    ["ZREVRANGEBYLEX", "z", "-", "+"],
    ["ZRANGEBYLEX", "missing", "-", "+"],
  ],
  "ZRANGESTORE": [
    ["ZADD", "src", "1", "a", "2", "b", "3", "c", "4", "d"],
    ["ZRANGESTORE", "dst", "src", "0", "1"],
    ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ["ZRANGESTORE", "dst", "src", "1", "-1", "REV"],
    ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ["ZRANGESTORE", "dst", "src", "(1", "+inf", "BYSCORE", "LIMIT", "1", "2"],
    ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ["ZRANGESTORE", "dst", "src", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", "3"],
    ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ["ZRANGESTORE", "dst", "src", "[b", "+", "BYLEX"],
    ["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
    ["SET", "str", "x"],
    ["EXPIRE", "str", "100"],
    ["ZRANGESTORE", "str", "src", "0", "0"],
    ["TYPE", "str"],
    ["TTL", "str"],
    ["ZRANGESTORE", "dst", "src", "5", "10"],
    ["EXISTS", "dst"],
    ["ZRANGESTORE", "str", "missing", "0", "-1"],
    ["EXISTS", "str"],
    ["ZRANGESTORE", "src", "src", "0", "1"],
    ["ZRANGE", "src", "0", "-1"],
    ["ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES"],
    ["ZRANGESTORE", "dst", "src", "0", "-1", "LIMIT", "0", "1"],
    ["ZRANGESTORE", "dst", "src", "0"],
  ],
  "ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"],
    ["ZREMRANGEBYRANK", "z", "0", "0"],
    ["ZREMRANGEBYRANK", "z", "-1", "-1"],
    ["ZREMRANGEBYRANK", "z", "10", "20"],
    ["ZREMRANGEBYRANK", "z", "2", "1"],
    ["ZRANGE", "z", "0", "-1"],
    ["ZREMRANGEBYSCORE", "z", "(2", "4"],
    ["ZREMRANGEBYSCORE", "z", "10", "1"],
    ["ZRANGE", "z", "0", "-1"],
    ["ZREMRANGEBYRANK", "z", "-100", "100"],
    ["EXISTS", "z"],
    ["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"],
    ["ZREMRANGEBYLEX", "l", "(a", "[c"],
    ["ZREMRANGEBYLEX", "l", "+", "-"],
    ["ZRANGE", "l", "0", "-1"],
    ["ZREMRANGEBYLEX", "l", "-", "+"],
    ["EXISTS", "l"],
    ["ZREMRANGEBYRANK", "missing", "0", "-1"],
    ["ZREMRANGEBYSCORE", "missing", "-inf", "+inf"],
    ["ZREMRANGEBYLEX", "missing", "-", "+"],
    ["ZREMRANGEBYRANK", "z", "x", "1"],
    ["ZREMRANGEBYRANK", "z", "0"],
  ],
};

const POPS: Cases = {
  "ZPOPMIN and ZPOPMAX": [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
    ["ZPOPMIN", "z"],
    ["ZPOPMAX", "z"],
    ["ZPOPMIN", "z", "0"],
    ["ZPOPMIN", "z", "1"],
    ["ZPOPMAX", "z", "10"],
    ["EXISTS", "z"],
    ["ZPOPMIN", "z"],
    ["ZPOPMIN", "z", "3"],
    ["ZPOPMAX", "z", "0"],
    ["ZPOPMIN", "z", "-1"],
    ["ZPOPMIN", "z", "x"],
    ["ZPOPMIN", "z", "1", "2"],
    ["ZPOPMIN", "z", "9223372036854775807"],
    ["ZPOPMAX"],
  ],
  "ZMPOP": [
    ["ZADD", "a", "1", "x", "2", "y"],
    ["ZADD", "b", "1", "p", "2", "q", "3", "r"],
    ["ZMPOP", "2", "missing", "b", "MAX"],
    ["ZMPOP", "2", "b", "a", "min", "COUNT", "10"],
    ["ZMPOP", "3", "missing", "b", "a", "MIN", "COUNT", "1"],
    ["ZMPOP", "1", "missing", "MIN"],
    ["ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1"],
    ["ZMPOP", "0", "a", "MIN"],
    ["ZMPOP", "-1", "a", "MIN"],
    ["ZMPOP", "x", "a", "MIN"],
    ["ZMPOP", "2", "a", "MIN"],
    ["ZMPOP", "1", "a", "MIDDLE"],
    ["ZMPOP", "1", "a", "MIN", "COUNT", "0"],
    ["ZMPOP", "1", "a", "MIN", "COUNT", "-1"],
    ["ZMPOP", "1", "a", "MIN", "COUNT", "x"],
    ["ZMPOP", "1", "a", "MIN", "COUNT"],
    ["ZMPOP", "1", "a", "MIN", "LIMIT", "1"],
    ["ZMPOP", "1", "a"],
    ["ZRANGE", "a", "0", "-1"],
  ],
  "BZPOPMIN, BZPOPMAX and BZMPOP with something to pop or a timeout": [
    ["ZADD", "a", "1", "x", "2", "y", "3", "z"],
    ["BZPOPMIN", "missing", "a", "0"],
    ["BZPOPMAX", "a", "missing", "1.5"],
    ["BZMPOP", "0", "2", "missing", "a", "MIN", "COUNT", "5"],
    ["EXISTS", "a"],
    ["BZPOPMIN", "missing", "0.01"],
    ["BZPOPMAX", "missing", "other", "0.01"],
    ["BZMPOP", "0.01", "1", "missing", "MAX"],
    ["BZPOPMIN", "a", "x"],
    ["BZPOPMIN", "a", "-1"],
    ["BZPOPMIN", "a", "nan"],
    ["BZMPOP", "-1", "1", "a", "MIN"],
    ["BZMPOP", "x", "0", "a", "MIN"],
    ["BZMPOP", "1", "0", "a", "MIN"],
    ["BZMPOP", "1", "1", "a", "MIN", "COUNT", "0"],
    ["BZPOPMIN", "a"],
  ],
};

const SETOPS: Cases = {
  "ZUNION, ZINTER and ZDIFF with scores": [
    ["ZADD", "a", "1", "x", "2", "y", "3", "z"],
    ["ZADD", "b", "10", "y", "20", "z", "30", "w"],
    ["ZUNION", "2", "a", "b"],
    ["ZUNION", "2", "a", "b", "WITHSCORES"],
    ["ZINTER", "2", "a", "b", "WITHSCORES"],
    ["ZDIFF", "2", "a", "b", "WITHSCORES"],
    ["ZDIFF", "2", "b", "a"],
    ["ZDIFF", "1", "a", "WITHSCORES"],
    ["ZDIFF", "2", "a", "a"],
    ["ZINTER", "2", "a", "a", "WITHSCORES"],
    ["ZUNION", "3", "a", "missing", "b", "WITHSCORES"],
    ["ZINTER", "2", "a", "missing"],
    ["ZDIFF", "2", "missing", "a"],
    ["ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"],
    ["ZINTER", "2", "a", "b", "WEIGHTS", "-1", "1", "AGGREGATE", "MIN", "WITHSCORES"],
    ["ZUNION", "2", "a", "b", "AGGREGATE", "max", "WITHSCORES"],
    ["ZUNION", "2", "a", "b", "AGGREGATE", "min", "AGGREGATE", "sum", "WITHSCORES"],
    ["ZUNION", "2", "a", "b", "WITHSCORES", "WEIGHTS", "1", "2"],
  ],
  "infinities: inf*0 weights and inf + -inf sums are 0": [
    ["ZADD", "a", "inf", "x", "-inf", "y", "1", "z", "0", "w"],
    ["ZADD", "b", "-inf", "x", "-inf", "y", "inf", "z", "5", "w"],
    ["ZUNION", "2", "a", "b", "WITHSCORES"],
    ["ZINTER", "2", "a", "b", "WITHSCORES"],
    ["ZUNION", "2", "a", "b", "WEIGHTS", "0", "1", "WITHSCORES"],
    ["ZUNION", "2", "a", "b", "WEIGHTS", "inf", "-inf", "WITHSCORES"],
    ["ZINTER", "2", "a", "b", "WEIGHTS", "inf", "0", "AGGREGATE", "MAX", "WITHSCORES"],
    ["ZINTER", "2", "a", "b", "WEIGHTS", "0", "0", "AGGREGATE", "MIN", "WITHSCORES"],
    ["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "0", "inf"],
    ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
  ],
  "the STORE variants replace the destination": [
    ["ZADD", "a", "1", "x", "2", "y"],
    ["ZADD", "b", "3", "y", "4", "z"],
    ["SET", "d", "string"],
    ["EXPIRE", "d", "100"],
    ["ZUNIONSTORE", "d", "2", "a", "b"],
    ["TTL", "d"],
    ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
    ["ZINTERSTORE", "d", "2", "a", "b", "AGGREGATE", "MAX"],
    ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
    ["ZDIFFSTORE", "d", "2", "a", "b"],
    ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
    ["ZINTERSTORE", "d", "2", "a", "missing"],
    ["EXISTS", "d"],
    ["ZUNIONSTORE", "a", "2", "a", "b", "WEIGHTS", "2", "3"],
    ["ZRANGE", "a", "0", "-1", "WITHSCORES"],
    ["ZDIFFSTORE", "d", "1", "missing"],
    ["ZUNIONSTORE", "d", "1", "a", "WITHSCORES"],
    ["ZDIFFSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "1"],
  ],
  "ZINTERCARD": [
    ["ZADD", "a", "1", "x", "2", "y", "3", "z", "4", "w"],
    ["ZADD", "b", "1", "y", "2", "z", "3", "w", "4", "v"],
    ["ZINTERCARD", "2", "a", "b"],
    ["ZINTERCARD", "2", "a", "b", "LIMIT", "0"],
    ["ZINTERCARD", "2", "a", "b", "LIMIT", "2"],
    ["ZINTERCARD", "2", "a", "b", "LIMIT", "100"],
    ["ZINTERCARD", "1", "missing"],
    ["ZINTERCARD", "2", "a", "b", "LIMIT", "-1"],
    ["ZINTERCARD", "2", "a", "b", "LIMIT", "x"],
    ["ZINTERCARD", "2", "a", "b", "WITHSCORES"],
    ["ZINTERCARD", "2", "a", "b", "WEIGHTS", "1", "1"],
    ["ZINTERCARD", "0", "a"],
    ["ZINTERCARD", "3", "a", "b"],
  ],
  "set operation errors": [
    ["ZADD", "a", "1", "x"],
    ["ZUNION", "0", "a"],
    ["ZINTER", "-1", "a"],
    ["ZDIFF", "x", "a"],
    ["ZUNIONSTORE", "d", "0", "a"],
    ["ZINTERSTORE", "d", "0", "a"],
    ["ZDIFFSTORE", "d", "0", "a"],
    ["ZUNION", "2", "a"],
    ["ZUNION", "9223372036854775807", "a"],
    ["ZUNION", "1", "a", "WEIGHTS"],
    ["ZUNION", "2", "a", "a", "WEIGHTS", "1"],
    ["ZUNION", "1", "a", "WEIGHTS", "x"],
    ["ZUNION", "1", "a", "WEIGHTS", "nan"],
    ["ZUNION", "1", "a", "AGGREGATE", "AVG"],
    ["ZUNION", "1", "a", "AGGREGATE"],
    ["ZUNION", "1", "a", "WITHSCORES", "EXTRA"],
    ["ZDIFF", "1", "a", "AGGREGATE", "SUM"],
    ["ZDIFF", "1", "a", "WEIGHTS", "1"],
    ["ZINTER", "1"],
    ["ZUNIONSTORE", "d", "1"],
  ],
};

const ENCODINGS: Cases = {
  "listpack up to 128 entries, then skiplist for good": [
    ["ZADD", "z", ...Array.from({ length: 128 }, (_, i) => [String(i), "m" + i]).flat()],
    ["OBJECT", "ENCODING", "z"],
    ["ZADD", "z", "128", "m128"],
    ["OBJECT", "ENCODING", "z"],
    ["ZREMRANGEBYRANK", "z", "1", "-1"],
    ["OBJECT", "ENCODING", "z"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["ZUNIONSTORE", "u", "1", "z"],
    ["OBJECT", "ENCODING", "u"],
    ["COPY", "z", "c"],
    ["OBJECT", "ENCODING", "c"],
  ],
  "members longer than 64 bytes make a skiplist": [
    ["ZADD", "z", "1", "x".repeat(64)],
    ["OBJECT", "ENCODING", "z"],
    ["ZADD", "z", "2", "y".repeat(65)],
    ["OBJECT", "ENCODING", "z"],
    ["ZADD", "w", "1", "y".repeat(65)],
    ["OBJECT", "ENCODING", "w"],
    ["ZADD", "v", "1", "a", "2", "y".repeat(65)],
    ["OBJECT", "ENCODING", "v"],
    ["ZINCRBY", "i", "1", "y".repeat(65)],
    ["OBJECT", "ENCODING", "i"],
    ["ZRANGESTORE", "r", "z", "0", "0"],
    ["OBJECT", "ENCODING", "r"],
    ["ZRANGESTORE", "r", "z", "0", "-1"],
    ["OBJECT", "ENCODING", "r"],
    ["ZDIFFSTORE", "d", "2", "z", "w"],
    ["OBJECT", "ENCODING", "d"],
    ["ZINTERSTORE", "d", "2", "z", "w"],
    ["OBJECT", "ENCODING", "d"],
  ],
  "CONFIG SET of the thresholds applies to later writes": [
    ["CONFIG", "SET", "zset-max-listpack-entries", "2"],
    ["ZADD", "z", "1", "a", "2", "b"],
    ["OBJECT", "ENCODING", "z"],
    ["ZADD", "z", "3", "c"],
    ["OBJECT", "ENCODING", "z"],
    ["CONFIG", "SET", "zset-max-ziplist-entries", "0"],
    ["ZADD", "y", "1", "a"],
    ["OBJECT", "ENCODING", "y"],
    ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
    ["CONFIG", "SET", "zset-max-listpack-value", "3"],
    ["ZADD", "x", "1", "abc"],
    ["OBJECT", "ENCODING", "x"],
    ["ZADD", "x", "1", "abcd"],
    ["OBJECT", "ENCODING", "x"],
    ["CONFIG", "SET", "zset-max-ziplist-value", "64"],
    ["ZUNIONSTORE", "u", "1", "x"],
    ["OBJECT", "ENCODING", "u"],
  ],
};

/** Many commands against one bigger zset with tied scores, in both encodings. */
function bigSetCases(size: number): Cases {
  const random = rng(size);
  const add = ["ZADD", "z"];
  for (let i = 0; i < size; i++) {
    add.push(String(Math.floor(random() * 40) / 4 - 2), "m" + Math.floor(random() * size * 2));
  }
  const lex = ["ZADD", "l"];
  for (let i = 0; i < size; i++) lex.push("0", "k" + Math.floor(random() * 100_000));
  const reads: string[][] = [["ZCARD", "z"], ["OBJECT", "ENCODING", "z"], [
    "ZRANGE",
    "z",
    "0",
    "-1",
    "WITHSCORES",
  ]];
  for (let i = 0; i < 40; i++) {
    const a = String(Math.floor(random() * size * 1.2) - size / 10);
    const b = String(Math.floor(random() * size * 1.2) - size / 10);
    const lo = String(Math.floor(random() * 48) / 4 - 3);
    const hi = String(Math.floor(random() * 48) / 4 - 3);
    const off = String(Math.floor(random() * 20));
    const cnt = String(Math.floor(random() * 30) - 5);
    const ex = random() < 0.5 ? "(" : "";
    const m = "m" + Math.floor(random() * size * 2);
    const k1 = "[k" + Math.floor(random() * 100_000);
    const k2 = "(k" + Math.floor(random() * 100_000);
    reads.push(
      ["ZRANGE", "z", a, b, "WITHSCORES"],
      ["ZRANGE", "z", a, b, "REV"],
      ["ZRANGEBYSCORE", "z", ex + lo, hi, "WITHSCORES", "LIMIT", off, cnt],
      ["ZREVRANGEBYSCORE", "z", hi, ex + lo, "LIMIT", off, cnt],
      ["ZCOUNT", "z", ex + lo, hi],
      ["ZRANK", "z", m],
      ["ZREVRANK", "z", m],
      ["ZSCORE", "z", m],
      ["ZLEXCOUNT", "l", k1, k2],
      ["ZRANGEBYLEX", "l", k1, "+", "LIMIT", off, cnt],
      ["ZREVRANGEBYLEX", "l", k2, k1],
    );
  }
  const writes: string[][] = [];
  for (let i = 0; i < 20; i++) {
    const m = "m" + Math.floor(random() * size * 2);
    const lo = String(Math.floor(random() * 48) / 4 - 3);
    writes.push(
      ["ZINCRBY", "z", String(Math.floor(random() * 8) - 4), m],
      ["ZREM", "z", "m" + Math.floor(random() * size * 2)],
      ["ZREMRANGEBYSCORE", "z", lo, "(" + lo],
      [
        "ZREMRANGEBYRANK",
        "z",
        String(Math.floor(random() * size)),
        String(Math.floor(random() * size)),
      ],
      ["ZPOPMIN", "z", "2"],
      ["ZPOPMAX", "z"],
      [
        "ZREMRANGEBYLEX",
        "l",
        "[k" + Math.floor(random() * 100_000),
        "(k" + Math.floor(random() * 100_000),
      ],
      ["ZRANK", "z", m],
    );
  }
  writes.push(["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGE", "l", "0", "-1"]);
  return { [`a ${size}-element set: ranges, ranks, counts`]: [add, lex, ...reads, ...writes] };
}

/** The pairs of a complete ZSCAN walk, sorted. */
async function zscanAll(client: RawClient, key: string, options: string[]): Promise<string[]> {
  const pairs: string[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const reply = plain(decode(await client.call("ZSCAN", key, cursor, ...options))) as [
      string,
      string[],
    ];
    cursor = reply[0];
    for (let i = 0; i < reply[1].length; i += 2) pairs.push(reply[1][i] + "=" + reply[1][i + 1]);
    if (++calls > 10_000) throw new Error("ZSCAN did not terminate");
  } while (cursor !== "0");
  return [...new Set(pairs)].sort();
}

differential(
  "zsets: core commands, formatting, ranges, pops, set operations",
  async (t, servers) => {
    const both = await servers.connect();
    const both3 = await resp3(await servers.connect());
    for (const [label, b] of [["", both], ["RESP3: ", both3]] as const) {
      await runCases(t, b, CORE, label);
      await runCases(t, b, formattingCases(), label);
      await runCases(t, b, RANGES, label);
      await runCases(t, b, POPS, label);
      await runCases(t, b, SETOPS, label);
    }
    await runCases(t, both, ENCODINGS);
    await both.check("CONFIG", "SET", "zset-max-listpack-entries", "128");
    await both.check("CONFIG", "SET", "zset-max-listpack-value", "64");
  },
);

differential("zsets: big sets in the skiplist encoding and ZSCAN walks", async (t, servers) => {
  const both = await servers.connect();
  await runCases(t, both, bigSetCases(100));
  await runCases(t, both, bigSetCases(600));
  const both3 = await resp3(await servers.connect());
  await runCases(t, both3, bigSetCases(300), "RESP3: ");

  await t.step("ZSCAN: a listpack in one call, a skiplist in full walks", async () => {
    await both.check("FLUSHALL");
    await both.check("ZADD", "small", "1", "a", "2.5", "b", "-inf", "c", "inf", "ab");
    await both.check("ZSCAN", "small", "0");
    await both.check("ZSCAN", "small", "12345");
    await both.check("ZSCAN", "small", "0", "MATCH", "a*");
    await both.check("ZSCAN", "small", "0", "MATCH", "*", "COUNT", "1");
    await both.check("ZSCAN", "small", "0", "COUNT", "0");
    await both.check("ZSCAN", "small", "0", "COUNT", "x");
    await both.check("ZSCAN", "small", "0", "TYPE", "zset");
    await both.check("ZSCAN", "small", "0", "MATCH");
    await both.check("ZSCAN", "small", "x");
    await both.check("ZSCAN", "small", "-1");
    await both.check("ZSCAN", "missing", "0");
    await both.check("ZSCAN", "missing", "0", "BOGUS");
    await both.check("ZSCAN", "missing", "x");
    const add = ["ZADD", "big"];
    for (let i = 0; i < 1000; i++) add.push(String(i % 7 === 0 ? i / 3 : i), "member:" + i);
    add.push("-0", "negzero", "1e300", "huge", "-inf", "low", "1e17", "e17", "0.1", "tenth");
    add.push("123456789012345678", "big", "-4611686018427387904", "llmin2");
    await both.check(...add);
    for (const options of [[], ["COUNT", "7"], ["MATCH", "member:1*", "COUNT", "50"]]) {
      const [ours, redis] = await Promise.all([
        zscanAll(both.ours, "big", options),
        zscanAll(both.redis, "big", options),
      ]);
      assertEquals(ours, redis, `ZSCAN big ${options.join(" ")}`);
      assert(ours.length > 0);
    }
  });
});

/** The members and scores of a ZRANDMEMBER reply (RESP2 flat or RESP3 pairs). */
function randomPairs(reply: Resp, withScores: boolean): [string, string | null][] {
  const items = plain(reply) as unknown[];
  if (!withScores) return (items as string[]).map((m) => [m, null]);
  if (Array.isArray(items[0])) return (items as [string, string][]).map(([m, s]) => [m, String(s)]);
  const out: [string, string | null][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i] as string, String(items[i + 1])]);
  return out;
}

differential(
  "zsets: ZRANDMEMBER (random: checked by its properties on both servers)",
  async (t, servers) => {
    const both = await servers.connect();
    const both3 = await resp3(await servers.connect());
    const members = new Map<string, string>();
    await t.step("deterministic replies compare byte for byte", async () => {
      for (const b of [both, both3]) {
        await b.check("FLUSHALL");
        const add = ["ZADD", "z"];
        for (let i = 0; i < 20; i++) {
          add.push(String(i / 4), "m" + i);
          members.set("m" + i, String(i / 4));
        }
        await b.check(...add);
        await b.check("ZRANDMEMBER", "z", "20");
        await b.check("ZRANDMEMBER", "z", "100", "WITHSCORES");
        await b.check("ZRANDMEMBER", "z", "0");
        await b.check("ZRANDMEMBER", "z", "0", "WITHSCORES");
        await b.check("ZRANDMEMBER", "missing");
        await b.check("ZRANDMEMBER", "missing", "5");
        await b.check("ZRANDMEMBER", "missing", "-5", "WITHSCORES");
        await b.check("ZRANDMEMBER", "z", "1", "WITHSCORE");
        await b.check("ZRANDMEMBER", "z", "1", "WITHSCORES", "x");
        await b.check("ZRANDMEMBER", "z", "x");
        await b.check("ZRANDMEMBER", "z", "-9223372036854775808");
        await b.check("ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES");
        await b.check("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES");
        await b.check("ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES");
      }
    });
    // The scores as the server spells them (RESP2 bulk, RESP3 double).
    const spelled = new Map<string, string>();
    for (const [m, s] of members) spelled.set(m, String(Number(s)));
    for (const [label, b] of [["RESP2", both], ["RESP3", both3]] as const) {
      await t.step(`${label}: counts, distinctness, membership and scores`, async () => {
        for (
          const [count, withScores] of [
            [5, false],
            [5, true],
            [15, true],
            [1, true],
            [-30, false],
            [-30, true],
            [-1, false],
          ] as const
        ) {
          const args = ["ZRANDMEMBER", "z", String(count), ...(withScores ? ["WITHSCORES"] : [])];
          for (const client of [b.ours, b.redis]) {
            const pairs = randomPairs(decode(await client.call(...args)), withScores);
            assertEquals(pairs.length, Math.abs(count), args.join(" "));
            if (count > 0) assertEquals(new Set(pairs.map(([m]) => m)).size, count, "distinct");
            for (const [m, s] of pairs) {
              assert(members.has(m), `${m} is a member`);
              if (withScores) assertEquals(s, spelled.get(m), `score of ${m}`);
            }
          }
        }
        for (const client of [b.ours, b.redis]) {
          const one = decode(await client.call("ZRANDMEMBER", "z"));
          assert(one.t === "bulk" && members.has(one.v), "a single member");
        }
      });
    }
    await t.step("every member turns up", async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 200 && seen.size < members.size; i++) {
        const one = decode(await both.ours.call("ZRANDMEMBER", "z"));
        if (one.t === "bulk") seen.add(one.v);
      }
      assertEquals(seen.size, members.size);
    });
  },
);

// Sets as inputs need SADD (lib/commands/sets.ts): until it exists the test is reported ignored.
const HAVE_SETS = lookupCommand("sadd") !== undefined;
const SET_INPUTS = "zsets: sets as inputs of ZUNION, ZINTER, ZDIFF count as score 1";
if (!HAVE_SETS) {
  console.log(`SKIP: ${SET_INPUTS}: SADD is not implemented yet`);
  Deno.test({ name: SET_INPUTS, ignore: true, fn() {} });
} else {
  differential(SET_INPUTS, async (t, servers) => {
    const both = await servers.connect();
    const both3 = await resp3(await servers.connect());
    for (const [label, b] of [["", both], ["RESP3: ", both3]] as const) {
      await runCases(t, b, {
        "set inputs": [
          ["SADD", "s", "x", "y", "q"],
          ["SADD", "ints", "1", "2", "3"],
          ["ZADD", "z", "5", "x", "6", "y", "7", "z"],
          ["ZUNION", "2", "s", "z", "WITHSCORES"],
          ["ZINTER", "2", "s", "z", "WITHSCORES"],
          ["ZINTER", "2", "z", "s", "WEIGHTS", "2", "10", "AGGREGATE", "MAX", "WITHSCORES"],
          ["ZDIFF", "2", "s", "z", "WITHSCORES"],
          ["ZDIFF", "2", "z", "s", "WITHSCORES"],
          ["ZUNION", "2", "s", "ints", "WEIGHTS", "inf", "0", "WITHSCORES"],
          ["ZINTERCARD", "2", "s", "z"],
          ["ZUNIONSTORE", "d", "2", "s", "ints"],
          ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
          ["OBJECT", "ENCODING", "d"],
          ["ZINTERSTORE", "d", "2", "s", "s"],
          ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ],
      }, label);
    }
  });
}
