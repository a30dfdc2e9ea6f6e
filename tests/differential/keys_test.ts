// Differential tests of the generic keyspace commands (lib/commands/keys.ts) against
// redis-server: DEL, EXISTS, KEYS, SCAN, RENAME, MOVE, COPY, SWAPDB, EXPIRE*, TTL*, OBJECT...
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, type Resp } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";

const LLONG_MAX = "9223372036854775807";

/** Waits until `ms` milliseconds of wall-clock time have passed (for keys set to expire). */
function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The strings of a flat array reply. */
function bulks(reply: Resp): string[] {
  if (reply.t !== "array") throw new Error(`not an array: ${JSON.stringify(reply)}`);
  return reply.v.map((item) => {
    if (item.t !== "bulk") throw new Error(`not a bulk string: ${JSON.stringify(item)}`);
    return item.v;
  });
}

/** One SCAN call: the next cursor and the keys. */
async function scanStep(client: RawClient, args: string[]): Promise<[string, string[]]> {
  const reply = decode(await client.call("SCAN", ...args));
  if (reply.t !== "array" || reply.v.length !== 2 || reply.v[0]!.t !== "bulk") {
    throw new Error(`bad SCAN reply: ${JSON.stringify(reply)}`);
  }
  return [reply.v[0]!.v, bulks(reply.v[1]!)];
}

/** Every key a full SCAN iteration returns, as a sorted list with repeats removed. */
async function scanAll(client: RawClient, options: string[] = []): Promise<string[]> {
  const seen = new Set<string>();
  let cursor = "0";
  let calls = 0;
  do {
    const [next, keys] = await scanStep(client, [cursor, ...options]);
    for (const key of keys) seen.add(key);
    cursor = next;
    if (++calls > 100_000) throw new Error("SCAN did not terminate");
  } while (cursor !== "0");
  return [...seen].sort();
}

/** A SCAN that must finish in one call on both servers: same cursor, same keys in any order. */
async function checkScanOnce(both: Both, ...args: string[]): Promise<void> {
  const [ours, redis] = await Promise.all([scanStep(both.ours, args), scanStep(both.redis, args)]);
  assertEquals(ours[0], "0", `cursor of SCAN ${args.join(" ")}`);
  assertEquals([ours[0], ours[1].sort()], [redis[0], redis[1].sort()], `SCAN ${args.join(" ")}`);
}

differentialCases("keys: DEL, UNLINK, EXISTS, TOUCH, TYPE, DBSIZE, RANDOMKEY", {
  "DEL counts deleted keys once each": [
    ["MSET", "a", "1", "b", "2", "c", "3"],
    ["DEL", "a", "a", "missing", "b"],
    ["EXISTS", "a", "b", "c"],
    ["DEL", "missing"],
    ["DEL"],
    ["DBSIZE"],
  ],
  "UNLINK behaves like DEL": [
    ["MSET", "a", "1", "b", "2"],
    ["UNLINK", "a", "b", "a", "x"],
    ["UNLINK", "a"],
    ["UNLINK"],
    ["DBSIZE"],
  ],
  "EXISTS counts a key named twice twice": [
    ["SET", "a", "1"],
    ["EXISTS", "a", "a", "b", "a"],
    ["EXISTS", "nothing"],
    ["EXISTS"],
  ],
  "TOUCH counts existing keys": [
    ["MSET", "a", "1", "b", "2"],
    ["TOUCH", "a", "a", "b", "c"],
    ["TOUCH", "c"],
    ["TOUCH"],
  ],
  "TYPE of strings and missing keys": [
    ["SET", "s", ""],
    ["TYPE", "s"],
    ["TYPE", "missing"],
    ["TYPE"],
    ["TYPE", "s", "x"],
  ],
  "DBSIZE and RANDOMKEY": [
    ["DBSIZE"],
    ["RANDOMKEY"],
    ["SET", "only", "1"],
    ["RANDOMKEY"],
    ["DBSIZE"],
    ["SET", "", "empty key"],
    ["DBSIZE"],
    ["DEL", "only"],
    ["RANDOMKEY"],
    ["RANDOMKEY", "x"],
    ["DBSIZE", "x"],
  ],
  "binary keys": [
    ["SET", "\x00\xff\r\n", "v"],
    ["EXISTS", "\x00\xff\r\n", "\x00\xff\r"],
    ["RENAME", "\x00\xff\r\n", "\x80"],
    ["GET", "\x80"],
    ["KEYS", "*"],
    ["RANDOMKEY"],
  ],
});

differentialCases("keys: FLUSHDB, FLUSHALL, SWAPDB, SELECT interplay", {
  "FLUSHDB empties only the selected db": [
    ["SELECT", "1"],
    ["MSET", "a", "1", "b", "2"],
    ["SELECT", "0"],
    ["SET", "a", "0"],
    ["FLUSHDB"],
    ["DBSIZE"],
    ["SELECT", "1"],
    ["DBSIZE"],
    ["FLUSHDB", "SYNC"],
    ["DBSIZE"],
    ["SELECT", "0"],
  ],
  "FLUSHDB and FLUSHALL options": [
    ["SET", "a", "1"],
    ["FLUSHDB", "async"],
    ["FLUSHDB", "Sync"],
    ["FLUSHDB", "LAZY"],
    ["FLUSHDB", "ASYNC", "SYNC"],
    ["FLUSHALL", "ASYNC"],
    ["FLUSHALL", "sync"],
    ["FLUSHALL", "now"],
    ["FLUSHALL", "SYNC", "SYNC"],
    ["DBSIZE"],
  ],
  "FLUSHALL empties every db": [
    ["SELECT", "15"],
    ["SET", "a", "1"],
    ["SELECT", "0"],
    ["SET", "a", "1"],
    ["FLUSHALL"],
    ["DBSIZE"],
    ["SELECT", "15"],
    ["DBSIZE"],
    ["SELECT", "0"],
  ],
  "SWAPDB exchanges contents, the client stays on its index": [
    ["SET", "zero", "0"],
    ["SELECT", "3"],
    ["MSET", "three", "3", "x", "y"],
    ["PEXPIREAT", "x", LLONG_MAX],
    ["SWAPDB", "0", "3"],
    ["KEYS", "zero"],
    ["GET", "zero"],
    ["DBSIZE"],
    ["SELECT", "0"],
    ["GET", "three"],
    ["PEXPIRETIME", "x"],
    ["DBSIZE"],
    ["SWAPDB", "3", "0"],
    ["GET", "zero"],
    ["SWAPDB", "5", "5"],
    ["GET", "zero"],
  ],
  "SWAPDB errors": [
    ["SWAPDB", "a", "1"],
    ["SWAPDB", "0", "b"],
    ["SWAPDB", "a", "b"],
    ["SWAPDB", "0", "16"],
    ["SWAPDB", "-1", "0"],
    ["SWAPDB", "0", "2147483648"],
    ["SWAPDB", "-2147483649", "0"],
    ["SWAPDB", "0", "99999999999999999999"],
    ["SWAPDB", "0", "1.5"],
    ["SWAPDB", "0", " 1"],
    ["SWAPDB", "0"],
    ["SWAPDB", "0", "1", "2"],
  ],
});

differentialCases("keys: RENAME, RENAMENX, MOVE, COPY", {
  "RENAME moves value and TTL, replacing the destination": [
    ["SET", "a", "1"],
    ["EXPIRE", "a", "100"],
    ["SET", "b", "old"],
    ["EXPIRE", "b", "500"],
    ["RENAME", "a", "b"],
    ["GET", "b"],
    ["TTL", "b"],
    ["EXISTS", "a"],
    ["SET", "c", "3"],
    ["RENAME", "c", "b"],
    ["TTL", "b"],
    ["GET", "b"],
  ],
  "RENAME errors and same key": [
    ["RENAME", "missing", "b"],
    ["RENAME", "missing", "missing"],
    ["SET", "a", "1"],
    ["EXPIRE", "a", "100"],
    ["RENAME", "a", "a"],
    ["TTL", "a"],
    ["RENAME", "a"],
    ["RENAME", "a", "b", "c"],
  ],
  "RENAMENX": [
    ["RENAMENX", "missing", "b"],
    ["RENAMENX", "missing", "missing"],
    ["MSET", "a", "1", "b", "2"],
    ["RENAMENX", "a", "a"],
    ["RENAMENX", "a", "b"],
    ["GET", "a"],
    ["PEXPIREAT", "a", "99999999999999"],
    ["RENAMENX", "a", "c"],
    ["PEXPIRETIME", "c"],
    ["EXISTS", "a"],
    ["RENAMENX", "c"],
  ],
  "RENAME keeps the string encoding": [
    ["SET", "a", "1"],
    ["APPEND", "a", "2"],
    ["RENAME", "a", "b"],
    ["OBJECT", "ENCODING", "b"],
    ["SET", "n", "123"],
    ["RENAME", "n", "m"],
    ["OBJECT", "ENCODING", "m"],
    ["OBJECT", "REFCOUNT", "m"],
  ],
  "MOVE": [
    ["SET", "a", "1"],
    ["PEXPIREAT", "a", "99999999999999"],
    ["MOVE", "a", "1"],
    ["EXISTS", "a"],
    ["MOVE", "a", "1"],
    ["SELECT", "1"],
    ["GET", "a"],
    ["PEXPIRETIME", "a"],
    ["SET", "b", "in 1"],
    ["SELECT", "0"],
    ["SET", "b", "in 0"],
    ["MOVE", "b", "1"],
    ["GET", "b"],
    ["MOVE", "missing", "1"],
    ["SELECT", "1"],
    ["FLUSHDB"],
    ["SELECT", "0"],
  ],
  "MOVE errors": [
    ["SET", "a", "1"],
    ["MOVE", "a", "0"],
    ["MOVE", "missing", "0"],
    ["MOVE", "a", "x"],
    ["MOVE", "a", "16"],
    ["MOVE", "a", "-1"],
    ["MOVE", "a", "2147483648"],
    ["MOVE", "a", "-2147483649"],
    ["MOVE", "a", "99999999999999999999"],
    ["MOVE", "a"],
    ["MOVE", "a", "1", "2"],
  ],
  "COPY": [
    ["SET", "a", "1"],
    ["EXPIRE", "a", "100"],
    ["COPY", "a", "b"],
    ["GET", "b"],
    ["TTL", "b"],
    ["COPY", "a", "b"],
    ["SET", "a", "2"],
    ["COPY", "a", "b", "REPLACE"],
    ["GET", "b"],
    ["TTL", "b"],
    ["COPY", "a", "a", "DB", "1"],
    ["COPY", "a", "c", "db", "1", "replace"],
    ["COPY", "missing", "x"],
    ["COPY", "missing", "x", "DB", "1"],
    ["SELECT", "1"],
    ["EXISTS", "a", "c", "b"],
    ["FLUSHDB"],
    ["SELECT", "0"],
    ["COPY", "a", "b", "DB", "1", "DB", "0", "REPLACE", "REPLACE"],
  ],
  "COPY errors in argument order": [
    ["SET", "a", "1"],
    ["COPY", "a", "a"],
    ["COPY", "missing", "missing"],
    ["COPY", "a", "a", "DB", "0"],
    ["COPY", "a", "b", "DB"],
    ["COPY", "a", "b", "REPLACE", "DB"],
    ["COPY", "a", "b", "DB", "x"],
    ["COPY", "a", "b", "DB", "16"],
    ["COPY", "a", "b", "DB", "-1"],
    ["COPY", "a", "b", "DB", "4294967296"],
    ["COPY", "a", "b", "DB", "16", "FOO"],
    ["COPY", "a", "b", "FOO", "DB", "16"],
    ["COPY", "a", "b", "REPLACED"],
    ["COPY", "a"],
    ["EXISTS", "b"],
  ],
  "COPY keeps the encoding; a copied small integer is not shared": [
    ["SET", "int", "7"],
    ["COPY", "int", "int2"],
    ["OBJECT", "ENCODING", "int2"],
    ["OBJECT", "REFCOUNT", "int"],
    ["OBJECT", "REFCOUNT", "int2"],
    ["SET", "raw", "7"],
    ["APPEND", "raw", "7"],
    ["COPY", "raw", "raw2"],
    ["OBJECT", "ENCODING", "raw2"],
    ["SET", "float", "1.5"],
    ["INCRBYFLOAT", "float", "1.5"],
    ["COPY", "float", "float2"],
    ["OBJECT", "ENCODING", "float2"],
    ["SET", "long", "x".repeat(45)],
    ["COPY", "long", "long2"],
    ["OBJECT", "ENCODING", "long2"],
    ["RENAME", "int2", "int3"],
    ["OBJECT", "REFCOUNT", "int3"],
    ["SET", "int3", "7"],
    ["OBJECT", "REFCOUNT", "int3"],
  ],
});

const expireCommands = ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"];

differentialCases("keys: EXPIRE family, PERSIST, TTL family", {
  "options are checked before the time, case-insensitively": expireCommands.flatMap((
    cmd,
  ) => [
    ["SET", "a", "1"],
    [cmd, "a", "100", "NX", "XX"],
    [cmd, "a", "100", "nx", "gt"],
    [cmd, "a", "100", "Nx", "lt"],
    [cmd, "a", "100", "GT", "LT"],
    [cmd, "a", "100", "lt", "gt", "nx"],
    [cmd, "a", "100", "FOO"],
    [cmd, "a", "100", "nx", "Foo"],
    [cmd, "a", "abc", "Bar"],
    [cmd, "a", "abc", "NX", "XX"],
    [cmd, "missing", "abc", "GT", "LT"],
    [cmd, "a", "abc"],
    [cmd, "a", "1.5"],
    [cmd, "a", ""],
    [cmd, "a", " 1"],
    [cmd, "a", "99999999999999999999"],
    [cmd, "a", "100", "nx", "nx"],
    [cmd, "a"],
    ["TTL", "a"],
  ]),
  "overflow is an invalid expire time naming the command": expireCommands.flatMap((cmd) => [
    ["SET", "a", "1"],
    [cmd, "a", LLONG_MAX],
    [cmd, "a", "-9223372036854775808"],
    [cmd, "a", "9223372036854776"],
    [cmd, "a", "9223372036854775"],
    [cmd, "a", "-9223372036854776"],
    [cmd, "missing", LLONG_MAX],
    ["EXISTS", "a"],
  ]),
  "EXPIREAT and PEXPIREAT at the int64 limits": [
    ["SET", "a", "1"],
    ["EXPIREAT", "a", "9223372036854775"],
    ["PEXPIRETIME", "a"],
    ["EXPIRETIME", "a"],
    ["PEXPIREAT", "a", LLONG_MAX],
    ["PEXPIRETIME", "a"],
    ["EXPIRETIME", "a"],
    ["PEXPIREAT", "a", "9223372036854775806", "LT"],
    ["PEXPIRETIME", "a"],
    ["PEXPIREAT", "a", "9223372036854775807", "GT"],
    ["PEXPIREAT", "a", "9223372036854775807", "LT"],
    ["PEXPIRETIME", "a"],
    ["PEXPIREAT", "a", "9007199254740993"],
    ["PEXPIRETIME", "a"],
    ["EXPIRETIME", "a"],
    ["RENAME", "a", "b"],
    ["PEXPIRETIME", "b"],
    ["MOVE", "b", "2"],
    ["COPY", "b", "c", "DB", "2"],
    ["SELECT", "2"],
    ["PEXPIRETIME", "b"],
    ["PEXPIRETIME", "c"],
    ["PERSIST", "c"],
    ["PEXPIRETIME", "c"],
    ["FLUSHDB"],
    ["SELECT", "0"],
  ],
  "a time in the past deletes the key and replies 1": expireCommands.flatMap((cmd) => [
    ["SET", "a", "1"],
    [cmd, "a", "0"],
    ["EXISTS", "a"],
    ["SET", "a", "1"],
    [cmd, "a", "-1"],
    ["EXISTS", "a"],
    ["SET", "a", "1"],
    [cmd, "a", "-9223372036854775"],
    ["EXISTS", "a"],
    [cmd, "a", "-1"],
    [cmd, "missing", "100"],
  ]),
  "NX and XX": [
    ["SET", "a", "1"],
    ["EXPIRE", "a", "100", "XX"],
    ["TTL", "a"],
    ["EXPIRE", "a", "100", "NX"],
    ["TTL", "a"],
    ["EXPIRE", "a", "200", "NX"],
    ["TTL", "a"],
    ["EXPIRE", "a", "300", "XX"],
    ["TTL", "a"],
    ["EXPIRE", "a", "-1", "NX"],
    ["EXPIRE", "a", "-1", "XX"],
    ["EXISTS", "a"],
  ],
  "GT and LT treat no TTL as infinite": [
    ["SET", "a", "1"],
    ["EXPIRE", "a", "100", "GT"],
    ["TTL", "a"],
    ["EXPIRE", "a", "-5", "GT"],
    ["EXISTS", "a"],
    ["EXPIRE", "a", "100", "LT"],
    ["TTL", "a"],
    ["EXPIRE", "a", "200", "LT"],
    ["EXPIRE", "a", "100", "LT"],
    ["EXPIRE", "a", "50", "LT"],
    ["TTL", "a"],
    // Not 50: whether 50 s from now beats the earlier 50 s depends on a millisecond passing.
    ["EXPIRE", "a", "60", "GT"],
    ["EXPIRE", "a", "40", "GT"],
    ["EXPIRE", "a", "400", "GT", "XX"],
    ["TTL", "a"],
    ["PERSIST", "a"],
    ["EXPIRE", "a", "400", "GT", "XX"],
    ["EXPIRE", "a", "400", "LT", "XX"],
    ["EXPIRE", "a", "-5", "LT"],
    ["EXISTS", "a"],
    ["SET", "a", "1"],
    ["EXPIRE", "a", "-5", "xx", "lt"],
    ["EXISTS", "a"],
    ["EXPIRE", "missing", "100", "LT"],
  ],
  "PERSIST": [
    ["PERSIST", "missing"],
    ["SET", "a", "1"],
    ["PERSIST", "a"],
    ["EXPIRE", "a", "100"],
    ["PERSIST", "a"],
    ["TTL", "a"],
    ["PERSIST", "a"],
    ["PERSIST"],
    ["PERSIST", "a", "b"],
  ],
  "TTL family on missing keys, keys without TTL, absolute times": [
    ["TTL", "missing"],
    ["PTTL", "missing"],
    ["EXPIRETIME", "missing"],
    ["PEXPIRETIME", "missing"],
    ["SET", "a", "1"],
    ["TTL", "a"],
    ["PTTL", "a"],
    ["EXPIRETIME", "a"],
    ["PEXPIRETIME", "a"],
    ["EXPIREAT", "a", "33177600000"],
    ["EXPIRETIME", "a"],
    ["PEXPIRETIME", "a"],
    ["PEXPIREAT", "a", "33177600000499"],
    ["EXPIRETIME", "a"],
    ["PEXPIREAT", "a", "33177600000500"],
    ["EXPIRETIME", "a"],
    ["PEXPIRETIME", "a"],
    ["SET", "a", "2"],
    ["PEXPIRETIME", "a"],
    ["SET", "b", "1", "EXAT", "33177600000"],
    ["EXPIRETIME", "b"],
    ["TTL"],
    ["PTTL", "a", "b"],
    ["EXPIRETIME"],
    ["PEXPIRETIME", "a", "b"],
  ],
  "SET, GETSET and APPEND interplay with TTLs": [
    ["SET", "a", "1", "EX", "100"],
    ["APPEND", "a", "2"],
    ["TTL", "a"],
    ["INCR", "a"],
    ["TTL", "a"],
    ["GETSET", "a", "x"],
    ["TTL", "a"],
  ],
});

differentialCases("keys: OBJECT", {
  "ENCODING of strings": [
    ["SET", "i", "12345"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "-1"],
    ["OBJECT", "encoding", "i"],
    ["SET", "i", "0"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "-0"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "01"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "+1"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", " 1"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", LLONG_MAX],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "-9223372036854775808"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "i", "9223372036854775808"],
    ["OBJECT", "ENCODING", "i"],
    ["SET", "e", ""],
    ["OBJECT", "ENCODING", "e"],
    ["SET", "e", "x".repeat(44)],
    ["OBJECT", "ENCODING", "e"],
    ["SET", "e", "x".repeat(45)],
    ["OBJECT", "ENCODING", "e"],
    ["SET", "e", "1.5"],
    ["OBJECT", "ENCODING", "e"],
  ],
  "ENCODING after APPEND, SETRANGE, INCR, INCRBYFLOAT": [
    ["SET", "a", "1"],
    ["APPEND", "a", "2"],
    ["OBJECT", "ENCODING", "a"],
    ["INCR", "a"],
    ["OBJECT", "ENCODING", "a"],
    ["APPEND", "new", "5"],
    ["OBJECT", "ENCODING", "new"],
    ["SET", "r", "hello"],
    ["SETRANGE", "r", "0", "j"],
    ["OBJECT", "ENCODING", "r"],
    ["SETRANGE", "n", "0", "7"],
    ["OBJECT", "ENCODING", "n"],
    ["INCRBYFLOAT", "f", "3"],
    ["OBJECT", "ENCODING", "f"],
    ["INCRBYFLOAT", "f", "1.25"],
    ["OBJECT", "ENCODING", "f"],
    ["INCRBYFLOAT", "g", "1e40"],
    ["OBJECT", "ENCODING", "g"],
    ["SET", "f", "3"],
    ["OBJECT", "ENCODING", "f"],
    ["INCR", "c"],
    ["OBJECT", "ENCODING", "c"],
    ["DECRBY", "c", "100000"],
    ["OBJECT", "ENCODING", "c"],
  ],
  "REFCOUNT: shared integers": [
    ["SET", "a", "0"],
    ["OBJECT", "REFCOUNT", "a"],
    ["SET", "a", "9999"],
    ["OBJECT", "REFCOUNT", "a"],
    ["SET", "a", "10000"],
    ["OBJECT", "REFCOUNT", "a"],
    ["SET", "a", "-1"],
    ["OBJECT", "REFCOUNT", "a"],
    ["SET", "a", "abc"],
    ["OBJECT", "REFCOUNT", "a"],
    ["INCR", "a2"],
    ["OBJECT", "REFCOUNT", "a2"],
    ["SET", "a3", "12"],
    ["APPEND", "a3", "3"],
    ["OBJECT", "REFCOUNT", "a3"],
    ["INCR", "a3"],
    ["OBJECT", "REFCOUNT", "a3"],
    ["OBJECT", "REFCOUNT", "missing"],
  ],
  "IDLETIME, FREQ without an LFU policy, missing keys": [
    ["SET", "a", "1"],
    ["OBJECT", "IDLETIME", "a"],
    ["OBJECT", "FREQ", "a"],
    ["OBJECT", "FREQ", "missing"],
    ["OBJECT", "IDLETIME", "missing"],
    ["OBJECT", "ENCODING", "missing"],
  ],
  "HELP, unknown subcommands and arity": [
    ["OBJECT", "HELP"],
    ["OBJECT", "help"],
    ["OBJECT", "HELP", "x"],
    ["OBJECT"],
    ["OBJECT", "FOO"],
    ["OBJECT", "foo", "a"],
    ["OBJECT", "ENCODING"],
    ["OBJECT", "ENCODING", "a", "b"],
    ["OBJECT", "REFCOUNT"],
    ["OBJECT", "IDLETIME", "a", "b"],
    ["OBJECT", "FREQ"],
  ],
});

differentialCases("keys: OBJECT with an LFU policy", {
  "FREQ of new keys, IDLETIME is an error": [
    ["SET", "a", "abc"],
    ["OBJECT", "FREQ", "a"],
    ["SET", "n", "12345"],
    ["OBJECT", "FREQ", "n"],
    ["OBJECT", "FREQ", "missing"],
    ["OBJECT", "IDLETIME", "a"],
    ["OBJECT", "IDLETIME", "missing"],
  ],
}, {
  inmemdbArgs: ["--maxmemory-policy", "allkeys-lfu"],
  redisArgs: ["--maxmemory-policy", "allkeys-lfu"],
});

differentialCases("keys: OBJECT REFCOUNT when maxmemory needs private objects", {
  "no shared integers": [
    ["SET", "a", "5"],
    ["OBJECT", "REFCOUNT", "a"],
    ["OBJECT", "ENCODING", "a"],
  ],
}, {
  inmemdbArgs: ["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"],
  redisArgs: ["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"],
});

differentialCases("keys: KEYS and SCAN argument errors", {
  "KEYS arity": [
    ["KEYS"],
    ["KEYS", "*", "x"],
  ],
  "SCAN cursors (strtoul rules)": [
    ["SET", "only", "1"],
    ["SCAN", "0"],
    ["SCAN", ""],
    ["SCAN", "+0"],
    ["SCAN", "-0"],
    ["SCAN", "000"],
    ["SCAN", "+"],
    ["SCAN", "-"],
    ["SCAN", " 0"],
    ["SCAN", "0 "],
    ["SCAN", "\t0"],
    ["SCAN", "0x10"],
    ["SCAN", "1.0"],
    ["SCAN", "abc"],
    ["SCAN", "18446744073709551616"],
    ["SCAN", "-18446744073709551616"],
    ["SCAN", "99999999999999999999999"],
    ["SCAN"],
  ],
  "SCAN options": [
    ["SET", "only", "1"],
    ["SCAN", "0", "COUNT", "0"],
    ["SCAN", "0", "COUNT", "-1"],
    ["SCAN", "0", "COUNT", "abc"],
    ["SCAN", "0", "COUNT", "1.5"],
    ["SCAN", "0", "COUNT", "9223372036854775808"],
    ["SCAN", "0", "count", LLONG_MAX],
    ["SCAN", "0", "COUNT"],
    ["SCAN", "0", "COUNT", "10", "MATCH"],
    ["SCAN", "0", "MATCH"],
    ["SCAN", "0", "TYPE"],
    ["SCAN", "0", "FOO", "bar"],
    ["SCAN", "0", "COUNT", "0", "FOO"],
    ["SCAN", "0", "FOO", "COUNT", "0"],
    ["SCAN", "abc", "COUNT", "0"],
    ["SCAN", "0", "MATCH", "o*", "COUNT", "5", "TYPE", "string"],
    ["SCAN", "0", "match", "x*"],
    ["SCAN", "0", "type", "STRING"],
    ["SCAN", "0", "TYPE", "list"],
    ["SCAN", "0", "TYPE", "none"],
    ["SCAN", "0", "TYPE", "nosuchtype"],
    ["SCAN", "0", "MATCH", "*", "MATCH", "x"],
    ["SCAN", "0", "COUNT", "1", "COUNT", "100"],
    ["FLUSHALL"],
    ["SCAN", "0"],
    ["SCAN", "0", "MATCH", "*"],
  ],
});

/** Keys for the glob tests: names that exercise every pattern feature, plus all 256 bytes. */
const GLOB_KEYS = [
  "hello",
  "hallo",
  "hxllo",
  "hllo",
  "heeeello",
  "h*llo",
  "h?llo",
  "h[a]llo",
  "h\\llo",
  "a\\b",
  "\\",
  "[",
  "]",
  "^",
  "-",
  "a-b",
  "x",
  "X",
  "abc",
  "ABC",
  "aBc",
  "foo:bar:baz",
  "foo:bar",
  "\x00abc",
  "abc\x00",
  "\xff\xfe",
  "\x80\x7f",
  "caf\xc3\xa9",
  "a".repeat(40),
  "a".repeat(40) + "b",
  ...Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)),
];

const GLOB_PATTERNS = [
  "*",
  "**",
  "***x",
  "",
  "?",
  "??",
  "?*?",
  "*?*",
  "h?llo",
  "h*llo",
  "h*",
  "*o",
  "h[ae]llo",
  "h[^e]llo",
  "h[a-b]llo",
  "h[b-a]llo",
  "h[z-a]llo",
  "h\\*llo",
  "h\\?llo",
  "h\\[a\\]llo",
  "h\\\\llo",
  "h[\\]]llo",
  "[",
  "[a",
  "h[",
  "h[a",
  "h[ae",
  "h[^",
  "[]",
  "[]]",
  "[^]",
  "[]a]",
  "[a-]",
  "[-a]",
  "[a-",
  "[-]",
  "[--]",
  "[!a]",
  "\\",
  "a\\",
  "*\\",
  "\\\\",
  "a\\\\b",
  "a\\b",
  "[\\]",
  "[\\",
  "[\\]]",
  "[\\-]",
  "[\\a-c]",
  "x\\x",
  "[^a-z]",
  "[^a-zA-Z0-9]",
  "[a-z]",
  "[A-Z]",
  "[a-Z]",
  "[Z-a]",
  "[^\x00-\x7f]",
  "[\x80-\xff]",
  "[\xff-\x80]",
  "[a-\xff]",
  "[\xff-a]",
  "[\x00-\x1f]",
  "[\x7f-\x80]",
  "[^\x80]",
  "\x80*",
  "*\x7f",
  "\x00*",
  "*\x00",
  "[\x00]*",
  "[[]",
  "*[",
  "*[*",
  "a*b*c",
  "a*b",
  "*:*:*",
  "*:*",
  "foo:*",
  "foo:bar:???",
  "ab[cC]",
  "a[^b]c",
  "A*",
  "caf\xc3?",
  "caf?",
  "caf??",
  "a*a*a*a*a*a*a*a*a*a*a*a*b",
  "*a*a*a*a*a*a*a*a*a*a*a*c",
  "*".repeat(50) + "b",
  "[aa][aa]",
];

differential("keys: KEYS with glob patterns matches Redis's stringmatchlen", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  for (const key of GLOB_KEYS) await both.check("SET", key, "v");
  for (const pattern of GLOB_PATTERNS) {
    await t.step(`KEYS ${JSON.stringify(pattern)}`, async () => {
      await both.checkUnordered("KEYS", pattern);
    });
  }
  await t.step("SCAN MATCH agrees with KEYS for every pattern", async () => {
    for (const pattern of GLOB_PATTERNS) {
      const keys = bulks(decode(await both.ours.call("KEYS", pattern))).sort();
      const scanned = await scanAll(both.ours, ["MATCH", pattern, "COUNT", "33"]);
      assertEquals(scanned, keys, `SCAN MATCH ${JSON.stringify(pattern)}`);
    }
  });
  await t.step("pattern nesting beyond 1000 stars matches nothing", async () => {
    await both.check("SET", "a".repeat(1200), "v");
    await both.checkUnordered("KEYS", "a*".repeat(999) + "a");
    await both.checkUnordered("KEYS", "a*".repeat(1001) + "a");
    await both.checkUnordered("KEYS", "*a".repeat(1001));
  });
});

differential("keys: SCAN iterates exactly the keys KEYS returns", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  const args: string[] = [];
  for (let i = 0; i < 1000; i++) args.push(`key:${i}`, String(i));
  await both.check("MSET", ...args);
  await both.check("MSET", "other:1", "x", "other:2", "y");
  const all = await both.checkUnordered("KEYS", "*");
  for (const count of ["1", "7", "10", "100", "5000"]) {
    await t.step(`full iteration with COUNT ${count}`, async () => {
      assertEquals(await scanAll(both.ours, ["COUNT", count]), all);
      assertEquals(await scanAll(both.redis, ["COUNT", count]), all);
    });
  }
  await t.step("default COUNT", async () => {
    assertEquals(await scanAll(both.ours), all);
  });
  await t.step("a COUNT step returns at most COUNT keys", async () => {
    const [cursor, keys] = await scanStep(both.ours, ["0", "COUNT", "25"]);
    assert.notEqual(cursor, "0");
    assert.ok(keys.length <= 25 && keys.length > 0, `${keys.length} keys`);
  });
  await t.step("MATCH and TYPE filters", async () => {
    const matching = await both.checkUnordered("KEYS", "key:1*");
    assertEquals(await scanAll(both.ours, ["MATCH", "key:1*", "COUNT", "50"]), matching);
    assertEquals(await scanAll(both.redis, ["MATCH", "key:1*", "COUNT", "50"]), matching);
    assertEquals(await scanAll(both.ours, ["TYPE", "string"]), all);
    assertEquals(await scanAll(both.ours, ["TYPE", "STRING", "MATCH", "other:*"]), [
      "other:1",
      "other:2",
    ]);
    assertEquals(await scanAll(both.ours, ["TYPE", "hash"]), []);
    assertEquals(await scanAll(both.redis, ["TYPE", "hash"]), []);
  });
  await t.step("a cursor the server does not know still scans everything", async () => {
    const seen = new Set<string>();
    let cursor = "12345";
    do {
      const [next, keys] = await scanStep(both.ours, [cursor, "COUNT", "100"]);
      for (const key of keys) seen.add(key);
      cursor = next;
    } while (cursor !== "0");
    assertEquals([...seen].sort(), all);
  });
  await t.step("the last step says cursor 0 as soon as the walk is over", async () => {
    await both.check("FLUSHALL");
    await both.check("MSET", "a", "1", "b", "2", "c", "3");
    await checkScanOnce(both, "0");
    await checkScanOnce(both, "0", "COUNT", "4");
    await checkScanOnce(both, "0", "MATCH", "[ab]");
    await checkScanOnce(both, "0", "TYPE", "string", "COUNT", "100");
    await checkScanOnce(both, "0", "TYPE", "zset");
  });
});

differential("keys: expired keys are never returned", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  for (let i = 0; i < 20; i++) await both.check("SET", `gone:${i}`, "v", "PX", "1");
  await both.check("MSET", "live:1", "1", "live:2", "2");
  await both.check("SET", "live:3", "3", "EX", "1000");
  await elapse(10);
  await both.checkUnordered("KEYS", "*");
  await both.checkUnordered("KEYS", "gone:*");
  assertEquals(await scanAll(both.ours), ["live:1", "live:2", "live:3"]);
  assertEquals(await scanAll(both.redis), ["live:1", "live:2", "live:3"]);
  assertEquals(await scanAll(both.ours, ["TYPE", "string"]), ["live:1", "live:2", "live:3"]);
  await both.check("EXISTS", "gone:1", "gone:2", "live:1");
  await both.check("TTL", "gone:3");
  await both.check("TYPE", "gone:4");
  await both.check("GET", "gone:5");
  await both.check("RENAME", "gone:6", "x");
  await both.check("MOVE", "gone:7", "1");
  await both.check("COPY", "gone:8", "x");
  await both.check("EXPIRE", "gone:9", "100");
  await both.check("PERSIST", "gone:10");
  await both.check("OBJECT", "ENCODING", "gone:11");
  await both.check("DEL", "gone:12", "live:1");
  await both.check("DBSIZE");
  for (let i = 0; i < 30; i++) {
    for (const reply of await both.both("RANDOMKEY")) {
      assert.ok(["$6\r\nlive:2\r\n", "$6\r\nlive:3\r\n"].includes(reply), reply);
    }
  }
});

differential("keys: TTL and PTTL count down like Redis's", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.check("SET", "a", "1");
  await both.check("PEXPIRE", "a", "5000");
  await both.checkNear(50, "PTTL", "a");
  await both.checkNear(0, "TTL", "a");
  await both.check("PEXPIRE", "a", "1499");
  await both.checkNear(0, "TTL", "a");
  await both.check("EXPIRE", "a", "100");
  await both.checkNear(50, "PTTL", "a");
  await both.check("PEXPIREAT", "a", LLONG_MAX);
  await both.checkNear(5000, "PTTL", "a");
  await both.checkNear(5, "TTL", "a");
  await both.check("EXPIREAT", "a", String(Math.floor(Date.now() / 1000) + 3600));
  await both.checkNear(2, "TTL", "a");
  await both.check("SET", "b", "1", "PX", "100000");
  await both.checkNear(50, "PTTL", "b");
  await both.check("RENAME", "b", "c");
  await both.checkNear(50, "PTTL", "c");
  await both.check("COPY", "c", "d");
  await both.checkNear(50, "PTTL", "d");
});

differential("keys: RESP3 null replies", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.both("HELLO", "3");
  await both.check("RANDOMKEY");
  await both.check("OBJECT", "ENCODING", "missing");
  await both.check("OBJECT", "REFCOUNT", "missing");
  await both.check("SET", "a", "1");
  await both.check("SCAN", "0");
  await both.check("KEYS", "*");
  await both.check("OBJECT", "HELP");
  await both.both("HELLO", "2");
});

/**
 * SCAN's guarantee: a key present for the whole iteration is returned (maybe more than once),
 * even while other keys come and go between the calls. Checked on both servers.
 */
differential("keys: SCAN returns every key that stays, under churn", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  const stable: string[] = [];
  const args: string[] = [];
  for (let i = 0; i < 2000; i++) {
    stable.push(`stable:${i}`);
    args.push(`stable:${i}`, "v");
  }
  for (let i = 0; i < 1000; i++) args.push(`doomed:${i}`, "v");
  await both.check("MSET", ...args);
  for (const client of [both.ours, both.redis]) {
    const seen = new Set<string>();
    let cursor = "0";
    let round = 0;
    do {
      const [next, keys] = await scanStep(client, [cursor, "COUNT", "37"]);
      for (const key of keys) seen.add(key);
      cursor = next;
      // Between calls: delete some doomed keys, add new ones, rewrite some stable ones.
      const churn: string[] = [];
      for (let i = 0; i < 20; i++) churn.push(`new:${round}:${i}`, "v");
      await client.call("MSET", ...churn);
      await client.call("DEL", ...Array.from({ length: 10 }, (_, i) => `doomed:${round * 10 + i}`));
      await client.call("SET", `stable:${(round * 7) % 2000}`, "rewritten");
      round++;
    } while (cursor !== "0");
    const missing = stable.filter((key) => !seen.has(key));
    assertEquals(missing, [], "stable keys SCAN did not return");
    for (const key of seen) {
      assert.ok(/^(stable|doomed|new):/.test(key), `unexpected key ${key}`);
    }
  }
});
