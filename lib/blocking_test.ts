import assert from "node:assert/strict";
import { Config } from "./config.ts";
import { Server } from "./server.ts";
import { Client } from "./client.ts";
import { processCommand } from "./commands/dispatch.ts";
import { blockedClients, parseTimeout, unblockClient } from "./blocking.ts";
import { setTimeSource } from "./clock.ts";
import { ReplyError } from "./errors.ts";

/** A server without listeners and clients without sockets: commands run in-process. */
function setup(): { server: Server; client: () => Client } {
  const server = new Server(new Config());
  return {
    server,
    client() {
      const c = new Client(server, null);
      server.clients.set(c.id, c);
      return c;
    },
  };
}

function run(c: Client, ...argv: string[]): string {
  const mark = c.reply.len;
  processCommand(c, argv);
  const out = new TextDecoder().decode(c.reply.bytes().subarray(mark));
  return out;
}

function timeoutError(text: string): string | number {
  try {
    return parseTimeout(text);
  } catch (err) {
    return (err as ReplyError).message;
  }
}

Deno.test("timeouts are seconds with decimals, rounded up to the millisecond", () => {
  setTimeSource(() => 1_000_000);
  try {
    assert.equal(parseTimeout("0"), 0);
    assert.equal(parseTimeout("0.0"), 0);
    assert.equal(parseTimeout("1"), 1_001_000);
    assert.equal(parseTimeout("0.1"), 1_000_100);
    assert.equal(parseTimeout("0.0001"), 1_000_001);
    assert.equal(parseTimeout("1e-400"), 1_000_001);
    assert.equal(parseTimeout("0x10"), 1_016_000);
    // ceil(-0.1 ms) is 0: forever, as in Redis.
    assert.equal(parseTimeout("-0.0001"), 0);
    assert.equal(timeoutError("-1"), "ERR timeout is negative");
    assert.equal(timeoutError("inf"), "ERR timeout is negative");
    assert.equal(timeoutError("1e16"), "ERR timeout is negative");
    assert.equal(timeoutError("abc"), "ERR timeout is not a float or out of range");
    assert.equal(timeoutError(""), "ERR timeout is not a float or out of range");
    assert.equal(timeoutError("1e-5000"), "ERR timeout is not a float or out of range");
  } finally {
    setTimeSource();
  }
});

Deno.test("a client that cannot block gets the timeout reply at once", () => {
  const { client } = setup();
  const c = client();
  c.denyBlocking = true;
  assert.equal(run(c, "BLPOP", "q", "0"), "*-1\r\n");
  assert.equal(run(c, "BLMPOP", "0", "1", "q", "LEFT"), "*-1\r\n");
  // BLMOVE's non-blocking form answers a null bulk, as in Redis.
  assert.equal(run(c, "BLMOVE", "q", "d", "LEFT", "LEFT", "0"), "$-1\r\n");
  assert.equal(run(c, "BRPOPLPUSH", "q", "d", "0"), "$-1\r\n");
  assert.equal(c.blocked, null);
  assert.equal(blockedClients(), 0);
});

Deno.test("waiters are served in FIFO order and the count follows", async () => {
  const { server, client } = setup();
  const [a, b, pusher] = [client(), client(), client()];
  assert.equal(run(a, "BLPOP", "q", "0"), "");
  assert.equal(run(b, "BRPOP", "q", "other", "0"), "");
  assert.equal(server.blockedClients, 2);
  assert.equal(run(pusher, "RPUSH", "q", "x", "y", "z"), ":3\r\n");
  assert.equal(server.blockedClients, 0);
  assert.equal(new TextDecoder().decode(a.reply.bytes()), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
  assert.equal(new TextDecoder().decode(b.reply.bytes()), "*2\r\n$1\r\nq\r\n$1\r\nz\r\n");
  assert.equal(run(pusher, "LRANGE", "q", "0", "-1"), "*1\r\n$1\r\ny\r\n");
  // Pipelined input resumes after the current task (a microtask).
  await Promise.resolve();
});

Deno.test("unblocking removes the client from every key it waited on", () => {
  const { client } = setup();
  const [a, pusher] = [client(), client()];
  assert.equal(run(a, "BLPOP", "k1", "k2", "k1", "0"), "");
  assert.equal(blockedClients(), 1);
  unblockClient(a);
  assert.equal(blockedClients(), 0);
  assert.equal(run(pusher, "RPUSH", "k2", "v"), ":1\r\n");
  assert.equal(a.reply.len, 0);
  assert.equal(run(pusher, "LLEN", "k2"), ":1\r\n");
});

Deno.test("timeouts fire in deadline order from one timer", async () => {
  const { client } = setup();
  const [slow, fast] = [client(), client()];
  const started = performance.now();
  run(slow, "BLPOP", "q", "0.08");
  run(fast, "BLPOP", "q", "0.02");
  while (fast.reply.len === 0) await new Promise((r) => setTimeout(r, 2));
  assert.equal(slow.reply.len, 0);
  assert.ok(performance.now() - started >= 19);
  while (slow.reply.len === 0) await new Promise((r) => setTimeout(r, 2));
  assert.ok(performance.now() - started >= 79);
  assert.equal(new TextDecoder().decode(slow.reply.bytes()), "*-1\r\n");
  assert.equal(blockedClients(), 0);
});
