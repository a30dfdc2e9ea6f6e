// Pub/Sub: who is subscribed to which channel, pattern and shard channel, and message delivery
// into subscribers' output. Mirrors Redis's pubsub.c; keyspace notifications publish through here.
import type { Client } from "./client.ts";
import { CLIENT_PUBSUB } from "./client_flags.ts";
import { ReplyWriter } from "./resp/writer.ts";
import { matchGlob } from "./store/glob.ts";
import { setEventPublisher } from "./keyspace_events.ts";

/** A client's subscriptions, in subscription order. */
export interface ClientPubSub {
  channels: Set<string>;
  patterns: Set<string>;
  shardChannels: Set<string>;
}

/** A channel's subscribers, in subscription order, and the start of its message frames. */
class ChannelSubscribers {
  readonly clients = new Set<Client>();
  /** `*3 message <channel>` (or smessage) encoded by the first PUBLISH: it repeats. */
  head: Uint8Array | null = null;
}

/**
 * The channel the last PUBLISH found subscribers on: a stream of messages to one channel skips
 * hashing each new channel string for the Map (a string compare is cheaper). Forgotten when
 * any channel loses its last subscriber, as its entry then leaves the registry.
 */
let recentChannel = "";
let recentSharded = false;
let recentSubscribers: ChannelSubscribers | null = null;

/** Subscribers of each channel and pattern (server.pubsub_*). */
const channels = new Map<string, ChannelSubscribers>();
const shardChannels = new Map<string, ChannelSubscribers>();
const patterns = new Map<string, Set<Client>>();

/** The classic and the shard flavour differ in their reply names and registries (pubsubtype). */
interface PubSubType {
  shard: boolean;
  registry: Map<string, ChannelSubscribers>;
  subscribeMsg: string;
  unsubscribeMsg: string;
  messageBulk: string;
  /** The count a (un)subscribe reply carries. */
  subscriptionCount(c: Client): number;
  clientChannels(state: ClientPubSub): Set<string>;
}

export const pubSubType: PubSubType = {
  shard: false,
  registry: channels,
  subscribeMsg: "subscribe",
  unsubscribeMsg: "unsubscribe",
  messageBulk: "message",
  subscriptionCount: clientSubscriptionsCount,
  clientChannels: (state) => state.channels,
};

export const pubSubShardType: PubSubType = {
  shard: true,
  registry: shardChannels,
  subscribeMsg: "ssubscribe",
  unsubscribeMsg: "sunsubscribe",
  messageBulk: "smessage",
  subscriptionCount: clientShardSubscriptionsCount,
  clientChannels: (state) => state.shardChannels,
};

/** Channels plus patterns: what SUBSCRIBE/PSUBSCRIBE replies count. */
export function clientSubscriptionsCount(c: Client): number {
  const state = c.pubsub;
  return state === null ? 0 : state.channels.size + state.patterns.size;
}

export function clientShardSubscriptionsCount(c: Client): number {
  return c.pubsub === null ? 0 : c.pubsub.shardChannels.size;
}

function clientTotalPubSubSubscriptionCount(c: Client): number {
  return clientSubscriptionsCount(c) + clientShardSubscriptionsCount(c);
}

function stateOf(c: Client): ClientPubSub {
  return c.pubsub ??= { channels: new Set(), patterns: new Set(), shardChannels: new Set() };
}

/** Leaves Pub/Sub mode once nothing is subscribed any more. */
function updatePubSubFlag(c: Client): void {
  if (clientTotalPubSubSubscriptionCount(c) === 0) {
    c.flags &= ~CLIENT_PUBSUB;
    c.pubsub = null;
  } else {
    c.flags |= CLIENT_PUBSUB;
  }
}

function addReplyPubsubSubscribed(c: Client, name: string, kind: string, count: number): void {
  c.reply.push(3);
  c.reply.bulk(kind);
  c.reply.bulk(name);
  c.reply.integer(count);
}

function addReplyPubsubUnsubscribed(
  c: Client,
  name: string | null,
  kind: string,
  count: number,
): void {
  c.reply.push(3);
  c.reply.bulk(kind);
  c.reply.bulkOrNull(name);
  c.reply.integer(count);
}

/** SUBSCRIBE/SSUBSCRIBE of one channel: registers the client (once) and replies. */
export function pubsubSubscribeChannel(c: Client, channel: string, type: PubSubType): void {
  const mine = type.clientChannels(stateOf(c));
  if (!mine.has(channel)) {
    mine.add(channel);
    let subscribers = type.registry.get(channel);
    if (subscribers === undefined) {
      type.registry.set(channel, subscribers = new ChannelSubscribers());
    }
    subscribers.clients.add(c);
  }
  c.flags |= CLIENT_PUBSUB;
  addReplyPubsubSubscribed(c, channel, type.subscribeMsg, type.subscriptionCount(c));
}

/** UNSUBSCRIBE/SUNSUBSCRIBE of one channel; replies when `notify`. */
export function pubsubUnsubscribeChannel(
  c: Client,
  channel: string,
  notify: boolean,
  type: PubSubType,
): void {
  const state = c.pubsub;
  if (state !== null && type.clientChannels(state).delete(channel)) {
    const subscribers = type.registry.get(channel)!.clients;
    subscribers.delete(c);
    if (subscribers.size === 0) {
      type.registry.delete(channel);
      recentSubscribers = null;
    }
  }
  if (notify) {
    addReplyPubsubUnsubscribed(c, channel, type.unsubscribeMsg, type.subscriptionCount(c));
  }
  updatePubSubFlag(c);
}

/** UNSUBSCRIBE/SUNSUBSCRIBE without arguments: every channel, or a reply that there was none. */
export function pubsubUnsubscribeAllChannels(c: Client, notify: boolean, type: PubSubType): void {
  const mine = c.pubsub === null ? [] : [...type.clientChannels(c.pubsub)];
  for (const channel of mine) pubsubUnsubscribeChannel(c, channel, notify, type);
  if (notify && mine.length === 0) {
    addReplyPubsubUnsubscribed(c, null, type.unsubscribeMsg, type.subscriptionCount(c));
  }
}

export function pubsubSubscribePattern(c: Client, pattern: string): void {
  const state = stateOf(c);
  if (!state.patterns.has(pattern)) {
    state.patterns.add(pattern);
    let subscribers = patterns.get(pattern);
    if (subscribers === undefined) patterns.set(pattern, subscribers = new Set());
    subscribers.add(c);
  }
  c.flags |= CLIENT_PUBSUB;
  addReplyPubsubSubscribed(c, pattern, "psubscribe", clientSubscriptionsCount(c));
}

export function pubsubUnsubscribePattern(c: Client, pattern: string, notify: boolean): void {
  const state = c.pubsub;
  if (state !== null && state.patterns.delete(pattern)) {
    const subscribers = patterns.get(pattern)!;
    subscribers.delete(c);
    if (subscribers.size === 0) patterns.delete(pattern);
  }
  if (notify) {
    addReplyPubsubUnsubscribed(c, pattern, "punsubscribe", clientSubscriptionsCount(c));
  }
  updatePubSubFlag(c);
}

export function pubsubUnsubscribeAllPatterns(c: Client, notify: boolean): void {
  const mine = c.pubsub === null ? [] : [...c.pubsub.patterns];
  for (const pattern of mine) pubsubUnsubscribePattern(c, pattern, notify);
  if (notify && mine.length === 0) {
    addReplyPubsubUnsubscribed(c, null, "punsubscribe", clientSubscriptionsCount(c));
  }
}

/** RESET and disconnection: every subscription of every kind, with replies when `notify`. */
export function pubsubUnsubscribeAll(c: Client, notify: boolean): void {
  if (c.pubsub === null) return;
  pubsubUnsubscribeAllChannels(c, notify, pubSubType);
  pubsubUnsubscribeAllChannels(c, notify, pubSubShardType);
  pubsubUnsubscribeAllPatterns(c, notify);
}

/** Encodes message heads (the frame up to the payload); shared, used one head at a time. */
const headWriter = new ReplyWriter();
/** RESP2's array and RESP3's push type bytes: a message frame starts with one of them. */
const ARRAY_BYTE = 42;
const PUSH_BYTE = 62;

function messageHead(channel: string, sharded: boolean): Uint8Array {
  headWriter.len = 0;
  headWriter.array(3);
  headWriter.bulk(sharded ? "smessage" : "message");
  headWriter.bulk(channel);
  return headWriter.bytes().slice();
}

/**
 * Appends head + the message as a bulk string to each client's output: encoded once, into the
 * first receiver's buffer, and copied from there to the others, with the type byte of each
 * receiver's protocol (RESP3 gets a push). Returns the number of receivers.
 */
function deliver(clients: Set<Client>, head: Uint8Array, message: string): number {
  let receivers = 0;
  let encoded: ReplyWriter | null = null;
  let from = 0;
  /** The frame in the first receiver's buffer, viewed once for all the others. */
  let encodedFrame: Uint8Array | null = null;
  for (const c of clients) {
    receivers++;
    // A client about to close (QUIT) takes no more output, as in Redis's prepareClientToWrite.
    if (c.closeAfterReply) continue;
    const reply = c.reply;
    const at = reply.len;
    if (encoded === null) {
      reply.raw(head);
      reply.bulk(message);
      encoded = reply;
      from = at;
    } else {
      encodedFrame ??= encoded.buf.subarray(from, encoded.len);
      reply.raw(encodedFrame);
    }
    reply.buf[at] = reply.resp === 3 ? PUSH_BYTE : ARRAY_BYTE;
    c.pushed();
  }
  return receivers;
}

/**
 * Sends the message to the channel's subscribers, then to the subscribers of each matching
 * pattern (not for shard channels); returns the number of deliveries (pubsubPublishMessage).
 */
export function pubsubPublishMessage(channel: string, message: string, sharded: boolean): number {
  let receivers = 0;
  let subscribers: ChannelSubscribers | undefined;
  if (recentSubscribers !== null && channel === recentChannel && sharded === recentSharded) {
    subscribers = recentSubscribers;
  } else {
    subscribers = (sharded ? shardChannels : channels).get(channel);
    if (subscribers !== undefined) {
      recentChannel = channel;
      recentSharded = sharded;
      recentSubscribers = subscribers;
    }
  }
  if (subscribers !== undefined) {
    subscribers.head ??= messageHead(channel, sharded);
    receivers += deliver(subscribers.clients, subscribers.head, message);
  }
  if (sharded || patterns.size === 0) return receivers;
  for (const [pattern, clients] of patterns) {
    if (!matchGlob(pattern, channel)) continue;
    headWriter.len = 0;
    headWriter.array(4);
    headWriter.bulk("pmessage");
    headWriter.bulk(pattern);
    headWriter.bulk(channel);
    receivers += deliver(clients, headWriter.bytes(), message);
  }
  return receivers;
}

/** Channels (or shard channels) with at least one subscriber, optionally matching a pattern. */
export function activeChannels(sharded: boolean, pattern?: string): string[] {
  const out: string[] = [];
  for (const channel of (sharded ? shardChannels : channels).keys()) {
    if (pattern === undefined || matchGlob(pattern, channel)) out.push(channel);
  }
  return out;
}

export function channelSubscribers(channel: string, sharded: boolean): number {
  return (sharded ? shardChannels : channels).get(channel)?.clients.size ?? 0;
}

/** INFO's pubsub_channels, pubsub_patterns and pubsubshard_channels. */
export function pubsubTotals(): { channels: number; patterns: number; shardChannels: number } {
  return { channels: channels.size, patterns: patterns.size, shardChannels: shardChannels.size };
}

// Keyspace notifications (notify.c) are published like PUBLISH messages.
setEventPublisher((channel, message) => {
  pubsubPublishMessage(channel, message, false);
});
