// Unit tests of matchGlob: the edge cases of Redis's stringmatchlen (util.c), as checked
// against redis-server's KEYS (tests/differential/keys_test.ts compares the two directly).
import assert from "node:assert/strict";
import { matchGlob } from "./glob.ts";

/** Asserts which of `strings` match `pattern`. */
function matches(pattern: string, strings: string[], expected: string[], nocase = false) {
  const got = strings.filter((s) => matchGlob(pattern, s, nocase));
  assert.deepEqual(got, expected, `pattern ${JSON.stringify(pattern)} nocase=${nocase}`);
}

Deno.test("* matches any non-empty string; nothing but the empty pattern matches ''", () => {
  assert.equal(matchGlob("*", "abc"), true);
  assert.equal(matchGlob("*", ""), false);
  assert.equal(matchGlob("**", ""), false);
  assert.equal(matchGlob("", ""), true);
  assert.equal(matchGlob("", "a"), false);
  assert.equal(matchGlob("?", ""), false);
});

Deno.test("? matches exactly one byte, * any run", () => {
  const words = ["hllo", "hello", "heello", "hallo", "h\x00llo"];
  matches("h?llo", words, ["hello", "hallo", "h\x00llo"]);
  matches("h*llo", words, words);
  matches("h*l", words, []);
  matches("*o", words, words);
  matches("a*b*c", ["abc", "aXbYc", "acb", "abcc", "ab"], ["abc", "aXbYc", "abcc"]);
  matches("a*", ["a"], ["a"]);
  matches("a**", ["a"], ["a"]);
});

Deno.test("classes: sets, negation, ranges, reversed ranges", () => {
  const words = ["hallo", "hbllo", "hello", "hxllo", "h-llo", "h^llo"];
  matches("h[ae]llo", words, ["hallo", "hello"]);
  matches("h[^e]llo", words, ["hallo", "hbllo", "hxllo", "h-llo", "h^llo"]);
  matches("h[a-b]llo", words, ["hallo", "hbllo"]);
  matches("h[b-a]llo", words, ["hallo", "hbllo"]);
  matches("h[z-w]llo", words, ["hxllo"]);
  // A leading '-' is a literal; "a-]" is a range up to ']', so that class runs to the end.
  matches("h[-a]llo", words, ["hallo", "h-llo"]);
  matches("h[a-]llo", [...words, "ha", "h]", "h_", "hl", "h-"], ["ha", "h]", "h_", "hl"]);
  matches("[a-]", ["a", "-", "]", "b"], ["a", "]"]);
  // '^' only negates as the first character.
  matches("h[a^]llo", words, ["hallo", "h^llo"]);
  // ']' right after '[' closes an empty class, which matches nothing (or anything with ^).
  matches("[]", ["]", "a", ""], []);
  matches("[^]", ["]", "a", ""], ["]", "a"]);
});

Deno.test("ranges compare bytes as C's signed char", () => {
  // 'a'-0xff is -1..97 as signed chars: bytes 0x00-0x61 and 0xff, not 0x80-0xfe.
  matches("[a-\xff]", ["\x00", "a", "b", "\x80", "\xfe", "\xff"], ["\x00", "a", "\xff"]);
  matches("[\x80-\xff]", ["\x7f", "\x80", "\xc3", "\xff", "a"], ["\x80", "\xc3", "\xff"]);
  // 0x7f-0x80 is 127 down to -128: every byte.
  matches("[\x7f-\x80]", ["\x00", "\x7f", "\x80", "\x81", "a"], [
    "\x00",
    "\x7f",
    "\x80",
    "\x81",
    "a",
  ]);
});

Deno.test("backslash escapes outside and inside classes", () => {
  const words = ["h*llo", "hello", "h?llo", "h[a]llo", "h\\llo", "hallo"];
  matches("h\\*llo", words, ["h*llo"]);
  matches("h\\?llo", words, ["h?llo"]);
  matches("h\\[a\\]llo", words, ["h[a]llo"]);
  matches("h\\\\llo", words, ["h\\llo"]);
  matches("h[\\]]llo", ["h]llo", "h\\llo"], ["h]llo"]);
  matches("[\\-]", ["-", "\\"], ["-"]);
  // A trailing backslash is a literal backslash.
  matches("a\\", ["a\\", "a"], ["a\\"]);
  matches("\\", ["\\", ""], ["\\"]);
  // An escaped range start is a plain character, so the '-' is literal too.
  matches("[\\a-c]", ["a", "b", "-", "c"], ["a", "-", "c"]);
});

Deno.test("unterminated classes end at the pattern's end", () => {
  matches("[", ["[", "a", ""], []);
  matches("h[a", ["ha", "h[a", "h"], ["ha"]);
  matches("h[ae", ["ha", "he", "hae"], ["ha", "he"]);
  matches("h[^", ["ha", "h^", "h"], ["ha", "h^"]);
  matches("[a-", ["a", "-", "b"], ["a", "-"]);
  matches("[\\", ["\\", "a"], ["\\"]);
});

Deno.test("binary bytes, including NUL, are ordinary characters", () => {
  matches("\x00*", ["\x00abc", "abc\x00", "\x00"], ["\x00abc", "\x00"]);
  matches("*\x00", ["\x00abc", "abc\x00"], ["abc\x00"]);
  matches("[\x00-\x1f]", ["\x00", "\x1f", " "], ["\x00", "\x1f"]);
  matches("caf?", ["caf\xc3\xa9", "cafe"], ["cafe"]);
  matches("caf??", ["caf\xc3\xa9", "cafe"], ["caf\xc3\xa9"]);
});

Deno.test("nocase folds ASCII letters only, in literals, classes and ranges", () => {
  const words = ["HELLO", "hello", "HeLLo", "h\xc9llo"];
  matches("hello", words, ["HELLO", "hello", "HeLLo"], true);
  matches("hello", words, ["hello"]);
  matches("H[A-F]LLO", words, ["HELLO", "hello", "HeLLo"], true);
  matches("h[e]llo", words, ["HELLO", "hello", "HeLLo"], true);
  matches("h[^E]llo", words, ["h\xc9llo"], true);
  matches("h\xe9llo", words, [], true);
  matches("maxmemory-*", ["MAXMEMORY-POLICY", "maxmemory"], ["MAXMEMORY-POLICY"], true);
});

Deno.test("abusive patterns finish quickly; nesting beyond 1000 stars never matches", () => {
  const long = "a".repeat(5000);
  const start = performance.now();
  assert.equal(matchGlob("*a*a*a*a*a*a*a*a*a*a*a*a*b", long), false);
  assert.equal(matchGlob("a*".repeat(50) + "b", long), false);
  assert.ok(performance.now() - start < 1000);
  const key = "a".repeat(1200);
  assert.equal(matchGlob("a*".repeat(999) + "a", key), true);
  assert.equal(matchGlob("a*".repeat(1001) + "a", key), false);
});
