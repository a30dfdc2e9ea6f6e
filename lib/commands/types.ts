// The shape of a command record: everything the dispatcher, COMMAND, COMMAND DOCS, ACL
// categories and the README know about a command comes from one of these.
import type { Client } from "../client.ts";

/** Redis's command flags (as COMMAND INFO reports them, lowercase). */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_async_loading"
  | "allow_busy"
  | "no_multi"
  | "movablekeys";

/** Fixed key positions, Redis's (first, last, step); last -1 means "to the end". */
export interface KeyPositions {
  first: number;
  last: number;
  step: number;
}

export interface Command {
  /** Lowercase name; subcommands carry their own name only ("list" in CLIENT LIST). */
  name: string;
  /** Redis convention: N means exactly N arguments with the name, -N at least N. */
  arity: number;
  flags: CommandFlag[];
  /** Redis's command group (COMMAND DOCS "group"): string, generic, connection, server... */
  group: string;
  /** Redis version that introduced the command. */
  since: string;
  summary: string;
  complexity?: string;
  /**
   * Arguments after the name in Redis's documentation syntax, e.g.
   * `key value [NX | XX] [EX seconds | PX milliseconds]`; COMMAND DOCS is generated from it.
   */
  syntax: string;
  keys?: KeyPositions;
  /** Container commands (CLIENT, CONFIG, COMMAND, OBJECT) dispatch on argv[1]. */
  subcommands?: Command[];
  /** Key positions for commands whose keys move with their arguments. */
  getKeys?(argv: string[]): number[];
  /** Executes the command; synchronous by design (see STYLE.md). */
  run(c: Client, argv: string[]): void;
}
