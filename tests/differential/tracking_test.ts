// Client-side caching against redis-server: CLIENT TRACKING modes (default, BCAST with PREFIX,
// OPTIN/OPTOUT with CLIENT CACHING, NOLOOP, REDIRECT), their errors, CLIENT TRACKINGINFO and
// GETREDIR, and the invalidation messages (RESP3 pushes, __redis__:invalidate for RESP2).
import { type Both, differential } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";
import type { RawClient } from "../helpers/resp_client.ts";

/** The next frame of each side (an invalidation); they must be byte-identical. */
async function next(both: Both, label: string): Promise<string> {
  const [ours, redis] = await Promise.all([both.ours.replyText(), both.redis.replyText()]);
  assertEquals(ours, redis, label);
  return ours;
}

async function hello3(both: Both): Promise<void> {
  await both.both("HELLO", "3");
}

/** Each side's client id. */
async function ids(both: Both): Promise<{ ours: string; redis: string }> {
  const id = async (c: RawClient) => /^:(\d+)/.exec(await c.call("CLIENT", "ID"))![1]!;
  return { ours: await id(both.ours), redis: await id(both.redis) };
}

/**
 * Sends a command whose arguments name a client id of each side; the replies must be equal
 * once each side's own ids are written as ID.
 */
async function checkWithIds(
  both: Both,
  target: { ours: string; redis: string },
  args: (id: string) => string[],
): Promise<string> {
  const scrub = (text: string, id: string) =>
    text.replaceAll(`:${id}\r\n`, ":ID\r\n").replaceAll(`redir=${id} `, "redir=ID ");
  const [ours, redis] = await Promise.all([
    both.ours.call(...args(target.ours)),
    both.redis.call(...args(target.redis)),
  ]);
  assertEquals(scrub(ours, target.ours), scrub(redis, target.redis), args("<id>").join(" "));
  return ours;
}

/** The next frame of each side, with each side's id of `target` written as ID. */
async function nextWithIds(both: Both, target: { ours: string; redis: string }) {
  const [ours, redis] = await Promise.all([both.ours.replyText(), both.redis.replyText()]);
  assertEquals(
    ours.replace(`:${target.ours}\r\n`, ":ID\r\n"),
    redis.replace(`:${target.redis}\r\n`, ":ID\r\n"),
  );
}

differential("tracking: the default mode over RESP3", async (t, servers) => {
  const tracker = await servers.connect();
  const writer = await servers.connect();
  await writer.check("FLUSHALL");
  await hello3(tracker);
  await t.step("ON, TRACKINGINFO, GETREDIR", async () => {
    await tracker.check("CLIENT", "TRACKINGINFO");
    await tracker.check("CLIENT", "GETREDIR");
    await tracker.check("CLIENT", "TRACKING", "on");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await tracker.check("CLIENT", "GETREDIR");
  });
  await t.step("a key read is invalidated once, when anyone changes it", async () => {
    await tracker.check("GET", "k");
    await tracker.check("MGET", "k", "k2");
    await writer.check("SET", "k2", "2");
    await next(tracker, "invalidate k2");
    await writer.check("SET", "k", "1");
    await next(tracker, "invalidate k");
    // Not read again since: no second message.
    await writer.check("SET", "k", "2");
    await tracker.check("PING");
  });
  await t.step("its own change: the reply first, then the invalidation", async () => {
    await tracker.check("GET", "k");
    await tracker.check("SET", "k", "3");
    await next(tracker, "own invalidation after the reply");
  });
  await t.step("inside EXEC: the invalidations follow the EXEC reply", async () => {
    await tracker.check("GET", "k");
    await tracker.check("GET", "k2");
    await tracker.check("MULTI");
    await tracker.check("SET", "k", "4");
    await tracker.check("GET", "k2");
    await tracker.check("SET", "k2", "4");
    await tracker.check("EXEC");
    await next(tracker, "k");
    await next(tracker, "k2");
  });
  await t.step("every type and command that changes a key", async () => {
    await writer.check("RPUSH", "list", "a");
    await writer.check("HSET", "hash", "f", "v");
    await tracker.check("LRANGE", "list", "0", "-1");
    await tracker.check("HGET", "hash", "f");
    await writer.check("LPOP", "list");
    await next(tracker, "list");
    await writer.check("HDEL", "hash", "f");
    await next(tracker, "hash");
    await tracker.check("GET", "gone");
    await writer.check("SET", "gone", "v", "PX", "1");
    await next(tracker, "gone created");
    await tracker.check("PING");
  });
  await t.step("FLUSHDB and FLUSHALL invalidate everything with a null", async () => {
    await tracker.check("GET", "k");
    await writer.check("FLUSHDB");
    await next(tracker, "flushdb null");
    await writer.check("FLUSHALL");
    await next(tracker, "flushall null");
    await tracker.check("FLUSHALL");
    await next(tracker, "own flushall null");
  });
  await t.step("OFF stops the messages", async () => {
    await tracker.check("GET", "k");
    await tracker.check("CLIENT", "TRACKING", "off");
    await writer.check("SET", "k", "5");
    await tracker.check("PING");
    await tracker.check("CLIENT", "TRACKINGINFO");
  });
});

differential("tracking: NOLOOP, OPTIN, OPTOUT and CLIENT CACHING", async (t, servers) => {
  const tracker = await servers.connect();
  const writer = await servers.connect();
  await writer.check("FLUSHALL");
  await hello3(tracker);
  await t.step("NOLOOP: no messages about its own changes", async () => {
    await tracker.check("CLIENT", "TRACKING", "on", "NOLOOP");
    await tracker.check("GET", "k");
    await tracker.check("SET", "k", "mine");
    await tracker.check("GET", "k");
    await writer.check("SET", "k", "theirs");
    await next(tracker, "invalidate from another client");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("OPTIN: only the command after CLIENT CACHING YES is tracked", async () => {
    await tracker.check("CLIENT", "TRACKING", "on", "OPTIN");
    await tracker.check("CLIENT", "CACHING", "no");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await tracker.check("GET", "o1");
    await tracker.check("CLIENT", "CACHING", "yes");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await tracker.check("GET", "o2");
    await tracker.check("GET", "o3");
    await writer.check("MSET", "o1", "x", "o2", "x", "o3", "x");
    await next(tracker, "only o2");
    await tracker.check("PING");
    await tracker.check("CLIENT", "TRACKING", "on", "OPTOUT");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("OPTOUT: everything but the command after CLIENT CACHING NO", async () => {
    await tracker.check("CLIENT", "TRACKING", "on", "OPTOUT");
    await tracker.check("CLIENT", "CACHING", "yes");
    await tracker.check("GET", "o1");
    await tracker.check("CLIENT", "CACHING", "no");
    await tracker.check("GET", "o2");
    await tracker.check("GET", "o3");
    await writer.check("MSET", "o1", "y", "o2", "y", "o3", "y");
    await next(tracker, "o1");
    await next(tracker, "o3");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("option errors", async () => {
    for (
      const args of [
        ["on", "OPTIN", "OPTOUT"],
        ["on", "BCAST", "OPTIN"],
        ["on", "PREFIX", "a"],
        ["on", "BCAST", "PREFIX", "ab", "PREFIX", "a"],
        ["on", "BCAST", "PREFIX", "a", "PREFIX", "ab"],
        ["on", "REDIRECT", "999999"],
        ["on", "REDIRECT", "x"],
        ["on", "REDIRECT"],
        ["on", "nosuch"],
        ["maybe"],
        ["off", "nosuch"],
      ]
    ) {
      await tracker.check("CLIENT", "TRACKING", ...args);
    }
    await tracker.check("CLIENT", "TRACKING");
    await tracker.check("CLIENT", "CACHING", "yes");
    await tracker.check("CLIENT", "CACHING", "maybe");
    await tracker.check("CLIENT", "CACHING");
    await tracker.check("CLIENT", "GETREDIR", "x");
    await tracker.check("CLIENT", "TRACKINGINFO", "x");
    await tracker.check("CLIENT", "TRACKING", "on");
    await tracker.check("CLIENT", "TRACKING", "on", "BCAST");
    await tracker.check("CLIENT", "TRACKING", "on", "OPTIN");
    await tracker.check("CLIENT", "CACHING", "yes");
    await tracker.check("CLIENT", "TRACKING", "off");
    await tracker.check("CLIENT", "TRACKING", "on", "OPTIN");
    await tracker.check("CLIENT", "TRACKING", "on", "OPTOUT");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
});

differential("tracking: BCAST with prefixes", async (t, servers) => {
  const tracker = await servers.connect();
  const writer = await servers.connect();
  await writer.check("FLUSHALL");
  await hello3(tracker);
  await t.step("every key under a prefix, one message per prefix", async () => {
    await tracker.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "b", "PREFIX", "a");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await writer.check("SET", "abc", "1");
    await next(tracker, "abc");
    await writer.check("MSET", "b2", "1", "a2", "2", "c1", "3", "a1", "4");
    await next(tracker, "prefix a: a1 a2");
    await next(tracker, "prefix b: b2");
    await tracker.check("SET", "a3", "own");
    await next(tracker, "own change without NOLOOP");
    await tracker.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab");
    await tracker.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "c");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await writer.check("SET", "c9", "x");
    await next(tracker, "new prefix c");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("NOLOOP spares its own changes; no prefix means every key", async () => {
    await tracker.check("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
    await tracker.check("CLIENT", "TRACKINGINFO");
    await tracker.check("SET", "mine", "1");
    await writer.check("SET", "theirs", "1");
    await next(tracker, "theirs only");
    await tracker.check("INFO", "nosuchsection");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
});

differential("tracking: REDIRECT to another connection", async (t, servers) => {
  const tracker = await servers.connect();
  const target = await servers.connect();
  const writer = await servers.connect();
  const targetIds = await ids(target);
  await t.step("RESP2: messages on __redis__:invalidate for a subscribed target", async () => {
    await target.check("SUBSCRIBE", "__redis__:invalidate");
    await checkWithIds(tracker, targetIds, (id) => ["CLIENT", "TRACKING", "on", "REDIRECT", id]);
    await checkWithIds(tracker, targetIds, () => ["CLIENT", "GETREDIR"]);
    await checkWithIds(tracker, targetIds, () => ["CLIENT", "TRACKINGINFO"]);
    await tracker.check("GET", "k");
    await writer.check("SET", "k", "1");
    await next(target, "message with the key array");
    await tracker.check("GET", "k");
    await writer.check("FLUSHALL");
    await next(target, "flush message");
    await checkWithIds(
      tracker,
      targetIds,
      (id) => ["CLIENT", "TRACKING", "on", "REDIRECT", id, "REDIRECT", id],
    );
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("a RESP2 tracker without redirection gets nothing", async () => {
    await tracker.check("CLIENT", "TRACKING", "on");
    await tracker.check("GET", "k");
    await writer.check("SET", "k", "2");
    await tracker.check("PING");
    await tracker.check("CLIENT", "TRACKING", "off");
  });
  await t.step("a broken redirection is reported to a RESP3 tracker", async () => {
    const gone = await servers.connect();
    const goneIds = await ids(gone);
    await hello3(tracker);
    await checkWithIds(tracker, goneIds, (id) => ["CLIENT", "TRACKING", "on", "REDIRECT", id]);
    await tracker.check("GET", "r");
    await gone.check("QUIT");
    await Promise.all([gone.ours.readToEnd(), gone.redis.readToEnd()]);
    // Wait until both servers have seen the connection close.
    for (const side of ["ours", "redis"] as const) {
      while ((await writer[side].call("CLIENT", "LIST")).includes(`id=${goneIds[side]} `)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await writer.check("SET", "r", "1");
    await nextWithIds(tracker, goneIds);
    await checkWithIds(tracker, goneIds, () => ["CLIENT", "TRACKINGINFO"]);
    await checkWithIds(tracker, goneIds, (id) => ["CLIENT", "TRACKING", "on", "REDIRECT", id]);
    await tracker.check("CLIENT", "TRACKING", "off");
  });
});

differential(
  "tracking: tracking-table-max-keys invalidates keys to stay under it",
  async (_t, servers) => {
    const tracker = await servers.connect();
    const admin = await servers.connect();
    await hello3(tracker);
    await admin.check("CONFIG", "SET", "tracking-table-max-keys", "2");
    try {
      await tracker.check("CLIENT", "TRACKING", "on");
      await tracker.check("MGET", "a", "b", "c", "d");
      // Two keys leave the table right after the reply; which ones is Redis's random choice.
      const shape = (frame: string) =>
        frame.replace(/\*1\r\n\$1\r\n[a-d]\r\n$/, "*1\r\n$1\r\nKEY\r\n");
      for (let i = 0; i < 2; i++) {
        const [ours, redis] = await Promise.all([
          tracker.ours.replyText(),
          tracker.redis.replyText(),
        ]);
        assertEquals(shape(ours), shape(redis), "an eviction invalidation");
        assertEquals(shape(ours), ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nKEY\r\n");
      }
      await tracker.check("PING");
      const [ours, redis] = await admin.both("INFO", "stats");
      const keys = (text: string) => /tracking_total_keys:(\d+)/.exec(text)?.[1];
      assertEquals(keys(ours), keys(redis));
      assertEquals(keys(ours), "2");
    } finally {
      await admin.check("CONFIG", "SET", "tracking-table-max-keys", "1000000");
    }
  },
);
