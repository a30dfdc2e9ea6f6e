// Runs one redis-benchmark invocation (one test, one pipeline depth, one server) and parses
// its --csv output into requests per second and latency percentiles.

export interface RunSpec {
  port: number;
  /** redis-benchmark test name as printed in its output, e.g. "SET", "LRANGE_100". */
  test: string;
  pipeline: number;
  requests: number;
  clients: number;
  /** -r: random keys in [0, keyspace); 0 uses one fixed key. */
  keyspace: number;
  /** -d: value size in bytes. */
  dataSize?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface RunResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface RunOutcome {
  result?: RunResult;
  error?: string;
  /** redis-benchmark's WARNING lines (e.g. "Could not fetch server CONFIG"). */
  warnings: string[];
}

/** The command line of a custom test (CUSTOM_TESTS), run instead of redis-benchmark's -t. */
export interface RunSpecCommand {
  command?: string[];
}

export function benchmarkArgs(spec: RunSpec & RunSpecCommand): string[] {
  const args = [
    "-h",
    "127.0.0.1",
    "-p",
    String(spec.port),
    "-c",
    String(spec.clients),
    "-n",
    String(spec.requests),
    "-P",
    String(spec.pipeline),
    "--csv",
  ];
  if (spec.keyspace > 0) args.push("-r", String(spec.keyspace));
  if (spec.dataSize !== undefined) args.push("-d", String(spec.dataSize));
  if (spec.command !== undefined) args.push(...spec.command);
  else args.push("-t", spec.test.toLowerCase());
  return args;
}

function csvFields(line: string): string[] {
  return line.split(",").map((f) => f.replace(/^"|"$/g, ""));
}

/**
 * The row of `test` in redis-benchmark's CSV. Rows are named like "MSET (10 keys)" and a test
 * may add helper rows ("LPUSH (needed to benchmark LRANGE)"), so match the first word.
 */
export function parseCsv(text: string, test: string, custom = false): RunResult | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines.find((l) => l.startsWith('"test"'));
  if (header === undefined) return undefined;
  const columns = csvFields(header);
  const col = (name: string) => columns.indexOf(name);
  const [rps, p50, p99] = [col("rps"), col("p50_latency_ms"), col("p99_latency_ms")];
  if (rps < 0 || p50 < 0 || p99 < 0) return undefined;
  for (const line of lines) {
    const fields = csvFields(line);
    if (line === header) continue;
    // A custom command's row is named after its command line: it is the only row.
    if (!custom && fields[0]?.split(" ")[0]?.toUpperCase() !== test.toUpperCase()) continue;
    const result = {
      rps: Number(fields[rps]),
      p50Ms: Number(fields[p50]),
      p99Ms: Number(fields[p99]),
    };
    return Object.values(result).every(Number.isFinite) ? result : undefined;
  }
  return undefined;
}

/** Runs redis-benchmark; a failure (error reply, timeout, no row) is an outcome, not a throw. */
export async function runBenchmark(spec: RunSpec & RunSpecCommand): Promise<RunOutcome> {
  const timeout = AbortSignal.timeout(spec.timeoutMs);
  const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout;
  const out = await new Deno.Command("redis-benchmark", {
    args: benchmarkArgs(spec),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  const errLines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const warnings = errLines.filter((l) => l.startsWith("WARNING"));
  if (timeout.aborted) {
    return { error: `redis-benchmark timed out after ${spec.timeoutMs / 1000} s`, warnings };
  }
  if (signal.aborted) return { error: "interrupted", warnings };
  const result = out.success ? parseCsv(stdout, spec.test, spec.command !== undefined) : undefined;
  if (result) return { result, warnings };
  const reason = errLines.find((l) => l.startsWith("Error")) ??
    errLines.filter((l) => !l.startsWith("WARNING")).pop() ??
    (out.success ? `no ${spec.test} row in the CSV output` : `exit code ${out.code}`);
  return { error: reason, warnings };
}
