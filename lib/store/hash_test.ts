// Unit tests of the hash type (lib/store/hash.ts): the packed listpack, conversions to the
// hashtable, and a random walk checked against a Map.
import assert from "node:assert/strict";
import { type HashLimits, HashObject } from "./hash.ts";
import { collectionCursors } from "./scan.ts";

const LIMITS: HashLimits = { maxEntries: 512, maxValue: 64 };
const WIDE: HashLimits = { maxEntries: 512, maxValue: 1 << 30 };

Deno.test("a listpack keeps insertion order; deletes close the gap, updates stay in place", () => {
  const h = new HashObject();
  for (const [f, v] of [["z", "1"], ["y", "2"], ["x", "3"], ["w", "4"]]) {
    assert.equal(h.set(f!, v!, LIMITS), true);
  }
  assert.equal(h.set("y", "22", LIMITS), false);
  assert.equal(h.delete("x"), true);
  assert.equal(h.delete("x"), false);
  h.set("x", "33", LIMITS);
  assert.deepEqual(h.pairs(), ["z", "1", "y", "22", "w", "4", "x", "33"]);
  assert.equal(h.size, 4);
  assert.equal(h.encoding(), "listpack");
  assert.equal(h.get("w"), "4");
  assert.equal(h.get("nope"), undefined);
  assert.equal(h.valueLength("y"), 2);
  assert.equal(h.valueLength("nope"), 0);
});

Deno.test("listpack entries of any length and any bytes round-trip", () => {
  const h = new HashObject();
  const lengths = [0, 1, 127, 128, 129, 16383, 16384, 16385, 70000];
  const byte = (i: number) => String.fromCharCode((i * 37 + 128) % 256);
  const text = (n: number, seed: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += byte(i + seed);
    return s;
  };
  for (const [i, n] of lengths.entries()) {
    h.set(`f${n}` + text(n, i), text(n, i + 1), WIDE);
    h.set(text(i, 3), "", WIDE);
  }
  assert.equal(h.encoding(), "listpack");
  for (const [i, n] of lengths.entries()) {
    assert.equal(h.get(`f${n}` + text(n, i)), text(n, i + 1));
    assert.equal(h.valueLength(`f${n}` + text(n, i)), n);
    assert.equal(h.get(text(i, 3)), "");
  }
  // A field that is a prefix of another, or starts like a length header, is still told apart.
  h.set("\x80", "a", WIDE);
  h.set("\x80\x01", "b", WIDE);
  assert.equal(h.get("\x80"), "a");
  assert.equal(h.get("\x80\x01"), "b");
  assert.equal(h.get("\x80\x01\x00"), undefined);
});

Deno.test("a listpack converts after maxEntries pairs and before a long field or value", () => {
  const limits: HashLimits = { maxEntries: 3, maxValue: 4 };
  const h = new HashObject();
  h.set("a", "1", limits);
  h.set("b", "1234", limits);
  h.set("c", "3", limits);
  assert.equal(h.encoding(), "listpack");
  h.set("a", "again", limits); // a longer value, even for an existing field
  assert.equal(h.encoding(), "hashtable");
  const g = new HashObject();
  g.set("a", "1", limits);
  g.set("b", "2", limits);
  g.set("c", "3", limits);
  g.set("d", "4", limits);
  assert.equal(g.encoding(), "hashtable");
  assert.deepEqual(g.pairs(), ["a", "1", "b", "2", "c", "3", "d", "4"]);
  const k = new HashObject();
  k.set("12345", "1", limits);
  assert.equal(k.encoding(), "hashtable");
});

Deno.test("a hashtable moves the last pair into a deleted slot", () => {
  const h = new HashObject();
  for (let i = 0; i < 5; i++) h.set(`f${i}`, `v${i}`, LIMITS);
  h.convert();
  assert.equal(h.delete("f1"), true);
  assert.deepEqual(h.pairs(), ["f0", "v0", "f4", "v4", "f2", "v2", "f3", "v3"]);
  assert.equal(h.get("f4"), "v4");
  assert.equal(h.delete("f3"), true);
  assert.equal(h.delete("f3"), false);
  assert.deepEqual(h.pairs(), ["f0", "v0", "f4", "v4", "f2", "v2"]);
  assert.equal(h.table!.index.get("f2"), 4);
});

Deno.test("duplicate shares nothing with the original", () => {
  for (const convert of [false, true]) {
    const h = new HashObject();
    h.set("a", "1", LIMITS);
    h.set("b", "2", LIMITS);
    if (convert) h.convert();
    const copy = h.duplicate();
    copy.set("a", "changed", LIMITS);
    copy.delete("b");
    assert.equal(h.get("a"), "1");
    assert.equal(h.get("b"), "2");
    assert.equal(copy.encoding(), h.encoding());
  }
});

Deno.test("random operations agree with a Map in both encodings", () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (const limits of [LIMITS, { maxEntries: 40, maxValue: 64 }]) {
    const h = new HashObject();
    const model = new Map<string, string>();
    for (let step = 0; step < 20_000; step++) {
      const field = `f${rand(60)}`;
      const op = rand(3);
      if (op === 0) {
        const value = "v".repeat(rand(5)) + step;
        assert.equal(h.set(field, value, limits), !model.has(field));
        model.set(field, value);
      } else if (op === 1) {
        assert.equal(h.delete(field), model.delete(field));
      } else {
        assert.equal(h.get(field), model.get(field));
      }
      assert.equal(h.size, model.size);
    }
    const pairs = h.pairs();
    const seen = new Map<string, string>();
    for (let i = 0; i < pairs.length; i += 2) seen.set(pairs[i]!, pairs[i + 1]!);
    assert.deepEqual([...seen].sort(), [...model].sort());
  }
});

Deno.test("collectionCursors keeps one registry per collection", () => {
  const a = new HashObject(), b = new HashObject();
  assert.equal(collectionCursors(a), collectionCursors(a));
  assert.notEqual(collectionCursors(a), collectionCursors(b));
  const map = new Map<string, number>();
  for (let i = 0; i < 30; i++) map.set(`k${i}`, i);
  const cursors = collectionCursors<string>(a);
  const first = cursors.next("0", map, () => map.keys(), 10);
  assert.equal(first.elements.length, 10);
  // Another collection does not know the cursor: it starts over instead of continuing.
  const other = collectionCursors<string>(b).next(first.cursor, map, () => map.keys(), 10);
  assert.deepEqual(other.elements, first.elements);
  const second = cursors.next(first.cursor, map, () => map.keys(), 10);
  assert.deepEqual(second.elements, [...map.keys()].slice(10, 20));
});
