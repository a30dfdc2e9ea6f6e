// Turns benchmark samples into result rows (medians, ratios, geometric means) and renders them
// as a markdown report or JSON.
import type { Machine } from "./machine.ts";
import type { RunResult } from "./redis_benchmark.ts";
import type { ServerKind } from "./servers.ts";
import { geomean, median } from "./stats.ts";

/** Everything measured for one test at one pipeline depth. */
export interface Cell {
  test: string;
  pipeline: number;
  requests: number;
  /** One entry per round; undefined where that run failed. */
  runs: Record<ServerKind, (RunResult | undefined)[]>;
  errors: Partial<Record<ServerKind, string>>;
}

export interface Summary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Row {
  test: string;
  pipeline: number;
  requests: number;
  inmemdb?: Summary;
  redis?: Summary;
  /** Median over rounds of inmemdb rps / redis rps in the same round. */
  ratio?: number;
  /** Lowest and highest ratio of a single round (both servers measured in the same round). */
  ratioRange?: [number, number];
  error?: string;
}

export interface Report {
  machine: Machine;
  settings: {
    clients: number;
    keyspace: number;
    dataSize?: number;
    rounds: number;
    requests: string;
  };
  /** Spawn-to-accepting-connections times in ms, one per start. */
  startupMs: Record<ServerKind, number[]>;
  rssKb: Record<ServerKind, number | undefined>;
  /** Load average when the benchmark finished (the machine has its own at the start). */
  loadavgEnd: number[];
  notes: string[];
  rows: Row[];
  geomean: { pipeline: number; ratio: number; tests: number }[];
  durationS: number;
}

function summarize(runs: (RunResult | undefined)[]): Summary | undefined {
  const ok = runs.filter((r): r is RunResult => r !== undefined);
  if (ok.length === 0) return undefined;
  return {
    rps: median(ok.map((r) => r.rps)),
    p50Ms: median(ok.map((r) => r.p50Ms)),
    p99Ms: median(ok.map((r) => r.p99Ms)),
  };
}

export function toRow(cell: Cell): Row {
  const row: Row = { test: cell.test, pipeline: cell.pipeline, requests: cell.requests };
  row.inmemdb = summarize(cell.runs.inmemdb);
  row.redis = summarize(cell.runs.redis);
  const errors = Object.entries(cell.errors).map(([kind, e]) => `${kind}: ${e}`);
  if (errors.length > 0) row.error = errors.join("; ");
  if (row.inmemdb && row.redis) {
    // Runs of one round are back to back, so their ratio cancels slow drifts in machine load
    // that the ratio of two medians would not.
    const perRound = cell.runs.inmemdb.flatMap((a, i) => {
      const b = cell.runs.redis[i];
      return a && b ? [a.rps / b.rps] : [];
    });
    row.ratio = perRound.length > 0 ? median(perRound) : row.inmemdb.rps / row.redis.rps;
    if (perRound.length > 0) row.ratioRange = [Math.min(...perRound), Math.max(...perRound)];
  }
  return row;
}

/** Geometric mean of the ratios per pipeline depth, over the tests that have one. */
export function geomeans(rows: Row[]): Report["geomean"] {
  const depths = [...new Set(rows.map((r) => r.pipeline))];
  return depths.flatMap((pipeline) => {
    const ratios = rows.filter((r) => r.pipeline === pipeline && r.ratio !== undefined)
      .map((r) => r.ratio!);
    return ratios.length > 0 ? [{ pipeline, ratio: geomean(ratios), tests: ratios.length }] : [];
  });
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const latency = (s?: Summary) => s ? `${ms(s.p50Ms)} / ${ms(s.p99Ms)}` : "-";
const startup = (xs: number[]) =>
  `${Math.round(median(xs))} ms (${xs.map((x) => Math.round(x)).join(", ")})`;
const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
const mb = (kb?: number) => kb === undefined ? "?" : `${(kb / 1024).toFixed(1)} MB`;

export function renderMarkdown(r: Report): string {
  const m = r.machine;
  const lines = [
    "## inmemdb vs redis-server (redis-benchmark)",
    "",
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.os}; load average ${loads(m.loadavg)} at ` +
    `start, ${loads(r.loadavgEnd)} at end`,
    `- Deno ${m.deno}, redis-server ${m.redisServer}, redis-benchmark ${m.redisBenchmark}`,
    `- redis-benchmark -c ${r.settings.clients}` +
    (r.settings.keyspace > 0 ? ` -r ${r.settings.keyspace}` : "") +
    (r.settings.dataSize !== undefined ? ` -d ${r.settings.dataSize}` : "") +
    `, -n ${r.settings.requests}; ${r.settings.rounds} rounds per server, servers alternated, ` +
    "medians shown; ratio = median of the per-round ratios",
    `- Startup, spawn to accepting connections, median (samples): inmemdb ` +
    `${startup(r.startupMs.inmemdb)}, redis-server ${startup(r.startupMs.redis)}`,
    `- RSS after the run: inmemdb ${mb(r.rssKb.inmemdb)}, redis-server ${mb(r.rssKb.redis)}`,
    ...r.notes.map((n) => `- Note: ${n}`),
    "",
    "| test | pipeline | inmemdb rps | redis rps | ratio | ratio range | inmemdb p50 / p99 ms " +
    "| redis p50 / p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of r.rows) {
    const range = row.ratioRange
      ? `${row.ratioRange[0].toFixed(2)}–${row.ratioRange[1].toFixed(2)}`
      : "-";
    lines.push(
      `| ${row.test} | ${row.pipeline} | ${row.inmemdb ? int(row.inmemdb.rps) : "error"} | ` +
        `${row.redis ? int(row.redis.rps) : "error"} | ` +
        `${row.ratio === undefined ? "-" : row.ratio.toFixed(2)} | ${range} | ` +
        `${latency(row.inmemdb)} | ${latency(row.redis)} |`,
    );
  }
  lines.push("", "| pipeline | geometric mean of ratios | tests |", "| ---: | ---: | ---: |");
  for (const g of r.geomean) lines.push(`| ${g.pipeline} | ${g.ratio.toFixed(2)} | ${g.tests} |`);
  const errors = r.rows.filter((row) => row.error);
  if (errors.length > 0) {
    lines.push("", "Errors:");
    for (const row of errors) lines.push(`- ${row.test} -P ${row.pipeline}: ${row.error}`);
  }
  lines.push("", `Total time ${Math.round(r.durationS)} s.`);
  return lines.join("\n") + "\n";
}
