// Tests through npm client libraries: each starts inmemdb and redis-server, runs the same
// scenario against both, and requires the library to return the same results.
import { assertEquals } from "./assert.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "./servers.ts";

export type Ports = { inmemdb: number; redis: number };
export type Scenario<T> = (port: number) => Promise<T>;

/** Declares a test that gets an inmemdb and a redis-server started for it. */
export function clientTest(
  name: string,
  fn: (t: Deno.TestContext, ports: Ports) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: !redisAvailable(),
    async fn(t) {
      const servers: ServerHandle[] = await Promise.all([startInmemdb(), startRedis()]);
      try {
        await fn(t, { inmemdb: servers[0]!.port, redis: servers[1]!.port });
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    },
  });
}

/** Runs the scenario against both servers; what the client library returns must be equal. */
export async function same<T>(ports: Ports, scenario: Scenario<T>): Promise<T> {
  const [ours, redis] = await Promise.all([scenario(ports.inmemdb), scenario(ports.redis)]);
  assertEquals(ours, redis, "results through the client library");
  return ours;
}
