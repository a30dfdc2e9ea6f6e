// Append-only file tests: servers started on a directory the test owns (so it survives a
// restart), a crash by SIGKILL, servers that must refuse to start, and datasets read back
// over the wire for comparing two servers or one server before and after a restart.
import { assertEquals } from "./assert.ts";
import { decode, plain } from "./resp_decode.ts";
import { RawClient } from "./resp_client.ts";
import { freePort, type ServerHandle, startInmemdb, startRedis } from "./servers.ts";

export type Kind = "inmemdb" | "redis";
export const KINDS: Kind[] = ["inmemdb", "redis"];

/** The incremental file and the manifest of a default-named AOF in `dir`. */
export const INCR1 = "appendonlydir/appendonly.aof.1.incr.aof";
export const MANIFEST = "appendonlydir/appendonly.aof.manifest";

/**
 * Starts a server with the AOF on, on `dir` (left in place when it stops), and waits until
 * it has loaded its data: redis-server listens first and answers -LOADING meanwhile.
 */
export async function startAof(
  kind: Kind,
  dir: string,
  args: string[] = [],
): Promise<ServerHandle> {
  const all = ["--dir", dir, "--appendonly", "yes", ...args];
  const server = await (kind === "inmemdb" ? startInmemdb(all) : startRedis(all));
  try {
    const client = await RawClient.connect(server.port);
    try {
      const deadline = Date.now() + 20_000;
      while ((await client.call("PING")).startsWith("-LOADING")) {
        if (Date.now() > deadline) throw new Error(`${kind} still loading after 20 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      client.close();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** A temporary directory per server kind, removed after `fn`. */
export async function withDirs(
  fn: (dirs: Record<Kind, string>) => Promise<void>,
): Promise<void> {
  const dirs = {
    inmemdb: await Deno.makeTempDir({ prefix: "inmemdb-aof-" }),
    redis: await Deno.makeTempDir({ prefix: "redis-aof-" }),
  };
  try {
    await fn(dirs);
  } finally {
    await Promise.all(KINDS.map((k) => Deno.remove(dirs[k], { recursive: true })));
  }
}

export function info(text: string, field: string): string {
  const m = new RegExp(`(?:^|\r\n)${field}:([^\r]*)\r\n`).exec(text);
  if (m === null) throw new Error(`no ${field} in INFO`);
  return m[1]!;
}

/** The server's pid, from INFO server. */
export async function pidOf(port: number): Promise<number> {
  const client = await RawClient.connect(port);
  try {
    return Number(info(await client.call("INFO", "server"), "process_id"));
  } finally {
    client.close();
  }
}

/** Kills the server with SIGKILL (a process crash: no shutdown code runs) and reaps it. */
export async function crash(server: ServerHandle, pid: number): Promise<void> {
  Deno.kill(pid, "SIGKILL");
  await server.stop();
}

/** Polls INFO persistence until `field` has `value`. */
export async function waitInfo(
  client: RawClient,
  field: string,
  value: string,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await client.call("INFO", "persistence");
    if (info(text, field) === value) return text;
    if (Date.now() > deadline) throw new Error(`${field} is not ${value} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until no rewrite or BGSAVE runs or is scheduled. */
export async function waitIdle(client: RawClient): Promise<void> {
  for (const field of ["aof_rewrite_scheduled", "aof_rewrite_in_progress"]) {
    await waitInfo(client, field, "0");
  }
  await waitInfo(client, "rdb_bgsave_in_progress", "0");
}

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Starts a server that is expected to refuse to start; returns its exit code and output.
 * Throws when it is still running after 20 s (then it is killed). A port another test took
 * between freePort and the bind (tests run in parallel) is retried on another port.
 */
export async function startFails(
  kind: Kind,
  dir: string,
  args: string[] = [],
): Promise<{ code: number; output: string }> {
  for (let attempt = 1;; attempt++) {
    const result = await startFailsOnce(kind, dir, args);
    if (attempt === 3 || !/Address already in use/.test(result.output)) return result;
  }
}

async function startFailsOnce(
  kind: Kind,
  dir: string,
  args: string[],
): Promise<{ code: number; output: string }> {
  const port = String(freePort());
  const common = ["--port", port, "--save", "", "--dir", dir, "--appendonly", "yes", ...args];
  const child = kind === "inmemdb"
    ? new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "main.ts", ...common],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn()
    : new Deno.Command("redis-server", {
      args: [...common, "--bind", "127.0.0.1", "--daemonize", "no"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, 20_000);
  const out = await child.output();
  clearTimeout(timer);
  const decoder = new TextDecoder();
  const output = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (timedOut) throw new Error(`${kind} did not exit:\n${output}`);
  return { code: out.code, output };
}

/** One key as read back: its type, its value in a type-specific read, and its TTL (ms). */
export interface KeyDump {
  type: string;
  value: unknown;
  pttl: number;
}

/** Every key of every database, read with type-specific commands ("db:key" → dump). */
export async function dataset(port: number): Promise<Map<string, KeyDump>> {
  const client = await RawClient.connect(port);
  const out = new Map<string, KeyDump>();
  const get = async (...args: string[]) => plain(decode(await client.call(...args)));
  try {
    for (let db = 0; db < 16; db++) {
      await client.call("SELECT", String(db));
      const keys = (await get("KEYS", "*")) as string[];
      for (const key of keys.sort()) {
        const type = (await get("TYPE", key)) as string;
        let value: unknown;
        if (type === "string") value = await get("GET", key);
        else if (type === "list") value = await get("LRANGE", key, "0", "-1");
        else if (type === "set") value = ((await get("SMEMBERS", key)) as string[]).sort();
        else if (type === "zset") value = await get("ZRANGE", key, "0", "-1", "WITHSCORES");
        else if (type === "hash") {
          const flat = (await get("HGETALL", key)) as string[];
          const pairs: string[] = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
          value = pairs.sort();
        } else value = await get("DUMP", key);
        out.set(`${db}:${key}`, { type, value, pttl: (await get("PTTL", key)) as number });
      }
    }
    await client.call("SELECT", "0");
  } finally {
    client.close();
  }
  return out;
}

/** Two datasets hold the same keys and values, and TTLs within `ttlToleranceMs`. */
export function assertSameDataset(
  actual: Map<string, KeyDump>,
  expected: Map<string, KeyDump>,
  ttlToleranceMs = 5_000,
): void {
  assertEquals([...actual.keys()], [...expected.keys()], "keys");
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    assertEquals(got.type, want.type, `type of ${key}`);
    assertEquals(got.value, want.value, `value of ${key}`);
    const bothPersistent = got.pttl === -1 && want.pttl === -1;
    if (!bothPersistent && (got.pttl < 0 || Math.abs(got.pttl - want.pttl) > ttlToleranceMs)) {
      throw new Error(`TTL of ${key}: ${got.pttl} vs ${want.pttl} (±${ttlToleranceMs} ms)`);
    }
  }
}

/** The files of an AOF directory, sorted. */
export function listAofDir(dir: string): string[] {
  return [...Deno.readDirSync(`${dir}/appendonlydir`)].map((e) => e.name).sort();
}

/** Copies a directory tree (files and subdirectories). */
export function copyDir(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const entry of Deno.readDirSync(from)) {
    if (entry.isDirectory) copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else Deno.copyFileSync(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
