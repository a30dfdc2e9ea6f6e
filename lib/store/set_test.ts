// Unit tests of the set type (lib/store/set.ts): intset order and int64 range, conversions,
// O(1) removal by position, and a random walk checked against a JS Set.
import assert from "node:assert/strict";
import { SetObject } from "./set.ts";

const members = (s: SetObject) => Array.from({ length: s.size }, (_, i) => s.at(i));

Deno.test("an intset keeps canonical int64 members in ascending order", () => {
  const s = SetObject.intset();
  for (const m of ["5", "-1", "9223372036854775807", "0", "-9223372036854775808", "5", "42"]) {
    s.add(m, 512);
  }
  assert.equal(s.encoding(), "intset");
  assert.deepEqual(members(s), [
    "-9223372036854775808",
    "-1",
    "0",
    "5",
    "42",
    "9223372036854775807",
  ]);
  assert.equal(s.has("9223372036854775807"), true);
  assert.equal(s.has("05"), false);
  assert.equal(s.has("-0"), false);
  assert.equal(s.has("x"), false);
  assert.equal(s.remove("05"), false);
  assert.equal(s.remove("-9223372036854775808"), true);
  assert.equal(s.size, 5);
  assert.equal(s.encoding(), "intset");
});

Deno.test("an intset converts at a non-integer member and past its size limit", () => {
  const a = SetObject.forMember("1");
  a.add("1", 512);
  a.add("2", 512);
  assert.equal(a.add("01", 512), true);
  assert.equal(a.encoding(), "hashtable");
  assert.deepEqual(members(a).sort(), ["01", "1", "2"]);
  assert.equal(a.has("2"), true);
  const b = SetObject.intset();
  for (let i = 0; i < 3; i++) b.add(String(i), 3);
  assert.equal(b.encoding(), "intset");
  b.add("3", 3);
  assert.equal(b.encoding(), "hashtable");
  assert.equal(SetObject.forMember("x").encoding(), "hashtable");
  assert.equal(SetObject.forMember("-7").encoding(), "intset");
});

Deno.test("removeAt is O(1) for a hashtable: the last member moves in", () => {
  const s = SetObject.hashtable();
  for (let i = 0; i < 100; i++) s.add(`m${i}`, 512);
  assert.equal(s.index !== null, true);
  assert.equal(s.removeAt(10), "m10");
  assert.equal(s.at(10), "m99");
  assert.equal(s.has("m99"), true);
  assert.equal(s.has("m10"), false);
  assert.equal(s.remove("m99"), true);
  assert.equal(s.size, 98);
  assert.equal(s.has("m98"), true);
});

Deno.test("duplicate shares nothing with the original", () => {
  for (const first of ["1", "a", "x"]) {
    const s = SetObject.forMember(first);
    for (let i = 0; i < (first === "x" ? 40 : 3); i++) s.add(first === "1" ? `${i}` : `a${i}`, 512);
    const copy = s.duplicate();
    copy.add("new", 512);
    copy.remove(copy.at(0));
    assert.equal(s.has("new"), false);
    assert.equal(s.size, first === "x" ? 40 : 3);
    assert.equal(copy.size, s.size);
  }
});

Deno.test("random operations agree with a JS Set in every encoding", () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (const [kind, max] of [["int", 512], ["int", 20], ["str", 512]] as const) {
    const s = SetObject.intset();
    const model = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      const m = kind === "int" ? String(rand(80) - 40) : `m${rand(80)}`;
      const op = rand(4);
      if (op === 0) {
        assert.equal(s.add(m, max), !model.has(m));
        model.add(m);
      } else if (op === 1) {
        assert.equal(s.remove(m), model.delete(m));
      } else if (op === 2 && s.size > 0) {
        const popped = s.removeAt(s.randomPosition());
        assert.equal(model.delete(popped), true);
      } else {
        assert.equal(s.has(m), model.has(m));
      }
      assert.equal(s.size, model.size);
    }
    assert.deepEqual(members(s).sort(), [...model].sort());
    if (s.ints !== null) {
      const ints = members(s).map(BigInt);
      assert.deepEqual(ints, [...ints].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  }
});
