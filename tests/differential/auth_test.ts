// Authentication against redis-server: requirepass, AUTH in both forms, HELLO AUTH, RESET, the
// NOAUTH limits on unauthenticated clients, and the ACL log entries of failed logins.
import { type Both, differential } from "../helpers/differential.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { decode, plain } from "../helpers/resp_decode.ts";
import type { RawClient } from "../helpers/resp_client.ts";

const PASS = "s3cret";
const withPass = { inmemdbArgs: ["--requirepass", PASS], redisArgs: ["--requirepass", PASS] };

/** HELLO's map with the connection id taken out (ids differ between the servers). */
function withoutId(reply: string): string {
  return reply.replace(/(\$2\r\nid\r\n:)\d+\r\n/, "$1<id>\r\n");
}

async function checkHello(both: Both, ...args: string[]): Promise<void> {
  const [ours, redis] = await both.both("HELLO", ...args);
  assertEquals(withoutId(ours), withoutId(redis), `reply to HELLO ${args.join(" ")}`);
}

/** ACL LOG entries without the fields that differ by nature (age, client details). */
async function logEntries(client: RawClient, ...args: string[]): Promise<unknown[]> {
  const entries = plain(decode(await client.call("ACL", "LOG", ...args))) as unknown[][];
  return entries.map((flat) => {
    const entry: Record<string, unknown> = {};
    for (let i = 0; i < flat.length; i += 2) entry[flat[i] as string] = flat[i + 1];
    assert(typeof entry["age-seconds"] === "string", "age-seconds is a double");
    assert(/^id=\d+ addr=/.test(entry["client-info"] as string), "client-info is a CLIENT line");
    delete entry["age-seconds"];
    delete entry["client-info"];
    return entry;
  });
}

differential("requirepass: every command but AUTH/HELLO/QUIT needs a login", async (t, servers) => {
  await t.step("before AUTH: NOAUTH, but unknown commands and arity errors first", async () => {
    const both = await servers.connect();
    for (
      const cmd of [
        ["PING"],
        ["GET", "k"],
        ["nosuch", "x"],
        ["GET"],
        ["CLIENT", "LIST"],
        ["ACL", "WHOAMI"],
        ["AUTH"],
        ["AUTH", "a", "b", "c"],
        ["AUTH", "wrong"],
        ["AUTH", "bob", PASS],
        ["AUTH", "default", "wrong"],
        ["HELLO", "3"],
        ["HELLO"],
        ["HELLO", "3", "AUTH", "default", "nope"],
        ["HELLO", "4"],
        ["HELLO", "3", "SETNAME", "a b"],
      ]
    ) await both.check(...cmd);
    await both.check("QUIT");
  });

  await t.step("AUTH password, AUTH default password, and RESET logs out", async () => {
    const both = await servers.connect();
    await both.check("AUTH", PASS);
    await both.check("PING");
    await both.check("ACL", "WHOAMI");
    await both.check("RESET");
    await both.check("PING");
    await both.check("AUTH", "default", PASS);
    await both.check("SET", "k", "v");
    await both.check("GET", "k");
  });

  await t.step("HELLO AUTH logs in; SETNAME before a failing AUTH still applies", async () => {
    const both = await servers.connect();
    await both.check("HELLO", "3", "SETNAME", "first", "AUTH", "default", "wrong");
    await checkHello(both, "2", "AUTH", "default", PASS, "SETNAME", "second");
    await both.check("CLIENT", "GETNAME");
    const again = await servers.connect();
    await again.check("HELLO", "3", "SETNAME", "early");
    await again.check("AUTH", PASS);
    await again.check("CLIENT", "GETNAME");
    await again.check("HELLO", "3", "AUTH", "default", PASS, "SETNAME", "bad name");
    await again.check("PING");
    await checkHello(again, "3", "AUTH", "default", PASS);
    await again.check("ACL", "WHOAMI");
  });

  await t.step("unauthenticated clients may not send big frames", async () => {
    for (
      const frame of [
        "*11\r\n",
        "*2\r\n$3\r\nGET\r\n$16385\r\n",
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n",
      ]
    ) {
      const both = await servers.connect();
      await both.checkRaw(frame);
      assertEquals(await both.ours.readToEnd(), await both.redis.readToEnd(), "then closed");
    }
    const both = await servers.connect();
    await both.check("AUTH", PASS);
    await both.check("FLUSHALL");
    const args = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await both.check("MGET", ...args);
    await both.check("SET", "big", "x".repeat(20000));
    await both.check("STRLEN", "big");
  });

  await t.step("failed logins are in the ACL log with the name tried", async () => {
    const both = await servers.connect();
    await both.check("AUTH", PASS);
    await both.check("ACL", "LOG", "RESET");
    const other = await servers.connect();
    await other.check("AUTH", "nobody", "x");
    await other.check("auth", "wrong");
    await other.check("auth", "wrong");
    await other.check("HELLO", "3", "AUTH", "default", "bad");
    const entries = await logEntries(both.ours);
    assertEquals(entries, await logEntries(both.redis));
    assertEquals(entries.length, 3);
    assertEquals(await logEntries(both.ours, "1"), await logEntries(both.redis, "1"));
  });

  await t.step("CONFIG SET requirepass changes the password for new logins only", async () => {
    const both = await servers.connect();
    await both.check("AUTH", PASS);
    await both.check("CONFIG", "SET", "requirepass", "");
    const fresh = await servers.connect();
    await fresh.check("PING");
    await fresh.check("AUTH", "anything");
    await fresh.check("AUTH", "default", "anything");
    await both.check("CONFIG", "GET", "requirepass");
    await both.check("CONFIG", "SET", "requirepass", "other");
    // Connected while no password was needed: still logged in.
    await fresh.check("PING");
    const late = await servers.connect();
    await late.check("PING");
    await late.check("AUTH", PASS);
    await late.check("AUTH", "other");
    await late.check("CONFIG", "SET", "requirepass", PASS);
    await late.check("PING");
  });
}, withPass);

differential(
  "without a password AUTH explains, HELLO AUTH accepts any password",
  async (t, servers) => {
    const both = await servers.connect();
    await t.step("AUTH", async () => {
      await both.check("AUTH", "x");
      await both.check("AUTH", "default", "x");
      await both.check("AUTH", "nobody", "x");
      await both.check("ACL", "WHOAMI");
    });
    await t.step("HELLO", async () => {
      await checkHello(both, "3", "AUTH", "default", "whatever");
      await checkHello(both, "2", "AUTH", "nobody", "whatever");
    });
  },
);

Deno.test("AUTH compares passwords by digest: a long wrong password costs the same check", async () => {
  // Not a timing measurement (too noisy for CI): the password is never compared as text, so
  // no prefix of the right password gets further than any other string.
  const { hashPassword, sameDigest } = await import("../../lib/acl_user.ts");
  const right = hashPassword(PASS);
  assertEquals(right.length, 64);
  assert(sameDigest(right, hashPassword(PASS)));
  for (const wrong of ["", "s", "s3cre", "s3cret!", "x".repeat(10000)]) {
    assert(!sameDigest(right, hashPassword(wrong)));
  }
  assertEquals(
    hashPassword("foobar"),
    "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2",
  );
});
