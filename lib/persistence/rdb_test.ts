import assert from "node:assert/strict";
import { Keyspace, type Value } from "../store/keyspace.ts";
import { ListObject } from "../store/list.ts";
import { HashObject } from "../store/hash.ts";
import { SetObject } from "../store/set.ts";
import { Zset } from "../store/zset.ts";
import { loadRdb, saveRdbSync } from "./rdb.ts";
import { RdbError, RdbReader } from "./rdb_reader.ts";
import {
  contents,
  LIMITS,
  OPTS,
  sampleKeyspace,
  withTempDir,
} from "../../tests/helpers/rdb_fixtures.ts";
import { legacyRdb, textDouble, ziplist, zipmap } from "../../tests/helpers/legacy_rdb.ts";
import { listpack } from "./listpack.ts";
import { intsetBytes } from "./intset.ts";

function load(data: Uint8Array, limits = LIMITS): Keyspace {
  const ks = new Keyspace(16);
  loadRdb(data, ks, { limits, checksum: true, now: Date.now() });
  return ks;
}

Deno.test("SAVE writes every type and encoding and loading gives the same contents back", async () => {
  await withTempDir((dir) => {
    const ks = sampleKeyspace();
    saveRdbSync(ks, `${dir}/dump.rdb`, OPTS);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["dump.rdb"]);
    const loaded = load(Deno.readFileSync(`${dir}/dump.rdb`));
    assert.deepEqual(contents(loaded), contents(ks));
    const db0 = loaded.dbs[0]!;
    const encodings = Object.fromEntries(
      [
        "list",
        "hash",
        "bighash",
        "longhash",
        "intset",
        "set",
        "bigset",
        "zset",
        "bigzset",
        "longzset",
      ]
        .map((k) => [k, (db0.dict.get(k) as Exclude<Value, string>).encoding()]),
    );
    assert.deepEqual(encodings, {
      list: "quicklist",
      hash: "listpack",
      bighash: "hashtable",
      longhash: "hashtable",
      intset: "intset",
      set: "hashtable",
      bigset: "hashtable",
      zset: "listpack",
      bigzset: "skiplist",
      longzset: "skiplist",
    });
    assert.equal(db0.dict.get("bytes"), "\x00\x10".repeat(3000));
  });
});

Deno.test("a file starts with REDIS0010 and the AUX fields Redis writes, in its order", async () => {
  await withTempDir((dir) => {
    saveRdbSync(new Keyspace(1), `${dir}/dump.rdb`, OPTS);
    const data = Deno.readFileSync(`${dir}/dump.rdb`);
    const text = String.fromCharCode(...data);
    assert.ok(text.startsWith("REDIS0010\xfa\x09redis-ver\x067.0.15\xfa\x0aredis-bits\xc0\x40"));
    const r = new RdbReader(data);
    r.bytes(9);
    const fields: string[] = [];
    while (r.byte() === 0xfa) {
      fields.push(r.string());
      r.string();
    }
    assert.deepEqual(fields, ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]);
    // An empty keyspace: the EOF opcode follows, then 8 bytes of checksum.
    assert.equal(r.remaining, 8);
  });
});

Deno.test("loading skips keys already expired and keeps the others' exact expire times", () => {
  const ks = new Keyspace(16);
  const db = ks.dbs[0]!;
  db.set("gone", "x");
  db.setExpire("gone", 1000);
  db.set("kept", "y");
  db.setExpireExact("kept", 9223372036854775807n);
  const file = legacyRdb(10, [
    { db: 0, key: "gone", type: 0, expireMs: 1000, payload: (w) => w.string("x") },
    { db: 0, key: "kept", type: 0, expireMs: 4102444800000, payload: (w) => w.string("y") },
    { db: 0, key: "old", type: 0, expireSeconds: 2000000000, payload: (w) => w.string("z") },
  ]);
  const loaded = new Keyspace(16);
  const result = loadRdb(file, loaded, { limits: LIMITS, checksum: true, now: Date.now() });
  assert.equal(result.loaded, 2);
  assert.equal(result.expired, 1);
  assert.equal(loaded.dbs[0]!.getExpire("kept"), 4102444800000);
  assert.equal(loaded.dbs[0]!.getExpire("old"), 2000000000 * 1000);
  assert.equal(loaded.dbs[0]!.dict.has("gone"), false);
});

Deno.test("older encodings load: ziplist, zipmap, quicklist v1, text-score zsets", () => {
  const file = legacyRdb(9, [
    {
      db: 0,
      key: "zl-list",
      type: 10,
      payload: (w) => w.stringBytes(ziplist(["a", "1", "-70000"])),
    },
    {
      db: 0,
      key: "zl-hash",
      type: 13,
      payload: (w) => w.stringBytes(ziplist(["f", "v", "n", "5"])),
    },
    {
      db: 0,
      key: "zl-zset",
      type: 12,
      payload: (w) => w.stringBytes(ziplist(["b", "2", "a", "1.5"])),
    },
    {
      db: 0,
      key: "zipmap",
      type: 9,
      payload: (w) => w.stringBytes(zipmap(["f1", "v1", "f2", "v2"])),
    },
    {
      db: 0,
      key: "ql1",
      type: 14,
      payload: (w) => {
        w.len(2);
        w.stringBytes(ziplist(["x", "y"]));
        w.stringBytes(ziplist(["3"]));
      },
    },
    {
      db: 1,
      key: "oldzset",
      type: 3,
      payload: (w) => {
        w.len(2);
        w.string("m");
        textDouble(w, 2.5);
        w.string("top");
        textDouble(w, Infinity);
      },
    },
    {
      db: 1,
      key: "oldlist",
      type: 1,
      payload: (w) => {
        w.len(2);
        w.string("p");
        w.string("q");
      },
    },
    {
      db: 1,
      key: "lp-hash",
      type: 16,
      payload: (w) => w.stringBytes(listpack(["k", "w".repeat(100)])),
    },
    { db: 1, key: "intset", type: 11, payload: (w) => w.stringBytes(intsetBytes([1, 2])) },
  ]);
  const db0 = load(file).dbs[0]!;
  const read = (v: Value | undefined) => {
    if (v instanceof ListObject) {
      const out: string[] = [];
      v.forRange(0, v.length, false, (e) => out.push(e));
      return out;
    }
    if (v instanceof HashObject) return v.pairs();
    if (v instanceof Zset) {
      const out: string[] = [];
      v.forRange(0, v.size, false, (m, s) => out.push(m, String(s)));
      return out;
    }
    return v;
  };
  assert.deepEqual(read(db0.dict.get("zl-list")), ["a", "1", "-70000"]);
  assert.deepEqual(read(db0.dict.get("zl-hash")), ["f", "v", "n", "5"]);
  assert.deepEqual(read(db0.dict.get("zl-zset")), ["a", "1.5", "b", "2"]);
  assert.deepEqual(read(db0.dict.get("zipmap")), ["f1", "v1", "f2", "v2"]);
  assert.deepEqual(read(db0.dict.get("ql1")), ["x", "y", "3"]);
  const ks = load(file);
  const db1 = ks.dbs[1]!;
  assert.deepEqual(read(db1.dict.get("oldzset")), ["m", "2.5", "top", "Infinity"]);
  assert.deepEqual(read(db1.dict.get("oldlist")), ["p", "q"]);
  // A listpack hash keeps its encoding even with a long value, as in Redis (only the count is checked).
  assert.equal((db1.dict.get("lp-hash") as HashObject).encoding(), "listpack");
  assert.equal((db1.dict.get("intset") as SetObject).encoding(), "intset");
});

Deno.test("loading converts by the loading side's limits, like rdbLoadObject", () => {
  const small = {
    hash: { maxEntries: 2, maxValue: 64 },
    zset: { maxEntries: 2, maxValue: 64 },
    maxIntset: 2,
  };
  const file = legacyRdb(10, [
    {
      db: 0,
      key: "h",
      type: 16,
      payload: (w) => w.stringBytes(listpack(["a", "1", "b", "2", "c", "3"])),
    },
    {
      db: 0,
      key: "z",
      type: 17,
      payload: (w) => w.stringBytes(listpack(["a", "1", "b", "2", "c", "3"])),
    },
    { db: 0, key: "s", type: 11, payload: (w) => w.stringBytes(intsetBytes([1, 2, 3])) },
    {
      db: 0,
      key: "zs",
      type: 5,
      payload: (w) => {
        w.len(2);
        w.string("b");
        w.binaryDouble(2);
        w.string("a");
        w.binaryDouble(1);
      },
    },
  ]);
  const db = load(file, small).dbs[0]!;
  assert.equal((db.dict.get("h") as HashObject).encoding(), "hashtable");
  assert.equal((db.dict.get("z") as Zset).encoding(), "skiplist");
  assert.equal((db.dict.get("s") as SetObject).encoding(), "hashtable");
  // A skiplist zset small enough becomes a listpack once loaded.
  assert.equal((db.dict.get("zs") as Zset).encoding(), "listpack");
});

Deno.test("a corrupt file is refused: checksum, version, truncation, duplicates, bad types", () => {
  const good = legacyRdb(10, [{ db: 0, key: "k", type: 0, payload: (w) => w.string("v") }]);
  const flipped = good.slice();
  flipped[flipped.length - 12]! ^= 1;
  assert.throws(() => load(flipped), (e) => e instanceof RdbError && /CRC/.test(e.message));
  const future = good.slice();
  future[8] = "1".charCodeAt(0); // REDIS0011
  assert.throws(() => load(future), /Can't handle RDB format version 0011/);
  assert.throws(() => load(good.subarray(0, good.length - 5)), RdbError);
  assert.throws(() => load(new TextEncoder().encode("NOTREDIS0")), /Wrong signature/);
  const twice = legacyRdb(10, [
    { db: 0, key: "k", type: 0, payload: (w) => w.string("v") },
    { db: 0, key: "k", type: 0, payload: (w) => w.string("w") },
  ]);
  assert.throws(() => load(twice), /duplicated key/);
  const stream = legacyRdb(10, [{ db: 0, key: "s", type: 15, payload: () => {} }]);
  assert.throws(() => load(stream), /not supported/);
  const toomany = legacyRdb(10, [{ db: 20, key: "k", type: 0, payload: (w) => w.string("v") }]);
  assert.throws(() => load(toomany), /more than 16 databases/);
  // A checksum of zero means "saved with rdbchecksum no": not verified.
  const unchecked = good.slice();
  unchecked.fill(0, unchecked.length - 8);
  assert.equal(load(unchecked).dbs[0]!.dict.get("k"), "v");
});

Deno.test("a failed save leaves no temporary file and the previous dump.rdb intact", async () => {
  await withTempDir((dir) => {
    Deno.writeTextFileSync(`${dir}/dump.rdb`, "previous");
    Deno.mkdirSync(`${dir}/blocked.rdb`);
    // Renaming over a directory fails after the temporary file was complete.
    assert.throws(() => saveRdbSync(sampleKeyspace(), `${dir}/blocked.rdb`, OPTS));
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["blocked.rdb", "dump.rdb"],
    );
    assert.equal(Deno.readTextFileSync(`${dir}/dump.rdb`), "previous");
  });
});
