import assert from "node:assert/strict";
import { intsetBytes, intsetMembers } from "./intset.ts";

const hex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, "0")).join("");

Deno.test("intset uses the narrowest width that holds its smallest and largest member", () => {
  assert.equal(hex(intsetBytes([1, 2, 3])), "0200000003000000" + "010002000300");
  assert.equal(intsetBytes([-5, 100000]).subarray(0, 4)[0], 4);
  assert.equal(intsetBytes([1, 9007199254740993n]).subarray(0, 4)[0], 8);
  assert.equal(intsetBytes([]).length, 8);
});

Deno.test("intset round-trips int16, int32 and int64 members (bigints beyond 2^53)", () => {
  for (
    const ints of [
      [-32768, 0, 32767],
      [-2147483648, 1, 2147483647],
      [-9223372036854775808n, -5, 9007199254740991, 9223372036854775807n],
    ]
  ) {
    assert.deepEqual(intsetMembers(intsetBytes(ints)), ints);
  }
});

Deno.test("intsetMembers rejects a bad width, a wrong size and members out of order", () => {
  const good = intsetBytes([1, 2, 3]);
  const badWidth = good.slice();
  badWidth[0] = 3;
  assert.equal(intsetMembers(badWidth), null);
  assert.equal(intsetMembers(good.subarray(0, good.length - 1)), null);
  assert.equal(intsetMembers(intsetBytes([3, 2, 1])), null);
  assert.equal(intsetMembers(intsetBytes([2, 2])), null);
});
