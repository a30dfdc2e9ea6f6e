// Tests the compiled ./inmemdb (`make build`): --version, --help, serving PING, exit 0 on SIGTERM.
// Without a buildable binary (deno compile needs a denort runtime) it is skipped, visibly.
import assert from "node:assert/strict";
import { RawClient } from "../helpers/resp_client.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const BINARY = ROOT + (Deno.build.os === "windows" ? "inmemdb.exe" : "inmemdb");
/** A failed build must not hold up the suite: compile.ts's own limit, plus slack. */
const BUILD_TIMEOUT_S = 30;

function newestMtime(path: string): number {
  const info = Deno.statSync(path);
  if (!info.isDirectory) return info.mtime?.getTime() ?? 0;
  let newest = 0;
  for (const entry of Deno.readDirSync(path)) {
    newest = Math.max(newest, newestMtime(`${path}/${entry.name}`));
  }
  return newest;
}

/** True when ./inmemdb exists and is newer than everything it is built from. */
function freshBinary(): boolean {
  try {
    const built = Deno.statSync(BINARY).mtime?.getTime() ?? 0;
    const sources = ["main.ts", "lib", "scripts/compile.ts", "scripts/server_flags.ts"]
      .map((p) => newestMtime(ROOT + p));
    return built >= Math.max(...sources);
  } catch {
    return false;
  }
}

/** Builds ./inmemdb once per test run unless a fresh one exists; returns why it cannot. */
async function prepareBinary(): Promise<string | undefined> {
  if (freshBinary()) return undefined;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/compile.ts", "--timeout", String(BUILD_TIMEOUT_S)],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout((BUILD_TIMEOUT_S + 15) * 1000),
  }).output();
  if (out.success) return undefined;
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  return lines.pop()?.replace(/^compile: \S+: /, "") || `build exited with ${out.code}`;
}

const skipReason = await prepareBinary().catch((err: Error) => `build failed: ${err.message}`);
if (skipReason) console.log(`SKIP: compiled binary test: ${skipReason}`);
const ignore = skipReason !== undefined;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function runBinary(args: string[]) {
  return await new Deno.Command(BINARY, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(10_000),
  }).output();
}

Deno.test({
  name: "compiled binary: --version exits 0 and names inmemdb",
  ignore,
  async fn() {
    const out = await runBinary(["--version"]);
    assert.equal(out.code, 0, decode(out.stderr));
    assert.match(decode(out.stdout), /^inmemdb /);
  },
});

Deno.test({
  name: "compiled binary: --help exits 0 and prints usage",
  ignore,
  async fn() {
    const out = await runBinary(["--help"]);
    assert.equal(out.code, 0, decode(out.stderr));
    assert.match(decode(out.stdout), /Usage/);
  },
});

/** PING through redis-cli when installed (what a user would do), else a raw socket. */
async function ping(port: number): Promise<string> {
  try {
    const out = await new Deno.Command("redis-cli", {
      args: ["-p", String(port), "ping"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(5000),
    }).output();
    return decode(out.stdout).trim();
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    const client = await RawClient.connect(port);
    try {
      return (await client.call("PING")).replace(/^\+|\r\n$/g, "");
    } finally {
      client.close();
    }
  }
}

Deno.test({
  name: "compiled binary: serves PING from any directory and exits 0 on SIGTERM",
  ignore: ignore || Deno.build.os === "windows",
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "inmemdb-binary-" });
    const child = new Deno.Command(BINARY, {
      args: ["--port", "0"],
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let output = "";
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output += chunk;
    };
    const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
    try {
      const deadline = Date.now() + 10_000;
      let port: number | undefined;
      while (port === undefined && Date.now() < deadline) {
        const m = output.match(/Ready to accept connections tcp port=(\d+)/);
        if (m) port = Number(m[1]);
        else await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(port, `no "Ready to accept connections" line within 10 s:\n${output}`);
      assert.equal(await ping(port), "PONG");
      child.kill("SIGTERM");
      const status = await child.status;
      assert.equal(status.code, 0, output);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await child.status;
      await drained;
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
