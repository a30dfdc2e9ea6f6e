// CONFIG GET/SET/RESETSTAT/REWRITE/HELP. Mirrors configGetCommand, configSetCommand and
// configRewriteCommand in Redis's config.c; the options themselves live in lib/config.ts.
import type { Client } from "../client.ts";
import { ReplyError, SYNTAX } from "../errors.ts";
import { rewriteConfigFile } from "../config_rewrite.ts";
import type { Command } from "./types.ts";

/**
 * allowProtectedAction: whether a protected command or config (DEBUG, CONFIG SET dir) may run
 * for this client under an enable-*-command / enable-protected-configs setting.
 */
export function allowProtectedAction(setting: string, c: Client): boolean {
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  if (c.conn === null) return true;
  const host = c.addr.slice(0, c.addr.lastIndexOf(":"));
  return host === "127.0.0.1" || host === "::1";
}

/** Lines of an addReplyHelp reply, worded as Redis words them. */
export function replyHelp(c: Client, command: string, lines: string[]): void {
  const all = [
    `${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    "HELP",
    "    Prints this help.",
  ];
  c.reply.array(all.length);
  for (const line of all) c.reply.simple(line);
}

const ADMIN: Command["flags"] = ["admin", "noscript", "loading", "stale"];

const configSubcommands: Command[] = [
  {
    name: "get",
    arity: -3,
    flags: ADMIN,
    group: "server",
    since: "2.0.0",
    summary: "Returns the effective values of configuration parameters.",
    complexity: "O(N) when N is the number of configuration parameters provided",
    syntax: "<parameter> [<parameter> ...]",
    run(c, argv) {
      const pairs = c.server.config.get(argv.slice(2));
      c.reply.map(pairs.length);
      for (const [name, value] of pairs) {
        c.reply.bulk(name);
        c.reply.bulk(value);
      }
    },
  },
  {
    name: "set",
    arity: -4,
    flags: ADMIN,
    group: "server",
    since: "2.0.0",
    summary: "Sets configuration parameters in-flight.",
    complexity: "O(N) when N is the number of configuration parameters provided",
    syntax: "parameter value [parameter value ...]",
    meta: { tips: ["request_policy:all_nodes", "response_policy:all_succeeded"] },
    run(c, argv) {
      if (argv.length % 2 !== 0) throw new ReplyError(SYNTAX);
      const pairs: [string, string][] = [];
      for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
      const config = c.server.config;
      const allowed = allowProtectedAction(config.str("enable-protected-configs"), c);
      const error = config.setMany(pairs, allowed);
      if (error !== null) throw new ReplyError(error);
      c.reply.ok();
    },
  },
  {
    name: "resetstat",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "2.0.0",
    summary: "Resets the server's statistics.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.server.resetStats();
      c.reply.ok();
    },
  },
  {
    name: "rewrite",
    arity: 2,
    flags: ADMIN,
    group: "server",
    since: "2.8.0",
    summary: "Persists the effective configuration to file.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      const server = c.server;
      const file = server.config.file;
      if (file === null) throw new ReplyError("ERR The server is running without a config file");
      try {
        rewriteConfigFile(server.config, file);
      } catch (err) {
        const reason = err instanceof Deno.errors.PermissionDenied
          ? "Permission denied"
          : err instanceof Deno.errors.NotFound
          ? "No such file or directory"
          : (err as Error).message;
        server.log("warning", `CONFIG REWRITE failed: ${reason}`);
        throw new ReplyError(`ERR Rewriting config file: ${reason}`);
      }
      server.log("notice", "CONFIG REWRITE executed with success.");
      c.reply.ok();
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    since: "5.0.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      replyHelp(c, "CONFIG", [
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
      ]);
    },
  },
];

export const configCommand: Command = {
  name: "config",
  arity: -2,
  flags: [],
  group: "server",
  since: "2.0.0",
  summary: "A container for server configuration commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: configSubcommands,
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};
