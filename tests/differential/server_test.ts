// Server commands against redis-server: CONFIG GET/SET (every option's default and errors),
// INFO's sections and field names, TIME, ROLE, LASTSAVE, CLUSTER, DEBUG and SHUTDOWN's errors.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { freePort } from "../helpers/servers.ts";
import { Config } from "../../lib/config.ts";

// Both servers run with DEBUG allowed; defaults that differ on purpose are set equal.
const ARGS = ["--enable-debug-command", "yes"];
const OPTIONS = { inmemdbArgs: ARGS, redisArgs: ARGS };

/** Options whose value differs between the two processes: each has its own port and dir. */
// maxclients: both servers lower it to fit the open-files limit they get from the OS, which
// for two processes in a sandbox need not be the same (lib/fd_limit_test.ts checks the rule).
const OWN_VALUE = new Set(["port", "dir", "maxclients"]);

/** Values tried with CONFIG SET on every option: replies (mostly errors) must match. */
const PROBES = ["abc", "-5", "99999999999999999999", "1.5", "1k", "", "0", "5%", "101%", "yes"];
/** Options the probes must not touch: they move the listener, lock us out, or start an AOF. */
const NOT_PROBED = new Set(["port", "bind", "requirepass", "appendonly"]);

async function configValue(both: Both, name: string): Promise<string> {
  const reply = await both.check("CONFIG", "GET", name);
  const m = /^\*2\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n(.*)\r\n$/s.exec(reply);
  assert.ok(m !== null, `CONFIG GET ${name}: ${reply}`);
  return m[1]!;
}

differential("CONFIG GET: every option has Redis's default", async (_t, servers) => {
  const both = await servers.connect();
  for (const name of Config.names()) {
    if (OWN_VALUE.has(name)) continue;
    await both.check("CONFIG", "GET", name);
  }
  await both.check("CONFIG", "GET", "hash-max-ziplist-entries");
  await both.check("CONFIG", "GET", "nosuch-option");
}, OPTIONS);

differential("CONFIG SET: every option validates like Redis", async (t, servers) => {
  const both = await servers.connect();
  for (const name of Config.names()) {
    if (NOT_PROBED.has(name)) continue;
    await t.step(name, async () => {
      if (OWN_VALUE.has(name)) {
        // Only the replies to SET can be compared (the values differ by design).
        for (const probe of PROBES) await both.check("CONFIG", "SET", name, probe);
        return;
      }
      const original = await configValue(both, name);
      for (const probe of PROBES) {
        await both.check("CONFIG", "SET", name, probe);
        await both.check("CONFIG", "GET", name);
        await both.check("CONFIG", "SET", name, original);
      }
    });
  }
}, OPTIONS);

differential("CONFIG SET and GET", async (t, servers) => {
  const both = await servers.connect();
  const steps: Record<string, string[][]> = {
    "several pairs, any case": [
      ["CONFIG", "SET", "Hz", "11", "MAXMEMORY-policy", "ALLKEYS-LRU", "timeout", "7"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "GET", "maxmemory-policy"],
      ["CONFIG", "GET", "TIMEOUT"],
      ["CONFIG", "SET", "hz", "10", "maxmemory-policy", "noeviction", "timeout", "0"],
    ],
    "errors name the argument": [
      ["CONFIG", "SET", "HZ", "abc"],
      ["CONFIG", "SET", "hash-max-ziplist-entries", "abc"],
      ["CONFIG", "SET", "maxmemory", "-1"],
      ["CONFIG", "SET", "loglevel", "loud"],
      ["CONFIG", "SET", "appendfsync", "sometimes"],
      ["CONFIG", "SET", "protected-mode", "maybe"],
    ],
    "names are checked before values, first error wins": [
      ["CONFIG", "SET", "hz", "abc", "nosuch", "1"],
      ["CONFIG", "SET", "nosuch", "1", "hz", "abc"],
      ["CONFIG", "SET", "hz", "abc", "databases", "5"],
      ["CONFIG", "SET", "databases", "5", "nosuch", "1"],
      ["CONFIG", "SET", "dbfilename", "x.rdb"],
      ["CONFIG", "SET", "dir", "/tmp"],
      ["CONFIG", "SET", "daemonize", "yes"],
    ],
    "duplicate parameter": [
      ["CONFIG", "SET", "hz", "5", "HZ", "6"],
      ["CONFIG", "GET", "hz"],
      // An alias and its option are different records for Redis: both apply, in order.
      ["CONFIG", "SET", "hash-max-ziplist-entries", "5", "hash-max-listpack-entries", "6"],
      ["CONFIG", "GET", "hash-max-listpack-entries"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "512"],
    ],
    "all or nothing": [
      ["CONFIG", "SET", "hz", "20", "maxmemory", "1mb", "timeout", "abc"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "GET", "maxmemory"],
    ],
    "argument count": [
      ["CONFIG", "SET", "hz"],
      ["CONFIG", "SET", "hz", "5", "maxmemory"],
      ["CONFIG", "GET"],
      ["CONFIG"],
      ["CONFIG", "nosuch"],
    ],
    "numbers: clamps, units, percentages, overflow": [
      ["CONFIG", "SET", "hz", "1000"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "0"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "10"],
      ["CONFIG", "SET", "maxmemory", "1KB"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "5b"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "99999999999999999999gb"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory", "+5"],
      ["CONFIG", "SET", "maxmemory", "0"],
      ["CONFIG", "SET", "maxmemory-clients", "5%"],
      ["CONFIG", "GET", "maxmemory-clients"],
      ["CONFIG", "SET", "maxmemory-clients", "0"],
      ["CONFIG", "SET", "proto-max-bulk-len", "1k"],
      ["CONFIG", "SET", "maxclients", "0"],
      ["CONFIG", "SET", "list-max-listpack-size", "-5"],
      ["CONFIG", "GET", "list-max-ziplist-size"],
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
    ],
    "save and notify-keyspace-events are normalized": [
      ["CONFIG", "SET", "save", "100 +5 07 0"],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "save", "100 5 "],
      ["CONFIG", "SET", "save", "0 5"],
      ["CONFIG", "SET", "save", ""],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "notify-keyspace-events", "KEg$lshzxetdmn"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "Kx"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "Kq"],
      ["CONFIG", "SET", "notify-keyspace-events", ""],
    ],
    "exact names are answered as asked": [
      ["CONFIG", "GET", "HZ"],
      ["CONFIG", "GET", "HZ", "hz"],
      ["CONFIG", "GET", "nosuch"],
    ],
    "help, resetstat, rewrite without a file": [
      ["CONFIG", "HELP"],
      ["CONFIG", "RESETSTAT"],
      ["CONFIG", "REWRITE"],
    ],
  };
  for (const [name, commands] of Object.entries(steps)) {
    await t.step(name, async () => {
      for (const command of commands) await both.check(...command);
    });
  }
  await t.step("glob patterns (order unspecified)", async () => {
    for (
      const pattern of [
        "*max-*-entries",
        "maxmemory*",
        "*ziplist*",
        "*listpack*",
        "lazyfree*",
        "slowlog*",
        "appendf*",
        "list-*",
        "lfu-*",
        "stream-node-*",
        "HASH-max-*-entries",
        "notify-?eyspace-events",
      ]
    ) {
      await both.checkUnordered("CONFIG", "GET", pattern);
    }
    await both.checkUnordered("CONFIG", "GET", "hz", "maxmemory*", "timeout", "hz");
  });
  await t.step("RESP3 replies a map", async () => {
    await both.both("HELLO", "3");
    await both.check("CONFIG", "GET", "hz");
    await both.check("CONFIG", "GET", "nosuch");
    await both.both("HELLO", "2");
  });
}, OPTIONS);

differential("CONFIG SET port and bind move the listener", async (t, servers) => {
  const both = await servers.connect();
  await t.step("a port in use is refused and the old one kept", async () => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      await both.check("CONFIG", "SET", "port", String((taken.addr as Deno.NetAddr).port));
    } finally {
      taken.close();
    }
    for (const port of [servers.inmemdb.port, servers.redis.port]) {
      const again = await RawClient.connect(port);
      assertEquals(await again.call("CONFIG", "GET", "port"), portReply(port));
      again.close();
    }
  });
  await t.step("an address that does not exist is refused", async () => {
    await both.check("CONFIG", "SET", "bind", "10.255.255.254");
    await both.check("CONFIG", "GET", "bind");
  });
  await t.step("a free port is taken and answers", async () => {
    for (const client of [both.ours, both.redis]) {
      const old = /\$\d+\r\n(\d+)\r\n$/.exec(await client.call("CONFIG", "GET", "port"))![1]!;
      const port = freePort();
      assertEquals(await client.call("CONFIG", "SET", "port", String(port)), "+OK\r\n");
      const moved = await RawClient.connect(port);
      assertEquals(await moved.call("CONFIG", "GET", "port"), portReply(port));
      assertEquals(await moved.call("CONFIG", "SET", "port", old), "+OK\r\n");
      moved.close();
    }
  });
}, OPTIONS);

function portReply(port: number): string {
  return `*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`;
}

/** `# Section` names and each section's field names, in order. */
function infoFields(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of text.split("\r\n")) {
    if (line.startsWith("# ")) {
      current = [];
      sections.set(line.slice(2), current);
    } else if (line !== "") {
      current.push(line.slice(0, line.indexOf(":")));
    }
  }
  return sections;
}

function bulkBody(reply: string): string {
  const m = /^\$(\d+)\r\n/.exec(reply);
  assert.ok(m !== null, `not a bulk string: ${reply.slice(0, 40)}`);
  return reply.slice(m[0].length, m[0].length + Number(m[1]));
}

/** Redis INFO sections we do not produce yet, and why. */
const OMITTED_SECTIONS: Record<string, string> = {
  Latencystats: "needs per-command latency histograms from the dispatcher",
};
/** Redis INFO fields we do not produce yet, and why. */
const OMITTED_FIELDS: Record<string, string> = {};

differential("INFO: Redis's sections and field names, in Redis's order", async (t, servers) => {
  const both = await servers.connect();
  const [oursText, redisText] = (await both.both("INFO", "everything")).map(bulkBody);
  const ours = infoFields(oursText!), redis = infoFields(redisText!);
  await t.step("sections", () => {
    const expected = [...redis.keys()].filter((s) => !(s in OMITTED_SECTIONS));
    assertEquals([...ours.keys()], expected);
  });
  for (const [section, fields] of redis) {
    if (section in OMITTED_SECTIONS || section === "Keyspace") continue;
    await t.step(section, () => {
      const expected = fields.filter((f) => !(f in OMITTED_FIELDS));
      const have = ours.get(section)!.filter((f) => fields.includes(f));
      assertEquals(have, expected);
    });
  }
  await t.step("default sections", async () => {
    const [o, r] = (await both.both("INFO")).map((s) => [...infoFields(bulkBody(s)).keys()]);
    assertEquals(o, r!.filter((s) => !(s in OMITTED_SECTIONS)));
    const [a, b] = (await both.both("INFO", "all")).map((s) => [...infoFields(bulkBody(s)).keys()]);
    assertEquals(a, b!.filter((s) => !(s in OMITTED_SECTIONS)));
  });
  await t.step("values that must agree", () => {
    const value = (text: string, key: string) =>
      new RegExp(`\r\n${key}:([^\r]*)\r\n`).exec(text)?.[1];
    for (
      const key of [
        "redis_version",
        "redis_mode",
        "arch_bits",
        "loading",
        "role",
        "hz",
        "maxmemory_policy",
        "aof_enabled",
        "connected_slaves",
        "cluster_enabled",
      ]
    ) {
      assertEquals(value(oursText!, key), value(redisText!, key), key);
    }
    assert.match(oursText!, /\r\ninmemdb_version:\d+\.\d+\.\d+\r\n/);
    assert.match(oursText!, /\r\nused_cpu_user:\d+\.\d{6}\r\n/);
  });
}, OPTIONS);

differential("INFO: section selection and the keyspace lines", async (t, servers) => {
  const both = await servers.connect();
  await t.step("exact replies", async () => {
    await both.check("INFO", "nosuch");
    await both.check("INFO", "cluster");
    await both.check("INFO", "CLUSTER", "keyspace");
    await both.check("INFO", "modules");
    await both.check("INFO", "keyspace");
  });
  await t.step("keyspace lines for non-empty databases only", async () => {
    await both.check("SET", "a", "1");
    await both.check("SET", "b", "2");
    await both.check("SELECT", "3");
    await both.check("SET", "c", "3");
    await both.check("SELECT", "0");
    await both.check("INFO", "keyspace");
  });
  await t.step("avg_ttl is the same shape", async () => {
    await both.check("SET", "d", "4", "EX", "1000");
    const [ours, redis] = (await both.both("INFO", "keyspace")).map(bulkBody);
    const shape =
      /^# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=\d+\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n$/;
    assert.match(ours!, shape);
    assert.match(redis!, shape);
  });
  await t.step("RESP3 verbatim string", async () => {
    await both.both("HELLO", "3");
    await both.check("INFO", "cluster");
    await both.both("HELLO", "2");
  });
}, OPTIONS);

differential("TIME, LASTSAVE, ROLE", async (_t, servers) => {
  const both = await servers.connect();
  const [ours, redis] = await both.both("TIME");
  const shape = /^\*2\r\n\$10\r\n(\d{10})\r\n\$\d\r\n(\d{1,6})\r\n$/;
  const a = shape.exec(ours), b = shape.exec(redis);
  assert.ok(a !== null && b !== null, `TIME: ${ours} vs ${redis}`);
  assert.ok(Math.abs(Number(a[1]) - Number(b[1])) <= 2, "TIME seconds agree");
  await both.checkNear(30, "LASTSAVE");
  await both.check("ROLE");
  await both.check("TIME", "extra");
}, OPTIONS);

differential("CLUSTER on a standalone server", async (_t, servers) => {
  const both = await servers.connect();
  for (
    const command of [
      ["CLUSTER", "INFO"],
      ["cluster", "nodes"],
      ["CLUSTER", "SLOTS"],
      ["CLUSTER", "SHARDS"],
      ["CLUSTER", "KEYSLOT", "foo"],
      ["CLUSTER", "HELP"],
      ["CLUSTER", "MYID"],
      ["CLUSTER", "INFO", "extra"],
      ["CLUSTER", "KEYSLOT"],
      ["CLUSTER", "nosuch"],
      ["CLUSTER"],
    ]
  ) {
    await both.check(...command);
  }
}, OPTIONS);

differential("DEBUG with enable-debug-command yes", async (_t, servers) => {
  const both = await servers.connect();
  for (
    const command of [
      ["DEBUG", "SLEEP", "0"],
      ["debug", "sleep", "0.01"],
      ["DEBUG", "SLEEP", "abc"],
      ["DEBUG", "SLEEP"],
      ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
      ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
      ["DEBUG", "SET-ACTIVE-EXPIRE"],
      ["DEBUG", "LOG", "hello from the test"],
      ["DEBUG", "ERROR", "CUSTOM something failed"],
      ["DEBUG", "JMAP"],
      ["DEBUG", "nosuch", "a", "b"],
      ["DEBUG"],
    ]
  ) {
    await both.check(...command);
  }
}, OPTIONS);

differential("DEBUG is refused by default", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("DEBUG", "SLEEP", "0");
  await both.check("DEBUG", "HELP");
  await both.check("CONFIG", "GET", "enable-debug-command");
});

differential("SHUTDOWN argument errors", async (_t, servers) => {
  const both = await servers.connect();
  for (
    const command of [
      ["SHUTDOWN", "foo"],
      ["SHUTDOWN", "SAVE", "NOSAVE"],
      ["SHUTDOWN", "ABORT", "NOW"],
      ["SHUTDOWN", "NOSAVE", "ABORT"],
      ["SHUTDOWN", "now", "force", "bogus"],
      ["SHUTDOWN", "ABORT"],
      ["shutdown", "abort"],
    ]
  ) {
    await both.check(...command);
  }
  await both.check("PING");
});
