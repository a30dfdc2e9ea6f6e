// Unit tests of the sorted set store (lib/store/zset.ts): both encodings against a plain sorted
// array model under random operations, the B+tree's invariants through splits and merges,
// encoding conversions at the thresholds, range bounds and -0.
import assert from "node:assert/strict";
import { ScoreTree, Zset, type ZsetLimits } from "./zset.ts";

const LISTPACK: ZsetLimits = { maxEntries: 128, maxValue: 64 };
const ALWAYS_BIG: ZsetLimits = { maxEntries: 0, maxValue: 64 };

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

type Entry = [string, number];

function modelSort(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function contents(z: Zset): Entry[] {
  const out: Entry[] = [];
  z.forRange(0, z.size, false, (m, s) => out.push([m, s]));
  return out;
}

/** Random inserts, updates, removes and range deletes, checked against the model. */
function fuzz(seed: number, limits: ZsetLimits, ops: number, memberSpace: number): void {
  const random = rng(seed);
  const z = new Zset();
  const model = new Map<string, number>();
  for (let op = 0; op < ops; op++) {
    const member = "m" + Math.floor(random() * memberSpace);
    // Few distinct scores, so ties ordered by member are common.
    const score = Math.floor(random() * 50) - 25;
    const what = random();
    if (what < 0.5) {
      if (model.has(member)) z.update(member, score);
      else z.insert(member, score, limits);
      model.set(member, score);
    } else if (what < 0.9) {
      assert.equal(z.remove(member), model.delete(member));
    } else if (what < 0.93 && z.size > 0) {
      const start = Math.floor(random() * z.size);
      const count = Math.min(z.size - start, Math.floor(random() * 40));
      const sorted = modelSort([...model]);
      for (const [m] of sorted.slice(start, start + count)) model.delete(m);
      assert.equal(z.deleteRange(start, count), count);
    }
    if (op % 97 === 0 || op === ops - 1) {
      z.check();
      const expected = modelSort([...model]);
      assert.deepEqual(contents(z), expected);
      for (let i = 0; i < expected.length; i += 7) {
        const [m, s] = expected[i]!;
        assert.equal(z.rank(m), i);
        assert.equal(z.score(m), s);
        assert.equal(z.memberAt(i), m);
        assert.equal(z.scoreAt(i), s);
      }
      for (const bound of [-30, -3, 0, 7.5, 30]) {
        assert.equal(z.countScoreBelow(bound, false), expected.filter(([, s]) => s < bound).length);
        assert.equal(z.countScoreBelow(bound, true), expected.filter(([, s]) => s <= bound).length);
      }
    }
  }
}

Deno.test("a listpack zset matches a sorted array model under random operations", () => {
  fuzz(1, LISTPACK, 3000, 100);
});

Deno.test("a skiplist zset matches the model through leaf and inner splits and merges", () => {
  for (let seed = 2; seed < 4; seed++) fuzz(seed, ALWAYS_BIG, 30_000, 15_000);
});

Deno.test("a tree shrinks back to one leaf when emptied, and keeps working", () => {
  const z = new Zset();
  for (let i = 0; i < 50_000; i++) z.insert("m" + i, i, ALWAYS_BIG);
  z.check();
  for (let i = 0; i < 50_000; i += 2) assert.ok(z.remove("m" + i));
  z.check();
  for (let i = 1; i < 50_000; i += 2) assert.ok(z.remove("m" + i));
  z.check();
  assert.equal(z.size, 0);
  z.insert("again", 1, ALWAYS_BIG);
  assert.deepEqual(contents(z), [["again", 1]]);
  assert.equal(z.encoding(), "skiplist");
});

Deno.test("ranges walk across leaves in both directions", () => {
  const members = Array.from({ length: 1000 }, (_, i) => "m" + String(i).padStart(4, "0"));
  const scores = members.map((_, i) => i);
  const z = Zset.fromSorted(members.slice(), scores.slice(), LISTPACK);
  assert.equal(z.encoding(), "skiplist");
  const forward: string[] = [];
  z.forRange(95, 300, false, (m) => forward.push(m));
  assert.deepEqual(forward, members.slice(95, 395));
  const backward: string[] = [];
  z.forRange(500, 300, true, (m) => backward.push(m));
  assert.deepEqual(backward, members.slice(201, 501).reverse());
});

Deno.test("the encoding converts once past zset-max-listpack-entries or -value", () => {
  const z = new Zset();
  for (let i = 0; i < 128; i++) z.insert("m" + i, i, LISTPACK);
  assert.equal(z.encoding(), "listpack");
  z.insert("m128", 128, LISTPACK);
  assert.equal(z.encoding(), "skiplist");
  z.check();
  // Redis never converts back when elements go.
  for (let i = 0; i < 120; i++) z.remove("m" + i);
  assert.equal(z.encoding(), "skiplist");

  const long = new Zset();
  long.insert("x".repeat(64), 1, LISTPACK);
  assert.equal(long.encoding(), "listpack");
  long.insert("y".repeat(65), 2, LISTPACK);
  assert.equal(long.encoding(), "skiplist");
  assert.deepEqual(contents(long), [["x".repeat(64), 1], ["y".repeat(65), 2]]);
});

Deno.test("fromSorted picks the encoding from the content", () => {
  assert.equal(Zset.fromSorted(["a"], [1], LISTPACK).encoding(), "listpack");
  assert.equal(Zset.fromSorted(["a".repeat(65)], [1], LISTPACK).encoding(), "skiplist");
  const many = Array.from({ length: 129 }, (_, i) => "m" + String(i).padStart(3, "0"));
  assert.equal(Zset.fromSorted(many, many.map(() => 0), LISTPACK).encoding(), "skiplist");
});

Deno.test("duplicate copies the elements and the encoding, sharing nothing", () => {
  for (const limits of [LISTPACK, ALWAYS_BIG]) {
    const z = new Zset();
    for (let i = 0; i < 10; i++) z.insert("m" + i, i, limits);
    const copy = z.duplicate();
    assert.equal(copy.encoding(), z.encoding());
    copy.update("m0", 100);
    copy.remove("m1");
    assert.equal(z.score("m0"), 0);
    assert.equal(z.size, 10);
    assert.deepEqual(contents(copy).map(([m]) => m), [
      "m2",
      "m3",
      "m4",
      "m5",
      "m6",
      "m7",
      "m8",
      "m9",
      "m0",
    ]);
    copy.check();
  }
});

Deno.test("-0 ties with 0 by member; only the skiplist form keeps its sign", () => {
  for (const limits of [LISTPACK, ALWAYS_BIG]) {
    const z = new Zset();
    z.insert("b", 0, limits);
    z.insert("a", -0, limits);
    z.insert("c", -0, limits);
    assert.deepEqual(contents(z).map(([m]) => m), ["a", "b", "c"]);
    assert.ok(Object.is(z.score("a"), limits === LISTPACK ? 0 : -0));
    z.update("b", -0);
    assert.ok(Object.is(z.score("b"), limits === LISTPACK ? 0 : -0));
    assert.equal(z.countScoreBelow(0, false), 0);
    assert.equal(z.countScoreBelow(-0, true), 3);
  }
});

Deno.test("lex ranges over equal scores, in both encodings", () => {
  const members = ["a", "aa", "b", "c", "d"];
  for (const limits of [LISTPACK, ALWAYS_BIG]) {
    const z = new Zset();
    for (const m of members) z.insert(m, 0, limits);
    assert.deepEqual(z.lexRange(null, false, null, false), [0, 5]);
    assert.deepEqual(z.lexRange("a", false, "b", false), [0, 3]);
    assert.deepEqual(z.lexRange("a", true, "b", true), [1, 2]);
    assert.deepEqual(z.lexRange("aa", true, null, false), [2, 5]);
    assert.deepEqual(z.lexRange(null, false, "a", true), [0, 0]);
    assert.deepEqual(z.lexRange("e", false, null, false), [5, 5]);
  }
});

Deno.test("ScoreTree.build makes a valid tree of any size", () => {
  for (const n of [0, 1, 95, 96, 97, 4607, 4608, 4609, 100_000]) {
    const members = Array.from({ length: n }, (_, i) => "m" + String(i).padStart(6, "0"));
    const tree = ScoreTree.build(members, members.map(() => 1));
    tree.check();
    assert.equal(tree.size, n);
    if (n > 0) assert.equal(tree.memberAt(n - 1), members[n - 1]);
  }
});

Deno.test("random deletes from a deep tree merge leaves and inner nodes", () => {
  const random = rng(7);
  const z = new Zset();
  const live: string[] = [];
  for (let i = 0; i < 60_000; i++) {
    const m = "k" + i;
    z.insert(m, Math.floor(random() * 1000), ALWAYS_BIG);
    live.push(m);
  }
  z.check();
  let ops = 0;
  while (live.length > 500) {
    const at = Math.floor(random() * live.length);
    const m = live[at]!;
    live[at] = live[live.length - 1]!;
    live.pop();
    assert.ok(z.remove(m));
    if (++ops % 9973 === 0) z.check();
  }
  z.check();
  assert.equal(z.size, 500);
});

Deno.test("a listpack tells members from bytes inside other members and scores", () => {
  const random = rng(11);
  const limits: ZsetLimits = { maxEntries: 128, maxValue: 1000 };
  const alphabet = "ab\x00\xff\x80\x7f";
  const z = new Zset();
  const model = new Map<string, number>();
  const word = () => {
    // Mostly short members made of few bytes, sometimes long ones with 2-char length headers.
    const n = random() < 0.1 ? 120 + Math.floor(random() * 200) : Math.floor(random() * 4);
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  };
  for (let op = 0; op < 3000; op++) {
    const member = word();
    // Scores whose bytes include the alphabet's (0, 0x7f, 0x80, 0xff).
    const score = [
      0,
      -1,
      1.5,
      Infinity,
      -Infinity,
      2 ** -1074,
      127,
      128,
    ][Math.floor(random() * 8)]!;
    if (random() < 0.6) {
      if (model.has(member)) z.update(member, score);
      else if (model.size < 128) z.insert(member, score, limits);
      else continue;
      model.set(member, score);
    } else {
      assert.equal(z.remove(member), model.delete(member));
    }
    assert.equal(z.encoding(), "listpack");
    assert.equal(z.score(member), model.get(member));
    if (op % 50 === 0) {
      z.check();
      const expected = modelSort([...model]);
      assert.deepEqual(contents(z), expected);
      for (const [i, [m]] of expected.entries()) assert.equal(z.rank(m), i);
    }
  }
});
