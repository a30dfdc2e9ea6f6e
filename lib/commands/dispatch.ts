// processCommand: from argv to a handler, with the checks every command gets from its record
// (existence, subcommand, arity). Mirrors processCommand/call in Redis's server.c.
import type { Client } from "../client.ts";
import { INTERNAL, ReplyError, unknownCommand, unknownSubcommand, wrongArity } from "../errors.ts";
import { tick } from "../clock.ts";
import { lookupCommand, type TableEntry } from "./table.ts";
import { handleClientsBlockedOnKeys, haveReadyKeys } from "../blocking.ts";

/** How many processCommand calls are running (more than one inside EXEC or a script). */
let nesting = 0;

/** Executes one command for the client, appending its reply. */
export function processCommand(c: Client, argv: string[]): void {
  tick();
  let entry: TableEntry | undefined = lookupCommand(argv[0]!);
  if (entry === undefined) {
    c.reply.error(unknownCommand(argv[0]!, argv.slice(1)));
    return;
  }
  if (entry.subcommands !== undefined && argv.length >= 2) {
    const sub = entry.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      c.reply.error(unknownSubcommand(argv[1]!, argv[0]!));
      return;
    }
    entry = sub;
  }
  const arity = entry.command.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
    c.reply.error(wrongArity(entry.fullName));
    return;
  }
  c.server.stats.totalCommands++;
  c.lastCommand = entry.fullName;
  const mark = c.reply.len;
  nesting++;
  try {
    entry.command.run(c, argv);
  } catch (err) {
    // A handler validates before replying, but never leave half a reply behind.
    c.reply.truncate(mark);
    if (err instanceof ReplyError) {
      c.reply.error(err.message);
    } else {
      c.server.log("warning", `Internal error in '${entry.fullName}': ${(err as Error).stack}`);
      c.reply.error(INTERNAL);
    }
  } finally {
    nesting--;
  }
  // Keys the command filled for blocked clients are served before the next command runs;
  // a command run by another one (EXEC) leaves that to the outermost, which is atomic.
  if (nesting === 0 && haveReadyKeys()) handleClientsBlockedOnKeys();
}
