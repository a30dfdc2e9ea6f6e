// Wire-level protocol behaviour, inmemdb against redis-server: the same raw request bytes must
// give byte-identical replies, including protocol errors and the connection close after them.
import { assertEquals } from "../helpers/assert.ts";
import { type Both, differential, type Servers } from "../helpers/differential.ts";
import { encodeCommand, RawClient } from "../helpers/resp_client.ts";

const mbulk = (...args: string[]) => {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${a.length}\r\n${a}\r\n`;
  return out;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
/** Redis's PROTO_INLINE_MAX_SIZE: a line or length line may be this long and no longer. */
const INLINE_MAX = 64 * 1024;

interface Exchange {
  /** Pieces written one after another, with `delayMs` between them. */
  chunks: string[];
  delayMs?: number;
  /** The stream ends in a protocol error: the server must close on its own. */
  closes?: boolean;
}

/**
 * Sends the chunks on a fresh connection to each server and reads until the server closes
 * (a QUIT is appended unless the stream itself must make the server close). Both outputs,
 * every byte until EOF, must be equal.
 */
async function exchange(servers: Servers, label: string, ex: Exchange): Promise<string> {
  const both = await servers.connect();
  const chunks = ex.closes ? ex.chunks : [...ex.chunks, "QUIT\r\n"];
  const send = async (client: RawClient) => {
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0 && ex.delayMs) await sleep(ex.delayMs);
      await client.send(chunk);
    }
  };
  await Promise.all([send(both.ours), send(both.redis)]);
  const [ours, redis] = await Promise.all([both.ours.readToEnd(), both.redis.readToEnd()]);
  assertEquals(ours, redis, `everything sent back for ${label}`);
  return ours;
}

/** Streams that end in a protocol error; Redis replies and then closes the connection. */
const PROTOCOL_ERRORS: Record<string, string> = {
  "invalid multibulk length (letters)": "*abc\r\n",
  "invalid multibulk length (leading zero)": "*01\r\n",
  "invalid multibulk length (plus sign)": "*+1\r\n",
  "invalid multibulk length (-0)": "*-0\r\n",
  "invalid multibulk length (empty)": "*\r\n",
  "invalid multibulk length (over INT_MAX)": "*2147483648\r\n",
  "invalid multibulk length (LF before CR)": "*1\n$4\r\nPING\r\n",
  "invalid bulk length (letters)": "*1\r\n$abc\r\n",
  "invalid bulk length (-1)": "*1\r\n$-1\r\n",
  "invalid bulk length (leading zero)": "*1\r\n$04\r\nPING\r\n",
  "invalid bulk length (over proto-max-bulk-len)": `*2\r\n$4\r\nECHO\r\n$${
    512 * 1024 * 1024 + 1
  }\r\n`,
  "invalid bulk length (20 digits)": "*1\r\n$99999999999999999999\r\n",
  "expected '$', got 'x'": "*1\r\nx4\r\nPING\r\n",
  "expected '$', got ':'": "*2\r\n$4\r\nECHO\r\n:1\r\n",
  "expected '$' shows LF as a space": "*1\r\n\n4\r\nPING\r\n",
  "expected '$' shows CR as a space": "*1\r\n\r\n",
  "expected '$' shows a high byte as is": "*1\r\n\xe9\r\n",
  "unbalanced double quote": 'ECHO "abc\r\n',
  "unbalanced single quote": "ECHO 'abc\r\n",
  "closing quote followed by a letter": 'ECHO "a"b\r\n',
  "escaped closing quote": 'ECHO "abc\\"\r\n',
  "too big inline request": "x".repeat(INLINE_MAX + 1),
  "too big mbulk count string": "*" + "1".repeat(INLINE_MAX),
  "too big bulk count string": "*1\r\n$" + "1".repeat(INLINE_MAX),
  "replies before the error are sent first": "PING\r\n" + mbulk("ECHO", "a") +
    "*1\r\nx\r\nPING\r\n",
  "error after a binary bulk": mbulk("ECHO", ALL_BYTES) + "*1\r\n!\r\n",
};

/** Streams that parse; QUIT is appended and all replies until the close are compared. */
const STREAMS: Record<string, string> = {
  "inline commands as typed into telnet": "PING\r\nping\r\nset foo bar\r\nGET foo\r\n" +
    "  echo   'hello world'  \r\n\r\n\r\n   \r\nStrLen foo\r\nappend foo \"\\x00\\xff\"\r\n" +
    "get foo\r\nECHO\r\nNOSUCH a b\r\n",
  "inline lines ending in a bare LF": "PING\nSET a 1\nINCR a\nGET a\n\n",
  "inline quoting":
    "MSET k1 \"a b\" k2 'c d' k3 \"\\x41\\x7a\\n\\r\\t\\b\\a\\\\\\\"\" k4 'it\\'s'" +
    '\r\nMGET k1 k2 k3 k4\r\nPING ""\r\nPING \'\'\r\nPING a"b c"\r\nPING "\\x4"\r\n',
  "inline whitespace: \\v and \\f only separate before an argument": "PING a\vb\r\n" +
    '\v\fPING\v\r\nPING "a"\v\r\nPING\tx\t\r\n',
  "inline CR before CR LF": "PING\r\r\nPING x\r\r\n",
  "empty and negative multibulks are skipped": "*0\r\n*-1\r\n*-7\r\n" + mbulk("PING"),
  "an empty command name": "*1\r\n$0\r\n\r\n",
  "bulk data need not end in CR LF": "*1\r\n$4\r\nPINGxx" + mbulk("ECHO", "ok"),
  "binary values with all 256 byte values": mbulk("SET", ALL_BYTES, ALL_BYTES) +
    mbulk("GET", ALL_BYTES) + mbulk("ECHO", ALL_BYTES + "\r\n" + ALL_BYTES) +
    mbulk("APPEND", ALL_BYTES, ALL_BYTES) + mbulk("STRLEN", ALL_BYTES),
  "one-byte keys of every value": Array.from(ALL_BYTES).map((b) => mbulk("SET", b, b)).join("") +
    mbulk("MGET", ...Array.from(ALL_BYTES)),
  "bulk arguments that look like frames": mbulk("ECHO", "*1\r\n$4\r\nPING\r\n") +
    mbulk("SET", "$3\r\n", "-ERR x\r\n") + mbulk("GET", "$3\r\n"),
  "inline and multibulk mixed in one write": "PING\r\n" + mbulk("SET", "m", "1") +
    "INCR m\r\n" + mbulk("INCRBY", "m", "10") + "GET m\n" + mbulk("ECHO", "end"),
};

differential(
  "protocol errors get Redis's reply, then the connection closes",
  async (t, servers) => {
    for (const [name, stream] of Object.entries(PROTOCOL_ERRORS)) {
      await t.step(name, async () => {
        const out = await exchange(servers, name, { chunks: [stream], closes: true });
        if (!out.includes("-ERR Protocol error: ")) throw new Error(`no protocol error: ${out}`);
      });
    }
    await t.step("a NUL byte hides an inline newline until the line is too big", async () => {
      // Redis finds the newline with strchr, which stops at NUL: no reply, then the 64 KB limit.
      const head = "PING\0\r\nPING\r\n";
      const filler = "\0".repeat(INLINE_MAX + 1 - head.length);
      await exchange(servers, "NUL in inline", {
        chunks: [head, filler],
        delayMs: 200,
        closes: true,
      });
    });
    await t.step("errors are the same after HELLO 3", async () => {
      await resp3ProtocolError(servers);
    });
  },
);

/** After HELLO 3 (reply skipped: it holds the client id), a protocol error is the same. */
async function resp3ProtocolError(servers: Servers): Promise<void> {
  const both = await servers.connect();
  await both.both("HELLO", "3");
  await Promise.all([both.ours.send("*1\r\nx\r\n"), both.redis.send("*1\r\nx\r\n")]);
  const [ours, redis] = await Promise.all([both.ours.readToEnd(), both.redis.readToEnd()]);
  assertEquals(ours, redis, "protocol error in RESP3");
}

differential("valid streams get byte-identical replies", async (t, servers) => {
  for (const [name, stream] of Object.entries(STREAMS)) {
    await t.step(name, async () => {
      await exchange(servers, name, { chunks: [stream] });
    });
  }
});

differential("pipelines and frames split across writes", async (t, servers) => {
  // Ten thousand commands in one write, inline and multibulk, with errors among them.
  const pipeline: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    switch (i % 8) {
      case 0:
        pipeline.push(mbulk("SET", `key:${i}`, `value:${i}`));
        break;
      case 1:
        pipeline.push(`GET key:${i - 1}\r\n`);
        break;
      case 2:
        pipeline.push(mbulk("INCR", "counter"));
        break;
      case 3:
        pipeline.push(`ECHO "\\x${(i % 256).toString(16).padStart(2, "0")}${i}"\r\n`);
        break;
      case 4:
        pipeline.push(mbulk("PING"));
        break;
      case 5:
        pipeline.push(mbulk("NOSUCHCOMMAND", String(i)));
        break;
      case 6:
        pipeline.push("GET\r\n");
        break;
      default:
        pipeline.push(mbulk("APPEND", "log", `${i},`));
    }
  }
  const big = "v".repeat(1024 * 1024 + 17);
  pipeline.push(mbulk("SET", "big", big), mbulk("GET", "big"), mbulk("STRLEN", "log"));
  const whole = pipeline.join("");

  await t.step("10 000 commands and a 1 MB value in one write", async () => {
    const out = await exchange(servers, "big pipeline", { chunks: [whole] });
    if (!out.endsWith("+OK\r\n") || out.length < big.length) throw new Error("replies missing");
  });

  await t.step("the same stream cut into pieces sent 10 ms apart", async () => {
    const cuts = [1, 2, 3, 5, 8, 13, 100, 1000, 4096, 65536, 65537, 300_000, whole.length - 3];
    const chunks = cuts.map((at, i) => whole.slice(i === 0 ? 0 : cuts[i - 1], at));
    chunks.push(whole.slice(cuts[cuts.length - 1]));
    await exchange(servers, "split pipeline", { chunks, delayMs: 10 });
  });

  await t.step("a pipeline sent one byte at a time", async () => {
    const stream = mbulk("SET", "slow", "a\r\nb") + "GET slow\r\n" + mbulk("ECHO", "") +
      "PING 'x y'\r\n" + "*1\r\n$4\r\nPING\r\n";
    await exchange(servers, "byte at a time", { chunks: Array.from(stream), delayMs: 2 });
  });

  await t.step("a frame split inside its length lines, with delays", async () => {
    await exchange(servers, "split frame", {
      chunks: ["*", "3\r", "\n$3\r\nS", "ET\r\n$", "1", "\r\n", "k\r\n$5\r\nva", "lue\r", "\n"],
      delayMs: 30,
    });
  });

  await t.step("a protocol error arriving in a later write", async () => {
    await exchange(servers, "late error", {
      chunks: [mbulk("PING"), "*2\r\n$4\r\nECHO\r\n", "?3\r\n"],
      delayMs: 30,
      closes: true,
    });
  });
});

differential("unknown commands and wrong arity", async (t, servers) => {
  const both = await servers.connect();
  const cases: Record<string, string[]> = {
    "unknown, no args": ["NOSUCH"],
    "unknown, lower case with args": ["nosuch", "a", "b", "c"],
    "unknown, one long arg is cut at 128 bytes": ["FOO", "x".repeat(300)],
    "unknown, args beginning with stops near 128 bytes": ["FOO", "a".repeat(100), "b".repeat(100)],
    "unknown, many short args": ["FOO", ...Array.from({ length: 60 }, (_, i) => `arg${i}`)],
    "unknown, long name is cut at 128 bytes": ["Y".repeat(300), "a"],
    "unknown, CR LF in args become spaces": ["FOO", "a\r\nb", "\n"],
    "unknown, a NUL ends an argument": ["FOO", "a\0b", "c"],
    "unknown, a NUL ends the name": ["F\0OO", "x"],
    "unknown, high bytes": ["\xe9\xff", "\x80\xfe"],
    "unknown, empty name": [""],
    "unknown subcommand": ["CLIENT", "NOSUCH"],
    "unknown subcommand, lower case": ["client", "nosuch", "x"],
    "unknown subcommand, long": ["CLIENT", "s".repeat(300)],
    "container without subcommand": ["CLIENT"],
    "subcommand arity": ["CLIENT", "SETNAME"],
    "GET without key": ["GET"],
    "GET with two keys": ["GET", "a", "b"],
    "SET without value": ["SET", "a"],
    "ECHO without message": ["ECHO"],
    "ECHO with two messages": ["ECHO", "a", "b"],
    "PING with two messages": ["PING", "a", "b"],
    "MGET without keys": ["mget"],
    "MSET with an odd count": ["MSET", "a", "1", "b"],
    "SELECT without index": ["SELECT"],
  };
  for (const [name, args] of Object.entries(cases)) {
    await t.step(name, async () => {
      const reply = await both.check(...args);
      if (!reply.startsWith("-ERR")) throw new Error(`not an error: ${reply}`);
    });
  }
  await t.step("the connection stays usable after command errors", async () => {
    await both.check("PING");
  });
  await t.step("the same errors as inline commands", async () => {
    await both.checkRaw("nosuch  'a b'  c\r\n");
    await both.checkRaw(`foo ${"z".repeat(200)}\r\n`);
    await both.checkRaw("client nosuch\r\n");
    await both.checkRaw("get\r\n");
  });
});

/**
 * Sends HELLO to both; their replies must be equal once each server's own client id (from
 * CLIENT ID on the same connection) is put in place of the other's.
 */
async function checkHello(both: Both, ...args: string[]): Promise<string> {
  const [ourId, redisId] = await both.both("CLIENT", "ID");
  const [ours, redis] = await both.both(...args);
  const id = (reply: string) => reply.replace(/^:(\d+)\r\n$/, "$1");
  const ourField = `$2\r\nid\r\n:${id(ourId)}\r\n`;
  const redisField = `$2\r\nid\r\n:${id(redisId)}\r\n`;
  if (!redis.includes(redisField)) {
    // An error reply: no id to substitute.
    assertEquals(ours, redis, `reply to ${args.join(" ")}`);
    return ours;
  }
  assertEquals(ours.replace(ourField, "<id>"), redis.replace(redisField, "<id>"), args.join(" "));
  return ours;
}

differential("HELLO and RESP3 replies", async (t, servers) => {
  const both = await servers.connect();
  await t.step("HELLO without a version answers in RESP2", async () => {
    const reply = await checkHello(both, "HELLO");
    if (!reply.startsWith("*14\r\n")) throw new Error(`not a flat array: ${reply}`);
  });
  await t.step("HELLO 3 answers with a map", async () => {
    const reply = await checkHello(both, "HELLO", "3");
    if (!reply.startsWith("%7\r\n")) throw new Error(`not a map: ${reply}`);
  });
  await t.step("RESP3 replies", async () => {
    await both.check("PING");
    await both.check("PING", "hello");
    await both.check("ECHO", "a\r\nb");
    await both.check("GET", "missing");
    await both.check("SET", "k", "v");
    await both.check("SET", "k", "w", "GET");
    await both.check("SET", "fresh", "x", "NX", "GET");
    await both.check("MGET", "k", "missing", "fresh");
    await both.check("INCR", "n");
    await both.check("NOSUCH", "x");
    await both.check("CLIENT", "GETNAME");
    await both.checkRaw("PING\r\n");
  });
  await t.step("HELLO 3 again and HELLO 2 back", async () => {
    await checkHello(both, "HELLO", "3");
    await checkHello(both, "HELLO", "2");
    await both.check("GET", "missing");
  });
  await t.step("HELLO with SETNAME", async () => {
    await checkHello(both, "HELLO", "3", "SETNAME", "conn-1");
    await both.check("CLIENT", "GETNAME");
  });
  await t.step("HELLO errors", async () => {
    await checkHello(both, "HELLO", "4");
    await checkHello(both, "HELLO", "1");
    await checkHello(both, "HELLO", "abc");
    await checkHello(both, "HELLO", "3", "FOO");
    await checkHello(both, "HELLO", "3", "AUTH", "nosuchuser", "pass");
    await checkHello(both, "HELLO", "3", "SETNAME", "a b");
    await checkHello(both, "HELLO", "3", "SETNAME");
  });
  await t.step("RESET goes back to RESP2", async () => {
    await both.check("RESET");
    await both.check("GET", "missing");
    await both.check("CLIENT", "GETNAME");
  });
  await t.step("QUIT in RESP3 replies +OK and closes", async () => {
    const quit = await servers.connect();
    await quit.both("HELLO", "3");
    await Promise.all([quit.ours.send(encodeCommand(["QUIT"])), quit.redis.send("QUIT\r\n")]);
    const [ours, redis] = await Promise.all([quit.ours.readToEnd(), quit.redis.readToEnd()]);
    assertEquals(ours, redis, "QUIT");
  });
});

differential("proto-max-bulk-len set to 1mb", async (t, servers) => {
  const limit = 1024 * 1024;
  await t.step("a bulk of exactly the limit is accepted", async () => {
    const both = await servers.connect();
    const value = "b".repeat(limit);
    await both.check("SET", "k", value);
    await both.check("STRLEN", "k");
  });
  await t.step("one byte more is a protocol error", async () => {
    await exchange(servers, "over the limit", {
      chunks: [`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${limit + 1}\r\n`],
      closes: true,
    });
  });
}, {
  inmemdbArgs: ["--proto-max-bulk-len", "1mb"],
  redisArgs: ["--proto-max-bulk-len", "1mb"],
});

differential("multibulk counts: inmemdb's 1024*1024*1024 limit", async (t, servers) => {
  // Redis 7.0 rejects counts only above INT_MAX; inmemdb rejects above 2^30 (the limit)
  // with the same error text, so the reply is compared with Redis's for a count it rejects.
  const redisText = async () => {
    const c = await RawClient.connect(servers.redis.port);
    await c.send("*2147483648\r\n");
    return await c.readToEnd();
  };
  const oursFor = async (stream: string[]) => {
    const c = await RawClient.connect(servers.inmemdb.port);
    for (const chunk of stream) {
      await c.send(chunk);
      await sleep(100);
    }
    return await c.readToEnd();
  };
  await t.step("a count above 2^30 is rejected and the connection closed", async () => {
    assertEquals(await oursFor([`*${1024 * 1024 * 1024 + 1}\r\n`]), await redisText());
  });
  await t.step("a count of 2^30 is accepted and waits for its arguments", async () => {
    // The later error proves the count was accepted and the connection stayed open.
    const out = await oursFor([`*${1024 * 1024 * 1024}\r\n$4\r\nPING\r\n`, "x\r\n"]);
    const c = await RawClient.connect(servers.redis.port);
    await c.send("*2\r\n$4\r\nPING\r\nx\r\n");
    assertEquals(out, await c.readToEnd());
  });
});

differential("nc: printf 'PING\\r\\n' | nc -q1 localhost PORT", async (t, servers) => {
  const nc = async (port: number, input: string) => {
    const { stdout, success } = await new Deno.Command("sh", {
      args: ["-c", `printf '${input}' | nc -q1 localhost ${port}`],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!success) throw new Error("nc failed");
    return new TextDecoder().decode(stdout);
  };
  for (const input of ["PING\\r\\n", "SET a b\\r\\nGET a\\r\\nINCR a\\r\\n", 'ECHO "x y"\\n']) {
    await t.step(input, async () => {
      const [ours, redis] = await Promise.all([
        nc(servers.inmemdb.port, input),
        nc(servers.redis.port, input),
      ]);
      assertEquals(ours, redis, input);
    });
  }
  await t.step("PING gives +PONG", async () => {
    assertEquals(await nc(servers.inmemdb.port, "PING\\r\\n"), "+PONG\r\n");
  });
});
