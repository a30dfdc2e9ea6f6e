// DEBUG: the subcommands that make sense without Redis's C internals (SLEEP, SET-ACTIVE-EXPIRE,
// LOG, ERROR). Mirrors debugCommand in Redis's debug.c, including its error texts.
import type { Client } from "../client.ts";
import { ReplyError } from "../errors.ts";
import { allowProtectedAction, replyHelp } from "./config.ts";
import type { Command } from "./types.ts";
import { leadingInteger } from "../util/numbers.ts";

const NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to " +
  '"local", you can run it from a local connection, otherwise you need to set this option in ' +
  "the configuration file, and then restart the server.";

/** C's strtod on a prefix: what Redis's DEBUG SLEEP reads ("abc" is 0, "0.5s" is 0.5). */
function strtodPrefix(s: string): number {
  const m =
    /^[\t\n\v\f\r ]*([+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?))/i
      .exec(s);
  if (m === null) return 0;
  const text = m[1]!.toLowerCase();
  if (text.includes("inf")) return text.startsWith("-") ? -Infinity : Infinity;
  return Number(text);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the whole process, as Redis's nanosleep blocks its event loop. */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

const HELP = [
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
];

function debugCommandRun(c: Client, argv: string[]): void {
  if (!allowProtectedAction(c.server.config.str("enable-debug-command"), c)) {
    throw new ReplyError(NOT_ALLOWED);
  }
  const sub = argv[1]!.toLowerCase();
  if (sub === "help" && argv.length === 2) {
    replyHelp(c, argv[0]!.toUpperCase(), HELP);
  } else if (sub === "sleep" && argv.length === 3) {
    // Redis converts to whole microseconds before sleeping.
    sleepSync(Math.trunc(strtodPrefix(argv[2]!) * 1_000_000) / 1000);
    c.reply.ok();
  } else if (sub === "set-active-expire" && argv.length === 3) {
    c.server.keyspace.activeExpireEnabled = (leadingInteger(argv[2]!) | 0) !== 0;
    c.reply.ok();
  } else if (sub === "log" && argv.length === 3) {
    c.server.log("warning", `DEBUG LOG: ${argv[2]}`);
    c.reply.ok();
  } else if (sub === "error" && argv.length === 3) {
    c.reply.error(argv[2]!);
  } else {
    throw new ReplyError(
      `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. ` +
        `Try ${argv[0]!.toUpperCase()} HELP.`,
    );
  }
}

export const debugCommand: Command = {
  name: "debug",
  arity: -2,
  flags: ["admin", "noscript", "loading", "stale"],
  group: "server",
  since: "1.0.0",
  summary: "A container for debugging commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  run: debugCommandRun,
};
