// CLUSTER on a server without cluster support: every subcommand Redis 7.0 knows is accepted
// with its arity and answers Redis's error; unknown ones get the usual unknown-subcommand error.
import { ReplyError } from "../errors.ts";
import type { Command, CommandFlag } from "./types.ts";

export const CLUSTER_DISABLED = "ERR This instance has cluster support disabled";

const A: CommandFlag[] = ["admin", "stale"];
/** Admin subcommands that change cluster state also refuse to run during async loading. */
const AL: CommandFlag[] = ["admin", "stale", "no_async_loading"];
const S: CommandFlag[] = ["stale"];

/** name, arity, flags, summary, syntax[, since]: Redis 7.0's CLUSTER subcommands. */
const SUBCOMMANDS: [string, number, CommandFlag[], string, string, string?][] = [
  ["addslots", -3, AL, "Assigns new hash slots to a node.", "slot:integer [slot:integer ...]"],
  [
    "addslotsrange",
    -4,
    AL,
    "Assigns new hash slot ranges to a node.",
    "start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]",
    "7.0.0",
  ],
  ["bumpepoch", 2, AL, "Advances the cluster config epoch.", ""],
  [
    "count-failure-reports",
    3,
    A,
    "Returns the number of active failure reports active for a node.",
    "node-id",
  ],
  ["countkeysinslot", 3, S, "Returns the number of keys in a hash slot.", "slot:integer"],
  ["delslots", -3, AL, "Sets hash slots as unbound for a node.", "slot:integer [slot:integer ...]"],
  [
    "delslotsrange",
    -4,
    AL,
    "Sets hash slot ranges as unbound for a node.",
    "start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]",
    "7.0.0",
  ],
  [
    "failover",
    -2,
    AL,
    "Forces a replica to perform a manual failover of its master.",
    "[FORCE | TAKEOVER]:options",
  ],
  ["flushslots", 2, AL, "Deletes all slots information from a node.", ""],
  ["forget", 3, AL, "Removes a node from the nodes table.", "node-id"],
  [
    "getkeysinslot",
    4,
    S,
    "Returns the key names in a hash slot.",
    "slot:integer count:integer",
  ],
  [
    "help",
    2,
    ["loading", "stale"],
    "Returns helpful text about the different subcommands.",
    "",
    "5.0.0",
  ],
  ["info", 2, S, "Returns information about the state of a node.", ""],
  ["keyslot", 3, S, "Returns the hash slot for a key.", "key:string"],
  ["links", 2, S, "Returns a list of all TCP links to and from peer nodes.", "", "7.0.0"],
  [
    "meet",
    -4,
    AL,
    "Forces a node to handshake with another node.",
    "ip port:integer [cluster_bus_port:integer]",
  ],
  ["myid", 2, S, "Returns the ID of a node.", ""],
  ["nodes", 2, S, "Returns the cluster configuration for a node.", ""],
  ["replicas", 3, A, "Lists the replica nodes of a master node.", "node-id", "5.0.0"],
  ["replicate", 3, AL, "Configure a node as replica of a master node.", "node-id"],
  ["reset", -2, ["admin", "noscript", "stale"], "Resets a node.", "[HARD | SOFT]"],
  ["saveconfig", 2, AL, "Forces a node to save the cluster configuration to disk.", ""],
  [
    "set-config-epoch",
    3,
    AL,
    "Sets the configuration epoch for a new node.",
    "config-epoch:integer",
  ],
  [
    "setslot",
    -4,
    AL,
    "Binds a hash slot to a node.",
    "slot:integer <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>:subcommand",
  ],
  ["shards", 2, S, "Returns the mapping of cluster slots to shards.", "", "7.0.0"],
  ["slaves", 3, A, "Lists the replica nodes of a master node.", "node-id"],
  ["slots", 2, S, "Returns the mapping of cluster slots to nodes.", ""],
];

/** The subcommands Redis 7.0 tips as "nondeterministic_output". */
const NONDETERMINISTIC = new Set([
  "bumpepoch",
  "count-failure-reports",
  "getkeysinslot",
  "info",
  "links",
  "nodes",
  "replicas",
  "shards",
  "slaves",
  "slots",
]);

export const clusterCommand: Command = {
  name: "cluster",
  arity: -2,
  flags: [],
  group: "cluster",
  since: "3.0.0",
  summary: "A container for Redis Cluster commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: SUBCOMMANDS.map(([name, arity, flags, summary, syntax, since]) => {
    const command: Command = {
      name,
      arity,
      flags,
      group: "cluster",
      since: since ?? "3.0.0",
      summary,
      syntax,
      run() {
        throw new ReplyError(CLUSTER_DISABLED);
      },
    };
    if (NONDETERMINISTIC.has(name)) command.meta = { tips: ["nondeterministic_output"] };
    return command;
  }),
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};
