// `make bench`: redis-benchmark against inmemdb and redis-server started side by side, runs
// alternated between the two so machine noise hits both; prints a markdown (or JSON) report.
import { describeMachine } from "./machine.ts";
import { CUSTOM_TESTS, OptionError, type Options, parseOptions, USAGE } from "./options.ts";
import { runBenchmark, type RunOutcome } from "./redis_benchmark.ts";
import { type Cell, geomeans, renderMarkdown, type Report, toRow } from "./report.ts";
import { type BenchServer, probe, type ServerKind, startServer } from "./servers.ts";
import { geomean } from "./stats.ts";
import { pubsubBench, type PubsubRow, renderPubsub } from "./pubsub.ts";
import { bgsaveBench, renderBgsave } from "./bgsave.ts";
import { renderChart } from "./chart.ts";
import { bytesPerKey, renderBytesPerKey } from "./memory.ts";

/** Each server is started this many times for the startup figure; the last start is benched. */
const STARTS = 3;
/** Warm-up requests per pipelined request slot: JIT warm-up and the rate that sizes -n. */
const WARMUP_PER_DEPTH = 3000;

const log = (line: string) => console.error(line);

function installed(cmd: string): boolean {
  try {
    new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

async function startBoth(dir: string, startupMs: Record<ServerKind, number[]>) {
  const servers: Partial<Record<ServerKind, BenchServer>> = {};
  for (let i = 0; i < STARTS; i++) {
    for (const kind of ["inmemdb", "redis"] as const) {
      const server = await startServer(kind, dir);
      startupMs[kind].push(server.startupMs);
      if (i < STARTS - 1) await server.stop();
      else servers[kind] = server;
    }
  }
  return servers as Record<ServerKind, BenchServer>;
}

/** redis-benchmark starts with CONFIG GET save/appendonly: an error is fine, silence hangs it. */
async function checkStartupConfig(port: number): Promise<string[]> {
  const notes: string[] = [];
  for (const param of ["save", "appendonly"]) {
    const first = await probe(port, ["CONFIG", "GET", param]);
    if (first === undefined) {
      throw new Error(`inmemdb did not answer CONFIG GET ${param}; redis-benchmark would hang`);
    }
    if (first.startsWith("-")) {
      notes.push(`inmemdb answers CONFIG GET ${param} with ${first.trim()}`);
    }
  }
  return notes;
}

function describe(outcome: RunOutcome): string {
  return outcome.result
    ? `${Math.round(outcome.result.rps).toLocaleString("en-US")} rps`
    : `error: ${outcome.error}`;
}

async function bench(
  opts: Options,
  signal: AbortSignal,
): Promise<{ report: Report; pubsub: PubsubRow[] }> {
  const began = performance.now();
  const machine = describeMachine();
  const dir = await Deno.makeTempDir({ prefix: "inmemdb-bench-" });
  const startupMs: Record<ServerKind, number[]> = { inmemdb: [], redis: [] };
  let servers: Record<ServerKind, BenchServer> | undefined;
  try {
    log(`starting servers (${STARTS} times each, for the startup time)`);
    servers = await startBoth(dir, startupMs);
    const notes = await checkStartupConfig(servers.inmemdb.port);
    const warnings = new Set<string>();
    const run = async (kind: ServerKind, cell: Cell, requests: number, timeoutMs: number) => {
      const outcome = await runBenchmark({
        port: servers![kind].port,
        test: cell.test,
        command: CUSTOM_TESTS[cell.test]?.command,
        pipeline: cell.pipeline,
        requests,
        clients: opts.clients,
        keyspace: opts.keyspace,
        dataSize: opts.dataSize,
        timeoutMs,
        signal,
      });
      for (const w of outcome.warnings) warnings.add(`redis-benchmark against ${kind}: ${w}`);
      if (outcome.error) cell.errors[kind] ??= outcome.error;
      return outcome;
    };

    for (const test of opts.tests) {
      for (const argv of CUSTOM_TESTS[test]?.setup ?? []) {
        for (const kind of ["inmemdb", "redis"] as const) {
          const reply = await probe(servers[kind].port, argv);
          if (reply === undefined || reply.startsWith("-")) {
            throw new Error(`setup of ${test} failed on ${kind}: ${reply ?? "no reply"}`);
          }
        }
      }
    }

    // Warm up both servers per test; the warm-up rate sizes -n so a run lasts `seconds`.
    const cells: Cell[] = [];
    const expectedMs = new Map<Cell, number>();
    for (const test of opts.tests) {
      for (const pipeline of opts.pipelines) {
        if (signal.aborted) throw new Error("interrupted");
        const cell: Cell = {
          test,
          pipeline,
          requests: 0,
          runs: { inmemdb: [], redis: [] },
          errors: {},
        };
        const warmup = Math.min(WARMUP_PER_DEPTH * pipeline, opts.requests ?? Infinity);
        const rates: number[] = [];
        for (const kind of ["inmemdb", "redis"] as const) {
          const outcome = await run(kind, cell, warmup, 60_000);
          log(
            `warm-up  ${test.padEnd(10)} -P ${String(pipeline).padEnd(3)} ${kind.padEnd(7)} ` +
              describe(outcome),
          );
          if (outcome.result) rates.push(outcome.result.rps);
        }
        const rate = rates.length > 0 ? geomean(rates) : 1;
        const sized = Number((rate * opts.seconds).toPrecision(2));
        cell.requests = opts.requests ?? Math.max(sized, opts.clients * pipeline * 10);
        expectedMs.set(cell, (cell.requests / Math.min(...rates, rate)) * 1000);
        cells.push(cell);
      }
    }

    for (let round = 0; round < opts.rounds; round++) {
      // Who goes first flips every round, so neither server always runs right after the other.
      const order: ServerKind[] = round % 2 === 0 ? ["inmemdb", "redis"] : ["redis", "inmemdb"];
      for (const cell of cells) {
        for (const kind of order) {
          if (signal.aborted) throw new Error("interrupted");
          if (cell.errors[kind]) {
            cell.runs[kind].push(undefined);
            continue;
          }
          const timeoutMs = Math.max(60_000, expectedMs.get(cell)! * 10);
          const outcome = await run(kind, cell, cell.requests, timeoutMs);
          cell.runs[kind].push(outcome.result);
          log(
            `round ${round + 1}/${opts.rounds} ${cell.test.padEnd(10)} -P ` +
              `${String(cell.pipeline).padEnd(3)} ${kind.padEnd(7)} ${describe(outcome)}`,
          );
        }
      }
    }

    const rows = cells.map(toRow);
    // PUBLISH fan-out: its own measurement (messages delivered), on the same two servers.
    const pubsub = opts.pubsub.length === 0 || signal.aborted ? [] : await pubsubBench(
      { inmemdb: servers.inmemdb.port, redis: servers.redis.port },
      opts.pubsub,
      opts.rounds,
      log,
    );
    const report: Report = {
      machine,
      settings: {
        clients: opts.clients,
        keyspace: opts.keyspace,
        dataSize: opts.dataSize,
        rounds: opts.rounds,
        requests: opts.requests !== undefined
          ? String(opts.requests)
          : `sized per test for ~${opts.seconds} s per run`,
      },
      startupMs,
      rssKb: { inmemdb: servers.inmemdb.rssKb(), redis: servers.redis.rssKb() },
      loadavgEnd: Deno.loadavg(),
      notes: [...notes, ...warnings],
      rows,
      geomean: geomeans(rows),
      durationS: (performance.now() - began) / 1000,
    };
    return { report, pubsub };
  } finally {
    await servers?.inmemdb.stop();
    await servers?.redis.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function main(args: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(args);
  } catch (err) {
    if (!(err instanceof OptionError)) throw err;
    console.error(`bench: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  for (const tool of ["redis-server", "redis-benchmark"]) {
    if (!installed(tool)) {
      console.error(`bench: ${tool} is not installed (apt-get install redis-server redis-tools)`);
      return 1;
    }
  }
  if (opts.bgsave !== undefined) {
    // A section of its own: it needs fresh servers holding a large dataset.
    const rows = await bgsaveBench(opts.bgsave, log);
    const markdown = renderBgsave(rows);
    console.log(opts.json ? JSON.stringify(rows, null, 2) : markdown);
    if (opts.out) await Deno.writeTextFile(opts.out, markdown + "\n");
    return rows.some((r) => r.error !== undefined) ? 1 : 0;
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  Deno.addSignalListener("SIGINT", onSigint);
  let report: Report, pubsub: PubsubRow[];
  try {
    ({ report, pubsub } = await bench(opts, abort.signal));
  } catch (err) {
    console.error(`bench: ${(err as Error).message}`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
  let markdown = renderMarkdown(report);
  if (pubsub.length !== 0) markdown += `\n\n${renderPubsub(pubsub)}\n`;
  if (opts.memoryKeys !== 0 && !abort.signal.aborted) {
    log(`memory: ${opts.memoryKeys} SETs of 32-byte values into each server`);
    markdown += `\n\n${renderBytesPerKey(await bytesPerKey(opts.memoryKeys))}\n`;
  }
  console.log(opts.json ? JSON.stringify({ ...report, pubsub }, null, 2) : markdown);
  if (opts.out) {
    const parent = opts.out.replace(/[^/]*$/, "");
    if (parent) await Deno.mkdir(parent, { recursive: true });
    await Deno.writeTextFile(opts.out, markdown);
    log(`wrote ${opts.out}`);
  }
  if (opts.svg) {
    const size = opts.dataSize === undefined ? "" : `, ${opts.dataSize}-byte values`;
    const keys = opts.keyspace === 0 ? "one key" : `${opts.keyspace} random keys`;
    const title = `inmemdb / redis-server requests per second (-c ${opts.clients}, ${keys}${size})`;
    await Deno.writeTextFile(opts.svg, renderChart(report, title));
    log(`wrote ${opts.svg}`);
  }
  return report.rows.some((r) => r.error) || pubsub.some((r) => r.error) ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
