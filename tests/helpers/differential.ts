// Differential testing: the same commands go to inmemdb and to redis-server, and the raw reply
// bytes must be equal. Redis is the source of truth for reply shapes and error text.
import { assertEquals } from "./assert.ts";
import { encodeCommand, RawClient } from "./resp_client.ts";
import { redisAvailable, type ServerHandle, startInmemdb, startRedis } from "./servers.ts";

/** One connection to each server, used in lockstep. */
export class Both {
  constructor(readonly ours: RawClient, readonly redis: RawClient) {}

  /** Sends a command to both; their replies must be byte-identical. Returns the reply. */
  async check(...args: string[]): Promise<string> {
    return await this.checkRaw(encodeCommand(args), args.join(" "));
  }

  /** Sends raw request bytes to both and compares the next reply of each. */
  async checkRaw(request: Uint8Array | string, label = JSON.stringify(request)): Promise<string> {
    await Promise.all([this.ours.send(request), this.redis.send(request)]);
    const [ours, redis] = await Promise.all([this.ours.replyText(), this.redis.replyText()]);
    assertEquals(ours, redis, `reply to ${label}`);
    return ours;
  }

  /** Like check, but integer replies may differ by `tolerance` (TTLs, times). */
  async checkNear(tolerance: number, ...args: string[]): Promise<[string, string]> {
    const request = encodeCommand(args);
    await Promise.all([this.ours.send(request), this.redis.send(request)]);
    const [ours, redis] = await Promise.all([this.ours.replyText(), this.redis.replyText()]);
    const a = /^:(-?\d+)\r\n$/.exec(ours), b = /^:(-?\d+)\r\n$/.exec(redis);
    if (a === null || b === null) assertEquals(ours, redis, `reply to ${args.join(" ")}`);
    else if (Math.abs(Number(a[1]) - Number(b[1])) > tolerance) {
      throw new Error(`${args.join(" ")}: ${ours.trim()} vs redis ${redis.trim()} (±${tolerance})`);
    }
    return [ours, redis];
  }

  /** For replies whose element order is unspecified (KEYS): compares sorted elements. */
  async checkUnordered(...args: string[]): Promise<string[]> {
    const request = encodeCommand(args);
    await Promise.all([this.ours.send(request), this.redis.send(request)]);
    const [ours, redis] = await Promise.all([this.ours.replyText(), this.redis.replyText()]);
    const a = splitTopArray(ours), b = splitTopArray(redis);
    assertEquals(a, b, `elements of the reply to ${args.join(" ")}`);
    return a;
  }

  /** Sends to both without comparing (setup whose replies legitimately differ). */
  async both(...args: string[]): Promise<[string, string]> {
    const request = encodeCommand(args);
    await Promise.all([this.ours.send(request), this.redis.send(request)]);
    return await Promise.all([this.ours.replyText(), this.redis.replyText()]);
  }

  close(): void {
    this.ours.close();
    this.redis.close();
  }
}

/** The elements of a flat array reply of bulk strings, sorted; or the reply itself. */
function splitTopArray(reply: string): string[] {
  const m = /^\*(\d+)\r\n/.exec(reply);
  if (m === null) return [reply];
  const out: string[] = [];
  let pos = m[0].length;
  for (let i = 0; i < Number(m[1]); i++) {
    const h = /^\$(-?\d+)\r\n/.exec(reply.slice(pos));
    if (h === null) return [reply];
    const len = Number(h[1]);
    pos += h[0].length;
    if (len < 0) {
      out.push("(nil)");
      continue;
    }
    out.push(reply.slice(pos, pos + len));
    pos += len + 2;
  }
  return out.sort();
}

export interface Servers {
  inmemdb: ServerHandle;
  redis: ServerHandle;
  /** A fresh pair of connections (FLUSHALL is not sent: callers decide). */
  connect(): Promise<Both>;
}

/**
 * Declares a Deno test that starts inmemdb and redis-server once and runs `fn` with them.
 * Without redis-server the test is reported as ignored (and fails under CI=true).
 */
export function differential(
  name: string,
  fn: (t: Deno.TestContext, servers: Servers) => Promise<void>,
  options: { inmemdbArgs?: string[]; redisArgs?: string[] } = {},
): void {
  Deno.test({
    name,
    ignore: !redisAvailable(),
    async fn(t) {
      const [inmemdb, redis] = await Promise.all([
        startInmemdb(options.inmemdbArgs),
        startRedis(options.redisArgs),
      ]);
      const opened: Both[] = [];
      try {
        await fn(t, {
          inmemdb,
          redis,
          async connect() {
            const both = new Both(
              await RawClient.connect(inmemdb.port),
              await RawClient.connect(redis.port),
            );
            opened.push(both);
            return both;
          },
        });
      } finally {
        for (const both of opened) both.close();
        await Promise.all([inmemdb.stop(), redis.stop()]);
      }
    },
  });
}

/**
 * Runs each case as a step on one connection pair after FLUSHALL: the common shape of a
 * differential suite. A case is a list of commands whose replies must match.
 */
export function differentialCases(
  name: string,
  cases: Record<string, string[][]>,
  options: { inmemdbArgs?: string[]; redisArgs?: string[] } = {},
): void {
  differential(name, async (t, servers) => {
    const both = await servers.connect();
    for (const [caseName, commands] of Object.entries(cases)) {
      await t.step(caseName, async () => {
        await both.check("FLUSHALL");
        for (const command of commands) await both.check(...command);
      });
    }
  }, options);
}
