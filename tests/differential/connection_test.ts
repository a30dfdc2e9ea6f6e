// Differential tests of the connection commands (lib/commands/connection.ts) against
// redis-server: PING, ECHO, SELECT, HELLO, RESET, QUIT and CLIENT. Connection ids and addresses
// differ between the servers, so those replies are compared with the ids taken out.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";

/** HELLO's map with the connection id replaced (ids differ between the servers). */
function withoutId(reply: string): string {
  return reply.replace(/(\$2\r\nid\r\n:)\d+\r\n/, "$1<id>\r\n");
}

/** Sends HELLO to both; the replies must be equal apart from the id, which is CLIENT ID's. */
async function checkHello(both: Both, ...args: string[]): Promise<string> {
  const [ours, redis] = await both.both("HELLO", ...args);
  assertEquals(withoutId(ours), withoutId(redis), `reply to HELLO ${args.join(" ")}`);
  for (const [client, reply] of [[both.ours, ours], [both.redis, redis]] as const) {
    const id = /\$2\r\nid\r\n:(\d+)\r\n/.exec(reply)?.[1];
    if (id !== undefined) assertEquals(`:${id}\r\n`, await client.call("CLIENT", "ID"));
  }
  return ours;
}

/** The text of a bulk or verbatim reply (CLIENT INFO, CLIENT LIST). */
function text(reply: string): string {
  const value = decode(reply);
  if (value.t !== "bulk" && value.t !== "verbatim") throw new Error(`not text: ${reply}`);
  return value.v;
}

/** The `name=value` fields of one CLIENT LIST line, in order. */
function fields(line: string): [string, string][] {
  return line.trim().split(" ").map((field) => {
    const eq = field.indexOf("=");
    return [field.slice(0, eq), field.slice(eq + 1)];
  });
}

async function clientInfo(client: RawClient): Promise<Map<string, string>> {
  return new Map(fields(text(await client.call("CLIENT", "INFO"))));
}

/** Lines of CLIENT LIST on one server. */
async function clientList(client: RawClient, ...args: string[]): Promise<string[]> {
  return text(await client.call("CLIENT", "LIST", ...args)).split("\n").filter((l) => l !== "");
}

/** Waits until both servers list the same number of clients (closed sockets linger briefly). */
async function settledClientCount(both: Both): Promise<number> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const [ours, redis] = await Promise.all([clientList(both.ours), clientList(both.redis)]);
    if (ours.length === redis.length) return ours.length;
    if (Date.now() > deadline) {
      throw new Error(`client counts differ: ${ours.length} vs redis ${redis.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Asserts that the server closed the connection after the replies already read. */
async function assertClosed(client: RawClient, label: string): Promise<void> {
  assertEquals(await client.readToEnd(), "", `${label}: nothing more before the close`);
}

/** CLIENT INFO fields whose values are the same on both servers for equal histories. */
const COMPARABLE = ["name", "db", "flags", "sub", "psub", "ssub", "multi", "cmd", "user", "resp"];

differentialCases("connection: PING and ECHO", {
  "PING with 0, 1 and 2 arguments": [
    ["PING"],
    ["ping"],
    ["PING", "hello"],
    ["PING", ""],
    ["PING", "\0\xff\r\n"],
    ["PING", "a", "b"],
    ["PING", "a", "b", "c"],
  ],
  "ECHO": [
    ["ECHO", "hello"],
    ["echo", ""],
    ["ECHO", "\0\x01\xfe\xff\r\n"],
    ["ECHO"],
    ["ECHO", "a", "b"],
  ],
});

differentialCases("connection: SELECT", {
  "valid and invalid indexes": [
    ...Array.from({ length: 16 }, (_, i) => ["SELECT", String(i)]),
    ["SELECT", "16"],
    ["SELECT", "-1"],
    ["SELECT", "abc"],
    ["SELECT", ""],
    ["SELECT", " 1"],
    ["SELECT", "01"],
    ["SELECT", "+1"],
    ["SELECT", "1.0"],
    ["SELECT", "2147483647"],
    ["SELECT", "2147483648"],
    ["SELECT", "-2147483648"],
    ["SELECT", "-2147483649"],
    ["SELECT", "9223372036854775807"],
    ["SELECT", "9223372036854775808"],
    ["SELECT"],
    ["SELECT", "1", "2"],
    ["SELECT", "0"],
  ],
  "databases keep their own keys": [
    ["SET", "k", "db0"],
    ["SELECT", "1"],
    ["GET", "k"],
    ["SET", "k", "db1"],
    ["SELECT", "15"],
    ["EXISTS", "k"],
    ["SET", "k", "db15"],
    ["SELECT", "0"],
    ["GET", "k"],
    ["SELECT", "1"],
    ["GET", "k"],
    ["SELECT", "15"],
    ["GET", "k"],
    ["SELECT", "99"],
    ["GET", "k"],
    ["SELECT", "0"],
  ],
});

differential("connection: SELECT is per connection", async (_t, servers) => {
  const a = await servers.connect();
  const b = await servers.connect();
  await a.check("FLUSHALL");
  await a.check("SELECT", "3");
  await a.check("SET", "k", "three");
  await b.check("GET", "k");
  await b.check("SELECT", "3");
  await b.check("GET", "k");
});

differential("connection: HELLO", async (t, servers) => {
  const both = await servers.connect();
  await t.step("protocol versions", async () => {
    await checkHello(both);
    await checkHello(both, "2");
    await checkHello(both, "3");
    await both.check("GET", "missing");
    await checkHello(both);
    await checkHello(both, "2");
    await both.check("GET", "missing");
    for (const bad of ["4", "1", "0", "-1", "99999999999999999", "9223372036854775807"]) {
      await both.check("HELLO", bad);
    }
    for (const bad of ["abc", "", "3.0", " 3", "+3", "03", "9223372036854775808"]) {
      await both.check("HELLO", bad);
    }
    await both.check("HELLO", "4", "FOO");
    await both.check("HELLO", "abc", "FOO");
  });
  await t.step("AUTH and SETNAME", async () => {
    await checkHello(both, "3", "AUTH", "default", "x");
    await checkHello(both, "2", "auth", "default", "anything", "setname", "n1");
    await both.check("CLIENT", "GETNAME");
    await both.check("HELLO", "3", "AUTH", "bob", "x");
    await both.check("HELLO", "3", "AUTH", "default");
    await both.check("HELLO", "3", "AUTH");
    await checkHello(both, "3", "SETNAME", "good-name");
    await both.check("CLIENT", "GETNAME");
    await both.check("HELLO", "2", "SETNAME", "bad name");
    await both.check("HELLO", "2", "SETNAME", "tab\tname");
    await both.check("HELLO", "2", "SETNAME", "caf\xe9");
    await both.check("CLIENT", "GETNAME");
    await both.check("HELLO", "2", "SETNAME");
    await checkHello(both, "2", "SETNAME", "a", "SETNAME", "b");
    await both.check("CLIENT", "GETNAME");
    await checkHello(both, "2", "SETNAME", "");
    await both.check("CLIENT", "GETNAME");
  });
  await t.step("option errors, checked left to right", async () => {
    await both.check("HELLO", "3", "FOO");
    await both.check("HELLO", "3", "foo", "SETNAME", "bad name");
    await both.check("HELLO", "3", "SETNAME", "bad name", "foo");
    await both.check("HELLO", "3", "AUTH", "bob", "x", "foo");
    await both.check("HELLO", "3", "AUTH", "bob", "x", "SETNAME", "bad name");
    await both.check("HELLO", "3", "SETNAME", "bad name", "AUTH", "bob", "x");
    await both.check("HELLO", "3", "SETNAME", "ok", "AUTH", "default");
    await both.check("HELLO", "2", "bad\0suffix");
    await checkHello(both, "2", "AUTH\0x", "default", "x");
    // A failed HELLO leaves the protocol as it was.
    await both.check("GET", "missing");
  });
});

differential("connection: RESET", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.check("SELECT", "2");
  await both.check("SET", "k", "in db 2");
  await both.check("CLIENT", "SETNAME", "before-reset");
  await checkHello(both, "3");
  await both.check("GET", "missing");
  await both.check("RESET");
  await both.check("GET", "k");
  await both.check("CLIENT", "GETNAME");
  await both.check("GET", "missing");
  const [ours, redis] = await Promise.all([clientInfo(both.ours), clientInfo(both.redis)]);
  for (const name of COMPARABLE) assertEquals(ours.get(name), redis.get(name), `field ${name}`);
  await both.check("RESET", "x");
  await both.check("reset");
});

differential("connection: QUIT", async (t, servers) => {
  await t.step("+OK, then the connection closes", async () => {
    const both = await servers.connect();
    await both.check("QUIT");
    await Promise.all([assertClosed(both.ours, "ours"), assertClosed(both.redis, "redis")]);
  });
  await t.step("extra arguments are ignored", async () => {
    const both = await servers.connect();
    await both.check("quit", "now", "please");
    await Promise.all([assertClosed(both.ours, "ours"), assertClosed(both.redis, "redis")]);
  });
  await t.step("pipelined commands after QUIT are not executed", async () => {
    for (const request of ["*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n", "QUIT\r\nPING\r\n"]) {
      const both = await servers.connect();
      await Promise.all([both.ours.send(request), both.redis.send(request)]);
      const [ours, redis] = await Promise.all([both.ours.readToEnd(), both.redis.readToEnd()]);
      assertEquals(ours, redis, `replies to ${JSON.stringify(request)}`);
      assertEquals(ours, "+OK\r\n");
    }
  });
});

differential("connection: CLIENT ID, SETNAME, GETNAME, NO-EVICT", async (_t, servers) => {
  const both = await servers.connect();
  const [ours, redis] = await both.both("CLIENT", "ID");
  assert.match(ours, /^:[1-9]\d*\r\n$/);
  assert.match(redis, /^:[1-9]\d*\r\n$/);
  const commands = [
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", "first"],
    ["CLIENT", "GETNAME"],
    ["client", "setname", "!~{}[]:=,"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", "a b"],
    ["CLIENT", "SETNAME", "a\nb"],
    ["CLIENT", "SETNAME", "a\0b"],
    ["CLIENT", "SETNAME", "\x7f"],
    ["CLIENT", "SETNAME", "\x80"],
    ["CLIENT", "SETNAME", "\xff"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", ""],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "NO-EVICT", "on"],
    ["CLIENT", "NO-EVICT", "OFF"],
    ["CLIENT", "no-evict", "On"],
    ["CLIENT", "NO-EVICT", "maybe"],
    ["CLIENT", "NO-EVICT", "on\0x"],
    ["CLIENT", "NO-EVICT"],
    ["CLIENT", "NO-EVICT", "on", "off"],
  ];
  for (const command of commands) await both.check(...command);
});

differential("connection: CLIENT arity, unknown subcommands, HELP", async (_t, servers) => {
  const both = await servers.connect();
  const commands = [
    ["CLIENT"],
    ["CLIENT", "FOO"],
    ["client", "foo", "bar"],
    ["CLIENT", "x".repeat(200)],
    ["CLIENT", "SETNAME"],
    ["CLIENT", "SETNAME", "a", "b"],
    ["CLIENT", "GETNAME", "x"],
    ["CLIENT", "ID", "x"],
    ["CLIENT", "INFO", "x"],
    ["CLIENT", "KILL"],
    ["CLIENT", "HELP", "x"],
  ];
  for (const command of commands) await both.check(...command);
  // HELP lists our subcommands; its frame is Redis's: a usage line, the list, then HELP.
  const [ours, redis] = await both.both("CLIENT", "HELP");
  const oursLines = decode(ours), redisLines = decode(redis);
  assert(oursLines.t === "array" && redisLines.t === "array");
  assert(oursLines.v.every((line) => line.t === "simple"), "every HELP line is a status");
  const line = (list: typeof oursLines, i: number) =>
    JSON.stringify(list.t === "array" ? list.v.at(i) : null);
  for (const i of [0, -2, -1]) assertEquals(line(oursLines, i), line(redisLines, i), `line ${i}`);
  assertEquals(
    line(oursLines, 0),
    JSON.stringify({
      t: "simple",
      v: "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    }),
  );
});

differential("connection: CLIENT INFO and CLIENT LIST", async (t, servers) => {
  const both = await servers.connect();
  await both.check("CLIENT", "SETNAME", "lister");
  await both.check("SELECT", "5");
  await t.step("the fields of Redis 7.0, then lib-name and lib-ver", async () => {
    const ours = fields(text(await both.ours.call("CLIENT", "INFO")));
    const redis = fields(text(await both.redis.call("CLIENT", "INFO")));
    // Redis 7.2 appends lib-name and lib-ver; 7.0 does not have them yet.
    assertEquals(ours.map(([name]) => name), [
      ...redis.map(([name]) => name),
      "lib-name",
      "lib-ver",
    ]);
    const oursMap = new Map(ours), redisMap = new Map(redis);
    for (const name of COMPARABLE) {
      assertEquals(oursMap.get(name), redisMap.get(name), `field ${name}`);
    }
    assertEquals(oursMap.get("lib-name"), "");
    assertEquals(oursMap.get("cmd"), "client|info");
    assertEquals(`:${oursMap.get("id")}\r\n`, await both.ours.call("CLIENT", "ID"));
  });
  await t.step("CLIENT LIST lines have the same fields", async () => {
    const count = await settledClientCount(both);
    const [ours, redis] = await Promise.all([clientList(both.ours), clientList(both.redis)]);
    assertEquals(ours.length, count);
    const names = (line: string) => fields(line).map(([name]) => name);
    for (let i = 0; i < count; i++) {
      assertEquals(names(ours[i]!), [...names(redis[i]!), "lib-name", "lib-ver"]);
    }
    const self = (lines: string[], info: Map<string, string>) =>
      lines.map((line) => new Map(fields(line))).find((f) => f.get("id") === info.get("id"))!;
    const [oursInfo, redisInfo] = await Promise.all([
      clientInfo(both.ours),
      clientInfo(both.redis),
    ]);
    const [oursSelf, redisSelf] = [self(ours, oursInfo), self(redis, redisInfo)];
    for (const name of COMPARABLE.filter((n) => n !== "cmd")) {
      assertEquals(oursSelf.get(name), redisSelf.get(name), `field ${name}`);
    }
    assertEquals(oursSelf.get("cmd"), "client|list");
  });
  await t.step("TYPE and ID filters", async () => {
    const count = await settledClientCount(both);
    assertEquals((await clientList(both.ours, "TYPE", "normal")).length, count);
    assertEquals((await clientList(both.ours, "type", "NORMAL")).length, count);
    for (const type of ["master", "replica", "slave", "pubsub"]) {
      await both.check("CLIENT", "LIST", "TYPE", type);
    }
    const commands = [
      ["CLIENT", "LIST", "TYPE", "foo"],
      ["CLIENT", "LIST", "TYPE"],
      ["CLIENT", "LIST", "TYPE", "normal", "x"],
      ["CLIENT", "LIST", "ID"],
      ["CLIENT", "LIST", "ID", "abc"],
      ["CLIENT", "LIST", "ID", "1", "abc"],
      ["CLIENT", "LIST", "ID", "0", "-1", "999999"],
      ["CLIENT", "LIST", "ID", "9223372036854775808"],
      ["CLIENT", "LIST", "foo"],
      ["CLIENT", "LIST", "foo", "bar"],
    ];
    for (const command of commands) await both.check(...command);
    for (const client of [both.ours, both.redis]) {
      const id = (await client.call("CLIENT", "ID")).slice(1, -2);
      const lines = await clientList(client, "ID", id, "0", id);
      assertEquals(lines.length, 2, "an id given twice is listed twice");
      for (const line of lines) assertEquals(new Map(fields(line)).get("id"), id);
    }
  });
  await t.step("RESP3 replies are verbatim strings", async () => {
    await checkHello(both, "3");
    for (
      const command of [["CLIENT", "INFO"], ["CLIENT", "LIST"], [
        "CLIENT",
        "LIST",
        "TYPE",
        "master",
      ]]
    ) {
      const [ours, redis] = await both.both(...command);
      assertEquals(ours.slice(0, 1), "=");
      assertEquals(ours.slice(ours.indexOf("\r\n"), ours.indexOf("\r\n") + 6), "\r\ntxt:");
      assertEquals(decode(ours).t, decode(redis).t);
    }
    await both.check("CLIENT", "LIST", "TYPE", "master");
    await checkHello(both, "2");
  });
});

differential("connection: CLIENT KILL", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await t.step("errors and non-matching filters", async () => {
    const commands = [
      ["CLIENT", "KILL", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ADDR"],
      ["CLIENT", "KILL", "ID", "0"],
      ["CLIENT", "KILL", "ID", "-1"],
      ["CLIENT", "KILL", "ID", "abc"],
      ["CLIENT", "KILL", "ID", "1.5"],
      ["CLIENT", "KILL", "ID", "9223372036854775808"],
      ["CLIENT", "KILL", "ID", "999999"],
      ["CLIENT", "KILL", "ID", "0", "TYPE"],
      ["CLIENT", "KILL", "ID", "1", "TYPE"],
      ["CLIENT", "KILL", "TYPE", "normal", "ID"],
      ["CLIENT", "KILL", "TYPE", "foo"],
      ["CLIENT", "KILL", "TYPE", "master"],
      ["CLIENT", "KILL", "TYPE", "replica"],
      ["CLIENT", "KILL", "TYPE", "slave"],
      ["CLIENT", "KILL", "TYPE", "pubsub"],
      ["CLIENT", "KILL", "USER", "bob"],
      ["CLIENT", "KILL", "USER", "bob", "ID", "0"],
      ["CLIENT", "KILL", "ID", "0", "USER", "bob"],
      ["CLIENT", "KILL", "SKIPME", "maybe"],
      ["CLIENT", "KILL", "SKIPME", "yes", "FOO"],
      ["CLIENT", "KILL", "FOO", "bar"],
      ["CLIENT", "KILL", "MAXAGE", "10"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "LADDR", "1.2.3.4:6"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME", "no"],
      ["CLIENT", "KILL", "ID", "999999", "TYPE", "normal", "SKIPME", "NO"],
      ["client", "kill", "id", "999999", "user", "default"],
    ];
    for (const command of commands) await both.check(...command);
  });

  /** A fresh pair of connections and each server's view of it (CLIENT INFO of its own). */
  async function victim(): Promise<[Both, Map<string, string>, Map<string, string>]> {
    const other = await servers.connect();
    const [ours, redis] = await Promise.all([clientInfo(other.ours), clientInfo(other.redis)]);
    return [other, ours, redis];
  }

  /** Runs a per-server command (it names that server's ids or addresses); replies must match. */
  async function checkEach(label: string, ours: string[], redis: string[]): Promise<string> {
    const [a, b] = await Promise.all([both.ours.call(...ours), both.redis.call(...redis)]);
    assertEquals(a, b, label);
    return a;
  }

  await t.step("old form: CLIENT KILL addr", async () => {
    const [other, ours, redis] = await victim();
    const reply = await checkEach(
      "CLIENT KILL <addr>",
      ["CLIENT", "KILL", ours.get("addr")!],
      ["CLIENT", "KILL", redis.get("addr")!],
    );
    assertEquals(reply, "+OK\r\n");
    await Promise.all([assertClosed(other.ours, "ours"), assertClosed(other.redis, "redis")]);
    await checkEach(
      "the same address again",
      ["CLIENT", "KILL", ours.get("addr")!],
      ["CLIENT", "KILL", redis.get("addr")!],
    );
  });
  await t.step("new form: ID, ADDR, LADDR, USER, TYPE", async () => {
    for (const option of ["ID", "ADDR"]) {
      const [other, ours, redis] = await victim();
      const field = option === "ID" ? "id" : "addr";
      const reply = await checkEach(
        `CLIENT KILL ${option}`,
        ["CLIENT", "KILL", option, ours.get(field)!],
        ["CLIENT", "KILL", option, redis.get(field)!],
      );
      assertEquals(reply, ":1\r\n");
      await Promise.all([assertClosed(other.ours, "ours"), assertClosed(other.redis, "redis")]);
    }
    for (const filter of [["LADDR"], ["USER", "default"], ["TYPE", "normal"], ["SKIPME", "yes"]]) {
      const victims = [await victim(), await victim()];
      const count = await settledClientCount(both);
      const [oursLaddr, redisLaddr] = [victims[0]![1].get("laddr")!, victims[0]![2].get("laddr")!];
      const reply = await checkEach(
        `CLIENT KILL ${filter[0]}`,
        ["CLIENT", "KILL", ...(filter[0] === "LADDR" ? ["LADDR", oursLaddr] : filter)],
        ["CLIENT", "KILL", ...(filter[0] === "LADDR" ? ["LADDR", redisLaddr] : filter)],
      );
      assertEquals(reply, `:${count - 1}\r\n`, "every other client is killed");
      for (const [other] of victims) {
        await Promise.all([assertClosed(other.ours, "ours"), assertClosed(other.redis, "redis")]);
      }
      await both.check("PING");
    }
  });
  await t.step("SKIPME no kills the caller after the reply", async () => {
    const [self, ours, redis] = await victim();
    const [a, b] = await Promise.all([
      self.ours.call("CLIENT", "KILL", "ID", ours.get("id")!, "SKIPME", "no"),
      self.redis.call("CLIENT", "KILL", "ID", redis.get("id")!, "SKIPME", "no"),
    ]);
    assertEquals(a, b);
    assertEquals(a, ":1\r\n");
    await Promise.all([assertClosed(self.ours, "ours"), assertClosed(self.redis, "redis")]);
  });
  await t.step("the old form may kill the caller itself", async () => {
    const [self, ours, redis] = await victim();
    const [a, b] = await Promise.all([
      self.ours.call("CLIENT", "KILL", ours.get("addr")!),
      self.redis.call("CLIENT", "KILL", redis.get("addr")!),
    ]);
    assertEquals(a, b);
    assertEquals(a, "+OK\r\n");
    await Promise.all([assertClosed(self.ours, "ours"), assertClosed(self.redis, "redis")]);
  });
});

differential(
  "connection: CLIENT SETINFO (Redis 7.2; not in redis-server 7.0)",
  async (_t, servers) => {
    const both = await servers.connect();
    // The reference server is 7.0: it does not know SETINFO, so ours is checked against the
    // texts of Redis 7.2's clientSetinfoCommand.
    assertEquals(
      await both.redis.call("CLIENT", "SETINFO", "LIB-NAME", "x"),
      "-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n",
    );
    const ours = both.ours;
    assertEquals(await ours.call("CLIENT", "SETINFO", "LIB-NAME", "redis-py"), "+OK\r\n");
    assertEquals(await ours.call("CLIENT", "SETINFO", "lib-ver", "5.0.1"), "+OK\r\n");
    let info = await clientInfo(ours);
    assertEquals([info.get("lib-name"), info.get("lib-ver")], ["redis-py", "5.0.1"]);
    assertEquals(
      await ours.call("CLIENT", "SETINFO", "LIB-NAME", "a b"),
      "-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
    );
    assertEquals(
      await ours.call("CLIENT", "SETINFO", "lib-ver", "1\n2"),
      "-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n",
    );
    assertEquals(
      await ours.call("CLIENT", "SETINFO", "LIB-FOO", "x"),
      "-ERR Unrecognized option 'LIB-FOO'\r\n",
    );
    assertEquals(
      await ours.call("CLIENT", "SETINFO", "LIB-NAME"),
      "-ERR wrong number of arguments for 'client|setinfo' command\r\n",
    );
    assertEquals(
      await ours.call("CLIENT", "SETINFO", "LIB-NAME", "a", "b"),
      "-ERR wrong number of arguments for 'client|setinfo' command\r\n",
    );
    assertEquals(await ours.call("CLIENT", "SETINFO", "LIB-NAME", ""), "+OK\r\n");
    info = await clientInfo(ours);
    assertEquals([info.get("lib-name"), info.get("lib-ver")], ["", "5.0.1"]);
    const line = (await clientList(ours, "ID", info.get("id")!))[0]!;
    assertEquals(fields(line).slice(-2), [["lib-name", ""], ["lib-ver", "5.0.1"]]);
  },
);
