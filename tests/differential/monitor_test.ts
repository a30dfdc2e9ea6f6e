// MONITOR against redis-server: the line format (timestamps and client addresses normalized),
// escaping of binary arguments, db numbers, transactions, hidden admin commands, redacted
// AUTH/HELLO credentials, and what a monitoring connection may still do.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { encodeCommand } from "../helpers/resp_client.ts";

/** `+<seconds>.<µs> [<db> <addr>] args` with the time and address made comparable. */
function normalize(line: string): string {
  const m = /^\+(\d+)\.(\d{6}) \[(\d+) (127\.0\.0\.1:\d+)\] (.*)\r\n$/s.exec(line);
  assert.ok(m !== null, `not a MONITOR line: ${JSON.stringify(line)}`);
  const seconds = Number(m[1]);
  assert.ok(Math.abs(seconds - Date.now() / 1000) < 60, `timestamp ${m[1]} is not now`);
  return `+T [${m[3]} ADDR] ${m[5]}\r\n`;
}

/** The next MONITOR line of each side, normalized; they must be equal. */
async function fed(monitor: Both): Promise<string> {
  const [ours, redis] = await Promise.all([
    monitor.ours.replyText(),
    monitor.redis.replyText(),
  ]);
  const line = normalize(ours);
  assertEquals(line, normalize(redis), "MONITOR line");
  return line;
}

/** Runs a command on `client` and checks the line each monitor gets for it. */
async function shown(monitor: Both, client: Both, ...args: string[]): Promise<string> {
  await client.check(...args);
  return await fed(monitor);
}

/** Like shown, for commands whose replies differ between the servers (client ids). */
async function shownAnyReply(monitor: Both, client: Both, ...args: string[]): Promise<string> {
  await client.both(...args);
  return await fed(monitor);
}

differential("monitor: every executed command, in Redis's format", async (t, servers) => {
  const monitor = await servers.connect();
  const client = await servers.connect();
  await monitor.check("MONITOR");
  await t.step("a command and its arguments", async () => {
    assertEquals(await shown(monitor, client, "SET", "k", "v"), '+T [0 ADDR] "SET" "k" "v"\r\n');
    await shown(monitor, client, "get", "k");
  });
  await t.step("binary arguments and quotes are escaped like sdscatrepr", async () => {
    await shown(monitor, client, "SET", "a b", 'x\\y"z');
    await shown(monitor, client, "SET", "bin", "\x00\x01\x7f\x80\xff\n\r\t\x07\x08~ ");
    await shown(monitor, client, "ECHO", "");
  });
  await t.step("the db is the one after the command (SELECT shows the new one)", async () => {
    await shown(monitor, client, "SELECT", "3");
    await shown(monitor, client, "SET", "in3", "x");
    await shown(monitor, client, "SELECT", "0");
  });
  await t.step("MULTI, then the queued commands when EXEC runs them, then EXEC", async () => {
    await shown(monitor, client, "MULTI");
    await client.check("SET", "k", "1");
    await client.check("INCR", "k");
    await client.check("EXEC");
    await fed(monitor);
    await fed(monitor);
    assertEquals(await fed(monitor), '+T [0 ADDR] "EXEC"\r\n');
  });
  await t.step("errors: refused commands are not shown, failing ones are", async () => {
    await client.check("NOSUCH", "x");
    await client.check("SET", "x");
    await client.check("CLIENT", "NOSUCH");
    await shown(monitor, client, "INCR", "bin");
  });
  await t.step("admin commands are hidden, others of their containers shown", async () => {
    await client.check("CONFIG", "GET", "maxmemory");
    await client.both("CLIENT", "LIST");
    await client.check("DEBUG", "SLEEP", "0");
    await shownAnyReply(monitor, client, "CLIENT", "ID");
  });
  await t.step("HELLO AUTH and AUTH arguments are redacted", async () => {
    await shownAnyReply(monitor, client, "HELLO", "2", "AUTH", "default", "secret");
    await shown(monitor, client, "HELLO", "3", "SETNAME", "me", "AUTH", "user", "pass");
    await shownAnyReply(monitor, client, "HELLO", "2");
    await shown(monitor, client, "AUTH", "pass");
    await shown(monitor, client, "AUTH", "user", "pass");
  });
  await t.step("a blocking command is shown when it blocks", async () => {
    await client.check("BLPOP", "nolist", "0.01");
    await fed(monitor);
  });
  await t.step("the monitor itself: keyspace commands refused, others shown", async () => {
    await monitor.check("GET", "k");
    await monitor.check("SET", "k", "v");
    // MONITOR again has no reply at all: the next reply is PING's.
    const again = encodeCommand(["MONITOR"]);
    await Promise.all([monitor.ours.send(again), monitor.redis.send(again)]);
    assertEquals(await monitor.check("PING"), "+PONG\r\n");
    await fed(monitor);
    await monitor.both("CLIENT", "ID");
    await fed(monitor);
  });
  await t.step("QUIT is shown to others, not to the quitting monitor", async () => {
    const second = await servers.connect();
    await second.check("MONITOR");
    await shown(monitor, client, "PING");
    await fed(second);
    await second.check("QUIT");
    await fed(monitor);
    const [ours, redis] = await Promise.all([second.ours.readToEnd(), second.redis.readToEnd()]);
    assertEquals(ours, redis);
  });
  await t.step("RESET ends MONITOR mode", async () => {
    await monitor.check("RESET");
    await client.check("SET", "after", "reset");
    await monitor.check("PING");
  });
});

differential("monitor: a RESP3 monitor gets the same status lines", async (_t, servers) => {
  const monitor = await servers.connect();
  const client = await servers.connect();
  await monitor.both("HELLO", "3");
  await monitor.check("MONITOR");
  await shownAnyReply(monitor, client, "HELLO", "3");
  await shown(monitor, client, "HSET", "h", "f", "v");
  await shown(monitor, client, "HGETALL", "h");
});
