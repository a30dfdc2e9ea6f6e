// INFO errorstats, commandstats and total_error_replies against redis-server: the same
// commands (successes, runtime errors, rejections) give the same counters.
import { assertEquals } from "../helpers/assert.ts";
import { differential } from "../helpers/differential.ts";

/** cmdstat lines without the timings: name -> calls, rejected_calls, failed_calls. */
function commandCounts(info: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of info.split("\r\n")) {
    const m =
      /^cmdstat_([^:]+):calls=(\d+),usec=\d+,usec_per_call=[\d.]+,rejected_calls=(\d+),failed_calls=(\d+)$/
        .exec(line);
    if (m !== null) out[m[1]!] = `calls=${m[2]},rejected=${m[3]},failed=${m[4]}`;
  }
  return out;
}

differential(
  "INFO errorstats, commandstats and total_error_replies count like Redis",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("CONFIG", "RESETSTAT");
    await both.check("SET", "s", "v");
    await both.check("LPUSH", "s", "x"); // WRONGTYPE: a failed call
    await both.check("GET"); // arity: rejected
    await both.check("NOSUCHCOMMAND", "a"); // unknown: counted in errorstats only
    await both.check("CONFIG", "NOSUCHSUB");
    await both.check("INCR", "s"); // ERR value is not an integer
    await both.check("MULTI");
    await both.check("INCR", "s");
    await both.check("SET", "t", "1");
    await both.check("EXEC"); // EXEC, with one failed command inside
    await both.check("HGET", "h", "f");
    await both.check("CONFIG", "GET", "maxmemory");
    await t.step("errorstats and total_error_replies, byte for byte", async () => {
      await both.check("INFO", "errorstats");
      const [ours, redis] = await both.both("INFO", "stats");
      const total = (text: string) => /total_error_replies:(\d+)/.exec(text)?.[1];
      assertEquals(total(ours), total(redis));
    });
    await t.step(
      "commandstats: calls, rejected_calls and failed_calls of each command",
      async () => {
        const [ours, redis] = await both.both("INFO", "commandstats");
        const a = commandCounts(ours), b = commandCounts(redis);
        assertEquals(a, b);
      },
    );
    await t.step("CONFIG RESETSTAT clears both", async () => {
      await both.check("CONFIG", "RESETSTAT");
      await both.check("INFO", "errorstats");
      const [ours, redis] = await both.both("INFO", "commandstats");
      assertEquals(commandCounts(ours), commandCounts(redis));
    });
  },
);
