// Transactions against redis-server: MULTI/EXEC/DISCARD replies, EXECABORT after queuing errors,
// runtime errors in place, nested MULTI and WATCH inside MULTI, WATCH aborts by other clients,
// FLUSHALL, FLUSHDB, SWAPDB and expiry, blocking commands inside EXEC, CLIENT LIST fields.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";

const ARGS = ["--enable-debug-command", "yes"];
const OPTIONS = { inmemdbArgs: ARGS, redisArgs: ARGS };

differentialCases("transactions: queuing, EXEC, DISCARD and errors", {
  "EXEC runs the queued commands and replies with an array": [
    ["MULTI"],
    ["SET", "a", "1"],
    ["INCR", "a"],
    ["GET", "a"],
    ["EXEC"],
    ["GET", "a"],
  ],
  "an empty transaction": [["MULTI"], ["EXEC"]],
  "runtime errors are returned in place and nothing is rolled back": [
    ["SET", "s", "text"],
    ["MULTI"],
    ["INCR", "s"],
    ["LPUSH", "s", "x"],
    ["SET", "t", "1"],
    ["HSET", "t", "f", "v"],
    ["EXEC"],
    ["GET", "t"],
  ],
  "an unknown command dooms the transaction": [
    ["MULTI"],
    ["SET", "a", "1"],
    ["NOSUCH", "x"],
    ["SET", "b", "1"],
    ["EXEC"],
    ["EXISTS", "a", "b"],
  ],
  "an arity error dooms the transaction": [
    ["MULTI"],
    ["SET", "a"],
    ["EXEC"],
    ["EXISTS", "a"],
  ],
  "an unknown subcommand dooms the transaction": [
    ["MULTI"],
    ["CLIENT", "NOSUCH"],
    ["EXEC"],
  ],
  "no_multi commands are refused and doom the transaction": [
    ["MULTI"],
    ["SHUTDOWN"],
    ["SET", "a", "1"],
    ["EXEC"],
    ["EXISTS", "a"],
  ],
  "nested MULTI and WATCH inside MULTI are errors that do not doom it": [
    ["MULTI"],
    ["MULTI"],
    ["WATCH", "a"],
    ["SET", "a", "1"],
    ["EXEC"],
  ],
  "EXEC and DISCARD without MULTI": [["EXEC"], ["DISCARD"]],
  "DISCARD drops the queue": [
    ["MULTI"],
    ["SET", "a", "1"],
    ["DISCARD"],
    ["EXISTS", "a"],
    ["EXEC"],
  ],
  "RESET inside MULTI discards it": [
    ["MULTI"],
    ["SET", "a", "1"],
    ["RESET"],
    ["EXEC"],
    ["EXISTS", "a"],
  ],
  "SELECT inside a transaction": [
    ["MULTI"],
    ["SELECT", "1"],
    ["SET", "in1", "x"],
    ["SELECT", "0"],
    ["EXEC"],
    ["EXISTS", "in1"],
    ["SELECT", "1"],
    ["EXISTS", "in1"],
    ["SELECT", "0"],
  ],
  "blocking commands reply at once inside EXEC": [
    ["MULTI"],
    ["BLPOP", "empty", "0"],
    ["BRPOPLPUSH", "empty", "dst", "0"],
    ["BZPOPMIN", "empty", "0"],
    ["RPUSH", "full", "a"],
    ["BLPOP", "full", "0"],
    ["EXEC"],
  ],
  "MONITOR inside EXEC is refused": [["MULTI"], ["MONITOR"], ["EXEC"], ["PING"]],
  "WATCH and UNWATCH arity": [["WATCH"], ["UNWATCH", "x"]],
}, OPTIONS);

/** Runs MULTI; PING; EXEC on `c` and returns EXEC's reply (compared with Redis). */
async function execPing(c: Both): Promise<string> {
  await c.check("MULTI");
  await c.check("PING");
  return await c.check("EXEC");
}

const ABORTED = "*-1\r\n";
const RAN = "*1\r\n+PONG\r\n";

differential(
  "transactions: WATCH aborts EXEC when another client changes a key",
  async (t, servers) => {
    const a = await servers.connect();
    const b = await servers.connect();
    const watchThen = async (setup: string[][], change: string[][], key = "k") => {
      await b.check("FLUSHALL");
      for (const command of setup) await b.check(...command);
      await a.check("WATCH", key);
      for (const command of change) await b.check(...command);
      return await execPing(a);
    };
    await t.step("SET, DEL, EXPIRE, INCR, LPUSH by another client", async () => {
      assertEquals(await watchThen([["SET", "k", "1"]], [["SET", "k", "2"]]), ABORTED);
      assertEquals(await watchThen([["SET", "k", "1"]], [["DEL", "k"]]), ABORTED);
      assertEquals(await watchThen([["SET", "k", "1"]], [["EXPIRE", "k", "100"]]), ABORTED);
      assertEquals(await watchThen([["SET", "k", "1"]], [["INCR", "k"]]), ABORTED);
      assertEquals(await watchThen([], [["LPUSH", "k", "x"]]), ABORTED);
    });
    await t.step("a change to another key, or a failed write, leaves it alone", async () => {
      assertEquals(await watchThen([["SET", "k", "1"]], [["SET", "other", "2"]]), RAN);
      assertEquals(await watchThen([["SET", "k", "1"]], [["LPUSH", "k", "x"]]), RAN);
      assertEquals(await watchThen([], [["DEL", "k"]]), RAN);
      assertEquals(await watchThen([["SET", "k", "1"]], [["SELECT", "1"], ["SET", "k", "2"]]), RAN);
      await b.check("SELECT", "0");
    });
    await t.step("the watching client's own writes count too", async () => {
      await a.check("WATCH", "k");
      await a.check("SET", "k", "mine");
      assertEquals(await execPing(a), ABORTED);
    });
    await t.step("UNWATCH, EXEC and DISCARD forget the watched keys", async () => {
      await a.check("WATCH", "k");
      await b.check("SET", "k", "x");
      await a.check("UNWATCH");
      assertEquals(await execPing(a), RAN);
      await a.check("WATCH", "k");
      await a.check("MULTI");
      await a.check("DISCARD");
      await b.check("SET", "k", "y");
      assertEquals(await execPing(a), RAN);
    });
    await t.step("a key created after WATCH of a missing key", async () => {
      assertEquals(await watchThen([], [["SET", "k", "new"]]), ABORTED);
    });
    await t.step("RESP3: an aborted EXEC is a null", async () => {
      await a.both("HELLO", "3");
      await a.check("WATCH", "k");
      await b.check("SET", "k", "z");
      await execPing(a);
      await a.both("HELLO", "2");
    });
  },
);

differential("transactions: WATCH and FLUSHALL, FLUSHDB, SWAPDB", async (t, servers) => {
  const a = await servers.connect();
  const b = await servers.connect();
  await t.step("FLUSHALL aborts only when the watched key existed", async () => {
    await b.check("FLUSHALL");
    await a.check("WATCH", "missing");
    await b.check("FLUSHALL");
    assertEquals(await execPing(a), RAN);
    await b.check("SET", "k", "1");
    await a.check("WATCH", "k");
    await b.check("FLUSHALL");
    assertEquals(await execPing(a), ABORTED);
  });
  await t.step("FLUSHDB of another db leaves it alone", async () => {
    await b.check("SET", "k", "1");
    await a.check("WATCH", "k");
    await b.check("SELECT", "1");
    await b.check("FLUSHDB");
    assertEquals(await execPing(a), RAN);
    await b.check("SELECT", "0");
    await a.check("WATCH", "k");
    await b.check("FLUSHDB");
    assertEquals(await execPing(a), ABORTED);
  });
  await t.step("SWAPDB that brings the key in or takes it away", async () => {
    await b.check("FLUSHALL");
    await b.check("SELECT", "1");
    await b.check("SET", "k1", "1");
    await a.check("WATCH", "k1");
    await b.check("SWAPDB", "0", "1");
    assertEquals(await execPing(a), ABORTED);
    await a.check("WATCH", "k1");
    await b.check("SWAPDB", "0", "1");
    assertEquals(await execPing(a), ABORTED);
    await a.check("WATCH", "nowhere");
    await b.check("SWAPDB", "0", "1");
    assertEquals(await execPing(a), RAN);
    await b.check("SELECT", "0");
  });
});

differential("transactions: WATCH and expiry", async (t, servers) => {
  const a = await servers.connect();
  const b = await servers.connect();
  /** Waits (polling the clock) until a key set with PX `ms` has expired. */
  const expiry = async (ms: number) => {
    const deadline = Date.now() + ms + 5;
    while (Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };
  await b.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
  try {
    await t.step("a key that expires between WATCH and EXEC aborts it", async () => {
      await b.check("SET", "e", "v", "PX", "100");
      await a.check("WATCH", "e");
      await expiry(100);
      assertEquals(await execPing(a), ABORTED);
    });
    await t.step("a key already expired at WATCH does not", async () => {
      await b.check("SET", "e", "v", "PX", "1");
      await expiry(1);
      await a.check("WATCH", "e");
      assertEquals(await execPing(a), RAN);
    });
    await t.step("nor does its deletion once found expired", async () => {
      await b.check("SET", "e", "v", "PX", "1");
      await expiry(1);
      await a.check("WATCH", "e");
      await b.check("GET", "e");
      assertEquals(await execPing(a), RAN);
    });
    await t.step("but setting it again does", async () => {
      await b.check("SET", "e", "v", "PX", "1");
      await expiry(1);
      await a.check("WATCH", "e");
      await b.check("SET", "e", "again");
      assertEquals(await execPing(a), ABORTED);
    });
  } finally {
    await b.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
  }
}, OPTIONS);

differential("transactions: CLIENT LIST shows MULTI and dirty watches", async (_t, servers) => {
  const a = await servers.connect();
  const b = await servers.connect();
  /** flags= and multi= of every client, as b's CLIENT LIST shows them. */
  const states = async () => {
    const [ours, redis] = await b.both("CLIENT", "LIST");
    const of = (text: string) =>
      [...text.matchAll(/ flags=(\S*) .* multi=(-?\d+) /g)].map((m) => `${m[1]} ${m[2]}`).sort();
    assertEquals(of(ours), of(redis), "CLIENT LIST flags and multi");
    return of(ours);
  };
  assertEquals(await states(), ["N -1", "N -1"]);
  await a.check("MULTI");
  await a.check("SET", "x", "1");
  assertEquals(await states(), ["N -1", "x 1"]);
  await a.check("EXEC");
  await a.check("WATCH", "k");
  await b.check("SET", "k", "1");
  await a.check("MULTI");
  await a.check("SET", "x", "1");
  await a.check("SET", "y", "1");
  assertEquals(await states(), ["N -1", "xd 0"]);
  assertEquals(await a.check("EXEC"), ABORTED);
  assertEquals(await states(), ["N -1", "N -1"]);
});
