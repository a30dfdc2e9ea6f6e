// processCommand: from argv to a handler, with the checks every command gets from its record
// (existence, subcommand, arity). Mirrors processCommand/call in Redis's server.c.
import type { Client } from "../client.ts";
import { INTERNAL, ReplyError, unknownCommand, unknownSubcommand, wrongArity } from "../errors.ts";
import { tick } from "../clock.ts";
import { lookupCommand, type TableEntry } from "./table.ts";
import { handleClientsBlockedOnKeys, haveReadyKeys } from "../blocking.ts";
import { checkCommandAccess } from "../acl.ts";
import { performEvictions } from "../store/eviction.ts";
import { propagate, propagating } from "../propagate.ts";

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

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
  const denied = checkCommandAccess(c, entry, argv);
  if (denied !== null) {
    c.reply.error(denied);
    return;
  }
  const command = entry.command;
  const maxmemory = c.server.config.num("maxmemory");
  if (
    maxmemory !== 0 && command.flags.includes("denyoom") &&
    !performEvictions(c.server.keyspace, maxmemory)
  ) {
    c.reply.error(OOM);
    return;
  }
  call(c, entry, argv);
}

/**
 * Runs the handler and what follows a command: propagation of writes, and serving clients
 * blocked on keys the command filled. Redis's call().
 */
export function call(c: Client, entry: TableEntry, argv: string[]): void {
  const keyspace = c.server.keyspace;
  c.server.stats.totalCommands++;
  c.lastCommand = entry.fullName;
  const mark = c.reply.len;
  const dirty = keyspace.dirty;
  const dbIndex = c.db.id;
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
  if (keyspace.dirty !== dirty && propagating()) {
    propagate(dbIndex, c.propagateAs ?? [argv]);
  }
  c.propagateAs = null;
  // Keys the command filled for blocked clients are served before the next command runs;
  // a command run by another one (EXEC) leaves that to the outermost, which is atomic.
  if (nesting === 0 && haveReadyKeys()) handleClientsBlockedOnKeys();
}
