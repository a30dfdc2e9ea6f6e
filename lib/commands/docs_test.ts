import assert from "node:assert/strict";
import { displaySyntax, type DocArg, parseSyntax } from "./docs.ts";
import { COMMANDS } from "./table.ts";

/** Shorthands for expected trees: the fields COMMAND DOCS replies, flags default to none. */
function arg(name: string, type: DocArg["type"], extra: Partial<DocArg> = {}): DocArg {
  return { name, type, flags: [], ...extra };
}
const token = (t: string, extra: Partial<DocArg> = {}) =>
  arg(t.toLowerCase(), "pure-token", { token: t, ...extra });
const key = (name = "key", keySpecIndex = 0, extra: Partial<DocArg> = {}) =>
  arg(name, "key", { keySpecIndex, ...extra });

Deno.test("a bare key and value are a key argument and a string", () => {
  assert.deepEqual(parseSyntax("key value", 1), [key(), arg("value", "string")]);
});

Deno.test("name:type annotates the type; key and pattern are typed by their name", () => {
  assert.deepEqual(parseSyntax("key seconds:integer pattern d:double t:unix-time", 1), [
    key(),
    arg("seconds", "integer"),
    arg("pattern", "pattern"),
    arg("d", "double"),
    arg("t", "unix-time"),
  ]);
});

Deno.test("a colon not followed by a type is part of the name", () => {
  assert.deepEqual(parseSyntax("ip:port", 0), [arg("ip:port", "string")]);
});

Deno.test("SET's syntax becomes Redis's argument tree", () => {
  const syntax =
    "key value [NX | XX]:condition [GET] [EX seconds:integer | PX milliseconds:integer" +
    " | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL]:expiration";
  assert.deepEqual(parseSyntax(syntax, 1), [
    key(),
    arg("value", "string"),
    arg("condition", "oneof", { flags: ["optional"], arguments: [token("NX"), token("XX")] }),
    token("GET", { flags: ["optional"] }),
    arg("expiration", "oneof", {
      flags: ["optional"],
      arguments: [
        arg("seconds", "integer", { token: "EX" }),
        arg("milliseconds", "integer", { token: "PX" }),
        arg("unix-time-seconds", "unix-time", { token: "EXAT" }),
        arg("unix-time-milliseconds", "unix-time", { token: "PXAT" }),
        token("KEEPTTL"),
      ],
    }),
  ]);
});

Deno.test("an unnamed oneof is named after its members joined by _", () => {
  assert.deepEqual(parseSyntax("[ASYNC | SYNC]", 0), [
    arg("async_sync", "oneof", { flags: ["optional"], arguments: [token("ASYNC"), token("SYNC")] }),
  ]);
});

Deno.test("x [x ...] is one multiple argument; [x [x ...]] is optional too", () => {
  assert.deepEqual(parseSyntax("key [key ...]", 1), [key("key", 0, { flags: ["multiple"] })]);
  assert.deepEqual(parseSyntax("[name [name ...]]", 0), [
    arg("name", "string", { flags: ["optional", "multiple"] }),
  ]);
});

Deno.test("a repeated group of several items is a multiple block (MSET)", () => {
  assert.deepEqual(parseSyntax("key value [key value ...]", 1), [
    arg("key_value", "block", {
      flags: ["multiple"],
      arguments: [key(), arg("value", "string")],
    }),
  ]);
});

Deno.test("a repeated token is multiple_token; a token before a repetition is not", () => {
  assert.deepEqual(parseSyntax("[GET pattern [GET pattern ...]]", 0), [
    arg("pattern", "pattern", { token: "GET", flags: ["optional", "multiple", "multiple_token"] }),
  ]);
  assert.deepEqual(parseSyntax("[ID id:integer [id:integer ...]]", 0), [
    arg("id", "integer", { token: "ID", flags: ["optional", "multiple"] }),
  ]);
});

Deno.test("[TOKEN a b] is a block introduced by the token; <...> is a plain block", () => {
  assert.deepEqual(parseSyntax("[LIMIT offset:integer count:integer]", 0), [
    arg("offset_count", "block", {
      token: "LIMIT",
      flags: ["optional"],
      arguments: [arg("offset", "integer"), arg("count", "integer")],
    }),
  ]);
  assert.deepEqual(parseSyntax("<BYRADIUS radius:double unit>:circle", 0), [
    arg("circle", "block", {
      arguments: [arg("radius", "double", { token: "BYRADIUS" }), arg("unit", "string")],
    }),
  ]);
});

Deno.test("a token binds to a following group (CLIENT LIST)", () => {
  const syntax =
    "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID <client-id:integer [client-id:integer ...]>:id]";
  assert.deepEqual(parseSyntax(syntax, 0), [
    arg("normal_master_replica_pubsub", "oneof", {
      token: "TYPE",
      flags: ["optional"],
      arguments: [token("NORMAL"), token("MASTER"), token("REPLICA"), token("PUBSUB")],
    }),
    arg("id", "block", {
      token: "ID",
      flags: ["optional"],
      arguments: [arg("client-id", "integer", { flags: ["multiple"] })],
    }),
  ]);
});

Deno.test("top-level alternatives make one required oneof", () => {
  assert.deepEqual(parseSyntax("ON | OFF | SKIP", 0), [
    arg("on_off_skip", "oneof", { arguments: [token("ON"), token("OFF"), token("SKIP")] }),
  ]);
});

Deno.test('TOKEN:name names a pure token; "" is the empty token', () => {
  assert.deepEqual(parseSyntax('[CH:change] <key | "":empty_string>:key_or_empty_string', 1), [
    arg("change", "pure-token", { token: "CH", flags: ["optional"] }),
    arg("key_or_empty_string", "oneof", {
      arguments: [key(), arg("empty_string", "pure-token", { token: "" })],
    }),
  ]);
});

Deno.test("key arguments number the key specs in order, capped at the last one", () => {
  assert.deepEqual(parseSyntax("key1:key key2:key", 1), [key("key1", 0), key("key2", 0)]);
  assert.deepEqual(parseSyntax("key newkey:key", 2), [key("key", 0), key("newkey", 1)]);
  assert.deepEqual(parseSyntax("key [BY pattern:pattern#1] [STORE destination:key]", 3), [
    key("key", 0),
    arg("pattern", "pattern", { keySpecIndex: 1, token: "BY", flags: ["optional"] }),
    key("destination", 2, { token: "STORE", flags: ["optional"] }),
  ]);
  assert.deepEqual(parseSyntax("key", 0), [arg("key", "key")]);
});

Deno.test("the empty syntax has no arguments", () => {
  assert.deepEqual(parseSyntax("", 0), []);
});

Deno.test("malformed syntax throws", () => {
  for (const bad of ["[key", "key]", "<a | b", "a [b ...]", "[...]", "a ...", ":x", "a | [b"]) {
    assert.throws(() => parseSyntax(bad, 0), Error, bad);
  }
});

Deno.test("displaySyntax drops annotations and the brackets of plain blocks", () => {
  assert.equal(
    displaySyntax("key value [NX | XX]:condition [EX seconds:integer | KEEPTTL]:expiration"),
    "key value [NX | XX] [EX seconds | KEEPTTL]",
  );
  assert.equal(
    displaySyntax("[ID <client-id:integer [client-id:integer ...]>:id] <ON | OFF>:enabled"),
    "[ID client-id [client-id ...]] <ON | OFF>",
  );
  assert.equal(
    displaySyntax("ip:port [CH:change] [BY pattern:pattern#1]"),
    "ip:port [CH] [BY pattern]",
  );
});

Deno.test("every command record's syntax parses", () => {
  for (const command of COMMANDS) {
    for (const c of [command, ...(command.subcommands ?? [])]) {
      assert.doesNotThrow(() => parseSyntax(c.syntax, 1), `syntax of ${c.name}`);
      assert.doesNotThrow(() => displaySyntax(c.syntax), `syntax of ${c.name}`);
    }
  }
});
