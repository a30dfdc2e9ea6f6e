// Unit tests of lib/store/eviction.ts, lru.ts and memory.ts on a bare keyspace (no server).
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { Keyspace } from "./keyspace.ts";
import { evictionConfig, performEvictions, POLICIES, usedMemory } from "./eviction.ts";
import { lfuDecrAndReturn, lfuLogIncr, lfuTimeInMinutes, lruClock } from "./lru.ts";
import { datasetBytes, mapBytes, stringBytes } from "./memory.ts";
import { HashObject } from "./hash.ts";
import { setTimeSource, tick } from "../clock.ts";

function keyspaceWith(policy: string): Keyspace {
  const keyspace = new Keyspace(16);
  const config = evictionConfig(keyspace);
  config.policy = POLICIES[policy]!;
  config.samples = 5;
  keyspace.accessConfig.track = policy.endsWith("-lru") || policy.endsWith("-lfu");
  keyspace.accessConfig.lfu = policy.endsWith("-lfu");
  return keyspace;
}

Deno.test("the running total follows sets, overwrites and deletes exactly", () => {
  const keyspace = keyspaceWith("noeviction");
  const db = keyspace.dbs[0]!;
  db.set("a", "x".repeat(100));
  db.set("b", "y");
  assertEquals(keyspace.bytes, 2 * stringBytes(1) + stringBytes(100) + stringBytes(1));
  db.set("a", "z");
  db.overwrite("b", "w".repeat(40));
  assertEquals(keyspace.bytes, 2 * stringBytes(1) + stringBytes(1) + stringBytes(40));
  db.delete("a");
  db.delete("b");
  assertEquals(keyspace.bytes, 0);
  assertEquals(datasetBytes(keyspace), 0);
});

Deno.test("an object changed in place is sized again from the changed list", () => {
  const keyspace = keyspaceWith("noeviction");
  const db = keyspace.dbs[0]!;
  const hash = new HashObject();
  db.set("h", hash);
  const empty = datasetBytes(keyspace);
  const h = db.lookupWrite("h") as HashObject;
  for (let i = 0; i < 20; i++) {
    h.set(`field${i}`, "v".repeat(50), { maxEntries: 128, maxValue: 64 });
  }
  ok(datasetBytes(keyspace) > empty + 20 * 50);
  db.delete("h");
  assertEquals(datasetBytes(keyspace), 0);
});

Deno.test("allkeys-lru evicts the keys idle longest", () => {
  let time = 1_700_000_000_000;
  setTimeSource(() => time);
  try {
    const keyspace = keyspaceWith("allkeys-lru");
    const db = keyspace.dbs[0]!;
    for (let i = 0; i < 200; i++) db.set(`old:${i}`, "v".repeat(30));
    time += 10_000;
    tick();
    for (let i = 0; i < 200; i++) db.set(`new:${i}`, "v".repeat(30));
    const limit = usedMemory(keyspace) - 100 * (stringBytes(6) + stringBytes(30));
    ok(performEvictions(keyspace, limit));
    ok(usedMemory(keyspace) <= limit);
    let newKept = 0;
    for (let i = 0; i < 200; i++) if (db.dict.has(`new:${i}`)) newKept++;
    // Sampled LRU: nearly every eviction hits an old key.
    ok(newKept >= 190, `new keys kept: ${newKept}`);
    ok(keyspace.evictedKeys >= 100);
  } finally {
    setTimeSource();
  }
});

Deno.test("volatile-ttl evicts keys with an expire time only, soonest first", () => {
  const keyspace = keyspaceWith("volatile-ttl");
  const db = keyspace.dbs[0]!;
  for (let i = 0; i < 100; i++) db.set(`plain:${i}`, "v".repeat(30));
  for (let i = 0; i < 100; i++) {
    db.set(`ttl:${i}`, "v".repeat(30));
    db.setExpire(`ttl:${i}`, Date.now() + 1_000_000 + i * 1000);
  }
  const limit = usedMemory(keyspace) - 30 * (stringBytes(6) + stringBytes(30));
  ok(performEvictions(keyspace, limit));
  for (let i = 0; i < 100; i++) ok(db.dict.has(`plain:${i}`));
  let lateKept = 0;
  for (let i = 50; i < 100; i++) if (db.dict.has(`ttl:${i}`)) lateKept++;
  ok(lateKept >= 45, `late-expiring keys kept: ${lateKept}`);
  // Nothing left to evict: volatile policies fail once no key has a TTL.
  assertEquals(performEvictions(keyspace, 1), false);
  assertEquals(db.expires.size, 0);
});

Deno.test("noeviction refuses instead of evicting", () => {
  const keyspace = keyspaceWith("noeviction");
  keyspace.dbs[0]!.set("a", "b");
  assertEquals(performEvictions(keyspace, 1), false);
  assertEquals(keyspace.dbs[0]!.size, 1);
});

Deno.test("LFU counter: logarithmic growth from LFU_INIT_VAL, decay per idle period", () => {
  let counter = 5;
  for (let i = 0; i < 1000; i++) counter = lfuLogIncr(counter, 10);
  // Redis's table for factor 10: ~1k hits give a counter of about 18.
  ok(counter > 10 && counter < 30, `counter ${counter}`);
  assertEquals(lfuLogIncr(255, 10), 255);
  tick();
  const minutes = lfuTimeInMinutes();
  assertEquals(lfuDecrAndReturn((minutes << 8) | 20, 1), 20);
  assertEquals(lfuDecrAndReturn((((minutes - 3) & 65535) << 8) | 20, 1), 17);
  assertEquals(lfuDecrAndReturn((((minutes - 30) & 65535) << 8) | 20, 1), 0);
  ok(lruClock() <= (1 << 24) - 1);
});

Deno.test("a Map's estimate steps with V8's power-of-two capacity", () => {
  assertEquals(mapBytes(0), 0);
  ok(mapBytes(1) === mapBytes(4));
  assertEquals(mapBytes(1025) - mapBytes(1024), 2 * (mapBytes(1024) - mapBytes(512)));
});
