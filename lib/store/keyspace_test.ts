// Unit tests of the keyspace (lib/store/keyspace.ts): lazy expiry against a fake clock, exact
// int64 expire times, moving and copying keys with their metadata, SWAPDB, RANDOMKEY, clear.
import assert from "node:assert/strict";
import { setTimeSource, tick } from "../clock.ts";
import { Keyspace, type RedisObject } from "./keyspace.ts";

/** Runs `fn` with the command clock at `start` ms; `advance` moves it forward. */
function withClock(start: number, fn: (advance: (ms: number) => void) => void): void {
  let time = start;
  setTimeSource(() => time);
  try {
    fn((ms) => {
      time += ms;
      tick();
    });
  } finally {
    setTimeSource();
  }
}

class FakeList implements RedisObject {
  readonly type = "list";
  mem = 0;
  constructor(readonly items: string[]) {}
  encoding(): string {
    return "listpack";
  }
  duplicate(): FakeList {
    return new FakeList([...this.items]);
  }
}

Deno.test("a key expires lazily at its expire time, to the millisecond", () => {
  withClock(1_000_000, (advance) => {
    const ks = new Keyspace(2);
    const db = ks.dbs[0]!;
    const expired: string[] = [];
    ks.expiredListeners.push((_db, key) => expired.push(key));
    db.set("k", "v");
    db.setExpire("k", 1_000_050);
    advance(49);
    assert.equal(db.lookupRead("k"), "v");
    advance(1);
    assert.equal(db.lookupRead("k"), undefined);
    assert.equal(db.size, 0);
    assert.equal(db.expires.size, 0);
    assert.deepEqual(expired, ["k"]);
    assert.equal(ks.stats.expiredKeys, 1);
    assert.equal(ks.stats.hits, 1);
    assert.equal(ks.stats.misses, 1);
  });
});

Deno.test("set drops the TTL unless asked to keep it; overwrite keeps it", () => {
  const ks = new Keyspace(1);
  const db = ks.dbs[0]!;
  db.set("k", "1");
  db.setExpire("k", Date.now() + 100_000);
  db.overwrite("k", "2");
  assert.notEqual(db.getExpire("k"), undefined);
  db.set("k", "3", true);
  assert.notEqual(db.getExpire("k"), undefined);
  db.set("k", "4");
  assert.equal(db.getExpire("k"), undefined);
});

Deno.test("expire times beyond 2^53 are kept exactly until replaced or removed", () => {
  const ks = new Keyspace(3);
  const [db0, db1, db2] = ks.dbs as [typeof ks.dbs[0], typeof ks.dbs[0], typeof ks.dbs[0]];
  const max = 9223372036854775807n;
  db0.set("k", "v");
  db0.setExpireExact("k", max);
  assert.equal(db0.getExpireExact("k"), max);
  assert.equal(db0.getExpire("k"), Number(max));
  db0.setExpireExact("k", 5_000_000_000_000);
  assert.equal(db0.getExpireExact("k"), 5_000_000_000_000);
  assert.equal(db0.exactExpires.size, 0);

  db0.setExpireExact("k", max - 1n);
  db0.moveKey("k", db0, "renamed");
  assert.equal(db0.getExpireExact("renamed"), max - 1n);
  db0.moveKey("renamed", db1, "renamed");
  assert.equal(db1.getExpireExact("renamed"), max - 1n);
  assert.equal(db0.exactExpires.size, 0);
  db1.copyKey("renamed", db2, "copy");
  assert.equal(db2.getExpireExact("copy"), max - 1n);
  ks.swap(1, 2);
  assert.equal(db1.getExpireExact("copy"), max - 1n);
  assert.equal(db2.getExpireExact("renamed"), max - 1n);

  assert.equal(db1.persist("copy"), true);
  assert.equal(db1.getExpireExact("copy"), undefined);
  assert.equal(db1.exactExpires.size, 0);
  db2.set("renamed", "new value");
  assert.equal(db2.getExpireExact("renamed"), undefined);
  assert.equal(db2.exactExpires.size, 0);
  db2.setExpireExact("renamed", max);
  assert.equal(db2.delete("renamed"), true);
  assert.equal(db2.exactExpires.size, 0);
});

Deno.test("moveKey carries value, TTL and string encoding and replaces the target", () => {
  const ks = new Keyspace(2);
  const [a, b] = ks.dbs as [typeof ks.dbs[0], typeof ks.dbs[0]];
  a.set("k", "12");
  a.stringEncodings.set("k", "raw");
  a.setExpire("k", Date.now() + 100_000);
  b.set("k", "old");
  b.setExpire("k", Date.now() + 5);
  a.moveKey("k", b, "k");
  assert.equal(a.size, 0);
  assert.equal(a.expires.size, 0);
  assert.equal(a.stringEncodings.size, 0);
  assert.equal(b.dict.get("k"), "12");
  assert.equal(b.stringEncoding("k", "12"), "raw");
  assert.ok(b.getExpire("k")! > Date.now() + 50_000);
});

Deno.test("copyKey duplicates objects and makes copied integers private", () => {
  const ks = new Keyspace(1);
  const db = ks.dbs[0]!;
  const list = new FakeList(["a", "b"]);
  db.set("list", list);
  db.copyKey("list", db, "list2");
  const copy = db.dict.get("list2") as FakeList;
  assert.notEqual(copy, list);
  assert.deepEqual(copy.items, ["a", "b"]);
  assert.equal(db.expires.size, 0);

  db.set("n", "7");
  db.copyKey("n", db, "n2");
  assert.equal(db.stringEncodings.get("n"), undefined);
  assert.equal(db.stringEncodings.get("n2"), "int");
  assert.equal(db.stringEncoding("n2", "7"), "int");
  db.set("n2", "8");
  assert.equal(db.stringEncodings.get("n2"), undefined);

  db.set("s", "embedded");
  db.copyKey("s", db, "s2");
  assert.equal(db.stringEncodings.size, 0);
  assert.equal(db.stringEncoding("s2", "embedded"), "embstr");
});

Deno.test("randomKey skips and deletes expired keys until it finds a live one", () => {
  withClock(2_000_000, (advance) => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 1000; i++) {
      db.set(`gone${i}`, "v");
      db.setExpire(`gone${i}`, 2_000_010);
    }
    db.set("live", "v");
    advance(10);
    assert.equal(db.randomKey(), "live");
    db.delete("live");
    assert.equal(db.randomKey(), undefined);
    assert.equal(db.size, 0);
    assert.equal(ks.stats.expiredKeys, 1000);
  });
});

Deno.test("randomKey eventually returns every key of a large db", () => {
  const ks = new Keyspace(1);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 1000; i++) db.set(`k${i}`, "v");
  const seen = new Set<string>();
  for (let i = 0; i < 100_000 && seen.size < 1000; i++) seen.add(db.randomKey()!);
  assert.equal(seen.size, 1000);
});

Deno.test("swap exchanges contents; clients holding a Db see the other data", () => {
  const ks = new Keyspace(2);
  const [a, b] = ks.dbs as [typeof ks.dbs[0], typeof ks.dbs[0]];
  a.set("in-a", "1");
  b.set("in-b", "2");
  b.setExpire("in-b", Date.now() + 100_000);
  ks.swap(0, 1);
  assert.equal(a.dict.get("in-b"), "2");
  assert.notEqual(a.getExpire("in-b"), undefined);
  assert.equal(b.dict.get("in-a"), "1");
  assert.equal(b.expires.size, 0);
});

Deno.test("clear empties a db and drops the SCAN walks over its old dict", () => {
  const ks = new Keyspace(1);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 100; i++) db.set(`k${i}`, "v");
  const dict = db.dict;
  const first = ks.scanCursors.next("0", dict, () => dict.keys(), 10);
  assert.notEqual(first.cursor, "0");
  assert.equal(db.clear(), 100);
  assert.equal(db.size, 0);
  db.set("fresh", "v");
  // The parked walk is gone: the old cursor starts a new walk over the new dict.
  const next = ks.scanCursors.next(first.cursor, db.dict, () => db.dict.keys(), 10);
  assert.deepEqual(next, { elements: ["fresh"], cursor: "0" });
  assert.equal(ks.flushAll(), 1);
});
