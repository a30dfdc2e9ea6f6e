// Starts real server processes for wire-level tests: inmemdb (this checkout's main.ts) and,
// as the reference, redis-server. Each listens on its own free port and is stopped in finally.

export interface ServerHandle {
  port: number;
  /** Process output so far (stdout and stderr), for assertions on log lines. */
  output(): string;
  /** Sends SIGTERM and waits; returns the exit code. */
  stop(): Promise<number>;
}

/** A port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** Another process took the port between freePort and the server's bind (parallel tests). */
class PortTaken extends Error {}

/**
 * The pid listening on a loopback TCP port, from `ss` (iproute2, installed by .ci/run); null
 * when that cannot be told.
 */
function listenerPid(port: number): number | null {
  try {
    const out = new Deno.Command("ss", {
      args: ["-ltnpH", `sport = :${port}`],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const m = /pid=(\d+)/.exec(new TextDecoder().decode(out.stdout));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

async function waitForPort(port: number, child: Deno.ChildProcess, log: () => string) {
  const deadline = Date.now() + 20_000;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited before listening:\n${log()}`);
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      // Answering is not enough: with tests in parallel, the port may be another test's server.
      const owner = listenerPid(port);
      if (owner !== null && owner !== child.pid) {
        throw new PortTaken(`port ${port} is pid ${owner}'s`);
      }
      return;
    } catch (err) {
      if (err instanceof PortTaken) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`server did not listen on ${port} within 20 s:\n${log()}`);
}

/** Starts a server on a free port, again on another one if a parallel test took it first. */
async function onFreePort(start: (port: number) => Promise<ServerHandle>): Promise<ServerHandle> {
  for (let attempt = 1;; attempt++) {
    try {
      return await start(freePort());
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 3) throw err;
    }
  }
}

function spawn(cmd: string, args: string[], port: number): Promise<ServerHandle> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk);
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const handle: ServerHandle = {
    port,
    output: () => text,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      const status = await child.status;
      await drained;
      return status.code;
    },
  };
  return waitForPort(port, child, () => text).then(() => handle, async (err) => {
    await handle.stop();
    throw err;
  });
}

/**
 * Starts a server in a directory of its own unless `args` names one (`--dir`): a dump.rdb left
 * in the checkout would otherwise be loaded by the next server started there. The directory is
 * removed when the server stops.
 */
async function inOwnDir(
  prefix: string,
  args: string[],
  start: (dirArgs: string[]) => Promise<ServerHandle>,
): Promise<ServerHandle> {
  if (args.includes("--dir")) return await start([]);
  const dir = await Deno.makeTempDir({ prefix });
  const removeDir = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  const handle = await start(["--dir", dir]).catch(async (err) => {
    await removeDir();
    throw err;
  });
  return {
    ...handle,
    async stop() {
      const code = await handle.stop();
      await removeDir();
      return code;
    },
  };
}

/** Starts inmemdb from source with extra command-line arguments. */
export function startInmemdb(args: string[] = []): Promise<ServerHandle> {
  return onFreePort((port) => startInmemdbOn(port, args));
}

function startInmemdbOn(port: number, args: string[]): Promise<ServerHandle> {
  return inOwnDir("inmemdb-test-", args, (dirArgs) =>
    spawn(
      Deno.execPath(),
      [
        "run",
        "--allow-all",
        "main.ts",
        "--port",
        String(port),
        // Like startRedis: no snapshots unless the test asks for them.
        ...(args.includes("--save") ? [] : ["--save", ""]),
        ...dirArgs,
        ...args,
      ],
      port,
    ));
}

/** True when redis-server is installed. */
export function haveRedis(): boolean {
  try {
    new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether differential tests can run. Without redis-server they are skipped with a visible
 * line, except under CI=true, where a missing reference server is a failure.
 */
export function redisAvailable(): boolean {
  if (haveRedis()) return true;
  if (Deno.env.get("CI") === "true") {
    throw new Error("CI=true but redis-server is not installed: .ci/run must install it");
  }
  console.log("SKIP: redis-server is not installed; differential tests do not run");
  return false;
}

/** Starts the reference redis-server with persistence off. */
export function startRedis(args: string[] = []): Promise<ServerHandle> {
  return onFreePort((port) => startRedisOn(port, args));
}

function startRedisOn(port: number, args: string[]): Promise<ServerHandle> {
  return inOwnDir("redis-test-", args, (dirArgs) =>
    spawn("redis-server", [
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
      ...dirArgs,
      ...args,
    ], port));
}
