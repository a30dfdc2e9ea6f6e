import assert from "node:assert/strict";
import type { Keyspace } from "../store/keyspace.ts";
import { ListObject } from "../store/list.ts";
import { HashObject } from "../store/hash.ts";
import { lookupStringWrite } from "../store/byte_string.ts";
import { Keyspace as KeyspaceClass } from "../store/keyspace.ts";
import { loadRdb } from "./rdb.ts";
import { Snapshot } from "./snapshot.ts";
import {
  contents,
  LIMITS,
  OPTS,
  sampleKeyspace,
  withTempDir,
} from "../../tests/helpers/rdb_fixtures.ts";

const KEYS = 150_000;

/** sampleKeyspace plus enough plain keys that the snapshot takes many slices. */
function bigKeyspace(): Keyspace {
  const ks = sampleKeyspace();
  for (let i = 0; i < KEYS; i++) ks.dbs[i % 2 === 0 ? 0 : 5]!.set(`k${i}`, `value-${i}`);
  return ks;
}

function loadFile(path: string): Keyspace {
  const ks = new KeyspaceClass(16);
  loadRdb(Deno.readFileSync(path), ks, { limits: LIMITS, checksum: true, now: Date.now() });
  return ks;
}

const turn = () => new Promise((r) => setTimeout(r, 0));

/** Every kind of write a command makes, through the same Db methods the commands use. */
function mutate(ks: Keyspace, round: number): void {
  const db0 = ks.dbs[0]!, db5 = ks.dbs[5]!;
  const i = (round * 7919) % KEYS;
  const db = i % 2 === 0 ? db0 : db5;
  db.set(`k${i}`, `changed-${round}`); // SET over an old key
  db.delete(`k${(i + 2) % KEYS}`); // DEL
  db.set(`new-${round}`, "new"); // a key the snapshot must not have
  db.setExpire(`k${(i + 4) % KEYS}`, Date.now() + 1000); // EXPIRE
  (db0.lookupWrite("list") as ListObject | undefined)?.push(`pushed-${round}`, true); // LPUSH
  (db0.lookupWrite("hash") as HashObject | undefined)?.set("f0", `h${round}`, LIMITS.hash); // HSET
  const bytes = lookupStringWrite(db0, "bytes"); // SETBIT edits the buffer in place
  if (bytes !== undefined && typeof bytes !== "string") bytes.buf[round % 100] = 0xee;
  if (round === 1) db0.persist("str"); // PERSIST
  if (round === 2) db0.moveKey("bighash", db5, "moved"); // MOVE / RENAME
  if (round === 3) db0.delete("bigzset");
  if (round === 4) ks.swap(0, 5); // SWAPDB: the snapshot keeps each db's data
  if (round === 5) ks.dbs[15]!.clear(); // FLUSHDB
}

Deno.test("BGSAVE writes the data as it was when it started, whatever changes meanwhile", async () => {
  await withTempDir(async (dir) => {
    const ks = bigKeyspace();
    const expected = contents(ks);
    const snapshot = new Snapshot(ks, `${dir}/dump.rdb`, OPTS);
    assert.equal(ks.snapshotHook, snapshot);
    let rounds = 0;
    let finished = false;
    snapshot.done.then(() => finished = true);
    while (!finished) {
      mutate(ks, rounds++);
      await turn();
    }
    assert.equal(await snapshot.done, "ok");
    assert.ok(rounds > 5, `the snapshot ran over ${rounds} turns, every kind of write happened`);
    assert.equal(ks.snapshotHook, null, "the hook is gone once the save is done");
    assert.equal(snapshot.keysProcessed, snapshot.keysTotal);
    const loaded = contents(loadFile(`${dir}/dump.rdb`));
    assert.equal(loaded.size, expected.size);
    for (const [key, value] of expected) assert.equal(loaded.get(key), value, key);
    assert.ok(snapshot.cowPeak > 0, "old values were kept");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["dump.rdb"]);
  });
});

Deno.test("an aborted BGSAVE stops, leaves no file and unhooks the keyspace", async () => {
  await withTempDir(async (dir) => {
    const ks = bigKeyspace();
    const snapshot = new Snapshot(ks, `${dir}/dump.rdb`, OPTS);
    await turn();
    snapshot.abort();
    assert.equal(ks.snapshotHook, null);
    assert.equal(await snapshot.done, "aborted");
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("a BGSAVE that cannot write reports an error and leaves the old file", async () => {
  await withTempDir(async (dir) => {
    Deno.writeTextFileSync(`${dir}/dump.rdb`, "previous");
    Deno.mkdirSync(`${dir}/sub`);
    const snapshot = new Snapshot(bigKeyspace(), `${dir}/sub`, OPTS);
    assert.equal(await snapshot.done, "error");
    assert.match(snapshot.error, /./);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["dump.rdb", "sub"]);
    assert.equal(Deno.readTextFileSync(`${dir}/dump.rdb`), "previous");
  });
});
