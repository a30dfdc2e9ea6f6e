// The npm client libraries against inmemdb: ioredis and node-redis (RESP2 and RESP3) run the
// same scenarios against inmemdb and redis-server, and the results they return must be equal.
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import { Redis, ReplyError } from "ioredis";
import { createClient, ErrorReply, RESP_TYPES } from "redis";
import denoConfig from "../../deno.json" with { type: "json" };
import { clientTest, same } from "../helpers/client_test.ts";

/** Version of an npm import pinned in deno.json ("npm:name@1.2.3"). */
function pinned(name: "ioredis" | "redis"): string {
  return denoConfig.imports[name].replace(/^npm:.*@/, "");
}

/** An error's message, so that rejections can be compared like results. */
async function settle<T>(p: Promise<T>): Promise<T | { error: string; replyError: boolean }> {
  try {
    return await p;
  } catch (err) {
    return { error: (err as Error).message, replyError: err instanceof ReplyError };
  }
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

// ---------------------------------------------------------------------------------------------
// ioredis

/** An ioredis client that fails fast instead of reconnecting. */
async function ioredis(port: number, options: Record<string, unknown> = {}): Promise<Redis> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // The ready check (INFO) has its own test below; the others do not depend on it.
    enableReadyCheck: false,
    ...options,
  });
  await client.connect();
  return client;
}

/** Runs fn with a connected ioredis client and closes it with QUIT. */
async function withIoredis<T>(
  port: number,
  fn: (r: Redis) => Promise<T>,
  options?: Record<string, unknown>,
): Promise<T> {
  const r = await ioredis(port, options);
  try {
    return await fn(r);
  } finally {
    await r.quit();
  }
}

clientTest("ioredis", async (t, ports) => {
  await t.step("connects with its ready check (INFO, loading:0)", async () => {
    const r = new Redis({
      host: "127.0.0.1",
      port: ports.inmemdb,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const errors: Error[] = [];
    r.on("error", (err) => errors.push(err));
    try {
      await r.connect().catch((err) => {
        throw new Error(`${err.message} ${errors.map((e) => e.message).join("; ")}`);
      });
      assert.equal(r.status, "ready");
      assert.equal(await r.ping(), "PONG");
    } finally {
      await r.quit().catch(() => r.disconnect());
    }
  });

  await t.step("SET GET INCR MSET MGET EXPIRE TTL DEL", async () => {
    const results = await same(ports, (port) =>
      withIoredis(port, async (r) => [
        await r.set("k", "v"),
        await r.get("k"),
        await r.get("missing"),
        await r.incr("n"),
        await r.incrby("n", 41),
        await r.decr("n"),
        await r.mset({ a: "1", b: "2" }),
        await r.mset("c", "3", "d", "4"),
        await r.mget("a", "b", "missing", "c", "d"),
        await r.expire("k", 100),
        await r.ttl("k"),
        await r.ttl("a"),
        await r.ttl("missing"),
        await r.expire("missing", 10),
        await r.del("a", "b", "missing"),
        await r.mget("a", "b", "c"),
        await r.set("k", "new", "EX", 50, "GET"),
        await r.set("k", "x", "NX"),
        await r.append("k", "-more"),
        await r.strlen("k"),
        await r.getdel("k"),
        await r.exists("k", "c", "d"),
      ]));
    assert.equal(results[0], "OK");
    assert.equal(results[3], 1);
  });

  await t.step("binary Buffer keys and values", async () => {
    const results = await same(ports, (port) =>
      withIoredis(port, async (r) => {
        const key = Buffer.concat([Buffer.from("bin:"), ALL_BYTES]);
        return [
          await r.set(key, ALL_BYTES),
          await r.getBuffer(key),
          await r.append(key, Buffer.from([0, 255, 13, 10])),
          await r.strlen(key),
          await r.getBuffer(key),
          await r.mset(Buffer.from([0]), Buffer.from([255]), Buffer.from([255]), Buffer.from([0])),
          await r.mgetBuffer(Buffer.from([0]), Buffer.from([255]), Buffer.from([1])),
          await r.echoBuffer(ALL_BYTES),
        ];
      }));
    assert.deepEqual(results[1], ALL_BYTES);
  });

  await t.step("a pipeline of 3000 commands, errors in place", async () => {
    const results = await same(ports, (port) =>
      withIoredis(port, async (r) => {
        const p = r.pipeline();
        for (let i = 0; i < 1000; i++) {
          p.set(`p:${i}`, String(i));
          p.incrby("sum", i);
          if (i % 100 === 0) p.incr(`p:${i}:missing`).set("str", "abc").incr("str");
          else p.get(`p:${i}`);
        }
        const out = await p.exec();
        return out!.map(([err, value]) => err ? { error: err.message } : value);
      }));
    assert.equal(results.length, 3000 + 10 * 2);
  });

  await t.step("error replies reject with ReplyError", async () => {
    const results = await same(ports, (port) =>
      withIoredis(port, async (r) => {
        await r.set("text", "abc");
        return [
          await settle(r.incr("text")),
          await settle(r.call("NOSUCHCOMMAND", "a", "b")),
          await settle(r.call("GET")),
          await settle(r.call("SET", "k", "v", "EX", "notanumber")),
          await settle(r.call("CLIENT", "NOSUCH")),
          await r.ping(),
        ];
      }));
    assert.deepEqual(results[0], {
      error: "ERR value is not an integer or out of range",
      replyError: true,
    });
  });

  await t.step("sends CLIENT SETINFO with its name and version", async () => {
    const info = await withIoredis(ports.inmemdb, (r) => r.client("INFO") as Promise<string>);
    assert.match(info, / lib-name=ioredis /);
    assert.match(info, new RegExp(` lib-ver=${pinned("ioredis").replaceAll(".", "\\.")}\\b`));
  });
});

// ---------------------------------------------------------------------------------------------
// node-redis

type NodeRedis = ReturnType<typeof createClient>;

/** Runs fn with a connected node-redis client of the given protocol and closes it. */
async function withNodeRedis<T>(
  port: number,
  resp: 2 | 3,
  fn: (c: NodeRedis) => Promise<T>,
): Promise<T> {
  const c = createClient({
    socket: { host: "127.0.0.1", port, reconnectStrategy: false },
    RESP: resp,
  });
  const errors: Error[] = [];
  c.on("error", (err) => errors.push(err));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.close();
    assert.deepEqual(errors, [], "node-redis reported errors");
  }
}

/** The same commands through node-redis, for RESP2 and RESP3 connections. */
async function nodeRedisCommands(c: NodeRedis) {
  return [
    await c.set("k", "v"),
    await c.get("k"),
    await c.get("missing"),
    await c.incr("n"),
    await c.incrBy("n", 41),
    await c.mSet({ a: "1", b: "2" }),
    await c.mGet(["a", "b", "missing"]),
    await c.expire("k", 100),
    await c.ttl("k"),
    await c.ttl("missing"),
    await c.del(["a", "b", "missing"]),
    await c.set("k", "w", { GET: true }),
    await c.set("fresh", "x", { condition: "NX", GET: true }),
    await c.append("k", "!"),
    await c.strLen("k"),
    await c.incrByFloat("f", 1.5),
    await c.exists(["k", "fresh", "nope"]),
    await c.ping(),
    await c.echo("a\r\nb"),
  ];
}

clientTest("node-redis", async (t, ports) => {
  for (const resp of [2, 3] as const) {
    await t.step(`RESP${resp}: SET GET INCR MSET MGET EXPIRE TTL DEL`, async () => {
      const results = await same(ports, (port) => withNodeRedis(port, resp, nodeRedisCommands));
      assert.equal(results[0], "OK");
    });
  }

  await t.step("RESP3: the connection really speaks RESP3", async () => {
    const info = await withNodeRedis(ports.inmemdb, 3, async (c) => {
      return String(await c.sendCommand(["CLIENT", "INFO"]));
    });
    assert.match(info, / resp=3 /);
    // HELLO's map, without the id that differs between the servers.
    const hello = await same(ports, (port) =>
      withNodeRedis(port, 3, async (c) => {
        const reply = await c.sendCommand(["HELLO", "3"]) as Record<string, unknown>;
        const { id: _, ...rest } = reply;
        return rest;
      }));
    assert.equal(hello.proto, 3);
  });

  await t.step("sends CLIENT SETINFO LIB-NAME and LIB-VER", async () => {
    for (const resp of [2, 3] as const) {
      const info = await withNodeRedis(ports.inmemdb, resp, async (c) => {
        return String(await c.sendCommand(["CLIENT", "INFO"]));
      });
      assert.match(info, / lib-name=node-redis /);
      assert.match(info, new RegExp(` lib-ver=${pinned("redis").replaceAll(".", "\\.")}\\b`));
    }
  });

  await t.step("binary Buffer values", async () => {
    for (const resp of [2, 3] as const) {
      const results = await same(ports, (port) =>
        withNodeRedis(port, resp, async (c) => {
          const bin = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
          const key = Buffer.concat([Buffer.from("bin:"), ALL_BYTES]);
          return [
            await bin.set(key, ALL_BYTES),
            await bin.get(key),
            await bin.append(key, Buffer.from([0, 255])),
            await bin.get(key),
            await bin.mGet([key, Buffer.from([0xff]), key]),
          ];
        }));
      assert.deepEqual(results[1], ALL_BYTES);
    }
  });

  await t.step("pipelines: execAsPipeline and concurrent commands", async () => {
    for (const resp of [2, 3] as const) {
      await same(ports, (port) =>
        withNodeRedis(port, resp, async (c) => {
          const multi = c.multi();
          for (let i = 0; i < 500; i++) multi.set(`p:${i}`, String(i)).incrBy("sum", i);
          multi.get("p:499").get("sum");
          const piped = await multi.execAsPipeline();
          // Commands issued without awaiting go out together (node-redis auto-pipelining).
          const concurrent = await Promise.all(
            Array.from({ length: 500 }, (_, i) => c.get(`p:${i}`)),
          );
          return [piped, concurrent];
        }));
    }
  });

  await t.step("error replies reject with ErrorReply", async () => {
    for (const resp of [2, 3] as const) {
      const results = await same(ports, (port) =>
        withNodeRedis(port, resp, async (c) => {
          await c.set("text", "abc");
          const failure = async (p: Promise<unknown>) => {
            try {
              await p;
              return "no error";
            } catch (err) {
              const kind = err instanceof ErrorReply ? "ErrorReply" : "other error";
              return `${kind}: ${(err as Error).message}`;
            }
          };
          return [
            await failure(c.incr("text")),
            await failure(c.sendCommand(["NOSUCHCOMMAND", "x"])),
            await failure(c.sendCommand(["GET"])),
            await c.ping(),
          ];
        }));
      assert.match(results[0]!, /^ErrorReply: ERR value is not an integer/);
    }
  });
});
