// CLUSTER on a server without cluster support: every subcommand Redis 7.0 knows is accepted
// with its arity and answers Redis's error; unknown ones get the usual unknown-subcommand error.
import { ReplyError } from "../errors.ts";
import type { Command, CommandFlag, CommandMeta } from "./types.ts";

export const CLUSTER_DISABLED = "ERR This instance has cluster support disabled";

const A: CommandFlag[] = ["admin", "stale"];
/** Admin subcommands that change cluster state also refuse to run during async loading. */
const AL: CommandFlag[] = ["admin", "stale", "no_async_loading"];
const S: CommandFlag[] = ["stale"];

/** The fields CLUSTER's subcommands share; a record spreads them first and may override them. */
const CLUSTER: Pick<Command, "group" | "since" | "run"> = {
  group: "cluster",
  since: "3.0.0",
  run() {
    throw new ReplyError(CLUSTER_DISABLED);
  },
};

/** The tip Redis 7.0 gives the subcommands whose replies vary from node to node. */
const NONDETERMINISTIC: CommandMeta = { tips: ["nondeterministic_output"] };

/** Redis 7.0's CLUSTER subcommands. */
const clusterSubcommands: Command[] = [
  {
    ...CLUSTER,
    name: "addslots",
    arity: -3,
    flags: AL,
    summary: "Assigns new hash slots to a node.",
    syntax: "slot:integer [slot:integer ...]",
  },
  {
    ...CLUSTER,
    name: "addslotsrange",
    arity: -4,
    flags: AL,
    since: "7.0.0",
    summary: "Assigns new hash slot ranges to a node.",
    syntax: "start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]",
  },
  {
    ...CLUSTER,
    name: "bumpepoch",
    arity: 2,
    flags: AL,
    summary: "Advances the cluster config epoch.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "count-failure-reports",
    arity: 3,
    flags: A,
    summary: "Returns the number of active failure reports active for a node.",
    syntax: "node-id",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "countkeysinslot",
    arity: 3,
    flags: S,
    summary: "Returns the number of keys in a hash slot.",
    syntax: "slot:integer",
  },
  {
    ...CLUSTER,
    name: "delslots",
    arity: -3,
    flags: AL,
    summary: "Sets hash slots as unbound for a node.",
    syntax: "slot:integer [slot:integer ...]",
  },
  {
    ...CLUSTER,
    name: "delslotsrange",
    arity: -4,
    flags: AL,
    since: "7.0.0",
    summary: "Sets hash slot ranges as unbound for a node.",
    syntax: "start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]",
  },
  {
    ...CLUSTER,
    name: "failover",
    arity: -2,
    flags: AL,
    summary: "Forces a replica to perform a manual failover of its master.",
    syntax: "[FORCE | TAKEOVER]:options",
  },
  {
    ...CLUSTER,
    name: "flushslots",
    arity: 2,
    flags: AL,
    summary: "Deletes all slots information from a node.",
    syntax: "",
  },
  {
    ...CLUSTER,
    name: "forget",
    arity: 3,
    flags: AL,
    summary: "Removes a node from the nodes table.",
    syntax: "node-id",
  },
  {
    ...CLUSTER,
    name: "getkeysinslot",
    arity: 4,
    flags: S,
    summary: "Returns the key names in a hash slot.",
    syntax: "slot:integer count:integer",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    since: "5.0.0",
    summary: "Returns helpful text about the different subcommands.",
    syntax: "",
  },
  {
    ...CLUSTER,
    name: "info",
    arity: 2,
    flags: S,
    summary: "Returns information about the state of a node.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "keyslot",
    arity: 3,
    flags: S,
    summary: "Returns the hash slot for a key.",
    syntax: "key:string",
  },
  {
    ...CLUSTER,
    name: "links",
    arity: 2,
    flags: S,
    since: "7.0.0",
    summary: "Returns a list of all TCP links to and from peer nodes.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "meet",
    arity: -4,
    flags: AL,
    summary: "Forces a node to handshake with another node.",
    syntax: "ip port:integer [cluster_bus_port:integer]",
  },
  {
    ...CLUSTER,
    name: "myid",
    arity: 2,
    flags: S,
    summary: "Returns the ID of a node.",
    syntax: "",
  },
  {
    ...CLUSTER,
    name: "nodes",
    arity: 2,
    flags: S,
    summary: "Returns the cluster configuration for a node.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "replicas",
    arity: 3,
    flags: A,
    since: "5.0.0",
    summary: "Lists the replica nodes of a master node.",
    syntax: "node-id",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "replicate",
    arity: 3,
    flags: AL,
    summary: "Configure a node as replica of a master node.",
    syntax: "node-id",
  },
  {
    ...CLUSTER,
    name: "reset",
    arity: -2,
    flags: ["admin", "noscript", "stale"],
    summary: "Resets a node.",
    syntax: "[HARD | SOFT]",
  },
  {
    ...CLUSTER,
    name: "saveconfig",
    arity: 2,
    flags: AL,
    summary: "Forces a node to save the cluster configuration to disk.",
    syntax: "",
  },
  {
    ...CLUSTER,
    name: "set-config-epoch",
    arity: 3,
    flags: AL,
    summary: "Sets the configuration epoch for a new node.",
    syntax: "config-epoch:integer",
  },
  {
    ...CLUSTER,
    name: "setslot",
    arity: -4,
    flags: AL,
    summary: "Binds a hash slot to a node.",
    syntax:
      "slot:integer <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>:subcommand",
  },
  {
    ...CLUSTER,
    name: "shards",
    arity: 2,
    flags: S,
    since: "7.0.0",
    summary: "Returns the mapping of cluster slots to shards.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "slaves",
    arity: 3,
    flags: A,
    summary: "Lists the replica nodes of a master node.",
    syntax: "node-id",
    meta: NONDETERMINISTIC,
  },
  {
    ...CLUSTER,
    name: "slots",
    arity: 2,
    flags: S,
    summary: "Returns the mapping of cluster slots to nodes.",
    syntax: "",
    meta: NONDETERMINISTIC,
  },
];

export const clusterCommand: Command = {
  name: "cluster",
  arity: -2,
  flags: [],
  group: "cluster",
  since: "3.0.0",
  summary: "A container for Redis Cluster commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: clusterSubcommands,
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};
