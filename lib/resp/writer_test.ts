// Unit tests of the reply encoder: RESP2 and RESP3 framing of every reply type, as Redis's
// addReply* functions (networking.c) put them on the wire.
import assert from "node:assert/strict";
import { type Protocol, ReplyWriter } from "./writer.ts";

/** The writer's bytes as a byte string. */
function text(w: ReplyWriter): string {
  let s = "";
  for (const b of w.bytes()) s += String.fromCharCode(b);
  return s;
}

/** Encodes with a fresh writer of the given protocol. */
function encode(resp: Protocol, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.resp = resp;
  write(w);
  return text(w);
}

const both = (write: (w: ReplyWriter) => void): [string, string] => [
  encode(2, write),
  encode(3, write),
];

Deno.test("status, error and integer replies", () => {
  assert.equal(encode(2, (w) => w.ok()), "+OK\r\n");
  assert.equal(encode(2, (w) => w.simple("PONG")), "+PONG\r\n");
  assert.equal(encode(2, (w) => w.queued()), "+QUEUED\r\n");
  assert.equal(encode(2, (w) => w.error("ERR bad")), "-ERR bad\r\n");
  const ints: [number | bigint, string][] = [
    [0, ":0"],
    [1, ":1"],
    [-1, ":-1"],
    [9, ":9"],
    [10, ":10"],
    [-10, ":-10"],
    [12345, ":12345"],
    [99, ":99"],
    [100, ":100"],
    [2147483647, ":2147483647"],
    [-2147483648, ":-2147483648"],
    [2147483648, ":2147483648"],
    [4294967296, ":4294967296"],
    [-9876543210, ":-9876543210"],
    [999_999_999_999_999, ":999999999999999"],
    [1e15, ":1000000000000000"],
    [Number.MAX_SAFE_INTEGER, ":9007199254740991"],
    [Number.MIN_SAFE_INTEGER, ":-9007199254740991"],
    [9223372036854775807n, ":9223372036854775807"],
    [-9223372036854775808n, ":-9223372036854775808"],
  ];
  for (const [n, expected] of ints) {
    assert.equal(encode(2, (w) => w.integer(n)), expected + "\r\n", String(n));
    assert.equal(encode(3, (w) => w.integer(n)), expected + "\r\n", String(n));
  }
});

Deno.test("errors stay on one line like addReplyErrorFormat", () => {
  // Trailing CR/LF are trimmed, inner ones become spaces.
  assert.equal(encode(2, (w) => w.error("ERR a\r\nb\nc\r\n")), "-ERR a  b c\r\n");
  assert.equal(encode(2, (w) => w.error("ERR x\r")), "-ERR x\r\n");
});

Deno.test("bulk strings carry any bytes", () => {
  assert.equal(encode(2, (w) => w.bulk("")), "$0\r\n\r\n");
  assert.equal(encode(2, (w) => w.bulk("a\r\nb")), "$4\r\na\r\nb\r\n");
  const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
  assert.equal(encode(2, (w) => w.bulk(all)), `$256\r\n${all}\r\n`);
  // Long strings take the encodeInto path; high bytes must still be one byte each.
  const longAscii = "x".repeat(100);
  assert.equal(encode(2, (w) => w.bulk(longAscii)), `$100\r\n${longAscii}\r\n`);
  const longHigh = "\xe9".repeat(100) + all;
  assert.equal(encode(2, (w) => w.bulk(longHigh)), `$356\r\n${longHigh}\r\n`);
  assert.equal(encode(2, (w) => w.bulkBytes(new Uint8Array([0, 255, 13]))), "$3\r\n\0\xff\r\r\n");
  assert.deepEqual(both((w) => w.bulkOrNull("v")), ["$1\r\nv\r\n", "$1\r\nv\r\n"]);
});

Deno.test("nulls: $-1 and *-1 in RESP2, _ in RESP3", () => {
  assert.deepEqual(both((w) => w.nullBulk()), ["$-1\r\n", "_\r\n"]);
  assert.deepEqual(both((w) => w.nullArray()), ["*-1\r\n", "_\r\n"]);
  assert.deepEqual(both((w) => w.bulkOrNull(undefined)), ["$-1\r\n", "_\r\n"]);
  assert.deepEqual(both((w) => w.bulkOrNull(null)), ["$-1\r\n", "_\r\n"]);
});

Deno.test("aggregates: maps flatten and sets and pushes become arrays in RESP2", () => {
  assert.deepEqual(both((w) => w.array(0)), ["*0\r\n", "*0\r\n"]);
  assert.deepEqual(both((w) => w.array(12)), ["*12\r\n", "*12\r\n"]);
  assert.deepEqual(both((w) => w.map(0)), ["*0\r\n", "%0\r\n"]);
  assert.deepEqual(both((w) => w.map(3)), ["*6\r\n", "%3\r\n"]);
  assert.deepEqual(both((w) => w.set(2)), ["*2\r\n", "~2\r\n"]);
  assert.deepEqual(both((w) => w.push(3)), ["*3\r\n", ">3\r\n"]);
  const hello = both((w) => {
    w.map(1);
    w.bulk("proto");
    w.integer(3);
  });
  assert.deepEqual(hello, ["*2\r\n$5\r\nproto\r\n:3\r\n", "%1\r\n$5\r\nproto\r\n:3\r\n"]);
});

Deno.test("RESP3 scalars and their RESP2 fallbacks", () => {
  assert.deepEqual(both((w) => w.double(1.5)), ["$3\r\n1.5\r\n", ",1.5\r\n"]);
  assert.deepEqual(both((w) => w.double(Infinity)), ["$3\r\ninf\r\n", ",inf\r\n"]);
  assert.deepEqual(both((w) => w.double(-Infinity)), ["$4\r\n-inf\r\n", ",-inf\r\n"]);
  assert.deepEqual(both((w) => w.double(0.1)), [
    "$19\r\n0.10000000000000001\r\n",
    ",0.10000000000000001\r\n",
  ]);
  assert.deepEqual(both((w) => w.bool(true)), [":1\r\n", "#t\r\n"]);
  assert.deepEqual(both((w) => w.bool(false)), [":0\r\n", "#f\r\n"]);
  assert.deepEqual(both((w) => w.verbatim("a\nb")), ["$3\r\na\nb\r\n", "=7\r\ntxt:a\nb\r\n"]);
  assert.deepEqual(both((w) => w.verbatim("x", "mkd")), ["$1\r\nx\r\n", "=5\r\nmkd:x\r\n"]);
  assert.deepEqual(both((w) => w.bigNumber("-12345678901234567890")), [
    "$21\r\n-12345678901234567890\r\n",
    "(-12345678901234567890\r\n",
  ]);
});

Deno.test("the buffer grows for many small and a few huge replies", () => {
  const w = new ReplyWriter();
  let expected = "";
  for (let i = 0; i < 20000; i++) {
    w.integer(i * 7919);
    expected += `:${i * 7919}\r\n`;
    if (i % 1000 === 0) {
      const big = String.fromCharCode(i % 256).repeat(100_000 + i);
      w.bulk(big);
      expected += `$${big.length}\r\n${big}\r\n`;
    }
  }
  assert.equal(w.len, expected.length);
  assert.ok(text(w) === expected, "encoded bytes differ");
});

Deno.test("consume drops written bytes, truncate drops a partial reply", () => {
  const w = new ReplyWriter();
  w.simple("PONG");
  w.bulk("abc");
  w.consume(3);
  assert.equal(text(w), "NG\r\n$3\r\nabc\r\n");
  const mark = w.len;
  w.array(2);
  w.bulk("half");
  w.truncate(mark);
  w.error("ERR x");
  assert.equal(text(w), "NG\r\n$3\r\nabc\r\n-ERR x\r\n");
  w.consume(w.len);
  assert.equal(w.len, 0);
  assert.equal(text(w), "");
});

Deno.test("a buffer grown past 4 MB is dropped once flushed", () => {
  const w = new ReplyWriter();
  w.bulk("z".repeat(5 * 1024 * 1024));
  assert.ok(w.buf.length > 4 * 1024 * 1024);
  w.consume(w.len);
  assert.ok(w.buf.length <= 64 * 1024, `kept ${w.buf.length} bytes`);
  w.ok();
  assert.equal(text(w), "+OK\r\n");
});
