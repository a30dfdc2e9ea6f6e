// AUTH and the ACL command (SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, LOG,
// LOAD, SAVE, DRYRUN, HELP). Mirrors authCommand and aclCommand in Redis's acl.c.
import type { Client } from "../client.ts";
import { NOT_INTEGER, ReplyError, SYNTAX, wrongArity, WRONGPASS } from "../errors.ts";
import { parseInteger } from "../util/numbers.ts";
import { checkUserCommandPerm, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY } from "../acl.ts";
import {
  aclCommandOf,
  categoryFlag,
  everyAclCommand,
  hasSpaces,
  mergeSelectorArguments,
  ruleErrorText,
  type Selector,
  type User,
} from "../acl_user.ts";
import { ACL_CATEGORIES } from "./acl_categories.ts";
import { lookupCommand } from "./table.ts";
import type { Command } from "./types.ts";

/** The text C's "%s" shows: up to the first NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** addReplySubcommandSyntaxError: right subcommand, wrong number of arguments. */
function subcommandSyntaxError(argv: string[]): ReplyError {
  return new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${
      cstr(argv[1]!).slice(0, 128)
    }'. Try ACL HELP.`,
  );
}

const NO_ACLFILE = "ERR This Redis instance is not configured to use an ACL file. You may want " +
  "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you " +
  "have a Redis configuration file set) in order to store users in the Redis configuration.";

const authCommand: Command = {
  name: "auth",
  arity: -2,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  group: "connection",
  since: "1.0.0",
  summary: "Authenticates the connection.",
  complexity: "O(N) where N is the number of passwords defined for the user",
  syntax: "[username] password",
  run(c, argv) {
    if (argv.length > 3) throw new ReplyError(SYNTAX);
    const acl = c.server.acl;
    let username = "default";
    let password = argv[1]!;
    if (argv.length === 2) {
      // The old one-argument form keeps its error when no password is configured.
      if (acl.defaultUser.nopass) {
        throw new ReplyError(
          "ERR AUTH <password> called without any password configured for the default user. " +
            "Are you sure your configuration is correct?",
        );
      }
    } else {
      username = argv[1]!;
      password = argv[2]!;
    }
    if (!acl.authenticate(c, username, password, argv[0]!)) throw new ReplyError(WRONGPASS);
    c.reply.ok();
  },
};

/** ACL SETUSER: every modifier is tried on a copy; the user changes only if all are valid. */
function setUser(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  const username = argv[2]!;
  if (hasSpaces(username)) {
    throw new ReplyError("ERR Usernames can't contain spaces or null characters");
  }
  const rules = mergeSelectorArguments(argv.slice(3));
  if (typeof rules === "number") {
    throw new ReplyError(
      `ERR Unmatched parenthesis in acl selector starting at '${cstr(argv[3 + rules]!)}'.`,
    );
  }
  const staged = acl.newUser(username);
  const existing = acl.users.get(username);
  if (existing !== undefined) staged.copyFrom(existing);
  for (const rule of rules) {
    const error = staged.apply(rule);
    if (error !== null) {
      throw new ReplyError(
        `ERR Error in ACL SETUSER modifier '${cstr(rule)}': ${ruleErrorText(error)}`,
      );
    }
  }
  if (existing !== undefined) acl.killPubsubClientsIfNeeded(staged, existing);
  let u = existing;
  if (u === undefined) {
    u = acl.newUser(username);
    acl.users.set(username, u);
  }
  u.copyFrom(staged);
  if (u === acl.defaultUser) acl.defaultUserChanged();
  c.reply.ok();
}

/** One selector's part of ACL GETUSER: commands, keys, channels. */
function replySelector(c: Client, s: Selector): void {
  c.reply.bulk("commands");
  c.reply.bulk(s.describeCommands());
  c.reply.bulk("keys");
  c.reply.bulk(s.describeKeys());
  c.reply.bulk("channels");
  c.reply.bulk(s.describeChannels());
}

function getUser(c: Client, u: User): void {
  const r = c.reply;
  r.map(6);
  r.bulk("flags");
  const flags = u.flagNames();
  r.set(flags.length);
  for (const flag of flags) r.bulk(flag);
  r.bulk("passwords");
  r.array(u.passwords.length);
  for (const hash of u.passwords) r.bulk(hash);
  replySelector(c, u.root);
  r.bulk("selectors");
  r.array(u.selectors.length - 1);
  for (const s of u.selectors.slice(1)) {
    r.map(3);
    replySelector(c, s);
  }
}

const REASONS: Record<number, string> = {
  [DENIED_CMD]: "command",
  [DENIED_KEY]: "key",
  [DENIED_CHANNEL]: "channel",
  3: "auth",
};

function replyLog(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  let count = 10;
  if (argv.length === 3) {
    if (cstr(argv[2]!).toLowerCase() === "reset") {
      acl.log = [];
      c.reply.ok();
      return;
    }
    const n = parseInteger(argv[2]!);
    if (n === null) throw new ReplyError(NOT_INTEGER);
    count = Math.max(0, Number(n));
  }
  const entries = acl.log.slice(0, count);
  const now = Date.now();
  const r = c.reply;
  r.array(entries.length);
  for (const e of entries) {
    r.map(7);
    r.bulk("count");
    r.integer(e.count);
    r.bulk("reason");
    r.bulk(REASONS[e.reason]!);
    r.bulk("context");
    r.bulk(e.context);
    r.bulk("object");
    r.bulk(e.object);
    r.bulk("username");
    r.bulk(e.username);
    r.bulk("age-seconds");
    r.double((now - e.ctime) / 1000);
    r.bulk("client-info");
    r.bulk(e.cinfo);
  }
}

/** ACL DRYRUN: the verdict the dispatcher would give, as text, without running anything. */
function dryRun(c: Client, argv: string[]): void {
  const u = c.server.acl.users.get(argv[2]!);
  if (u === undefined) throw new ReplyError(`ERR User '${cstr(argv[2]!)}' not found`);
  const line = argv.slice(3);
  // The command table as clients see it (renamed commands under their new names).
  let entry = lookupCommand(line[0]!);
  if (entry?.subcommands !== undefined && line.length >= 2) {
    entry = entry.subcommands.get(line[1]!.toLowerCase());
  }
  if (entry === undefined) throw new ReplyError(`ERR Command '${cstr(line[0]!)}' not found`);
  const arity = entry.command.arity;
  if ((arity > 0 && arity !== line.length) || line.length < -arity) {
    throw new ReplyError(wrongArity(entry.fullName));
  }
  const denial = checkUserCommandPerm(u, aclCommandOf(entry.command)!, line);
  if (denial === null) {
    c.reply.ok();
  } else if (denial.reason === DENIED_CMD) {
    c.reply.bulk(`This user has no permissions to run the '${entry.fullName}' command`);
  } else {
    const what = denial.reason === DENIED_KEY ? "key" : "channel";
    c.reply.bulk(`This user has no permissions to access the '${line[denial.pos]}' ${what}`);
  }
}

/** Redis's own ACL HELP text (addReplyHelp). */
const HELP = [
  "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CAT [<category>]",
  "    List all commands that belong to <category>, or all command categories",
  "    when no category is specified.",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "DRYRUN <username> <command> [<arg> ...]",
  "    Returns whether the user can execute the given command without executing the command.",
  "GETUSER <username>",
  "    Get the user's details.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "LOAD",
  "    Reload users from the ACL file.",
  "LOG [<count> | RESET]",
  "    Show the ACL log entries.",
  "SAVE",
  "    Save the current config to the ACL file.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
  "HELP",
  "    Prints this help.",
];

const ADMIN: Command["flags"] = ["admin", "noscript", "loading", "stale"];
const PLAIN: Command["flags"] = ["noscript", "loading", "stale"];

const aclSubcommands: Command[] = [
  {
    name: "setuser",
    arity: -3,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Creates and modifies an ACL user and its rules.",
    complexity: "O(N). Where N is the number of rules provided.",
    syntax: "username [rule [rule ...]]",
    run: setUser,
  },
  {
    name: "getuser",
    arity: 3,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Lists the ACL rules of a user.",
    complexity:
      "O(N). Where N is the number of password, command and pattern rules that the user has.",
    syntax: "username",
    run(c, argv) {
      const u = c.server.acl.users.get(argv[2]!);
      if (u === undefined) c.reply.nullBulk();
      else getUser(c, u);
    },
  },
  {
    name: "deluser",
    arity: -3,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Deletes ACL users, and terminates their connections.",
    complexity: "O(1) amortized time considering the typical user.",
    syntax: "username [username ...]",
    run(c, argv) {
      const acl = c.server.acl;
      const names = argv.slice(2);
      if (names.includes("default")) {
        throw new ReplyError("ERR The 'default' user cannot be removed");
      }
      let deleted = 0;
      for (const name of names) {
        const u = acl.users.get(name);
        if (u === undefined) continue;
        acl.users.delete(name);
        acl.killClientsOf(u, c);
        deleted++;
      }
      c.reply.integer(deleted);
    },
  },
  {
    name: "list",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Dumps the effective rules in ACL file format.",
    complexity: "O(N). Where N is the number of configured users.",
    syntax: "",
    run(c) {
      const users = c.server.acl.sortedUsers();
      c.reply.array(users.length);
      for (const u of users) c.reply.bulk(`user ${u.name} ${u.describe()}`);
    },
  },
  {
    name: "users",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Lists all ACL users.",
    complexity: "O(N). Where N is the number of configured users.",
    syntax: "",
    run(c) {
      const users = c.server.acl.sortedUsers();
      c.reply.array(users.length);
      for (const u of users) c.reply.bulk(u.name);
    },
  },
  {
    name: "whoami",
    arity: 2,
    flags: PLAIN,
    group: "server",
    since: "6.0.0",
    summary: "Returns the authenticated username of the current connection.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.bulk(c.user.name);
    },
  },
  {
    name: "cat",
    arity: -2,
    flags: PLAIN,
    group: "server",
    since: "6.0.0",
    summary: "Lists the ACL categories, or the commands inside a category.",
    complexity: "O(1) since the categories and commands are a fixed set.",
    syntax: "[categoryname]",
    run(c, argv) {
      if (argv.length > 3) throw subcommandSyntaxError(argv);
      if (argv.length === 2) {
        c.reply.array(ACL_CATEGORIES.length);
        for (const name of ACL_CATEGORIES) c.reply.bulk(name);
        return;
      }
      const flag = categoryFlag(cstr(argv[2]!));
      if (flag === 0) {
        throw new ReplyError(`ERR Unknown category '${cstr(argv[2]!).slice(0, 128)}'`);
      }
      const names: string[] = [];
      for (const cmd of everyAclCommand()) if (cmd.categories & flag) names.push(cmd.fullName);
      c.reply.array(names.length);
      for (const name of names) c.reply.bulk(name);
    },
  },
  {
    name: "genpass",
    arity: -2,
    flags: PLAIN,
    group: "server",
    since: "6.0.0",
    summary: "Generates a pseudorandom, secure password that can be used to identify ACL users.",
    complexity: "O(1)",
    syntax: "[bits:integer]",
    run(c, argv) {
      if (argv.length > 3) throw subcommandSyntaxError(argv);
      let bits = 256;
      if (argv.length === 3) {
        const n = parseInteger(argv[2]!);
        if (n === null) throw new ReplyError(NOT_INTEGER);
        bits = Number(n);
      }
      if (bits <= 0 || bits > 4096) {
        throw new ReplyError(
          "ERR ACL GENPASS argument must be the number of bits for the output password, a " +
            "positive number up to 4096",
        );
      }
      const chars = Math.floor((bits + 3) / 4);
      const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)));
      const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
      c.reply.bulk(hex.slice(0, chars));
    },
  },
  {
    name: "log",
    arity: -2,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Lists recent security events generated due to ACL rules.",
    complexity: "O(N) with N being the number of entries shown.",
    syntax: "[count:integer | RESET]:operation",
    run(c, argv) {
      if (argv.length > 3) throw subcommandSyntaxError(argv);
      replyLog(c, argv);
    },
  },
  {
    name: "load",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Reloads the rules from the configured ACL file.",
    complexity: "O(N). Where N is the number of configured users.",
    syntax: "",
    run(c) {
      const path = c.server.config.str("aclfile");
      if (path === "") throw new ReplyError(NO_ACLFILE);
      const errors = c.server.acl.loadFromFile(path, c);
      if (errors !== null) throw new ReplyError(`ERR ${errors}`);
      c.reply.ok();
    },
  },
  {
    name: "save",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "6.0.0",
    summary: "Saves the effective ACL rules in the configured ACL file.",
    complexity: "O(N). Where N is the number of configured users.",
    syntax: "",
    run(c) {
      const path = c.server.config.str("aclfile");
      if (path === "") throw new ReplyError(NO_ACLFILE);
      if (!c.server.acl.saveToFile(path)) {
        throw new ReplyError(
          "ERR There was an error trying to save the ACLs. Please check the server logs for " +
            "more information",
        );
      }
      c.reply.ok();
    },
  },
  {
    name: "dryrun",
    arity: -4,
    flags: ADMIN,
    group: "server",
    since: "7.0.0",
    summary: "Simulates the execution of a command by a user, without executing the command.",
    complexity: "O(1).",
    syntax: "username command [arg [arg ...]]",
    run: dryRun,
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    since: "6.0.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.array(HELP.length);
      for (const line of HELP) c.reply.simple(line);
    },
  },
];

const aclCommand: Command = {
  name: "acl",
  arity: -2,
  flags: [],
  group: "server",
  since: "6.0.0",
  summary: "A container for Access List Control commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: aclSubcommands,
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};

export const aclCommands: Command[] = [authCommand, aclCommand];
