// Unit tests of INFO's text (lib/commands/info.ts): section selection, layout and number formats.
import assert from "node:assert/strict";
import { bytesToHuman, genInfoString } from "./info.ts";
import { Config } from "../config.ts";
import { Server } from "../server.ts";
import { now } from "../clock.ts";

Deno.test("bytesToHuman formats like Redis's, rounding ties to even like printf", () => {
  assert.equal(bytesToHuman(0), "0B");
  assert.equal(bytesToHuman(1023), "1023B");
  assert.equal(bytesToHuman(1024), "1.00K");
  assert.equal(bytesToHuman(1152), "1.12K"); // exactly 1.125
  assert.equal(bytesToHuman(1171), "1.14K");
  assert.equal(bytesToHuman(3 * 1024 * 1024), "3.00M");
  assert.equal(bytesToHuman(18446744073709551615n), "18446744073709551615B");
});

Deno.test("sections are chosen by name, in any case, and always come in Redis's order", () => {
  const server = new Server(new Config());
  const headers = (args: string[]) =>
    genInfoString(server, args).split("\r\n").filter((l) => l.startsWith("# "));
  assert.deepEqual(headers(["KEYSPACE", "server"]), ["# Server", "# Keyspace"]);
  assert.deepEqual(headers(["nosuch"]), []);
  assert.deepEqual(headers([]), headers(["default"]));
  assert.deepEqual(headers(["everything"]), headers(["all"]));
  assert.equal(
    genInfoString(server, ["cluster", "modules"]),
    "# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n",
  );
});

Deno.test("the keyspace section lists non-empty databases with their expires", () => {
  const server = new Server(new Config());
  const [db0, , db2] = server.keyspace.dbs;
  db0!.set("a", "1");
  db2!.set("b", "2");
  db2!.setExpire("b", now() + 100_000);
  const text = genInfoString(server, ["keyspace"]);
  assert.match(
    text,
    /^# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb2:keys=1,expires=1,avg_ttl=\d+\r\n$/,
  );
  const ttl = Number(/avg_ttl=(\d+)\r\n$/.exec(text)![1]);
  assert.ok(ttl > 90_000 && ttl <= 100_000, `avg_ttl ${ttl}`);
});
