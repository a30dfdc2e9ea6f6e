import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { clientsAllowed } from "./fd_limit.ts";

Deno.test("maxclients fits the open-files limit less 32 reserved descriptors, like Redis", () => {
  assertEquals(clientsAllowed(10000, 1024), 992);
  assertEquals(clientsAllowed(10000, 10032), 10000);
  assertEquals(clientsAllowed(10000, 10031), 9999);
  assertEquals(clientsAllowed(10000, 1048576), 10000);
  assertEquals(clientsAllowed(5, 1024), 5);
  assertEquals(clientsAllowed(10000, null), 10000);
});
