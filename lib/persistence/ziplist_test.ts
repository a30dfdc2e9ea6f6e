import assert from "node:assert/strict";
import { ziplistEntries, zipmapPairs } from "./ziplist.ts";
import { ziplist, zipmap } from "../../tests/helpers/legacy_rdb.ts";

Deno.test("ziplist entries of every encoding decode to their text", () => {
  const entries = [
    "",
    "a",
    "x".repeat(63),
    "y".repeat(64),
    "z".repeat(16384),
    "0",
    "12",
    "13",
    "-128",
    "127",
    "-32768",
    "32767",
    "8388607",
    "-8388608",
    "2147483647",
    "-2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "007",
    "1.5",
  ];
  assert.deepEqual(ziplistEntries(ziplist(entries)), entries);
  assert.deepEqual(ziplistEntries(ziplist([])), []);
});

Deno.test("ziplist entries after a 254-byte entry use the 5-byte prevlen", () => {
  const entries = ["p".repeat(300), "after", "q".repeat(254), "1"];
  assert.deepEqual(ziplistEntries(ziplist(entries)), entries);
});

Deno.test("ziplistEntries rejects a wrong size or a cut entry", () => {
  const zl = ziplist(["hello", "world"]);
  const wrong = zl.slice();
  wrong[0]! += 1;
  assert.equal(ziplistEntries(wrong), null);
  const cut = zl.slice(0, zl.length - 3);
  cut[0] = cut.length;
  cut[cut.length - 1] = 0xff;
  assert.equal(ziplistEntries(cut), null);
});

Deno.test("zipmap pairs decode, free bytes skipped, long lengths included", () => {
  const pairs = ["f", "v", "long", "w".repeat(300), "k".repeat(260), "", "n", "123"];
  assert.deepEqual(zipmapPairs(zipmap(pairs)), pairs);
  assert.equal(zipmapPairs(Uint8Array.of(1, 5, 0x61)), null);
});
