// Server commands: TIME, LASTSAVE, ROLE, SHUTDOWN, and the table of the server group (INFO,
// CONFIG, DEBUG, CLUSTER, SAVE and BGSAVE live in their own files). Mirrors Redis's server.c.
import { ReplyError, SYNTAX } from "../errors.ts";
import { configCommand } from "./config.ts";
import { clusterCommand } from "./cluster.ts";
import { debugCommand } from "./debug.ts";
import { infoCommand } from "./info.ts";
import type { Command } from "./types.ts";

const timeCommand: Command = {
  name: "time",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  group: "server",
  since: "2.6.0",
  summary: "Returns the server time.",
  complexity: "O(1)",
  syntax: "",
  meta: { tips: ["nondeterministic_output"] },
  run(c) {
    const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    c.reply.array(2);
    c.reply.bulk(String(Math.floor(micros / 1_000_000)));
    c.reply.bulk(String(micros % 1_000_000));
  },
};

const lastsaveCommand: Command = {
  name: "lastsave",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  group: "server",
  since: "1.0.0",
  summary: "Returns the Unix timestamp of the last successful save to disk.",
  complexity: "O(1)",
  syntax: "",
  meta: { acl: "admin dangerous", tips: ["nondeterministic_output"] },
  run(c) {
    c.reply.integer(c.server.lastSave);
  },
};

const roleCommand: Command = {
  name: "role",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast"],
  group: "server",
  since: "2.8.12",
  summary: "Returns the replication role.",
  complexity: "O(1)",
  syntax: "",
  meta: { acl: "admin dangerous" },
  run(c) {
    c.reply.array(3);
    c.reply.bulk("master");
    c.reply.integer(0);
    c.reply.array(0);
  },
};

const shutdownCommand: Command = {
  name: "shutdown",
  arity: -1,
  flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
  group: "server",
  since: "1.0.0",
  summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.",
  complexity:
    "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
  syntax: "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]",
  run(c, argv) {
    let nosave = false, save = false, now = false, force = false, abort = false;
    for (const arg of argv.slice(1)) {
      const option = arg.toLowerCase();
      if (option === "nosave") nosave = true;
      else if (option === "save") save = true;
      else if (option === "now") now = true;
      else if (option === "force") force = true;
      else if (option === "abort") abort = true;
      else throw new ReplyError(SYNTAX);
    }
    if ((abort && (nosave || save || now || force)) || (nosave && save)) {
      throw new ReplyError(SYNTAX);
    }
    // Our shutdown never waits for replicas, so there is never one in progress to abort.
    if (abort) throw new ReplyError("ERR No shutdown in progress.");
    // The final save (per the save points, SAVE or NOSAVE); a failed one cancels the shutdown.
    if (!c.server.prepareForShutdown({ save, nosave, force })) {
      throw new ReplyError("ERR Errors trying to SHUTDOWN. Check logs.");
    }
    // Like Redis, no reply is sent: the connection closes.
    c.closeAfterReply = true;
    c.server.shutdown(0);
  },
};

export const serverCommands: Command[] = [
  infoCommand,
  configCommand,
  timeCommand,
  lastsaveCommand,
  roleCommand,
  shutdownCommand,
  debugCommand,
  clusterCommand,
];
