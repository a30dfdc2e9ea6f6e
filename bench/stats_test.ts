// Tests for bench/stats.ts.
import assert from "node:assert/strict";
import { geomean, median } from "./stats.ts";

Deno.test("median takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("geomean of ratios is the n-th root of their product", () => {
  assert.ok(Math.abs(geomean([0.5, 2]) - 1) < 1e-12);
  assert.ok(Math.abs(geomean([1, 4, 16]) - 4) < 1e-12);
  assert.ok(Number.isNaN(geomean([])));
});
