// Differential tests of the HyperLogLog commands (lib/commands/hyperloglog.ts, Redis's
// hyperloglog.c) against redis-server: counts, and the exact bytes of sparse and dense HLLs.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";
import { assertEquals } from "../helpers/assert.ts";

/** Deterministic pseudo-random numbers (mulberry32), so failures can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct-ish elements: numbered words and binary strings of 0..40 bytes. */
function elements(count: number, seed: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      let s = "";
      const len = Math.floor(next() * 41);
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(next() * 256));
      out.push(s);
    } else {
      out.push(`element:${seed}:${i}`);
    }
  }
  return out;
}

/** A sparse HLL header followed by `body` (bytes as numbers). */
function sparseHll(body: number[]): string {
  return "HYLL\x01\0\0\0\0\0\0\0\0\0\0\0" + String.fromCharCode(...body);
}

differentialCases("hyperloglog: PFADD, PFCOUNT and the bytes of small HLLs", {
  "PFADD creates a sparse HLL and reports changes": [
    ["PFADD", "h", "a", "b", "c"],
    ["PFADD", "h", "a", "b", "c"],
    ["PFADD", "h", "d"],
    ["GET", "h"],
    ["OBJECT", "ENCODING", "h"],
    ["TYPE", "h"],
    ["STRLEN", "h"],
  ],
  "PFADD without elements creates the key once": [
    ["PFADD", "h"],
    ["PFADD", "h"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["EXISTS", "h"],
  ],
  "PFCOUNT caches the cardinality in the header": [
    ["PFADD", "h", "x", "y", "z", "w"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["PFADD", "h", "x"],
    ["GET", "h"],
    ["PFADD", "h", "v"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
  ],
  "PFCOUNT of missing keys and of several keys": [
    ["PFCOUNT", "missing"],
    ["PFCOUNT", "missing", "other"],
    ["PFADD", "a", "1", "2", "3"],
    ["PFADD", "b", "3", "4", "5", "6"],
    ["PFCOUNT", "a", "b"],
    ["PFCOUNT", "a", "b", "missing"],
    ["PFCOUNT", "a", "a"],
    ["GET", "a"],
  ],
  "empty, binary and long elements": [
    ["PFADD", "h", "", "\0", "\xff\xfe", "a".repeat(1000), "12345678", "1234567", "123456789"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
  ],
  "arity": [
    ["PFADD"],
    ["PFCOUNT"],
    ["PFMERGE"],
  ],
  "a string that is not an HLL": [
    ["SET", "s", "hello"],
    ["PFADD", "s", "a"],
    ["PFCOUNT", "s"],
    ["PFCOUNT", "s", "missing"],
    ["PFMERGE", "d", "s"],
    ["PFMERGE", "s"],
    ["SET", "n", "12345678901234567"],
    ["PFCOUNT", "n"],
    ["SET", "s", "HYLL"],
    ["PFCOUNT", "s"],
    ["SET", "s", "HYLX\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"],
    ["PFCOUNT", "s"],
    ["SET", "s", "HYLL\x02\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"],
    ["PFADD", "s", "a"],
    ["SET", "s", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"],
    ["PFCOUNT", "s"],
    ["PFDEBUG", "ENCODING", "s"],
  ],
  "other types are the plain WRONGTYPE": [
    ["RPUSH", "l", "a"],
    ["PFADD", "l", "a"],
    ["PFCOUNT", "l"],
    ["PFCOUNT", "missing", "l"],
    ["PFMERGE", "l", "missing"],
    ["PFMERGE", "d", "l"],
    ["PFDEBUG", "GETREG", "l"],
    ["EXISTS", "d"],
  ],
  "corrupt sparse HLLs are INVALIDOBJ": [
    // Covers 16383 registers only.
    ["SET", "s", sparseHll([0x7f, 0xfe])],
    ["PFCOUNT", "s"],
    ["PFCOUNT", "s", "s"],
    ["PFMERGE", "d", "s"],
    ["EXISTS", "d"],
    ["PFADD", "s", "a"],
    ["PFDEBUG", "GETREG", "s"],
    ["PFDEBUG", "TODENSE", "s"],
    ["PFDEBUG", "DECODE", "s"],
    // Covers too many registers.
    ["SET", "s", sparseHll([0x7f, 0xff, 0x80])],
    ["PFCOUNT", "s"],
    ["PFADD", "s", "a", "b"],
    ["GET", "s"],
    // A VAL run past the last register.
    ["SET", "s", sparseHll([0x7f, 0xfd, 0x83])],
    ["PFCOUNT", "s", "missing"],
    ["PFDEBUG", "TODENSE", "s"],
  ],
  "a valid hand-made sparse HLL": [
    ["SET", "s", sparseHll([0x7f, 0xfe, 0x90])],
    ["PFCOUNT", "s"],
    ["GET", "s"],
    ["PFADD", "s", "a", "b", "c"],
    ["GET", "s"],
    ["PFDEBUG", "DECODE", "s"],
    ["OBJECT", "ENCODING", "s"],
  ],
  "a dense HLL written with SET": [
    ["SET", "d", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0" + "\x41".repeat(12288)],
    ["PFCOUNT", "d"],
    ["PFADD", "d", "a", "b"],
    ["PFCOUNT", "d"],
    ["PFDEBUG", "ENCODING", "d"],
    ["SET", "d", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0" + "\x41".repeat(12287)],
    ["PFCOUNT", "d"],
  ],
  "PFMERGE of sparse HLLs stays sparse": [
    ["PFADD", "a", "1", "2", "3", "4"],
    ["PFADD", "b", "3", "4", "5"],
    ["PFMERGE", "c", "a", "b"],
    ["GET", "c"],
    ["PFCOUNT", "c"],
    ["PFMERGE", "a", "b"],
    ["GET", "a"],
    ["PFMERGE", "e"],
    ["GET", "e"],
    ["PFMERGE", "f", "missing"],
    ["GET", "f"],
    ["PFMERGE", "c", "c"],
    ["GET", "c"],
  ],
  "PFMERGE keeps the destination's TTL": [
    ["PFADD", "a", "1"],
    ["PFADD", "c", "2"],
    ["EXPIRE", "c", "100"],
    ["PFMERGE", "c", "a"],
    ["TTL", "c"],
    ["PFADD", "c", "x", "y"],
    ["TTL", "c"],
  ],
  "PFDEBUG": [
    ["PFDEBUG", "ENCODING", "missing"],
    ["PFADD", "h", "a", "b", "c"],
    ["PFDEBUG", "ENCODING", "h"],
    ["PFDEBUG", "encoding", "h"],
    ["PFDEBUG", "DECODE", "h"],
    ["PFDEBUG", "NOSUCH", "h"],
    ["PFDEBUG", "NO\0SUCH", "h"],
    ["PFDEBUG", "TODENSE", "h"],
    ["PFDEBUG", "TODENSE", "h"],
    ["PFDEBUG", "DECODE", "h"],
    ["PFDEBUG", "ENCODING", "h"],
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["PFADD", "g", "z"],
    ["PFDEBUG", "GETREG", "g"],
    ["PFDEBUG", "ENCODING", "g"],
    ["PFDEBUG", "GETREG"],
    ["PFDEBUG", "GETREG", "g", "x"],
  ],
  "PFSELFTEST": [
    ["PFSELFTEST"],
    ["PFSELFTEST", "x"],
  ],
});

/** Adds `elements` to key in batches, comparing every reply, the count and (optionally) GET. */
async function addInBatches(
  both: Both,
  key: string,
  all: string[],
  batch: number,
  getEvery: number,
): Promise<void> {
  for (let i = 0, n = 0; i < all.length; i += batch, n++) {
    await both.check("PFADD", key, ...all.slice(i, i + batch));
    await both.check("PFCOUNT", key);
    if (n % getEvery === 0) await both.check("GET", key);
  }
  await both.check("GET", key);
}

differential(
  "hyperloglog: sparse growth and promotion to dense, byte for byte",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    await t.step("one element at a time up to 3000 elements", async () => {
      const all = elements(3000, 1);
      await addInBatches(both, "one", all, 1, 25);
      await both.check("PFDEBUG", "ENCODING", "one");
    });
    await t.step("batches of 7 at hll-sparse-max-bytes 3000, 500 and 0", async () => {
      for (const max of ["3000", "500", "0"]) {
        await both.check("CONFIG", "SET", "hll-sparse-max-bytes", max);
        await addInBatches(both, `batch${max}`, elements(1500, 2), 7, 5);
      }
      await both.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    });
    await t.step("PFMERGE of sparse sources at every size and of a dense one", async () => {
      await both.check("PFMERGE", "m1", "batch500", "one");
      await both.check("GET", "m1");
      for (let i = 0; i < 60; i++) {
        await both.check("PFADD", `s${i}`, ...elements(i * 5, 100 + i));
        await both.check("PFMERGE", "m2", `s${i}`);
        await both.check("GET", "m2");
        await both.check("PFCOUNT", "m2", `s${i}`, "one");
      }
      await both.check("PFMERGE", "m3", "s10", "s20", "one", "missing");
      await both.check("GET", "m3");
      await both.check("PFCOUNT", "m3");
      await both.check("GET", "m3");
    });
  },
);

differential(
  "hyperloglog: PFCOUNT equals Redis's on the same 100k elements",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    const all = elements(100_000, 7);
    await t.step("100k elements in batches of 1000, count after each batch", async () => {
      await addInBatches(both, "big", all, 1000, 10);
    });
    await t.step("the same elements in one PFADD give the same HLL", async () => {
      await both.check("PFADD", "once", ...all);
      await both.check("PFCOUNT", "once");
      await both.check("PFCOUNT", "once", "big");
      // Both counted: the bytes, cache included, equal those of the batched HLL on Redis.
      const [ours, redis] = await Promise.all([
        both.ours.call("GET", "once"),
        both.redis.call("GET", "big"),
      ]);
      assertEquals(ours, redis);
    });
    await t.step("merges of dense and sparse HLLs", async () => {
      await both.check("PFADD", "small", ...all.slice(0, 100), "other", "more");
      await both.check("PFMERGE", "merged", "small", "big");
      await both.check("GET", "merged");
      await both.check("PFCOUNT", "merged");
      await both.check("PFMERGE", "small", "big");
      await both.check("GET", "small");
      await both.check("PFCOUNT", "small", "big", "merged");
      await both.check("PFDEBUG", "GETREG", "merged");
    });
    await t.step("counts of unions at many sizes", async () => {
      for (let n = 1; n <= 100_000; n *= 3) {
        await both.check("DEL", "part");
        await both.check("PFADD", "part", ...all.slice(all.length - n));
        await both.check("PFCOUNT", "part");
        await both.check("PFCOUNT", "part", "small");
      }
    });
  },
);
