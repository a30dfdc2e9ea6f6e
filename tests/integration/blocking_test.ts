// Blocking list commands with several real connections: FIFO service, timeouts, disconnects,
// CLIENT UNBLOCK, chained BLMOVE wakeups, keys filled by RENAME/COPY/MOVE/SWAPDB. Every
// scenario also runs against redis-server, which confirms the expectation it encodes.
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";

const NULL_ARRAY = "*-1\r\n";

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** A RESP2 array of bulk strings, as BLPOP replies [key, element]. */
function pair(key: string, value: string): string {
  return `*2\r\n${bulk(key)}${bulk(value)}`;
}

interface Ctx {
  port: number;
  /** A connection for setup and checks; closed by the harness. */
  admin: RawClient;
  connect(): Promise<RawClient>;
}

/** INFO's blocked_clients. */
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

async function clientId(client: RawClient): Promise<string> {
  const reply = await client.call("CLIENT", "ID");
  return reply.slice(1, -2);
}

const scenarios: Record<string, (ctx: Ctx) => Promise<void>> = {
  async "three waiters are served in the order they blocked"({ admin, connect }) {
    const waiters = [await connect(), await connect(), await connect()];
    for (const [i, w] of waiters.entries()) {
      await w.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
      await waitBlocked(admin, i + 1);
    }
    assertEquals(await admin.call("RPUSH", "q", "1", "2", "3"), ":3\r\n");
    assertEquals(
      await Promise.all(waiters.map((w) => w.replyText())),
      [pair("q", "1"), pair("q", "2"), pair("q", "3")],
    );
    assertEquals(await admin.call("EXISTS", "q"), ":0\r\n");
    await waitBlocked(admin, 0);
  },

  async "a push wakes exactly one waiter, the longest waiting"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await a.send("*3\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await b.send("*3\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("LPUSH", "q", "one"), ":1\r\n");
    assertEquals(await a.replyText(), pair("q", "one"));
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("LPUSH", "q", "two"), ":1\r\n");
    assertEquals(await b.replyText(), pair("q", "two"));
    await waitBlocked(admin, 0);
  },

  async "a client blocked on several keys is served by the first key filled"({ admin, connect }) {
    const a = await connect();
    await a.send("*4\r\n$5\r\nBLPOP\r\n$2\r\nk1\r\n$2\r\nk2\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "k2", "v"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k2", "v"));
    assertEquals(await admin.call("RPUSH", "k1", "w"), ":1\r\n");
    assertEquals(await admin.call("LLEN", "k1"), ":1\r\n");
  },

  async "one push of several elements serves several waiters, each as it asked"(
    { admin, connect },
  ) {
    const a = await connect(), b = await connect(), c = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await b.send(
      "*7\r\n$6\r\nBLMPOP\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\nq\r\n$5\r\nRIGHT\r\n$5\r\nCOUNT\r\n$1\r\n2\r\n",
    );
    await waitBlocked(admin, 2);
    // The same key twice waits once.
    await c.send("*4\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 3);
    assertEquals(await admin.call("RPUSH", "q", "1", "2", "3", "4", "5"), ":5\r\n");
    assertEquals(await a.replyText(), pair("q", "1"));
    assertEquals(await b.replyText(), `*2\r\n${bulk("q")}*2\r\n${bulk("5")}${bulk("4")}`);
    assertEquals(await c.replyText(), pair("q", "3"));
    assertEquals(await admin.call("LRANGE", "q", "0", "-1"), "*1\r\n" + bulk("2"));
    await waitBlocked(admin, 0);
  },

  async "a BLMOVE from a key onto itself is served once"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await a.send(
      "*6\r\n$6\r\nBLMOVE\r\n$1\r\nk\r\n$1\r\nk\r\n$4\r\nLEFT\r\n$5\r\nRIGHT\r\n$1\r\n0\r\n",
    );
    await waitBlocked(admin, 1);
    await b.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("RPUSH", "k", "x", "y"), ":2\r\n");
    assertEquals(await a.replyText(), bulk("x"));
    assertEquals(await b.replyText(), pair("k", "y"));
    assertEquals(await admin.call("LRANGE", "k", "0", "-1"), "*1\r\n" + bulk("x"));
  },

  async "a push in another db serves nobody here"({ admin, connect }) {
    const a = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("SELECT", "2"), "+OK\r\n");
    assertEquals(await admin.call("RPUSH", "k", "other-db"), ":1\r\n");
    assertEquals(await blockedClients(admin), 1);
    assertEquals(await admin.call("SELECT", "0"), "+OK\r\n");
    assertEquals(await admin.call("RPUSH", "k", "this-db"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k", "this-db"));
  },

  async "a timeout with decimals replies null after that long"({ admin, connect }) {
    const a = await connect();
    const start = performance.now();
    assertEquals(await a.call("BLPOP", "q", "0.3"), NULL_ARRAY);
    const elapsed = performance.now() - start;
    assert.ok(elapsed >= 290 && elapsed < 2000, `timed out after ${elapsed} ms`);
    const start2 = performance.now();
    assertEquals(await a.call("BLMOVE", "q", "d", "LEFT", "LEFT", "0.15"), NULL_ARRAY);
    assert.ok(performance.now() - start2 >= 140);
    await waitBlocked(admin, 0);
  },

  async "waiters with different timeouts expire in deadline order"({ admin, connect }) {
    const long = await connect(), short = await connect(), forever = await connect();
    await long.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$3\r\n0.4\r\n");
    await short.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$4\r\n0.05\r\n");
    await forever.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    assertEquals(await short.replyText(), NULL_ARRAY);
    assertEquals(await long.replyText(), NULL_ARRAY);
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "q", "v"), ":1\r\n");
    assertEquals(await forever.replyText(), pair("q", "v"));
  },

  async "a client that disconnects while blocked loses nothing"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await b.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 2);
    a.close();
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "q", "v"), ":1\r\n");
    assertEquals(await b.replyText(), pair("q", "v"));
    assertEquals(await admin.call("EXISTS", "q"), ":0\r\n");
  },

  async "CLIENT UNBLOCK releases with the timeout reply or the UNBLOCKED error"(
    { admin, connect },
  ) {
    const a = await connect();
    const id = await clientId(a);
    assertEquals(await admin.call("CLIENT", "UNBLOCK", id), ":0\r\n");
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(
      await admin.call("CLIENT", "UNBLOCK", id, "NOPE"),
      "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n",
    );
    assertEquals(
      await admin.call("CLIENT", "UNBLOCK", "x"),
      "-ERR value is not an integer or out of range\r\n",
    );
    assertEquals(await admin.call("CLIENT", "UNBLOCK", id, "timeout"), ":1\r\n");
    assertEquals(await a.replyText(), NULL_ARRAY);
    await a.send(
      "*6\r\n$6\r\nBLMOVE\r\n$1\r\nq\r\n$1\r\nd\r\n$4\r\nLEFT\r\n$5\r\nRIGHT\r\n$1\r\n0\r\n",
    );
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("CLIENT", "UNBLOCK", id, "ERROR"), ":1\r\n");
    assertEquals(await a.replyText(), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    await waitBlocked(admin, 0);
    assertEquals(await admin.call("CLIENT", "UNBLOCK", id, "ERROR"), ":0\r\n");
    assertEquals(await a.call("PING"), "+PONG\r\n");
  },

  async "BLMOVE chains wake the waiters on its destination"({ admin, connect }) {
    const a = await connect(), b = await connect(), c = await connect();
    // a waits on dst, b moves src -> dst, c moves dst -> end: one push ends up in `end`,
    // passing through both blocked moves, after a was served first on dst.
    await a.send("*3\r\n$5\r\nBLPOP\r\n$3\r\ndst\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await b.send(
      "*6\r\n$6\r\nBLMOVE\r\n$3\r\nsrc\r\n$3\r\ndst\r\n$5\r\nRIGHT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n",
    );
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("RPUSH", "src", "x"), ":1\r\n");
    assertEquals(await b.replyText(), bulk("x"));
    assertEquals(await a.replyText(), pair("dst", "x"));
    await waitBlocked(admin, 0);
    await b.send("*4\r\n$10\r\nBRPOPLPUSH\r\n$3\r\nsrc\r\n$3\r\nmid\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await c.send(
      "*6\r\n$6\r\nBLMOVE\r\n$3\r\nmid\r\n$3\r\nend\r\n$4\r\nLEFT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n",
    );
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("LPUSH", "src", "y"), ":1\r\n");
    assertEquals(await b.replyText(), bulk("y"));
    assertEquals(await c.replyText(), bulk("y"));
    assertEquals(await admin.call("LRANGE", "end", "0", "-1"), "*1\r\n" + bulk("y"));
    assertEquals(await admin.call("EXISTS", "src", "mid", "dst"), ":0\r\n");
  },

  async "LMOVE and RPOPLPUSH onto a waited key serve the waiter"({ admin, connect }) {
    const a = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nd\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "s", "v1", "v2"), ":2\r\n");
    assertEquals(await admin.call("LMOVE", "s", "d", "LEFT", "RIGHT"), bulk("v1"));
    assertEquals(await a.replyText(), pair("d", "v1"));
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nd\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPOPLPUSH", "s", "d"), bulk("v2"));
    assertEquals(await a.replyText(), pair("d", "v2"));
  },

  async "BLMOVE onto a key of another type ends with WRONGTYPE and keeps the element"(
    { admin, connect },
  ) {
    const a = await connect();
    assertEquals(await admin.call("SET", "str", "x"), "+OK\r\n");
    await a.send(
      "*6\r\n$6\r\nBLMOVE\r\n$1\r\nq\r\n$3\r\nstr\r\n$4\r\nLEFT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n",
    );
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "q", "v"), ":1\r\n");
    assertEquals(
      await a.replyText(),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    assertEquals(await admin.call("LRANGE", "q", "0", "-1"), "*1\r\n" + bulk("v"));
    await waitBlocked(admin, 0);
  },

  async "a key filled with another type leaves the waiter blocked"({ admin, connect }) {
    const a = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("SET", "k", "x"), "+OK\r\n");
    assertEquals(await admin.call("DEL", "k"), ":1\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "k", "v"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k", "v"));
  },

  async "the server serves others while clients are blocked"({ admin, connect }) {
    const blocked = [await connect(), await connect(), await connect()];
    for (const [i, w] of blocked.entries()) {
      await w.send(`*3\r\n$5\r\nBLPOP\r\n$2\r\nw${i}\r\n$1\r\n0\r\n`);
    }
    await waitBlocked(admin, 3);
    const other = await connect();
    for (let i = 0; i < 20; i++) assertEquals(await other.call("PING"), "+PONG\r\n");
    assertEquals(await other.call("SET", "k", "v"), "+OK\r\n");
    assertEquals(await blockedClients(admin), 3);
    for (const [i, w] of blocked.entries()) {
      assertEquals(await admin.call("RPUSH", `w${i}`, "x"), ":1\r\n");
      assertEquals(await w.replyText(), pair(`w${i}`, "x"));
    }
    await waitBlocked(admin, 0);
  },

  async "commands pipelined behind a blocked one wait for it"({ admin, connect }) {
    const a = await connect();
    await a.send(
      "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n" +
        "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$4\r\ndone\r\n",
    );
    await waitBlocked(admin, 1);
    // The PING behind the BLPOP has not run: the list pushed now goes to the first BLPOP,
    // then the second BLPOP blocks until the next push.
    assertEquals(await admin.call("RPUSH", "q", "1"), ":1\r\n");
    assertEquals(await a.replyText(), pair("q", "1"));
    assertEquals(await a.replyText(), "+PONG\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "q", "2", "3"), ":2\r\n");
    assertEquals(await a.replyText(), pair("q", "2"));
    assertEquals(await a.replyText(), bulk("done"));
    assertEquals(await admin.call("LRANGE", "q", "0", "-1"), "*1\r\n" + bulk("3"));
  },

  async "blocked_clients counts blocked clients"({ admin, connect }) {
    assertEquals(await blockedClients(admin), 0);
    const a = await connect(), b = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nx\r\n$1\r\n0\r\n");
    await b.send("*5\r\n$6\r\nBLMPOP\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\ny\r\n$4\r\nLEFT\r\n");
    await waitBlocked(admin, 2);
    assertEquals(await admin.call("RPUSH", "y", "1", "2"), ":2\r\n");
    assertEquals(await b.replyText(), `*2\r\n${bulk("y")}*1\r\n${bulk("1")}`);
    await waitBlocked(admin, 1);
    b.close();
    a.close();
    await waitBlocked(admin, 0);
  },

  async "RENAME, COPY and MOVE onto a waited key serve the waiter"({ admin, connect }) {
    const a = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "tmp", "renamed"), ":1\r\n");
    assertEquals(await admin.call("RENAME", "tmp", "k"), "+OK\r\n");
    assertEquals(await a.replyText(), pair("k", "renamed"));

    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "src", "copied"), ":1\r\n");
    assertEquals(await admin.call("COPY", "src", "k"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k", "copied"));

    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("RPUSH", "tmp", "renamenx"), ":1\r\n");
    assertEquals(await admin.call("RENAMENX", "tmp", "k"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k", "renamenx"));

    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("SELECT", "1"), "+OK\r\n");
    assertEquals(await admin.call("RPUSH", "k", "moved"), ":1\r\n");
    assertEquals(await admin.call("MOVE", "k", "0"), ":1\r\n");
    assertEquals(await a.replyText(), pair("k", "moved"));
    assertEquals(await admin.call("SELECT", "0"), "+OK\r\n");
  },

  async "SWAPDB serves clients waiting on keys the other db has"({ admin, connect }) {
    const a = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assertEquals(await admin.call("SELECT", "1"), "+OK\r\n");
    assertEquals(await admin.call("RPUSH", "k", "swapped", "second"), ":2\r\n");
    assertEquals(await admin.call("SWAPDB", "0", "1"), "+OK\r\n");
    assertEquals(await a.replyText(), pair("k", "swapped"));
    // db 1 now holds db 0's old (empty) data; the rest stayed in db 0.
    assertEquals(await admin.call("EXISTS", "k"), ":0\r\n");
    assertEquals(await admin.call("SELECT", "0"), "+OK\r\n");
    assertEquals(await admin.call("LRANGE", "k", "0", "-1"), "*1\r\n" + bulk("second"));
  },

  async "a MULTI-free pipeline of pushes serves waiters between commands"({ admin, connect }) {
    const a = await connect(), b = await connect();
    await a.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    await b.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 2);
    // One write with a push, a pop and a push: the first push goes to a at once, the LPOP
    // finds nothing, the second push goes to b.
    await admin.send(
      "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1\r\n1\r\n*2\r\n$4\r\nLPOP\r\n$1\r\nq\r\n" +
        "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1\r\n2\r\n",
    );
    assertEquals(await admin.replyText(), ":1\r\n");
    assertEquals(await admin.replyText(), "$-1\r\n");
    assertEquals(await admin.replyText(), ":1\r\n");
    assertEquals(await a.replyText(), pair("q", "1"));
    assertEquals(await b.replyText(), pair("q", "2"));
  },
};

function suite(name: string, start: () => Promise<ServerHandle>, ignore = false): void {
  Deno.test({
    name: `blocking (${name})`,
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
              await scenario({ port: server.port, admin, connect });
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
