// Pub/Sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB.
// Mirrors the command half of Redis's pubsub.c; the registries live in lib/pubsub.ts.
import type { Client } from "../client.ts";
import { CLIENT_MULTI } from "../client_flags.ts";
import { ReplyError } from "../errors.ts";
import {
  activeChannels,
  channelSubscribers,
  pubsubPublishMessage,
  pubSubShardType,
  pubsubSubscribeChannel,
  pubsubSubscribePattern,
  pubsubTotals,
  pubSubType,
  pubsubUnsubscribeAllChannels,
  pubsubUnsubscribeAllPatterns,
  pubsubUnsubscribeChannel,
  pubsubUnsubscribePattern,
} from "../pubsub.ts";
import type { Command } from "./types.ts";

/**
 * A client that expects one reply per command (inside EXEC) cannot enter Pub/Sub mode; Redis
 * still lets SUBSCRIBE and PSUBSCRIBE through inside MULTI for backward compatibility.
 */
function denyBlockingSubscribe(c: Client, name: string, allowInMulti: boolean): void {
  if (c.denyBlocking && !(allowInMulti && (c.flags & CLIENT_MULTI) !== 0)) {
    throw new ReplyError(`ERR ${name} isn't allowed for a DENY BLOCKING client`);
  }
}

const subscribeCommand: Command = {
  name: "subscribe",
  arity: -2,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "2.0.0",
  summary: "Listens for messages published to channels.",
  complexity: "O(N) where N is the number of channels to subscribe to.",
  syntax: "channel:string [channel:string ...]",
  run(c, argv) {
    denyBlockingSubscribe(c, "SUBSCRIBE", true);
    for (let j = 1; j < argv.length; j++) pubsubSubscribeChannel(c, argv[j]!, pubSubType);
  },
};

const unsubscribeCommand: Command = {
  name: "unsubscribe",
  arity: -1,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "2.0.0",
  summary: "Stops listening to messages posted to channels.",
  complexity: "O(N) where N is the number of clients already subscribed to a channel.",
  syntax: "[channel:string [channel:string ...]]",
  run(c, argv) {
    if (argv.length === 1) pubsubUnsubscribeAllChannels(c, true, pubSubType);
    else {for (let j = 1; j < argv.length; j++) {
        pubsubUnsubscribeChannel(c, argv[j]!, true, pubSubType);
      }}
  },
};

const psubscribeCommand: Command = {
  name: "psubscribe",
  arity: -2,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "2.0.0",
  summary: "Listens for messages published to channels that match one or more patterns.",
  complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
  syntax: "<pattern:pattern>:pattern [<pattern:pattern>:pattern ...]",
  run(c, argv) {
    denyBlockingSubscribe(c, "PSUBSCRIBE", true);
    for (let j = 1; j < argv.length; j++) pubsubSubscribePattern(c, argv[j]!);
  },
};

const punsubscribeCommand: Command = {
  name: "punsubscribe",
  arity: -1,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "2.0.0",
  summary: "Stops listening to messages published to channels that match one or more patterns.",
  complexity:
    "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
  syntax: "[pattern [pattern ...]]",
  run(c, argv) {
    if (argv.length === 1) pubsubUnsubscribeAllPatterns(c, true);
    else for (let j = 1; j < argv.length; j++) pubsubUnsubscribePattern(c, argv[j]!, true);
  },
};

const publishCommand: Command = {
  name: "publish",
  arity: 3,
  flags: ["pubsub", "loading", "stale", "fast"],
  group: "pubsub",
  since: "2.0.0",
  summary: "Posts a message to a channel.",
  complexity:
    "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
  syntax: "channel:string message:string",
  run(c, argv) {
    c.reply.integer(pubsubPublishMessage(argv[1]!, argv[2]!, false));
  },
};

const ssubscribeCommand: Command = {
  name: "ssubscribe",
  arity: -2,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "7.0.0",
  summary: "Listens for messages published to shard channels.",
  complexity: "O(N) where N is the number of shard channels to subscribe to.",
  syntax: "shardchannel:string [shardchannel:string ...]",
  keys: { first: 1, last: -1, step: 1 },
  meta: { keyFlags: "not_key" },
  run(c, argv) {
    denyBlockingSubscribe(c, "SSUBSCRIBE", false);
    for (let j = 1; j < argv.length; j++) pubsubSubscribeChannel(c, argv[j]!, pubSubShardType);
  },
};

const sunsubscribeCommand: Command = {
  name: "sunsubscribe",
  arity: -1,
  flags: ["pubsub", "noscript", "loading", "stale"],
  group: "pubsub",
  since: "7.0.0",
  summary: "Stops listening to messages posted to shard channels.",
  complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
  syntax: "[shardchannel:string [shardchannel:string ...]]",
  keys: { first: 1, last: -1, step: 1 },
  meta: { keyFlags: "not_key" },
  run(c, argv) {
    if (argv.length === 1) pubsubUnsubscribeAllChannels(c, true, pubSubShardType);
    else {
      for (let j = 1; j < argv.length; j++) {
        pubsubUnsubscribeChannel(c, argv[j]!, true, pubSubShardType);
      }
    }
  },
};

const spublishCommand: Command = {
  name: "spublish",
  arity: 3,
  flags: ["pubsub", "loading", "stale", "fast"],
  group: "pubsub",
  since: "7.0.0",
  summary: "Post a message to a shard channel",
  complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
  syntax: "shardchannel:string message:string",
  keys: { first: 1, last: 1, step: 1 },
  meta: { keyFlags: "not_key" },
  run(c, argv) {
    c.reply.integer(pubsubPublishMessage(argv[1]!, argv[2]!, true));
  },
};

/** PUBSUB HELP's text, as Redis words it (not generated from the records). */
const PUBSUB_HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

function channelsReply(c: Client, argv: string[], sharded: boolean): void {
  const list = activeChannels(sharded, argv[2]);
  c.reply.array(list.length);
  for (const channel of list) c.reply.bulk(channel);
}

function numsubReply(c: Client, argv: string[], sharded: boolean): void {
  c.reply.array((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.reply.bulk(argv[j]!);
    c.reply.integer(channelSubscribers(argv[j]!, sharded));
  }
}

const pubsubSubcommands: Command[] = [
  {
    name: "channels",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "Returns the active channels.",
    complexity:
      "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
    syntax: "[pattern]",
    run(c, argv) {
      if (argv.length > 3) throw new ReplyError(pubsubWrongArgs(argv[1]!));
      channelsReply(c, argv, false);
    },
  },
  {
    name: "numpat",
    arity: 2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "Returns a count of unique pattern subscriptions.",
    complexity: "O(1)",
    syntax: "",
    run(c) {
      c.reply.integer(pubsubTotals().patterns);
    },
  },
  {
    name: "numsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "Returns a count of subscribers to channels.",
    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
    syntax: "[channel:string [channel:string ...]]",
    run(c, argv) {
      numsubReply(c, argv, false);
    },
  },
  {
    name: "shardchannels",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Returns the active shard channels.",
    complexity:
      "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
    syntax: "[pattern]",
    run(c, argv) {
      if (argv.length > 3) throw new ReplyError(pubsubWrongArgs(argv[1]!));
      channelsReply(c, argv, true);
    },
  },
  {
    name: "shardnumsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Returns the count of subscribers of shard channels.",
    complexity:
      "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
    syntax: "[shardchannel:string [shardchannel:string ...]]",
    run(c, argv) {
      numsubReply(c, argv, true);
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "pubsub",
    since: "6.2.0",
    summary: "Returns helpful text about the different subcommands.",
    complexity: "O(1)",
    syntax: "",
    meta: { acl: "slow" },
    run(c) {
      c.reply.array(PUBSUB_HELP.length);
      for (const line of PUBSUB_HELP) c.reply.simple(line);
    },
  },
];

/** pubsubCommand's reply to a known subcommand with the wrong number of arguments. */
function pubsubWrongArgs(sub: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try PUBSUB HELP.`;
}

const pubsubCommand: Command = {
  name: "pubsub",
  arity: -2,
  flags: [],
  group: "pubsub",
  since: "2.8.0",
  summary: "A container for Pub/Sub commands.",
  complexity: "Depends on subcommand.",
  syntax: "",
  subcommands: pubsubSubcommands,
  run() {
    // Container: the dispatcher runs a subcommand instead.
  },
};

export const pubsubCommands: Command[] = [
  subscribeCommand,
  unsubscribeCommand,
  psubscribeCommand,
  punsubscribeCommand,
  publishCommand,
  ssubscribeCommand,
  sunsubscribeCommand,
  spublishCommand,
  pubsubCommand,
];
