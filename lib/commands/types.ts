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

/** A key specification as Redis declares it (src/commands/*.json "key_specs"). */
export interface KeySpecDecl {
  notes?: string;
  /** Key spec flags in Redis's order, space separated: "RW access delete". */
  flags: string;
  /** begin_search: an argument index, or [keyword, startfrom]; neither means unknown. */
  index?: number;
  keyword?: [string, number];
  /** find_keys: range [lastkey, keystep, limit] or keynum [keynumidx, firstkey, keystep]. */
  range?: [number, number, number];
  keynum?: [number, number, number];
}

/** What Redis 7.0 declares for a command beyond our fields (src/commands/*.json). */
export interface CommandMeta {
  /** Redis's explicit ACL categories (without "@"), replacing the group's default one. */
  acl?: string;
  /** Flags of the single key spec derived from the record's `keys`, when not the default. */
  keyFlags?: string;
  /** Notes of that derived key spec. */
  notes?: string;
  /** The key specs, when the record's `keys` range does not describe them. */
  keySpecs?: KeySpecDecl[];
  tips?: string[];
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
  /** ACL categories, key spec flags and tips where they differ from the derived defaults. */
  meta?: CommandMeta;
  /** Container commands (CLIENT, CONFIG, COMMAND, OBJECT) dispatch on argv[1]. */
  subcommands?: Command[];
  /**
   * Key positions for commands whose keys move with their arguments; an entry may carry its
   * key spec flags ("OW update") when they are not those of the spec that covers it.
   */
  getKeys?(argv: string[]): (number | { pos: number; flags: string })[];
  /** Executes the command; synchronous by design (see STYLE.md). */
  run(c: Client, argv: string[]): void;
}
