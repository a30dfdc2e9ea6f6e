// Unit tests of the streaming request parser: any split of a valid stream parses the same, and
// every protocol error carries Redis's text (networking.c processMultibulkBuffer/InlineBuffer).
import assert from "node:assert/strict";
import { INLINE_MAX_SIZE, MAX_MULTIBULK_LEN, ProtocolError, RespParser } from "./parser.ts";

/** Bytes of a byte string (each char one byte). */
function bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** RESP2 multibulk encoding of a command. */
function mbulk(...args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

/** Feeds the chunks one after another, collecting every command that completes. */
function parseChunks(chunks: Uint8Array[], parser = new RespParser()): string[][] {
  const commands: string[][] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
  }
  return commands;
}

function parseAll(stream: string): string[][] {
  return parseChunks([bytes(stream)]);
}

/** The protocol error a stream raises (fed whole), or fails. */
function errorOf(stream: string | Uint8Array, parser = new RespParser()): string {
  const b = typeof stream === "string" ? bytes(stream) : stream;
  try {
    parseChunks([b], parser);
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `not a ProtocolError: ${err}`);
    return err.message;
  }
  assert.fail(`no protocol error for ${JSON.stringify(stream).slice(0, 80)}`);
}

/** A small deterministic PRNG (mulberry32) so random splits are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

/** Valid streams and the commands they hold. */
const VALID: [string, string, string[][]][] = [
  ["one multibulk", mbulk("SET", "key", "value"), [["SET", "key", "value"]]],
  ["one inline", "SET key value\r\n", [["SET", "key", "value"]]],
  ["inline with a bare LF", "PING\nECHO hi\n", [["PING"], ["ECHO", "hi"]]],
  [
    "pipelined mix of inline and multibulk",
    "PING\r\n" + mbulk("ECHO", "a b") + "ECHO c\n" + mbulk("GET", "k") + "SET k v\r\n",
    [["PING"], ["ECHO", "a b"], ["ECHO", "c"], ["GET", "k"], ["SET", "k", "v"]],
  ],
  ["empty bulk", mbulk("SET", "", ""), [["SET", "", ""]]],
  ["CR LF inside a bulk", mbulk("SET", "k", "a\r\nb\r\n"), [["SET", "k", "a\r\nb\r\n"]]],
  ["every byte value in one bulk", mbulk("SET", "k", ALL_BYTES), [["SET", "k", ALL_BYTES]]],
  ["a bulk that looks like a frame", mbulk("ECHO", "*1\r\n$4\r\nPING\r\n"), [[
    "ECHO",
    "*1\r\n$4\r\nPING\r\n",
  ]]],
  [
    "empty and negative multibulks are skipped",
    "*0\r\n*-1\r\n" + mbulk("PING") + "*-5\r\n",
    [["PING"]],
  ],
  ["empty inline lines are skipped", "\r\n\n   \r\n\t\n" + "PING\r\n\r\n", [["PING"]]],
  [
    "inline quoting",
    `SET "a b" 'c d'\r\nECHO "\\x41\\x7a\\n\\r\\t\\b\\a\\\\\\"" 'it\\'s'\r\n`,
    [["SET", "a b", "c d"], ["ECHO", 'Az\n\r\t\b\x07\\"', "it's"]],
  ],
  ["inline CR before CR LF", "PING\r\r\n", [["PING"]]],
  ["bulk data need not end in CR LF", "*1\r\n$4\r\nPINGxx" + mbulk("PING"), [["PING"], [
    "PING",
  ]]],
  [
    "many commands",
    Array.from({ length: 50 }, (_, i) => i % 2 ? mbulk("INCR", `k${i}`) : `INCR k${i}\r\n`)
      .join(""),
    Array.from({ length: 50 }, (_, i) => ["INCR", `k${i}`]),
  ],
];

Deno.test("valid streams parse to the expected commands when fed whole", () => {
  for (const [name, stream, expected] of VALID) {
    assert.deepEqual(parseAll(stream), expected, name);
  }
});

Deno.test("a valid stream split at any byte boundary parses the same", () => {
  for (const [name, stream, expected] of VALID) {
    const b = bytes(stream);
    for (let i = 0; i <= b.length; i++) {
      assert.deepEqual(parseChunks([b.subarray(0, i), b.subarray(i)]), expected, `${name} @${i}`);
    }
  }
});

Deno.test("a valid stream fed one byte at a time parses the same", () => {
  for (const [name, stream, expected] of VALID) {
    const b = bytes(stream);
    const chunks = Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));
    assert.deepEqual(parseChunks(chunks), expected, name);
  }
});

Deno.test("a valid stream cut into random pieces parses the same", () => {
  const random = rng(7);
  const whole = VALID.map(([, s]) => s).join("");
  const expected = VALID.flatMap(([, , commands]) => commands);
  const b = bytes(whole);
  for (let round = 0; round < 200; round++) {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < b.length;) {
      const n = 1 + Math.floor(random() * 40);
      chunks.push(b.subarray(at, at + n));
      at += n;
    }
    assert.deepEqual(parseChunks(chunks), expected, `round ${round}`);
  }
});

Deno.test("reading straight into space() and commit() works like feed()", () => {
  const b = bytes(VALID.map(([, s]) => s).join(""));
  const parser = new RespParser();
  const commands: string[][] = [];
  // Like a socket read: copy at most 7 bytes into the free space each time.
  for (let at = 0; at < b.length;) {
    const room = parser.space();
    const n = Math.min(7, room.length, b.length - at);
    room.set(b.subarray(at, at + n));
    parser.commit(n);
    at += n;
    for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
  }
  assert.deepEqual(commands, VALID.flatMap(([, , c]) => c));
  assert.equal(parser.pending, 0);
});

Deno.test("binary values with all 256 byte values round-trip", () => {
  const single = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
  assert.deepEqual(parseAll(mbulk("RPUSH", ...single)), [["RPUSH", ...single]]);
  // Reversed and repeated, so no byte value sits only at a frame edge.
  const reversed = [...ALL_BYTES].reverse().join("").repeat(3);
  assert.deepEqual(parseAll(mbulk(reversed, ALL_BYTES)), [[reversed, ALL_BYTES]]);
  // Inline: every byte value through a \xHH escape.
  const hex = single.map((_, i) => `"\\x${i.toString(16).padStart(2, "0")}"`).join(" ");
  assert.deepEqual(parseAll(`ECHO ${hex}\r\n`), [["ECHO", ...single]]);
});

Deno.test("a several-MB bulk arriving in small chunks parses once, without regrowing", () => {
  const size = 6 * 1024 * 1024 + 3;
  const value = new Uint8Array(size);
  for (let i = 0; i < size; i++) value[i] = (i * 31 + 7) & 255;
  const head = bytes(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${size}\r\n`);
  const stream = new Uint8Array(head.length + size + 2 + 14);
  stream.set(head);
  stream.set(value, head.length);
  stream.set(bytes("\r\n*1\r\n$4\r\nPING\r\n"), head.length + size);
  const parser = new RespParser();
  const commands: string[][] = [];
  const capacities = new Set<number>();
  for (let at = 0; at < stream.length;) {
    const room = parser.space();
    capacities.add(room.buffer.byteLength);
    const n = Math.min(4093, room.length, stream.length - at);
    room.set(stream.subarray(at, at + n));
    parser.commit(n);
    at += n;
    for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
  }
  assert.equal(commands.length, 2);
  assert.deepEqual(commands[1], ["PING"]);
  const [cmd, key, got] = commands[0]!;
  assert.deepEqual([cmd, key, got!.length], ["SET", "big", size]);
  for (let i = 0; i < size; i += 997) assert.equal(got!.charCodeAt(i), value[i], `byte ${i}`);
  assert.equal(got!.charCodeAt(size - 1), value[size - 1]);
  // The buffer is sized for the announced bulk once (Redis's PROTO_MBULK_BIG_ARG path).
  assert.ok(capacities.size <= 2, `buffer reallocated ${capacities.size} times`);
});

Deno.test("protocol errors carry Redis's text", () => {
  const cases: [string, string][] = [
    ["*abc\r\n", "invalid multibulk length"],
    ["*01\r\n", "invalid multibulk length"],
    ["*+1\r\n", "invalid multibulk length"],
    ["*-0\r\n", "invalid multibulk length"],
    ["*\r\n", "invalid multibulk length"],
    ["*1 \r\n", "invalid multibulk length"],
    ["*1\n$4\r\n", "invalid multibulk length"],
    ["*123456789012345678901\r\n", "invalid multibulk length"],
    ["*1\r\n$abc\r\n", "invalid bulk length"],
    ["*1\r\n$-1\r\n", "invalid bulk length"],
    ["*1\r\n$\r\n", "invalid bulk length"],
    ["*1\r\n$04\r\nPING\r\n", "invalid bulk length"],
    ["*1\r\nx4\r\nPING\r\n", "expected '$', got 'x'"],
    ["*1\r\n:4\r\n", "expected '$', got ':'"],
    ["*2\r\n$4\r\nECHO\r\n*1\r\n", "expected '$', got '*'"],
    // Redis prints CR and LF as spaces so the error stays one line.
    ["*1\r\n\n4\r\n", "expected '$', got ' '"],
    ["*1\r\n\r\n", "expected '$', got ' '"],
    ["*1\r\n\xff\r\n", "expected '$', got '\xff'"],
    ['ECHO "abc\r\n', "unbalanced quotes in request"],
    ["ECHO 'abc\r\n", "unbalanced quotes in request"],
    ['ECHO "a"b\r\n', "unbalanced quotes in request"],
    ["ECHO 'a'b\r\n", "unbalanced quotes in request"],
    ['ECHO "abc\\"\r\n', "unbalanced quotes in request"],
  ];
  for (const [stream, message] of cases) {
    assert.equal(errorOf(stream), message, JSON.stringify(stream));
  }
});

Deno.test("an error after complete commands comes after them", () => {
  const parser = new RespParser();
  parser.feed(bytes("PING\r\n" + mbulk("ECHO", "x") + "*1\r\nx\r\n"));
  assert.deepEqual(parser.next(), ["PING"]);
  assert.deepEqual(parser.next(), ["ECHO", "x"]);
  assert.throws(() => parser.next(), new ProtocolError("expected '$', got 'x'"));
});

Deno.test("an inline request longer than 64 KB without a newline is too big", () => {
  const parser = new RespParser();
  parser.feed(bytes("ECHO " + "a".repeat(INLINE_MAX_SIZE - 5)));
  assert.equal(parser.next(), null, "exactly 64 KB still waits");
  parser.feed(bytes("a"));
  assert.throws(() => parser.next(), new ProtocolError("too big inline request"));
  // A long line that does end in time is fine.
  const long = "a".repeat(INLINE_MAX_SIZE * 2);
  assert.deepEqual(parseAll(`ECHO ${long}\r\n`), [["ECHO", long]]);
});

Deno.test("length lines longer than 64 KB are too big count strings", () => {
  const digits = "1".repeat(INLINE_MAX_SIZE);
  assert.equal(errorOf("*" + digits), "too big mbulk count string");
  assert.equal(errorOf("*1\r\n$" + digits), "too big bulk count string");
  // Once the CR has arrived the line is judged on its content, however long it is.
  const parser = new RespParser();
  parser.feed(bytes("*" + digits + "\r"));
  assert.equal(parser.next(), null);
  parser.feed(bytes("\n"));
  assert.throws(() => parser.next(), new ProtocolError("invalid multibulk length"));
});

Deno.test("a bulk length over proto-max-bulk-len is rejected before the buffer grows", () => {
  const limit = 8 * 1024 * 1024;
  const accepted = new RespParser(limit);
  accepted.feed(bytes(`*1\r\n$${limit}\r\n`));
  assert.equal(accepted.next(), null);
  assert.ok(accepted.space().length >= limit + 2, "an accepted big bulk gets its room");

  const rejected = new RespParser(limit);
  const before = rejected.space().buffer.byteLength;
  assert.equal(errorOf(`*1\r\n$${limit + 1}\r\n`, rejected), "invalid bulk length");
  assert.equal(rejected.space().buffer.byteLength, before);

  // The default limit is Redis's 512 MB.
  const parser = new RespParser();
  assert.equal(errorOf(`*1\r\n$${512 * 1024 * 1024 + 1}\r\n`, parser), "invalid bulk length");
  assert.equal(parser.space().buffer.byteLength, before);
  assert.equal(errorOf("*1\r\n$99999999999999999999\r\n"), "invalid bulk length");
});

Deno.test("a multibulk count over 1024*1024*1024 is rejected without allocating", () => {
  const parser = new RespParser();
  const before = parser.space().buffer.byteLength;
  assert.equal(errorOf(`*${MAX_MULTIBULK_LEN + 1}\r\n`, parser), "invalid multibulk length");
  assert.equal(parser.space().buffer.byteLength, before);
  assert.equal(errorOf("*2147483648\r\n"), "invalid multibulk length");
  // The largest count is accepted and waits for its arguments with no room reserved for them.
  const max = new RespParser();
  max.feed(bytes(`*${MAX_MULTIBULK_LEN}\r\n` + "$4\r\nPING\r\n"));
  assert.equal(max.next(), null);
  assert.equal(max.space().buffer.byteLength, before);
});

Deno.test("inline: CR LF and LF both end a line; a lone CR does not", () => {
  const parser = new RespParser();
  parser.feed(bytes("PING\r"));
  assert.equal(parser.next(), null);
  parser.feed(bytes("\nPING\nPING"));
  assert.deepEqual(parser.next(), ["PING"]);
  assert.deepEqual(parser.next(), ["PING"]);
  assert.equal(parser.next(), null);
  assert.equal(parser.pending, 4);
});

Deno.test("inline: a NUL byte hides the newline, as Redis's strchr does", () => {
  // Redis never completes such a line; it ends as a too-big inline request.
  const parser = new RespParser();
  parser.feed(bytes("PING\0\r\nPING\r\n"));
  assert.equal(parser.next(), null);
  parser.feed(new Uint8Array(INLINE_MAX_SIZE));
  assert.throws(() => parser.next(), new ProtocolError("too big inline request"));
  // A NUL inside a multibulk argument is just a byte.
  assert.deepEqual(parseAll(mbulk("ECHO", "a\0b")), [["ECHO", "a\0b"]]);
  // A NUL through an escape is a byte too.
  assert.deepEqual(parseAll('ECHO "a\\x00b"\r\n'), [["ECHO", "a\0b"]]);
});

Deno.test("inline: vertical tab and form feed separate only before an argument", () => {
  assert.deepEqual(parseAll("\v\fECHO a\vb\f\r\n"), [["ECHO", "a\vb\f"]]);
  assert.deepEqual(parseAll('ECHO "a"\v"b"\r\n'), [["ECHO", "a", "b"]]);
});

Deno.test("a multibulk frame resumes where it stopped across reads", () => {
  const parser = new RespParser();
  parser.feed(bytes("*2\r\n$4\r\nEC"));
  assert.equal(parser.next(), null);
  parser.feed(bytes("HO\r\n$3\r"));
  assert.equal(parser.next(), null);
  parser.feed(bytes("\nabc\r"));
  assert.equal(parser.next(), null);
  parser.feed(bytes("\n"));
  assert.deepEqual(parser.next(), ["ECHO", "abc"]);
  assert.equal(parser.pending, 0);
});

Deno.test("a grown buffer is kept as a spare for the next big argument until released", () => {
  const parser = new RespParser();
  const initial = parser.allocated;
  const big = "b".repeat(300_000);
  const stream = bytes(mbulk("SET", "k", big) + mbulk("GET", "k"));
  // In 4 KB reads, as a socket would deliver it.
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += 4096) chunks.push(stream.subarray(i, i + 4096));
  assert.deepEqual(parseChunks(chunks, parser), [["SET", "k", big], ["GET", "k"]]);
  // Drained: the next read goes to the initial buffer; the grown one waits as the spare.
  parser.space();
  assert.equal(parser.free, initial);
  const grown = parser.allocated;
  assert.ok(grown >= initial + 300_000, `allocated ${grown}`);
  // The next big argument reuses the spare instead of allocating another buffer.
  assert.deepEqual(parseChunks(chunks, parser), [["SET", "k", big], ["GET", "k"]]);
  parser.space();
  assert.equal(parser.allocated, grown);
  assert.equal(parser.releaseSpare(), grown - initial);
  assert.equal(parser.allocated, initial);
  // And without a spare, big arguments still parse.
  assert.deepEqual(parseChunks(chunks, parser), [["SET", "k", big], ["GET", "k"]]);
});

Deno.test("a big argument split anywhere around small commands parses the same", () => {
  const big = "x".repeat(40_000);
  const stream = bytes(mbulk("PING") + mbulk("SET", "k", big) + mbulk("ECHO", "e"));
  const expected = [["PING"], ["SET", "k", big], ["ECHO", "e"]];
  const parser = new RespParser();
  for (let split = 1; split < stream.length; split += 997) {
    const got = parseChunks([stream.subarray(0, split), stream.subarray(split)], parser);
    assert.deepEqual(got, expected, `split at ${split}`);
    parser.space();
  }
});
