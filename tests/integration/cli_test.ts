// The command line and the process: main.ts's options, config files, startup log, signals,
// SHUTDOWN, and options that act on the running server (DEBUG SLEEP, timeout, maxclients...).
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main.ts to completion (options that make it exit at once). */
async function runMain(args: string[], stdin?: string): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A running server started with `args`; its port is read from the ready log line. */
class Proc {
  private text = "";
  private drained: Promise<unknown>;
  port = 0;

  constructor(readonly child: Deno.ChildProcess) {
    const decoder = new TextDecoder();
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) this.text += decoder.decode(chunk, { stream: true });
    };
    this.drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  }

  /** Where the server logs when it has a logfile (the ready line is read from there). */
  logFile: string | null = null;

  /** The working directory made for this process (a final save writes dump.rdb there). */
  private ownDir: string | null = null;

  static async start(args: string[], cwd?: string, logFile: string | null = null): Promise<Proc> {
    const ownDir = cwd === undefined ? Deno.makeTempDirSync({ prefix: "inmemdb-cli-" }) : null;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}main.ts`, ...args],
      cwd: cwd ?? ownDir!,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const proc = new Proc(child);
    proc.ownDir = ownDir;
    proc.logFile = logFile;
    const line = await proc.waitFor(/Ready to accept connections tcp port=(\d+)/);
    proc.port = Number(line[1]);
    return proc;
  }

  get output(): string {
    if (this.logFile === null) return this.text;
    try {
      return this.text + Deno.readTextFileSync(this.logFile);
    } catch {
      return this.text;
    }
  }

  /** Polls the output until it matches (the server logs as it goes). */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.output);
      if (m !== null) return m;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits for the process to exit; returns its exit code. */
  async exit(): Promise<number> {
    const status = await this.child.status;
    await this.drained;
    if (this.ownDir !== null) {
      await Deno.remove(this.ownDir, { recursive: true });
      this.ownDir = null;
    }
    return status.code;
  }

  async kill(): Promise<number> {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already gone
    }
    return await this.exit();
  }

  connect(): Promise<RawClient> {
    return RawClient.connect(this.port);
  }
}

/** Starts a server, runs fn, and makes sure the process is gone afterwards. */
async function withServer(
  args: string[],
  fn: (proc: Proc) => Promise<void>,
  cwd?: string,
): Promise<void> {
  const proc = await Proc.start(["--port", "0", ...args], cwd);
  try {
    await fn(proc);
  } finally {
    await proc.kill();
  }
}

async function refused(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return false;
  } catch (err) {
    return err instanceof Deno.errors.ConnectionRefused;
  }
}

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

Deno.test("--help and --version print and exit 0", async () => {
  const help = await runMain(["--help"]);
  assertEquals(help.code, 0);
  assert.match(help.stdout, /^Usage: inmemdb \[\/path\/to\/redis\.conf\] \[options\]/);
  assert.match(help.stdout, /--port <port>/);
  const version = await runMain(["--version"]);
  assertEquals(version.code, 0);
  assert.match(version.stdout, /^inmemdb v=\d+\.\d+\.\d+ redis=7\.0\.15 deno=\S+ bits=64/);
  assertEquals((await runMain(["-v"])).stdout, version.stdout);
});

Deno.test("an unknown option exits 1 with Redis's config error", async () => {
  const run = await runMain(["--port", "0", "--nosuch", "1"]);
  assertEquals(run.code, 1);
  assert.match(run.stderr, /\*\*\* FATAL CONFIG FILE ERROR \(inmemdb [\d.]+\) \*\*\*/);
  assert.match(run.stderr, /Reading the configuration file, at line 3\n>>> 'nosuch "1"'\n/);
  assert.match(run.stderr, /Bad directive or wrong number of arguments/);
});

Deno.test("a bad value exits 1 naming the problem", async () => {
  const run = await runMain(["--port", "abc"]);
  assertEquals(run.code, 1);
  assert.match(run.stderr, />>> 'port "abc"'\nargument couldn't be parsed into an integer/);
  const extra = await runMain(["--port", "1", "2"]);
  assertEquals(extra.code, 1);
  assert.match(extra.stderr, /wrong number of arguments/);
  const policy = await runMain(["--maxmemory-policy", "sometimes"]);
  assertEquals(policy.code, 1);
  assert.match(policy.stderr, /argument\(s\) must be one of the following: volatile-lru, /);
});

Deno.test("a missing config file exits 1", async () => {
  const run = await runMain(["/nonexistent/inmemdb.conf"]);
  assertEquals(run.code, 1);
  assert.match(run.stderr, /can't open config file '\/nonexistent\/inmemdb\.conf'/);
});

Deno.test("the startup log shows version, pid and port; --port 0 picks a free port", async () => {
  await withServer([], async (proc) => {
    const started = await proc.waitFor(/inmemdb (\d+\.\d+\.\d+) .*started, pid=(\d+), port=(\d+)/);
    assertEquals(Number(started[2]), proc.child.pid);
    assertEquals(Number(started[3]), proc.port);
    assert.notEqual(proc.port, 0);
    const client = await proc.connect();
    assertEquals(await client.call("PING"), "+PONG\r\n");
    const info = await client.call("INFO", "server");
    assert.match(info, new RegExp(`\r\ntcp_port:${proc.port}\r\n`));
    assert.match(info, new RegExp(`\r\nprocess_id:${proc.child.pid}\r\n`));
    assert.match(info, new RegExp(`\r\ninmemdb_version:${started[1]}\r\n`));
    client.close();
  });
});

Deno.test("a config file as first argument, with quoted values and options after it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/inmemdb.conf`;
    await Deno.writeTextFile(
      file,
      [
        "# test configuration",
        "port 0",
        'maxmemory-policy "allkeys-lru"',
        "notify-keyspace-events 'Ex'",
        'save "900 1"',
        "hz 20",
        "",
      ].join("\n"),
    );
    const proc = await Proc.start([file, "--hz", "15", "--timeout", "30"]);
    try {
      const client = await proc.connect();
      assertEquals(
        await client.call("CONFIG", "GET", "maxmemory-policy"),
        `*2\r\n${bulk("maxmemory-policy")}${bulk("allkeys-lru")}`,
      );
      assertEquals(
        await client.call("CONFIG", "GET", "save"),
        `*2\r\n${bulk("save")}${bulk("900 1")}`,
      );
      assertEquals(
        await client.call("CONFIG", "GET", "notify-keyspace-events"),
        `*2\r\n${bulk("notify-keyspace-events")}${bulk("xE")}`,
      );
      // Options on the command line come after the file's lines.
      assertEquals(await client.call("CONFIG", "GET", "hz"), `*2\r\n${bulk("hz")}${bulk("15")}`);
      assert.match(await client.call("INFO", "server"), new RegExp(`\r\nconfig_file:${file}\r\n`));
      await proc.waitFor(/Configuration loaded/);

      // CONFIG REWRITE keeps the file's lines and appends what changed.
      assertEquals(await client.call("CONFIG", "SET", "maxmemory", "2mb"), "+OK\r\n");
      assertEquals(await client.call("CONFIG", "REWRITE"), "+OK\r\n");
      const text = await Deno.readTextFile(file);
      assert.match(text, /^# test configuration\nport 0\nmaxmemory-policy allkeys-lru\n/);
      assert.match(text, /\nnotify-keyspace-events "xE"\nsave 900 1\nhz 15\n/);
      assert.match(text, /\n# Generated by CONFIG REWRITE\n(.*\n)*maxmemory 2mb\n/);
      assert.match(text, /\ntimeout 30\n/);
      client.close();
    } finally {
      await proc.kill();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--name value works for any option, including several values", async () => {
  await withServer(
    [
      "--maxmemory",
      "10mb",
      "--save",
      "900",
      "1",
      "--loglevel",
      "VERBOSE",
      "--list-max-ziplist-size",
      "-3",
    ],
    async (proc) => {
      const client = await proc.connect();
      assertEquals(
        await client.call("CONFIG", "GET", "maxmemory"),
        `*2\r\n${bulk("maxmemory")}${bulk(String(10 * 1024 * 1024))}`,
      );
      assertEquals(
        await client.call("CONFIG", "GET", "save"),
        `*2\r\n${bulk("save")}${bulk("900 1")}`,
      );
      assertEquals(
        await client.call("CONFIG", "GET", "list-max-listpack-size"),
        `*2\r\n${bulk("list-max-listpack-size")}${bulk("-3")}`,
      );
      assertEquals(
        await client.call("CONFIG", "GET", "loglevel"),
        `*2\r\n${bulk("loglevel")}${bulk("verbose")}`,
      );
      client.close();
    },
  );
  // A bare --save means no save points, as in redis-server.
  await withServer(["--save", "--hz", "12"], async (proc) => {
    const client = await proc.connect();
    assertEquals(await client.call("CONFIG", "GET", "save"), `*2\r\n${bulk("save")}${bulk("")}`);
    assertEquals(await client.call("CONFIG", "GET", "hz"), `*2\r\n${bulk("hz")}${bulk("12")}`);
    client.close();
  });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`${signal} stops accepting, closes clients and exits 0`, async () => {
    const proc = await Proc.start(["--port", "0"]);
    try {
      const client = await proc.connect();
      assertEquals(await client.call("SET", "k", "v"), "+OK\r\n");
      proc.child.kill(signal);
      assertEquals(await client.readToEnd(), "");
      assertEquals(await proc.exit(), 0);
      assert.match(proc.output, new RegExp(`Received ${signal} scheduling shutdown\\.\\.\\.`));
      assert.match(proc.output, /is now ready to exit, bye bye\.\.\./);
      assert.ok(await refused(proc.port), "the port is closed");
    } finally {
      await proc.kill();
    }
  });
}

Deno.test("SHUTDOWN closes every client without a reply and exits 0", async () => {
  for (const args of [["SHUTDOWN"], ["SHUTDOWN", "NOSAVE", "NOW"], ["shutdown", "save", "force"]]) {
    const proc = await Proc.start(["--port", "0"]);
    try {
      const other = await proc.connect();
      const client = await proc.connect();
      assertEquals(await other.call("PING"), "+PONG\r\n");
      // Commands pipelined after SHUTDOWN are not executed.
      await client.send(
        `*${args.length}\r\n${args.map(bulk).join("")}*1\r\n$4\r\nPING\r\n`,
      );
      assertEquals(await client.readToEnd(), "");
      assertEquals(await other.readToEnd(), "");
      assertEquals(await proc.exit(), 0);
      assert.match(proc.output, /User requested shutdown\.\.\./);
    } finally {
      await proc.kill();
    }
  }
});

Deno.test("DEBUG SLEEP blocks every client for its duration", async () => {
  await withServer(["--enable-debug-command", "yes"], async (proc) => {
    const sleeper = await proc.connect();
    const other = await proc.connect();
    assertEquals(await other.call("PING"), "+PONG\r\n");
    const start = performance.now();
    await sleeper.send("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.2\r\n");
    await new Promise((r) => setTimeout(r, 30));
    const order: string[] = [];
    const slept = sleeper.replyText().then((reply) => {
      order.push("sleep");
      return reply;
    });
    const pinged = other.call("PING").then((reply) => {
      order.push("ping");
      return [reply, performance.now() - start] as const;
    });
    assertEquals(await slept, "+OK\r\n");
    const [pong, elapsed] = await pinged;
    assertEquals(pong, "+PONG\r\n");
    assertEquals(order, ["sleep", "ping"]);
    assert.ok(elapsed >= 190, `PING answered after ${elapsed} ms`);
    sleeper.close();
    other.close();
  });
});

Deno.test("timeout closes idle clients", async () => {
  await withServer(["--timeout", "1", "--hz", "50"], async (proc) => {
    const idle = await proc.connect();
    assertEquals(await idle.call("PING"), "+PONG\r\n");
    const start = performance.now();
    assertEquals(await idle.readToEnd(4000), "");
    assert.ok(performance.now() - start >= 900, "closed after about a second");
  });
});

Deno.test("maxclients refuses connections beyond the limit", async () => {
  await withServer(["--maxclients", "1"], async (proc) => {
    const first = await proc.connect();
    assertEquals(await first.call("PING"), "+PONG\r\n");
    const second = await proc.connect();
    assertEquals(await second.readToEnd(), "-ERR max number of clients reached\r\n");
    assertEquals(await first.call("CONFIG", "SET", "maxclients", "2"), "+OK\r\n");
    const third = await proc.connect();
    assertEquals(await third.call("PING"), "+PONG\r\n");
    assert.match(await first.call("INFO", "stats"), /\r\nrejected_connections:1\r\n/);
    first.close();
    third.close();
  });
});

Deno.test("proto-max-bulk-len applies to clients already connected", async () => {
  await withServer([], async (proc) => {
    const client = await proc.connect();
    assertEquals(await client.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"), "+OK\r\n");
    await client.send(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`);
    assertEquals(await client.readToEnd(), "-ERR Protocol error: invalid bulk length\r\n");
  });
});

Deno.test("logfile and pidfile", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const proc = await Proc.start(
      [
        "--port",
        "0",
        "--logfile",
        `${dir}/server.log`,
        "--pidfile",
        `${dir}/server.pid`,
      ],
      dir,
      `${dir}/server.log`,
    );
    assertEquals(await Deno.readTextFile(`${dir}/server.pid`), `${proc.child.pid}\n`);
    const client = await proc.connect();
    await client.send("*1\r\n$8\r\nSHUTDOWN\r\n");
    await client.readToEnd();
    assertEquals(await proc.exit(), 0);
    assert.match(proc.output, /bye bye/);
    const log = await Deno.readTextFile(`${dir}/server.log`);
    assert.match(log, new RegExp(`started, pid=${proc.child.pid}, port=${proc.port}`));
    await assert.rejects(Deno.stat(`${dir}/server.pid`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
