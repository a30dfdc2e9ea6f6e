// Connection commands: PING, ECHO, QUIT, HELLO, SELECT, RESET and CLIENT.
// Mirrors the connection group of Redis's server.c and networking.c (clientCommand).
import type { Client } from "../client.ts";
import {
  CLIENT_CLOSE_ASAP,
  CLIENT_DIRTY_CAS,
  CLIENT_MONITOR,
  CLIENT_MULTI,
  CLIENT_PUBSUB,
  CLIENT_TRACKING,
  CLIENT_TRACKING_BCAST,
  CLIENT_TRACKING_BROKEN_REDIR,
  CLIENT_TRACKING_CACHING,
  CLIENT_TRACKING_NOLOOP,
  CLIENT_TRACKING_OPTIN,
  CLIENT_TRACKING_OPTOUT,
} from "../client_flags.ts";
import { discardTransaction } from "../multi.ts";
import { pubsubUnsubscribeAll } from "../pubsub.ts";
import { removeMonitor } from "../monitor.ts";
import { disableTracking, enableTracking, prefixCollision } from "../tracking.ts";
import { unblockClientByRequest } from "../blocking.ts";
import {
  INVALID_DB,
  NOT_INTEGER,
  ReplyError,
  SYNTAX,
  UNBLOCK_REASON,
  WRONGPASS,
} from "../errors.ts";
import { parseInteger } from "../util/numbers.ts";
import { VERSION } from "../version.ts";
import { clientSetDefaultAuth } from "../acl.ts";
import type { User } from "../acl_user.ts";
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
  meta: { tips: ["request_policy:all_shards", "response_policy:all_succeeded"] },
  run(c, argv) {
    if (argv.length > 2) throw new ReplyError("ERR wrong number of arguments for 'ping' command");
    if ((c.flags & CLIENT_PUBSUB) !== 0 && c.resp === 2) {
      // A RESP2 subscriber's replies look like messages: ["pong", message or ""].
      c.reply.array(2);
      c.reply.bulk("pong");
      c.reply.bulk(argv.length === 2 ? argv[1]! : "");
    } else if (argv.length === 2) c.reply.bulk(argv[1]!);
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
    // Redis 7.0 authenticates and sets the name as it meets them, left to right: a later
    // error leaves what came before done.
    for (let i = 2; i < argv.length; i++) {
      const more = argv.length - i - 1;
      if (isOpt(argv[i]!, "auth") && more >= 2) {
        if (!c.server.acl.authenticate(c, argv[i + 1]!, argv[i + 2]!, argv[0]!)) {
          throw new ReplyError(WRONGPASS);
        }
        i += 2;
      } else if (isOpt(argv[i]!, "setname") && more >= 1) {
        if (!validName(argv[i + 1]!)) throw new ReplyError(BAD_NAME);
        c.name = argv[i + 1]!;
        i += 1;
      } else {
        throw new ReplyError(`ERR Syntax error in HELLO option '${cstr(argv[i]!)}'`);
      }
    }
    if (!c.authenticated) {
      throw new ReplyError(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the " +
          "HELLO AUTH <user> <pass> option can be used to authenticate the client and select " +
          "the RESP protocol version at the same time",
      );
    }
    if (protocol !== undefined) c.reply.resp = protocol;
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
    // clearClientConnectionState: out of MONITOR, tracking, MULTI and Pub/Sub, without replies.
    if ((c.flags & CLIENT_MONITOR) !== 0) removeMonitor(c);
    if ((c.flags & CLIENT_TRACKING) !== 0) disableTracking(c);
    c.db = c.server.keyspace.dbs[0]!;
    c.reply.resp = 2;
    discardTransaction(c);
    pubsubUnsubscribeAll(c, false);
    clientSetDefaultAuth(c);
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
    `flags=${clientFlags(c)}`,
    `db=${c.dbIndex}`,
    `sub=${c.pubsub?.channels.size ?? 0}`,
    `psub=${c.pubsub?.patterns.size ?? 0}`,
    `ssub=${c.pubsub?.shardChannels.size ?? 0}`,
    `multi=${(c.flags & CLIENT_MULTI) !== 0 ? c.mstate!.commands.length : -1}`,
    `qbuf=${qbuf}`,
    `qbuf-free=${c.parser.free}`,
    `argv-mem=0`,
    `multi-mem=0`,
    `rbs=${c.reply.buf.length}`,
    `rbp=${c.reply.len}`,
    `obl=${c.reply.len}`,
    `oll=0`,
    `omem=0`,
    `tot-mem=${c.reply.buf.length + c.parser.allocated}`,
    `events=r`,
    `cmd=${c.lastCommand}`,
    `user=${c.user.name}`,
    `redir=${(c.flags & CLIENT_TRACKING) !== 0 ? c.tracking!.redirect : -1}`,
    `resp=${c.resp}`,
    `lib-name=${c.libName}`,
    `lib-ver=${c.libVer}`,
  ];
  return fields.join(" ");
}

/** CLIENT LIST's flags letters, in the order of Redis's getClientInfoString. */
function clientFlags(c: Client): string {
  const f = c.flags;
  let out = "";
  if ((f & CLIENT_MONITOR) !== 0) out += "O";
  if ((f & CLIENT_PUBSUB) !== 0) out += "P";
  if ((f & CLIENT_MULTI) !== 0) out += "x";
  if (c.blocked !== null) out += "b";
  if ((f & CLIENT_TRACKING) !== 0) out += "t";
  if ((f & CLIENT_TRACKING_BROKEN_REDIR) !== 0) out += "R";
  if ((f & CLIENT_TRACKING_BCAST) !== 0) out += "B";
  if ((f & CLIENT_DIRTY_CAS) !== 0) out += "d";
  if (c.closeAfterReply) out += "c";
  if ((f & CLIENT_CLOSE_ASAP) !== 0) out += "A";
  return out === "" ? "N" : out;
}

const CLIENT_TYPES = ["normal", "master", "slave", "replica", "pubsub"];

function checkClientType(type: string): string {
  const lower = cstr(type).toLowerCase();
  if (!CLIENT_TYPES.includes(lower)) {
    throw new ReplyError(`ERR Unknown client type '${cstr(type)}'`);
  }
  return lower;
}

/** getClientType for CLIENT LIST/KILL TYPE: subscribers are pubsub, monitors normal. */
function clientMatches(target: Client, type: string): boolean {
  return type === ((target.flags & CLIENT_PUBSUB) !== 0 ? "pubsub" : "normal");
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
    meta: { tips: ["nondeterministic_output"] },
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
    meta: { tips: ["nondeterministic_output"] },
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
          if (type !== undefined && !clientMatches(client, type)) continue;
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
      let addr: string | undefined, laddr: string | undefined, user: User | undefined;
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
          user = c.server.acl.users.get(value);
          if (user === undefined) throw new ReplyError(`ERR No such user '${cstr(value)}'`);
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
        if (type !== undefined && !clientMatches(target, type)) continue;
        if (addr !== undefined && target.addr !== addr) continue;
        if (laddr !== undefined && target.laddr !== laddr) continue;
        if (user !== undefined && target.user !== user) continue;
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
    name: "tracking",
    arity: -3,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.0.0",
    summary: "Controls server-assisted client-side caching for the connection.",
    complexity: "O(1). Some options may introduce additional complexity.",
    syntax:
      "<ON | OFF>:status [REDIRECT client-id:integer] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]",
    run(c, argv) {
      clientTrackingCommand(c, argv);
    },
  },
  {
    name: "caching",
    arity: 3,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.0.0",
    summary: "Instructs the server whether to track the keys in the next request.",
    complexity: "O(1)",
    syntax: "<YES | NO>:mode",
    run(c, argv) {
      if ((c.flags & CLIENT_TRACKING) === 0) {
        throw new ReplyError(
          "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        );
      }
      if (isOpt(argv[2]!, "yes")) {
        if ((c.flags & CLIENT_TRACKING_OPTIN) === 0) {
          throw new ReplyError(
            "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
          );
        }
      } else if (isOpt(argv[2]!, "no")) {
        if ((c.flags & CLIENT_TRACKING_OPTOUT) === 0) {
          throw new ReplyError(
            "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
          );
        }
      } else {
        throw new ReplyError(SYNTAX);
      }
      c.flags |= CLIENT_TRACKING_CACHING;
      c.reply.ok();
    },
  },
  {
    name: "getredir",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.0.0",
    summary:
      "Returns the client ID to which the connection's tracking notifications are redirected.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.integer((c.flags & CLIENT_TRACKING) !== 0 ? c.tracking!.redirect : -1);
    },
  },
  {
    name: "trackinginfo",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.2.0",
    summary: "Returns information about server-assisted client-side caching for the connection.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      const f = c.flags;
      const flags = [(f & CLIENT_TRACKING) !== 0 ? "on" : "off"];
      if ((f & CLIENT_TRACKING_BCAST) !== 0) flags.push("bcast");
      if ((f & CLIENT_TRACKING_OPTIN) !== 0) {
        flags.push("optin");
        if ((f & CLIENT_TRACKING_CACHING) !== 0) flags.push("caching-yes");
      }
      if ((f & CLIENT_TRACKING_OPTOUT) !== 0) {
        flags.push("optout");
        if ((f & CLIENT_TRACKING_CACHING) !== 0) flags.push("caching-no");
      }
      if ((f & CLIENT_TRACKING_NOLOOP) !== 0) flags.push("noloop");
      if ((f & CLIENT_TRACKING_BROKEN_REDIR) !== 0) flags.push("broken_redirect");
      const r = c.reply;
      r.map(3);
      r.bulk("flags");
      r.set(flags.length);
      for (const flag of flags) r.bulk(flag);
      r.bulk("redirect");
      r.integer((f & CLIENT_TRACKING) !== 0 ? c.tracking!.redirect : -1);
      r.bulk("prefixes");
      const prefixes = [...(c.tracking?.prefixes ?? [])].sort();
      r.array(prefixes.length);
      for (const prefix of prefixes) r.bulk(prefix);
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

/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]: options
 * are parsed first, then checked against each other and the client's current mode, in the
 * order of Redis's clientCommand.
 */
function clientTrackingCommand(c: Client, argv: string[]): void {
  let redirect = 0;
  let options = 0;
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (isOpt(opt, "redirect") && more > 0) {
      j++;
      if (redirect !== 0) {
        throw new ReplyError("ERR A client can only redirect to a single other client");
      }
      const id = parseInteger(argv[j]!);
      if (id === null) throw new ReplyError(NOT_INTEGER);
      const target = c.server.clients.get(Number(id));
      if (target === undefined) {
        throw new ReplyError("ERR The client ID you want redirect to does not exist");
      }
      redirect = target.id;
    } else if (isOpt(opt, "bcast")) options |= CLIENT_TRACKING_BCAST;
    else if (isOpt(opt, "optin")) options |= CLIENT_TRACKING_OPTIN;
    else if (isOpt(opt, "optout")) options |= CLIENT_TRACKING_OPTOUT;
    else if (isOpt(opt, "noloop")) options |= CLIENT_TRACKING_NOLOOP;
    else if (isOpt(opt, "prefix") && more > 0) prefixes.push(argv[++j]!);
    else throw new ReplyError(SYNTAX);
  }
  if (isOpt(argv[2]!, "on")) {
    const bcast = (options & CLIENT_TRACKING_BCAST) !== 0;
    if (!bcast && prefixes.length !== 0) {
      throw new ReplyError("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if (
      (c.flags & CLIENT_TRACKING) !== 0 && ((c.flags & CLIENT_TRACKING_BCAST) !== 0) !== bcast
    ) {
      throw new ReplyError(
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    }
    const optin = (options & CLIENT_TRACKING_OPTIN) !== 0;
    const optout = (options & CLIENT_TRACKING_OPTOUT) !== 0;
    if (bcast && (optin || optout)) {
      throw new ReplyError("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if (optin && optout) {
      throw new ReplyError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if (
      (optin && (c.flags & CLIENT_TRACKING_OPTOUT) !== 0) ||
      (optout && (c.flags & CLIENT_TRACKING_OPTIN) !== 0)
    ) {
      throw new ReplyError(
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    }
    if (bcast) {
      const collision = prefixCollision(c, prefixes);
      if (collision !== null) throw new ReplyError(collision);
    }
    enableTracking(c, redirect, options, prefixes);
  } else if (isOpt(argv[2]!, "off")) {
    disableTracking(c);
  } else {
    throw new ReplyError(SYNTAX);
  }
  c.reply.ok();
}

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
