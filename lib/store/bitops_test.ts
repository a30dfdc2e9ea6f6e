// Unit tests of the bit algorithms (lib/store/bitops.ts) against naive bit-by-bit versions.
import assert from "node:assert/strict";
import {
  bitpos,
  checkSignedOverflow,
  checkUnsignedOverflow,
  getSignedBitfield,
  getUnsignedBitfield,
  popcount,
  setBitfield,
} from "./bitops.ts";

function randomBytes(n: number, density: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n * 8; i++) if (Math.random() < density) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

const bitAt = (b: Uint8Array, i: number) => (b[i >> 3]! >> (7 - (i & 7))) & 1;

Deno.test("popcount equals a bit-by-bit count at any alignment", () => {
  const buffer = randomBytes(300, 0.4);
  for (let offset = 0; offset < 5; offset++) {
    const view = buffer.subarray(offset);
    for (const [start, end] of [[0, view.length], [1, 2], [3, 200], [7, 7], [0, 9]]) {
      let naive = 0;
      for (let i = start! * 8; i < end! * 8; i++) naive += bitAt(view, i);
      assert.equal(popcount(view, start!, end!), naive, `offset ${offset} [${start}, ${end})`);
    }
  }
});

Deno.test("bitpos finds the first matching bit in a bit range, or -1", () => {
  for (const density of [0, 0.02, 0.5, 0.98, 1]) {
    const bytes = randomBytes(40, density);
    for (let trial = 0; trial < 200; trial++) {
      const from = Math.floor(Math.random() * 320);
      const to = from + Math.floor(Math.random() * (320 - from));
      for (const bit of [0, 1] as const) {
        let naive = -1;
        for (let i = from; i <= to; i++) {
          if (bitAt(bytes, i) === bit) {
            naive = i;
            break;
          }
        }
        assert.equal(bitpos(bytes, from, to, bit), naive, `bit ${bit} in [${from}, ${to}]`);
      }
    }
  }
});

Deno.test("bit fields read back what was written, MSB first, without touching neighbours", () => {
  for (let trial = 0; trial < 2000; trial++) {
    const bytes = randomBytes(12, 0.5);
    const before = bytes.slice();
    const bits = 1 + Math.floor(Math.random() * 64);
    const offset = Math.floor(Math.random() * (96 - bits));
    const value = BigInt.asUintN(bits, BigInt(Math.floor(Math.random() * 2 ** 53)) << 11n);
    setBitfield(bytes, offset, bits, value);
    assert.equal(getUnsignedBitfield(bytes, offset, bits), value);
    assert.equal(getSignedBitfield(bytes, offset, bits), BigInt.asIntN(bits, value));
    for (let i = 0; i < 96; i++) {
      if (i < offset || i >= offset + bits) assert.equal(bitAt(bytes, i), bitAt(before, i));
      else assert.equal(bitAt(bytes, i), Number((value >> BigInt(offset + bits - 1 - i)) & 1n));
    }
  }
});

Deno.test("fields past the end of the bytes read as zeros", () => {
  assert.equal(getUnsignedBitfield(Uint8Array.of(0xff), 4, 8), 0xf0n);
  assert.equal(getSignedBitfield(Uint8Array.of(0x80), 0, 64), -(1n << 63n));
});

Deno.test("unsigned overflow: wrap, saturate, and where the limits are", () => {
  assert.deepEqual(checkUnsignedOverflow(250n, 10n, 8, "wrap"), { overflow: 1, limit: 4n });
  assert.deepEqual(checkUnsignedOverflow(250n, 10n, 8, "sat"), { overflow: 1, limit: 255n });
  assert.equal(checkUnsignedOverflow(250n, 5n, 8, "sat").overflow, 0);
  assert.deepEqual(checkUnsignedOverflow(3n, -4n, 8, "wrap"), { overflow: -1, limit: 255n });
  assert.deepEqual(checkUnsignedOverflow(3n, -4n, 8, "sat"), { overflow: -1, limit: 0n });
  // SET of a negative value: as a uint64 it is above every maximum.
  const minusOne = BigInt.asUintN(64, -1n);
  assert.deepEqual(checkUnsignedOverflow(minusOne, 0n, 63, "sat"), {
    overflow: 1,
    limit: (1n << 63n) - 1n,
  });
});

Deno.test("signed overflow: wrap sign-extends, saturate stops at min and max", () => {
  assert.deepEqual(checkSignedOverflow(100n, 100n, 8, "wrap"), { overflow: 1, limit: -56n });
  assert.deepEqual(checkSignedOverflow(100n, 100n, 8, "sat"), { overflow: 1, limit: 127n });
  assert.deepEqual(checkSignedOverflow(-100n, -100n, 8, "sat"), { overflow: -1, limit: -128n });
  assert.equal(checkSignedOverflow(-100n, -28n, 8, "sat").overflow, 0);
  const max = (1n << 63n) - 1n;
  assert.deepEqual(checkSignedOverflow(max, 1n, 64, "wrap"), { overflow: 1, limit: -max - 1n });
  assert.deepEqual(checkSignedOverflow(-max - 1n, -1n, 64, "sat"), {
    overflow: -1,
    limit: -max - 1n,
  });
  assert.deepEqual(checkSignedOverflow(0n, 0n, 1, "wrap"), { overflow: 0, limit: 0n });
  assert.deepEqual(checkSignedOverflow(1n, 0n, 1, "wrap"), { overflow: 1, limit: -1n });
});
