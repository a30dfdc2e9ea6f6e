// Protected mode against redis-server: with protected-mode yes and no password, connections
// from non-loopback addresses get Redis's -DENIED text and are closed. Needs an address of this
// machine that is not loopback (.ci/run adds a dummy interface when there is none).
import { differential, type Servers } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { startInmemdb } from "../helpers/servers.ts";

/** An IPv4 address of this host other than 127.x; the test cannot run without one. */
function outsideAddress(): string {
  const found = Deno.networkInterfaces().find((i) =>
    i.family === "IPv4" && !i.address.startsWith("127.") && !i.address.startsWith("169.254.")
  );
  if (found === undefined) {
    throw new Error(
      "no non-loopback IPv4 address on this host: .ci/run creates one (ip link add ... dummy)",
    );
  }
  return found.address;
}

/** What a server sends to a connection from `hostname` that sends nothing, until it closes. */
async function greeting(hostname: string, port: number): Promise<string> {
  const client = await RawClient.connect(port, hostname);
  try {
    return await client.readToEnd(2000);
  } catch {
    return "(still open)";
  } finally {
    client.close();
  }
}

/** The first reply to PING from `hostname`. */
async function ping(hostname: string, port: number): Promise<string> {
  const client = await RawClient.connect(port, hostname);
  try {
    return await client.call("PING");
  } finally {
    client.close();
  }
}

const BIND_ALL = { inmemdbArgs: ["--bind", "0.0.0.0"], redisArgs: ["--bind", "0.0.0.0"] };

differential("protected mode refuses other hosts when no password is set", async (t, servers) => {
  const outside = outsideAddress();
  const ports = (s: Servers) => [s.inmemdb.port, s.redis.port] as const;
  const [ours, redis] = ports(servers);
  await t.step("-DENIED, then the connection closes", async () => {
    const [a, b] = [await greeting(outside, ours), await greeting(outside, redis)];
    assertEquals(a, b);
    assert(a.startsWith("-DENIED Redis is running in protected mode because protected mode"));
    assert(a.endsWith("\r\n"));
  });
  await t.step("loopback peers are served", async () => {
    assertEquals(await ping("127.0.0.1", ours), "+PONG\r\n");
    assertEquals(await greeting("127.0.0.1", ours), "(still open)");
  });
  await t.step("refused connections are counted like Redis", async () => {
    const both = await servers.connect();
    const rejected = (info: string) => /rejected_connections:(\d+)/.exec(info)?.[1];
    const [a, b] = await both.both("INFO", "stats");
    assertEquals(rejected(a), rejected(b));
    assertEquals(rejected(a), "1");
  });
  await t.step("a password (requirepass or ACL) lets them in to authenticate", async () => {
    const both = await servers.connect();
    await both.check("CONFIG", "SET", "requirepass", "pw");
    assertEquals(await ping(outside, ours), await ping(outside, redis));
    assertEquals(await ping(outside, ours), "-NOAUTH Authentication required.\r\n");
    await both.check("CONFIG", "SET", "requirepass", "");
    assertEquals(await greeting(outside, ours), await greeting(outside, redis));
    await both.check("ACL", "SETUSER", "default", "resetpass");
    assertEquals(await ping(outside, ours), await ping(outside, redis));
    await both.check("ACL", "SETUSER", "default", "nopass");
  });
  await t.step("CONFIG SET protected-mode no opens the door", async () => {
    const both = await servers.connect();
    await both.check("CONFIG", "SET", "protected-mode", "no");
    assertEquals(await ping(outside, ours), "+PONG\r\n");
    assertEquals(await ping(outside, redis), "+PONG\r\n");
    await both.check("CONFIG", "SET", "protected-mode", "yes");
    assertEquals(await greeting(outside, ours), await greeting(outside, redis));
  });
}, BIND_ALL);

Deno.test("the default bind address is loopback only", async () => {
  const outside = outsideAddress();
  const server = await startInmemdb();
  try {
    assertEquals(await ping("127.0.0.1", server.port), "+PONG\r\n");
    let refused = false;
    try {
      (await Deno.connect({ hostname: outside, port: server.port })).close();
    } catch (err) {
      refused = err instanceof Deno.errors.ConnectionRefused;
    }
    assert(refused, `connecting to ${outside}:${server.port} must be refused`);
  } finally {
    await server.stop();
  }
});
