// ACL against redis-server 7.0: the rule language (SETUSER, GETUSER and LIST formats, errors),
// NOPERM refusals for commands, keys and channels, selectors, the ACL log, DRYRUN, CAT,
// GENPASS, users removed or disabled while connected, the aclfile and config-file users.
import { type Both, differential, type Servers } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, plain } from "../helpers/resp_decode.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { freePort, redisAvailable } from "../helpers/servers.ts";

/**
 * Redis emits the single-command part of a rule list in the order of its command dict, which
 * is seeded randomly per process: such runs of "+cmd"/"-cmd" are compared sorted.
 */
function normalizeRules(text: string): string {
  const tokens = text.replace(/\(/g, "( ").replace(/\)/g, " )").split(" ");
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const token of tokens) {
    if (/^[+-][^@]/.test(token)) run.push(token);
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out.join(" ");
}

/** A reply with every bulk string's command rules normalized (GETUSER, LIST). */
function normalizeReply(reply: string): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return normalizeRules(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(plain(decode(reply)));
}

async function checkNormalized(both: Both, ...args: string[]): Promise<void> {
  const [ours, redis] = await both.both(...args);
  assertEquals(normalizeReply(ours), normalizeReply(redis), `reply to ${args.join(" ")}`);
  // Same RESP types too (sets, maps, nulls).
  assertEquals(shape(ours), shape(redis), `shape of the reply to ${args.join(" ")}`);
}

/** The RESP type skeleton of a reply. */
function shape(reply: string): string {
  const walk = (v: ReturnType<typeof decode>): string => {
    if (v.t === "array" || v.t === "set" || v.t === "push") return `${v.t}[${v.v.map(walk)}]`;
    if (v.t === "map") return `map{${v.v.map(([k, x]) => walk(k) + ":" + walk(x))}}`;
    return v.t;
  };
  return walk(decode(reply));
}

/** ACL LOG entries without age-seconds; client-info reduced to its user= and cmd= fields. */
async function logEntries(client: RawClient, ...args: string[]): Promise<unknown[]> {
  const entries = plain(decode(await client.call("ACL", "LOG", ...args))) as unknown[][];
  return entries.map((flat) => {
    const entry: Record<string, unknown> = {};
    for (let i = 0; i < flat.length; i += 2) entry[flat[i] as string] = flat[i + 1];
    const info = entry["client-info"] as string;
    entry["client-info"] = info.split(" ").filter((f) => /^(user|cmd|db|resp)=/.test(f));
    delete entry["age-seconds"];
    return entry;
  });
}

async function connectAs(servers: Servers, user: string, pass: string): Promise<Both> {
  const both = await servers.connect();
  await both.check("AUTH", user, pass);
  return both;
}

const HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

const RULE_SETS: string[][] = [
  [],
  ["on", ">pw", "~k*", "+get"],
  ["ON", "nopass", "AllKeys", "allchannels", "allcommands"],
  ["+@all", "-@dangerous"],
  ["-@all", "+@read", "-keys"],
  ["+@all", "-@admin", "+client|list"],
  ["-@all", "+client", "-client|kill"],
  ["-@all", "+client|list", "-client"],
  ["-@all", "+select|0", "+select|1", "+SELECT|1", "+get|x"],
  ["%R~r*", "%W~w*", "~both", "%RW~rw", "%R~both", "%wr~wr", "%R"],
  ["&chan*", "&news", "&chan*"],
  ["resetchannels", "&a", "resetkeys", "~a", "~b"],
  ["(~x +get)", "(%R~y +set &c)"],
  ["(", "+get", "~x)", "(~y", "+set", ")"],
  ["(+@all -@dangerous ~*)", "clearselectors"],
  [">a", ">b", ">a", "<a", `#${HASH}`, `!${HASH}`],
  ["on", ">x", "~*", "+@all", "reset"],
  ["off", "skip-sanitize-payload"],
  ["sanitize-payload", "nocommands", "+@hash", "-hdel"],
  ["", "+@string", "-@write"],
  ["+@all", "-@all", "+ping"],
];

const RULE_ERRORS: string[][] = [
  ["+nosuch"],
  ["-nosuch"],
  ["+@nocat"],
  ["-@"],
  ["+get|"],
  ["-select|0"],
  ["+config|get|x"],
  ["+client|nosuch"],
  ["bogus"],
  ["%~foo"],
  ["%X~foo"],
  ["%RR~foo"],
  ["~a b"],
  ["&a b"],
  ["~*", "~x"],
  ["allkeys", "%R~x"],
  ["&*", "&x"],
  ["#abc"],
  [`#${HASH.toUpperCase()}`],
  ["!abc"],
  ["<nope"],
  ["(+get"],
  ["+get", "(+set", "~x"],
  ["off)"],
  ["(+nosuch)"],
  ["(bogus)"],
  ["on", "+nosuch", "~x"],
];

differential("ACL SETUSER, GETUSER and LIST speak Redis's rule language", async (t, servers) => {
  const both = await servers.connect();
  const both3 = await servers.connect();
  await both3.both("HELLO", "3");
  for (const [i, rules] of RULE_SETS.entries()) {
    await t.step(`SETUSER ${rules.join(" ") || "(no rules)"}`, async () => {
      await both.check("ACL", "SETUSER", `u${i}`, ...rules);
      await checkNormalized(both, "ACL", "GETUSER", `u${i}`);
      await checkNormalized(both3, "ACL", "GETUSER", `u${i}`);
    });
  }
  await t.step("rules add up on an existing user", async () => {
    await both.check("ACL", "SETUSER", "u1", "+set", "~other", "<pw", ">new");
    await checkNormalized(both, "ACL", "GETUSER", "u1");
  });
  await t.step("LIST and USERS", async () => {
    await checkNormalized(both, "ACL", "LIST");
    await checkNormalized(both3, "ACL", "LIST");
    await both.check("ACL", "USERS");
  });
  await t.step("invalid rules change nothing and say why", async () => {
    for (const rules of RULE_ERRORS) {
      await both.check("ACL", "SETUSER", "bad", ...rules);
      await both.check("ACL", "SETUSER", "u1", ...rules);
    }
    await both.check("ACL", "GETUSER", "bad");
    await checkNormalized(both, "ACL", "GETUSER", "u1");
    await both.check("ACL", "SETUSER", "a b");
    await both.check("ACL", "SETUSER", "a\0b");
    await both.check("ACL", "SETUSER", "bad", "+get\0x");
    await both.check("ACL", "GETUSER", "nosuch");
  });
});

differential(
  "ACL subcommands: CAT, GENPASS, LOG, DELUSER, WHOAMI, HELP, DRYRUN",
  async (t, servers) => {
    const both = await servers.connect();
    await t.step("CAT lists the categories, and the commands of one", async () => {
      await both.check("ACL", "CAT");
      await both.check("ACL", "CAT", "nosuch");
      await both.check("ACL", "CAT", "a", "b");
      const names = async (client: RawClient) =>
        new Set(plain(decode(await client.call("COMMAND", "LIST"))) as string[]);
      const [ours, theirs] = [await names(both.ours), await names(both.redis)];
      for (const category of plain(decode(await both.ours.call("ACL", "CAT"))) as string[]) {
        const [a, b] = await both.both("ACL", "CAT", category.toUpperCase());
        const mine = (plain(decode(a)) as string[]).filter((n) => theirs.has(n)).sort();
        // Among the commands both servers have (Redis has more; we have a few of 7.2), the
        // lists agree.
        const known = (plain(decode(b)) as string[]).filter((n) => ours.has(n));
        assertEquals(mine, known.sort(), `ACL CAT ${category}`);
      }
    });
    await t.step("GENPASS", async () => {
      for (const [bits, chars] of [[undefined, 64], ["1", 1], ["5", 2], ["4096", 1024]] as const) {
        const args = bits === undefined ? [] : [bits];
        for (const client of [both.ours, both.redis]) {
          const pass = plain(decode(await client.call("ACL", "GENPASS", ...args))) as string;
          assert(new RegExp(`^[0-9a-f]{${chars}}$`).test(pass), `GENPASS ${bits}: ${pass}`);
        }
      }
      for (const bad of [["0"], ["4097"], ["-1"], ["x"], ["1", "2"], ["99999999999999999999"]]) {
        await both.check("ACL", "GENPASS", ...bad);
      }
    });
    await t.step("WHOAMI, USERS, DELUSER, HELP, LOAD and SAVE without an aclfile", async () => {
      await both.check("ACL", "WHOAMI");
      await both.check("ACL", "SETUSER", "a");
      await both.check("ACL", "SETUSER", "b");
      await both.check("ACL", "USERS");
      await both.check("ACL", "DELUSER", "default", "a");
      await both.check("ACL", "DELUSER", "a", "nosuch", "a", "b");
      await both.check("ACL", "USERS");
      await both.check("ACL", "HELP");
      await both.check("ACL", "help", "x");
      await both.check("ACL", "LOAD");
      await both.check("ACL", "SAVE");
      await both.check("ACL", "nosuch");
      await both.check("ACL");
    });
    await t.step("LOG arguments", async () => {
      await both.check("ACL", "LOG", "RESET");
      await both.check("ACL", "LOG");
      await both.check("ACL", "LOG", "x");
      await both.check("ACL", "LOG", "-1");
      await both.check("ACL", "LOG", "1", "2");
    });
    await t.step("DRYRUN", async () => {
      await both.check("ACL", "SETUSER", "dry", "on", "nopass", "-@all", "+get", "+set", "+client");
      await both.check("ACL", "SETUSER", "dry", "%R~r*", "%W~w*", "~k*", "-client|kill");
      for (
        const cmd of [
          ["get", "k1"],
          ["get", "x"],
          ["get", "w1"],
          ["set", "w1", "v"],
          ["set", "r1", "v"],
          ["set", "k1", "v", "GET"],
          ["del", "k1"],
          ["client", "list"],
          ["client", "kill", "id", "1"],
          ["client", "nosuch"],
          ["client"],
          ["get"],
          ["nosuch"],
          ["GET", "k"],
        ]
      ) await both.check("ACL", "DRYRUN", "dry", ...cmd);
      await both.check("ACL", "DRYRUN", "nouser", "get", "x");
      await both.check("ACL", "DRYRUN", "default", "flushall");
    });
  },
);

differential(
  "NOPERM refusals for commands and keys, and their ACL log entries",
  async (t, servers) => {
    const admin = await servers.connect();
    await admin.check("FLUSHALL");
    await admin.check(
      "ACL",
      "SETUSER",
      "alice",
      "on",
      ">pw",
      "-@all",
      "+@string",
      "+@list",
      "+copy",
      "+del",
      "+exists",
      "+client|list",
      "+client|info",
      "+acl|whoami",
      "+select|0",
      "~k*",
      "%R~r*",
      "%W~w*",
    );
    await admin.check("ACL", "LOG", "RESET");
    const alice = await connectAs(servers, "alice", "pw");
    await t.step("commands outside the rules", async () => {
      for (
        const cmd of [
          ["GET", "k1"],
          ["HSET", "k1", "f", "v"],
          ["FLUSHALL"],
          ["CLIENT", "KILL", "ID", "1"],
          ["CLIENT", "ID"],
          ["ACL", "WHOAMI"],
          ["ACL", "LIST"],
          ["SELECT", "0"],
          ["SELECT", "1"],
          ["select", "0"],
          ["PING"],
          ["AUTH", "alice", "pw"],
          ["nosuch"],
          ["HSET", "k1"],
        ]
      ) await alice.check(...cmd);
    });
    await t.step("keys by pattern and by read/write access", async () => {
      for (
        const cmd of [
          ["SET", "k1", "v"],
          ["SET", "x", "v"],
          ["SET", "w1", "v"],
          ["GET", "w1"],
          ["GET", "r1"],
          ["SET", "r1", "v"],
          ["APPEND", "w1", "v"],
          ["GETDEL", "w1"],
          ["SET", "w1", "v", "GET"],
          ["STRLEN", "r1"],
          ["EXISTS", "w1", "r1", "k1"],
          ["DEL", "r1"],
          ["DEL", "w1", "k1"],
          ["COPY", "r1", "w2"],
          ["COPY", "w1", "r2"],
          ["COPY", "k1", "k2"],
          ["MSET", "k1", "a", "w1", "b"],
          ["MSET", "k1", "a", "x", "b"],
          ["MGET", "k1", "r1", "w1"],
          ["LMOVE", "r1", "w1", "LEFT", "RIGHT"],
          ["LPUSH", "w1", "a"],
          ["LRANGE", "w1", "0", "-1"],
          ["RPOPLPUSH", "k1", "w1"],
        ]
      ) await alice.check(...cmd);
    });
    await t.step("the ACL log names the command, key and user", async () => {
      assertEquals(await logEntries(admin.ours), await logEntries(admin.redis));
      assertEquals(await logEntries(admin.ours, "3"), await logEntries(admin.redis, "3"));
    });
    await t.step("CLIENT LIST and CLIENT INFO show the user", async () => {
      const [ours, redis] = await alice.both("CLIENT", "INFO");
      const user = (s: string) => / user=(\S+) /.exec(s)?.[1];
      assertEquals(user(ours), "alice");
      assertEquals(user(redis), "alice");
    });
  },
);

/** Sends a command to both and compares its first `replies` replies (SUBSCRIBE sends one each). */
async function checkReplies(both: Both, replies: number, ...args: string[]): Promise<void> {
  await both.check(...args);
  for (let i = 1; i < replies; i++) {
    assertEquals(await both.ours.replyText(), await both.redis.replyText(), args.join(" "));
  }
}

differential(
  "NOPERM for channels: PUBLISH, SUBSCRIBE, and PSUBSCRIBE's literal patterns",
  async (t, servers) => {
    const admin = await servers.connect();
    await admin.check("ACL", "SETUSER", "pub", "on", "nopass", "+@all", "~*", "&news*", "&exact");
    await admin.check("ACL", "LOG", "RESET");
    const pub = await connectAs(servers, "pub", "x");
    await t.step("PUBLISH and SPUBLISH", async () => {
      for (const channel of ["news1", "other", "exact", "exact2"]) {
        await pub.check("PUBLISH", channel, "m");
        await pub.check("SPUBLISH", channel, "m");
      }
    });
    await t.step("SUBSCRIBE, SSUBSCRIBE, PSUBSCRIBE", async () => {
      const sub = await connectAs(servers, "pub", "x");
      await sub.check("SUBSCRIBE", "news1", "other");
      await sub.check("SSUBSCRIBE", "other");
      await sub.check("PSUBSCRIBE", "news1");
      await sub.check("PSUBSCRIBE", "n*");
      await checkReplies(sub, 1, "PSUBSCRIBE", "news*");
      await checkReplies(sub, 2, "SUBSCRIBE", "news1", "exact");
      await sub.check("UNSUBSCRIBE", "nope");
    });
    await t.step("the ACL log and DRYRUN name the channel", async () => {
      assertEquals(await logEntries(admin.ours), await logEntries(admin.redis));
      for (
        const cmd of [
          ["publish", "zz", "1"],
          ["publish", "news2", "1"],
          ["subscribe", "news1", "zz"],
          ["psubscribe", "news*", "x*"],
          ["ssubscribe", "exact"],
        ]
      ) await admin.check("ACL", "DRYRUN", "pub", ...cmd);
    });
    await t.step("revoking a subscribed channel disconnects the subscriber", async () => {
      const keeps = await connectAs(servers, "pub", "x");
      await checkReplies(keeps, 1, "SUBSCRIBE", "news1");
      const loses = await connectAs(servers, "pub", "x");
      await checkReplies(loses, 1, "SUBSCRIBE", "exact");
      const pattern = await connectAs(servers, "pub", "x");
      await checkReplies(pattern, 1, "PSUBSCRIBE", "news*");
      await admin.check("ACL", "SETUSER", "pub", "resetchannels", "&news*");
      assertEquals(await loses.ours.readToEnd(), "");
      assertEquals(await loses.redis.readToEnd(), "");
      await keeps.check("PING");
      await pattern.check("PING");
      await admin.check("ACL", "SETUSER", "pub", "resetchannels", "&news1");
      assertEquals(await pattern.ours.readToEnd(), "");
      assertEquals(await pattern.redis.readToEnd(), "");
      await keeps.check("PING");
    });
  },
);

/** Commands with keys in every kind of position; K is replaced by key names. */
const KEY_COMMANDS = [
  "GET K",
  "SET K v",
  "SET K v GET",
  "MSET K 1 K 2",
  "MGET K K K",
  "DEL K K",
  "EXISTS K K",
  "UNLINK K",
  "TOUCH K",
  "RENAME K K",
  "COPY K K",
  "LMOVE K K LEFT RIGHT",
  "BLPOP K K 0",
  "BZPOPMIN K 0",
  "LMPOP 2 K K LEFT",
  "ZUNIONSTORE K 2 K K",
  "ZINTERCARD 2 K K",
  "ZRANGESTORE K K 0 -1",
  "SINTERSTORE K K K",
  "SMOVE K K m",
  "SORT K",
  "SORT K STORE K",
  "SORT_RO K",
  "BITOP AND K K K",
  "BITFIELD K GET u8 0",
  "BITFIELD K SET u8 0 1",
  "BITFIELD_RO K GET u8 0",
  "PFMERGE K K",
  "PFCOUNT K K",
  "GETDEL K",
  "GETEX K PERSIST",
  "APPEND K v",
  "INCR K",
  "HSET K f v",
  "HGET K f",
  "OBJECT ENCODING K",
  "EXPIRE K 10",
  "TTL K",
  "LCS K K",
  "SINTERCARD 2 K K",
];

differential(
  "key permissions (%R~, %W~, ~) for keys in every position, via DRYRUN",
  async (t, servers) => {
    const admin = await servers.connect();
    await admin.check("ACL", "SETUSER", "kp", "on", "nopass", "+@all", "%R~r*", "%W~w*", "~a*");
    for (const template of KEY_COMMANDS) {
      await t.step(template, async () => {
        for (const names of [["r"], ["w"], ["a"], ["r", "w"], ["w", "r"], ["a", "x"]]) {
          let i = 0;
          const argv = template.split(" ").map((arg) =>
            arg === "K" ? `${names[i++ % names.length]}${i}` : arg
          );
          await admin.check("ACL", "DRYRUN", "kp", ...argv);
        }
      });
    }
  },
);

differential(
  "ACL inside MULTI: refused while queuing, checked again at EXEC",
  async (t, servers) => {
    const admin = await servers.connect();
    await admin.check("FLUSHALL");
    await admin.check("ACL", "SETUSER", "m", "on", "nopass", "+@all", "-flushall", "~*", "&*");
    await admin.check("ACL", "LOG", "RESET");
    const m = await connectAs(servers, "m", "x");
    await t.step("a refused command dooms the transaction", async () => {
      await m.check("MULTI");
      await m.check("SET", "k", "v");
      await m.check("FLUSHALL");
      await m.check("EXEC");
    });
    await t.step("rules changed between queuing and EXEC", async () => {
      await m.check("MULTI");
      for (const cmd of [["GET", "k"], ["PUBLISH", "ch", "x"], ["SET", "k", "v"], ["PING"]]) {
        await m.check(...cmd);
      }
      await admin.check("ACL", "SETUSER", "m", "-get", "resetkeys", "~x", "resetchannels");
      await m.check("EXEC");
    });
    await t.step("the log says multi", async () => {
      assertEquals(await logEntries(admin.ours), await logEntries(admin.redis));
    });
  },
);

differential("selectors: a command runs if any selector allows it", async (t, servers) => {
  const admin = await servers.connect();
  await admin.check("FLUSHALL");
  await admin.check(
    "ACL",
    "SETUSER",
    "sel",
    "on",
    "nopass",
    "+get",
    "~a*",
    "(+set ~b*)",
    "(+get %R~c*)",
  );
  await admin.check("ACL", "LOG", "RESET");
  const sel = await connectAs(servers, "sel", "x");
  await t.step("commands", async () => {
    for (
      const cmd of [
        ["GET", "a1"],
        ["GET", "b1"],
        ["GET", "c1"],
        ["SET", "b1", "v"],
        ["SET", "a1", "v"],
        ["SET", "c1", "v"],
        ["DEL", "a1"],
        ["MGET", "a1", "c1"],
        ["GET", "zz"],
      ]
    ) await sel.check(...cmd);
    assertEquals(await logEntries(admin.ours), await logEntries(admin.redis));
  });
  await t.step("DRYRUN agrees", async () => {
    for (const cmd of [["get", "b1"], ["set", "c1", "v"], ["set", "b1", "v"], ["del", "x"]]) {
      await admin.check("ACL", "DRYRUN", "sel", ...cmd);
    }
  });
});

differential("users that change while connected", async (t, servers) => {
  const admin = await servers.connect();
  await admin.check("FLUSHALL");
  await admin.check("ACL", "SETUSER", "bob", "on", ">pw", "+@all", "~*");
  await t.step("SETUSER off keeps the connection; new logins fail", async () => {
    const bob = await connectAs(servers, "bob", "pw");
    await admin.check("ACL", "SETUSER", "bob", "off");
    await bob.check("PING");
    await bob.check("ACL", "WHOAMI");
    const again = await servers.connect();
    await again.check("AUTH", "bob", "pw");
    await admin.check("ACL", "SETUSER", "bob", "on", "-ping");
    await bob.check("PING");
  });
  await t.step("CLIENT KILL USER and CLIENT LIST user=", async () => {
    const bob = await connectAs(servers, "bob", "pw");
    await admin.check("CLIENT", "KILL", "USER", "nosuch");
    await admin.check("CLIENT", "KILL", "USER", "bob");
    assertEquals(await bob.ours.readToEnd(), "");
    assertEquals(await bob.redis.readToEnd(), "");
  });
  await t.step("DELUSER disconnects the user's clients, the caller after its reply", async () => {
    const bob = await connectAs(servers, "bob", "pw");
    await admin.check("ACL", "DELUSER", "bob");
    assertEquals(await bob.ours.readToEnd(), "");
    assertEquals(await bob.redis.readToEnd(), "");
    await admin.check("ACL", "SETUSER", "self", "on", "nopass", "+@all");
    const self = await connectAs(servers, "self", "x");
    await self.check("ACL", "DELUSER", "self");
    assertEquals(await self.ours.readToEnd(), await self.redis.readToEnd());
  });
  await t.step("the default user's rules apply to connections that never logged in", async () => {
    const plainClient = await servers.connect();
    await admin.check("ACL", "SETUSER", "default", "-flushall", "resetkeys", "~d*");
    await plainClient.check("FLUSHALL");
    await plainClient.check("SET", "x", "1");
    await plainClient.check("SET", "d1", "1");
    await admin.check("ACL", "SETUSER", "default", "+@all", "~*");
    await plainClient.check("SET", "x", "1");
    // A password for the default user: connected clients stay logged in, new ones must AUTH.
    await admin.check("ACL", "SETUSER", "default", ">pw");
    await plainClient.check("PING");
    const fresh = await servers.connect();
    await fresh.check("PING");
    await fresh.check("AUTH", "pw");
    await admin.check("ACL", "SETUSER", "default", "nopass");
    const open = await servers.connect();
    await open.check("PING");
  });
});

differential("acl-pubsub-default allchannels gives new users &*", async (t, servers) => {
  const both = await servers.connect();
  await t.step("CONFIG SET and new users", async () => {
    await both.check("CONFIG", "GET", "acl-pubsub-default");
    await both.check("ACL", "SETUSER", "before");
    await both.check("CONFIG", "SET", "acl-pubsub-default", "allchannels");
    await both.check("ACL", "SETUSER", "after", "(+get)");
    await both.check("ACL", "SETUSER", "reset", "&x", "reset");
    await checkNormalized(both, "ACL", "LIST");
    await both.check("CONFIG", "SET", "acl-pubsub-default", "bogus");
    await both.check("CONFIG", "GET", "acllog-max-len");
  });
});

differential("acllog-max-len caps the ACL log", async (t, servers) => {
  const admin = await servers.connect();
  await t.step("oldest entries go", async () => {
    await admin.check("CONFIG", "SET", "acllog-max-len", "2");
    await admin.check("ACL", "SETUSER", "n", "on", "nopass", "-@all");
    const n = await connectAs(servers, "n", "x");
    for (const cmd of ["GET", "SET", "DEL", "GET"]) {
      await n.check(cmd, "k", ...(cmd === "SET" ? ["v"] : []));
    }
    assertEquals(await logEntries(admin.ours), await logEntries(admin.redis));
    assertEquals((await logEntries(admin.ours)).length, 2);
  });
});

const ACLFILE_DIR = Deno.makeTempDirSync({ prefix: "inmemdb-aclfile-" });
const ACLFILE = `${ACLFILE_DIR}/users.acl`;
Deno.writeTextFileSync(
  ACLFILE,
  "user default on nopass ~* &* +@all\nuser carol on #" + HASH + " ~c* +@read\n",
);

differential("aclfile: ACL LOAD and ACL SAVE", async (t, servers) => {
  const admin = await servers.connect();
  try {
    await t.step("the file's users at startup", async () => {
      await checkNormalized(admin, "ACL", "LIST");
      await admin.check("AUTH", "carol", "password");
      await admin.check("AUTH", "default", "x");
    });
    await t.step("a file with errors changes nothing", async () => {
      const bad = [
        "user default on nopass ~* &* +@all",
        "user dave on +nosuch ~x &y",
        "# a comment",
        "user",
        "notuser x",
        "user dave on",
        "user frank bogus %X~y",
      ].join("\n");
      await Deno.writeTextFile(ACLFILE, bad);
      await admin.check("ACL", "LOAD");
      await checkNormalized(admin, "ACL", "LIST");
    });
    await t.step("LOAD replaces the users and disconnects the replaced ones", async () => {
      const carol = await connectAs(servers, "carol", "password");
      await Deno.writeTextFile(
        ACLFILE,
        "user carol on >password ~c* +@read\r\n\nuser dave on nopass +@all   \n",
      );
      await admin.check("ACL", "LOAD");
      assertEquals(await carol.ours.readToEnd(), await carol.redis.readToEnd());
      await checkNormalized(admin, "ACL", "LIST");
      // No default line: the default user is back to its defaults.
      await admin.check("ACL", "WHOAMI");
    });
    await t.step("SAVE writes LIST's lines", async () => {
      await admin.check("ACL", "SETUSER", "zed", "on", ">z", "(~q +get)");
      await admin.check("ACL", "SAVE");
      const saved = await Deno.readTextFile(ACLFILE);
      const lines = plain(decode(await admin.ours.call("ACL", "LIST"))) as string[];
      assertEquals(saved, lines.map((l) => l + "\n").join(""));
      await admin.check("ACL", "LOAD");
      await checkNormalized(admin, "ACL", "LIST");
    });
  } finally {
    await Deno.remove(ACLFILE_DIR, { recursive: true }).catch(() => {});
  }
}, { inmemdbArgs: ["--aclfile", ACLFILE], redisArgs: ["--aclfile", ACLFILE] });

const USER_ARGS = [
  "--user",
  "alice",
  "on",
  ">pw",
  "~a*",
  "+get",
  "(+set",
  "~b*)",
  "--user",
  "default",
  "on",
  "nopass",
  "+@all",
  "~*",
  "-flushall",
];

differential("user lines in the configuration", async (t, servers) => {
  const both = await servers.connect();
  await t.step("define users, the default one included", async () => {
    await checkNormalized(both, "ACL", "LIST");
    await both.check("FLUSHALL");
    await both.check("AUTH", "alice", "pw");
    await both.check("SET", "b1", "v");
    await both.check("SET", "a1", "v");
  });
}, { inmemdbArgs: USER_ARGS, redisArgs: USER_ARGS });

/** Runs a server binary to its exit with arguments that stop it at startup. */
async function startupFailure(cmd: string, args: string[]): Promise<[number, string]> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return [out.code, text];
}

/** The lines of a startup failure that do not name the program or carry a timestamp. */
function failureLines(text: string): string[] {
  return text.split("\n")
    .map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ . /, ""))
    .filter((l) =>
      /Error in user declaration|Error loading ACL rule|Critical error|Aborting|>>>|ACL file/
        .test(l)
    );
}

Deno.test({
  name: "bad user lines and aclfile problems stop the server like Redis",
  ignore: !redisAvailable(),
  async fn(t) {
    const cases: [string, string[]][] = [
      ["syntax error", ["--user", "alice", "on", "badrule", "~*"]],
      ["bad hash", ["--user", "alice", "on", "#abc"]],
      ["duplicate user", ["--user", "alice", "on", "--user", "alice", "off"]],
      ["unknown command", ["--user", "alice", "on", "+nosuch"]],
      ["missing aclfile", ["--aclfile", "/nonexistent/users.acl"]],
      ["users and aclfile", ["--aclfile", "/nonexistent/users.acl", "--user", "a", "on"]],
    ];
    for (const [name, args] of cases) {
      await t.step(name, async () => {
        const port = String(freePort());
        const [ourCode, ours] = await startupFailure(Deno.execPath(), [
          "run",
          "--allow-all",
          new URL("../../main.ts", import.meta.url).pathname,
          "--port",
          port,
          ...args,
        ]);
        const [redisCode, redis] = await startupFailure("redis-server", ["--port", port, ...args]);
        assertEquals(ourCode, 1, ours);
        assertEquals(redisCode, 1, redis);
        assertEquals(failureLines(ours), failureLines(redis));
      });
    }
  },
});

const RENAMES = ["--rename-command", "flushall", "myflush", "--rename-command", "CONFIG", ""];

differential("rename-command renames or disables a command", async (t, servers) => {
  const both = await servers.connect();
  await t.step("the new name runs the command; the old name is unknown", async () => {
    await both.check("SET", "k", "v");
    await both.check("myflush");
    await both.check("EXISTS", "k");
    await both.check("FLUSHALL");
    await both.check("CONFIG", "GET", "port");
    await both.check("config", "get", "port");
  });
  await t.step("COMMAND shows the original name; ACL rules use it", async () => {
    await both.check("COMMAND", "INFO", "myflush", "flushall", "config");
    const names = plain(decode(await both.ours.call("COMMAND", "LIST"))) as string[];
    assert(names.includes("flushall") && !names.includes("config"), "COMMAND LIST");
    await both.check("ACL", "SETUSER", "r", "-myflush");
    await both.check("ACL", "SETUSER", "r", "on", "nopass", "+@all", "-flushall");
    await both.check("ACL", "DRYRUN", "r", "myflush");
    await both.check("ACL", "DRYRUN", "r", "flushall");
  });
  await t.step("a bad rename stops the server", async () => {
    for (const args of [["nosuch", "x"], ["get", "set"]]) {
      const [ourCode, ours] = await startupFailure(Deno.execPath(), [
        "run",
        "--allow-all",
        new URL("../../main.ts", import.meta.url).pathname,
        "--rename-command",
        ...args,
      ]);
      const [redisCode, redis] = await startupFailure("redis-server", [
        "--rename-command",
        ...args,
      ]);
      assertEquals([ourCode, redisCode], [1, 1]);
      const reason = (s: string) => s.split("\n").filter((l) => /rename-command|exists/.test(l));
      assertEquals(reason(ours), reason(redis));
    }
  });
}, { inmemdbArgs: RENAMES, redisArgs: RENAMES });

/** Starts a server on a config file (the first argument, as both servers require). */
async function startWithConfig(cmd: string[], file: string, port: number) {
  const child = new Deno.Command(cmd[0]!, {
    args: [...cmd.slice(1), file, "--port", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${cmd[0]} did not start`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

Deno.test({
  name: "CONFIG REWRITE writes the users as user lines and keeps rename-command",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "inmemdb-rewrite-" });
    const text = 'rename-command FLUSHALL myflush\nsave ""\nuser alice on >pw ~* +get\n' +
      "user default on nopass ~* &* +@all\n";
    const files = [`${dir}/ours.conf`, `${dir}/redis.conf`];
    for (const file of files) await Deno.writeTextFile(file, text);
    const main = new URL("../../main.ts", import.meta.url).pathname;
    const ports = [freePort(), freePort()];
    const servers = [
      await startWithConfig([Deno.execPath(), "run", "--allow-all", main], files[0]!, ports[0]!),
      await startWithConfig(["redis-server"], files[1]!, ports[1]!),
    ];
    try {
      for (const port of ports) {
        const client = await RawClient.connect(port);
        assertEquals(await client.call("ACL", "SETUSER", "bob", "on", "(+set ~b*)"), "+OK\r\n");
        assertEquals(await client.call("CONFIG", "REWRITE"), "+OK\r\n");
        client.close();
      }
      // Redis appends options that differ from its defaults (dir, ...): compare the lines
      // that hold users and renames.
      const relevant = async (file: string) =>
        (await Deno.readTextFile(file)).split("\n").filter((l) => /^(user|rename-command) /.test(l))
          .map(normalizeRules);
      assertEquals(await relevant(files[0]!), await relevant(files[1]!));
      assertEquals((await relevant(files[0]!)).length, 4);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await Deno.remove(dir, { recursive: true });
    }
  },
});
