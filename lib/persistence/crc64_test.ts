import assert from "node:assert/strict";
import { Crc64, crc64 } from "./crc64.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("crc64 of '123456789' is the CRC-64/Jones check value Redis's crc64.c tests", () => {
  assert.equal(crc64(text("123456789")).value, 0xe9c6d914c4b8d9can);
});

Deno.test("crc64 of nothing is zero, and its bytes are little-endian", () => {
  assert.equal(crc64(new Uint8Array(0)).value, 0n);
  const bytes = crc64(text("123456789")).bytes();
  assert.deepEqual([...bytes], [0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9]);
});

Deno.test("crc64 updated piece by piece equals crc64 of the whole", () => {
  const data = new Uint8Array(10_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
  const running = new Crc64();
  for (let at = 0; at < data.length; at += 777) {
    running.update(data, at, Math.min(data.length, at + 777));
  }
  assert.equal(running.value, crc64(data).value);
  assert.equal(crc64(data, 100, 200).value, crc64(data.slice(100, 200)).value);
});
