// COMMAND and its subcommands (INFO, DOCS, COUNT, LIST, GETKEYS, GETKEYSANDFLAGS, HELP), all
// generated from the command records. Mirrors commandCommand and friends in Redis's server.c.
import type { Client } from "../client.ts";
import type { ReplyWriter } from "../resp/writer.ts";
import { ReplyError, SYNTAX } from "../errors.ts";
import { matchGlob } from "../store/glob.ts";
import type { Command, CommandFlag, CommandMeta, KeySpecDecl } from "./types.ts";
import { allEntries, lookupCommand, type TableEntry } from "./table.ts";
import { aclCategories, isAclCategory } from "./acl_categories.ts";
import { commandHasKeys, commandKeys, hasMovableKeys, keySpecs } from "./key_specs.ts";
import { type DocArg, parseSyntax } from "./docs.ts";

/** Command flags in the order COMMAND INFO lists them (addReplyFlagsForCommand). */
const FLAG_ORDER: readonly string[] = [
  "write",
  "readonly",
  "denyoom",
  "module",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "asking",
  "fast",
  "no_auth",
  "no_mandatory_keys",
  "no_async_loading",
  "no_multi",
  "movablekeys",
  "allow_busy",
];

/** The entry for a name as COMMAND INFO/DOCS accept it: "get" or "client|list" (lookupCommandBySds). */
function lookupByFullName(name: string): TableEntry | undefined {
  const parts = name.split("|");
  if (parts.length === 1) return lookupCommand(name);
  if (parts.length !== 2) return undefined;
  return lookupCommand(parts[0]!)?.subcommands?.get(parts[1]!.toLowerCase());
}

/** Every entry with its subcommands after it, as COMMAND LIST walks them. */
function* everyEntry(): Generator<TableEntry> {
  for (const entry of allEntries()) {
    yield entry;
    if (entry.subcommands !== undefined) yield* entry.subcommands.values();
  }
}

function replyCommandFlags(r: ReplyWriter, command: Command, specs: KeySpecDecl[]): void {
  const flags = new Set<string>(command.flags);
  if (hasMovableKeys(specs)) flags.add("movablekeys" satisfies CommandFlag);
  const shown = FLAG_ORDER.filter((f) => flags.has(f));
  r.set(shown.length);
  for (const flag of shown) r.simple(flag);
}

function replyKeySpec(r: ReplyWriter, spec: KeySpecDecl): void {
  r.map(spec.notes === undefined ? 3 : 4);
  if (spec.notes !== undefined) {
    r.bulk("notes");
    r.bulk(spec.notes);
  }
  r.bulk("flags");
  const flags = spec.flags.split(" ");
  r.set(flags.length);
  for (const flag of flags) r.simple(flag);
  r.bulk("begin_search");
  r.map(2);
  r.bulk("type");
  if (spec.index !== undefined) {
    r.bulk("index");
    r.bulk("spec");
    r.map(1);
    r.bulk("index");
    r.integer(spec.index);
  } else if (spec.keyword !== undefined) {
    r.bulk("keyword");
    r.bulk("spec");
    r.map(2);
    r.bulk("keyword");
    r.bulk(spec.keyword[0]);
    r.bulk("startfrom");
    r.integer(spec.keyword[1]);
  } else {
    r.bulk("unknown");
    r.bulk("spec");
    r.map(0);
  }
  r.bulk("find_keys");
  r.map(2);
  r.bulk("type");
  const find = spec.range ?? spec.keynum;
  const names = spec.range !== undefined
    ? ["lastkey", "keystep", "limit"]
    : ["keynumidx", "firstkey", "keystep"];
  r.bulk(find === undefined ? "unknown" : spec.range !== undefined ? "range" : "keynum");
  r.bulk("spec");
  r.map(find === undefined ? 0 : 3);
  find?.forEach((value, i) => {
    r.bulk(names[i]!);
    r.integer(value);
  });
}

/** One COMMAND INFO entry, or null for an unknown name (addReplyCommandInfo). */
function replyCommandInfo(r: ReplyWriter, entry: TableEntry | undefined): void {
  if (entry === undefined) {
    r.nullBulk();
    return;
  }
  const { command, fullName } = entry;
  const specs = keySpecs(command);
  r.array(10);
  r.bulk(fullName);
  r.integer(command.arity);
  replyCommandFlags(r, command, specs);
  const keys = command.keys ?? { first: 0, last: 0, step: 0 };
  r.integer(keys.first);
  r.integer(keys.last);
  r.integer(keys.step);
  const categories = aclCategories(command);
  r.set(categories.length);
  for (const category of categories) r.simple("@" + category);
  const tips = command.meta?.tips ?? [];
  r.set(tips.length);
  for (const tip of tips) r.bulk(tip);
  r.set(specs.length);
  for (const spec of specs) replyKeySpec(r, spec);
  if (entry.subcommands === undefined) {
    r.set(0);
  } else {
    r.array(entry.subcommands.size);
    for (const sub of entry.subcommands.values()) replyCommandInfo(r, sub);
  }
}

const docArgsCache = new Map<Command, DocArg[]>();

function docArgs(entry: TableEntry): DocArg[] {
  let args = docArgsCache.get(entry.command);
  if (args === undefined) {
    const specCount = keySpecs(entry.command).length;
    args = parseSyntax(entry.command.syntax, specCount);
    docArgsCache.set(entry.command, args);
  }
  return args;
}

function replyDocArgs(r: ReplyWriter, args: DocArg[]): void {
  r.array(args.length);
  for (const arg of args) {
    r.map(
      2 + (arg.keySpecIndex !== undefined ? 1 : 0) + (arg.token !== undefined ? 1 : 0) +
        (arg.flags.length > 0 ? 1 : 0) + (arg.arguments !== undefined ? 1 : 0),
    );
    r.bulk("name");
    r.bulk(arg.name);
    r.bulk("type");
    r.bulk(arg.type);
    if (arg.keySpecIndex !== undefined) {
      r.bulk("key_spec_index");
      r.integer(arg.keySpecIndex);
    }
    if (arg.token !== undefined) {
      r.bulk("token");
      r.bulk(arg.token);
    }
    if (arg.flags.length > 0) {
      r.bulk("flags");
      r.set(arg.flags.length);
      for (const flag of arg.flags) r.simple(flag);
    }
    if (arg.arguments !== undefined) {
      r.bulk("arguments");
      replyDocArgs(r, arg.arguments);
    }
  }
}

/** One COMMAND DOCS value (addReplyCommandDocs). */
function replyCommandDocs(r: ReplyWriter, entry: TableEntry): void {
  const { command } = entry;
  const args = docArgs(entry);
  r.map(
    3 + (command.complexity !== undefined ? 1 : 0) + (args.length > 0 ? 1 : 0) +
      (entry.subcommands !== undefined ? 1 : 0),
  );
  r.bulk("summary");
  r.bulk(command.summary);
  r.bulk("since");
  r.bulk(command.since);
  r.bulk("group");
  r.bulk(command.group);
  if (command.complexity !== undefined) {
    r.bulk("complexity");
    r.bulk(command.complexity);
  }
  if (args.length > 0) {
    r.bulk("arguments");
    replyDocArgs(r, args);
  }
  if (entry.subcommands !== undefined) {
    r.bulk("subcommands");
    r.map(entry.subcommands.size);
    for (const sub of entry.subcommands.values()) {
      r.bulk(sub.fullName);
      replyCommandDocs(r, sub);
    }
  }
}

function commandInfo(c: Client, argv: string[]): void {
  if (argv.length <= 2) {
    const entries = allEntries();
    c.reply.array(entries.length);
    for (const entry of entries) replyCommandInfo(c.reply, entry);
    return;
  }
  c.reply.array(argv.length - 2);
  for (const name of argv.slice(2)) replyCommandInfo(c.reply, lookupByFullName(name));
}

function commandDocs(c: Client, argv: string[]): void {
  const entries = argv.length === 2
    ? allEntries()
    : argv.slice(2).map(lookupByFullName).filter((e) => e !== undefined);
  c.reply.map(entries.length);
  for (const entry of entries) {
    c.reply.bulk(entry.fullName);
    replyCommandDocs(c.reply, entry);
  }
}

/** COMMAND LIST's filter: at most one FILTERBY, and it must be the whole rest of the line. */
function listFilter(argv: string[]): (entry: TableEntry) => boolean {
  if (argv.length === 2) return () => true;
  if (argv.length !== 5 || argv[2]!.toLowerCase() !== "filterby") throw new ReplyError(SYNTAX);
  const arg = argv[4]!;
  switch (argv[3]!.toLowerCase()) {
    case "module":
      return () => false;
    case "aclcat": {
      // An unknown category filters everything out, like Redis.
      const category = arg.toLowerCase();
      if (!isAclCategory(category)) return () => false;
      return (e) => aclCategories(e.command).includes(category);
    }
    case "pattern":
      return (e) => matchGlob(arg, e.fullName, true);
    default:
      throw new ReplyError(SYNTAX);
  }
}

function commandList(c: Client, argv: string[]): void {
  const keep = listFilter(argv);
  const names = [...everyEntry()].filter(keep).map((e) => e.fullName);
  c.reply.array(names.length);
  for (const name of names) c.reply.bulk(name);
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS (getKeysSubcommandImpl). */
function getKeysSubcommand(c: Client, argv: string[], withFlags: boolean): void {
  const line = argv.slice(2);
  let entry = lookupCommand(line[0]!);
  if (entry?.subcommands !== undefined && line.length > 1) {
    entry = entry.subcommands.get(line[1]!.toLowerCase());
  }
  if (entry === undefined) throw new ReplyError("ERR Invalid command specified");
  const { command, fullName } = entry;
  if (!commandHasKeys(command, keySpecs(command))) {
    throw new ReplyError("ERR The command has no key arguments");
  }
  const arity = command.arity;
  if ((arity > 0 && arity !== line.length) || line.length < -arity) {
    throw new ReplyError("ERR Invalid number of arguments specified for command");
  }
  const keys = commandKeys(command, fullName, line);
  if (keys.length === 0 && !command.flags.includes("no_mandatory_keys")) {
    throw new ReplyError("ERR Invalid arguments specified for command");
  }
  c.reply.array(keys.length);
  for (const key of keys) {
    if (withFlags) c.reply.array(2);
    c.reply.bulk(line[key.pos]!);
    if (!withFlags) continue;
    c.reply.set(key.flags.length);
    for (const flag of key.flags) c.reply.simple(flag);
  }
}

const HELP_LINES = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

/** What COMMAND and its subcommands share; Redis 7.0 puts them all in @connection. */
const COMMAND_RECORD: Pick<Command, "flags" | "group" | "meta"> = {
  flags: ["loading", "stale"],
  group: "server",
  meta: { acl: "connection" },
};

/** Those whose replies list commands in the table's order. */
const ORDERED: CommandMeta = { acl: "connection", tips: ["nondeterministic_output_order"] };

const LOOKUP = "O(N) where N is the number of commands to look up";
const ALL = "O(N) where N is the total number of Redis commands";
const ARGS = "O(N) where N is the number of arguments to the command";

const commandSubcommands: Command[] = [
  {
    ...COMMAND_RECORD,
    name: "count",
    arity: 2,
    since: "2.8.13",
    summary: "Returns a count of commands.",
    complexity: "O(1)",
    syntax: "",
    run: (c) => {
      c.reply.integer(allEntries().length);
    },
  },
  {
    ...COMMAND_RECORD,
    name: "docs",
    arity: -2,
    since: "7.0.0",
    summary: "Returns documentary information about one, multiple or all commands.",
    complexity: LOOKUP,
    syntax: "[command-name [command-name ...]]",
    meta: ORDERED,
    run: commandDocs,
  },
  {
    ...COMMAND_RECORD,
    name: "getkeys",
    arity: -4,
    since: "2.8.13",
    summary: "Extracts the key names from an arbitrary command.",
    complexity: ARGS,
    syntax: "command [arg [arg ...]]",
    run: (c, argv) => getKeysSubcommand(c, argv, false),
  },
  {
    ...COMMAND_RECORD,
    name: "getkeysandflags",
    arity: -4,
    since: "7.0.0",
    summary: "Extracts the key names and access flags for an arbitrary command.",
    complexity: ARGS,
    syntax: "command [arg [arg ...]]",
    run: (c, argv) => getKeysSubcommand(c, argv, true),
  },
  {
    ...COMMAND_RECORD,
    name: "help",
    arity: 2,
    since: "5.0.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    run: (c) => {
      c.reply.array(HELP_LINES.length);
      for (const line of HELP_LINES) c.reply.simple(line);
    },
  },
  {
    ...COMMAND_RECORD,
    name: "info",
    arity: -2,
    since: "2.8.13",
    summary: "Returns information about one, multiple or all commands.",
    complexity: LOOKUP,
    syntax: "[command-name [command-name ...]]",
    meta: ORDERED,
    run: commandInfo,
  },
  {
    ...COMMAND_RECORD,
    name: "list",
    arity: -2,
    since: "7.0.0",
    summary: "Returns a list of command names.",
    complexity: ALL,
    syntax: "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>:filterby]",
    meta: ORDERED,
    run: commandList,
  },
];

const commandCommand: Command = {
  ...COMMAND_RECORD,
  name: "command",
  arity: -1,
  since: "2.8.13",
  summary: "Returns detailed information about all commands.",
  complexity: ALL,
  syntax: "",
  meta: ORDERED,
  subcommands: commandSubcommands,
  run: (c) => commandInfo(c, ["command", "info"]),
};

export const introspectionCommands: Command[] = [commandCommand];
