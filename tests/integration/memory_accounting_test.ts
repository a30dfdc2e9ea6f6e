// used_memory against the real heap, and maxmemory under a sustained write load: the estimate
// must stay within 25% of the V8 heap growth it stands for (bench/memory.ts runs the full-size
// version: 1M strings, 100k of each collection), and allkeys-lru must keep RSS bounded.
import { ok } from "node:assert/strict";
import {
  accuracy,
  info,
  load,
  Pipeline,
  renderAccuracy,
  startMemoryServer,
} from "../../bench/memory.ts";

Deno.test("used_memory tracks the heap growth of each data type within 25%", async () => {
  // A tenth of the benchmark's sizes: 100k strings, 10k of each collection.
  const rows = await accuracy(0.1);
  for (const row of rows) {
    ok(
      Math.abs(row.errorPct) <= 25,
      `${row.dataset}: ${row.errorPct.toFixed(1)}%\n${renderAccuracy(rows)}`,
    );
  }
});

function peakRssKb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

Deno.test({
  name: "allkeys-lru with maxmemory 100mb keeps memory bounded under a continuous write load",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const server = await startMemoryServer("inmemdb", [
      "--maxmemory",
      "100mb",
      "--maxmemory-policy",
      "allkeys-lru",
    ]);
    try {
      const p = await Pipeline.connect(server.port);
      const pid = (await info(p, "server")).process_id!;
      const value = "x".repeat(1000);
      // 600 MB of values into a 100 MB budget, in four rounds.
      const peaks: number[] = [];
      for (let round = 0; round < 4; round++) {
        await load(p, 150_000, (i) => ["SET", `key:${round}:${i}`, value]);
        peaks.push(peakRssKb(pid) / 1024);
      }
      const mem = await info(p);
      const stats = await info(p, "stats");
      // What is live after a full collection (MEMORY PURGE runs gc() here): nothing leaks.
      await p.text(["MEMORY", "PURGE"]);
      const liveMb = (await info(p)).allocator_allocated! / 2 ** 20;
      console.log(
        `allkeys-lru 100mb: used_memory ${(mem.used_memory! / 2 ** 20).toFixed(1)} MB, ` +
          `evicted ${stats.evicted_keys}, heap after GC ${liveMb.toFixed(0)} MB, ` +
          `peak RSS after each 150 MB written: ${peaks.map((mb) => mb.toFixed(0)).join(", ")} MB`,
      );
      ok(mem.used_memory! <= 100 * 2 ** 20 + 2 ** 20, `used_memory ${mem.used_memory}`);
      ok(stats.evicted_keys! > 450_000, `evicted ${stats.evicted_keys}`);
      ok(liveMb < 130, `heap after GC ${liveMb} MB`);
      // Garbage waits for V8's next major GC, which lets the heap grow to a few times what is
      // live: the peak stays under 7x maxmemory (about 2x with --optimize-for-size).
      ok(peaks[3]! < 700, `peak RSS ${peaks.join(", ")} MB`);
      ok((await p.text(["PING"])).startsWith("+PONG"));
      p.close();
    } finally {
      await server.stop();
    }
  },
});
