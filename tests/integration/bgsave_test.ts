// BGSAVE on a running server: the file holds the data as of the BGSAVE command while other
// clients keep writing and are served without long pauses; BGSAVE/SAVE errors, INFO fields,
// save points from serverCron, FLUSHALL's save.
import { assert, assertEquals } from "../helpers/assert.ts";
import { pipeline, RawClient } from "../helpers/resp_client.ts";
import { type ServerHandle, startInmemdb } from "../helpers/servers.ts";
import { Keyspace } from "../../lib/store/keyspace.ts";
import { loadRdb } from "../../lib/persistence/rdb.ts";
import { LIMITS } from "../helpers/rdb_fixtures.ts";

const KEYS = 200_000;

/** MSETs of `count` keys k:<i> = v0:<i>, plus one collection of each type. */
async function populate(client: RawClient, count: number): Promise<void> {
  const commands: string[][] = [];
  for (let at = 0; at < count; at += 1000) {
    const mset = ["MSET"];
    for (let i = at; i < Math.min(count, at + 1000); i++) mset.push(`k:${i}`, `v0:${i}`);
    commands.push(mset);
  }
  commands.push(["RPUSH", "list", ...Array.from({ length: 5000 }, (_, i) => `e${i}`)]);
  commands.push([
    "HSET",
    "hash",
    ...Array.from({ length: 2000 }, (_, i) => [`f${i}`, `${i}`]).flat(),
  ]);
  commands.push(["SADD", "set", ...Array.from({ length: 2000 }, (_, i) => `m${i}`)]);
  commands.push([
    "ZADD",
    "zset",
    ...Array.from({ length: 2000 }, (_, i) => [`${i}`, `z${i}`]).flat(),
  ]);
  commands.push(["SELECT", "3"], ["SET", "in-db3", "three"], ["SELECT", "0"]);
  for (const reply of await pipeline(client, commands)) {
    if (reply.startsWith("-")) throw new Error(reply);
  }
}

function info(text: string, field: string): string {
  const m = new RegExp(`\r\n${field}:([^\r]*)\r\n`).exec(text);
  if (m === null) throw new Error(`no ${field} in INFO`);
  return m[1]!;
}

async function waitForBgsave(client: RawClient): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await client.call("INFO", "persistence");
    if (info(text, "rdb_bgsave_in_progress") === "0") return text;
    if (Date.now() > deadline) throw new Error("BGSAVE did not finish within 60 s");
    await new Promise((r) => setTimeout(r, 20));
  }
}

function loadFile(path: string): Keyspace {
  const ks = new Keyspace(16);
  loadRdb(Deno.readFileSync(path), ks, { limits: LIMITS, checksum: true, now: Date.now() });
  return ks;
}

async function withServer(
  args: string[],
  fn: (server: ServerHandle, client: RawClient, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "inmemdb-bgsave-" });
  // No save points unless the test gives some: no BGSAVE of serverCron's own in the way.
  const server = await startInmemdb(["--dir", dir, "--save", "", ...args]);
  const client = await RawClient.connect(server.port);
  try {
    await fn(server, client, dir);
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("BGSAVE under concurrent writes saves the data as of the command, and serves others", async () => {
  await withServer([], async (server, client, dir) => {
    await populate(client, KEYS);
    const lastSave = Number((await client.call("LASTSAVE")).slice(1, -2));
    const dirtyBefore = Number(
      info(await client.call("INFO", "persistence"), "rdb_changes_since_last_save"),
    );
    assert.ok(dirtyBefore > 0);
    // A second client pings all along: it must keep being answered.
    const pinger = await RawClient.connect(server.port);
    let pings = 0, maxLatency = 0, stop = false;
    const pinging = (async () => {
      while (!stop) {
        const t = performance.now();
        assertEquals(await pinger.call("PING"), "+PONG\r\n");
        maxLatency = Math.max(maxLatency, performance.now() - t);
        pings++;
      }
    })();
    // Same connection, one pipeline: everything after BGSAVE happens after the snapshot point.
    const after: string[][] = [["BGSAVE"]];
    for (let i = 0; i < KEYS; i += 97) after.push(["SET", `k:${i}`, "after"]);
    for (let i = 50; i < KEYS; i += 1013) after.push(["DEL", `k:${i}`]);
    for (let i = 0; i < 300; i++) after.push(["SET", `new:${i}`, "after"]);
    for (let i = 7; i < KEYS; i += 2003) after.push(["EXPIRE", `k:${i}`, "1"]);
    after.push(
      ["LPUSH", "list", "after"],
      ["HSET", "hash", "f0", "after"],
      ["SREM", "set", "m0"],
      ["ZADD", "zset", "-1", "after"],
      ["RENAME", "k:1", "renamed"],
      ["SELECT", "3"],
      ["FLUSHDB"],
      ["SELECT", "0"],
    );
    const replies = await pipeline(client, after);
    assertEquals(replies[0], "+Background saving started\r\n");
    assertEquals(replies.filter((r) => r.startsWith("-")), []);
    const during = await client.call("INFO", "persistence");
    const text = await waitForBgsave(client);
    stop = true;
    await pinging;
    pinger.close();
    console.log(
      `BGSAVE of ${KEYS} keys under load: ${pings} PINGs, max latency ${maxLatency.toFixed(1)} ms`,
    );
    assert.ok(pings > 20, `PINGs answered during BGSAVE: ${pings}`);
    assert.ok(maxLatency < 1000, `max PING latency ${maxLatency} ms`);
    if (info(during, "rdb_bgsave_in_progress") === "1") {
      assertEquals(info(during, "current_save_keys_total"), String(KEYS + 5));
    }
    assertEquals(info(text, "rdb_last_bgsave_status"), "ok");
    // Writes after the snapshot point are what is left to save.
    const writesAfter = after.length - 1 - 2 /* SELECTs */ + 1 /* FLUSHDB removed one key */ - 1;
    assertEquals(Number(info(text, "rdb_changes_since_last_save")), writesAfter);
    assert.ok(Number((await client.call("LASTSAVE")).slice(1, -2)) >= lastSave);
    assertEquals(info(text, "rdb_saves"), "1");

    const saved = loadFile(`${dir}/dump.rdb`);
    const db0 = saved.dbs[0]!;
    assertEquals(db0.size, KEYS + 4);
    for (let i = 0; i < KEYS; i++) {
      if (db0.dict.get(`k:${i}`) !== `v0:${i}`) {
        throw new Error(`k:${i} is ${db0.dict.get(`k:${i}`)}`);
      }
    }
    assertEquals(db0.expires.size, 0);
    assertEquals(db0.dict.has("new:0") || db0.dict.has("renamed"), false);
    assertEquals(saved.dbs[3]!.dict.get("in-db3"), "three");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["dump.rdb"]);
  });
});

Deno.test("BGSAVE and SAVE errors, and INFO persistence while a BGSAVE runs", async () => {
  await withServer([], async (_server, client) => {
    await populate(client, 100_000);
    assertEquals(await client.call("BGSAVE", "NOW"), "-ERR syntax error\r\n");
    assertEquals(await client.call("BGSAVE", "SCHEDULE", "x"), "-ERR syntax error\r\n");
    const replies = await pipeline(client, [
      ["BGSAVE"],
      ["BGSAVE"],
      ["BGSAVE", "SCHEDULE"],
      ["SAVE"],
      ["INFO", "persistence"],
    ]);
    assertEquals(replies.slice(0, 4), [
      "+Background saving started\r\n",
      "-ERR Background save already in progress\r\n",
      "-ERR Background save already in progress\r\n",
      "-ERR Background save already in progress\r\n",
    ]);
    assertEquals(info(replies[4]!, "rdb_bgsave_in_progress"), "1");
    assertEquals(info(replies[4]!, "rdb_current_bgsave_time_sec"), "0");
    const text = await waitForBgsave(client);
    assertEquals(info(text, "rdb_last_bgsave_status"), "ok");
    assertEquals(info(text, "rdb_changes_since_last_save"), "0");
    assert.match(info(text, "rdb_last_bgsave_time_sec"), /^\d+$/);
    assertEquals(await client.call("SAVE"), "+OK\r\n");
    assertEquals(info(await client.call("INFO", "persistence"), "rdb_saves"), "2");
  });
});

Deno.test("a save point reached makes serverCron start a BGSAVE", async () => {
  await withServer(["--save", "1 2", "--hz", "50"], async (server, client, dir) => {
    assertEquals(await client.call("SET", "a", "1"), "+OK\r\n");
    await new Promise((r) => setTimeout(r, 1500));
    // One change is below the save point: nothing saved yet.
    await assert.rejects(Deno.stat(`${dir}/dump.rdb`));
    assertEquals(await client.call("SET", "b", "2"), "+OK\r\n");
    const deadline = Date.now() + 10_000;
    while (!/2 changes in 1 seconds\. Saving\.\.\./.test(server.output())) {
      if (Date.now() > deadline) throw new Error(`no save:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitForBgsave(client);
    assertEquals(loadFile(`${dir}/dump.rdb`).dbs[0]!.size, 2);
  });
});

Deno.test("FLUSHALL stops a BGSAVE and, with save points, saves the empty dataset", async () => {
  await withServer(["--save", "3600 1"], async (server, client, dir) => {
    await populate(client, 100_000);
    const replies = await pipeline(client, [["BGSAVE"], ["FLUSHALL"], ["INFO", "persistence"]]);
    assertEquals(replies.slice(0, 2), ["+Background saving started\r\n", "+OK\r\n"]);
    assertEquals(info(replies[2]!, "rdb_bgsave_in_progress"), "0");
    assertEquals(info(replies[2]!, "rdb_last_bgsave_status"), "ok");
    assertEquals(loadFile(`${dir}/dump.rdb`).dbs[0]!.size, 0);
    assert.match(server.output(), /Background saving terminated by signal 10/);
    // No temporary file of the stopped BGSAVE is left.
    await new Promise((r) => setTimeout(r, 100));
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["dump.rdb"]);
  });
});
