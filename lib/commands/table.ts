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
import { introspectionCommands } from "./introspection.ts";

export interface TableEntry {
  command: Command;
  /** "get", or "client|list" for a subcommand, as Redis names them in errors and COMMAND. */
  fullName: string;
  subcommands?: Map<string, TableEntry>;
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
  ...introspectionCommands,
];

const table = new Map<string, TableEntry>();
for (const command of COMMANDS) {
  const entry: TableEntry = { command, fullName: command.name };
  if (command.subcommands !== undefined) {
    entry.subcommands = new Map();
    for (const sub of command.subcommands) {
      entry.subcommands.set(sub.name, { command: sub, fullName: `${command.name}|${sub.name}` });
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

/** Every top-level entry (COMMAND, COMMAND LIST, COMMAND COUNT). */
export function allEntries(): TableEntry[] {
  return COMMANDS.map((c) => table.get(c.name)!);
}
