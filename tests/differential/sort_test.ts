// Differential tests of SORT and SORT_RO (lib/commands/sort.ts, Redis's sort.c) against
// redis-server: lists, sets and sorted sets, BY/GET patterns, LIMIT, ALPHA, STORE, errors.
import { differential, differentialCases } from "../helpers/differential.ts";

const LLONG_MAX = "9223372036854775807";
const LLONG_MIN = "-9223372036854775808";

/** Deterministic pseudo-random numbers (mulberry32), so failures can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A list, a set and a sorted set of the same numbers, with weights and hash fields. */
const fixture: string[][] = [
  ["RPUSH", "l", "3", "1", "10", "2", "-5", "1.5", "2"],
  ["SADD", "s", "3", "1", "10", "2", "-5", "1.5"],
  ["ZADD", "z", "1", "3", "2", "1", "3", "10", "4", "2", "5", "-5", "6", "1.5"],
  ["MSET", "w_3", "30", "w_1", "100", "w_10", "-1", "w_2", "2.5", "w_-5", "7", "w_1.5", "0"],
  ["MSET", "name_3", "three", "name_1", "one", "name_10", "ten", "name_2", "two"],
  ["HSET", "h_3", "f", "c", "g", "33"],
  ["HSET", "h_1", "f", "a", "g", "11"],
  ["HSET", "h_10", "f", "j", "g", "1010"],
  ["HSET", "h_2", "f", "b"],
];

const withFixture = (commands: string[][]) => [...fixture, ...commands];

differentialCases("sort: numeric, ALPHA, ASC/DESC and LIMIT", {
  "numbers of a list, a set and a sorted set": withFixture([
    ["SORT", "l"],
    ["SORT", "s"],
    ["SORT", "z"],
    ["SORT", "l", "DESC"],
    ["SORT", "s", "desc"],
    ["SORT", "z", "ASC"],
    ["SORT", "l", "ASC", "DESC"],
    ["SORT", "l", "DESC", "ASC"],
    ["SORT_RO", "l"],
    ["SORT_RO", "z", "DESC"],
  ]),
  "ALPHA": withFixture([
    ["SORT", "l", "ALPHA"],
    ["SORT", "s", "ALPHA", "DESC"],
    ["SORT", "z", "alpha"],
    ["RPUSH", "words", "banana", "Apple", "cherry", "apple", "", "b\xe9", "b\xff", "\x01"],
    ["SORT", "words", "ALPHA"],
    ["SORT", "words", "ALPHA", "DESC"],
    ["SORT", "words"],
  ]),
  "ties: equal scores fall back to the elements' bytes": [
    ["RPUSH", "l", "1.0", "1", "01", "1e0", "0x1", " 1", "+1"],
    ["SORT", "l"],
    ["SORT", "l", "DESC"],
    ["SADD", "s", "b", "a", "c"],
    ["MSET", "k_a", "1", "k_b", "1", "k_c", "0"],
    ["SORT", "s", "BY", "k_*"],
    ["SORT", "s", "BY", "k_*", "DESC"],
  ],
  "LIMIT": withFixture([
    ["SORT", "l", "LIMIT", "0", "3"],
    ["SORT", "l", "LIMIT", "2", "3"],
    ["SORT", "l", "LIMIT", "5", "100"],
    ["SORT", "l", "LIMIT", "6", "1"],
    ["SORT", "l", "LIMIT", "7", "1"],
    ["SORT", "l", "LIMIT", "100", "1"],
    ["SORT", "l", "LIMIT", "-3", "2"],
    ["SORT", "l", "LIMIT", "2", "-1"],
    ["SORT", "l", "LIMIT", "2", "0"],
    ["SORT", "l", "LIMIT", "0", "0"],
    ["SORT", "l", "LIMIT", "1", LLONG_MAX],
    ["SORT", "l", "LIMIT", "2", LLONG_MAX],
    ["SORT", "l", "LIMIT", LLONG_MAX, LLONG_MAX],
    ["SORT", "l", "LIMIT", LLONG_MIN, LLONG_MIN],
    ["SORT", "z", "DESC", "LIMIT", "1", "2"],
    ["SORT", "s", "ALPHA", "LIMIT", "1", "2"],
    ["SORT", "l", "LIMIT", "0", "1", "LIMIT", "3", "2"],
    ["SORT", "missing", "LIMIT", "0", "1"],
    ["SORT", "missing"],
  ]),
  // Redis tests ERANGE with a stale errno: once a conversion overflowed, later ones on the
  // same connection can fail too. Cases that must succeed come first.
  "scores that are not numbers": [
    ["RPUSH", "nul", "5\0abc", "3"],
    ["SORT", "nul"],
    ["RPUSH", "l", "1", "x", "2"],
    ["SORT", "l"],
    ["SORT", "l", "ALPHA"],
    ["SORT", "l", "STORE", "dst"],
    ["EXISTS", "dst"],
    ["RPUSH", "m", "1", "nan", "2"],
    ["SORT", "m"],
    ["RPUSH", "inf", "inf", "-inf", "1e308", "-infinity", "0x10", "1e-300", "  5", ""],
    ["SORT", "inf"],
    ["RPUSH", "under", "1e-310"],
    ["SORT", "under"],
    ["RPUSH", "over", "1e400"],
    ["SORT", "over"],
    ["RPUSH", "trail", "5 "],
    ["SORT", "trail"],
  ],
});

differentialCases("sort: BY and GET patterns", {
  "BY a string key": withFixture([
    ["SORT", "l", "BY", "w_*"],
    ["SORT", "s", "BY", "w_*", "DESC"],
    ["SORT", "z", "BY", "w_*", "LIMIT", "1", "3"],
    ["SORT", "s", "BY", "w_*", "LIMIT", "0", "2", "DESC"],
    ["SORT", "l", "BY", "name_*", "ALPHA"],
    ["SORT", "l", "BY", "name_*", "ALPHA", "DESC"],
    ["SORT", "s", "BY", "name_*"],
    ["MSET", "name_-5", "minus five", "name_1.5", "one and a half"],
    ["SORT", "s", "BY", "name_*", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "missing_*"],
    ["SORT", "l", "BY", "h_*"],
  ]),
  "BY a hash field": withFixture([
    ["HSET", "h_-5", "f", "z", "g", "-55"],
    ["HSET", "h_1.5", "f", "y", "g", "15"],
    ["SORT", "s", "BY", "h_*->g"],
    ["SORT", "s", "BY", "h_*->f", "ALPHA"],
    ["SORT", "s", "BY", "h_*->f", "ALPHA", "DESC", "LIMIT", "0", "3"],
    ["SORT", "s", "BY", "h_*->"],
    ["SORT", "s", "BY", "w_*->g"],
    ["SORT", "s", "BY", "h_*->nosuch"],
  ]),
  "BY without * does not sort": withFixture([
    ["SORT", "l", "BY", "nosort"],
    ["SORT", "l", "BY", "nosort", "DESC"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "1", "3"],
    ["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "3"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "10", "3"],
    ["SORT", "z", "BY", "nosort"],
    ["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "2", "2"],
    ["SORT", "z", "BY", "nosort", "LIMIT", "0", "0"],
    ["SORT", "l", "BY", "nosort", "ALPHA", "GET", "#", "GET", "name_*"],
    ["SORT", "l", "BY", "no\0*sort"],
    ["SADD", "ints", "5", "3", "9", "1"],
    ["SORT", "ints", "BY", "nosort"],
    ["SORT", "ints", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
  ]),
  "GET": withFixture([
    ["SORT", "l", "GET", "#"],
    ["SORT", "l", "GET", "name_*"],
    ["SORT", "l", "GET", "#", "GET", "name_*", "GET", "h_*->f"],
    ["SORT", "s", "BY", "w_*", "GET", "h_*->g", "GET", "w_*"],
    ["SORT", "l", "GET", "nostar"],
    ["SORT", "l", "GET", "h_*"],
    ["SORT", "l", "GET", "#\0x"],
    ["SORT", "l", "GET", "##"],
    ["SORT", "l", "GET", "name_*->"],
    ["SORT", "l", "GET", "*"],
    ["SORT", "z", "LIMIT", "1", "2", "GET", "#", "GET", "name_*"],
    ["SORT_RO", "z", "GET", "name_*", "GET", "#"],
    ["SET", "pre3post", "x"],
    ["SORT", "l", "GET", "pre*post"],
    ["HSET", "hh_3", "a->b", "v"],
    ["SORT", "l", "GET", "hh_*->a->b"],
  ]),
  "ALPHA with BY: missing values sort first": [
    ["RPUSH", "l", "a", "b", "c", "d"],
    ["MSET", "k_a", "zz", "k_c", "aa"],
    ["SORT", "l", "BY", "k_*", "ALPHA"],
    ["SORT", "l", "BY", "k_*", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "k_*", "ALPHA", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
  ],
});

differentialCases("sort: STORE", {
  "STORE writes a list and replies its length": withFixture([
    ["SORT", "l", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
    ["TYPE", "dst"],
    ["OBJECT", "ENCODING", "dst"],
    ["SORT", "s", "BY", "w_*", "GET", "#", "GET", "name_*", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
    ["SORT", "z", "ALPHA", "DESC", "LIMIT", "0", "2", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
    ["SORT", "l", "STORE", "l"],
    ["LRANGE", "l", "0", "-1"],
  ]),
  "STORE of nothing deletes the destination": withFixture([
    ["SET", "dst", "x"],
    ["SORT", "missing", "STORE", "dst"],
    ["EXISTS", "dst"],
    ["SET", "dst", "x"],
    ["SORT", "l", "LIMIT", "0", "0", "STORE", "dst"],
    ["EXISTS", "dst"],
  ]),
  "STORE replaces any type and drops the TTL": withFixture([
    ["SET", "dst", "x", "EX", "100"],
    ["SORT", "l", "STORE", "dst"],
    ["TTL", "dst"],
    ["HSET", "dst", "a", "b"],
    ["SORT", "l", "STORE", "dst"],
    ["TYPE", "dst"],
  ]),
  "a set stored without sorting is sorted ALPHA": withFixture([
    ["SORT", "s", "BY", "nosort", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
    ["SORT", "s", "BY", "nosort", "DESC", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
    ["SORT", "s", "BY", "nosort", "GET", "name_*", "STORE", "dst"],
    ["LRANGE", "dst", "0", "-1"],
  ]),
  "the last STORE wins": withFixture([
    ["SORT", "l", "STORE", "a", "STORE", "b"],
    ["EXISTS", "a", "b"],
  ]),
});

differentialCases("sort: errors and side effects", {
  "syntax errors": withFixture([
    ["SORT", "l", "FOO"],
    ["SORT", "l", "LIMIT"],
    ["SORT", "l", "LIMIT", "1"],
    ["SORT", "l", "LIMIT", "x", "1"],
    ["SORT", "l", "LIMIT", "1", "x"],
    ["SORT", "l", "LIMIT", "1", "99999999999999999999"],
    ["SORT", "l", "BY"],
    ["SORT", "l", "GET"],
    ["SORT", "l", "STORE"],
    ["SORT_RO", "l", "STORE", "dst"],
    ["SORT", "missing", "FOO"],
    ["SORT"],
    ["SORT_RO"],
  ]),
  "WRONGTYPE after the options are parsed": [
    ["SET", "str", "1"],
    ["HSET", "hash", "a", "1"],
    ["SORT", "str"],
    ["SORT", "hash"],
    ["SORT", "str", "FOO"],
    ["SORT", "str", "LIMIT", "x", "1"],
    ["SORT_RO", "hash", "ALPHA"],
  ],
  "SORT leaves a small sorted set in the skiplist encoding": [
    ["ZADD", "z", "1", "a", "2", "b"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT", "z", "ALPHA"],
    ["OBJECT", "ENCODING", "z"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ],
  "COMMAND GETKEYS": [
    ["COMMAND", "GETKEYS", "SORT", "l"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE", "d"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE", "d", "STORE", "e"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "GET", "store", "x"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE", "get", "x"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "LIMIT", "store", "x", "STORE", "y"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT_RO", "l", "STORE", "d"],
  ],
});

differential("sort: random lists, sets and weights agree with Redis", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  const next = random(11);
  const int = (n: number) => Math.floor(next() * n);
  for (let round = 0; round < 40; round++) {
    await both.check("DEL", "l", "s", "z");
    const n = 1 + int(60);
    const elements = Array.from({ length: n }, () => String(int(40) - 20));
    await both.check("RPUSH", "l", ...elements);
    await both.check("SADD", "s", ...elements.map((e) => `m${e}`));
    await both.check("ZADD", "z", ...elements.flatMap((e) => [String(int(10)), `z${e}`]));
    for (const e of elements) {
      await both.check("SET", `w_${e}`, String(int(1000)));
      await both.check("SET", `w_m${e}`, `${int(1000)}.${int(100)}`);
      await both.check("HSET", `h_z${e}`, "f", String(int(100000)));
    }
    for (let q = 0; q < 10; q++) {
      const limit = int(2) === 0 ? [] : ["LIMIT", String(int(n + 4) - 2), String(int(n + 4) - 2)];
      const order = [[], ["DESC"], ["ASC"]][int(3)]!;
      await both.check("SORT", "l", ...order, ...limit);
      await both.check("SORT", "l", "BY", "w_*", ...order, ...limit, "GET", "#", "GET", "w_*");
      await both.check("SORT", "s", "BY", "w_*", ...order, ...limit);
      await both.check("SORT", "s", "ALPHA", ...order, ...limit);
      await both.check("SORT", "z", "BY", "h_*->f", ...order, ...limit);
      await both.check("SORT", "z", "BY", "nosort", ...order, ...limit);
      await both.check("SORT", "l", "BY", "nosort", ...order, ...limit, "STORE", "dst");
      await both.check("LRANGE", "dst", "0", "-1");
    }
  }
});

differential("sort: a set left unsorted comes back in its own order", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.check("SADD", "s", "b", "a", "c", "d", "e");
  // A hashtable set's order is its hash order, which differs between implementations.
  await both.checkUnordered("SORT", "s", "BY", "nosort");
  await both.checkUnordered("SORT", "s", "BY", "nosort", "GET", "#");
});
