// COMMAND and its subcommands (INFO, DOCS, COUNT, LIST, GETKEYS, GETKEYSANDFLAGS, HELP), all
// generated from the command records. Mirrors commandCommand and friends in Redis's server.c.
import type { Client } from "../client.ts";
import type { ReplyWriter } from "../resp/writer.ts";
import { ReplyError, SYNTAX } from "../errors.ts";
import { matchGlob } from "../store/glob.ts";
import type { Command, CommandFlag } from "./types.ts";
import { allEntries, lookupCommand, type TableEntry } from "./table.ts";
import { aclCategories, isAclCategory } from "./acl_categories.ts";
import { commandHasKeys, commandKeys, hasMovableKeys, keySpecs } from "./key_specs.ts";
import { commandMeta, type KeySpecDecl } from "./redis_meta.ts";
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
  const specs = keySpecs(command, fullName);
  r.array(10);
  r.bulk(fullName);
  r.integer(command.arity);
  replyCommandFlags(r, command, specs);
  const keys = command.keys ?? { first: 0, last: 0, step: 0 };
  r.integer(keys.first);
  r.integer(keys.last);
  r.integer(keys.step);
  const categories = aclCategories(command, fullName);
  r.set(categories.length);
  for (const category of categories) r.simple("@" + category);
  const tips = commandMeta(command, fullName)?.tips ?? [];
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
    const specCount = keySpecs(entry.command, entry.fullName).length;
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
      return (e) => aclCategories(e.command, e.fullName).includes(category);
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
  if (!commandHasKeys(command, keySpecs(command, fullName))) {
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

function subcommand(
  name: string,
  arity: number,
  since: string,
  summary: string,
  complexity: string,
  syntax: string,
  run: Command["run"],
): Command {
  return {
    name,
    arity,
    flags: ["loading", "stale"],
    group: "server",
    since,
    summary,
    complexity,
    syntax,
    run,
  };
}

const LOOKUP = "O(N) where N is the number of commands to look up";
const ALL = "O(N) where N is the total number of Redis commands";
const ARGS = "O(N) where N is the number of arguments to the command";

const commandSubcommands: Command[] = [
  subcommand("count", 2, "2.8.13", "Returns a count of commands.", "O(1)", "", (c) => {
    c.reply.integer(allEntries().length);
  }),
  subcommand(
    "docs",
    -2,
    "7.0.0",
    "Returns documentary information about one, multiple or all commands.",
    LOOKUP,
    "[command-name [command-name ...]]",
    commandDocs,
  ),
  subcommand(
    "getkeys",
    -4,
    "2.8.13",
    "Extracts the key names from an arbitrary command.",
    ARGS,
    "command [arg [arg ...]]",
    (c, argv) => getKeysSubcommand(c, argv, false),
  ),
  subcommand(
    "getkeysandflags",
    -4,
    "7.0.0",
    "Extracts the key names and access flags for an arbitrary command.",
    ARGS,
    "command [arg [arg ...]]",
    (c, argv) => getKeysSubcommand(c, argv, true),
  ),
  subcommand(
    "help",
    2,
    "5.0.0",
    "Returns helpful text about the different subcommands.",
    "O(1)",
    "",
    (c) => {
      c.reply.array(HELP_LINES.length);
      for (const line of HELP_LINES) c.reply.simple(line);
    },
  ),
  subcommand(
    "info",
    -2,
    "2.8.13",
    "Returns information about one, multiple or all commands.",
    LOOKUP,
    "[command-name [command-name ...]]",
    commandInfo,
  ),
  subcommand(
    "list",
    -2,
    "7.0.0",
    "Returns a list of command names.",
    ALL,
    "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>:filterby]",
    commandList,
  ),
];

const commandCommand: Command = {
  ...subcommand(
    "command",
    -1,
    "2.8.13",
    "Returns detailed information about all commands.",
    ALL,
    "",
    (c) => commandInfo(c, ["command", "info"]),
  ),
  subcommands: commandSubcommands,
};

export const introspectionCommands: Command[] = [commandCommand];
