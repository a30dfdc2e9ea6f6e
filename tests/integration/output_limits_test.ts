// client-output-buffer-limit: a subscriber that never reads is disconnected once its unsent
// output passes the pubsub hard limit, as redis-server does, while PUBLISH stays fast for the
// others, a subscriber that reads gets every message, and the server's memory comes back.
import assert from "node:assert/strict";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";

const LIMIT = ["--client-output-buffer-limit", "pubsub 1mb 256kb 1"];
const MESSAGE = "m".repeat(4096);
const MESSAGES = 6000; // ~24 MB: far more than the socket buffers and the 1 MB limit
const BATCH = 100;
const CHANNEL = "flood";
/** One message frame as a subscriber receives it. */
const FRAME_BYTES = encodeCommand(["message", CHANNEL, MESSAGE]).length;

/** A subscriber that reads and counts everything, in the background. */
class Reader {
  bytes = 0;
  private readonly done: Promise<void>;
  constructor(private readonly conn: Deno.Conn) {
    this.done = (async () => {
      const buf = new Uint8Array(1 << 20);
      try {
        for (;;) {
          const n = await conn.read(buf);
          if (n === null) break;
          this.bytes += n;
        }
      } catch {
        // closed by the test
      }
    })();
  }
  async close(): Promise<void> {
    this.conn.close();
    await this.done;
  }
}

async function subscribe(port: number): Promise<Deno.Conn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encodeCommand(["SUBSCRIBE", CHANNEL]));
  // The subscribe confirmation *3 subscribe flood :1 is as long as *2 subscribe flood, plus :1.
  const expected = encodeCommand(["subscribe", CHANNEL]).length + ":1\r\n".length;
  const buf = new Uint8Array(expected);
  let got = 0;
  while (got < expected) got += (await conn.read(buf.subarray(got)))!;
  return conn;
}

async function info(client: RawClient, field: string): Promise<number> {
  const text = await client.call("INFO", "memory");
  return Number(new RegExp(`${field}:(\\d+)`).exec(text)![1]);
}

async function numsub(client: RawClient): Promise<number> {
  return Number(/:(\d+)\r\n$/.exec(await client.call("PUBSUB", "NUMSUB", CHANNEL))![1]);
}

/** Publishes MESSAGES messages in pipelined batches; returns each batch's round trip (ms). */
async function flood(publisher: RawClient, stopWhen: () => Promise<boolean>): Promise<number[]> {
  const batch = new Uint8Array(encodeCommand(["PUBLISH", CHANNEL, MESSAGE]).length * BATCH);
  const one = encodeCommand(["PUBLISH", CHANNEL, MESSAGE]);
  for (let i = 0; i < BATCH; i++) batch.set(one, i * one.length);
  const times: number[] = [];
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    const start = performance.now();
    await publisher.send(batch);
    for (let i = 0; i < BATCH; i++) await publisher.reply();
    times.push(performance.now() - start);
    if (sent % 1000 === 0 && await stopWhen()) break;
  }
  return times;
}

async function scenario(server: ServerHandle, ours: boolean) {
  const admin = await RawClient.connect(server.port);
  const publisher = await RawClient.connect(server.port);
  const baseline = ours ? await info(admin, "used_memory_rss") : 0;
  const slow = await subscribe(server.port);
  const fast = new Reader(await subscribe(server.port));
  assert.equal(await numsub(admin), 2);
  try {
    const times = await flood(publisher, async () => await numsub(admin) === 1);
    // The slow subscriber is gone; the fast one is still subscribed.
    for (let i = 0; i < 500 && await numsub(admin) !== 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(await numsub(admin), 1, "the subscriber that never reads was disconnected");
    // Pending PUBLISH replies came back; every message sent reached the fast subscriber.
    const sent = times.length * BATCH;
    for (let i = 0; i < 500 && fast.bytes < sent * FRAME_BYTES; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(fast.bytes >= sent * FRAME_BYTES, `fast subscriber got ${fast.bytes} bytes`);
    return { times, baseline, admin };
  } finally {
    slow.close();
    await fast.close();
    publisher.close();
  }
}

Deno.test({
  name: "a subscriber that never reads is disconnected at the pubsub output limit",
  ignore: !redisAvailable(),
  async fn(t) {
    await t.step("redis-server does it (the reference)", async () => {
      const redis = await startRedis(LIMIT);
      try {
        const { admin } = await scenario(redis, false);
        admin.close();
      } finally {
        await redis.stop();
      }
    });
    await t.step("inmemdb: PUBLISH stays fast, the log says why, memory comes back", async () => {
      const server = await startInmemdb(LIMIT);
      try {
        const { times, baseline, admin } = await scenario(server, true);
        try {
          times.sort((a, b) => a - b);
          const median = times[times.length >> 1]!;
          // A batch of 100 x 4 KB messages to two subscribers; the slow one never stalls it.
          assert.ok(median < 100, `median batch round trip ${median.toFixed(1)} ms`);
          assert.match(
            server.output(),
            /Client id=\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\./,
          );
          // Output buffers are released with the client (within a tolerance for the heap).
          for (let i = 0; i < 200 && await info(admin, "mem_clients_normal") > 1 << 20; i++) {
            await new Promise((r) => setTimeout(r, 10));
          }
          assert.ok(await info(admin, "mem_clients_normal") < 1 << 20);
          let rss = await info(admin, "used_memory_rss");
          for (let i = 0; i < 100 && rss > baseline + (32 << 20); i++) {
            await admin.call("SET", "garbage", "x".repeat(1 << 20));
            await new Promise((r) => setTimeout(r, 20));
            rss = await info(admin, "used_memory_rss");
          }
          assert.ok(rss <= baseline + (32 << 20), `RSS ${rss} vs baseline ${baseline}`);
        } finally {
          admin.close();
        }
      } finally {
        await server.stop();
      }
    });
  },
});
