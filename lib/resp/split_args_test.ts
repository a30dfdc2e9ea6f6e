// Unit tests of inline argument splitting against the rules of Redis's sdssplitargs (sds.c).
import assert from "node:assert/strict";
import { splitArgs } from "./split_args.ts";

function split(line: string): string[] | null {
  const b = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) b[i] = line.charCodeAt(i);
  return splitArgs(b, 0, b.length);
}

Deno.test("arguments are separated by runs of whitespace", () => {
  assert.deepEqual(split("SET  key\tvalue"), ["SET", "key", "value"]);
  assert.deepEqual(split("  \t PING \t "), ["PING"]);
  assert.deepEqual(split(""), []);
  assert.deepEqual(split(" \t\v\f\r\n"), []);
});

Deno.test("an unquoted argument ends only at space, tab, CR or LF", () => {
  // isspace() skips \v and \f before an argument, but inside one they are ordinary bytes.
  assert.deepEqual(split("a\vb c\fd"), ["a\vb", "c\fd"]);
  assert.deepEqual(split("\v\fa\v"), ["a\v"]);
  assert.deepEqual(split("a\rb\nc"), ["a", "b", "c"]);
});

Deno.test("double quotes take escapes", () => {
  assert.deepEqual(split('"a b"'), ["a b"]);
  assert.deepEqual(split('"\\n\\r\\t\\b\\a"'), ["\n\r\t\b\x07"]);
  assert.deepEqual(split('"\\"\\\\\\q"'), ['"\\q']);
  assert.deepEqual(split('"\\x41\\x7a\\xFF\\x00"'), ["Az\xff\0"]);
  // \x without two hex digits is an escaped 'x'.
  assert.deepEqual(split('"\\x4" "\\xg1" "\\x"'), ["x4", "xg1", "x"]);
  assert.deepEqual(split('""'), [""]);
});

Deno.test("single quotes take only \\' as an escape", () => {
  assert.deepEqual(split("'a b'"), ["a b"]);
  assert.deepEqual(split("'it\\'s'"), ["it's"]);
  assert.deepEqual(split("'\\n\\x41'"), ["\\n\\x41"]);
  assert.deepEqual(split("''"), [""]);
});

Deno.test("quotes may start inside a word", () => {
  assert.deepEqual(split('a"b c"'), ["ab c"]);
  assert.deepEqual(split("a'b c' d"), ["ab c", "d"]);
});

Deno.test("a closing quote must be followed by whitespace or the end", () => {
  assert.equal(split('"a"b'), null);
  assert.equal(split("'a'b"), null);
  assert.deepEqual(split('"a"\v"b"'), ["a", "b"]);
  assert.deepEqual(split('"a"\t'), ["a"]);
});

Deno.test("unterminated quotes are unbalanced", () => {
  assert.equal(split('"abc'), null);
  assert.equal(split("'abc"), null);
  assert.equal(split('"abc\\"'), null);
  assert.equal(split('"abc\\'), null);
  assert.equal(split("'abc\\'"), null);
});

Deno.test("a NUL byte ends the line, as in C", () => {
  assert.deepEqual(split("a b\0c d"), ["a", "b"]);
  assert.deepEqual(split('"a\0b"'), null);
});

Deno.test("bytes 128-255 pass through unchanged", () => {
  const high = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => 128 + i));
  assert.deepEqual(split(`x ${high}`), ["x", high]);
  assert.deepEqual(split(`"${high}"`), [high]);
});

Deno.test("only buf[from, to) is read", () => {
  const b = new Uint8Array([65, 32, 66, 32, 67]);
  assert.deepEqual(splitArgs(b, 2, 3), ["B"]);
  assert.deepEqual(splitArgs(b, 1, 4), ["B"]);
});
