// BZPOPMIN, BZPOPMAX and BZMPOP with several real connections: served by ZADD, ZINCRBY and the
// Z*STORE commands from another connection, in FIFO order, or timed out. Every scenario also
// runs against redis-server, which confirms the expectation it encodes.
import { assert, assertEquals } from "../helpers/assert.ts";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";

const NULL_ARRAY = "*-1\r\n";

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** BZPOPMIN/BZPOPMAX's RESP2 reply: [key, member, score]. */
function popped(key: string, member: string, score: string): string {
  return `*3\r\n${bulk(key)}${bulk(member)}${bulk(score)}`;
}

/** BZMPOP's RESP2 reply: [key, [[member, score], ...]]. */
function mpopped(key: string, pairs: [string, string][]): string {
  return `*2\r\n${bulk(key)}*${pairs.length}\r\n` +
    pairs.map(([m, s]) => `*2\r\n${bulk(m)}${bulk(s)}`).join("");
}

interface Ctx {
  /** A connection for setup and checks; closed by the harness. */
  admin: RawClient;
  connect(): Promise<RawClient>;
}

async function blockedClients(admin: RawClient): Promise<number> {
  const info = await admin.call("INFO", "clients");
  const m = /blocked_clients:(\d+)/.exec(info);
  if (m === null) throw new Error(`no blocked_clients in ${info}`);
  return Number(m[1]);
}

/** Polls until exactly n clients are blocked (a command is blocked once the server says so). */
async function waitBlocked(admin: RawClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = -1;
  while (Date.now() < deadline) {
    last = await blockedClients(admin);
    if (last === n) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`expected ${n} blocked clients, have ${last}`);
}

/** Sends a command without waiting for its reply (it is expected to block). */
async function send(client: RawClient, ...args: string[]): Promise<void> {
  await client.send(encodeCommand(args));
}

const scenarios: Record<string, (ctx: Ctx) => Promise<void>> = {
  async "BZPOPMIN is served by a ZADD from another connection"({ admin, connect }) {
    const w = await connect();
    await send(w, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("ZADD", "z", "2", "b", "1.5", "a"), ":2\r\n");
    assertEquals(await w.replyText(), popped("z", "a", "1.5"));
    assertEquals(await admin.call("ZRANGE", "z", "0", "-1"), `*1\r\n${bulk("b")}`);
    await waitBlocked(admin, 0);
  },

  async "waiters are served in the order they blocked"({ admin, connect }) {
    const waiters = [await connect(), await connect(), await connect()];
    for (const [i, w] of waiters.entries()) {
      await send(w, "BZPOPMIN", "z", "0");
      await waitBlocked(admin, i + 1);
    }
    assertEquals(await admin.call("ZADD", "z", "3", "c", "1", "a", "2", "b"), ":3\r\n");
    assertEquals(await Promise.all(waiters.map((w) => w.replyText())), [
      popped("z", "a", "1"),
      popped("z", "b", "2"),
      popped("z", "c", "3"),
    ]);
    assertEquals(await admin.call("EXISTS", "z"), ":0\r\n");
    await waitBlocked(admin, 0);
  },

  async "one element wakes only the longest waiting client"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await send(a, "BZPOPMAX", "z", "0");
    await waitBlocked(admin, 1);
    await send(b, "BZPOPMAX", "z", "0");
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("ZADD", "z", "7", "x"), ":1\r\n");
    assertEquals(await a.replyText(), popped("z", "x", "7"));
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("ZINCRBY", "z", "0.1", "y"), `${bulk("0.10000000000000001")}`);
    assertEquals(await b.replyText(), popped("z", "y", "0.10000000000000001"));
    await waitBlocked(admin, 0);
  },

  async "a client waiting on several keys gets the one filled, with its name"({ admin, connect }) {
    const w = await connect();
    await send(w, "BZPOPMAX", "k1", "k2", "k3", "0");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("ZADD", "k2", "1", "low", "9", "high"), ":2\r\n");
    assertEquals(await w.replyText(), popped("k2", "high", "9"));
  },

  async "BZMPOP pops COUNT elements; the rest serves the next waiter"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await send(a, "BZMPOP", "0", "2", "k1", "k2", "MIN", "COUNT", "2");
    await waitBlocked(admin, 1);
    await send(b, "BZMPOP", "0", "1", "k2", "MAX");
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("ZADD", "k2", "1", "a", "2", "b", "3", "c"), ":3\r\n");
    assertEquals(await a.replyText(), mpopped("k2", [["a", "1"], ["b", "2"]]));
    assertEquals(await b.replyText(), mpopped("k2", [["c", "3"]]));
    assertEquals(await admin.call("EXISTS", "k2"), ":0\r\n");
  },

  async "ZUNIONSTORE, ZRANGESTORE and ZDIFFSTORE results wake waiters"({ admin, connect }) {
    const a = await connect(), b = await connect(), c = await connect();
    await send(a, "BZPOPMIN", "u", "0");
    await send(b, "BZPOPMIN", "r", "0");
    await send(c, "BZMPOP", "0", "1", "d", "MAX", "COUNT", "10");
    await waitBlocked(admin, 3);
    assertEquals(await admin.call("ZADD", "src", "1", "a", "2", "b"), ":2\r\n");
    assertEquals(await admin.call("ZUNIONSTORE", "u", "1", "src", "WEIGHTS", "3"), ":2\r\n");
    assertEquals(await a.replyText(), popped("u", "a", "3"));
    assertEquals(await admin.call("ZRANGESTORE", "r", "src", "1", "1"), ":1\r\n");
    assertEquals(await b.replyText(), popped("r", "b", "2"));
    assertEquals(await admin.call("ZDIFFSTORE", "d", "2", "src", "r"), ":2\r\n");
    assertEquals(await c.replyText(), mpopped("d", [["b", "2"], ["a", "1"]]));
    await waitBlocked(admin, 0);
  },

  async "a waiter is served between two pipelined commands"({ admin, connect }) {
    const w = await connect();
    await send(w, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 1);
    await admin.send(
      [["ZADD", "z", "1", "a"], ["ZPOPMIN", "z"], ["ZADD", "z", "2", "b"], ["ZCARD", "z"]]
        .map((args) => encodeCommand(args))
        .reduce((all, one) => new Uint8Array([...all, ...one]), new Uint8Array()),
    );
    assertEquals(await admin.replyText(), ":1\r\n");
    assertEquals(await admin.replyText(), "*0\r\n");
    assertEquals(await admin.replyText(), ":1\r\n");
    assertEquals(await admin.replyText(), ":1\r\n");
    assertEquals(await w.replyText(), popped("z", "a", "1"));
  },

  async "a key of another type leaves the waiter blocked"({ admin, connect }) {
    const w = await connect();
    await send(w, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("SET", "z", "string"), "+OK\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("DEL", "z"), ":1\r\n");
    assertEquals(await admin.call("ZADD", "z", "5", "m"), ":1\r\n");
    assertEquals(await w.replyText(), popped("z", "m", "5"));
  },

  async "timeouts reply a null array, not before their time"({ admin, connect }) {
    const a = await connect(), b = await connect();
    const start = Date.now();
    await send(a, "BZPOPMIN", "z", "0.2");
    await send(b, "BZMPOP", "0.1", "1", "z", "MIN");
    assertEquals(await b.replyText(), NULL_ARRAY);
    assert(Date.now() - start >= 95, `BZMPOP timed out after ${Date.now() - start} ms`);
    assertEquals(await a.replyText(), NULL_ARRAY);
    assert(Date.now() - start >= 195, `BZPOPMIN timed out after ${Date.now() - start} ms`);
    await waitBlocked(admin, 0);
    // After a timeout the key is filled for nobody.
    assertEquals(await admin.call("ZADD", "z", "1", "a"), ":1\r\n");
    assertEquals(await admin.call("ZCARD", "z"), ":1\r\n");
  },

  async "RESP3 replies: a double score, and null on timeout"({ admin, connect }) {
    const w = await connect();
    const hello = await w.call("HELLO", "3");
    assert(hello.startsWith("%"), "HELLO 3");
    await send(w, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("ZADD", "z", "2.5", "a"), ":1\r\n");
    assertEquals(await w.replyText(), `*3\r\n${bulk("z")}${bulk("a")},2.5\r\n`);
    assertEquals(await w.call("BZMPOP", "0.01", "1", "z", "MIN"), "_\r\n");
  },

  async "a disconnected waiter is skipped"({ admin, connect }) {
    const gone = await connect(), stays = await connect();
    await send(gone, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 1);
    await send(stays, "BZPOPMIN", "z", "0");
    await waitBlocked(admin, 2);
    gone.close();
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("ZADD", "z", "1", "a"), ":1\r\n");
    assertEquals(await stays.replyText(), popped("z", "a", "1"));
  },
};

function suite(name: string, start: () => Promise<ServerHandle>, ignore = false): void {
  Deno.test({
    name: `zset blocking (${name})`,
    ignore,
    async fn(t) {
      const server = await start();
      const opened: RawClient[] = [];
      const connect = async () => {
        const client = await RawClient.connect(server.port);
        opened.push(client);
        return client;
      };
      try {
        for (const [title, scenario] of Object.entries(scenarios)) {
          await t.step(title, async () => {
            const admin = await connect();
            assertEquals(await admin.call("FLUSHALL"), "+OK\r\n");
            try {
              await scenario({ admin, connect });
            } finally {
              for (const client of opened.splice(0)) client.close();
            }
          });
        }
      } finally {
        for (const client of opened) client.close();
        await server.stop();
      }
    },
  });
}

suite("inmemdb", () => startInmemdb());
suite("redis-server, confirming the expectations", () => startRedis(), !redisAvailable());
