// Fuzzing the RESP parser and the dispatcher over real connections: random and mutated
// requests from a fixed seed (garbage, huge and negative lengths, frames split across writes,
// nested arrays, inline edge cases, pipelines of valid commands with damage), each on its own
// connection, many at a time. After every batch a long-lived connection checks that the server
// still answers and that a canary key is intact. FUZZ_INPUTS scales the run (default 100000).
import { assert, assertEquals } from "../helpers/assert.ts";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";
import { startInmemdb } from "../helpers/servers.ts";
import { COMMANDS } from "../../lib/commands/table.ts";

const TOTAL = Number(Deno.env.get("FUZZ_INPUTS") ?? 100_000);
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261125);
const BATCH = 2_000;
const CONCURRENCY = 192;
/** A batch whose connections do not all finish within this has a hang. */
const HANG_MS = 15_000;
/** Loopback addresses to spread connections over (more source ports before TIME_WAIT bites). */
const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 1}`);

/** mulberry32: a small seeded PRNG, so every run sends the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Commands that change the server rather than data (or could stop it) are renamed away for the
 * run; so are the few whose reply size a mutated count controls (SRANDMEMBER -1000000000).
 */
const DISABLED = [
  "flushall",
  "flushdb",
  "swapdb",
  "shutdown",
  "config",
  "debug",
  "acl",
  "client",
  "save",
  "bgsave",
  "bgrewriteaof",
  "replicaof",
  "slaveof",
  "failover",
  "srandmember",
  "hrandfield",
  "zrandmember",
  "lastsave",
].filter((name) => COMMANDS.some((c) => c.name === name));

/** Valid requests the mutations start from. */
const CORPUS: string[][] = [
  ["SET", "k", "v"],
  ["GET", "k"],
  ["SET", "s", "hello", "EX", "100", "NX"],
  ["MSET", "a", "1", "b", "2"],
  ["MGET", "a", "b", "c"],
  ["INCRBY", "n", "5"],
  ["INCRBYFLOAT", "f", "1.5"],
  ["APPEND", "s", "xyz"],
  ["SETRANGE", "s", "3", "abc"],
  ["GETRANGE", "s", "0", "-1"],
  ["SETBIT", "bits", "7", "1"],
  ["BITCOUNT", "bits"],
  ["BITFIELD", "bf", "INCRBY", "u8", "0", "1", "GET", "i4", "4"],
  ["LPUSH", "l", "a", "b", "c"],
  ["LRANGE", "l", "0", "-1"],
  ["LPOS", "l", "a", "RANK", "1", "COUNT", "2"],
  ["LINSERT", "l", "BEFORE", "a", "z"],
  ["BLPOP", "empty", "0.01"],
  ["HSET", "h", "f1", "v1", "f2", "v2"],
  ["HGETALL", "h"],
  ["HINCRBY", "h", "n", "3"],
  ["SADD", "set", "a", "b", "c"],
  ["SINTER", "set", "set2"],
  ["SPOP", "set", "2"],
  ["ZADD", "z", "1", "a", "2.5", "b", "+inf", "c"],
  ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "10", "WITHSCORES"],
  ["ZUNIONSTORE", "zu", "2", "z", "z2", "WEIGHTS", "1", "2"],
  ["PFADD", "hll", "a", "b", "c"],
  ["PFCOUNT", "hll"],
  ["SORT", "l", "ALPHA", "LIMIT", "0", "5"],
  ["EXPIRE", "k", "100"],
  ["TTL", "k"],
  ["SCAN", "0", "MATCH", "*", "COUNT", "10"],
  ["KEYS", "h*"],
  ["TYPE", "z"],
  ["OBJECT", "ENCODING", "l"],
  ["COMMAND", "INFO", "get"],
  ["COMMAND", "GETKEYS", "set", "k", "v"],
  ["INFO", "keyspace"],
  ["SELECT", "1"],
  ["HELLO", "3"],
  ["PING"],
  ["ECHO", "hi"],
  ["MULTI"],
  ["EXEC"],
  ["WATCH", "k"],
  ["SUBSCRIBE", "ch"],
  ["PUBLISH", "ch", "m"],
  ["PSUBSCRIBE", "c*"],
  ["RESET"],
  ["AUTH", "x"],
  ["QUIT"],
];

const ATOMS = [
  "*",
  "$",
  "\r\n",
  "\r",
  "\n",
  "\0",
  " ",
  "\t",
  '"',
  "'",
  "\\",
  "-1",
  "0",
  "1",
  "-",
  "+",
  "*-1\r\n",
  "*0\r\n",
  "$-1\r\n",
  "$0\r\n\r\n",
  "*1\r\n",
  "*2\r\n",
  "$3\r\n",
  "%1\r\n",
  "~1\r\n",
  "_\r\n",
  ",1.5\r\n",
  "#t\r\n",
  "(1\r\n",
  "!3\r\nerr\r\n",
  "=5\r\ntxt:a\r\n",
  ">1\r\n",
  "|1\r\n",
  "99999999999999999999",
  "2147483648",
  "9223372036854775807",
  "-9223372036854775808",
  "1073741825",
  "536870913",
  "1048577",
];

class Inputs {
  constructor(private readonly random: () => number) {}

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private garbage(max: number): string {
    let s = "";
    const n = this.int(max);
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(256));
    return s;
  }

  private valid(): string {
    const argv = this.pick(CORPUS);
    const mode = this.int(3);
    if (mode === 0) return argv.join(" ") + "\r\n"; // inline
    return String.fromCharCode(...encodeCommand(argv));
  }

  /** One request stream for one connection. */
  next(): string {
    switch (this.int(10)) {
      case 0:
        return this.garbage(300);
      case 1: // huge, negative and malformed lengths
        return this.pick(["*", "$", "*1\r\n$", "*2\r\n$3\r\nGET\r\n$"]) +
          this.pick(ATOMS) + this.pick(["\r\n", "", "\r\n" + this.garbage(40)]);
      case 2: { // nested and foreign RESP types
        let s = "";
        for (let i = 0, n = 1 + this.int(6); i < n; i++) s += this.pick(ATOMS);
        return s;
      }
      case 3: { // inline edge cases
        const parts = [
          "SET",
          '"a\\x41',
          "'b'c",
          '"\\"q"',
          "  ",
          "\t",
          '"unbalanced',
          "'x",
          "\\",
          "GET",
          '""',
          "''",
          "k",
          "\0",
        ];
        let s = "";
        for (let i = 0, n = 1 + this.int(6); i < n; i++) s += this.pick(parts) + " ";
        return s + this.pick(["\r\n", "\n", "\r", "", "\r\n\r\n"]);
      }
      case 4: // a long inline line, sometimes past the 64 KB limit
        return "ECHO " + "a".repeat(60_000 + this.int(10_000)) + this.pick(["\r\n", ""]);
      default: { // pipelines of valid requests with damage
        let s = "";
        for (let i = 0, n = 1 + this.int(8); i < n; i++) s += this.valid();
        return this.mutate(s);
      }
    }
  }

  private mutate(s: string): string {
    const chars = s.split("");
    for (let i = 0, n = this.int(4); i < n; i++) {
      const at = this.int(chars.length + 1);
      switch (this.int(6)) {
        case 0:
          chars[at] = String.fromCharCode(this.int(256));
          break;
        case 1:
          chars.splice(at, 0, this.pick(ATOMS));
          break;
        case 2:
          chars.splice(at, 1 + this.int(4));
          break;
        case 3: // a digit of a length changes
          if (/\d/.test(chars[at] ?? "")) chars[at] = String(this.int(10));
          break;
        case 4:
          chars.splice(at, 0, chars.slice(at, at + this.int(20)).join(""));
          break;
        default:
          chars.length = at; // cut short
      }
    }
    return chars.join("");
  }
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
  return out;
}

/**
 * Sends one input (in several writes, a moment apart, when there are cuts), half-closes, and
 * reads until the server closes. `buf` is the lane's read buffer.
 */
async function deliver(
  port: number,
  host: string,
  input: Uint8Array,
  cuts: number[],
  buf: Uint8Array,
): Promise<void> {
  const conn = await Deno.connect({ hostname: host, port });
  try {
    try {
      let at = 0;
      for (const cut of [...cuts, input.length]) {
        while (at < cut) at += await conn.write(input.subarray(at, cut));
        if (cut < input.length) await new Promise((r) => setTimeout(r, 1));
      }
      await conn.closeWrite();
    } catch {
      // the server closed first (QUIT, protocol error): fine
    }
    try {
      while ((await conn.read(buf)) !== null) { /* drain */ }
    } catch {
      // reset by the server: fine
    }
  } finally {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
}

Deno.test({
  name: `fuzz: ${TOTAL} random and mutated requests, each on its own connection`,
  sanitizeResources: false,
  async fn() {
    const renames = DISABLED.flatMap((name) => ["--rename-command", name, ""]);
    const server = await startInmemdb([
      "--bind",
      ADDRESSES.join(" "),
      "--proto-max-bulk-len",
      "1mb",
      "--save",
      "",
      ...renames,
    ]);
    const canaryKey = `canary:${SEED}:do-not-touch`;
    const canaryValue = "still here \u00ff\r\n";
    const watcher = await RawClient.connect(server.port);
    try {
      assertEquals(await watcher.call("SET", canaryKey, canaryValue), "+OK\r\n");
      const inputs = new Inputs(prng(SEED));
      const random = prng(SEED ^ 0x5bd1e995);
      let sent = 0, hangs = 0;
      const started = Date.now();
      while (sent < TOTAL) {
        const batch = Math.min(BATCH, TOTAL - sent);
        const work: { bytes: Uint8Array; cuts: number[]; host: string }[] = [];
        for (let i = 0; i < batch; i++) {
          const bytes = latin1(inputs.next());
          const cuts: number[] = [];
          if (random() < 0.3) {
            for (let j = 0, n = 1 + Math.floor(random() * 3); j < n; j++) {
              cuts.push(Math.floor(random() * bytes.length));
            }
            cuts.sort((a, b) => a - b);
          }
          work.push({ bytes, cuts, host: ADDRESSES[(sent + i) % ADDRESSES.length]! });
        }
        let next = 0, finished = 0;
        const lanes = Array.from({ length: CONCURRENCY }, async () => {
          const buf = new Uint8Array(65536);
          while (next < work.length) {
            const item = work[next++]!;
            await deliver(server.port, item.host, item.bytes, item.cuts, buf);
            finished++;
          }
        });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hang = new Promise<"hang">((r) => timer = setTimeout(() => r("hang"), HANG_MS));
        const outcome = await Promise.race([Promise.all(lanes), hang]);
        clearTimeout(timer);
        if (outcome === "hang") hangs += work.length - finished;
        assertEquals(hangs, 0, `connections unfinished after ${HANG_MS} ms (batch at ${sent})`);
        sent += batch;
        // The server is alive, answers promptly, and the canary is intact.
        assertEquals(await watcher.call("PING"), "+PONG\r\n", `after ${sent} inputs`);
        assertEquals(
          await watcher.call("GET", canaryKey),
          `$${canaryValue.length}\r\n${canaryValue}\r\n`,
          `canary after ${sent} inputs`,
        );
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(`fuzz: ${sent} inputs in ${seconds.toFixed(1)} s, seed ${SEED}`);
      const log = server.output();
      assert(!/Internal error|Uncaught|panic/i.test(log), log.slice(-2000));
    } finally {
      watcher.close();
      assertEquals(await server.stop(), 0, "the server exits cleanly after the fuzzing");
    }
  },
});
