// What every write command propagates (inmemdb in-process, with a capturing sink) against a
// real redis-server's append-only file, with its notifications, dirty count and reply.
import { assert, assertEquals } from "../helpers/assert.ts";
import { redisAvailable } from "../helpers/servers.ts";
import { allCases } from "../helpers/write_cases.ts";
import { compareEffects, inmemdbTarget, parseAof, redisTarget } from "../helpers/write_effects.ts";
import { Config } from "../../lib/config.ts";
import { Server } from "../../lib/server.ts";
import { Client } from "../../lib/client.ts";
import { processCommand } from "../../lib/commands/dispatch.ts";
import { onFlushedDb, onModifiedKey, setEventPublisher } from "../../lib/keyspace_events.ts";

Deno.test({
  name: "every write propagates, notifies and counts as in redis-server's AOF",
  ignore: !redisAvailable(),
  async fn(t) {
    const redis = await redisTarget();
    const ours = inmemdbTarget();
    try {
      for (const [name, steps] of Object.entries(allCases)) {
        await t.step(name, async () => {
          // The servers are independent: each runs the steps at its own pace.
          const [expected, actual] = await Promise.all([redis.run(steps), ours.run(steps)]);
          assertEquals(compareEffects(actual, expected), [], name);
        });
      }
    } finally {
      await ours.close();
      await redis.close();
    }
  },
});

Deno.test("parseAof reads the RESP arrays of an append-only file", () => {
  const text = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n";
  assertEquals(parseAof(text), [["SELECT", "0"], ["SET", "k", "a\r\nb"]]);
});

Deno.test("every key a write notifies is signalled as modified (WATCH, tracking)", () => {
  const config = new Config();
  config.load("save", [""]);
  const server = new Server(config);
  const c = new Client(server, null);
  server.clients.set(c.id, c);
  let recording = false;
  let signalled = new Set<string>();
  let flushed: number[] = [];
  // The registries keep listeners for good: these record only during this test.
  onModifiedKey((db, key) => {
    if (recording) signalled.add(`${db.id}:${key}`);
  });
  onFlushedDb((dbIndex) => {
    if (recording) flushed.push(dbIndex);
  });
  let events: string[] = [];
  setEventPublisher((channel, key) => {
    const m = /^__keyevent@(\d+)__:(.*)$/.exec(channel);
    // A miss changes nothing; "new" alone is BITFIELD's key made by a failed write (unsignalled
    // in Redis too): every other event names a key the command changed.
    if (m !== null && m[2] !== "keymiss" && m[2] !== "new") events.push(`${m[1]}:${key}`);
  });
  const run = (...argv: string[]) => {
    processCommand(c, argv);
    c.reply.consume(c.reply.len);
  };
  run("CONFIG", "SET", "notify-keyspace-events", "EA");
  try {
    for (const [name, steps] of Object.entries(allCases)) {
      run("SELECT", "0");
      run("FLUSHALL");
      for (const step of steps) {
        // Steps that need time, other connections or randomness are covered by the AOF test.
        if (step[0]!.startsWith("@")) continue;
        events = [];
        signalled = new Set();
        recording = true;
        run(...step);
        recording = false;
        for (const key of events) {
          assert(signalled.has(key), `${name}: ${step.join(" ")} notified ${key} unsignalled`);
        }
      }
    }
    // FLUSHDB, FLUSHALL and SWAPDB signal whole dbs, before their keys go.
    run("SET", "k", "v");
    flushed = [];
    recording = true;
    run("FLUSHDB");
    run("SWAPDB", "0", "3");
    run("FLUSHALL");
    recording = false;
    assertEquals(flushed, [0, 0, 3, -1]);
  } finally {
    recording = false;
    setEventPublisher(null);
  }
});
