import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { renderChart } from "./chart.ts";
import type { Report } from "./report.ts";

Deno.test("the chart has one bar per test and pipeline, labelled with its ratio", () => {
  const report = {
    rows: [
      { test: "SET", pipeline: 1, requests: 1, ratio: 1.05 },
      { test: "SET", pipeline: 16, requests: 1, ratio: 0.8 },
      { test: "GET", pipeline: 1, requests: 1, error: "failed" },
    ],
    geomean: [{ pipeline: 1, ratio: 1.05, tests: 1 }, { pipeline: 16, ratio: 0.8, tests: 1 }],
  } as unknown as Report;
  const svg = renderChart(report, "a <title>");
  ok(svg.startsWith("<svg"));
  ok(svg.includes("a &lt;title&gt;"));
  assertEquals(svg.match(/<rect x="120" y="\d+" width="[\d.]+" height="14"/g)?.length, 2);
  ok(svg.includes(">1.05</text>") && svg.includes(">0.80</text>"));
  ok(!svg.includes(">GET<"), "a test without a ratio has no row");
  ok(svg.includes("P1 1.05, P16 0.80"));
});
