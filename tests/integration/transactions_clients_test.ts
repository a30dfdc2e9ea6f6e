// Transactions through npm clients: ioredis's and node-redis's multi() APIs against inmemdb and
// redis-server (same results), and an optimistic-locking retry loop (WATCH/GET/MULTI/SET/EXEC)
// from 10 concurrent connections incrementing one counter: the final value must be exact.
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { clientTest, same } from "../helpers/client_test.ts";

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

/** An error's message, so that rejections compare like results. */
async function settle<T>(p: Promise<T>): Promise<T | { error: string }> {
  try {
    return await p;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

clientTest("transactions through ioredis", async (t, ports) => {
  await t.step("multi() with results, runtime errors in place, EXECABORT", async () => {
    const result = await same(ports, async (port) => {
      const r = await ioredis(port);
      try {
        await r.flushall();
        const ok = await r.multi().set("a", "1").incr("a").get("a").lpush("a", "x").exec();
        const aborted = await settle(
          r.multi().set("b", "1").call("NOSUCHCOMMAND").exec(),
        );
        const exists = await r.exists("b");
        return { ok: ok!.map(([err, value]) => err ? err.message : value), aborted, exists };
      } finally {
        r.disconnect();
      }
    });
    assert.deepEqual(result.ok.slice(0, 3), ["OK", 2, "2"]);
    assert.equal(result.exists, 0);
  });

  await t.step("WATCH makes exec() return null when the key changed", async () => {
    const result = await same(ports, async (port) => {
      const a = await ioredis(port);
      const b = await ioredis(port);
      try {
        await a.set("w", "1");
        await a.watch("w");
        await b.set("w", "2");
        const aborted = await a.multi().set("w", "3").exec();
        await a.watch("w");
        const ran = await a.multi().set("w", "4").exec();
        return { aborted, ran, value: await b.get("w") };
      } finally {
        a.disconnect();
        b.disconnect();
      }
    });
    assert.equal(result.aborted, null);
    assert.equal(result.value, "4");
  });
});

clientTest("transactions through node-redis", async (t, ports) => {
  for (const resp of [2, 3] as const) {
    await t.step(`RESP${resp}: multi().exec() and a WatchError`, async () => {
      await same(ports, async (port) => {
        const c = createClient({
          socket: { host: "127.0.0.1", port, reconnectStrategy: false },
          RESP: resp,
        });
        const other = c.duplicate();
        await c.connect();
        await other.connect();
        try {
          await c.flushAll();
          const replies = await c.multi().set("n", "1").incrBy("n", 9).get("n").exec();
          await c.watch("n");
          await other.set("n", "changed");
          const watched = await settle(c.multi().incr("n").exec());
          return { replies, watched, n: await c.get("n") };
        } finally {
          await c.close();
          await other.close();
        }
      });
    });
  }
});

clientTest("a WATCH retry loop from 10 concurrent clients counts exactly", async (_t, ports) => {
  const CLIENTS = 10, INCREMENTS = 30;
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => ioredis(ports.inmemdb)));
  let retries = 0;
  try {
    await clients[0]!.set("counter", "0");
    const increment = async (r: Redis) => {
      for (;;) {
        await r.watch("counter");
        const value = Number(await r.get("counter"));
        const result = await r.multi().set("counter", String(value + 1)).exec();
        if (result !== null) return;
        retries++;
      }
    };
    await Promise.all(clients.map(async (r) => {
      for (let i = 0; i < INCREMENTS; i++) await increment(r);
    }));
    assert.equal(await clients[0]!.get("counter"), String(CLIENTS * INCREMENTS));
    // Contention really happened: some transactions were aborted and retried.
    assert.ok(retries > 0, "no EXEC was ever aborted");
  } finally {
    for (const r of clients) r.disconnect();
  }
});
