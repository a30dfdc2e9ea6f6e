// The README's chart: one horizontal bar per test and pipeline depth, the inmemdb/redis-server
// ratio of that run, with the parity line at 1.0. Plain SVG text, no dependencies.
import type { Report } from "./report.ts";

const ROW = 18;
const LABEL_W = 120;
const BAR_W = 420;
const TOP = 48;
const COLORS: Record<number, string> = { 1: "#4e79a7", 16: "#f28e2b" };

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The ratios of a report as an SVG bar chart (pipelines side by side per test). */
export function renderChart(report: Report, title: string): string {
  const rows = report.rows.filter((r) => r.ratio !== undefined);
  const pipelines = [...new Set(rows.map((r) => r.pipeline))].sort((a, b) => a - b);
  const tests = [...new Set(rows.map((r) => r.test))];
  const maxRatio = Math.max(1.5, ...rows.map((r) => r.ratio!));
  const scale = BAR_W / maxRatio;
  const groupH = ROW * pipelines.length + 6;
  const height = TOP + tests.length * groupH + 40;
  const width = LABEL_W + BAR_W + 70;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  );
  pipelines.forEach((p, i) => {
    const x = LABEL_W + i * 140;
    out.push(
      `<rect x="${x}" y="28" width="12" height="12" fill="${COLORS[p] ?? "#999"}"/>`,
      `<text x="${x + 16}" y="38">pipeline ${p}</text>`,
    );
  });
  tests.forEach((test, t) => {
    const y0 = TOP + t * groupH;
    out.push(
      `<text x="${LABEL_W - 8}" y="${y0 + groupH / 2 + 2}" text-anchor="end">${
        escape(test)
      }</text>`,
    );
    pipelines.forEach((p, i) => {
      const row = rows.find((r) => r.test === test && r.pipeline === p);
      if (row === undefined) return;
      const y = y0 + i * ROW;
      const w = Math.max(1, row.ratio! * scale);
      out.push(
        `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 4}" ` +
          `fill="${COLORS[p] ?? "#999"}"/>`,
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + ROW - 7}">${
          row.ratio!.toFixed(2)
        }</text>`,
      );
    });
  });
  const parity = LABEL_W + scale;
  const bottom = TOP + tests.length * groupH;
  out.push(
    `<line x1="${parity}" y1="${TOP - 4}" x2="${parity}" y2="${bottom}" stroke="black" ` +
      `stroke-dasharray="4 3"/>`,
    `<text x="${parity}" y="${bottom + 16}" text-anchor="middle">1.0 = redis-server</text>`,
  );
  const means = report.geomean.map((g) => `P${g.pipeline} ${g.ratio.toFixed(2)}`).join(", ");
  out.push(
    `<text x="${LABEL_W}" y="${bottom + 32}">geometric mean of ratios: ${escape(means)}</text>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}
