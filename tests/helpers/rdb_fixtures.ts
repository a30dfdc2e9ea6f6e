// A keyspace holding every type in each of its encodings, and helpers to compare keyspaces:
// shared by the RDB and BGSAVE tests.
import { Keyspace, type Value } from "../../lib/store/keyspace.ts";
import { ListObject } from "../../lib/store/list.ts";
import { HashObject } from "../../lib/store/hash.ts";
import { SetObject } from "../../lib/store/set.ts";
import { Zset } from "../../lib/store/zset.ts";
import { ByteString } from "../../lib/store/byte_string.ts";
import type { RdbSaveOptions } from "../../lib/persistence/rdb.ts";
import type { LoadLimits } from "../../lib/persistence/rdb_types.ts";
import { createDumpPayload } from "../../lib/persistence/dump.ts";

export const LIMITS: LoadLimits = {
  hash: { maxEntries: 512, maxValue: 64 },
  zset: { maxEntries: 128, maxValue: 64 },
  maxIntset: 512,
};
export const OPTS: RdbSaveOptions = {
  compression: true,
  checksum: true,
  listFill: -2,
  lru: false,
  lfu: false,
  usedMem: 1,
};

function list(items: string[]): ListObject {
  const l = new ListObject();
  for (const e of items) l.push(e, false);
  return l;
}

function hash(n: number, valueLength = 3): HashObject {
  const h = new HashObject();
  for (let i = 0; i < n; i++) h.set(`f${i}`, String(i).padEnd(valueLength, "v"), LIMITS.hash);
  return h;
}

function set(members: string[]): SetObject {
  const s = SetObject.forMember(members[0]!);
  for (const m of members) s.add(m, LIMITS.maxIntset);
  return s;
}

function zset(n: number, memberLength = 2): Zset {
  const z = new Zset();
  for (let i = 0; i < n; i++) z.insert(`m${i}`.padEnd(memberLength, "x"), i * 1.5 - 7, LIMITS.zset);
  return z;
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/** A keyspace with every type in each of its encodings, binary data, expires, several dbs. */
export function sampleKeyspace(): Keyspace {
  const ks = new Keyspace(16);
  const db0 = ks.dbs[0]!, db5 = ks.dbs[5]!, db15 = ks.dbs[15]!;
  db0.set("str", "hello");
  db0.set("int", "-123456");
  db0.set("bigint", "9223372036854775807");
  db0.set("empty", "");
  db0.set("binary", "\0\x01\xff\r\n\x80bin");
  db0.set("compressible", "abc".repeat(1000));
  db0.set("bytes", ByteString.from("\x00\x10".repeat(3000)));
  db0.set("list", list(["a", "1", "-5", "70000", "x".repeat(300)]));
  db0.set("biglist", list(range(20_000, (i) => i % 3 === 0 ? String(i) : `item-${i}`)));
  db0.set("hash", hash(10));
  db0.set("bighash", hash(1000));
  db0.set("longhash", hash(3, 100));
  db0.set("intset", set(["1", "-2", "300000", "9223372036854775807"]));
  db0.set("set", set(["a", "b", "c"]));
  db0.set("bigset", set(range(2000, (i) => String(i))));
  db0.set("zset", zset(10));
  db0.set("bigzset", zset(500));
  db0.set("longzset", zset(3, 100));
  db0.set(
    "special-scores",
    Zset.fromSorted(["ninf", "negzero", "zero", "pinf"], [-Infinity, -0, 0, Infinity], LIMITS.zset),
  );
  db0.setExpire("str", Date.now() + 100_000);
  db0.setExpireExact("list", 9223372036854775807n);
  db5.set("in-db5", "five");
  db5.set("hash5", hash(2));
  db5.setExpire("hash5", Date.now() + 50_000);
  db15.set("last", list(["z"]));
  return ks;
}

/** Every key of every db as DUMP payload bytes (hex) plus its expire time. */
export function contents(ks: Keyspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const db of ks.dbs) {
    for (const [key, value] of db.dict) {
      const payload = createDumpPayload(value as Value, { listFill: -2 }, true);
      const hex = [...payload].map((b) => b.toString(16).padStart(2, "0")).join("");
      out.set(`${db.id}:${key}`, `${hex} ttl=${db.getExpireExact(key)}`);
    }
  }
  return out;
}

/** Runs fn with a fresh temporary directory, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "inmemdb-rdb-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
