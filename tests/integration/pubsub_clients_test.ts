// Pub/Sub and client-side caching through npm clients: ioredis and node-redis (RESP2 and RESP3
// push frames) subscribe to channels, patterns and shard channels on inmemdb and redis-server;
// what the libraries deliver must be the same. node-redis's RESP3 client-side cache relies on
// CLIENT TRACKING invalidations.
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { clientTest, same } from "../helpers/client_test.ts";

/** Polls until `done()` (messages arrive asynchronously); fails after 5 s. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function ioredis(port: number): Promise<Redis> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  await client.connect();
  return client;
}

type NodeRedis = ReturnType<typeof createClient>;

async function nodeRedis(
  port: number,
  resp: 2 | 3,
  extra: Record<string, unknown> = {},
): Promise<NodeRedis> {
  const c = createClient({
    socket: { host: "127.0.0.1", port, reconnectStrategy: false },
    RESP: resp,
    ...extra,
  });
  c.on("error", (err) => {
    throw err;
  });
  await c.connect();
  return c as NodeRedis;
}

clientTest("pub/sub through ioredis", async (t, ports) => {
  await t.step("channels, patterns and shard channels", async () => {
    const result = await same(ports, async (port) => {
      const sub = await ioredis(port);
      const pub = await ioredis(port);
      try {
        const got: string[][] = [];
        sub.on("message", (channel, message) => got.push(["message", channel, message]));
        sub.on("pmessage", (pattern, channel, message) => {
          got.push(["pmessage", pattern, channel, message]);
        });
        sub.on("smessage", (channel, message) => got.push(["smessage", channel, message]));
        const counts = [
          await sub.subscribe("news", "sport"),
          await sub.psubscribe("n*"),
          await sub.ssubscribe("shard"),
        ];
        const receivers = [
          await pub.publish("news", "hello"),
          await pub.publish("nothing", "x"),
          await pub.call("SPUBLISH", "shard", "s1"),
          await pub.publish("sport", "goal"),
          await pub.publish("nope", "pattern only"),
        ];
        await until(() => got.length === 6, "6 messages");
        const introspection = [
          await pub.pubsub("NUMSUB", "news", "sport", "none"),
          await pub.pubsub("NUMPAT"),
          await pub.call("PUBSUB", "SHARDNUMSUB", "shard"),
          await pub.pubsub("CHANNELS", "n*"),
        ];
        // (ioredis waits forever on PUNSUBSCRIBE without arguments, and leaves subscriber
        // mode when SUNSUBSCRIBE's shard count reaches 0: with Redis too.)
        const unsubscribed = [await sub.unsubscribe("news"), await sub.punsubscribe("n*")];
        await pub.publish("news", "after");
        await pub.publish("sport", "still");
        await until(() => got.length === 7, "the message after unsubscribing");
        return { counts, receivers, got, introspection, unsubscribed };
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    });
    assert.deepEqual(result.got[0], ["message", "news", "hello"]);
    assert.deepEqual(result.got.at(-1), ["message", "sport", "still"]);
  });
});

clientTest("pub/sub through node-redis", async (t, ports) => {
  for (const resp of [2, 3] as const) {
    await t.step(`RESP${resp}: subscribe, pSubscribe, sSubscribe`, async () => {
      const got = await same(ports, async (port) => {
        const pub = await nodeRedis(port, resp);
        const sub = await nodeRedis(port, resp);
        try {
          const got: string[][] = [];
          await sub.subscribe("ch", (message, channel) => got.push(["ch", channel, message]));
          await sub.pSubscribe("c*", (message, channel) => got.push(["c*", channel, message]));
          await sub.sSubscribe("sh", (message, channel) => got.push(["sh", channel, message]));
          got.push(["receivers", String(await pub.publish("ch", "one"))]);
          got.push(["receivers", String(await pub.sPublish("sh", "two"))]);
          got.push(["receivers", String(await pub.publish("cx", "three"))]);
          await until(() => got.length === 7, "4 messages");
          await sub.unsubscribe("ch");
          await sub.pUnsubscribe("c*");
          await sub.sUnsubscribe("sh");
          return got.sort((a, b) => a.join().localeCompare(b.join()));
        } finally {
          await pub.close();
          await sub.close();
        }
      });
      assert.equal(got.length, 7);
    });
  }

  await t.step("RESP3: one connection subscribes and runs commands", async () => {
    const result = await same(ports, async (port) => {
      const c = await nodeRedis(port, 3);
      try {
        const got: string[] = [];
        await c.subscribe("mine", (message) => got.push(message));
        const replies = [await c.set("k", "v"), await c.get("k"), await c.publish("mine", "self")];
        await until(() => got.length === 1, "the message to itself");
        replies.push(await c.ping());
        await c.unsubscribe("mine");
        return { replies, got };
      } finally {
        await c.close();
      }
    });
    assert.deepEqual(result.got, ["self"]);
  });

  await t.step("RESP3 client-side cache: served locally until invalidated", async () => {
    const result = await same(ports, async (port) => {
      const cached = await nodeRedis(port, 3, { clientSideCache: { ttl: 0, maxEntries: 0 } });
      const writer = await nodeRedis(port, 2);
      try {
        await writer.set("csc", "1");
        const values = [await cached.get("csc"), await cached.get("csc")];
        const hitsBefore = cached.clientSideCache!.stats().hitCount;
        await writer.set("csc", "2");
        // The invalidation empties the local entry; the next GET goes to the server.
        await until(() => cached.clientSideCache!.size() === 0, "the invalidation");
        values.push(await cached.get("csc"));
        return { values, hitsBefore };
      } finally {
        await cached.close();
        await writer.close();
      }
    });
    assert.deepEqual(result, { values: ["1", "1", "2"], hitsBefore: 1 });
  });
});
