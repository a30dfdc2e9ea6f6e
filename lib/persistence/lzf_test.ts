import assert from "node:assert/strict";
import { lzfCompress, lzfDecompress } from "./lzf.ts";

function compress(input: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(input.length + 16);
  const n = lzfCompress(input, out, input.length - 4);
  return n === 0 ? null : out.slice(0, n);
}

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("LZF output equals Redis's for a run of one byte (DUMP of SET a100 'a'*100)", () => {
  // redis-server 7.0: DUMP of 100 'a' is c3 09 40 64 then these 9 bytes.
  assert.deepEqual([...compress(bytes("a".repeat(100)))!], [
    0x01,
    0x61,
    0x61,
    0xe0,
    0x57,
    0x00,
    0x01,
    0x61,
    0x61,
  ]);
});

Deno.test("LZF round-trips repetitive and random data of many sizes", () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (const size of [5, 21, 64, 100, 1000, 8192, 70_000]) {
    for (const alphabet of [2, 16, 256]) {
      const input = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        // Repeat earlier stretches now and then, so there are matches near and far.
        input[i] = i > 300 && rnd() < 0.5
          ? input[i - 1 - Math.floor(rnd() * 300)]!
          : Math.floor(rnd() * alphabet);
      }
      const packed = compress(input);
      if (packed === null) continue;
      assert.ok(packed.length <= size - 4, "compression saves at least 4 bytes");
      assert.deepEqual(lzfDecompress(packed, size), input, `size ${size}, alphabet ${alphabet}`);
    }
  }
});

Deno.test("LZF gives up on input it cannot shrink by 4 bytes", () => {
  const input = new Uint8Array(64);
  for (let i = 0; i < input.length; i++) input[i] = (i * 97) & 0xff;
  assert.equal(compress(input), null);
});

Deno.test("LZF decompression rejects corrupt data and a wrong length", () => {
  const packed = compress(bytes("abcabcabcabcabcabcabcabcabcabcabc"))!;
  assert.equal(lzfDecompress(packed, 32), null);
  assert.equal(lzfDecompress(packed, 34), null);
  // A back reference before the start of the output.
  assert.equal(lzfDecompress(Uint8Array.of(0x20, 0x05), 3), null);
  // A literal run longer than the input.
  assert.equal(lzfDecompress(Uint8Array.of(0x05, 0x61), 6), null);
});
