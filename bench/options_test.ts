// Tests for bench/options.ts.
import assert from "node:assert/strict";
import { DEFAULT_TESTS, OptionError, parseOptions } from "./options.ts";

Deno.test("defaults: five tests, pipelines 1 and 16, three rounds, sized runs", () => {
  const o = parseOptions([]);
  assert.deepEqual(o.tests, DEFAULT_TESTS);
  assert.deepEqual(o.pipelines, [1, 16]);
  assert.equal(o.rounds, 3);
  assert.equal(o.requests, undefined);
  assert.equal(o.json, false);
});

Deno.test("options accept both --name value and --name=value", () => {
  const o = parseOptions([
    "--tests=lpush,lrange_100",
    "--pipelines",
    "1,4",
    "--rounds",
    "5",
    "--requests=1000",
    "--out",
    "x.md",
    "--json",
  ]);
  assert.deepEqual(o.tests, ["LPUSH", "LRANGE_100"]);
  assert.deepEqual(o.pipelines, [1, 4]);
  assert.equal(o.rounds, 5);
  assert.equal(o.requests, 1000);
  assert.equal(o.out, "x.md");
  assert.equal(o.json, true);
});

Deno.test("bad options are rejected with a message", () => {
  assert.throws(() => parseOptions(["--tests", "nope"]), OptionError);
  assert.throws(() => parseOptions(["--rounds", "0"]), OptionError);
  assert.throws(() => parseOptions(["--pipelines", "1,x"]), OptionError);
  assert.throws(() => parseOptions(["--rounds"]), OptionError);
  assert.throws(() => parseOptions(["--frobnicate", "1"]), OptionError);
});

Deno.test("--pubsub sets the fan-out subscriber counts; none skips the test", () => {
  assert.deepEqual(parseOptions([]).pubsub, [1, 10, 100]);
  assert.deepEqual(parseOptions(["--pubsub", "5,50"]).pubsub, [5, 50]);
  assert.deepEqual(parseOptions(["--pubsub=none"]).pubsub, []);
  assert.throws(() => parseOptions(["--pubsub", "0"]), OptionError);
});
