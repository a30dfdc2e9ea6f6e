// Keyspace notifications over the wire: PSUBSCRIBE __key*__:* on each server sees the same
// messages in the same order for every write command and for lazy and active expiry.
import { assertEquals } from "../helpers/assert.ts";
import { differential } from "../helpers/differential.ts";
import { allCases } from "../helpers/write_cases.ts";
import { compareEffects, NOTIFY_ALL_ARGS, wireTarget } from "../helpers/write_effects.ts";

differential("keyspace notifications match redis-server for every write", async (t, servers) => {
  const ours = await wireTarget(servers.inmemdb.port, null);
  const redis = await wireTarget(servers.redis.port, null);
  try {
    for (const [name, steps] of Object.entries(allCases)) {
      await t.step(name, async () => {
        // The servers are independent: each runs the steps at its own pace.
        const [expected, actual] = await Promise.all([redis.run(steps), ours.run(steps)]);
        assertEquals(compareEffects(actual, expected, { aof: false }), [], name);
      });
    }
  } finally {
    await ours.close();
    await redis.close();
  }
}, { inmemdbArgs: NOTIFY_ALL_ARGS, redisArgs: NOTIFY_ALL_ARGS });

differential(
  "CONFIG SET notify-keyspace-events: canonical spelling and errors",
  async (_t, servers) => {
    const both = await servers.connect();
    for (
      const value of ["KEA", "AKEnm", "g$lshzxetd", "g$lshzxet", "Ex", "nKE", "mK", "dn", "", "A"]
    ) {
      await both.check("CONFIG", "SET", "notify-keyspace-events", value);
      await both.check("CONFIG", "GET", "notify-keyspace-events");
    }
    for (const bad of ["Q", "KEAq", "k", "a"]) {
      await both.check("CONFIG", "SET", "notify-keyspace-events", bad);
    }
    await both.check("CONFIG", "GET", "notify-keyspace-events");
  },
);

differential("notify-keyspace-events from the command line", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("CONFIG", "GET", "notify-keyspace-events");
}, {
  inmemdbArgs: ["--notify-keyspace-events", "Elg"],
  redisArgs: ["--notify-keyspace-events", "Elg"],
});
