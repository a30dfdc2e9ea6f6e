// Tests for bench/report.ts: medians, ratios, geometric means and the markdown table.
import assert from "node:assert/strict";
import { type Cell, geomeans, renderMarkdown, type Report, toRow } from "./report.ts";

const r = (rps: number) => ({ rps, p50Ms: 1, p99Ms: 2 });

Deno.test("toRow takes medians of rounds and the median of per-round ratios", () => {
  const cell: Cell = {
    test: "SET",
    pipeline: 1,
    requests: 1000,
    runs: { inmemdb: [r(80), r(90), r(100)], redis: [r(100), r(200), r(100)] },
    errors: {},
  };
  const row = toRow(cell);
  assert.equal(row.inmemdb?.rps, 90);
  assert.equal(row.redis?.rps, 100);
  assert.equal(row.ratio, 0.8);
  assert.deepEqual(row.ratioRange, [0.45, 1]);
  assert.equal(row.error, undefined);
});

Deno.test("a failed server has no summary and the row carries the error", () => {
  const cell: Cell = {
    test: "LPUSH",
    pipeline: 16,
    requests: 1000,
    runs: { inmemdb: [undefined], redis: [r(100)] },
    errors: { inmemdb: "ERR unknown command" },
  };
  const row = toRow(cell);
  assert.equal(row.inmemdb, undefined);
  assert.equal(row.ratio, undefined);
  assert.equal(row.error, "inmemdb: ERR unknown command");
});

Deno.test("geomeans groups ratios by pipeline depth", () => {
  const rows = [
    { test: "A", pipeline: 1, requests: 1, ratio: 0.5 },
    { test: "B", pipeline: 1, requests: 1, ratio: 2 },
    { test: "A", pipeline: 16, requests: 1, ratio: 0.25 },
    { test: "B", pipeline: 16, requests: 1 },
  ];
  const g = geomeans(rows);
  assert.equal(g.length, 2);
  assert.ok(Math.abs(g[0]!.ratio - 1) < 1e-12);
  assert.deepEqual(g[1], { pipeline: 16, ratio: 0.25, tests: 1 });
});

Deno.test("renderMarkdown prints one table line per row and the geometric means", () => {
  const rows = [toRow({
    test: "GET",
    pipeline: 1,
    requests: 1000,
    runs: { inmemdb: [r(45000)], redis: [r(50000)] },
    errors: {},
  })];
  const report: Report = {
    machine: {
      cpu: "Test CPU",
      cores: 2,
      os: "linux",
      loadavg: [0, 0, 0],
      deno: "2.9.6",
      redisServer: "7.0.15",
      redisBenchmark: "7.0.15",
    },
    settings: { clients: 50, keyspace: 0, rounds: 1, requests: "1000" },
    startupMs: { inmemdb: [100, 90, 80], redis: [5, 4, 6] },
    rssKb: { inmemdb: 2048, redis: 1024 },
    loadavgEnd: [1, 1, 1],
    notes: [],
    rows,
    geomean: geomeans(rows),
    durationS: 1,
  };
  const md = renderMarkdown(report);
  assert.match(md, /Test CPU, 2 cores/);
  assert.match(md, /\| GET \| 1 \| 45,000 \| 50,000 \| 0\.90 \| 0\.90–0\.90 \|/);
  assert.match(md, /\| 1 \| 0\.90 \| 1 \|/);
  assert.match(md, /inmemdb 90 ms \(100, 90, 80\)/);
});
