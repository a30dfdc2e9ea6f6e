// Connection commands: PING, ECHO, QUIT, HELLO, SELECT, RESET and CLIENT.
// Mirrors the connection group of Redis's server.c and networking.c (clientCommand).
import type { Client } from "../client.ts";
import { unblockClientByRequest } from "../blocking.ts";
import { INVALID_DB, NOT_INTEGER, ReplyError, SYNTAX, UNBLOCK_REASON } from "../errors.ts";
import { parseInteger } from "../util/numbers.ts";
import { VERSION } from "../version.ts";
import { isOption } from "./args.ts";
import { helpReply } from "./help.ts";
import type { Command } from "./types.ts";

const pingCommand: Command = {
  name: "ping",
  arity: -1,
  flags: ["fast"],
  group: "connection",
  since: "1.0.0",
  summary: "Returns the server's liveliness response.",
  complexity: "O(1)",
  syntax: "[message]",
  run(c, argv) {
    if (argv.length > 2) throw new ReplyError("ERR wrong number of arguments for 'ping' command");
    if (argv.length === 2) c.reply.bulk(argv[1]!);
    else c.reply.simple("PONG");
  },
};

const echoCommand: Command = {
  name: "echo",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  group: "connection",
  since: "1.0.0",
  summary: "Returns the given string.",
  complexity: "O(1)",
  syntax: "message",
  run(c, argv) {
    c.reply.bulk(argv[1]!);
  },
};

const quitCommand: Command = {
  name: "quit",
  arity: -1,
  flags: ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"],
  group: "connection",
  since: "1.0.0",
  summary: "Closes the connection.",
  complexity: "O(1)",
  syntax: "",
  run(c) {
    c.reply.ok();
    c.closeAfterReply = true;
  },
};

const INT_MIN = -2147483648, INT_MAX = 2147483647;

/** An argument as Redis's strcasecmp/strcmp and "%s" see it: cut at the first NUL byte. */
function cstr(arg: string): string {
  const nul = arg.indexOf("\0");
  return nul < 0 ? arg : arg.slice(0, nul);
}

/** Case-insensitive match of an argument against a lowercase option, C-string style. */
function isOpt(arg: string, lowercase: string): boolean {
  return isOption(cstr(arg), lowercase);
}

const selectCommand: Command = {
  name: "select",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  group: "connection",
  since: "1.0.0",
  summary: "Changes the selected database.",
  complexity: "O(1)",
  syntax: "index:integer",
  run(c, argv) {
    // getIntFromObjectOrReply: an int64, then the C int range, then the database count.
    const index = parseInteger(argv[1]!);
    if (index === null) throw new ReplyError(NOT_INTEGER);
    if (typeof index !== "number" || index < INT_MIN || index > INT_MAX) {
      throw new ReplyError(
        `ERR value is out of range, value must between ${INT_MIN} and ${INT_MAX}`,
      );
    }
    const db = c.server.keyspace.dbs[index];
    if (db === undefined) throw new ReplyError(INVALID_DB);
    c.db = db;
    c.reply.ok();
  },
};

/** Names shown by CLIENT LIST may only use printable ASCII without spaces. */
function validName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

const BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

/** HELLO's server map (the handshake of RESP3 clients). */
function helloReply(c: Client): void {
  const r = c.reply;
  r.map(7);
  r.bulk("server");
  r.bulk("redis");
  r.bulk("version");
  r.bulk(VERSION.redis);
  r.bulk("proto");
  r.integer(c.resp);
  r.bulk("id");
  r.integer(c.id);
  r.bulk("mode");
  r.bulk("standalone");
  r.bulk("role");
  r.bulk("master");
  r.bulk("modules");
  r.array(0);
}

const helloCommand: Command = {
  name: "hello",
  arity: -1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  group: "connection",
  since: "6.0.0",
  summary: "Handshakes with the Redis server.",
  complexity: "O(1)",
  syntax: "[protover:integer [AUTH username password] [SETNAME clientname]]:arguments",
  run(c, argv) {
    let protocol: 2 | 3 | undefined;
    if (argv.length >= 2) {
      const ver = parseInteger(argv[1]!);
      if (ver === null) {
        throw new ReplyError("ERR Protocol version is not an integer or out of range");
      }
      if (ver !== 2 && ver !== 3) throw new ReplyError("NOPROTO unsupported protocol version");
      protocol = ver;
    }
    // Redis 7.0 authenticates and checks the name as it meets them, left to right.
    let name: string | undefined;
    for (let i = 2; i < argv.length; i++) {
      const more = argv.length - i - 1;
      if (isOpt(argv[i]!, "auth") && more >= 2) {
        // Without ACLs (a later issue) the only user is "default", which has no password.
        if (argv[i + 1] !== "default") {
          throw new ReplyError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        i += 2;
      } else if (isOpt(argv[i]!, "setname") && more >= 1) {
        name = argv[i + 1]!;
        if (!validName(name)) throw new ReplyError(BAD_NAME);
        i += 1;
      } else {
        throw new ReplyError(`ERR Syntax error in HELLO option '${cstr(argv[i]!)}'`);
      }
    }
    if (protocol !== undefined) c.reply.resp = protocol;
    if (name !== undefined) c.name = name;
    helloReply(c);
  },
};

const resetCommand: Command = {
  name: "reset",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
  group: "connection",
  since: "6.2.0",
  summary: "Resets the connection.",
  complexity: "O(1)",
  syntax: "",
  run(c) {
    c.db = c.server.keyspace.dbs[0]!;
    c.reply.resp = 2;
    c.name = "";
    c.reply.simple("RESET");
  },
};

/** One CLIENT LIST line, with Redis 7.2's field order (lib-name and lib-ver last). */
export function clientInfoLine(c: Client): string {
  const now = Date.now();
  const qbuf = c.parser.pending;
  const fields = [
    `id=${c.id}`,
    `addr=${c.addr}`,
    `laddr=${c.laddr}`,
    `fd=-1`,
    `name=${c.name}`,
    `age=${Math.floor((now - c.createdAt) / 1000)}`,
    `idle=${Math.floor((now - c.lastInteraction) / 1000)}`,
    `flags=${c.blocked !== null ? "b" : "N"}`,
    `db=${c.dbIndex}`,
    `sub=0`,
    `psub=0`,
    `ssub=0`,
    `multi=-1`,
    `qbuf=${qbuf}`,
    `qbuf-free=0`,
    `argv-mem=0`,
    `multi-mem=0`,
    `rbs=${c.reply.buf.length}`,
    `rbp=${c.reply.len}`,
    `obl=${c.reply.len}`,
    `oll=0`,
    `omem=0`,
    `tot-mem=${c.reply.buf.length + qbuf}`,
    `events=r`,
    `cmd=${c.lastCommand}`,
    `user=default`,
    `redir=-1`,
    `resp=${c.resp}`,
    `lib-name=${c.libName}`,
    `lib-ver=${c.libVer}`,
  ];
  return fields.join(" ");
}

const CLIENT_TYPES = ["normal", "master", "slave", "replica", "pubsub"];

function checkClientType(type: string): string {
  const lower = cstr(type).toLowerCase();
  if (!CLIENT_TYPES.includes(lower)) {
    throw new ReplyError(`ERR Unknown client type '${cstr(type)}'`);
  }
  return lower;
}

/** Every client that CLIENT LIST/KILL's filter selects; we only have normal clients. */
function clientMatches(type: string): boolean {
  return type === "normal";
}

const clientSubcommands: Command[] = [
  {
    name: "id",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Returns the unique client ID of the connection.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.integer(c.id);
    },
  },
  {
    name: "setname",
    arity: 3,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "2.6.9",
    summary: "Sets the connection name.",
    complexity: "O(1)",
    syntax: "connection-name",
    run(c, argv) {
      if (!validName(argv[2]!)) throw new ReplyError(BAD_NAME);
      c.name = argv[2]!;
      c.reply.ok();
    },
  },
  {
    name: "getname",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "2.6.9",
    summary: "Returns the name of the connection.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.bulkOrNull(c.name === "" ? null : c.name);
    },
  },
  {
    name: "setinfo",
    arity: 4,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "7.2.0",
    summary: "Sets information specific to the client or connection.",
    complexity: "O(1)",
    syntax: "<LIB-NAME libname | LIB-VER libver>:attr",
    run(c, argv) {
      const attr = cstr(argv[2]!).toLowerCase();
      if (attr !== "lib-name" && attr !== "lib-ver") {
        throw new ReplyError(`ERR Unrecognized option '${cstr(argv[2]!)}'`);
      }
      if (!validName(argv[3]!)) {
        throw new ReplyError(
          `ERR ${cstr(argv[2]!)} cannot contain spaces, newlines or special characters.`,
        );
      }
      if (attr === "lib-name") c.libName = argv[3]!;
      else c.libVer = argv[3]!;
      c.reply.ok();
    },
  },
  {
    name: "info",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.2.0",
    summary: "Returns information about the connection.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.verbatim(clientInfoLine(c) + "\n");
    },
  },
  {
    name: "list",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "2.4.0",
    summary: "Lists open connections.",
    complexity: "O(N) where N is the number of client connections",
    syntax:
      "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID <client-id:integer [client-id:integer ...]>:id]",
    run(c, argv) {
      let type: string | undefined;
      let ids: number[] | undefined;
      if (argv.length === 4 && isOpt(argv[2]!, "type")) {
        type = checkClientType(argv[3]!);
      } else if (argv.length >= 4 && isOpt(argv[2]!, "id")) {
        // In argument order, repeats included; unknown ids are skipped.
        ids = [];
        for (const text of argv.slice(3)) {
          const id = parseInteger(text);
          if (id === null) throw new ReplyError("ERR Invalid client ID");
          ids.push(Number(id));
        }
      } else if (argv.length !== 2) {
        throw new ReplyError(SYNTAX);
      }
      const lines: string[] = [];
      if (ids !== undefined) {
        for (const id of ids) {
          const client = c.server.clients.get(id);
          if (client !== undefined) lines.push(clientInfoLine(client) + "\n");
        }
      } else {
        for (const client of c.server.clients.values()) {
          if (type !== undefined && !clientMatches(type)) continue;
          lines.push(clientInfoLine(client) + "\n");
        }
      }
      c.reply.verbatim(lines.join(""));
    },
  },
  {
    name: "kill",
    arity: -3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "2.4.0",
    summary: "Terminates open connections.",
    complexity: "O(N) where N is the number of client connections",
    syntax:
      "<ip:port | <[ID client-id:integer] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>:normal_master_slave_pubsub] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]>:new-format " +
      "[<[ID client-id:integer] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>:normal_master_slave_pubsub] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]>:new-format ...]>:filter",
    run(c, argv) {
      if (argv.length === 3) {
        // The old form may kill the calling client itself.
        const target = [...c.server.clients.values()].find((x) => x.addr === cstr(argv[2]!));
        if (target === undefined) throw new ReplyError("ERR No such client");
        killClient(c, target);
        c.reply.ok();
        return;
      }
      let id: number | undefined, type: string | undefined;
      let addr: string | undefined, laddr: string | undefined;
      let skipMe = true;
      // Options are checked left to right, each error as soon as it is met, like Redis.
      for (let i = 2; i < argv.length; i += 2) {
        const opt = cstr(argv[i]!).toLowerCase();
        const value = argv[i + 1];
        if (value === undefined) throw new ReplyError(SYNTAX);
        if (opt === "id") {
          const parsed = parseInteger(value);
          if (parsed === null || parsed <= 0) {
            throw new ReplyError("ERR client-id should be greater than 0");
          }
          id = Number(parsed);
        } else if (opt === "type") {
          type = checkClientType(value);
        } else if (opt === "addr") addr = cstr(value);
        else if (opt === "laddr") laddr = cstr(value);
        else if (opt === "user") {
          // Without ACLs (a later issue) "default" is the only user, and every client's.
          if (value !== "default") throw new ReplyError(`ERR No such user '${cstr(value)}'`);
        } else if (opt === "skipme") {
          if (isOpt(value, "yes")) skipMe = true;
          else if (isOpt(value, "no")) skipMe = false;
          else throw new ReplyError(SYNTAX);
        } else {
          throw new ReplyError(SYNTAX);
        }
      }
      let killed = 0;
      for (const target of [...c.server.clients.values()]) {
        if (id !== undefined && target.id !== id) continue;
        if (type !== undefined && !clientMatches(type)) continue;
        if (addr !== undefined && target.addr !== addr) continue;
        if (laddr !== undefined && target.laddr !== laddr) continue;
        if (skipMe && target === c) continue;
        killClient(c, target);
        killed++;
      }
      c.reply.integer(killed);
    },
  },
  {
    name: "unblock",
    arity: -3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Unblocks a client blocked by a blocking command from a different connection.",
    complexity: "O(log N) where N is the number of client connections",
    syntax: "client-id:integer [TIMEOUT | ERROR]:timeout_error",
    run(c, argv) {
      if (argv.length > 4) {
        throw new ReplyError(
          `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`,
        );
      }
      let withError = false;
      if (argv.length === 4) {
        if (isOpt(argv[3]!, "error")) withError = true;
        else if (!isOpt(argv[3]!, "timeout")) {
          throw new ReplyError(UNBLOCK_REASON);
        }
      }
      const id = parseInteger(argv[2]!);
      if (id === null) throw new ReplyError(NOT_INTEGER);
      const target = c.server.clients.get(Number(id));
      c.reply.integer(target !== undefined && unblockClientByRequest(target, withError) ? 1 : 0);
    },
  },
  {
    name: "no-evict",
    arity: 3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "7.0.0",
    summary: "Sets the client eviction mode of the connection.",
    complexity: "O(1)",
    syntax: "<ON | OFF>:enabled",
    run(c, argv) {
      if (!isOpt(argv[2]!, "on") && !isOpt(argv[2]!, "off")) throw new ReplyError(SYNTAX);
      c.reply.ok();
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      helpReply(c, "client", clientSubcommands);
    },
  },
];

/** Closes another client now, or this one after its reply (Redis's CLIENT_CLOSE_AFTER_REPLY). */
function killClient(self: Client, target: Client): void {
  if (target === self) self.closeAfterReply = true;
  else target.close();
}

const clientCommand: Command = {
  name: "client",
  arity: -2,
  flags: [],
  group: "connection",
  since: "2.4.0",
  summary: "A container for client connection commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: clientSubcommands,
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};

export const connectionCommands: Command[] = [
  pingCommand,
  echoCommand,
  quitCommand,
  helloCommand,
  selectCommand,
  resetCommand,
  clientCommand,
];
