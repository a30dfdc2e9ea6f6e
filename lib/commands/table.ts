// The command table: every command record, indexed by name. COMMAND, COMMAND DOCS and the
// README's command list are generated from the same records.
import type { Command } from "./types.ts";
import { connectionCommands } from "./connection.ts";
import { stringCommands } from "./strings.ts";
import { keyCommands } from "./keys.ts";
import { listCommands } from "./lists.ts";
import { hashCommands } from "./hashes.ts";
import { setCommands } from "./sets.ts";
import { zsetCommands } from "./zsets.ts";
import { bitmapCommands } from "./bitmaps.ts";
import { hyperloglogCommands } from "./hyperloglog.ts";
import { sortCommands } from "./sort.ts";
import { serverCommands } from "./server.ts";
import { persistenceCommands } from "./persistence.ts";
import { introspectionCommands } from "./introspection.ts";
import { pubsubCommands } from "./pubsub.ts";
import { transactionCommands } from "./transactions.ts";
import { monitorCommands } from "./monitor.ts";
import { aclCommands } from "./acl.ts";
import { memoryCommands } from "./memory.ts";
import { ConfigError, registerDirective } from "../config.ts";
import { type CommandStats, newCommandStats, setCountedCommands } from "./command_stats.ts";

export interface TableEntry {
  command: Command;
  /** "get", or "client|list" for a subcommand, as Redis names them in errors and COMMAND. */
  fullName: string;
  subcommands?: Map<string, TableEntry>;
  /** The name rename-command gave it, if any. */
  alias?: string;
  /** INFO commandstats. */
  stats: CommandStats;
}

/** Every top-level command, in the order of their groups. */
export const COMMANDS: readonly Command[] = [
  ...connectionCommands,
  ...stringCommands,
  ...keyCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...bitmapCommands,
  ...hyperloglogCommands,
  ...sortCommands,
  ...serverCommands,
  ...persistenceCommands,
  ...introspectionCommands,
  ...memoryCommands,
  ...aclCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...monitorCommands,
];

const table = new Map<string, TableEntry>();
const tableEntries = new Map<Command, TableEntry>();
for (const command of COMMANDS) {
  const entry: TableEntry = { command, fullName: command.name, stats: newCommandStats() };
  tableEntries.set(command, entry);
  if (command.subcommands !== undefined) {
    entry.subcommands = new Map();
    for (const sub of command.subcommands) {
      entry.subcommands.set(sub.name, {
        command: sub,
        fullName: `${command.name}|${sub.name}`,
        stats: newCommandStats(),
      });
    }
  }
  if (table.has(command.name)) throw new Error(`duplicate command ${command.name}`);
  // Clients send either case; both spellings are indexed so the common path never lowercases.
  table.set(command.name, entry);
  table.set(command.name.toUpperCase(), entry);
}

/** The entry for a command name in any letter case. */
export function lookupCommand(name: string): TableEntry | undefined {
  return table.get(name) ?? table.get(name.toLowerCase());
}

// INFO commandstats walks the table in its order; subcommands stand for their container.
setCountedCommands(function* () {
  for (const entry of allEntries()) {
    if (entry.subcommands === undefined) yield entry;
    else yield* entry.subcommands.values();
  }
});

/** CONFIG RESETSTAT: every command's counters back to zero. */
export function resetCommandStats(): void {
  // Zeroed in place: CONFIG RESETSTAT itself is counted after the reset, as in Redis.
  const zero = (stats: CommandStats) => Object.assign(stats, newCommandStats());
  for (const entry of tableEntries.values()) {
    zero(entry.stats);
    for (const sub of entry.subcommands?.values() ?? []) zero(sub.stats);
  }
}

/** Entries removed by rename-command (disabled, or reachable under another name only). */
const renamed = new Set<TableEntry>();

/** Every top-level entry clients can call (COMMAND, COMMAND LIST, COMMAND COUNT). */
export function allEntries(): TableEntry[] {
  const entries = COMMANDS.map((c) => tableEntries.get(c)!);
  return renamed.size === 0 ? entries : entries.filter((e) => !renamed.has(e) || e.alias);
}

/**
 * rename-command (config file only): the command answers to `to` instead, or to nothing when
 * `to` is "". It keeps its own name in replies and ACL rules, as in Redis.
 */
function renameCommand(args: string[]): void {
  if (args.length !== 2) throw new ConfigError("Bad directive or wrong number of arguments");
  const [from, to] = args as [string, string];
  const entry = table.get(from.toLowerCase());
  if (entry === undefined) {
    throw new ConfigError("No such command in rename-command");
  }
  if (to !== "" && table.has(to.toLowerCase())) {
    throw new ConfigError("Target command name already exists");
  }
  for (const spelling of [from.toLowerCase(), from.toUpperCase()]) table.delete(spelling);
  renamed.add(entry);
  entry.alias = undefined;
  if (to !== "") {
    entry.alias = to.toLowerCase();
    table.set(to.toLowerCase(), entry);
    table.set(to.toUpperCase(), entry);
  }
}
registerDirective("rename-command", renameCommand);
