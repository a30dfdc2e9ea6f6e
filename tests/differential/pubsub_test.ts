// Pub/Sub against redis-server: subscription replies and counts, messages of every kind, the
// RESP2 subscribed-mode restrictions, RESP3 push frames, PUBSUB introspection, keyspace
// notifications delivered through PUBLISH, CLIENT LIST and INFO fields.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";

/** The next reply (a message) of each side; they must be byte-identical. */
async function next(both: Both, label: string): Promise<string> {
  const [ours, redis] = await Promise.all([both.ours.replyText(), both.redis.replyText()]);
  assertEquals(ours, redis, label);
  return ours;
}

/** Sends a command that answers with `count` frames (SUBSCRIBE a b c) and compares them all. */
async function checkFrames(both: Both, count: number, ...args: string[]): Promise<string[]> {
  const frames = [await both.check(...args)];
  for (let i = 1; i < count; i++) {
    frames.push(await next(both, `frame ${i + 1} of ${args.join(" ")}`));
  }
  return frames;
}

async function hello3(both: Both): Promise<void> {
  const [ours, redis] = await both.both("HELLO", "3");
  assert.ok(ours.startsWith("%") && redis.startsWith("%"));
}

/** A field of a CLIENT INFO / CLIENT LIST line. */
function field(line: string, name: string): string {
  const m = new RegExp(`(?:^|[ \\n])${name}=([^ \\r\\n]*)`).exec(line);
  assert.ok(m !== null, `no ${name} in ${line}`);
  return m[1]!;
}

differential("pub/sub: subscribing, counting and RESP2 subscribed mode", async (t, servers) => {
  const sub = await servers.connect();
  const pub = await servers.connect();
  await t.step("unsubscribing with nothing subscribed replies a null channel", async () => {
    await sub.check("UNSUBSCRIBE");
    await sub.check("PUNSUBSCRIBE");
    await sub.check("SUNSUBSCRIBE");
    await sub.check("UNSUBSCRIBE", "nosuch");
    await sub.check("GET", "x");
  });
  await t.step("counts: channels and patterns together, shard channels apart", async () => {
    await checkFrames(sub, 3, "SUBSCRIBE", "c1", "c2", "c1");
    await checkFrames(sub, 2, "PSUBSCRIBE", "p*", "c?");
    await checkFrames(sub, 2, "SSUBSCRIBE", "s1", "s2");
    await checkFrames(sub, 1, "PSUBSCRIBE", "p*");
  });
  await t.step("only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET are allowed", async () => {
    await sub.check("GET", "x");
    await sub.check("SET", "x", "1");
    await sub.check("CLIENT", "ID");
    await sub.check("MULTI");
    await sub.check("PUBLISH", "c1", "m");
    await sub.check("nosuch");
    await sub.check("SUBSCRIBE");
    await sub.check("PING");
    await sub.check("PING", "hello");
    await sub.check("PING", "a", "b");
  });
  await t.step("messages, pattern messages and shard messages", async () => {
    await pub.check("PUBLISH", "c1", "hello");
    await next(sub, "message on c1");
    await next(sub, "pmessage c? on c1");
    await pub.check("PUBLISH", "pq", "x\r\ny\0z");
    await next(sub, "pmessage p* on pq");
    await pub.check("SPUBLISH", "s1", "shard");
    await next(sub, "smessage on s1");
    // A shard channel is not a channel, and patterns do not see shard messages.
    await pub.check("PUBLISH", "s1", "plain");
    await pub.check("SPUBLISH", "c1", "nobody");
    await pub.check("PUBLISH", "zz", "nobody");
    await sub.check("PING");
  });
  await t.step("PUBSUB introspection", async () => {
    await pub.check("PUBSUB", "NUMSUB", "c1", "c2", "zz");
    await pub.check("PUBSUB", "NUMSUB");
    await pub.check("PUBSUB", "NUMPAT");
    await pub.check("PUBSUB", "SHARDNUMSUB", "s1", "c1");
    await pub.checkUnordered("PUBSUB", "CHANNELS");
    await pub.check("PUBSUB", "CHANNELS", "c2*");
    await pub.checkUnordered("PUBSUB", "SHARDCHANNELS");
    await pub.check("PUBSUB", "SHARDCHANNELS", "s[1]");
    await pub.check("PUBSUB", "CHANNELS", "a", "b");
    await pub.check("PUBSUB", "SHARDCHANNELS", "a", "b");
    await pub.check("PUBSUB", "NUMPAT", "x");
    await pub.check("PUBSUB", "nosuch");
    await pub.check("PUBSUB");
    await pub.check("PUBSUB", "HELP");
    await pub.check("PUBLISH", "c1");
    await pub.check("SPUBLISH", "c1", "a", "b");
  });
  await t.step("unsubscribing: named, unknown, then all (one at a time)", async () => {
    await checkFrames(sub, 2, "UNSUBSCRIBE", "c2", "zz");
    await checkFrames(sub, 1, "PUNSUBSCRIBE", "c?");
    await checkFrames(sub, 1, "SUNSUBSCRIBE", "s2");
    await checkFrames(sub, 1, "UNSUBSCRIBE");
    await checkFrames(sub, 1, "PUNSUBSCRIBE");
    // Still subscribed to a shard channel: still in Pub/Sub mode.
    await sub.check("GET", "x");
    await checkFrames(sub, 1, "SUNSUBSCRIBE");
    await sub.check("GET", "x");
    await sub.check("PING");
  });
  await t.step("RESET leaves Pub/Sub mode without unsubscribe replies", async () => {
    await checkFrames(sub, 2, "SUBSCRIBE", "a", "b");
    await sub.check("RESET");
    await sub.check("PING");
    await pub.check("PUBLISH", "a", "m");
    await pub.check("PUBSUB", "NUMSUB", "a", "b");
  });
  await t.step("QUIT works in Pub/Sub mode", async () => {
    const quitter = await servers.connect();
    await quitter.check("SUBSCRIBE", "q");
    await quitter.check("QUIT");
    const [ours, redis] = await Promise.all([
      quitter.ours.readToEnd(),
      quitter.redis.readToEnd(),
    ]);
    assertEquals(ours, redis);
  });
});

differential(
  "pub/sub: RESP3 clients get push frames and may run any command",
  async (t, servers) => {
    const sub = await servers.connect();
    const pub = await servers.connect();
    await hello3(sub);
    await t.step("subscribe replies and messages are pushes", async () => {
      await checkFrames(sub, 2, "SUBSCRIBE", "ch", "other");
      await sub.check("SSUBSCRIBE", "sh");
      await sub.check("PSUBSCRIBE", "c*");
      await pub.check("PUBLISH", "ch", "hi");
      await next(sub, "message push");
      await next(sub, "pmessage push");
      await pub.check("SPUBLISH", "sh", "hi");
      await next(sub, "smessage push");
    });
    await t.step("any command runs; PING is +PONG", async () => {
      await sub.check("SET", "k", "v");
      await sub.check("GET", "k");
      await sub.check("PING");
      await sub.check("UNSUBSCRIBE", "other");
    });
    await t.step("publishing to itself: the push comes before the reply", async () => {
      await sub.check("PUBLISH", "ch", "self");
      await next(sub, "pmessage to itself");
      await next(sub, "reply after the pushes");
    });
    await t.step("inside a transaction", async () => {
      await sub.check("MULTI");
      await sub.check("SUBSCRIBE", "in-multi");
      await sub.check("SSUBSCRIBE", "denied");
      await sub.check("PUBLISH", "in-multi", "1");
      await sub.check("GET", "k");
      await sub.check("EXEC");
      // The EXEC array holds the replies; the message push sits between them.
      await next(sub, "rest of EXEC");
      await checkFrames(sub, 1, "PUNSUBSCRIBE");
      await sub.check("SUNSUBSCRIBE");
      await sub.check("UNSUBSCRIBE", "ch");
      await sub.check("UNSUBSCRIBE", "in-multi");
      await sub.check("UNSUBSCRIBE");
      await sub.check("PING");
    });
    await t.step("binary channels and messages", async () => {
      const channel = "b\0\xff\r\n";
      await sub.check("SUBSCRIBE", channel);
      await pub.check("PUBLISH", channel, "\x00\x01\xfe\xff");
      await next(sub, "binary message");
      await pub.check("PUBSUB", "NUMSUB", channel);
      await sub.check("UNSUBSCRIBE", channel);
    });
  },
);

differential(
  "pub/sub: one channel's RESP2 and RESP3 subscribers, in either order, get their own frames",
  async (t, servers) => {
    // A message is encoded once, for the first subscriber, and copied to the others with their
    // protocol's type byte: the order of protocols and the message's size must not matter.
    const [a2, b3, c3, d2] = await Promise.all([1, 2, 3, 4].map(() => servers.connect()));
    const pub = await servers.connect();
    await hello3(b3!);
    await hello3(c3!);
    for (const sub of [a2!, b3!, c3!, d2!]) {
      await checkFrames(sub, 1, "SUBSCRIBE", "mixed");
      await checkFrames(sub, 1, "PSUBSCRIBE", "mix*");
    }
    for (const message of ["short", "m".repeat(200), ""]) {
      await t.step(`a ${message.length}-byte message`, async () => {
        await pub.check("PUBLISH", "mixed", message);
        for (const sub of [a2!, b3!, c3!, d2!]) {
          await next(sub, "message");
          await next(sub, "pmessage");
        }
      });
    }
    await t.step("the channel's subscribers after some left", async () => {
      await checkFrames(a2!, 1, "UNSUBSCRIBE", "mixed");
      await b3!.check("UNSUBSCRIBE", "mixed");
      await pub.check("PUBLISH", "mixed", "after");
      for (const sub of [a2!, b3!]) await next(sub, "pmessage");
      for (const sub of [c3!, d2!]) {
        await next(sub, "message");
        await next(sub, "pmessage");
      }
    });
  },
);

differential(
  "pub/sub: publishing again to a channel after its subscribers changed",
  async (_t, servers) => {
    // PUBLISH remembers the last channel it delivered on; every change must be seen.
    const sub = await servers.connect();
    const other = await servers.connect();
    const pub = await servers.connect();
    await checkFrames(sub, 1, "SUBSCRIBE", "ch");
    await pub.check("PUBLISH", "ch", "1");
    await next(sub, "first message");
    await checkFrames(sub, 1, "UNSUBSCRIBE", "ch");
    await pub.check("PUBLISH", "ch", "nobody");
    await checkFrames(other, 1, "SUBSCRIBE", "ch");
    await pub.check("PUBLISH", "ch", "2");
    await next(other, "message to the new subscriber");
    await checkFrames(sub, 1, "SSUBSCRIBE", "ch");
    await pub.check("SPUBLISH", "ch", "3");
    await next(sub, "shard message on the same name");
    await pub.check("PUBLISH", "ch", "4");
    await next(other, "channel message again");
    await checkFrames(sub, 1, "SUBSCRIBE", "ch");
    await pub.check("PUBLISH", "ch", "5");
    await next(other, "to the first subscriber");
    await next(sub, "and to the second");
    await pub.check("PUBLISH", "ch2", "nobody");
    await sub.check("PING");
    await other.check("PING");
  },
);

differential(
  "pub/sub: SUBSCRIBE inside MULTI enters Pub/Sub mode after EXEC",
  async (_t, servers) => {
    const c = await servers.connect();
    await c.check("MULTI");
    await c.check("SUBSCRIBE", "x");
    await c.check("PSUBSCRIBE", "y*");
    await c.check("SSUBSCRIBE", "z");
    await c.check("EXEC");
    await c.check("GET", "k");
    await c.check("PING");
  },
);

differential("pub/sub: keyspace notifications arrive as messages", async (_t, servers) => {
  const sub = await servers.connect();
  const cmd = await servers.connect();
  await cmd.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
  await checkFrames(sub, 1, "PSUBSCRIBE", "__key*__:*");
  await cmd.check("SET", "foo", "bar");
  await next(sub, "keyspace set");
  await next(sub, "keyevent set");
  await cmd.check("DEL", "foo");
  await next(sub, "keyspace del");
  await next(sub, "keyevent del");
  await cmd.check("CONFIG", "SET", "notify-keyspace-events", "Kg");
  await cmd.check("SET", "foo", "bar");
  await cmd.check("DEL", "foo");
  await next(sub, "keyspace del only");
  await sub.check("PING");
  await cmd.check("CONFIG", "SET", "notify-keyspace-events", "");
});

differential("pub/sub: CLIENT LIST and INFO count subscriptions", async (_t, servers) => {
  const sub = await servers.connect();
  const other = await servers.connect();
  await checkFrames(sub, 2, "SUBSCRIBE", "a", "b");
  await checkFrames(sub, 1, "PSUBSCRIBE", "p*");
  await checkFrames(sub, 3, "SSUBSCRIBE", "s1", "s2", "s3");
  const [ours, redis] = await other.both("CLIENT", "LIST", "TYPE", "pubsub");
  for (const name of ["flags", "sub", "psub", "ssub", "multi"]) {
    assertEquals(field(ours, name), field(redis, name), `CLIENT LIST ${name}`);
  }
  assertEquals(field(ours, "flags"), "P");
  const [oursInfo, redisInfo] = await other.both("INFO", "stats");
  for (const name of ["pubsub_channels", "pubsub_patterns", "pubsubshard_channels"]) {
    const value = (text: string) => new RegExp(`${name}:(\\d+)`).exec(text)?.[1];
    assertEquals(value(oursInfo), value(redisInfo), name);
  }
  // The subscriber is the only pubsub client; the other one is normal.
  const [oursNormal, redisNormal] = await other.both("CLIENT", "LIST", "TYPE", "normal");
  assertEquals(oursNormal.split("\n").length, redisNormal.split("\n").length);
});
