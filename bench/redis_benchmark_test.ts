// Tests for bench/redis_benchmark.ts: argument building and CSV parsing (no process started).
import assert from "node:assert/strict";
import { benchmarkArgs, parseCsv } from "./redis_benchmark.ts";

const CSV =
  `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"LPUSH (needed to benchmark LRANGE)","50000.00","0.9","0.1","0.800","1.2","1.500","3.0"
"LRANGE_100 (first 100 elements)","20000.50","2.0","0.3","1.900","3.0","4.100","9.0"
"MSET (10 keys)","35555.55","1.154","0.240","0.983","2.463","3.007","9.727"
`;

Deno.test("parseCsv picks the row whose first word is the test name", () => {
  assert.deepEqual(parseCsv(CSV, "LRANGE_100"), { rps: 20000.5, p50Ms: 1.9, p99Ms: 4.1 });
  assert.deepEqual(parseCsv(CSV, "mset"), { rps: 35555.55, p50Ms: 0.983, p99Ms: 3.007 });
  assert.deepEqual(parseCsv(CSV, "LPUSH"), { rps: 50000, p50Ms: 0.8, p99Ms: 1.5 });
});

Deno.test("parseCsv returns undefined without a header or a matching row", () => {
  assert.equal(parseCsv(CSV, "GET"), undefined);
  assert.equal(parseCsv('"SET","1","2"\n', "SET"), undefined);
  assert.equal(parseCsv("", "SET"), undefined);
});

Deno.test("benchmarkArgs passes -t in lower case and -r only for a keyspace", () => {
  const spec = {
    port: 7000,
    test: "PING_MBULK",
    pipeline: 16,
    requests: 1000,
    clients: 50,
    keyspace: 0,
    timeoutMs: 1000,
  };
  const args = benchmarkArgs(spec);
  assert.equal(args[args.indexOf("-t") + 1], "ping_mbulk");
  assert.equal(args[args.indexOf("-P") + 1], "16");
  assert.ok(args.includes("--csv"));
  assert.ok(!args.includes("-r"));
  const withKeyspace = benchmarkArgs({ ...spec, keyspace: 100 });
  assert.equal(withKeyspace[withKeyspace.indexOf("-r") + 1], "100");
});

Deno.test("a custom test runs its command line instead of -t, and its only row is read", () => {
  const args = benchmarkArgs({
    port: 7000,
    test: "ZRANGE_100",
    command: ["ZRANGE", "z", "0", "99"],
    pipeline: 1,
    requests: 10,
    clients: 1,
    keyspace: 0,
    timeoutMs: 1000,
  });
  assert.ok(!args.includes("-t"));
  assert.deepEqual(args.slice(-4), ["ZRANGE", "z", "0", "99"]);
  const csv = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",' +
    '"p99_latency_ms","max_latency_ms"\n"zrange z 0 99","1000.0","1","1","0.5","1","2","3"\n';
  assert.deepEqual(parseCsv(csv, "ZRANGE_100", true), { rps: 1000, p50Ms: 0.5, p99Ms: 2 });
  assert.equal(parseCsv(csv, "ZRANGE_100"), undefined);
});
