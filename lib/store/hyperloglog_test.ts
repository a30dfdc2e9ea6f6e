// Unit tests of the HyperLogLog store (lib/store/hyperloglog.ts): the hash against a BigInt
// reference, sparse and dense encodings agreeing, the estimate's error, corrupt data.
import assert from "node:assert/strict";
import { ByteString } from "./byte_string.ts";
import {
  createHll,
  decodeSparse,
  denseRegisters,
  hashHi,
  hashLo,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllAdd,
  hllCount,
  hllCountRaw,
  hllMerge,
  hllSparseToDense,
  isValidHll,
  murmurHash64A,
} from "./hyperloglog.ts";

/** MurmurHash64A written directly from its definition with 64-bit BigInt arithmetic. */
function referenceHash(key: string): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  let h = (0xadc83b19n ^ (BigInt(key.length) * m)) & mask;
  const blocks = key.length - (key.length & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(key.charCodeAt(i + j));
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = key.length & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(key.charCodeAt(blocks + j)) << BigInt(j * 8);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

Deno.test("murmurHash64A on 32-bit halves equals the 64-bit definition", () => {
  for (let len = 0; len < 40; len++) {
    for (let trial = 0; trial < 20; trial++) {
      let key = "";
      for (let i = 0; i < len; i++) key += String.fromCharCode(Math.floor(Math.random() * 256));
      murmurHash64A(key);
      const ours = (BigInt(hashHi) << 32n) | BigInt(hashLo);
      assert.equal(ours, referenceHash(key), JSON.stringify(key));
    }
  }
});

Deno.test("a new HLL is sparse, valid, all zero and counts 0", () => {
  const hll = createHll();
  assert.equal(hll.length, 18);
  assert.ok(isValidHll(hll.bytes));
  assert.equal(hll.buf[4], HLL_SPARSE);
  assert.equal(decodeSparse(hll.bytes), "Z:16384");
  assert.equal(hllCount(hll.bytes), 0);
});

Deno.test("sparse and dense encodings of the same elements agree; promotion keeps registers", () => {
  const sparse = createHll();
  const dense = createHll();
  assert.ok(hllSparseToDense(dense));
  assert.equal(dense.length, HLL_DENSE_SIZE);
  let promoted = false;
  for (let i = 0; i < 20000; i++) {
    const ele = `e${i}`;
    assert.equal(hllAdd(sparse, ele, 3000), hllAdd(dense, ele, 3000));
    if (i % 997 === 0 || (!promoted && sparse.buf[4] === HLL_DENSE)) {
      promoted = sparse.buf[4] === HLL_DENSE;
      assert.equal(hllCount(sparse.bytes), hllCount(dense.bytes), `after ${i + 1}`);
    }
    if (sparse.buf[4] === HLL_SPARSE) assert.ok(sparse.length <= 3000);
  }
  assert.ok(promoted, "20000 elements outgrow 3000 sparse bytes");
  assert.deepEqual(denseRegisters(sparse.buf), denseRegisters(dense.buf));
});

Deno.test("estimates stay within a few standard errors", () => {
  const hll = createHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 10;
  for (let i = 1; i <= 200000; i++) {
    hllAdd(hll, `x:${i}`, 3000);
    if (i === checkpoint) {
      const error = Math.abs(hllCount(hll.bytes) - i);
      assert.ok(error <= Math.max(1, Math.ceil(relerr * 6 * i)), `count at ${i}: error ${error}`);
      checkpoint *= 2;
    }
  }
});

Deno.test("merging registers equals counting the union", () => {
  const a = createHll(), b = createHll(), both = createHll();
  for (let i = 0; i < 3000; i++) {
    hllAdd(i % 2 === 0 ? a : b, `m${i}`, 3000);
    hllAdd(both, `m${i}`, 3000);
  }
  const max = new Uint8Array(HLL_REGISTERS);
  assert.ok(hllMerge(max, a.bytes));
  assert.ok(hllMerge(max, b.bytes));
  assert.equal(hllCountRaw(max), hllCount(both.bytes));
});

Deno.test("corrupt sparse data is reported, not trusted", () => {
  const header = [72, 89, 76, 76, HLL_SPARSE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  // XZERO of 16383 registers: one short.
  const short = new ByteString(Uint8Array.from([...header, 0x7f, 0xfe]), 18);
  assert.equal(hllCount(short.bytes), -1);
  assert.equal(hllMerge(new Uint8Array(HLL_REGISTERS), short.bytes), false);
  assert.equal(hllSparseToDense(short), false);
  assert.ok(!isValidHll(Uint8Array.from([72, 89, 76, 76, 2, ...header.slice(5)])));
  assert.ok(!isValidHll(Uint8Array.from([72, 89, 76, 76, HLL_DENSE, ...header.slice(5)])));
});
