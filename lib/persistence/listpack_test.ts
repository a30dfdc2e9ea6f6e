import assert from "node:assert/strict";
import { listpack, ListpackBuilder, listpackEntries } from "./listpack.ts";

const hex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, "0")).join("");

Deno.test("listpack bytes equal Redis's (quicklist node of RPUSH a b 1 2 300 70000 -5)", () => {
  // From redis-server 7.0's DUMP of that list.
  const expected = "1c000000" + "0700" + "816102" + "816202" + "0101" + "0201" + "c12c02" +
    "f270110104" + "dffb02" + "ff";
  assert.equal(hex(listpack(["a", "b", "1", "2", "300", "70000", "-5"])), expected);
});

Deno.test("listpack integer encodings at every width boundary round-trip", () => {
  const values = [
    "0",
    "127",
    "128",
    "-1",
    "-4096",
    "4095",
    "4096",
    "-4097",
    "32767",
    "-32768",
    "32768",
    "8388607",
    "-8388608",
    "8388608",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
  ];
  const sizes = [1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 9, 9, 9];
  for (let i = 0; i < values.length; i++) {
    const lp = listpack([values[i]!]);
    // header 6 + entry + backlen 1 + end 1
    assert.equal(lp.length, 6 + sizes[i]! + 1 + 1, values[i]);
  }
  assert.deepEqual(listpackEntries(listpack(values)), values);
});

Deno.test("listpack keeps non-canonical numbers as strings", () => {
  const values = ["007", "+5", "-0", "1.5", " 1", "9223372036854775808", "", "-"];
  const lp = listpack(values);
  assert.deepEqual(listpackEntries(lp), values);
  // "-0" is a 2-byte string: 0x82 '-' '0' then backlen 3.
  assert.equal(hex(listpack(["-0"])), "0b000000" + "0100" + "822d3003" + "ff");
});

Deno.test("listpack strings of 6-bit, 12-bit and 32-bit lengths round-trip", () => {
  const values = [
    "",
    "x".repeat(63),
    "y".repeat(64),
    "z".repeat(4095),
    "w".repeat(4096),
    "\0\xff\x80",
  ];
  const built = new ListpackBuilder();
  for (const v of values) built.append(v);
  const lp = built.finish();
  assert.equal(built.size, lp.length);
  assert.deepEqual(listpackEntries(lp), values);
});

Deno.test("listpack count saturates at 65535 and still decodes every entry", () => {
  const values = Array.from({ length: 70_000 }, (_, i) => `e${i}`);
  const lp = listpack(values);
  assert.equal(lp[4]! | (lp[5]! << 8), 65535);
  assert.equal(listpackEntries(lp)!.length, 70_000);
});

Deno.test("listpackEntries rejects a wrong size, a missing end byte or a cut entry", () => {
  const lp = listpack(["hello", "world"]);
  const wrongSize = lp.slice();
  wrongSize[0]! += 1;
  assert.equal(listpackEntries(wrongSize), null);
  const noEnd = lp.slice();
  noEnd[noEnd.length - 1] = 0;
  assert.equal(listpackEntries(noEnd), null);
  const wrongCount = lp.slice();
  wrongCount[4] = 3;
  assert.equal(listpackEntries(wrongCount), null);
  assert.equal(listpackEntries(new Uint8Array(3)), null);
});
