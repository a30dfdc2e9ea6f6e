// redis-cli against inmemdb: one-shot commands, --pipe mass insertion, RESP3 (-3), --raw and
// the stdin REPL. Each invocation also runs against redis-server and the output must be equal.
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "../helpers/servers.ts";
import { bytes, encodeCommand, str } from "../helpers/resp_client.ts";

interface CliResult {
  code: number;
  /** Byte strings, so binary output compares exactly. */
  stdout: string;
  stderr: string;
}

async function cli(port: number, args: string[], stdin = ""): Promise<CliResult> {
  const child = new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(bytes(stdin));
  await writer.close();
  const out = await child.output();
  return { code: out.code, stdout: str(out.stdout), stderr: str(out.stderr) };
}

type Ports = { inmemdb: number; redis: number };

/** Runs redis-cli with the same arguments and input against both servers; returns ours. */
async function same(ports: Ports, args: string[], stdin = ""): Promise<CliResult> {
  const [ours, redis] = await Promise.all([
    cli(ports.inmemdb, args, stdin),
    cli(ports.redis, args, stdin),
  ]);
  assertEquals(ours, redis, `redis-cli ${args.join(" ")}`);
  return ours;
}

Deno.test({
  name: "redis-cli",
  ignore: !redisAvailable(),
  async fn(t) {
    const servers: ServerHandle[] = await Promise.all([startInmemdb(), startRedis()]);
    const ports = { inmemdb: servers[0]!.port, redis: servers[1]!.port };
    try {
      await t.step("ping, set, get", async () => {
        assert.equal((await same(ports, ["ping"])).stdout, "PONG\n");
        assert.equal((await same(ports, ["set", "greeting", "hello world"])).stdout, "OK\n");
        assert.equal((await same(ports, ["get", "greeting"])).stdout, "hello world\n");
        await same(ports, ["--no-raw", "get", "greeting"]);
        await same(ports, ["--no-raw", "get", "missing"]);
        await same(ports, ["--no-raw", "incr", "counter"]);
        await same(ports, ["--no-raw", "mget", "greeting", "missing", "counter"]);
        await same(ports, ["--no-raw", "nosuchcommand", "a"]);
        await same(ports, ["--no-raw", "get"]);
        await same(ports, ["-r", "3", "incr", "counter"]);
      });

      await t.step("--pipe with a mass-insert stream", async () => {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < 20_000; i++) {
          chunks.push(encodeCommand(["SET", `mass:${i}`, `value-${i}-\x00\xff`]));
          if (i % 1000 === 0) chunks.push(encodeCommand(["APPEND", `mass:${i}`, "+"]));
        }
        let stream = "";
        for (const c of chunks) stream += str(c);
        // --pipe sends the stream, then ECHO <20 random bytes> and waits for that echo.
        const out = await same(ports, ["--pipe"], stream);
        assert.equal(out.code, 0);
        assert.match(out.stdout, /errors: 0, replies: 20020\n$/);
        await same(ports, ["--no-raw", "mget", "mass:0", "mass:1", "mass:19999", "mass:20000"]);
        await same(ports, ["--no-raw", "strlen", "mass:12345"]);
      });

      await t.step("--pipe with inline commands", async () => {
        const out = await same(ports, ["--pipe"], "SET a 1\r\nINCR a\r\nGET a\r\nNOSUCH\r\n");
        assert.match(out.stdout, /errors: 1, replies: 4\n$/);
        assert.equal(out.code, 1, "--pipe exits with 1 when a reply was an error");
      });

      await t.step("RESP3 with -3", async () => {
        await same(ports, ["-3", "ping"]);
        await same(ports, ["-3", "--no-raw", "get", "missing"]);
        await same(ports, ["-3", "--no-raw", "mget", "greeting", "missing"]);
        await same(ports, ["-3", "--no-raw", "set", "r3", "v", "GET"]);
        await same(ports, ["-3", "--no-raw", "incrbyfloat", "float", "2.5"]);
        await same(ports, ["-3", "--no-raw", "client", "getname"]);
        // CLIENT INFO is a RESP3 verbatim string: redis-cli prints it without "txt:".
        const info = await cli(ports.inmemdb, ["-3", "--no-raw", "client", "info"]);
        assert.match(info.stdout, /^id=\d+ .* resp=3 /);
      });

      await t.step("--raw prints bytes as they are", async () => {
        const value = "\x00\x01\xfe\xff\r\n\"quoted\" and 'single'";
        await same(ports, ["-x", "set", "bin"], value);
        const raw = await same(ports, ["--raw", "get", "bin"]);
        assert.equal(raw.stdout, value + "\n");
        await same(ports, ["--no-raw", "get", "bin"]);
        await same(ports, ["--raw", "mget", "bin", "missing", "greeting"]);
        await same(ports, ["--raw", "nosuch"]);
      });

      await t.step("commands typed on stdin", async () => {
        const out = await same(
          ports,
          [],
          "PING\nset typed 'a b'\nget typed\nincr n\nappend typed \"\\x41\"\nget typed\nnosuch\n",
        );
        assert.match(out.stdout, /^PONG\nOK\na b\n1\n4\na bA\n/);
      });
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  },
});
