import assert from "node:assert/strict";
import { ListObject, setListMaxListpackSize } from "./list.ts";

/** All elements, read through the iterator. */
function all(list: ListObject): string[] {
  const out: string[] = [];
  list.forRange(0, list.length, false, (e) => out.push(e));
  return out;
}

function allReversed(list: ListObject): string[] {
  const out: string[] = [];
  list.forRange(list.length - 1, list.length, true, (e) => out.push(e));
  return out;
}

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function element(rand: () => number): string {
  const r = rand();
  // Mostly short, some crossing the 1-, 2- and 5-byte length encodings, with every byte value.
  const len = r < 0.6
    ? Math.floor(rand() * 8)
    : r < 0.85
    ? 120 + Math.floor(rand() * 20)
    : r < 0.98
    ? 300 + Math.floor(rand() * 3000)
    : 16380 + Math.floor(rand() * 10);
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rand() * 256));
  return s;
}

function checkSame(list: ListObject, model: string[], step: string): void {
  assert.equal(list.length, model.length, `length after ${step}`);
  assert.deepEqual(all(list), model, `elements after ${step}`);
  assert.deepEqual(allReversed(list), [...model].reverse(), `reversed after ${step}`);
}

for (const fill of [-2, -1, 4, 1]) {
  Deno.test(`random operations match an array model (list-max-listpack-size ${fill})`, () => {
    setListMaxListpackSize(fill);
    try {
      const rand = rng(fill + 100);
      const list = new ListObject();
      const model: string[] = [];
      let multiNode = 0;
      for (let i = 0; i < 3000; i++) {
        const op = rand();
        let step: string;
        if (op < 0.3) {
          const e = element(rand);
          const head = rand() < 0.5;
          list.push(e, head);
          if (head) model.unshift(e);
          else model.push(e);
          step = "push";
        } else if (op < 0.45) {
          const head = rand() < 0.5;
          assert.equal(list.pop(head), head ? model.shift() : model.pop());
          step = "pop";
        } else if (op < 0.55) {
          const index = Math.floor(rand() * (model.length + 4)) - 2 -
            (rand() < 0.3 ? model.length : 0);
          const expected = model.at(index) ?? undefined;
          assert.equal(
            list.get(index),
            index >= -model.length && index < model.length ? expected : undefined,
          );
          step = "get";
        } else if (op < 0.62) {
          const index = Math.floor(rand() * (model.length + 2)) - 1;
          const e = element(rand);
          const ok = list.set(index, e);
          const norm = index < 0 ? index + model.length : index;
          assert.equal(ok, norm >= 0 && norm < model.length);
          if (ok) model[norm] = e;
          step = "set";
        } else if (op < 0.7) {
          const pivot = model.length > 0 && rand() < 0.8
            ? model[Math.floor(rand() * model.length)]!
            : "absent-pivot";
          const e = element(rand);
          const after = rand() < 0.5;
          const at = model.indexOf(pivot);
          assert.equal(list.insert(pivot, e, after), at >= 0);
          if (at >= 0) model.splice(after ? at + 1 : at, 0, e);
          step = "insert";
        } else if (op < 0.78) {
          const target = model.length > 0 && rand() < 0.7
            ? model[Math.floor(rand() * model.length)]!
            : "";
          const count = Math.floor(rand() * 5) - 2;
          let left = count === 0 ? Infinity : Math.abs(count);
          let removed = 0;
          if (count < 0) {
            for (let j = model.length - 1; j >= 0 && left > 0; j--) {
              if (model[j] === target) {
                model.splice(j, 1);
                removed++;
                left--;
              }
            }
          } else {
            for (let j = 0; j < model.length && left > 0;) {
              if (model[j] === target) {
                model.splice(j, 1);
                removed++;
                left--;
              } else j++;
            }
          }
          assert.equal(list.remove(target, count), removed);
          step = "remove";
        } else if (op < 0.82) {
          const k = Math.floor(rand() * 10);
          const head = rand() < 0.5;
          list.deleteRange(k, head);
          if (head) model.splice(0, k);
          else model.splice(Math.max(0, model.length - k), k);
          step = "deleteRange";
        } else if (op < 0.88) {
          const copy = list.duplicate();
          assert.deepEqual(all(copy), model);
          copy.push("only in the copy", true);
          step = "duplicate";
        } else {
          // Bulk pushes so the list crosses many nodes.
          for (let j = 0; j < 50; j++) {
            const e = String(i * 100 + j);
            list.push(e, false);
            model.push(e);
          }
          step = "bulk push";
        }
        if (list.q !== null) multiNode++;
        if (i % 50 === 0 || model.length < 5) checkSame(list, model, `${i}: ${step}`);
      }
      checkSame(list, model, "the end");
      // Most steps ran on a list spread over several nodes.
      assert.ok(multiNode > 1500, `only ${multiNode} steps on several nodes`);
    } finally {
      setListMaxListpackSize(-2);
    }
  });
}

Deno.test("a million pushes and pops at both ends keep order", () => {
  const list = new ListObject();
  for (let i = 0; i < 500_000; i++) {
    list.push(String(i), false);
    list.push(String(-i), true);
  }
  assert.equal(list.length, 1_000_000);
  assert.equal(list.get(0), "-499999");
  assert.equal(list.get(-1), "499999");
  assert.equal(list.get(500_000), "0");
  const head: string[] = [];
  list.forRange(0, 3, false, (e) => head.push(e));
  assert.deepEqual(head, ["-499999", "-499998", "-499997"]);
  for (let i = 499_999; i >= 0; i--) {
    assert.equal(list.pop(false), String(i));
    assert.equal(list.pop(true), String(-i));
  }
  assert.equal(list.length, 0);
  assert.equal(list.pop(true), undefined);
});

Deno.test("elements of every byte value and length class round-trip", () => {
  const list = new ListObject();
  const lengths = [0, 1, 127, 128, 0x3fff, 0x4000, 100_000];
  const values = lengths.map((n) => {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode((i * 37 + n) & 0xff);
    return s;
  });
  for (const v of values) list.push(v, false);
  assert.deepEqual(all(list), values);
  assert.deepEqual(allReversed(list), [...values].reverse());
  values.forEach((v, i) => assert.equal(list.get(i), v));
  assert.equal(list.encoding(), "quicklist");
});

Deno.test("iterator equals compares without copying", () => {
  const list = new ListObject();
  for (const e of ["a", "bb", "a", "ccc"]) list.push(e, false);
  const it = list.iterator(0, false);
  const matches: boolean[] = [];
  while (it.next()) matches.push(it.equals("a"));
  assert.deepEqual(matches, [true, false, true, false]);
});
