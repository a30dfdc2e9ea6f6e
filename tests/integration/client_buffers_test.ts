// A client that once sent or received a big value does not keep the memory: once idle for two
// seconds its input and output buffers shrink back (Redis's clientsCronResizeQueryBuffer and
// clientsCronResizeOutputBuffer). Checked on both servers through CLIENT LIST's tot-mem.
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";

const BIG = 1_000_000;
/** What an idle client may keep: its initial buffers (16 KB each here, less in Redis). */
const IDLE_MAX = 64 * 1024;

/** A CLIENT LIST field of the client with that id, read by another connection. */
async function field(observer: RawClient, id: string, name: string): Promise<number> {
  const list = await observer.call("CLIENT", "LIST", "ID", id);
  const m = new RegExp(` ${name}=(\\d+)`).exec(list);
  assert.ok(m !== null, `no ${name} in ${list}`);
  return Number(m[1]);
}

/** Polls until the client's tot-mem is at most IDLE_MAX; returns the last value seen. */
async function settles(observer: RawClient, id: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let mem = await field(observer, id, "tot-mem");
  while (mem > IDLE_MAX && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    mem = await field(observer, id, "tot-mem");
  }
  return mem;
}

async function check(server: ServerHandle, kind: string): Promise<void> {
  const client = await RawClient.connect(server.port);
  const observer = await RawClient.connect(server.port);
  try {
    const id = (await client.call("CLIENT", "ID")).slice(1, -2);
    const value = "v".repeat(BIG);
    // Input: a 1 MB argument.
    assertEquals(await client.call("SET", "big", value), "+OK\r\n", kind);
    assert.ok(await settles(observer, id, 6000) <= IDLE_MAX, `${kind}: input buffer kept`);
    // Output: a 1 MB reply.
    assertEquals(await client.call("GET", "big"), `$${BIG}\r\n${value}\r\n`, kind);
    assert.ok(await settles(observer, id, 6000) <= IDLE_MAX, `${kind}: output buffer kept`);
    // The client works as before with its small buffers, big values included.
    assertEquals(await client.call("SET", "big", value + "w"), "+OK\r\n", kind);
    assertEquals(await client.call("STRLEN", "big"), `:${BIG + 1}\r\n`, kind);
    assertEquals(await client.call("PING"), "+PONG\r\n", kind);
  } finally {
    client.close();
    observer.close();
  }
}

Deno.test("an idle client's buffers shrink back after a 1 MB argument and a 1 MB reply", async (t) => {
  const ours = await startInmemdb();
  try {
    await t.step("inmemdb", () => check(ours, "inmemdb"));
  } finally {
    await ours.stop();
  }
  if (!redisAvailable()) return;
  const redis = await startRedis();
  try {
    await t.step("redis-server, confirming the expectation", () => check(redis, "redis"));
  } finally {
    await redis.stop();
  }
});
