import assert from "node:assert/strict";
import { decodeShort, latin1, SHORT_MAX, toBytes } from "./bytes.ts";

Deno.test("decodeShort equals the latin1 decoding at every length and offset", () => {
  const bytes = new Uint8Array(256 + SHORT_MAX);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 255;
  for (let n = 0; n <= SHORT_MAX; n++) {
    for (let at = 0; at + n <= bytes.length; at += 5) {
      const got = decodeShort(bytes, at, n);
      assert.equal(got, latin1(bytes, at, at + n));
      assert.deepEqual(toBytes(got), bytes.subarray(at, at + n));
    }
  }
});

Deno.test("decodeShort reads no byte past its range", () => {
  // The range ends the buffer: a read past it would give undefined, decoded as "\0".
  for (let n = 1; n <= SHORT_MAX; n++) {
    const bytes = new Uint8Array(n).fill(255);
    assert.equal(decodeShort(bytes, 0, n), "\xff".repeat(n));
  }
});
