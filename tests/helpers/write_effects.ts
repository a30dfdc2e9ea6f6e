// What each write does besides its reply, on redis-server and inmemdb: keyspace notifications,
// commands propagated (Redis's from its real append-only file) and the dirty counter.
import { Config } from "../../lib/config.ts";
import { Server } from "../../lib/server.ts";
import { Client } from "../../lib/client.ts";
import { processCommand } from "../../lib/commands/dispatch.ts";
import { addPropagationSink, removePropagationSink } from "../../lib/propagate.ts";
import { setEventPublisher } from "../../lib/keyspace_events.ts";
import { activeExpireCycle } from "../../lib/store/expiry.ts";
import { encodeCommand, RawClient, str } from "./resp_client.ts";
import { startRedis } from "./servers.ts";

/**
 * A step is a command for the main connection, or a directive:
 * - ["@b", ...argv]: sends argv on a second connection without waiting (a blocking command);
 *   the step waits until the server has blocked it. ["@b-reply"] records its reply.
 * - ["@b-call", ...argv]: runs argv on the second connection (SELECT before blocking).
 * - ["@wait-expired", key]: waits until the key's TTL has passed (KEYS no longer lists it,
 *   and KEYS does not delete it).
 * - ["@active-expire", n]: lets the active expiry cycle run until the db holds n keys.
 * - ["@random", ...argv]: a command with a random outcome (SPOP count): its reply and the
 *   members it propagates are compared by shape only.
 */
export type Step = string[];

/** The observable effects of one step. */
export interface Effect {
  step: string;
  reply: string;
  /** "channel message" for each keyspace notification, in order. */
  events: string[];
  /** "db: arg arg..." for each propagated command, in order. */
  aof: string[];
  /** How much the dirty counter grew. */
  dirty: number;
}

/** Runs cases and returns the effects of each of their steps. */
export interface Target {
  run(steps: Step[]): Promise<Effect[]>;
  close(): Promise<void>;
}

const FENCE = "write-effects-fence";

/** Parses the RESP arrays of an append-only file (a byte string) into argv lists. */
export function parseAof(text: string): string[][] {
  const out: string[][] = [];
  let at = 0;
  while (at < text.length) {
    const eol = text.indexOf("\r\n", at);
    if (text[at] !== "*" || eol < 0) throw new Error(`bad AOF at ${at}`);
    const n = Number(text.slice(at + 1, eol));
    at = eol + 2;
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      const end = text.indexOf("\r\n", at);
      const len = Number(text.slice(at + 1, end));
      argv.push(text.slice(end + 2, end + 2 + len));
      at = end + 2 + len + 2;
    }
    out.push(argv);
  }
  return out;
}

function label(argv: string[]): string {
  return argv.map((a) => /^[\x21-\x7e]*$/.test(a) && a !== "" ? a : JSON.stringify(a)).join(" ");
}

/** Decodes the pmessage/message pushes a subscriber received, as "channel message". */
function messages(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  const bulk = (): string => {
    const eol = text.indexOf("\r\n", at);
    const len = Number(text.slice(at + 1, eol));
    const s = text.slice(eol + 2, eol + 2 + len);
    at = eol + 2 + len + 2;
    return s;
  };
  while (at < text.length) {
    const eol = text.indexOf("\r\n", at);
    const n = Number(text.slice(at + 1, eol));
    at = eol + 2;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(bulk());
    if (parts[0] === "pmessage") out.push(`${parts[2]} ${parts[3]}`);
    else if (parts[0] === "message") out.push(`${parts[1]} ${parts[2]}`);
  }
  return out;
}

/** The arguments that make a server notify every class and expire keys only when asked. */
export const NOTIFY_ALL_ARGS = [
  "--notify-keyspace-events",
  "KEAnm",
  "--enable-debug-command",
  "yes",
];

/**
 * redis-server with the AOF on (appendfsync always, read back after every step) and every
 * notification class.
 */
export async function redisTarget(): Promise<Target> {
  const dir = await Deno.makeTempDir({ prefix: "write-effects-" });
  const server = await startRedis([
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--dir",
    dir,
    ...NOTIFY_ALL_ARGS,
  ]);
  const target = await wireTarget(server.port, `${dir}/appendonlydir/appendonly.aof.1.incr.aof`);
  return {
    run: (steps) => target.run(steps),
    async close() {
      await target.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * A server over the wire (started with NOTIFY_ALL_ARGS): notifications through a PSUBSCRIBE
 * connection, dirty from INFO, propagation from the append-only file when there is one.
 */
export async function wireTarget(port: number, aofPath: string | null): Promise<Target> {
  const a = await RawClient.connect(port);
  const b = await RawClient.connect(port);
  const sub = await RawClient.connect(port);
  await sub.call("PSUBSCRIBE", "__key*__:*");
  await sub.call("SUBSCRIBE", FENCE);
  await a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
  let aofOffset = 0;
  let aofDb = 0;
  let pendingB = 0;

  const readAof = (): string[] => {
    if (aofPath === null) return [];
    const bytes = Deno.readFileSync(aofPath);
    const text = str(bytes.subarray(aofOffset));
    aofOffset = bytes.length;
    const out: string[] = [];
    for (const argv of parseAof(text)) {
      if (argv[0]!.toUpperCase() === "SELECT") aofDb = Number(argv[1]);
      else out.push(`${aofDb}: ${label(argv)}`);
    }
    return out;
  };
  const dirty = async (): Promise<number> => {
    const info = await a.call("INFO", "persistence");
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  };
  const events = async (): Promise<string[]> => {
    await a.call("PUBLISH", FENCE, "x");
    let text = "";
    for (;;) {
      const reply = await sub.replyText();
      if (reply.includes(FENCE)) return messages(text);
      text += reply;
    }
  };
  const blocked = async (): Promise<number> => {
    const info = await a.call("INFO", "clients");
    return Number(/blocked_clients:(\d+)/.exec(info)![1]);
  };

  return {
    async run(steps) {
      await a.call("SELECT", "0");
      await b.call("SELECT", "0");
      await a.call("FLUSHALL");
      await events();
      readAof();
      let before = await dirty();
      const out: Effect[] = [];
      for (const step of steps) {
        let reply = "";
        if (step[0] === "@b") {
          const was = await blocked();
          await b.send(encodeCommand(step.slice(1)));
          pendingB++;
          const until = Date.now() + 5000;
          while ((await blocked()) === was) {
            if (Date.now() > until) throw new Error(`${label(step)} did not block`);
            await new Promise((r) => setTimeout(r, 2));
          }
        } else if (step[0] === "@b-reply") {
          reply = await b.replyText();
          pendingB--;
        } else if (step[0] === "@b-call") {
          reply = await b.call(...step.slice(1));
        } else if (step[0] === "@wait-expired") {
          while ((await a.call("KEYS", step[1]!)) !== "*0\r\n") {
            await new Promise((r) => setTimeout(r, 2));
          }
        } else if (step[0] === "@active-expire") {
          await a.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
          while ((await a.call("DBSIZE")) !== `:${step[1]}\r\n`) {
            await new Promise((r) => setTimeout(r, 5));
          }
          await a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        } else {
          reply = await a.call(...(step[0] === "@random" ? step.slice(1) : step));
        }
        const after = await dirty();
        out.push({
          step: label(step),
          reply,
          events: await events(),
          aof: readAof(),
          dirty: after - before,
        });
        before = after;
      }
      if (pendingB !== 0) throw new Error("a case left a blocked client without @b-reply");
      return out;
    },
    close() {
      a.close();
      b.close();
      sub.close();
      return Promise.resolve();
    },
  };
}

/**
 * inmemdb in this process: a Server that does not listen, clients without sockets, commands
 * through processCommand, a capturing propagation sink and event publisher.
 */
export function inmemdbTarget(): Target {
  const config = new Config();
  config.load("enable-debug-command", ["yes"]);
  config.load("save", [""]);
  const server = new Server(config);
  const a = new Client(server, null);
  const b = new Client(server, null);
  server.clients.set(a.id, a);
  server.clients.set(b.id, b);
  let published: string[] = [];
  let propagated: string[] = [];
  const sink = (db: number, argv: string[]) => propagated.push(`${db}: ${label(argv)}`);
  addPropagationSink(sink);
  setEventPublisher((channel, message) => published.push(`${channel} ${message}`));
  server.keyspace.activeExpireEnabled = false;

  const take = (c: Client): string => {
    const out = str(c.reply.bytes());
    c.reply.consume(c.reply.len);
    return out;
  };
  const call = (c: Client, ...argv: string[]): string => {
    processCommand(c, argv);
    return take(c);
  };
  call(a, "CONFIG", "SET", "notify-keyspace-events", "KEAnm");

  return {
    run(steps) {
      call(a, "SELECT", "0");
      call(b, "SELECT", "0");
      call(a, "FLUSHALL");
      published = [];
      propagated = [];
      return (async () => {
        const out: Effect[] = [];
        for (const step of steps) {
          const before = server.keyspace.dirty;
          let reply = "";
          if (step[0] === "@b") {
            processCommand(b, step.slice(1));
          } else if (step[0] === "@b-reply") {
            reply = take(b);
          } else if (step[0] === "@b-call") {
            reply = call(b, ...step.slice(1));
          } else if (step[0] === "@wait-expired") {
            while (call(a, "KEYS", step[1]!) !== "*0\r\n") {
              await new Promise((r) => setTimeout(r, 2));
            }
          } else if (step[0] === "@active-expire") {
            server.keyspace.activeExpireEnabled = true;
            while (a.db.size !== Number(step[1])) activeExpireCycle(server.keyspace, 25);
            server.keyspace.activeExpireEnabled = false;
          } else {
            reply = call(a, ...(step[0] === "@random" ? step.slice(1) : step));
          }
          out.push({
            step: label(step),
            reply,
            events: published,
            aof: propagated,
            dirty: server.keyspace.dirty - before,
          });
          published = [];
          propagated = [];
        }
        return out;
      })();
    },
    close() {
      removePropagationSink(sink);
      setEventPublisher(null);
      return Promise.resolve();
    },
  };
}

/** Within this many ms, two absolute times (PXAT, PEXPIREAT arguments) count as equal. */
const TIME_TOLERANCE = 10_000;

function sameAof(ours: string, redis: string, random: boolean): boolean {
  if (ours === redis) return true;
  const a = ours.split(" "), b = redis.split(" ");
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    if (random && i > 2) return true;
    const y = b[i]!;
    if (x === y) return true;
    return /^\d{12,}$/.test(x) && /^\d{12,}$/.test(y) &&
      Math.abs(Number(x) - Number(y)) <= TIME_TOLERANCE;
  });
}

/**
 * Redis 7.0 wraps a write that found a key expired in MULTI/EXEC with the DEL it propagates.
 * inmemdb does the same once the dispatcher queues through lib/propagate.ts's alsoPropagate;
 * while it keeps its own queue, the expiry's DEL goes out first and alone. Such a Redis
 * sequence is compared without its wrapper.
 */
function unwrapExpiry(ours: string[], redis: string[]): string[] {
  const n = redis.length;
  if (n < 4 || !/^\d+: MULTI$/.test(redis[0]!) || !/^\d+: EXEC$/.test(redis[n - 1]!)) return redis;
  const inner = redis.slice(1, -1);
  const expiredDel = /^\d+: (DEL|UNLINK) \S+$/.test(inner[0]!);
  return expiredDel && ours.length === inner.length && ours[0] === inner[0] ? inner : redis;
}

/**
 * The differences between two runs of the same steps, as readable lines (empty: the same).
 * `aof: false` leaves propagation out (a target that cannot observe it).
 */
export function compareEffects(
  ours: Effect[],
  redis: Effect[],
  options: { aof: boolean } = { aof: true },
): string[] {
  const diffs: string[] = [];
  for (let i = 0; i < redis.length; i++) {
    const o = ours[i]!, r = redis[i]!;
    const where = `step ${i + 1} (${r.step})`;
    const random = r.step.startsWith("@random");
    if (random ? o.reply[0] !== r.reply[0] : o.reply !== r.reply) {
      diffs.push(`${where}: reply ${JSON.stringify(o.reply)} vs redis ${JSON.stringify(r.reply)}`);
    }
    if (o.events.join("\n") !== r.events.join("\n")) {
      diffs.push(
        `${where}: events\n  ours:  ${o.events.join(" | ")}\n  redis: ${r.events.join(" | ")}`,
      );
    }
    const rAof = unwrapExpiry(o.aof, r.aof);
    if (
      options.aof &&
      (o.aof.length !== rAof.length || o.aof.some((line, j) => !sameAof(line, rAof[j]!, random)))
    ) {
      diffs.push(`${where}: aof\n  ours:  ${o.aof.join(" | ")}\n  redis: ${rAof.join(" | ")}`);
    }
    if (o.dirty !== r.dirty) diffs.push(`${where}: dirty ${o.dirty} vs redis ${r.dirty}`);
  }
  return diffs;
}
