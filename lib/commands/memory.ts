// MEMORY USAGE/STATS/DOCTOR/MALLOC-STATS/PURGE/HELP, the numbers INFO memory shows, and the
// link from the maxmemory options to eviction and access tracking. Mirrors Redis's object.c
// (memoryCommand, getMemoryOverheadData, getMemoryDoctorReport) and config.c's updateMaxmemory.
import type { Client } from "../client.ts";
import type { Server } from "../server.ts";
import { ReplyError, SYNTAX } from "../errors.ts";
import { parseInteger } from "../util/numbers.ts";
import { evictionConfig, performEvictions, POLICIES, usedMemory } from "../store/eviction.ts";
import { dbOverheadBytes, keyMemoryUsage, mapBytes } from "../store/memory.ts";
import type { Command, CommandMeta } from "./types.ts";
import { lruClock } from "../store/lru.ts";

/** Keeps eviction and access tracking in step with the config; CONFIG SET maxmemory evicts. */
export function setupMemory(server: Server): void {
  const { config, keyspace } = server;
  const eviction = evictionConfig(keyspace);
  // The heap before any data: the constant part of used_memory (used_memory_startup).
  eviction.baseBytes = Deno.memoryUsage().heapUsed;
  const read = () => {
    const policy = config.str("maxmemory-policy");
    eviction.policy = POLICIES[policy]!;
    eviction.samples = config.num("maxmemory-samples");
    eviction.lazy = config.bool("lazyfree-lazy-eviction");
    const access = keyspace.accessConfig;
    const track = policy.endsWith("-lru") || policy.endsWith("-lfu");
    if (track && !access.track) access.since = lruClock();
    if (!track && access.track) { for (const db of keyspace.dbs) db.access = new Map(); }
    access.track = track;
    access.lfu = policy.endsWith("-lfu");
    access.logFactor = config.num("lfu-log-factor");
    access.decayTime = config.num("lfu-decay-time");
  };
  read();
  config.onChange(read);
  config.onApply("maxmemory", () => {
    const maxmemory = config.num("maxmemory");
    if (maxmemory === 0) return null;
    const used = usedMemory(keyspace);
    if (maxmemory < used) {
      server.log(
        "warning",
        `WARNING: the new maxmemory value set via CONFIG SET (${
          config.str("maxmemory")
        }) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    // The policy may be set by the same CONFIG SET, after this option.
    read();
    performEvictions(keyspace, maxmemory);
    return null;
  });
}

/** The figures of INFO memory and MEMORY STATS (getMemoryOverheadData). */
export interface MemoryReport {
  used: number;
  peak: number;
  startup: number;
  clientsNormal: number;
  /** Per non-empty db: [id, main table bytes, expires table bytes]. */
  dbs: [number, number, number][];
  overhead: number;
  dataset: number;
  keys: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
}

export function memoryReport(server: Server): MemoryReport {
  const keyspace = server.keyspace;
  const startup = evictionConfig(keyspace).baseBytes;
  let clientsNormal = 0;
  for (const c of server.clients.values()) clientsNormal += c.parser.pending + c.reply.len;
  const used = usedMemory(keyspace) + clientsNormal;
  server.memoryPeak = Math.max(server.memoryPeak, used);
  const dbs: [number, number, number][] = [];
  let overhead = startup + clientsNormal, keys = 0;
  for (const db of keyspace.dbs) {
    if (db.dict.size === 0) continue;
    const expires = mapBytes(db.expires.size) + db.expires.size * 16;
    const main = dbOverheadBytes(db) - expires;
    dbs.push([db.id, main, expires]);
    overhead += main + expires;
    keys += db.dict.size;
  }
  const mem = Deno.memoryUsage();
  return {
    used,
    peak: server.memoryPeak,
    startup,
    clientsNormal,
    dbs,
    overhead,
    dataset: Math.max(0, used - overhead),
    keys,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    rss: mem.rss,
  };
}

/** MEMORY USAGE key [SAMPLES count]: options first, then the key (no touch, no expiry). */
function memoryUsageCommand(c: Client, argv: string[]): void {
  let samples = 5;
  for (let j = 3; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === "samples" && j + 1 < argv.length) {
      const n = parseInteger(argv[++j]!);
      if (n === null) throw new ReplyError("ERR value is not an integer or out of range");
      if (n < 0) throw new ReplyError(SYNTAX);
      samples = Number(n);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const key = argv[2]!;
  const value = c.db.dict.get(key);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.integer(keyMemoryUsage(c.db, key, value, samples));
}

/** Redis replies floats (C float, printed as a double): the same digits need Math.fround. */
function float(c: Client, x: number): void {
  c.reply.double(Math.fround(x));
}

function memoryStatsCommand(c: Client): void {
  const r = memoryReport(c.server);
  const net = r.used - r.startup;
  c.reply.map(27 + r.dbs.length);
  const int = (name: string, n: number) => {
    c.reply.bulk(name);
    c.reply.integer(Math.round(n));
  };
  int("peak.allocated", r.peak);
  int("total.allocated", r.used);
  int("startup.allocated", r.startup);
  int("replication.backlog", 0);
  int("clients.slaves", 0);
  int("clients.normal", r.clientsNormal);
  int("cluster.links", 0);
  int("aof.buffer", 0);
  int("lua.caches", 0);
  int("functions.caches", 0);
  for (const [id, main, expires] of r.dbs) {
    c.reply.bulk(`db.${id}`);
    c.reply.map(3);
    int("overhead.hashtable.main", main);
    int("overhead.hashtable.expires", expires);
    int("overhead.hashtable.slot-to-keys", 0);
  }
  int("overhead.total", r.overhead);
  int("keys.count", r.keys);
  int("keys.bytes-per-key", r.keys === 0 ? 0 : Math.floor(net / r.keys));
  int("dataset.bytes", r.dataset);
  c.reply.bulk("dataset.percentage");
  float(c, net <= 0 ? 0 : (r.dataset * 100) / net);
  c.reply.bulk("peak.percentage");
  float(c, (r.used * 100) / r.peak);
  int("allocator.allocated", r.heapUsed);
  int("allocator.active", r.heapTotal);
  int("allocator.resident", r.rss);
  c.reply.bulk("allocator-fragmentation.ratio");
  float(c, r.heapTotal / r.heapUsed);
  int("allocator-fragmentation.bytes", r.heapTotal - r.heapUsed);
  c.reply.bulk("allocator-rss.ratio");
  float(c, r.rss / r.heapTotal);
  int("allocator-rss.bytes", r.rss - r.heapTotal);
  c.reply.bulk("rss-overhead.ratio");
  float(c, 1);
  int("rss-overhead.bytes", 0);
  c.reply.bulk("fragmentation");
  float(c, r.rss / r.used);
  int("fragmentation.bytes", r.rss - r.used);
}

const EMPTY_REPORT =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.";
const NO_ISSUES =
  "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";

/** getMemoryDoctorReport, with the checks that apply to a V8 heap (no allocator bins). */
function memoryDoctorReport(server: Server): string {
  const r = memoryReport(server);
  // Redis calls an instance under 5 MB empty; here that is 5 MB above the startup heap.
  if (r.used - r.startup < 5 * 1024 * 1024) return EMPTY_REPORT;
  const issues: string[] = [];
  if (r.peak / 2 > r.used) {
    issues.push(
      " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n",
    );
  }
  if (r.rss / r.used > 1.4) {
    issues.push(
      ` * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is "v8".\n\n`,
    );
  }
  const clients = server.clients.size;
  if (clients !== 0 && r.clientsNormal / clients > 1024 * 200) {
    issues.push(
      " * Big client buffers: The clients output buffers are in average greater than 200K per client. This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n",
    );
  }
  if (issues.length === 0) return NO_ISSUES;
  return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" +
    issues.join("") + "I'm here to keep you safe, Sam. I want to help you.\n";
}

/** MALLOC-STATS: V8's heap figures stand in for jemalloc's report. */
function mallocStats(): string {
  const mem = Deno.memoryUsage();
  return [
    "___ Begin V8 heap statistics ___",
    `heap_used: ${mem.heapUsed}`,
    `heap_total: ${mem.heapTotal}`,
    `external: ${mem.external}`,
    `rss: ${mem.rss}`,
    "--- End V8 heap statistics ---",
    "",
  ].join("\n");
}

const MEMORY_HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

/** The tips of the subcommands that report on every shard, each in its own way. */
const SHARDS_SPECIAL: CommandMeta = {
  tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
};

/** The fields MEMORY's subcommands share; a record spreads them first and may override them. */
const MEMORY_SUBCOMMAND: Pick<Command, "arity" | "flags" | "group" | "since" | "syntax"> = {
  arity: 2,
  flags: [],
  group: "server",
  since: "4.0.0",
  syntax: "",
};

const SLOW = "Depends on how much memory is allocated, could be slow";

const memorySubcommands: Command[] = [
  {
    ...MEMORY_SUBCOMMAND,
    name: "doctor",
    summary: "Outputs memory problems report",
    complexity: "O(1)",
    meta: SHARDS_SPECIAL,
    run: (c) => c.reply.verbatim(memoryDoctorReport(c.server)),
  },
  {
    ...MEMORY_SUBCOMMAND,
    name: "purge",
    summary: "Ask the allocator to release memory",
    complexity: SLOW,
    meta: { tips: ["request_policy:all_shards", "response_policy:all_succeeded"] },
    run: (c) => {
      // With --v8-flags=--expose-gc a full collection runs (the memory benchmark uses it).
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc !== undefined) gc();
      c.reply.ok();
    },
  },
  {
    ...MEMORY_SUBCOMMAND,
    name: "stats",
    summary: "Show memory usage details",
    complexity: "O(1)",
    meta: SHARDS_SPECIAL,
    run: memoryStatsCommand,
  },
  {
    ...MEMORY_SUBCOMMAND,
    name: "usage",
    arity: -3,
    flags: ["readonly"],
    summary: "Estimate the memory usage of a key",
    complexity: "O(N) where N is the number of samples.",
    syntax: "key [SAMPLES count:integer]",
    keys: { first: 2, last: 2, step: 1 },
    meta: { keyFlags: "RO" },
    run: memoryUsageCommand,
  },
  {
    ...MEMORY_SUBCOMMAND,
    name: "help",
    flags: ["loading", "stale"],
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    run(c) {
      c.reply.array(MEMORY_HELP.length);
      for (const line of MEMORY_HELP) c.reply.simple(line);
    },
  },
  {
    ...MEMORY_SUBCOMMAND,
    name: "malloc-stats",
    summary: "Show allocator internal stats",
    complexity: SLOW,
    meta: SHARDS_SPECIAL,
    run: (c) => c.reply.verbatim(mallocStats()),
  },
];

export const memoryCommands: Command[] = [
  {
    name: "memory",
    arity: -2,
    flags: [],
    group: "server",
    since: "4.0.0",
    summary: "A container for memory diagnostics commands",
    complexity: "Depends on subcommand.",
    syntax: "",
    subcommands: memorySubcommands,
    run() {
      // Container: the dispatcher runs a subcommand instead.
    },
  },
];
