// INFO: the server report, section by section, with Redis 7.0's field names and order.
// Mirrors genRedisInfoString in Redis's server.c. Values Redis has and we do not (forks,
// replication, defrag, scripts) are reported as Redis reports them when idle.
import type { Client } from "../client.ts";
import type { Server } from "../server.ts";
import { now } from "../clock.ts";
import { VERSION } from "../version.ts";
import { pubsubTotals } from "../pubsub.ts";
import { trackingInfo } from "../tracking.ts";
import type { Command } from "./types.ts";
import { memoryReport } from "./memory.ts";
import { commandStatsFields, errorStats } from "./command_stats.ts";

type Fields = [string, string | number][];

/** Sections in report order; "default" ones answer a plain INFO. */
const SECTIONS: { name: string; title: string; isDefault: boolean; gen: (s: Server) => Fields }[] =
  [
    { name: "server", title: "Server", isDefault: true, gen: serverSection },
    { name: "clients", title: "Clients", isDefault: true, gen: clientsSection },
    { name: "memory", title: "Memory", isDefault: true, gen: memorySection },
    { name: "persistence", title: "Persistence", isDefault: true, gen: persistenceSection },
    { name: "stats", title: "Stats", isDefault: true, gen: statsSection },
    { name: "replication", title: "Replication", isDefault: true, gen: replicationSection },
    { name: "cpu", title: "CPU", isDefault: true, gen: cpuSection },
    // We load no modules: the section is there and empty, as in Redis without modules.
    { name: "modules", title: "Modules", isDefault: true, gen: () => [] },
    { name: "commandstats", title: "Commandstats", isDefault: false, gen: commandstatsSection },
    { name: "errorstats", title: "Errorstats", isDefault: true, gen: errorstatsSection },
    { name: "cluster", title: "Cluster", isDefault: true, gen: () => [["cluster_enabled", 0]] },
    { name: "keyspace", title: "Keyspace", isDefault: true, gen: keyspaceSection },
  ];

/** The INFO text for the requested section names (none: the default sections). */
export function genInfoString(server: Server, requested: string[]): string {
  const wanted = new Set<string>();
  for (const arg of requested.length === 0 ? ["default"] : requested) {
    const name = arg.toLowerCase();
    if (name === "all" || name === "everything") {
      for (const s of SECTIONS) wanted.add(s.name);
    } else if (name === "default") {
      for (const s of SECTIONS) if (s.isDefault) wanted.add(s.name);
    } else {
      wanted.add(name);
    }
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!wanted.has(section.name)) continue;
    let text = `# ${section.title}\r\n`;
    for (const [key, value] of section.gen(server)) text += `${key}:${value}\r\n`;
    parts.push(text);
  }
  return parts.join("\r\n");
}

function serverSection(server: Server): Fields {
  const uptime = Math.floor((Date.now() - server.startTime) / 1000);
  const hz = server.config.num("hz");
  return [
    ["redis_version", VERSION.redis],
    ["inmemdb_version", VERSION.version],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", osName()],
    ["arch_bits", 64],
    ["monotonic_clock", "performance.now"],
    ["multiplexing_api", MULTIPLEXING[Deno.build.os] ?? "tokio"],
    ["atomicvar_api", "none"],
    ["gcc_version", "0.0.0"],
    ["deno_version", Deno.version.deno],
    ["process_id", Deno.pid],
    ["process_supervised", "no"],
    ["run_id", server.runId],
    ["tcp_port", server.port],
    ["server_time_usec", Math.floor((performance.timeOrigin + performance.now()) * 1000)],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", hz],
    ["configured_hz", hz],
    // Redis's LRU clock: seconds, 24 bits.
    ["lru_clock", Math.floor(now() / 1000) & 0xffffff],
    ["executable", Deno.execPath()],
    ["config_file", server.config.file ?? ""],
    ["io_threads_active", 0],
  ];
}

/** The event loop under Deno's runtime (tokio's mio) on each OS. */
const MULTIPLEXING: Record<string, string> = {
  linux: "epoll",
  android: "epoll",
  darwin: "kqueue",
  freebsd: "kqueue",
  windows: "iocp",
};

function osName(): string {
  const name = Deno.build.os === "darwin"
    ? "Darwin"
    : Deno.build.os[0]!.toUpperCase() + Deno.build.os.slice(1);
  let release = "";
  try {
    release = Deno.osRelease();
  } catch {
    // not permitted
  }
  return `${name} ${release} ${Deno.build.arch}`;
}

function clientsSection(server: Server): Fields {
  let maxInput = 0, maxOutput = 0;
  for (const c of server.clients.values()) {
    maxInput = Math.max(maxInput, c.parser.pending);
    maxOutput = Math.max(maxOutput, c.reply.len);
  }
  return [
    ["connected_clients", server.clients.size],
    ["cluster_connections", 0],
    ["maxclients", server.config.str("maxclients")],
    ["client_recent_max_input_buffer", maxInput],
    ["client_recent_max_output_buffer", maxOutput],
    ["blocked_clients", server.blockedClients],
    ["tracking_clients", trackingInfo().clients],
    ["clients_in_timeout_table", 0],
  ];
}

/** Redis's bytesToHuman: B below 1K, then two decimals of K, M, G, T, P. */
export function bytesToHuman(bytes: number | bigint): string {
  const n = typeof bytes === "bigint" ? bytes : BigInt(Math.floor(bytes));
  let scale = 1n;
  for (const unit of ["B", "K", "M", "G", "T", "P"]) {
    if (n < scale * 1024n) return unit === "B" ? `${n}B` : `${fixed2(n, scale)}${unit}`;
    scale *= 1024n;
  }
  return `${n}B`;
}

/** n / d with two decimals, rounded half to even on the exact value like printf's %.2f. */
function fixed2(n: bigint, d: bigint): string {
  let q = n * 100n / d;
  const r = n * 100n % d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) q++;
  return `${q / 100n}.${String(q % 100n).padStart(2, "0")}`;
}

function ratio(a: number, b: number): string {
  return (b === 0 ? 0 : a / b).toFixed(2);
}

/** used_memory is the data set's estimate (lib/store/memory.ts); allocator_* are V8's heap. */
function memorySection(server: Server): Fields {
  const report = memoryReport(server);
  const used = report.used;
  const peak = report.peak;
  const clientBuffers = report.clientsNormal;
  const startup = report.startup;
  const overhead = report.overhead;
  const dataset = report.dataset;
  let systemTotal = 0;
  try {
    systemTotal = Deno.systemMemoryInfo().total;
  } catch {
    // not available on this platform
  }
  const maxmemory = server.config.str("maxmemory");
  const active = report.heapTotal;
  const resident = report.rss;
  return [
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", report.rss],
    ["used_memory_rss_human", bytesToHuman(report.rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", `${ratio(used * 100, peak)}%`],
    ["used_memory_overhead", overhead],
    ["used_memory_startup", startup],
    ["used_memory_dataset", dataset],
    ["used_memory_dataset_perc", `${ratio(dataset * 100, Math.max(1, used - startup))}%`],
    ["allocator_allocated", report.heapUsed],
    ["allocator_active", active],
    ["allocator_resident", resident],
    ["total_system_memory", systemTotal],
    ["total_system_memory_human", bytesToHuman(systemTotal)],
    // No scripting engine yet: nothing is allocated for it.
    ["used_memory_lua", 0],
    ["used_memory_vm_eval", 0],
    ["used_memory_lua_human", "0B"],
    ["used_memory_scripts_eval", 0],
    ["number_of_cached_scripts", 0],
    ["number_of_functions", 0],
    ["number_of_libraries", 0],
    ["used_memory_vm_functions", 0],
    ["used_memory_vm_total", 0],
    ["used_memory_vm_total_human", "0B"],
    ["used_memory_functions", 0],
    ["used_memory_scripts", 0],
    ["used_memory_scripts_human", "0B"],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(BigInt(maxmemory))],
    ["maxmemory_policy", server.config.str("maxmemory-policy")],
    ["allocator_frag_ratio", ratio(active, report.heapUsed)],
    ["allocator_frag_bytes", active - report.heapUsed],
    ["allocator_rss_ratio", ratio(resident, active)],
    ["allocator_rss_bytes", resident - active],
    ["rss_overhead_ratio", ratio(report.rss, resident)],
    ["rss_overhead_bytes", report.rss - resident],
    ["mem_fragmentation_ratio", ratio(report.rss, used)],
    ["mem_fragmentation_bytes", report.rss - used],
    // Client buffers are in used_memory but not compared with maxmemory (O(1) per command).
    ["mem_not_counted_for_evict", clientBuffers],
    ["mem_replication_backlog", 0],
    ["mem_total_replication_buffers", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", clientBuffers],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", "v8"],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", 0],
  ];
}

function persistenceSection(server: Server): Fields {
  return [
    // ioredis waits for loading:0 before it sends anything.
    ["loading", 0],
    ["async_loading", 0],
    ...server.persistence.infoFields(),
    ...server.persistence.aof.infoFields(),
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
    ...(server.config.bool("appendonly") ? server.persistence.aof.infoEnabledFields() : []),
  ];
}

function statsSection(server: Server): Fields {
  const stats = server.stats;
  const pubsub = pubsubTotals();
  const tracking = trackingInfo();
  const ks = server.keyspace.stats;
  return [
    ["total_connections_received", stats.totalConnections],
    ["total_commands_processed", stats.totalCommands],
    ["instantaneous_ops_per_sec", stats.opsPerSec],
    ["total_net_input_bytes", stats.netInputBytes],
    ["total_net_output_bytes", stats.netOutputBytes],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", stats.inputKbps.toFixed(2)],
    ["instantaneous_output_kbps", stats.outputKbps.toFixed(2)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", stats.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", ks.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["expire_cycle_cpu_milliseconds", Math.round(ks.expireCycleCpuMs)],
    ["evicted_keys", server.keyspace.evictedKeys],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", 0],
    ["current_eviction_exceeded_time", 0],
    ["keyspace_hits", ks.hits],
    ["keyspace_misses", ks.misses],
    ["pubsub_channels", pubsub.channels],
    ["pubsub_patterns", pubsub.patterns],
    ["pubsubshard_channels", pubsub.shardChannels],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", tracking.keys],
    ["tracking_total_items", tracking.items],
    ["tracking_total_prefixes", tracking.prefixes],
    ["unexpected_error_replies", 0],
    ["total_error_replies", errorStats.total],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", stats.readsProcessed],
    ["total_writes_processed", stats.writesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ];
}

/** cmdstat_<name> for every command (subcommands as `config|get`) that was called or refused. */
function commandstatsSection(): Fields {
  return commandStatsFields();
}

function errorstatsSection(): Fields {
  // Redis keeps them in a radix tree: sorted by code.
  const codes = [...errorStats.codes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
}

function replicationSection(server: Server): Fields {
  return [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", server.replId],
    ["master_replid2", "0".repeat(40)],
    ["master_repl_offset", 0],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", 1048576],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ];
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux ABI Deno runs on). */
const USER_HZ = 100;

/** utime, stime, cutime, cstime in ticks from a /proc stat file, or zeros. */
function procTimes(path: string): number[] {
  try {
    const stat = Deno.readTextFileSync(path);
    // Fields after the parenthesized command name; utime is field 14 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [11, 12, 13, 14].map((i) => Number(fields[i]) || 0);
  } catch {
    return [0, 0, 0, 0];
  }
}

/** Seconds as Redis prints rusage times: "%ld.%06ld". */
function cpuSeconds(ticks: number): string {
  const micros = Math.round(ticks * 1_000_000 / USER_HZ);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

function cpuSection(): Fields {
  // Deno has no getrusage: Linux's /proc has the same numbers at clock-tick precision.
  const [utime, stime, cutime, cstime] = procTimes("/proc/self/stat");
  const [mainUtime, mainStime] = procTimes(`/proc/self/task/${Deno.pid}/stat`);
  return [
    ["used_cpu_sys", cpuSeconds(stime!)],
    ["used_cpu_user", cpuSeconds(utime!)],
    ["used_cpu_sys_children", cpuSeconds(cstime!)],
    ["used_cpu_user_children", cpuSeconds(cutime!)],
    ["used_cpu_sys_main_thread", cpuSeconds(mainStime!)],
    ["used_cpu_user_main_thread", cpuSeconds(mainUtime!)],
  ];
}

/** Keys with a TTL examined for avg_ttl: an estimate, like Redis's sampled one. */
const AVG_TTL_SAMPLE = 1000;

function keyspaceSection(server: Server): Fields {
  const out: Fields = [];
  const at = now();
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    let sum = 0, count = 0;
    for (const when of db.expires.values()) {
      if (count === AVG_TTL_SAMPLE) break;
      if (when > at) sum += when - at;
      count++;
    }
    const avgTtl = count === 0 ? 0 : Math.round(sum / count);
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${avgTtl}`]);
  }
  return out;
}

export const infoCommand: Command = {
  name: "info",
  arity: -1,
  flags: ["loading", "stale"],
  group: "server",
  since: "1.0.0",
  summary: "Returns information and statistics about the server.",
  complexity: "O(1)",
  syntax: "[section [section ...]]",
  meta: {
    acl: "dangerous",
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
  run(c: Client, argv: string[]) {
    c.reply.verbatim(genInfoString(c.server, argv.slice(1)));
  },
};
