// What Redis 7.0 declares per command in src/commands/*.json beyond our command records: the
// explicit ACL categories, key spec flags (and whole key specs where one range does not
// describe the keys), and command tips. Only entries that differ from the defaults derived in
// acl_categories.ts and key_specs.ts are listed; keyed by full name ("client|list").

import type { Command, CommandMeta } from "./types.ts";
export type { CommandMeta, KeySpecDecl } from "./types.ts";

/** The record's own `meta`, else the table below (entries move into the records over time). */
export function commandMeta(command: Command, fullName: string): CommandMeta | undefined {
  return command.meta ?? REDIS_META[fullName];
}

const REDIS_META: Readonly<Record<string, CommandMeta>> = {
  append: { keyFlags: "RW insert" },
  asking: { acl: "connection" },
  "client|info": { tips: ["nondeterministic_output"] },
  "client|list": { tips: ["nondeterministic_output"] },
  "cluster|bumpepoch": { tips: ["nondeterministic_output"] },
  "cluster|count-failure-reports": { tips: ["nondeterministic_output"] },
  "cluster|getkeysinslot": { tips: ["nondeterministic_output"] },
  "cluster|info": { tips: ["nondeterministic_output"] },
  "cluster|links": { tips: ["nondeterministic_output"] },
  "cluster|nodes": { tips: ["nondeterministic_output"] },
  "cluster|replicas": { tips: ["nondeterministic_output"] },
  "cluster|shards": { tips: ["nondeterministic_output"] },
  "cluster|slaves": { tips: ["nondeterministic_output"] },
  "cluster|slots": { tips: ["nondeterministic_output"] },
  command: { acl: "connection", tips: ["nondeterministic_output_order"] },
  "command|count": { acl: "connection" },
  "command|docs": { acl: "connection", tips: ["nondeterministic_output_order"] },
  "command|getkeys": { acl: "connection" },
  "command|getkeysandflags": { acl: "connection" },
  "command|help": { acl: "connection" },
  "command|info": { acl: "connection", tips: ["nondeterministic_output_order"] },
  "command|list": { acl: "connection", tips: ["nondeterministic_output_order"] },
  "config|set": { tips: ["request_policy:all_nodes", "response_policy:all_succeeded"] },
  copy: {
    keySpecs: [
      { flags: "RO access", index: 1, range: [0, 1, 0] },
      { flags: "OW update", index: 2, range: [0, 1, 0] },
    ],
  },
  dbsize: { acl: "keyspace", tips: ["request_policy:all_shards", "response_policy:agg_sum"] },
  decr: { keyFlags: "RW access update" },
  decrby: { keyFlags: "RW access update" },
  del: { keyFlags: "RM delete", tips: ["request_policy:multi_shard", "response_policy:agg_sum"] },
  dump: { tips: ["nondeterministic_output"] },
  exists: { keyFlags: "RO", tips: ["request_policy:multi_shard", "response_policy:agg_sum"] },
  flushall: {
    acl: "keyspace dangerous",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  },
  flushdb: {
    acl: "keyspace dangerous",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  },
  getdel: { keyFlags: "RW access delete" },
  getex: { keyFlags: "RW access update", notes: "RW and UPDATE because it changes the TTL" },
  getset: { keyFlags: "RW access update" },
  incr: { keyFlags: "RW access update" },
  incrby: { keyFlags: "RW access update" },
  incrbyfloat: { keyFlags: "RW access update" },
  info: {
    acl: "dangerous",
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
  keys: {
    acl: "keyspace dangerous",
    tips: ["request_policy:all_shards", "nondeterministic_output_order"],
  },
  lastsave: { acl: "admin dangerous", tips: ["nondeterministic_output"] },
  "latency|doctor": {
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
  },
  "latency|graph": {
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
  },
  "latency|histogram": {
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
  },
  "latency|history": {
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
  },
  "latency|latest": {
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
  },
  "latency|reset": { tips: ["request_policy:all_nodes", "response_policy:all_succeeded"] },
  "memory|doctor": {
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
  "memory|malloc-stats": {
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
  "memory|purge": { tips: ["request_policy:all_shards", "response_policy:all_succeeded"] },
  "memory|stats": {
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
  "memory|usage": { keyFlags: "RO" },
  mget: { tips: ["request_policy:multi_shard"] },
  migrate: {
    acl: "keyspace dangerous",
    keySpecs: [
      { flags: "RW access delete", index: 3, range: [0, 1, 0] },
      { flags: "RW access delete incomplete", keyword: ["KEYS", -2], range: [-1, 1, 0] },
    ],
    tips: ["nondeterministic_output"],
  },
  "module|list": { tips: ["nondeterministic_output_order"] },
  move: { keyFlags: "RW access update" },
  mset: {
    keyFlags: "OW update",
    tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
  },
  msetnx: {
    keyFlags: "OW insert",
    tips: ["request_policy:multi_shard", "response_policy:agg_min"],
  },
  "object|encoding": { keyFlags: "RO", tips: ["nondeterministic_output"] },
  "object|freq": { keyFlags: "RO", tips: ["nondeterministic_output"] },
  "object|idletime": { keyFlags: "RO", tips: ["nondeterministic_output"] },
  "object|refcount": { keyFlags: "RO", tips: ["nondeterministic_output"] },
  ping: { tips: ["request_policy:all_shards", "response_policy:all_succeeded"] },
  psetex: { keyFlags: "OW update" },
  pttl: { tips: ["nondeterministic_output"] },
  randomkey: { tips: ["request_policy:all_shards", "nondeterministic_output"] },
  readonly: { acl: "connection" },
  readwrite: { acl: "connection" },
  rename: {
    keySpecs: [
      { flags: "RW access delete", index: 1, range: [0, 1, 0] },
      { flags: "OW update", index: 2, range: [0, 1, 0] },
    ],
  },
  renamenx: {
    keySpecs: [
      { flags: "RW access delete", index: 1, range: [0, 1, 0] },
      { flags: "OW insert", index: 2, range: [0, 1, 0] },
    ],
  },
  restore: { acl: "keyspace dangerous", keyFlags: "OW update" },
  "restore-asking": { acl: "keyspace dangerous", keyFlags: "OW update" },
  role: { acl: "admin dangerous" },
  scan: { tips: ["nondeterministic_output", "request_policy:special"] },
  set: {
    keyFlags: "RW access update variable_flags",
    notes: "RW and ACCESS due to the optional `GET` argument",
  },
  setex: { keyFlags: "OW update" },
  setnx: { keyFlags: "OW insert" },
  "slowlog|get": { tips: ["request_policy:all_nodes", "nondeterministic_output"] },
  "slowlog|len": {
    tips: ["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
  },
  "slowlog|reset": { tips: ["request_policy:all_nodes", "response_policy:all_succeeded"] },
  sort: {
    acl: "set sortedset list dangerous",
    keySpecs: [
      { flags: "RO access", index: 1, range: [0, 1, 0] },
      {
        notes:
          "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
        flags: "RO access",
      },
      {
        notes:
          "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
        flags: "OW update",
      },
    ],
  },
  sort_ro: {
    acl: "set sortedset list dangerous",
    keySpecs: [
      { flags: "RO access", index: 1, range: [0, 1, 0] },
      {
        notes:
          "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
        flags: "RO access",
      },
    ],
  },
  strlen: { keyFlags: "RO" },
  swapdb: { acl: "keyspace dangerous" },
  time: { tips: ["nondeterministic_output"] },
  touch: { keyFlags: "RO", tips: ["request_policy:multi_shard", "response_policy:agg_sum"] },
  ttl: { tips: ["nondeterministic_output"] },
  type: { keyFlags: "RO" },
  unlink: {
    keyFlags: "RM delete",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  },
  wait: { acl: "connection", tips: ["request_policy:all_shards", "response_policy:agg_min"] },
};
