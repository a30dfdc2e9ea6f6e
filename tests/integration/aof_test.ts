// The append-only file against redis-server 7.0 as the reference: replay after a crash, the
// bytes of the incremental file, loading each other's appendonlydir, truncated and corrupt
// files, manifest errors, BGREWRITEAOF/BGSAVE replies, CONFIG SET appendonly, the old-style
// appendonly.aof upgrade, MISCONF, and SHUTDOWN/SIGTERM with the AOF on.
import { assert, assertEquals } from "../helpers/assert.ts";
import { Both } from "../helpers/differential.ts";
import { differential } from "../helpers/differential.ts";
import { pipeline, RawClient } from "../helpers/resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";
import {
  assertSameDataset,
  copyDir,
  crash,
  dataset,
  INCR1,
  info,
  type Kind,
  KINDS,
  listAofDir,
  MANIFEST,
  pidOf,
  startAof,
  startFails,
  waitIdle,
  waitInfo,
  withDirs,
} from "../helpers/aof.ts";

const ignore = !redisAvailable();

/** Starts both servers on their directories; runs fn with a connection pair; stops both. */
async function withBoth(
  dirs: Record<Kind, string>,
  args: string[],
  fn: (both: Both, servers: Record<Kind, ServerHandle>) => Promise<void>,
): Promise<void> {
  const [ours, redis] = await Promise.all(KINDS.map((k) => startAof(k, dirs[k], args)));
  const servers = { inmemdb: ours!, redis: redis! };
  const both = new Both(
    await RawClient.connect(ours!.port),
    await RawClient.connect(redis!.port),
  );
  try {
    await fn(both, servers);
  } finally {
    both.close();
    await Promise.all([ours!.stop(), redis!.stop()]);
  }
}

const FUTURE_S = String(Math.floor(Date.now() / 1000) + 500_000);
const FUTURE_MS = String(Date.now() + 600_000_000);

/** Writes of every type whose replies and effects do not depend on time or chance. */
const DETERMINISTIC: string[][] = [
  ["SET", "s1", "hello"],
  ["APPEND", "s1", " world"],
  ["SETRANGE", "s1", "0", "H"],
  ["SET", "s2", "v", "EXAT", FUTURE_S],
  ["SET", "s3", "v", "PXAT", FUTURE_MS],
  ["SET", "bin", "\x00\xff\r\n\x80 binary"],
  ["INCRBYFLOAT", "f", "1.5"],
  ["INCRBYFLOAT", "f", "0.25"],
  ["INCR", "n"],
  ["INCRBY", "n", "41"],
  ["DECR", "n"],
  ["SETNX", "s1", "no"],
  ["GETSET", "gs", "1"],
  ["SET", "gd", "v"],
  ["GETDEL", "gd"],
  ["GETEX", "s1", "EXAT", FUTURE_S],
  ["GETEX", "s1", "PERSIST"],
  ["SET", "e1", "v"],
  ["EXPIREAT", "e1", FUTURE_S],
  ["SET", "e2", "v"],
  ["PEXPIREAT", "e2", FUTURE_MS],
  ["SET", "gone", "v"],
  ["EXPIREAT", "gone", "1000"],
  ["MSET", "m1", "a", "m2", "b"],
  ["RPUSH", "l", "a", "b", "c", "d", "e"],
  ["LPUSH", "l", "z"],
  ["LPOP", "l"],
  ["RPOPLPUSH", "l", "l2"],
  ["LMOVE", "l", "l2", "LEFT", "RIGHT"],
  ["LINSERT", "l", "BEFORE", "c", "x"],
  ["LSET", "l", "0", "first"],
  ["BLPOP", "l", "0"],
  ["BLMOVE", "l", "l2", "RIGHT", "LEFT", "0"],
  ["RPUSH", "biglist", ...Array.from({ length: 200 }, (_, i) => `element-${i}`)],
  ["LTRIM", "biglist", "1", "150"],
  ["HSET", "h", "f1", "v1", "f2", "v2"],
  ["HINCRBY", "h", "n", "5"],
  ["HINCRBYFLOAT", "h", "fl", "2.5"],
  ["HDEL", "h", "f2"],
  ["HSETNX", "h", "f3", "v3"],
  ["HSET", "bighash", ...Array.from({ length: 200 }, (_, i) => [`f${i}`, `value-${i}`]).flat()],
  ["SADD", "set", "a", "b", "c", "1", "2"],
  ["SREM", "set", "a"],
  ["SMOVE", "set", "set2", "b"],
  ["SADD", "ints", "1", "2", "3", "100000"],
  ["SADD", "bigset", ...Array.from({ length: 200 }, (_, i) => `member-${i}`)],
  ["SINTERSTORE", "inter", "set", "ints"],
  ["SUNIONSTORE", "union", "set", "ints"],
  ["SADD", "one", "only"],
  ["SPOP", "one"],
  ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
  ["ZINCRBY", "z", "2.5", "a"],
  ["ZPOPMIN", "z"],
  ["BZPOPMAX", "z", "0"],
  ["ZADD", "bigz", ...Array.from({ length: 200 }, (_, i) => [`${i}.5`, `m${i}`]).flat()],
  ["ZUNIONSTORE", "zu", "2", "z", "bigz", "WEIGHTS", "2", "1"],
  ["ZREMRANGEBYRANK", "bigz", "0", "9"],
  ["PFADD", "hll", "a", "b", "c"],
  ["SETBIT", "bits", "100", "1"],
  ["BITOP", "OR", "bits2", "bits", "bits"],
  ["SORT", "l2", "ALPHA", "STORE", "sorted"],
  ["RENAME", "m1", "renamed"],
  ["RENAMENX", "m2", "renamed"],
  ["COPY", "h", "hcopy", "DB", "2"],
  ["MULTI"],
  ["SET", "tx", "1"],
  ["INCR", "tx"],
  ["LPUSH", "txl", "x"],
  ["EXPIREAT", "txl", FUTURE_S],
  ["EXEC"],
  ["SELECT", "1"],
  ["SET", "db1", "one"],
  ["RPUSH", "db1list", "x", "y"],
  ["MOVE", "db1", "3"],
  ["SELECT", "5"],
  ["SET", "flushed", "x"],
  ["FLUSHDB"],
  ["SET", "db5", "five"],
  ["SELECT", "6"],
  ["SET", "swapped", "six"],
  ["SWAPDB", "6", "7"],
  ["SELECT", "0"],
  ["DEL", "gs"],
  ["UNLINK", "bits2"],
];

Deno.test({
  name: "replay after SIGKILL: every type, several dbs, expires, MULTI and rewritten commands",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      const before = {} as Record<Kind, Awaited<ReturnType<typeof dataset>>>;
      await withBoth(dirs, ["--appendfsync", "always"], async (both, servers) => {
        for (const command of DETERMINISTIC) await both.check(...command);
        // Relative expires become absolute times; random pops become SREMs: not compared.
        const relative = [
          ["SET", "r1", "v", "EX", "1000"],
          ["SET", "r2", "v", "PX", "2000000"],
          ["SETEX", "r3", "500", "v"],
          ["SET", "r4", "v"],
          ["EXPIRE", "r4", "3000"],
          ["PEXPIRE", "r4", "4000000"],
          ["GETEX", "s2", "EX", "7000"],
          ["SET", "r5", "v", "EX", "100"],
          ["PERSIST", "r5"],
        ];
        for (const command of relative) await both.check(...command);
        await both.check("SADD", "rand", ...Array.from({ length: 20 }, (_, i) => `m${i}`));
        await both.both("SPOP", "rand");
        await both.both("SPOP", "rand", "3");
        await both.both("SRANDMEMBER", "rand", "2");
        for (const kind of KINDS) {
          before[kind] = await dataset(servers[kind].port);
          await crash(servers[kind], await pidOf(servers[kind].port));
        }
      });
      const rand = [...before.inmemdb.keys()].filter((k) => k === "0:rand");
      assertEquals(rand, ["0:rand"]);
      const withoutRand = (d: typeof before.inmemdb) =>
        new Map([...d].filter(([k]) => k !== "0:rand"));
      assertSameDataset(withoutRand(before.inmemdb), withoutRand(before.redis));
      assertEquals((before.inmemdb.get("0:rand")!.value as string[]).length, 16);
      await withBoth(dirs, [], async (_both, servers) => {
        for (const kind of KINDS) {
          assertSameDataset(await dataset(servers[kind].port), before[kind], 10_000);
        }
      });
    });
  },
});

Deno.test({
  name: "the incremental AOF file is byte-identical to Redis's for the same commands",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      await withBoth(dirs, ["--appendfsync", "always"], async (both) => {
        for (const command of DETERMINISTIC) await both.check(...command);
        await both.check("SET", "last", "x");
      });
      const [ours, redis] = KINDS.map((k) => Deno.readFileSync(`${dirs[k]}/${INCR1}`));
      const text = (b: Uint8Array) => new TextDecoder("utf-8").decode(b);
      assertEquals(text(ours!), text(redis!));
      assertEquals(ours, redis);
      assertEquals(
        Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`),
        Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`),
      );
    });
  },
});

/** Writes, BGREWRITEAOF, more writes (expires, several dbs) on one server. */
async function writeWithRewrite(client: RawClient): Promise<void> {
  const replies = await pipeline(client, DETERMINISTIC.slice(0, 40));
  assertEquals(replies.filter((r) => r.startsWith("-")), []);
  assertEquals(
    await client.call("BGREWRITEAOF"),
    "+Background append only file rewriting started\r\n",
  );
  await waitIdle(client);
  const more = await pipeline(client, [
    ...DETERMINISTIC.slice(40),
    ["SET", "after", "rewrite", "EX", "9000"],
    ["SELECT", "9"],
    ["HSET", "db9", "f", "v"],
    ["SELECT", "0"],
  ]);
  assertEquals(more.filter((r) => r.startsWith("-")), []);
}

Deno.test({
  name: "an appendonlydir written by Redis (base + incr) loads into inmemdb, and the reverse",
  ignore,
  async fn(t) {
    for (const [writer, reader] of [["redis", "inmemdb"], ["inmemdb", "redis"]] as const) {
      await t.step(`${writer} → ${reader}`, async () => {
        await withDirs(async (dirs) => {
          const source = await startAof(writer, dirs[writer]);
          let expected;
          try {
            const client = await RawClient.connect(source.port);
            await writeWithRewrite(client);
            client.close();
            expected = await dataset(source.port);
          } finally {
            await source.stop();
          }
          assertEquals(
            Deno.readTextFileSync(`${dirs[writer]}/${MANIFEST}`),
            "file appendonly.aof.2.base.rdb seq 2 type b\n" +
              "file appendonly.aof.2.incr.aof seq 2 type i\n",
          );
          await Deno.remove(dirs[reader], { recursive: true });
          copyDir(dirs[writer], dirs[reader]);
          const target = await startAof(reader, dirs[reader]);
          try {
            assertSameDataset(await dataset(target.port), expected);
            assert.ok(expected.size > 30, `${expected.size} keys`);
          } finally {
            await target.stop();
          }
        });
      });
    }
  },
});

// --- Damaged files: both servers get identical directories ----------------------------------

const cmd = (...args: string[]) => args.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
const resp = (...args: string[]) => `*${args.length}\r\n${cmd(...args)}`;
const GOOD = resp("SELECT", "0") + resp("SET", "a", "1") + resp("RPUSH", "l", "x", "y");
const INCR_ONLY = "file appendonly.aof.1.incr.aof seq 1 type i\n";

/** Writes the same manifest and files into both directories. */
function prepare(dirs: Record<Kind, string>, manifest: string, files: Record<string, string>) {
  for (const kind of KINDS) {
    Deno.mkdirSync(`${dirs[kind]}/appendonlydir`, { recursive: true });
    Deno.writeTextFileSync(`${dirs[kind]}/${MANIFEST}`, manifest);
    for (const [name, text] of Object.entries(files)) {
      Deno.writeFileSync(`${dirs[kind]}/appendonlydir/${name}`, latin1Bytes(text));
    }
  }
}

function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

const incrSize = (dir: string) => Deno.statSync(`${dir}/${INCR1}`).size;

Deno.test({
  name: "a truncated last command: loaded and cut with aof-load-truncated yes, refused with no",
  ignore,
  async fn(t) {
    const multi = resp("MULTI") + resp("SET", "b", "2");
    const cases: Record<string, { content: string; valid: number; redisValid?: number }> = {
      "half a command": {
        content: GOOD + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\nva",
        valid: GOOD.length,
      },
      "a bare header": { content: GOOD + "*", valid: GOOD.length },
      "a MULTI without EXEC": { content: GOOD + multi + resp("INCR", "n"), valid: GOOD.length },
      // Redis 7.0 cuts at the half command and leaves "MULTI, SET b 2" in the file, so the
      // writes appended after the restart load inside that MULTI next time and are dropped;
      // inmemdb cuts before the MULTI, as for a MULTI without EXEC.
      "a MULTI with half a command": {
        content: GOOD + multi + "*2\r\n$4\r\nINCR",
        valid: GOOD.length,
        redisValid: (GOOD + multi).length,
      },
      "a complete MULTI, then half a command": {
        content: GOOD + multi + resp("EXEC") + "*2\r\n$4\r\nIN",
        valid: (GOOD + multi + resp("EXEC")).length,
      },
    };
    for (const [name, { content, valid, redisValid }] of Object.entries(cases)) {
      await t.step(name, async () => {
        await withDirs(async (dirs) => {
          prepare(dirs, INCR_ONLY, { "appendonly.aof.1.incr.aof": content });
          for (const kind of KINDS) {
            const { code, output } = await startFails(kind, dirs[kind], [
              "--aof-load-truncated",
              "no",
            ]);
            assertEquals(code, 1, `${kind} exit code:\n${output}`);
            assert.match(output, /Unexpected end of file reading the append only file/, kind);
            assertEquals(incrSize(dirs[kind]), content.length, `${kind} left the file alone`);
          }
          await withBoth(dirs, [], async (both, servers) => {
            // Loading is over once a command is served (the port listens before).
            await both.check("GET", "a");
            for (const kind of KINDS) {
              const expected = kind === "redis" ? redisValid ?? valid : valid;
              assertEquals(incrSize(dirs[kind]), expected, kind);
            }
            await both.check("LRANGE", "l", "0", "-1");
            await both.check("GET", "b");
            await both.check("DBSIZE");
            for (const kind of KINDS) {
              const log = servers[kind].output();
              assert.match(log, /short read while loading the AOF file/, kind);
              assert.match(log, /loaded anyway because aof-load-truncated is enabled/, kind);
              if (name.includes("MULTI with") && (kind === "inmemdb" || !redisValid)) {
                assert.match(log, /Revert incomplete MULTI\/EXEC transaction in AOF file/, kind);
              }
            }
            // Written after the cut: the file stays loadable.
            await both.check("SET", "c", "3");
          });
          if (redisValid !== undefined) {
            // inmemdb keeps what was written after the cut; Redis 7.0 drops it (see above).
            const ours = await startAof("inmemdb", dirs.inmemdb);
            const redis = await startAof("redis", dirs.redis);
            const [a, b] = [
              await RawClient.connect(ours.port),
              await RawClient.connect(redis.port),
            ];
            try {
              assertEquals(await a.call("GET", "c"), "$1\r\n3\r\n");
              assertEquals(await b.call("GET", "c"), "$-1\r\n");
              assertEquals(await a.call("GET", "b"), "$-1\r\n");
            } finally {
              a.close();
              b.close();
              await Promise.all([ours.stop(), redis.stop()]);
            }
            return;
          }
          assertEquals(incrSize(dirs.inmemdb), incrSize(dirs.redis));
          await withBoth(dirs, [], async (both) => {
            await both.check("GET", "c");
            await both.check("GET", "b");
            await both.check("DBSIZE");
          });
        });
      });
    }
  },
});

Deno.test({
  name: "corrupt AOF files and bad manifests: both servers refuse to start",
  ignore,
  async fn(t) {
    const garbageAt = GOOD.length;
    const cases: Record<string, { manifest: string; files: Record<string, string>; ours: RegExp }> =
      {
        "garbage before valid commands": {
          manifest: INCR_ONLY,
          files: { "appendonly.aof.1.incr.aof": GOOD + "garbage\r\n" + resp("SET", "b", "2") },
          ours: new RegExp(
            `Bad file format reading the append only file appendonly.aof.1.incr.aof at offset ${garbageAt}`,
          ),
        },
        "a bulk header that is not a bulk": {
          manifest: INCR_ONLY,
          files: {
            "appendonly.aof.1.incr.aof": GOOD + "*2\r\n:3\r\nSET\r\n" + resp("SET", "b", "2"),
          },
          ours: new RegExp(`at offset ${garbageAt + 4}`),
        },
        "an unknown command": {
          manifest: INCR_ONLY,
          files: { "appendonly.aof.1.incr.aof": GOOD + resp("NOSUCHCOMMAND", "x") },
          ours: /Unknown command 'NOSUCHCOMMAND' reading the append only file/,
        },
        "an empty manifest": {
          manifest: "",
          files: { "appendonly.aof.1.incr.aof": GOOD },
          ours: /Found an empty AOF manifest/,
        },
        "a duplicate base": {
          manifest: "file appendonly.aof.1.base.aof seq 1 type b\n" +
            "file appendonly.aof.2.base.aof seq 2 type b\n" + INCR_ONLY,
          files: { "appendonly.aof.1.base.aof": GOOD, "appendonly.aof.2.base.aof": GOOD },
          ours: /Found duplicate base file information/,
        },
        "a non-monotonic incr seq": {
          manifest: "file appendonly.aof.2.incr.aof seq 2 type i\n" + INCR_ONLY,
          files: { "appendonly.aof.1.incr.aof": GOOD, "appendonly.aof.2.incr.aof": GOOD },
          ours: /Found a non-monotonic sequence number/,
        },
        "an unknown file type": {
          manifest: "file appendonly.aof.1.incr.aof seq 1 type x\n",
          files: { "appendonly.aof.1.incr.aof": GOOD },
          ours: /Unknown AOF file type/,
        },
        "a malformed line": {
          manifest: "file appendonly.aof.1.incr.aof seq 1\n",
          files: { "appendonly.aof.1.incr.aof": GOOD },
          ours: /Invalid AOF manifest file format/,
        },
        "a listed file missing": {
          manifest: "file appendonly.aof.1.base.rdb seq 1 type b\n" + INCR_ONLY,
          files: { "appendonly.aof.1.incr.aof": GOOD },
          ours: /Unable to obtain the AOF file appendonly.aof.1.base.rdb length/,
        },
        "a truncated file that is not the last": {
          manifest: "file appendonly.aof.1.base.aof seq 1 type b\n" + INCR_ONLY,
          files: {
            "appendonly.aof.1.base.aof": GOOD + "*2\r\n$3",
            "appendonly.aof.1.incr.aof": GOOD,
          },
          ours: /the truncated file is not the last file/,
        },
      };
    for (const [name, { manifest, files, ours }] of Object.entries(cases)) {
      await t.step(name, async () => {
        await withDirs(async (dirs) => {
          prepare(dirs, manifest, files);
          for (const kind of KINDS) {
            const { code, output } = await startFails(kind, dirs[kind]);
            assertEquals(code, 1, `${kind} exit code:\n${output}`);
            if (kind === "inmemdb") assert.match(output, ours);
          }
        });
      });
    }
  },
});

// --- Which file is loaded --------------------------------------------------------------------

Deno.test({
  name: "with appendonly yes an existing dump.rdb is not loaded",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      const saver = await startRedis(["--dir", dirs.redis]);
      try {
        const client = await RawClient.connect(saver.port);
        await client.call("SET", "from-rdb", "x");
        assertEquals(await client.call("SAVE"), "+OK\r\n");
        client.close();
      } finally {
        await saver.stop();
      }
      Deno.copyFileSync(`${dirs.redis}/dump.rdb`, `${dirs.inmemdb}/dump.rdb`);
      await withBoth(dirs, [], async (both) => {
        await both.check("DBSIZE");
        assertEquals(await both.check("GET", "from-rdb"), "$-1\r\n");
      });
      for (const kind of KINDS) assert.ok(listAofDir(dirs[kind]).length === 3);
    });
  },
});

Deno.test({
  name: "an old-style appendonly.aof is moved into appendonlydir and loaded, as in Redis",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      const old = GOOD + resp("SELECT", "2") + resp("SET", "b", "2") +
        resp("MULTI") + resp("INCR", "n") + resp("EXEC");
      for (const kind of KINDS) Deno.writeTextFileSync(`${dirs[kind]}/appendonly.aof`, old);
      await withBoth(dirs, [], async (both, servers) => {
        await both.check("GET", "a");
        await both.check("LRANGE", "l", "0", "-1");
        await both.check("SELECT", "2");
        await both.check("GET", "b");
        await both.check("GET", "n");
        await both.check("SET", "new", "x");
        for (const kind of KINDS) {
          assert.match(servers[kind].output(), /Successfully migrated an old-style AOF/, kind);
        }
      });
      assertEquals(listAofDir(dirs.inmemdb), listAofDir(dirs.redis));
      assertEquals(
        Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`),
        Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`),
      );
      for (const kind of KINDS) {
        assertEquals(Deno.readTextFileSync(`${dirs[kind]}/appendonlydir/appendonly.aof`), old);
        assert.throws(() => Deno.statSync(`${dirs[kind]}/appendonly.aof`));
      }
      await withBoth(dirs, [], async (both) => {
        await both.check("SELECT", "2");
        await both.check("GET", "new");
        await both.check("GET", "b");
        await both.check("DBSIZE");
      });
    });
  },
});

// --- Rewrite commands --------------------------------------------------------------------------

Deno.test({
  name: "BGREWRITEAOF and BGSAVE while the other runs: replies as in Redis",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      await withBoth(dirs, [], async (both) => {
        await both.check("SET", "k", "v");
        // One pipeline: nothing finishes in between, on either server.
        const request = [
          ["BGREWRITEAOF"],
          ["BGREWRITEAOF"],
          ["BGSAVE"],
          ["BGSAVE", "SCHEDULE"],
          ["BGSAVE", "NOW"],
        ];
        const replies = await Promise.all(
          [both.ours, both.redis].map((c) => pipeline(c, request)),
        );
        assertEquals(replies[0], replies[1]);
        assertEquals(replies[0], [
          "+Background append only file rewriting started\r\n",
          "-ERR Background append only file rewriting already in progress\r\n",
          "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE " +
          "SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n",
          "+Background saving scheduled\r\n",
          "-ERR syntax error\r\n",
        ]);
        for (const c of [both.ours, both.redis]) {
          await waitInfo(c, "rdb_saves", "1", 10_000);
          await waitIdle(c);
        }
        const reverse = [["BGSAVE"], ["BGREWRITEAOF"], ["BGSAVE"], ["BGREWRITEAOF"]];
        const second = await Promise.all([both.ours, both.redis].map((c) => pipeline(c, reverse)));
        assertEquals(second[0], second[1]);
        assertEquals(second[0], [
          "+Background saving started\r\n",
          "+Background append only file rewriting scheduled\r\n",
          "-ERR Background save already in progress\r\n",
          "+Background append only file rewriting scheduled\r\n",
        ]);
        for (const c of [both.ours, both.redis]) {
          await waitInfo(c, "aof_rewrites", "2", 10_000);
          await waitIdle(c);
        }
        await both.check("GET", "k");
      });
      assertEquals(listAofDir(dirs.inmemdb), listAofDir(dirs.redis));
      assertEquals(
        Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`),
        Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`),
      );
    });
  },
});

Deno.test({
  name: "aof-disable-auto-gc yes keeps the rewritten files, listed as history",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      await withBoth(dirs, ["--aof-disable-auto-gc", "yes"], async (both) => {
        await both.check("SET", "k", "v");
        for (let i = 0; i < 2; i++) {
          await both.check("BGREWRITEAOF");
          for (const c of [both.ours, both.redis]) await waitIdle(c);
          await both.check("INCR", "n");
        }
      });
      const manifest = Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`);
      assertEquals(manifest, Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`));
      assert.match(manifest, /appendonly\.aof\.1\.base\.rdb seq 1 type h/);
      assertEquals(listAofDir(dirs.inmemdb), listAofDir(dirs.redis));
      assertEquals(listAofDir(dirs.inmemdb).length, 7);
      // Turning the GC back on removes them at the next start.
      await withBoth(dirs, [], async (both) => {
        await both.check("GET", "n");
      });
      assertEquals(
        Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`),
        Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`),
      );
      assertEquals(listAofDir(dirs.inmemdb), listAofDir(dirs.redis));
    });
  },
});

// --- Turning the AOF on and off ----------------------------------------------------------------

Deno.test({
  name: "CONFIG SET appendonly yes writes the data as a base; no stops appending",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      const servers = await Promise.all([
        startInmemdb(["--dir", dirs.inmemdb]),
        startRedis(["--dir", dirs.redis]),
      ]);
      const both = new Both(
        await RawClient.connect(servers[0]!.port),
        await RawClient.connect(servers[1]!.port),
      );
      let expected;
      try {
        for (const command of DETERMINISTIC.slice(0, 30)) await both.check(...command);
        await both.check("CONFIG", "SET", "appendonly", "yes");
        for (const c of [both.ours, both.redis]) {
          await waitInfo(c, "aof_rewrite_in_progress", "0");
          await waitInfo(c, "aof_rewrite_scheduled", "0");
        }
        await both.check("SET", "after-on", "1");
        await both.check("CONFIG", "GET", "appendonly");
        assertEquals(
          Deno.readTextFileSync(`${dirs.inmemdb}/${MANIFEST}`),
          Deno.readTextFileSync(`${dirs.redis}/${MANIFEST}`),
        );
        assertEquals(listAofDir(dirs.inmemdb), listAofDir(dirs.redis));
        assertEquals(
          Deno.readFileSync(`${dirs.inmemdb}/${INCR1}`),
          Deno.readFileSync(`${dirs.redis}/${INCR1}`),
        );
        expected = await dataset(servers[0]!.port);
        assertSameDataset(await dataset(servers[1]!.port), expected);
      } finally {
        both.close();
        await Promise.all(servers.map((s) => s.stop()));
      }
      await withBoth(dirs, [], async (both, restarted) => {
        for (const kind of KINDS) assertSameDataset(await dataset(restarted[kind].port), expected);
        await both.check("CONFIG", "SET", "appendonly", "no");
        const sizes = KINDS.map((k) => incrSize(dirs[k]));
        await both.check("SET", "after-off", "1");
        await both.check("INCR", "n");
        assertEquals(KINDS.map((k) => incrSize(dirs[k])), sizes);
        const persistence = await both.both("INFO", "persistence");
        for (const text of persistence) assertEquals(info(text, "aof_enabled"), "0");
      });
      // The writes made with the AOF off are not in it.
      await withBoth(dirs, [], async (both) => {
        assertEquals(await both.check("GET", "after-off"), "$-1\r\n");
        await both.check("GET", "after-on");
      });
    });
  },
});

// --- MISCONF ------------------------------------------------------------------------------------

differential(
  "MISCONF after a failed BGSAVE: writes and PING refused with Redis's text, reads served",
  async (_t, servers) => {
    const both = await servers.connect();
    const gone = await Deno.makeTempDir({ prefix: "aof-misconf-" });
    const ok = await Deno.makeTempDir({ prefix: "aof-misconf-ok-" });
    try {
      await both.check("SET", "k", "v");
      assertEquals(await both.check("CONFIG", "SET", "dir", gone), "+OK\r\n");
      await Deno.remove(gone);
      await both.check("CONFIG", "GET", "dir");
      await both.checkRaw("*1\r\n$6\r\nBGSAVE\r\n", "BGSAVE");
      for (const c of [both.ours, both.redis]) {
        await waitInfo(c, "rdb_bgsave_in_progress", "0", 10_000);
        await waitInfo(c, "rdb_last_bgsave_status", "err", 10_000);
      }
      const refused = await both.check("SET", "k", "w");
      assert.match(refused, /^-MISCONF Redis is configured to save RDB snapshots/);
      await both.check("PING");
      await both.check("INCR", "n");
      assertEquals(await both.check("GET", "k"), "$1\r\nv\r\n");
      await both.check("CONFIG", "SET", "dir", ok);
      await both.check("BGSAVE");
      for (const c of [both.ours, both.redis]) {
        await waitInfo(c, "rdb_last_bgsave_status", "ok", 10_000);
      }
      await both.check("SET", "k", "w");
      await both.check("PING");
    } finally {
      // No save at shutdown into the directory about to go (a failed one keeps them running).
      await both.both("CONFIG", "SET", "save", "");
      await Deno.remove(ok, { recursive: true });
    }
  },
  {
    inmemdbArgs: ["--save", "3600 1", "--enable-protected-configs", "yes"],
    redisArgs: ["--save", "3600 1", "--enable-protected-configs", "yes"],
  },
);

/**
 * Whether this machine lets the tests mount a tmpfs (root with CAP_SYS_ADMIN); probed once at
 * load. Without it the full-disk tests are reported as ignored, with the reason printed.
 */
const mountError = (() => {
  try {
    const dir = Deno.makeTempDirSync({ prefix: "aof-mount-probe-" });
    try {
      const r = new Deno.Command("mount", {
        args: ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir],
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      if (!r.success) return new TextDecoder().decode(r.stderr).trim() || "mount failed";
      new Deno.Command("umount", { args: [dir] }).outputSync();
      return null;
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  } catch (err) {
    return (err as Error).message;
  }
})();
if (mountError !== null && !ignore) {
  console.log(`SKIP: AOF write-error tests need to mount a small tmpfs: ${mountError}`);
}
const ignoreFullDisk = ignore || mountError !== null;

/** Mounts a small tmpfs per server kind; null (with a SKIP line) when mounting fails. */
async function smallDisks(size: string): Promise<Record<Kind, string> | null> {
  const out = {} as Record<Kind, string>;
  for (const kind of KINDS) {
    const dir = await Deno.makeTempDir({ prefix: `aof-full-${kind}-` });
    const mount = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
      stdout: "null",
      stderr: "piped",
    }).output().catch((err) => ({ success: false, stderr: new TextEncoder().encode(String(err)) }));
    if (!mount.success) {
      await Deno.remove(dir);
      await unmountAll(out);
      console.log(
        `SKIP: AOF write-error MISCONF needs a small tmpfs: mount failed: ${
          new TextDecoder().decode(mount.stderr).trim()
        }`,
      );
      return null;
    }
    out[kind] = dir;
  }
  return out;
}

async function unmountAll(dirs: Partial<Record<Kind, string>>): Promise<void> {
  for (const dir of Object.values(dirs)) {
    await new Deno.Command("umount", { args: [dir!] }).output();
    await Deno.remove(dir!, { recursive: true });
  }
}

async function remount(dir: string, size: string): Promise<void> {
  const result = await new Deno.Command("mount", {
    args: ["-o", `remount,size=${size}`, dir],
  }).output();
  assert.ok(result.success, `remount ${dir}`);
}

Deno.test({
  name: "MISCONF after an AOF write error (full disk), cleared once the disk has room",
  ignore: ignoreFullDisk,
  async fn() {
    const disks = await smallDisks("128k");
    assert.ok(disks !== null, "mounting worked in the probe");
    try {
      await withBoth(disks, ["--appendfsync", "everysec"], async (both) => {
        const value = "x".repeat(4000);
        let i = 0;
        for (;; i++) {
          const reply = await both.check("SET", `k${i}`, value);
          if (reply.startsWith("-")) {
            assert.match(
              reply,
              /^-MISCONF Errors writing to the AOF file: No space left on device/,
            );
            break;
          }
          assert.ok(i < 100, "the disk should be full by now");
        }
        await both.check("PING");
        await both.check("GET", "k0");
        const persistence = await both.both("INFO", "persistence");
        for (const text of persistence) assertEquals(info(text, "aof_last_write_status"), "err");
        for (const kind of KINDS) await remount(disks[kind], "4m");
        // serverCron retries the write; then writes are accepted again.
        for (const c of [both.ours, both.redis]) {
          await waitInfo(c, "aof_last_write_status", "ok", 10_000);
        }
        await both.check("SET", "after", "1");
        await both.check("DBSIZE");
      });
      // The file is loadable and holds what was acknowledged.
      await withBoth(disks, [], async (both) => {
        await both.check("DBSIZE");
        await both.check("GET", "after");
        await both.check("STRLEN", "k0");
      });
    } finally {
      await unmountAll(disks);
    }
  },
});

Deno.test({
  name: "appendfsync always: an AOF write error (full disk) stops the server",
  ignore: ignoreFullDisk,
  async fn() {
    const disks = await smallDisks("64k");
    assert.ok(disks !== null, "mounting worked in the probe");
    try {
      for (const kind of KINDS) {
        const server = await startAof(kind, disks[kind], ["--appendfsync", "always"]);
        const client = await RawClient.connect(server.port);
        const value = "x".repeat(4000);
        try {
          for (let i = 0;; i++) {
            assert.ok(i < 100, "the disk should be full by now");
            await client.send(resp("SET", `k${i}`, value));
            // No reply for the write that could not be persisted: the server is gone.
            const reply = await client.replyText().catch(() => null);
            if (reply === null) break;
            assertEquals(reply, "+OK\r\n", kind);
          }
        } finally {
          client.close();
        }
        assertEquals(await server.stop(), 1, kind);
        assert.match(
          server.output(),
          /Can't recover from AOF write error when the AOF fsync policy is 'always'\. Exiting/,
          kind,
        );
      }
    } finally {
      await unmountAll(disks);
    }
  },
});

// --- SHUTDOWN -----------------------------------------------------------------------------------

Deno.test({
  name: "writes just before SHUTDOWN or SIGTERM are in the AOF after a restart",
  ignore,
  async fn() {
    for (const policy of ["everysec", "no"]) {
      await withDirs(async (dirs) => {
        const args = ["--appendfsync", policy];
        // SIGTERM right after the reply.
        await withBoth(dirs, args, async (both) => {
          await both.check("SET", "before-sigterm", "1");
          await both.check("RPUSH", "l", "a", "b");
        });
        // SHUTDOWN in the same pipeline as the writes.
        for (const kind of KINDS) {
          const server = await startAof(kind, dirs[kind], args);
          const client = await RawClient.connect(server.port);
          // The writes' replies are not sent before SHUTDOWN exits: Redis too drops them.
          await client.send(
            resp("SET", "before-shutdown", "2") + resp("INCR", "n") + resp("SHUTDOWN"),
          );
          await client.readToEnd();
          client.close();
          assertEquals(await server.stop(), 0, kind);
        }
        await withBoth(dirs, args, async (both) => {
          assertEquals(await both.check("GET", "before-sigterm"), "$1\r\n1\r\n");
          assertEquals(await both.check("GET", "before-shutdown"), "$1\r\n2\r\n");
          await both.check("LRANGE", "l", "0", "-1");
          await both.check("GET", "n");
        });
      });
    }
  },
});

Deno.test({
  name: "SHUTDOWN while CONFIG SET appendonly yes writes the first AOF: refused unless FORCE",
  ignore,
  async fn() {
    await withDirs(async (dirs) => {
      const servers = await Promise.all([
        startInmemdb(["--dir", dirs.inmemdb]),
        startRedis(["--dir", dirs.redis]),
      ]);
      try {
        for (const [i, kind] of KINDS.entries()) {
          const client = await RawClient.connect(servers[i]!.port);
          // Enough keys that the initial AOF is still being written when SHUTDOWN FORCE
          // arrives, on a busy machine too (one key was written before it, at times).
          await client.call("DEBUG", "POPULATE", "200000");
          const replies = await pipeline(client, [
            ["CONFIG", "SET", "appendonly", "yes"],
            ["SHUTDOWN"],
            ["PING"],
          ]);
          assertEquals(replies, [
            "+OK\r\n",
            "-ERR Errors trying to SHUTDOWN. Check logs.\r\n",
            "+PONG\r\n",
          ], kind);
          await client.send(resp("SHUTDOWN", "FORCE"));
          assertEquals(await client.readToEnd(), "", kind);
          client.close();
          assertEquals(await servers[i]!.stop(), 0, kind);
          const log = servers[i]!.output();
          assert.match(log, /Writing initial AOF, can't exit\./, kind);
          assert.match(log, /Writing initial AOF\. Exit anyway\./, kind);
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    });
  },
});
