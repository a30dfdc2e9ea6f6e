// List operations at 10k, 100k and 1M elements: time per LPUSH+RPOP and per LRANGE 0 99,
// directly on lib/store/list.ts and through the server with a pipelined client (inmemdb and,
// when installed, redis-server in the same run). Constant times across sizes are the point.
// Each figure is the best of REPEAT runs (the machine is shared; the best run is the least
// disturbed one). Run: deno run -A bench/list_scaling.ts
import { ListObject } from "../lib/store/list.ts";
import { type BenchServer, type ServerKind, startServer } from "./servers.ts";

const SIZES = [10_000, 100_000, 1_000_000];
const REPEAT = 3;
const WIDTH = 8;
const element = (i: number) => String(i % 100_000_000).padStart(WIDTH, "0");

// ---- directly on the data structure ----

function storeFigures(size: number): { pushPopNs: number; lrangeUs: number } {
  const list = new ListObject();
  for (let i = 0; i < size; i++) list.push(element(i), false);
  let pushPopNs = Infinity, lrangeUs = Infinity;
  for (let run = 0; run < REPEAT; run++) {
    const pairs = 300_000;
    let t = performance.now();
    for (let i = 0; i < pairs; i++) {
      list.push(element(i), true);
      list.pop(false);
    }
    pushPopNs = Math.min(pushPopNs, (performance.now() - t) * 1e6 / pairs);
    const calls = 20_000;
    let bytes = 0;
    t = performance.now();
    for (let i = 0; i < calls; i++) list.forRange(0, 100, false, (e) => bytes += e.length);
    lrangeUs = Math.min(lrangeUs, (performance.now() - t) * 1e3 / calls);
    if (bytes !== calls * 100 * WIDTH || list.length !== size) throw new Error("check failed");
  }
  return { pushPopNs, lrangeUs };
}

// ---- through a server ----

function encode(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Sends every request in one stream and reads exactly `replyBytes` back; returns ms taken. */
async function pipeline(conn: Deno.TcpConn, request: string, replyBytes: number): Promise<number> {
  const bytes = new TextEncoder().encode(request);
  const t = performance.now();
  const writing = (async () => {
    let off = 0;
    while (off < bytes.length) off += await conn.write(bytes.subarray(off));
  })();
  const buf = new Uint8Array(1 << 20);
  let got = 0;
  while (got < replyBytes) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("connection closed");
    got += n;
  }
  await writing;
  if (got !== replyBytes) throw new Error(`expected ${replyBytes} reply bytes, got ${got}`);
  return performance.now() - t;
}

async function serverFigures(
  port: number,
  size: number,
): Promise<{ pushPopUs: number; lrangeUs: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await pipeline(conn, encode(["FLUSHALL"]), 5);
    // Fill in commands of 1000 elements, 100 commands per round trip.
    for (let i = 0; i < size; i += 100_000) {
      let request = "";
      let replies = 0;
      for (let j = i; j < Math.min(size, i + 100_000); j += 1000) {
        const args = ["RPUSH", "l"];
        for (let k = j; k < Math.min(size, j + 1000); k++) args.push(element(k));
        request += encode(args);
        replies += `:${Math.min(size, j + 1000)}\r\n`.length;
      }
      await pipeline(conn, request, replies);
    }
    // LPUSH then RPOP keeps the length at size and size + 1: replies have a known length.
    const pairs = 100_000, batch = 1000;
    const pushPop = (encode(["LPUSH", "l", element(7)]) + encode(["RPOP", "l"])).repeat(batch);
    const pairReply = `:${size + 1}\r\n`.length + `$${WIDTH}\r\n`.length + WIDTH + 2;
    const calls = 10_000, lrangeBatch = 200;
    const lrange = encode(["LRANGE", "l", "0", "99"]).repeat(lrangeBatch);
    const lrangeReply = "*100\r\n".length + 100 * (`$${WIDTH}\r\n`.length + WIDTH + 2);
    let pushPopUs = Infinity, lrangeUs = Infinity;
    for (let run = 0; run < REPEAT; run++) {
      let ms = 0;
      for (let done = 0; done < pairs; done += batch) {
        ms += await pipeline(conn, pushPop, pairReply * batch);
      }
      pushPopUs = Math.min(pushPopUs, ms * 1e3 / (pairs * 2));
      ms = 0;
      for (let done = 0; done < calls; done += lrangeBatch) {
        ms += await pipeline(conn, lrange, lrangeReply * lrangeBatch);
      }
      lrangeUs = Math.min(lrangeUs, ms * 1e3 / calls);
    }
    return { pushPopUs, lrangeUs };
  } finally {
    conn.close();
  }
}

function haveRedis(): boolean {
  try {
    new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return true;
  } catch {
    return false;
  }
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);

// Warm-up: let the JIT compile the list code before the first measured size.
storeFigures(10_000);
console.log("Directly on lib/store/list.ts (one LPUSH + one RPOP per pair):");
console.log("  elements   LPUSH+RPOP ns/pair   LRANGE 0 99 us/call   ns/element");
for (const size of SIZES) {
  const { pushPopNs, lrangeUs } = storeFigures(size);
  console.log(
    `  ${String(size).padStart(8)}   ${fmt(pushPopNs, 0)}            ${fmt(lrangeUs)}          ${
      fmt(lrangeUs * 10, 1)
    }`,
  );
}

const root = new URL("..", import.meta.url).pathname;
const kinds: ServerKind[] = haveRedis() ? ["inmemdb", "redis"] : ["inmemdb"];
console.log("\nThrough the server, pipelined (batches of 1000 commands, 200 for LRANGE):");
console.log("  server     elements   LPUSH/RPOP us/cmd   LRANGE 0 99 us/call");
for (const kind of kinds) {
  let server: BenchServer | undefined;
  try {
    server = await startServer(kind, root);
    for (const size of SIZES) {
      const { pushPopUs, lrangeUs } = await serverFigures(server.port, size);
      console.log(
        `  ${kind.padEnd(9)}  ${String(size).padStart(8)}   ${fmt(pushPopUs, 3)}           ${
          fmt(lrangeUs)
        }`,
      );
    }
  } finally {
    await server?.stop();
  }
}
