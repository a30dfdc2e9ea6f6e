// RDB files across inmemdb and redis-server 7.0: a dump.rdb of every type and encoding written
// by one loads into the other with the same contents, encodings and TTLs; older encodings
// Redis still reads load too; SHUTDOWN and SIGTERM save per config; a killed BGSAVE never
// leaves a broken dump.rdb behind.
import { assert, assertEquals } from "../helpers/assert.ts";
import { Both } from "../helpers/differential.ts";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";
import { legacyRdb, textDouble, ziplist, zipmap } from "../helpers/legacy_rdb.ts";
import { intsetBytes } from "../../lib/persistence/intset.ts";
import { listpack } from "../../lib/persistence/listpack.ts";

const DBS = [0, 1, 9, 15];

function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Every type in each encoding: small and large, integers, binary, expires, several dbs. */
function dataset(): string[][] {
  return [
    ["SELECT", "0"],
    ["SET", "str", "hello"],
    ["SET", "int", "12345"],
    ["SET", "negint", "-99"],
    ["SET", "int64", "9223372036854775807"],
    ["SET", "float", "3.14"],
    ["SET", "empty", ""],
    ["SET", "binary", "\0\x01\x02\xff\xfe\r\n\x80 bin\0"],
    ["SET", "compressible", "abcabc".repeat(400)],
    ["SET", "raw", "r".repeat(45)],
    ["SETBIT", "bitmap", "100000", "1"],
    ["PFADD", "hll", "a", "b", "c"],
    ["SET", "ttl-px", "v", "PX", "500000"],
    ["SET", "ttl-ex", "v", "EX", "3600"],
    ["SET", "ttl-far", "v"],
    ["PEXPIREAT", "ttl-far", "99999999999999"],
    ["RPUSH", "list", "a", "b", "1", "2", "-3", "300", "70000", "x".repeat(100), ""],
    ["RPUSH", "biglist", ...range(6000, (i) => i % 4 === 0 ? String(i * 977) : `item:${i}`)],
    ["LPUSH", "lpushed", ...range(3000, (i) => `v${i % 50}`)],
    ["HSET", "hash", "f1", "v1", "n", "123", "neg", "-7", "empty", ""],
    ["HSET", "bighash", ...range(600, (i) => [`field:${i}`, `value:${i}`]).flat()],
    ["HSET", "longhash", "f", "w".repeat(100)],
    ["SADD", "intset16", "1", "2", "3", "-32768"],
    ["SADD", "intset32", "1", "100000", "-2147483648"],
    ["SADD", "intset64", "1", "9223372036854775807", "-9223372036854775808"],
    ["SADD", "set", "a", "b", "c", "1"],
    ["SADD", "bigintset", ...range(600, (i) => String(i * 3))],
    ["SADD", "bigset", ...range(700, (i) => `m${i}`)],
    ["ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "1e20", "d", "0", "zero", "100", "200"],
    ["ZADD", "zspecial", "inf", "pinf", "-inf", "ninf", "-0", "negzero", "1.5e-300", "tiny"],
    ["ZADD", "bigzset", ...range(300, (i) => [String(i * 1.25 - 50), `member:${i}`]).flat()],
    ["ZADD", "longzset", "1", "m".repeat(100)],
    ["EXPIRE", "bighash", "7200"],
    ["SELECT", "1"],
    ["SET", "in-db1", "one"],
    ["HSET", "h1", "a", "1"],
    ["SELECT", "9"],
    ["RPUSH", "l9", "x", "y"],
    ["SADD", "s9", "only"],
    ["SELECT", "15"],
    ["ZADD", "z15", "1", "one"],
    ["PEXPIRE", "z15", "900000"],
    ["SELECT", "0"],
  ];
}

/** Sends commands in pipelined batches; every reply must not be an error. */
async function run(client: RawClient, commands: string[][]): Promise<void> {
  for (let at = 0; at < commands.length; at += 100) {
    const batch = commands.slice(at, at + 100);
    await client.send(batch.map((c) => encodeCommand(c)).reduce(concat));
    for (const command of batch) {
      const reply = await client.replyText();
      if (reply.startsWith("-")) throw new Error(`${command.join(" ")}: ${reply}`);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function bulks(reply: string): string[] {
  const out: string[] = [];
  let pos = reply.indexOf("\r\n") + 2;
  while (pos < reply.length) {
    const end = reply.indexOf("\r\n", pos);
    const len = Number(reply.slice(pos + 1, end));
    out.push(reply.slice(end + 2, end + 2 + len));
    pos = end + 2 + len + 2;
  }
  return out;
}

/**
 * Compares every key of every db by reads: type, value (in order where the encoding keeps
 * one), TTL within a second or two, and OBJECT ENCODING unless `encodings` is false.
 */
async function compare(both: Both, encodings = true): Promise<void> {
  for (const db of DBS) {
    await both.check("SELECT", String(db));
    await both.check("DBSIZE");
    const keys = await both.checkUnordered("KEYS", "*");
    for (const key of keys) {
      const type = (await both.check("TYPE", key)).slice(1, -2);
      const encoding = (await both.ours.call("OBJECT", "ENCODING", key)).split("\r\n")[1]!;
      const encodingRedis = (await both.redis.call("OBJECT", "ENCODING", key)).split("\r\n")[1]!;
      if (encodings) assertEquals(encoding, encodingRedis, `OBJECT ENCODING ${key}`);
      await both.checkNear(2000, "PTTL", key);
      const ordered = encoding !== "hashtable";
      if (type === "string") await both.check("GET", key);
      else if (type === "list") await both.check("LRANGE", key, "0", "-1");
      else if (type === "zset") await both.check("ZRANGE", key, "0", "-1", "WITHSCORES");
      else if (type === "hash") {
        if (ordered) await both.check("HGETALL", key);
        else await compareHash(both, key);
      } else if (type === "set") {
        if (ordered) await both.check("SMEMBERS", key);
        else await both.checkUnordered("SMEMBERS", key);
      } else throw new Error(`unexpected type ${type} of ${key}`);
    }
  }
  await both.check("SELECT", "0");
}

async function compareHash(both: Both, key: string): Promise<void> {
  const pairs = (reply: string) => {
    const items = bulks(reply);
    const out: string[] = [];
    for (let i = 0; i < items.length; i += 2) out.push(`${items[i]}=${items[i + 1]}`);
    return out.sort();
  };
  const [ours, redis] = await both.both("HGETALL", key);
  assertEquals(pairs(ours), pairs(redis), `HGETALL ${key}`);
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "inmemdb-interop-" });
}

async function stopAll(...servers: (ServerHandle | undefined)[]): Promise<void> {
  await Promise.all(servers.map((s) => s?.stop()));
}

Deno.test({
  name: "a dump.rdb saved by redis-server loads into inmemdb: same contents, encodings, TTLs",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await tempDir();
    let source: ServerHandle | undefined, redis: ServerHandle | undefined;
    let ours: ServerHandle | undefined;
    const clients: RawClient[] = [];
    try {
      source = await startRedis(["--dir", dir]);
      const writer = await RawClient.connect(source.port);
      clients.push(writer);
      await run(writer, dataset());
      assertEquals(await writer.call("SAVE"), "+OK\r\n");
      // Both load the same file; the original stays up for the values.
      [redis, ours] = await Promise.all([startRedis(["--dir", dir]), startInmemdb(["--dir", dir])]);
      const both = new Both(
        await RawClient.connect(ours.port),
        await RawClient.connect(redis.port),
      );
      clients.push(both.ours, both.redis);
      await compare(both);
      assert.match(ours.output(), /Loading RDB produced by version 7\.0\.15/);
      const loaded = /Done loading RDB, keys loaded: (\d+), keys expired: 0\./;
      assertEquals(loaded.exec(ours.output())?.[1], loaded.exec(redis.output())?.[1]);
      const info = await both.ours.call("INFO", "persistence");
      assert.match(
        info,
        new RegExp(`\r\nrdb_last_load_keys_loaded:${loaded.exec(redis.output())![1]}\r\n`),
      );
    } finally {
      for (const c of clients) c.close();
      await stopAll(source, redis, ours);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a dump.rdb saved by inmemdb loads into redis-server with identical contents",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await tempDir();
    let source: ServerHandle | undefined, redis: ServerHandle | undefined;
    let ours: ServerHandle | undefined;
    const clients: RawClient[] = [];
    try {
      source = await startInmemdb(["--dir", dir]);
      const writer = await RawClient.connect(source.port);
      clients.push(writer);
      await run(writer, dataset());
      assertEquals(await writer.call("SAVE"), "+OK\r\n");
      [redis, ours] = await Promise.all([startRedis(["--dir", dir]), startInmemdb(["--dir", dir])]);
      assert.match(redis.output(), /Done loading RDB, keys loaded: 35, keys expired: 0\./);
      // Redis reads what we wrote as we hold it...
      const original = new Both(writer, await RawClient.connect(redis.port));
      clients.push(original.redis);
      await compare(original, false);
      // ...and gives each value the encoding we give it after a reload.
      const reloaded = new Both(await RawClient.connect(ours.port), original.redis);
      clients.push(reloaded.ours);
      await compare(reloaded);
      const check = new Deno.Command("redis-check-rdb", { args: [`${dir}/dump.rdb`] }).outputSync();
      assert.match(new TextDecoder().decode(check.stdout), /RDB looks OK/);
    } finally {
      for (const c of clients) c.close();
      await stopAll(source, redis, ours);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "older encodings Redis 7.0 still loads (ziplist, zipmap, quicklist v1, intset) load alike",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await tempDir();
    const file = legacyRdb(9, [
      {
        db: 0,
        key: "zl-list",
        type: 10,
        payload: (w) => w.stringBytes(ziplist(["a", "1", "-70000", "x".repeat(300)])),
      },
      {
        db: 0,
        key: "zl-hash",
        type: 13,
        payload: (w) => w.stringBytes(ziplist(["f", "v", "n", "5"])),
      },
      {
        db: 0,
        key: "zl-bighash",
        type: 13,
        payload: (w) => w.stringBytes(ziplist(range(1200, (i) => `h${i}`))),
      },
      {
        db: 0,
        key: "zl-zset",
        type: 12,
        payload: (w) => w.stringBytes(ziplist(["c", "-inf", "a", "1.5", "b", "2"])),
      },
      {
        db: 0,
        key: "zipmap",
        type: 9,
        payload: (w) => w.stringBytes(zipmap(["f1", "v1", "f2", "long".repeat(30)])),
      },
      {
        db: 0,
        key: "quicklist-v1",
        type: 14,
        payload: (w) => {
          w.len(2);
          w.stringBytes(ziplist(["x", "y", "12"]));
          w.stringBytes(ziplist(range(300, (i) => `n${i}`)));
        },
      },
      {
        db: 0,
        key: "intset",
        type: 11,
        payload: (w) => w.stringBytes(intsetBytes([-3, 7, 100000])),
      },
      {
        db: 0,
        key: "lp-zset",
        type: 17,
        payload: (w) => w.stringBytes(listpack(["m", "3", "k", "1e3"])),
      },
      {
        db: 1,
        key: "text-zset",
        type: 3,
        payload: (w) => {
          w.len(3);
          w.string("one");
          textDouble(w, 1);
          w.string("inf");
          textDouble(w, Infinity);
          w.string("half");
          textDouble(w, 0.5);
        },
      },
      {
        db: 1,
        key: "plain-list",
        type: 1,
        payload: (w) => {
          w.len(3);
          w.string("1");
          w.string("two");
          w.string("3");
        },
      },
      {
        db: 1,
        key: "old-expire",
        type: 0,
        expireSeconds: 2000000000,
        payload: (w) => w.string("v"),
      },
      { db: 1, key: "expired", type: 0, expireSeconds: 1000, payload: (w) => w.string("gone") },
    ]);
    await Deno.writeFile(`${dir}/dump.rdb`, file);
    let redis: ServerHandle | undefined, ours: ServerHandle | undefined;
    const clients: RawClient[] = [];
    try {
      [redis, ours] = await Promise.all([startRedis(["--dir", dir]), startInmemdb(["--dir", dir])]);
      const both = new Both(
        await RawClient.connect(ours.port),
        await RawClient.connect(redis.port),
      );
      clients.push(both.ours, both.redis);
      await compare(both);
      const counts = /keys loaded: (\d+), keys expired: (\d+)\./;
      assertEquals(counts.exec(ours.output())?.slice(1), counts.exec(redis.output())?.slice(1));
      assertEquals(counts.exec(ours.output())?.[2], "1");
    } finally {
      for (const c of clients) c.close();
      await stopAll(redis, ours);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The key names and values of db 0 as a sorted list of "key=value" (strings only). */
async function strings(client: RawClient): Promise<string[]> {
  const keys = bulks(await client.call("KEYS", "*")).sort();
  const out: string[] = [];
  for (const key of keys) out.push(`${key}=${(await client.call("GET", key)).split("\r\n")[1]}`);
  return out;
}

Deno.test({
  name: "SHUTDOWN and SIGTERM save per the save points; a restart finds everything",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await tempDir();
    const withSavePoints = ["--dir", dir, "--save", "3600 1 300 100 60 10000"];
    let reference: ServerHandle | undefined, ours: ServerHandle | undefined;
    const clients: RawClient[] = [];
    const connect = async (server: ServerHandle) => {
      const c = await RawClient.connect(server.port);
      clients.push(c);
      return c;
    };
    try {
      reference = await startRedis();
      ours = await startInmemdb(withSavePoints);
      await run(await connect(reference), dataset());
      await run(await connect(ours), dataset());
      // SIGTERM with save points: the final snapshot, then exit 0.
      assertEquals(await ours.stop(), 0);
      assert.match(
        ours.output(),
        /Saving the final RDB snapshot before exiting\.\n.*DB saved on disk/,
      );
      ours = await startInmemdb(withSavePoints);
      await compare(new Both(await connect(ours), await connect(reference)), false);

      // SHUTDOWN saves too; SHUTDOWN NOSAVE does not.
      let client = await connect(ours);
      assertEquals(await client.call("SET", "kept", "1"), "+OK\r\n");
      await client.send(encodeCommand(["SHUTDOWN"]));
      assertEquals(await client.readToEnd(), "");
      assertEquals(await ours.stop(), 0);
      ours = await startInmemdb(withSavePoints);
      client = await connect(ours);
      assertEquals(await client.call("SET", "lost", "1"), "+OK\r\n");
      await client.send(encodeCommand(["SHUTDOWN", "NOSAVE"]));
      assertEquals(await client.readToEnd(), "");
      await ours.stop();
      // Without save points SIGTERM saves nothing, unless SHUTDOWN SAVE asks for it.
      const noSavePoints = ["--dir", dir, "--save", ""];
      ours = await startInmemdb(noSavePoints);
      client = await connect(ours);
      const names = (await strings(client)).map((s) => s.split("=")[0]);
      assert.ok(names.includes("kept") && !names.includes("lost"));
      assertEquals(await client.call("SET", "not-saved", "1"), "+OK\r\n");
      await ours.stop();
      ours = await startInmemdb(noSavePoints);
      client = await connect(ours);
      assertEquals(await client.call("EXISTS", "not-saved"), ":0\r\n");
      assertEquals(await client.call("SET", "saved", "1"), "+OK\r\n");
      await client.send(encodeCommand(["SHUTDOWN", "SAVE"]));
      assertEquals(await client.readToEnd(), "");
      await ours.stop();
      ours = await startInmemdb(["--dir", dir]);
      assertEquals(await (await connect(ours)).call("EXISTS", "saved"), ":1\r\n");
    } finally {
      for (const c of clients) c.close();
      await stopAll(reference, ours);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a save that fails stops SHUTDOWN and SIGTERM: the server keeps running", async () => {
  const dir = await tempDir();
  const ours = await startInmemdb(["--dir", dir, "--save", "3600 1"]);
  const client = await RawClient.connect(ours.port);
  try {
    assertEquals(await client.call("SET", "k", "v"), "+OK\r\n");
    await Deno.remove(dir, { recursive: true });
    assertEquals(await client.call("SAVE"), "-ERR\r\n");
    assertEquals(
      await client.call("SHUTDOWN"),
      "-ERR Errors trying to SHUTDOWN. Check logs.\r\n",
    );
    assertEquals(await client.call("PING"), "+PONG\r\n");
    assert.match(ours.output(), /Error trying to save the DB, can't exit\./);
    // SHUTDOWN NOSAVE (or FORCE) still exits.
    await client.send(encodeCommand(["SHUTDOWN", "NOSAVE"]));
    assertEquals(await client.readToEnd(), "");
  } finally {
    client.close();
    await ours.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("SIGKILL during a BGSAVE leaves the previous dump.rdb complete", async () => {
  const dir = await tempDir();
  let ours: ServerHandle | undefined;
  const clients: RawClient[] = [];
  try {
    ours = await startInmemdb(["--dir", dir]);
    const client = await RawClient.connect(ours.port);
    clients.push(client);
    const commands: string[][] = [];
    for (let at = 0; at < 300_000; at += 1000) {
      const mset = ["MSET"];
      for (let i = at; i < at + 1000; i++) mset.push(`k:${i}`, `value:${i}`);
      commands.push(mset);
    }
    await run(client, commands);
    assertEquals(await client.call("SAVE"), "+OK\r\n");
    const before = await Deno.readFile(`${dir}/dump.rdb`);
    assertEquals(await client.call("SET", "after-save", "1"), "+OK\r\n");
    const pid = Number(/\r\nprocess_id:(\d+)\r\n/.exec(await client.call("INFO", "server"))![1]);
    assertEquals(await client.call("BGSAVE"), "+Background saving started\r\n");
    // Kill it once the new file is being written.
    for (;;) {
      const text = await client.call("INFO", "persistence");
      if (/\r\ncurrent_save_keys_processed:[1-9]/.test(text)) break;
      assert.match(text, /\r\nrdb_bgsave_in_progress:1\r\n/, "BGSAVE ended before the kill");
    }
    Deno.kill(pid, "SIGKILL");
    await ours.stop();
    assertEquals(await Deno.readFile(`${dir}/dump.rdb`), before);
    ours = await startInmemdb(["--dir", dir]);
    const restarted = await RawClient.connect(ours.port);
    clients.push(restarted);
    assertEquals(await restarted.call("DBSIZE"), ":300000\r\n");
    assertEquals(await restarted.call("EXISTS", "after-save"), ":0\r\n");
  } finally {
    for (const c of clients) c.close();
    await ours?.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
