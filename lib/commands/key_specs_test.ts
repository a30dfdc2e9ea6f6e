import assert from "node:assert/strict";
import { type KeyRef, keysUsingSpecs } from "./key_specs.ts";
import type { KeySpecDecl } from "./types.ts";

// Key specs as Redis 7.0 declares them; the expected keys are what redis-server 7.0 answers to
// COMMAND GETKEYS for the same lines.
const XREAD: KeySpecDecl[] = [{ flags: "RO access", keyword: ["STREAMS", 1], range: [-1, 1, 2] }];
const EVAL: KeySpecDecl[] = [{ flags: "RW access update", index: 2, keynum: [0, 1, 1] }];
const ZUNIONSTORE: KeySpecDecl[] = [
  { flags: "OW update", index: 1, range: [0, 1, 0] },
  { flags: "RO access", index: 2, keynum: [0, 1, 1] },
];
const GEORADIUS: KeySpecDecl[] = [
  { flags: "RO access", index: 1, range: [0, 1, 0] },
  { flags: "OW update", keyword: ["STORE", 6], range: [0, 1, 0] },
  { flags: "OW update", keyword: ["STOREDIST", 6], range: [0, 1, 0] },
];
const MIGRATE: KeySpecDecl[] = [
  { flags: "RW access delete", index: 3, range: [0, 1, 0] },
  { flags: "RW access delete incomplete", keyword: ["KEYS", -2], range: [-1, 1, 0] },
];

function keys(specs: KeySpecDecl[], line: string): string[] | null {
  const argv = line.split(" ");
  return keysUsingSpecs(specs, argv)?.map((k: KeyRef) => argv[k.pos]!) ?? null;
}

Deno.test("a keyword begin search with a limited range takes half the rest (XREAD STREAMS)", () => {
  assert.deepEqual(keys(XREAD, "xread count 2 streams a b 0 0"), ["a", "b"]);
  assert.deepEqual(keys(XREAD, "xread STREAMS a 0"), ["a"]);
});

Deno.test("keynum reads the key count from the arguments (EVAL, ZUNIONSTORE)", () => {
  assert.deepEqual(keys(EVAL, "eval s 2 k1 k2 a"), ["k1", "k2"]);
  assert.deepEqual(keys(ZUNIONSTORE, "zunionstore d 2 a b weights 1 2"), ["d", "a", "b"]);
  assert.equal(keys(ZUNIONSTORE, "zunionstore d -1 a"), null);
  assert.equal(keys(ZUNIONSTORE, "zunionstore d x a"), null);
  assert.equal(keys(ZUNIONSTORE, "zunionstore d 3 a b"), null);
});

Deno.test("a keyword that is absent skips its spec", () => {
  assert.deepEqual(keys(GEORADIUS, "georadius k 1 2 3 m store d"), ["k", "d"]);
  assert.deepEqual(keys(GEORADIUS, "georadius k 1 2 3 m"), ["k"]);
  assert.deepEqual(keys(MIGRATE, "migrate h p k 0 5"), ["k"]);
});

Deno.test("an incomplete spec that finds keys makes the walk fail unless partial", () => {
  const argv = "migrate h p  0 5 KEYS a b".split(" ");
  assert.equal(keysUsingSpecs(MIGRATE, argv), null);
  assert.deepEqual(keysUsingSpecs(MIGRATE, argv, true)?.map((k) => k.pos), [3, 7, 8]);
});

Deno.test("keys carry their spec's flags", () => {
  const argv = "zunionstore d 1 a".split(" ");
  assert.deepEqual(keysUsingSpecs(ZUNIONSTORE, argv), [
    { pos: 1, flags: ["OW", "update"] },
    { pos: 3, flags: ["RO", "access"] },
  ]);
});
