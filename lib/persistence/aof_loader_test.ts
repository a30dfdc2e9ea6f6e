import assert from "node:assert/strict";
import { Config } from "../config.ts";
import { Server } from "../server.ts";
import { AofCommandReader, AofLoadError, type AofLoadStatus, loadAofFile } from "./aof_loader.ts";
import { saveRdbSync } from "./rdb.ts";
import { contents, OPTS, sampleKeyspace } from "../../tests/helpers/rdb_fixtures.ts";

const resp = (...args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`;
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function readAll(text: string): string[][] {
  const reader = new AofCommandReader(bytes(text));
  const out: string[][] = [];
  for (let argv = reader.next(); argv !== null; argv = reader.next()) out.push(argv);
  return out;
}

/** What reading `text` throws: the reader's Truncated (validUpTo) or BadFormat (offset). */
function readFailure(text: string): string {
  try {
    readAll(text);
  } catch (err) {
    const e = err as { constructor: { name: string }; validUpTo?: number; offset?: number };
    return `${e.constructor.name} ${e.validUpTo ?? e.offset}`;
  }
  return "ok";
}

Deno.test("the reader returns each command's arguments as byte strings", () => {
  const text = resp("SELECT", "0") + resp("SET", "k\r\n", "\x00\xff") + resp("DEL", "");
  assert.deepEqual(readAll(text), [["SELECT", "0"], ["SET", "k\r\n", "\x00\xff"], ["DEL", ""]]);
});

Deno.test("the reader skips #TS annotation lines", () => {
  assert.deepEqual(readAll(`#TS:1700000000\r\n${resp("PING")}#TS:1700000001\r\n`), [["PING"]]);
});

Deno.test("a command cut anywhere is truncated at its start", () => {
  const first = resp("SET", "a", "1");
  const second = resp("SET", "key", "value");
  for (let cut = 1; cut < second.length; cut++) {
    assert.equal(readFailure(first + second.slice(0, cut)), `Truncated ${first.length}`, `${cut}`);
  }
  assert.equal(readFailure(first + second), "ok");
});

Deno.test("bytes that are not a RESP array of bulks are a format error at their offset", () => {
  const first = resp("SET", "a", "1");
  assert.equal(readFailure(first + "garbage\r\n"), `BadFormat ${first.length}`);
  assert.equal(readFailure(first + "*0\r\n"), `BadFormat ${first.length}`);
  assert.equal(readFailure(first + "*x\r\n"), `BadFormat ${first.length}`);
  assert.equal(readFailure(first + "*1\r\n:1\r\n"), `BadFormat ${first.length + 4}`);
  assert.equal(readFailure(first + "*1\r\n$-1\r\n"), `BadFormat ${first.length + 4}`);
});

/** A server that does not listen, its keyspace loaded from AOF files in a temp dir. */
async function withServer(
  fn: (server: Server, dir: string, logs: string[]) => Promise<void> | void,
): Promise<void> {
  const config = new Config();
  config.load("save", [""]);
  const server = new Server(config);
  const logs: string[] = [];
  server.log = (_level, message) => logs.push(message);
  const dir = await Deno.makeTempDir({ prefix: "inmemdb-aof-loader-" });
  try {
    await fn(server, dir, logs);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function load(server: Server, path: string, loadTruncated = true): AofLoadStatus | string {
  try {
    return loadAofFile(server, path, { loadTruncated, name: "x.aof", oldStyle: false });
  } catch (err) {
    if (err instanceof AofLoadError) return err.message;
    throw err;
  }
}

function get(server: Server, db: number, key: string): unknown {
  return server.keyspace.dbs[db]!.dict.get(key);
}

Deno.test("loading runs the commands in their databases, MULTI blocks included", async () => {
  await withServer((server, dir) => {
    const path = `${dir}/x.aof`;
    Deno.writeTextFileSync(
      path,
      resp("SELECT", "0") + resp("SET", "a", "1") + resp("SELECT", "3") +
        resp("MULTI") + resp("SET", "b", "2") + resp("INCR", "b") + resp("EXEC") +
        resp("PEXPIREAT", "b", "99999999999999") + resp("SET", "gone", "x", "PXAT", "1000"),
    );
    assert.equal(load(server, path), "ok");
    assert.equal(get(server, 0, "a"), "1");
    assert.equal(get(server, 3, "b"), "3");
    assert.equal(server.keyspace.dbs[3]!.getExpireExact("b"), 99999999999999);
    // An expire in the past: the key is gone.
    assert.equal(server.keyspace.dbs[3]!.lookupRead("gone"), undefined);
  });
});

Deno.test("an empty file is reported as empty", async () => {
  await withServer((server, dir) => {
    Deno.writeFileSync(`${dir}/x.aof`, new Uint8Array());
    assert.equal(load(server, `${dir}/x.aof`), "empty");
  });
});

Deno.test("a truncated end is cut off with aof-load-truncated, refused without", async () => {
  await withServer((server, dir, logs) => {
    const path = `${dir}/x.aof`;
    const valid = resp("SELECT", "0") + resp("SET", "a", "1");
    const cut = "*3\r\n$3\r\nSET\r\n$1\r\nb";
    Deno.writeTextFileSync(path, valid + cut);
    assert.match(
      load(server, path, false),
      new RegExp(
        `^Unexpected end of file reading the append only file x.aof at offset ${valid.length}`,
      ),
    );
    assert.equal(Deno.statSync(path).size, valid.length + cut.length, "left alone");
    assert.equal(load(server, path), "truncated");
    assert.equal(Deno.statSync(path).size, valid.length);
    assert.equal(get(server, 0, "a"), "1");
    assert.ok(logs.includes(`!!! Truncating the AOF x.aof at offset ${valid.length} !!!`));
    assert.equal(load(server, path), "ok");
  });
});

Deno.test("a MULTI without EXEC at the end is reverted and cut before the MULTI", async () => {
  await withServer((server, dir, logs) => {
    const path = `${dir}/x.aof`;
    const valid = resp("SELECT", "0") + resp("SET", "a", "1");
    for (const tail of [resp("SET", "b", "2"), "*2\r\n$4\r\nINCR\r\n$1"]) {
      Deno.writeTextFileSync(path, valid + resp("MULTI") + resp("SET", "b", "1") + tail);
      assert.equal(load(server, path), "truncated");
      assert.equal(Deno.statSync(path).size, valid.length);
      assert.equal(get(server, 0, "b"), undefined);
      assert.ok(logs.includes("Revert incomplete MULTI/EXEC transaction in AOF file x.aof"));
    }
  });
});

Deno.test("format errors and unknown commands stop loading with Redis's messages", async () => {
  await withServer((server, dir) => {
    const path = `${dir}/x.aof`;
    const valid = resp("SELECT", "0") + resp("SET", "a", "1");
    Deno.writeTextFileSync(path, valid + "garbage\r\n" + resp("SET", "b", "2"));
    assert.equal(
      load(server, path),
      `Bad file format reading the append only file x.aof at offset ${valid.length}: make a ` +
        "backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>",
    );
    Deno.writeTextFileSync(path, valid + resp("NOSUCH", "x"));
    assert.equal(load(server, path), "Unknown command 'NOSUCH' reading the append only file x.aof");
    assert.match(load(server, `${dir}/missing.aof`), /can't open the append log file x.aof/);
  });
});

Deno.test("a command with the wrong number of arguments is skipped, like Redis's loader", async () => {
  await withServer((server, dir) => {
    const path = `${dir}/x.aof`;
    Deno.writeTextFileSync(path, resp("SET", "a") + resp("SET", "b", "2"));
    assert.equal(load(server, path), "ok");
    assert.equal(get(server, 0, "a"), undefined);
    assert.equal(get(server, 0, "b"), "2");
  });
});

Deno.test("an RDB base (preamble) loads, then the commands after it", async () => {
  await withServer((server, dir, logs) => {
    const path = `${dir}/x.aof`;
    const sample = sampleKeyspace();
    saveRdbSync(sample, path, OPTS);
    const rdb = Deno.readFileSync(path);
    const tail = bytes(resp("SELECT", "7") + resp("SET", "after", "rdb"));
    const file = new Uint8Array(rdb.length + tail.length);
    file.set(rdb);
    file.set(tail, rdb.length);
    Deno.writeFileSync(path, file);
    assert.equal(load(server, path), "ok");
    assert.ok(logs.includes("Reading RDB base file on AOF loading..."));
    assert.equal(get(server, 7, "after"), "rdb");
    const expected = contents(sample);
    const loaded = contents(server.keyspace);
    loaded.delete("7:after");
    assert.deepEqual(loaded, expected);
    // A damaged RDB part stops loading.
    file[20] = file[20]! ^ 0xff;
    Deno.writeFileSync(path, file);
    const fresh = new Server(server.config);
    fresh.log = () => {};
    assert.match(
      load(fresh, path),
      /^Unrecoverable error reading the append only file x.aof: /,
    );
  });
});
