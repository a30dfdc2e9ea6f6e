// TLS (tls-port) against redis-server: redis-cli --tls with and without client certificates
// under each tls-auth-clients mode, large replies through the TLS socket, and startup errors.
// Certificates are made here with openssl (installed by .ci/run).
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/resp_client.ts";
import { decode, plain } from "../helpers/resp_decode.ts";
import {
  freePort,
  redisAvailable,
  type ServerHandle,
  startInmemdb,
  startRedis,
} from "../helpers/servers.ts";

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const result = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  return { code: result.code, out };
}

/** A CA, a server certificate for 127.0.0.1, a client certificate, and an unrelated one. */
async function makeCertificates(dir: string): Promise<void> {
  const ssl = async (...args: string[]) => {
    const { code, out } = await run("openssl", args);
    if (code !== 0) throw new Error(`openssl ${args.join(" ")}: ${out}`);
  };
  const subj = (cn: string) => ["-subj", `/CN=${cn}`];
  await ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    ...subj("Test CA"),
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    `${dir}/ca.crt`,
  );
  await Deno.writeTextFile(`${dir}/server.ext`, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await Deno.writeTextFile(`${dir}/client.ext`, "extendedKeyUsage=clientAuth\n");
  for (const name of ["server", "client"]) {
    await ssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      ...subj(name),
      "-keyout",
      `${dir}/${name}.key`,
      "-out",
      `${dir}/${name}.csr`,
    );
    await ssl(
      "x509",
      "-req",
      "-days",
      "2",
      "-in",
      `${dir}/${name}.csr`,
      "-CA",
      `${dir}/ca.crt`,
      "-CAkey",
      `${dir}/ca.key`,
      "-CAcreateserial",
      "-extfile",
      `${dir}/${name}.ext`,
      "-out",
      `${dir}/${name}.crt`,
    );
  }
  await ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    ...subj("rogue"),
    "-keyout",
    `${dir}/rogue.key`,
    "-out",
    `${dir}/rogue.crt`,
  );
}

/** redis-cli over TLS to a port, with a client certificate or not; the reply text or null. */
async function cli(dir: string, port: number, cert: string | null, ...args: string[]) {
  const certArgs = cert === null
    ? []
    : ["--cert", `${dir}/${cert}.crt`, "--key", `${dir}/${cert}.key`];
  const { code, out } = await run("redis-cli", [
    "-p",
    String(port),
    "--tls",
    "--cacert",
    `${dir}/ca.crt`,
    ...certArgs,
    ...args,
  ]);
  return code === 0 && !out.startsWith("Error") && !out.includes("Could not connect")
    ? out.trim()
    : null;
}

/** Polls until a TLS command succeeds or fails as expected (the listener reopens in the background). */
async function eventually(fn: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tlsArgs(dir: string, tlsPort: number, auth: string): string[] {
  return [
    "--tls-port",
    String(tlsPort),
    "--tls-cert-file",
    `${dir}/server.crt`,
    "--tls-key-file",
    `${dir}/server.key`,
    "--tls-ca-cert-file",
    `${dir}/ca.crt`,
    "--tls-auth-clients",
    auth,
  ];
}

Deno.test({
  name: "TLS: redis-cli --tls with and without client certificates, like redis-server",
  ignore: !redisAvailable(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "inmemdb-tls-" });
    const servers: ServerHandle[] = [];
    try {
      await makeCertificates(dir);
      const ourTls = freePort(), redisTls = freePort();
      servers.push(await startInmemdb(tlsArgs(dir, ourTls, "yes")));
      servers.push(await startRedis(tlsArgs(dir, redisTls, "yes")));
      const [ours, redis] = servers as [ServerHandle, ServerHandle];
      const both = [[ourTls, ours], [redisTls, redis]] as const;
      await eventually(async () => await cli(dir, ourTls, "client", "PING") === "PONG", "TLS up");

      await t.step(
        "tls-auth-clients yes: only a certificate signed by the CA gets in",
        async () => {
          for (const [port] of both) {
            assertEquals(await cli(dir, port, "client", "PING"), "PONG");
            assertEquals(await cli(dir, port, null, "PING"), null);
            assertEquals(await cli(dir, port, "rogue", "PING"), null);
          }
        },
      );
      await t.step("commands and large values over TLS; the plain port still works", async () => {
        const big = "x".repeat(3 * 1024 * 1024);
        for (const [port, server] of both) {
          assertEquals(await cli(dir, port, "client", "SET", "k", "v"), "OK");
          assertEquals(await cli(dir, port, "client", "GET", "k"), "v");
          const plain = await run("redis-cli", ["-p", String(server.port), "GET", "k"]);
          assertEquals(plain.out.trim(), "v");
          // Written through the plain port, read back (3 MB) through TLS.
          const writer = await RawClient.connect(server.port);
          assertEquals(await writer.call("SET", "big", big), "+OK\r\n");
          writer.close();
          assertEquals(await cli(dir, port, "client", "STRLEN", "big"), String(big.length));
          const got = await cli(dir, port, "client", "GET", "big");
          assertEquals(got?.length, big.length);
        }
      });
      await t.step("the TLS port does not speak plain RESP", async () => {
        for (const [port] of both) {
          const { out } = await run("redis-cli", ["-p", String(port), "PING"]);
          assert(!out.includes("PONG"), `plain PING on the TLS port: ${out}`);
        }
      });
      await t.step("CONFIG SET tls-auth-clients no / optional", async () => {
        for (const [, server] of both) {
          await run("redis-cli", [
            "-p",
            String(server.port),
            "CONFIG",
            "SET",
            "tls-auth-clients",
            "no",
          ]);
        }
        for (const [port] of both) {
          await eventually(async () => await cli(dir, port, null, "PING") === "PONG", "auth no");
        }
        for (const [, server] of both) {
          await run("redis-cli", [
            "-p",
            String(server.port),
            "CONFIG",
            "SET",
            "tls-auth-clients",
            "optional",
          ]);
        }
        for (const [port] of both) {
          await eventually(async () => await cli(dir, port, "rogue", "PING") === null, "optional");
          assertEquals(await cli(dir, port, null, "PING"), "PONG");
          assertEquals(await cli(dir, port, "client", "PING"), "PONG");
        }
      });
      await t.step("CONFIG GET tls-* agrees", async () => {
        const config = async (port: number) => {
          const client = await RawClient.connect(port);
          const flat = plain(decode(await client.call("CONFIG", "GET", "tls-*"))) as string[];
          client.close();
          const pairs: [string, string][] = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
          // Each server has its own TLS port.
          return pairs.filter(([name]) => name !== "tls-port").sort();
        };
        assertEquals(await config(ours.port), await config(redis.port));
      });
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "TLS misconfiguration stops the server at startup, as in Redis",
  ignore: !redisAvailable(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "inmemdb-tls-" });
    try {
      await makeCertificates(dir);
      const cases = [
        ["--tls-port", String(freePort())],
        [
          "--tls-port",
          String(freePort()),
          "--tls-cert-file",
          `${dir}/server.crt`,
          "--tls-key-file",
          `${dir}/server.key`,
        ],
      ];
      for (const args of cases) {
        const port = String(freePort());
        const ours = await run(Deno.execPath(), [
          "run",
          "--allow-all",
          new URL("../../main.ts", import.meta.url).pathname,
          "--port",
          port,
          "--save",
          "",
          ...args,
        ]);
        const redis = await run("redis-server", ["--port", port, "--save", "", ...args]);
        assertEquals([ours.code, redis.code], [1, 1], ours.out);
        const reasons = (out: string) =>
          out.split("\n").map((l) => l.replace(/^.* [#*] /, "")).filter((l) =>
            /tls|TLS/.test(l) && !/tls port=|Exiting/.test(l)
          );
        assertEquals(reasons(ours.out), reasons(redis.out));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
