// Unit tests of byte-backed strings (lib/store/byte_string.ts) and how the keyspace hands them
// out: bit and HLL commands see the ByteString, everyone else a plain string.
import assert from "node:assert/strict";
import { Keyspace } from "./keyspace.ts";
import {
  bytesOf,
  ByteString,
  INLINE_MAX,
  lookupStringRead,
  lookupStringWrite,
  storeString,
} from "./byte_string.ts";

Deno.test("grow adds zero bytes and keeps the content", () => {
  const s = ByteString.from("ab\xff");
  s.grow(2);
  assert.equal(s.toString(), "ab\xff");
  s.grow(6);
  assert.equal(s.toString(), "ab\xff\0\0\0");
  s.buf[5] = 0x41;
  s.touched();
  assert.equal(s.toString(), "ab\xff\0\0A");
  // Bytes left in spare capacity never reappear when the string grows again.
  s.length = 4;
  s.grow(6);
  assert.equal(s.toString(), "ab\xff\0\0\0");
});

Deno.test("duplicate shares no bytes with the original", () => {
  const s = ByteString.from("x".repeat(5000));
  const copy = s.duplicate();
  s.buf[0] = 0x79;
  s.touched();
  assert.equal(copy.toString()[0], "x");
  assert.equal(s.toString()[0], "y");
});

Deno.test("bytesOf copies plain strings of any size exactly", () => {
  for (const n of [0, 1, 4095, 4096, 100000]) {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(i & 0xff);
    const bytes = bytesOf(s);
    assert.equal(bytes.length, n);
    assert.ok(bytes.every((b, i) => b === (i & 0xff)));
  }
});

Deno.test("short values are stored as plain raw strings, long ones as ByteStrings", () => {
  const db = new Keyspace(1).dbs[0]!;
  storeString(db, "short", ByteString.from("abc"), true);
  assert.equal(db.dict.get("short"), "abc");
  assert.equal(db.stringEncoding("short", "abc"), "raw");
  storeString(db, "long", ByteString.zeros(INLINE_MAX), true);
  assert.ok(db.dict.get("long") instanceof ByteString);
  assert.ok(lookupStringRead(db, "long") instanceof ByteString);
  assert.ok(lookupStringWrite(db, "long") instanceof ByteString);
});

Deno.test("other readers get the plain string, which then replaces the ByteString", () => {
  const db = new Keyspace(1).dbs[0]!;
  const value = ByteString.zeros(INLINE_MAX + 1);
  value.buf[0] = 0x61;
  storeString(db, "k", value, true);
  assert.equal(db.getString("k"), "a" + "\0".repeat(INLINE_MAX));
  assert.equal(typeof db.dict.get("k"), "string");
  assert.equal(db.stringEncoding("k", db.getString("k")!), "raw");
  storeString(db, "k", ByteString.zeros(INLINE_MAX + 1), false);
  assert.equal(typeof db.lookupWrite("k"), "string");
});
