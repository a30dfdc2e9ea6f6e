// Starts the two servers under test, inmemdb from source (with the binary's own flags) and
// redis-server without persistence, timing each from spawn to its first accepted connection.
import { MAIN_TS, SERVER_FLAGS } from "../scripts/server_flags.ts";

export type ServerKind = "inmemdb" | "redis";

export interface BenchServer {
  kind: ServerKind;
  port: number;
  pid: number;
  /** Milliseconds from spawn until a TCP connect succeeded. */
  startupMs: number;
  /** Resident set size in kB (Linux only). */
  rssKb(): number | undefined;
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

export function serverCommand(kind: ServerKind, port: number): [string, string[]] {
  if (kind === "inmemdb") {
    // No save points, like redis-server below: snapshots would be extra work during runs.
    return [
      Deno.execPath(),
      ["run", ...SERVER_FLAGS, MAIN_TS, "--port", String(port), "--save", ""],
    ];
  }
  return ["redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
  ]];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readRssKb(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = status.match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Spawns a server in `cwd` (so stray dump files land there) and waits until it accepts. */
export async function startServer(kind: ServerKind, cwd: string): Promise<BenchServer> {
  const port = freePort();
  const [cmd, args] = serverCommand(kind, port);
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) log = (log + decoder.decode(chunk)).slice(-8192);
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let exited = false;
  child.status.then(() => exited = true);

  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => !exited && child.kill("SIGKILL"), 5000);
      await child.status;
      clearTimeout(killer);
    }
    await drained;
  };

  const deadline = started + 30_000;
  while (true) {
    if (exited) {
      await stop();
      throw new Error(`${kind} exited before accepting connections:\n${log}`);
    }
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (performance.now() > deadline) {
        await stop();
        throw new Error(`${kind} did not accept connections on port ${port} within 30 s:\n${log}`);
      }
      await sleep(2);
    }
  }
  return {
    kind,
    port,
    pid: child.pid,
    startupMs: performance.now() - started,
    rssKb: () => readRssKb(child.pid),
    stop,
  };
}

/**
 * Sends one command and returns the first line of the reply, or undefined if none came within
 * `timeoutMs` (redis-benchmark's start-up CONFIG GET would hang on such a server).
 */
export async function probe(
  port: number,
  argv: string[],
  timeoutMs = 2000,
): Promise<string | undefined> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    let req = `*${argv.length}\r\n`;
    for (const a of argv) req += `$${a.length}\r\n${a}\r\n`;
    await conn.write(new TextEncoder().encode(req));
    const buf = new Uint8Array(4096);
    let text = "";
    const timer = setTimeout(() => conn.close(), timeoutMs);
    try {
      while (!text.includes("\r\n")) {
        const n = await conn.read(buf);
        if (n === null) break;
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
    return text.includes("\r\n") ? text.slice(0, text.indexOf("\r\n")) : undefined;
  } finally {
    try {
      conn.close();
    } catch {
      // already closed by the timeout
    }
  }
}
