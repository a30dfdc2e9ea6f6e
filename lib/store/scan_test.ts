// Unit tests of SCAN cursors (lib/store/scan.ts): strtoul cursor parsing and walks that
// return every element present for the whole walk while the Map changes.
import assert from "node:assert/strict";
import { isValidCursor, parseCursor, ScanCursors } from "./scan.ts";

Deno.test("parseCursor follows Redis's strtoul rules", () => {
  assert.equal(parseCursor("0"), "0");
  assert.equal(parseCursor(""), "0");
  assert.equal(parseCursor("+0"), "0");
  assert.equal(parseCursor("-0"), "0");
  assert.equal(parseCursor("000123"), "123");
  assert.equal(parseCursor("+17"), "17");
  assert.equal(parseCursor("18446744073709551615"), "18446744073709551615");
  assert.equal(parseCursor("-1"), "18446744073709551615");
  assert.equal(parseCursor("-18446744073709551615"), "1");
  for (const bad of ["18446744073709551616", "-18446744073709551616", "+", "-", " 1", "1 "]) {
    assert.equal(parseCursor(bad), null, bad);
  }
  for (const bad of ["0x1", "1.0", "1e3", "abc", "\t1", "++1", "\u0661"]) {
    assert.equal(isValidCursor(bad), false, bad);
  }
});

function walk(cursors: ScanCursors<string>, map: Map<string, number>, count: number): string[] {
  const seen: string[] = [];
  let cursor = "0";
  do {
    const step = cursors.next(cursor, map, () => map.keys(), count);
    seen.push(...step.elements);
    cursor = step.cursor;
  } while (cursor !== "0");
  return seen;
}

Deno.test("a walk returns each element once, at most COUNT per step", () => {
  const cursors = new ScanCursors<string>();
  const map = new Map<string, number>();
  for (let i = 0; i < 95; i++) map.set(`k${i}`, i);
  const steps: number[] = [];
  let cursor = "0";
  const seen: string[] = [];
  do {
    const step = cursors.next(cursor, map, () => map.keys(), 10);
    steps.push(step.elements.length);
    seen.push(...step.elements);
    cursor = step.cursor;
  } while (cursor !== "0");
  assert.deepEqual(steps, [10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
  assert.deepEqual(seen, [...map.keys()]);
});

Deno.test("the step that takes the last element returns cursor 0", () => {
  const cursors = new ScanCursors<string>();
  const map = new Map([["a", 1], ["b", 2], ["c", 3]]);
  assert.deepEqual(cursors.next("0", map, () => map.keys(), 3), {
    elements: ["a", "b", "c"],
    cursor: "0",
  });
  assert.deepEqual(cursors.next("0", new Map(), () => new Map().keys(), 10), {
    elements: [],
    cursor: "0",
  });
});

Deno.test("elements present for the whole walk are returned despite churn", () => {
  const cursors = new ScanCursors<string>();
  const map = new Map<string, number>();
  for (let i = 0; i < 1000; i++) map.set(`stable${i}`, i);
  for (let i = 0; i < 1000; i++) map.set(`doomed${i}`, i);
  const seen = new Set<string>();
  let cursor = "0";
  let round = 0;
  do {
    const step = cursors.next(cursor, map, () => map.keys(), 17);
    for (const key of step.elements) seen.add(key);
    cursor = step.cursor;
    // Deleting many entries makes V8 shrink the table; iterators must survive that.
    for (let i = 0; i < 30; i++) map.delete(`doomed${round * 30 + i}`);
    for (let i = 0; i < 40; i++) map.set(`new${round}:${i}`, i);
    round++;
  } while (cursor !== "0" && round < 10_000);
  for (let i = 0; i < 1000; i++) assert.ok(seen.has(`stable${i}`), `stable${i} missing`);
  // New keys arrive faster than the walk takes them, yet it ends once the original
  // 2000 entries have been passed: 2000 / 17 steps.
  assert.equal(round, Math.ceil(2000 / 17));
});

Deno.test("an unknown cursor, or one over another source, starts a new walk", () => {
  const cursors = new ScanCursors<string>();
  const a = new Map([["a1", 1], ["a2", 2], ["a3", 3]]);
  const b = new Map([["b1", 1], ["b2", 2], ["b3", 3]]);
  const first = cursors.next("0", a, () => a.keys(), 1);
  assert.deepEqual(first.elements, ["a1"]);
  assert.deepEqual(cursors.next("424242", a, () => a.keys(), 10).elements, ["a1", "a2", "a3"]);
  assert.deepEqual(cursors.next(first.cursor, b, () => b.keys(), 10).elements, ["b1", "b2", "b3"]);
  // A cursor continues one walk once: reusing it starts over.
  assert.deepEqual(cursors.next(first.cursor, a, () => a.keys(), 10).elements, ["a1", "a2", "a3"]);
});

Deno.test("forget drops the walks over a source", () => {
  const cursors = new ScanCursors<string>();
  const a = new Map([["a1", 1], ["a2", 2], ["a3", 3]]);
  const step = cursors.next("0", a, () => a.keys(), 1);
  cursors.forget(a);
  assert.deepEqual(cursors.next(step.cursor, a, () => a.keys(), 1).elements, ["a1"]);
});

Deno.test("walks within the live limit continue where they stopped", () => {
  const cursors = new ScanCursors<string>();
  const map = new Map<string, number>();
  for (let i = 0; i < 50; i++) map.set(`k${i}`, i);
  assert.deepEqual(walk(cursors, map, 3), [...map.keys()]);
  const open: string[] = [];
  for (let i = 0; i < 100; i++) open.push(cursors.next("0", map, () => map.keys(), 1).cursor);
  for (const cursor of open) {
    assert.deepEqual(cursors.next(cursor, map, () => map.keys(), 1).elements, ["k1"]);
  }
});
