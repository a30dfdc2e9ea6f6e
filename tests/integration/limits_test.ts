// Limits against redis-server: maxclients, timeout, client-query-buffer-limit,
// proto-max-bulk-len, tcp-keepalive; and clients that stall mid-command or never read their
// replies cannot hold up the others.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { startInmemdb, startRedis } from "../helpers/servers.ts";

/** Everything the server sends until it closes the connection ("" when nothing), or "open". */
async function untilClosed(client: RawClient, timeoutMs = 5000): Promise<string> {
  try {
    return await client.readToEnd(timeoutMs);
  } catch (err) {
    if (err instanceof Deno.errors.ConnectionReset) return "";
    if (/no reply within/.test((err as Error).message)) return "open";
    throw err;
  }
}

/** Waits until each server lists `count` clients. */
async function settledClients(both: Both, count: number): Promise<void> {
  const lines = async (client: RawClient) =>
    (await client.call("CLIENT", "LIST")).split("\n").filter((l) => l.includes("id=")).length;
  const deadline = Date.now() + 5000;
  while ((await lines(both.ours)) !== count || (await lines(both.redis)) !== count) {
    if (Date.now() > deadline) throw new Error(`never ${count} clients`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

differential(
  "maxclients: one connection too many gets Redis's error and is closed",
  async (t, servers) => {
    const open: Both[] = [await servers.connect()];
    // The startup probe's connection may still be counted for a moment: wait until it is
    // gone, then until all four are accepted, on both servers.
    await settledClients(open[0]!, 1);
    for (let i = 0; i < 3; i++) open.push(await servers.connect());
    await settledClients(open[0]!, 4);
    await t.step("the fifth connection", async () => {
      const extra = await servers.connect();
      const [ours, redis] = [await untilClosed(extra.ours), await untilClosed(extra.redis)];
      assertEquals(ours, redis);
      assertEquals(ours, "-ERR max number of clients reached\r\n");
    });
    await t.step("room again after one leaves, and after CONFIG SET maxclients", async () => {
      open.pop()!.close();
      await settledClients(open[0]!, 3);
      const next = await servers.connect();
      await next.check("PING");
      await next.check("CONFIG", "SET", "maxclients", "5");
      const fifth = await servers.connect();
      await fifth.check("PING");
      const sixth = await servers.connect();
      assertEquals(await untilClosed(sixth.ours), await untilClosed(sixth.redis));
    });
  },
  { inmemdbArgs: ["--maxclients", "4"], redisArgs: ["--maxclients", "4"] },
);

differential("timeout closes idle clients, not blocked or subscribed ones", async (t, servers) => {
  const idle = await servers.connect();
  await idle.check("PING");
  const blocked = await servers.connect();
  const blpop = encodeCommand(["BLPOP", "q", "0"]);
  await Promise.all([blocked.ours.send(blpop), blocked.redis.send(blpop)]);
  const subscriber = await servers.connect();
  await subscriber.check("SUBSCRIBE", "ch");
  const started = Date.now();
  await t.step("the idle client goes after more than `timeout` seconds", async () => {
    const [ours, redis] = await Promise.all([untilClosed(idle.ours), untilClosed(idle.redis)]);
    assertEquals([ours, redis], ["", ""]);
    const elapsed = Date.now() - started;
    assert(elapsed >= 1000 && elapsed < 4500, `closed after ${elapsed} ms`);
  });
  await t.step("the blocked and the subscribed clients stay", async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const pusher = await servers.connect();
    await pusher.check("LPUSH", "q", "v");
    const served = async (side: "ours" | "redis") => {
      try {
        return await blocked[side].replyText();
      } catch (err) {
        throw new Error(`${side}: the blocked client got no reply: ${(err as Error).message}`);
      }
    };
    assertEquals(await served("ours"), await served("redis"));
    await subscriber.check("PING");
  });
}, { inmemdbArgs: ["--timeout", "1"], redisArgs: ["--timeout", "1"] });

const QUERY_LIMIT = ["--client-query-buffer-limit", "1mb"];

differential(
  "client-query-buffer-limit closes a client whose request outgrows it",
  async (t, servers) => {
    const big = "x".repeat(1_500_000);
    await t.step("an argument bigger than the limit, whole or in part", async () => {
      for (const declared of [2_000_000, 1_500_000]) {
        const c = await servers.connect();
        const frame = `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${declared}\r\n${big}` +
          (declared === big.length ? "\r\n" : "");
        await Promise.all([c.ours.send(frame), c.redis.send(frame)]);
        assertEquals([await untilClosed(c.ours), await untilClosed(c.redis)], ["", ""]);
      }
    });
    await t.step("requests under the limit are served; CONFIG SET raises it", async () => {
      const c = await servers.connect();
      await c.check("SET", "k", "y".repeat(500_000));
      await c.check("STRLEN", "k");
      await c.check("CONFIG", "SET", "client-query-buffer-limit", "4mb");
      await c.check("SET", "k", big);
      await c.check("STRLEN", "k");
      await c.check("CONFIG", "SET", "client-query-buffer-limit", "1000");
    });
  },
  { inmemdbArgs: QUERY_LIMIT, redisArgs: QUERY_LIMIT },
);

const BULK_LIMIT = ["--proto-max-bulk-len", "1mb"];

differential(
  "proto-max-bulk-len bounds request arguments and string values",
  async (t, servers) => {
    const mb = 1024 * 1024;
    await t.step("one byte over is a protocol error", async () => {
      const c = await servers.connect();
      await c.check("FLUSHALL");
      await c.check("SET", "k", "v".repeat(mb));
      await c.checkRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${mb + 1}\r\n`);
      assertEquals(await untilClosed(c.ours), await untilClosed(c.redis));
    });
    await t.step("values may not grow past it either", async () => {
      const c = await servers.connect();
      await c.check("APPEND", "k", "v");
      await c.check("SETRANGE", "k", String(mb), "v");
      await c.check("SETBIT", "k", String(8 * mb), "1");
      await c.check("CONFIG", "SET", "proto-max-bulk-len", "2mb");
      await c.check("APPEND", "k", "v");
      await c.check("STRLEN", "k");
    });
  },
  { inmemdbArgs: BULK_LIMIT, redisArgs: BULK_LIMIT },
);

/** The `ss` line of the server side of connections to `port`. */
async function socketTimers(port: number): Promise<string> {
  const out = await new Deno.Command("ss", {
    args: ["-tnoH", "state", "established", `( sport = :${port} )`],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("tcp-keepalive turns TCP keepalive on for client sockets (0 turns it off)", async () => {
  for (const [value, expected] of [["300", true], ["0", false]] as const) {
    const [ours, redis] = await Promise.all([
      startInmemdb(["--tcp-keepalive", value]),
      startRedis(["--tcp-keepalive", value]),
    ]);
    try {
      for (const server of [ours, redis]) {
        const client = await RawClient.connect(server.port);
        assertEquals(await client.call("PING"), "+PONG\r\n");
        const timers = await socketTimers(server.port);
        assertEquals(timers.includes("keepalive"), expected, `tcp-keepalive ${value}: ${timers}`);
        client.close();
      }
    } finally {
      await Promise.all([ours.stop(), redis.stop()]);
    }
  }
});

Deno.test("stalled and non-reading clients do not hold up the others", async () => {
  const server = await startInmemdb();
  const slow: Deno.TcpConn[] = [];
  try {
    const setup = await RawClient.connect(server.port);
    assertEquals(await setup.call("SET", "big", "b".repeat(64 * 1024)), "+OK\r\n");
    // Half a command, then silence.
    for (let i = 0; i < 20; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc"));
      slow.push(conn);
    }
    // Many requests for a big value whose replies are never read.
    const request = encodeCommand(["GET", "big"]);
    const burst = new Uint8Array(request.length * 100);
    for (let i = 0; i < 100; i++) burst.set(request, i * request.length);
    for (let i = 0; i < 5; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      conn.write(burst).catch(() => {});
      slow.push(conn);
    }
    const fast = await RawClient.connect(server.port);
    let worst = 0;
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      assertEquals(await fast.call("SET", `k${i}`, "v"), "+OK\r\n");
      assertEquals(await fast.call("GET", `k${i}`), "$1\r\nv\r\n");
      worst = Math.max(worst, performance.now() - start);
    }
    assert(worst < 250, `slowest SET+GET round trip took ${worst.toFixed(1)} ms`);
    fast.close();
    setup.close();
  } finally {
    for (const conn of slow) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    await server.stop();
  }
});

differential(
  "client-output-buffer-limit normal closes a client that does not read",
  async (t, servers) => {
    const admin = await servers.connect();
    await admin.check("FLUSHALL");
    await admin.check("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
    await admin.check("SET", "big", "b".repeat(100_000));
    await t.step("50 replies of 100 KB unread: over the hard limit", async () => {
      const c = await servers.connect();
      const request = encodeCommand(["GET", "big"]);
      const burst = new Uint8Array(request.length * 50);
      for (let i = 0; i < 50; i++) burst.set(request, i * request.length);
      await Promise.all([c.ours.send(burst), c.redis.send(burst)]);
      // Whatever was already sent may arrive; then the connection is closed.
      const [ours, redis] = [await untilClosed(c.ours), await untilClosed(c.redis)];
      assert(ours !== "open" && redis !== "open", "both close the connection");
      assert(ours.length < 50 * 100_000 && redis.length < 50 * 100_000, "not every reply arrived");
    });
    await t.step("a client under the limit is served", async () => {
      const c = await servers.connect();
      for (let i = 0; i < 5; i++) await c.check("STRLEN", "big");
      await c.check("GET", "big");
    });
  },
);
