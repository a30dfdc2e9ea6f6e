// Key expiry on a running server: lazy expiry on access with millisecond precision, and the
// active cycle (lib/store/expiry.ts) reclaiming keys nobody reads while clients are served.
import assert from "node:assert/strict";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { startInmemdb } from "../helpers/servers.ts";

/** Sends many commands in one write on a plain connection and waits for `replyBytes`. */
async function pipeline(port: number, commands: string[][], replyBytes: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const parts = commands.map((args) => encodeCommand(args));
    const request = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      request.set(part, at);
      at += part.length;
    }
    const writing = (async () => {
      let off = 0;
      while (off < request.length) off += await conn.write(request.subarray(off));
    })();
    const chunks: Uint8Array[] = [];
    let got = 0;
    const chunk = new Uint8Array(1 << 16);
    while (got < replyBytes) {
      const n = await conn.read(chunk);
      if (n === null) throw new Error(`connection closed after ${got} reply bytes`);
      chunks.push(chunk.slice(0, n));
      got += n;
    }
    await writing;
    return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concat(chunks));
  } finally {
    conn.close();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function integer(reply: string): number {
  const m = /^:(-?\d+)\r\n$/.exec(reply);
  if (m === null) throw new Error(`not an integer reply: ${JSON.stringify(reply)}`);
  return Number(m[1]);
}

Deno.test("lazy expiry: a PSETEX 50 key is gone on the first access after 50 ms", async () => {
  const server = await startInmemdb();
  const client = await RawClient.connect(server.port);
  try {
    const sent = Date.now();
    assert.equal(await client.call("PSETEX", "k", "50", "v"), "+OK\r\n");
    assert.equal(await client.call("GET", "k"), "$1\r\nv\r\n");
    const pttl = integer(await client.call("PTTL", "k"));
    assert.ok(pttl > 0 && pttl <= 50, `PTTL ${pttl}`);
    let gone = 0;
    for (;;) {
      const reply = await client.call("GET", "k");
      if (reply === "$-1\r\n") {
        gone = Date.now();
        break;
      }
      assert.equal(reply, "$1\r\nv\r\n");
      assert.ok(Date.now() - sent < 1000, "the key outlived its TTL by far");
      await new Promise((r) => setTimeout(r, 1));
    }
    // The server set the key after `sent`, so it cannot have expired before sent + 50 ms.
    assert.ok(gone - sent >= 50, `expired after ${gone - sent} ms`);
    assert.ok(gone - sent < 300, `expired only after ${gone - sent} ms`);
    assert.equal(await client.call("EXISTS", "k"), ":0\r\n");
    assert.equal(await client.call("TTL", "k"), ":-2\r\n");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("lazy expiry applies to every kind of access", async () => {
  const server = await startInmemdb();
  const client = await RawClient.connect(server.port);
  try {
    const names = ["get", "exists", "type", "ttl", "rename", "expire", "append", "keys"];
    for (const name of names) {
      assert.equal(await client.call("SET", name, "v", "PX", "20"), "+OK\r\n");
    }
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(await client.call("GET", "get"), "$-1\r\n");
    assert.equal(await client.call("EXISTS", "exists"), ":0\r\n");
    assert.equal(await client.call("TYPE", "type"), "+none\r\n");
    assert.equal(await client.call("TTL", "ttl"), ":-2\r\n");
    assert.equal(await client.call("RENAME", "rename", "x"), "-ERR no such key\r\n");
    assert.equal(await client.call("EXPIRE", "expire", "100"), ":0\r\n");
    assert.equal(await client.call("APPEND", "append", "w"), ":1\r\n");
    assert.equal(await client.call("TTL", "append"), ":-1\r\n");
    assert.equal(await client.call("KEYS", "keys"), "*0\r\n");
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("active expiry: 100k keys with a 1 s TTL leave DBSIZE within 3 s, unread", async () => {
  const server = await startInmemdb();
  const client = await RawClient.connect(server.port);
  try {
    const count = 100_000;
    const commands: string[][] = [];
    for (let i = 0; i < count; i++) commands.push(["SET", `key:${i}`, "value", "EX", "1"]);
    const start = Date.now();
    const replies = await pipeline(server.port, commands, count * 5);
    assert.equal(replies, "+OK\r\n".repeat(count));
    const loaded = Date.now() - start;
    if (loaded < 900) assert.equal(await client.call("DBSIZE"), `:${count}\r\n`);
    let size = count;
    let worstPing = 0;
    while (size > 0) {
      assert.ok(Date.now() - start < 3000, `${size} keys left after 3 s`);
      const before = performance.now();
      assert.equal(await client.call("PING"), "+PONG\r\n");
      worstPing = Math.max(worstPing, performance.now() - before);
      size = integer(await client.call("DBSIZE"));
      await new Promise((r) => setTimeout(r, 20));
    }
    // Each cron run may spend at most a quarter of its 100 ms period expiring keys.
    assert.ok(worstPing < 250, `PING took ${worstPing.toFixed(1)} ms`);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("active expiry reaches every db, not only the first", async () => {
  const server = await startInmemdb();
  const client = await RawClient.connect(server.port);
  try {
    for (const db of ["0", "7", "15"]) {
      const commands: string[][] = [["SELECT", db]];
      for (let i = 0; i < 20_000; i++) commands.push(["SET", `k${i}`, "v", "PX", "200"]);
      const replies = await pipeline(server.port, commands, 5 * commands.length);
      assert.equal(replies, "+OK\r\n".repeat(commands.length));
    }
    const start = Date.now();
    for (const db of ["0", "7", "15"]) {
      assert.equal(await client.call("SELECT", db), "+OK\r\n");
      while (integer(await client.call("DBSIZE")) > 0) {
        assert.ok(Date.now() - start < 3000, `db ${db} still has keys after 3 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("keys without a TTL or with a future one survive the active cycle", async () => {
  const server = await startInmemdb();
  const client = await RawClient.connect(server.port);
  try {
    assert.equal(await client.call("SET", "forever", "1"), "+OK\r\n");
    assert.equal(await client.call("SET", "later", "1", "EX", "100"), "+OK\r\n");
    for (let i = 0; i < 1000; i++) {
      await client.send(encodeCommand(["SET", `s${i}`, "v", "PX", "10"]));
    }
    for (let i = 0; i < 1000; i++) assert.equal(await client.replyText(), "+OK\r\n");
    const start = Date.now();
    while (integer(await client.call("DBSIZE")) > 2) {
      assert.ok(Date.now() - start < 3000, "short-lived keys were not reclaimed");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await client.call("EXISTS", "forever", "later"), ":2\r\n");
  } finally {
    client.close();
    await server.stop();
  }
});
