// Differential tests of the bitmap commands (lib/commands/bitmaps.ts, Redis's bitops.c) against
// redis-server: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
import { type Both, differential, differentialCases } from "../helpers/differential.ts";

const LLONG_MAX = "9223372036854775807";
const LLONG_MIN = "-9223372036854775808";

/** Deterministic pseudo-random numbers (mulberry32), so failures can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

differentialCases("bitmaps: SETBIT and GETBIT", {
  "SETBIT creates, grows and returns the old bit": [
    ["SETBIT", "k", "7", "1"],
    ["GET", "k"],
    ["SETBIT", "k", "7", "1"],
    ["SETBIT", "k", "7", "0"],
    ["SETBIT", "k", "100", "1"],
    ["GET", "k"],
    ["STRLEN", "k"],
    ["SETBIT", "k", "0", "0"],
    ["SETBIT", "new", "1000", "0"],
    ["GET", "new"],
    ["OBJECT", "ENCODING", "k"],
    ["OBJECT", "ENCODING", "new"],
  ],
  "GETBIT inside, past the end and of a missing key": [
    ["SET", "k", "\xaa\x01"],
    ["GETBIT", "k", "0"],
    ["GETBIT", "k", "1"],
    ["GETBIT", "k", "15"],
    ["GETBIT", "k", "16"],
    ["GETBIT", "k", "4294967295"],
    ["GETBIT", "missing", "3"],
  ],
  "SETBIT and GETBIT on integer and embstr strings": [
    ["SET", "n", "255"],
    ["OBJECT", "ENCODING", "n"],
    ["GETBIT", "n", "2"],
    ["GETBIT", "n", "6"],
    ["SETBIT", "n", "7", "0"],
    ["GET", "n"],
    ["OBJECT", "ENCODING", "n"],
    ["SET", "e", "hello"],
    ["SETBIT", "e", "0", "1"],
    ["GET", "e"],
    ["OBJECT", "ENCODING", "e"],
    ["APPEND", "e", "xx"],
    ["SETRANGE", "e", "1", "AB"],
    ["GETRANGE", "e", "0", "-1"],
    ["GETBIT", "e", "9"],
  ],
  "SETBIT keeps the TTL": [
    ["SET", "k", "a", "EX", "100"],
    ["SETBIT", "k", "20", "1"],
    ["TTL", "k"],
  ],
  "offset and value errors": [
    ["SETBIT", "k", "-1", "1"],
    ["SETBIT", "k", "4294967296", "1"],
    ["SETBIT", "k", LLONG_MAX, "1"],
    ["SETBIT", "k", "99999999999999999999", "1"],
    ["SETBIT", "k", "#1", "1"],
    ["SETBIT", "k", "1.0", "1"],
    ["SETBIT", "k", " 1", "1"],
    ["SETBIT", "k", "1", "2"],
    ["SETBIT", "k", "1", "-1"],
    ["SETBIT", "k", "1", "01"],
    ["SETBIT", "k", "1", "x"],
    ["SETBIT", "k", "x", "x"],
    ["GETBIT", "k", "-1"],
    ["GETBIT", "k", "4294967296"],
    ["GETBIT", "k", "x"],
    ["EXISTS", "k"],
    ["SETBIT", "k", "1"],
    ["GETBIT", "k"],
  ],
  "WRONGTYPE": [
    ["ZADD", "z", "1", "a"],
    ["RPUSH", "l", "a"],
    ["SETBIT", "l", "1", "1"],
    ["BITOP", "OR", "d", "missing", "l"],
    ["EXISTS", "d"],
    ["SETBIT", "z", "1", "1"],
    ["GETBIT", "z", "1"],
    ["GETBIT", "z", "x"],
    ["BITCOUNT", "z"],
    ["BITCOUNT", "z", "x", "y"],
    ["BITPOS", "z", "1"],
    ["BITPOS", "z", "2"],
    ["BITOP", "AND", "d", "z"],
    ["BITOP", "AND", "z", "missing"],
    ["BITFIELD", "z", "GET", "u8", "0"],
    ["BITFIELD", "z"],
    ["BITFIELD", "z", "GET", "x8", "0"],
    ["BITFIELD_RO", "z", "GET", "u8", "0"],
  ],
});

differentialCases("bitmaps: BITCOUNT", {
  "whole string, byte ranges and negative indexes": [
    ["SET", "k", "foobar"],
    ["BITCOUNT", "k"],
    ["BITCOUNT", "k", "0", "0"],
    ["BITCOUNT", "k", "1", "1"],
    ["BITCOUNT", "k", "1", "-1"],
    ["BITCOUNT", "k", "-2", "-1"],
    ["BITCOUNT", "k", "-1", "-2"],
    ["BITCOUNT", "k", "-100", "-1"],
    ["BITCOUNT", "k", "-100", "-99"],
    ["BITCOUNT", "k", "3", "1"],
    ["BITCOUNT", "k", "5", "100"],
    ["BITCOUNT", "k", "6", "100"],
    ["BITCOUNT", "k", "0", LLONG_MAX],
    ["BITCOUNT", "k", LLONG_MIN, LLONG_MAX],
    ["BITCOUNT", "k", LLONG_MIN, "-1"],
    ["BITCOUNT", "k", "0", "-1", "BYTE"],
    ["BITCOUNT", "k", "0", "-1", "byte"],
  ],
  "BIT ranges": [
    ["SET", "k", "\xff\x0f\xf0\x55"],
    ["BITCOUNT", "k", "0", "0", "BIT"],
    ["BITCOUNT", "k", "1", "2", "BIT"],
    ["BITCOUNT", "k", "5", "30", "bit"],
    ["BITCOUNT", "k", "8", "11", "BIT"],
    ["BITCOUNT", "k", "12", "19", "BIT"],
    ["BITCOUNT", "k", "-5", "-1", "BIT"],
    ["BITCOUNT", "k", "-1", "-5", "BIT"],
    ["BITCOUNT", "k", "-100", "100", "BIT"],
    ["BITCOUNT", "k", "31", "31", "BIT"],
    ["BITCOUNT", "k", "32", "40", "BIT"],
    ["BITCOUNT", "k", "7", "8", "BIT"],
    ["BITCOUNT", "k", "0", LLONG_MAX, "BIT"],
  ],
  "errors, missing keys and empty strings": [
    ["SET", "k", "abc"],
    ["BITCOUNT", "k", "0"],
    ["BITCOUNT", "k", "0", "1", "BIT", "x"],
    ["BITCOUNT", "k", "0", "1", "BITS"],
    ["BITCOUNT", "k", "-1", "-2", "BITS"],
    ["BITCOUNT", "k", "x", "1"],
    ["BITCOUNT", "k", "1", "x"],
    ["BITCOUNT", "k", "99999999999999999999", "1"],
    ["BITCOUNT", "missing"],
    ["BITCOUNT", "missing", "x", "y"],
    ["BITCOUNT", "missing", "0"],
    ["SET", "e", ""],
    ["BITCOUNT", "e"],
    ["BITCOUNT", "e", "0", "-1"],
    ["BITCOUNT", "e", "0", "-1", "BIT"],
    ["BITCOUNT"],
    ["SET", "n", "12345"],
    ["BITCOUNT", "n"],
    ["BITCOUNT", "n", "1", "2", "BIT"],
  ],
});

differentialCases("bitmaps: BITPOS", {
  "set and clear bits, whole string": [
    ["SET", "k", "\xff\xf0\x00"],
    ["BITPOS", "k", "0"],
    ["BITPOS", "k", "1"],
    ["SET", "ones", "\xff\xff\xff"],
    ["BITPOS", "ones", "0"],
    ["BITPOS", "ones", "1"],
    ["SET", "zeros", "\0\0\0"],
    ["BITPOS", "zeros", "0"],
    ["BITPOS", "zeros", "1"],
    ["BITPOS", "missing", "0"],
    ["BITPOS", "missing", "1"],
    ["BITPOS", "missing", "0", "5", "10"],
    ["SET", "e", ""],
    ["BITPOS", "e", "0"],
    ["BITPOS", "e", "1"],
    ["BITPOS", "e", "0", "0"],
  ],
  "clear bits past the end without and with an explicit end": [
    ["SET", "ones", "\xff\xff\xff"],
    ["BITPOS", "ones", "0", "0"],
    ["BITPOS", "ones", "0", "1"],
    ["BITPOS", "ones", "0", "2"],
    ["BITPOS", "ones", "0", "3"],
    ["BITPOS", "ones", "0", "-1"],
    ["BITPOS", "ones", "0", "0", "-1"],
    ["BITPOS", "ones", "0", "0", "2"],
    ["BITPOS", "ones", "0", "0", "100"],
    ["BITPOS", "ones", "0", "0", "-1", "BIT"],
    ["BITPOS", "ones", "0", "3", "7", "BIT"],
  ],
  "byte and bit ranges, negative indexes": [
    ["SET", "k", "\x00\xff\xf0\x0f\x00\x01"],
    ["BITPOS", "k", "1", "2"],
    ["BITPOS", "k", "1", "2", "-1"],
    ["BITPOS", "k", "1", "-1"],
    ["BITPOS", "k", "1", "-2", "-2"],
    ["BITPOS", "k", "0", "1", "1"],
    ["BITPOS", "k", "0", "1", "2"],
    ["BITPOS", "k", "1", "3", "2"],
    ["BITPOS", "k", "1", "9", "15", "BIT"],
    ["BITPOS", "k", "0", "9", "15", "BIT"],
    ["BITPOS", "k", "0", "8", "19", "BIT"],
    ["BITPOS", "k", "0", "8", "20", "BIT"],
    ["BITPOS", "k", "1", "20", "27", "BIT"],
    ["BITPOS", "k", "1", "32", "46", "BIT"],
    ["BITPOS", "k", "1", "32", "47", "BIT"],
    ["BITPOS", "k", "1", "-3", "-1", "BIT"],
    ["BITPOS", "k", "0", "-3", "-1", "BIT"],
    ["BITPOS", "k", "1", "47", "1000", "BIT"],
    ["BITPOS", "k", "1", "7", "7", "byte"],
    ["BITPOS", "k", "1", LLONG_MIN, LLONG_MAX],
    ["BITPOS", "k", "0", LLONG_MIN, LLONG_MAX, "BIT"],
  ],
  "errors": [
    ["SET", "k", "\xff"],
    ["BITPOS", "k", "2"],
    ["BITPOS", "k", "-1"],
    ["BITPOS", "k", "x"],
    ["BITPOS", "missing", "2"],
    ["BITPOS", "k", "0", "x"],
    ["BITPOS", "missing", "0", "x"],
    ["BITPOS", "k", "0", "0", "x"],
    ["BITPOS", "k", "0", "0", "1", "BITS"],
    ["BITPOS", "k", "0", "0", "x", "BITS"],
    ["BITPOS", "k", "0", "0", "x", "BIT"],
    ["BITPOS", "k", "0", "0", "1", "BIT", "x"],
    ["BITPOS", "k", "0", "12", "bit"],
    ["BITPOS", "k"],
  ],
});

differentialCases("bitmaps: BITOP", {
  "AND, OR, XOR of strings of different lengths": [
    ["SET", "a", "\xff\x0f\xaa"],
    ["SET", "b", "\xf0\xff"],
    ["SET", "c", "\x01"],
    ["BITOP", "AND", "d", "a", "b"],
    ["GET", "d"],
    ["BITOP", "OR", "d", "a", "b", "c"],
    ["GET", "d"],
    ["BITOP", "XOR", "d", "a", "b", "c"],
    ["GET", "d"],
    ["BITOP", "and", "d", "a", "missing"],
    ["GET", "d"],
    ["BITOP", "Or", "d", "missing", "c"],
    ["GET", "d"],
    ["BITOP", "xOR", "d", "a", "a"],
    ["GET", "d"],
    ["OBJECT", "ENCODING", "d"],
    ["BITOP", "AND", "a", "a", "b"],
    ["GET", "a"],
  ],
  "NOT takes exactly one source": [
    ["SET", "a", "\xff\x0f\xaa\x00"],
    ["BITOP", "NOT", "d", "a"],
    ["GET", "d"],
    ["BITOP", "NOT", "d", "a", "a"],
    ["BITOP", "NOT", "a", "a"],
    ["GET", "a"],
    ["SET", "n", "123"],
    ["BITOP", "NOT", "d", "n"],
    ["GET", "d"],
  ],
  "empty results delete the destination; results drop its TTL": [
    ["SET", "d", "x", "EX", "100"],
    ["BITOP", "AND", "d", "missing", "missing2"],
    ["EXISTS", "d"],
    ["SET", "d", "x", "EX", "100"],
    ["SET", "e", ""],
    ["BITOP", "OR", "d", "e"],
    ["EXISTS", "d"],
    ["SET", "d", "x", "EX", "100"],
    ["SET", "a", "abc"],
    ["BITOP", "OR", "d", "a"],
    ["TTL", "d"],
    ["GET", "d"],
  ],
  "errors": [
    ["SET", "a", "abc"],
    ["BITOP", "NAND", "d", "a"],
    ["BITOP", "AN", "d", "a"],
    ["BITOP", "AND", "d"],
    ["BITOP", "NOT", "d"],
    ["BITOP", "NOT", "d", "a", "b"],
    ["BITOP", "NAND", "d"],
  ],
});

differentialCases("bitmaps: BITFIELD parsing and errors", {
  "GET, SET, INCRBY on a new key": [
    ["BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0", "INCRBY", "i5", "100", "1"],
    ["GET", "k"],
    ["BITFIELD", "k", "GET", "u4", "0", "GET", "i4", "0", "GET", "u16", "4", "GET", "i64", "0"],
    ["BITFIELD", "k", "get", "u8", "#1", "set", "u8", "#2", "7", "incrby", "u8", "#2", "-8"],
    ["GET", "k"],
    ["BITFIELD", "k"],
    ["BITFIELD", "missing"],
    ["BITFIELD", "missing", "GET", "u8", "0"],
    ["EXISTS", "missing"],
    ["BITFIELD", "k", "GET", "i64", "1000", "GET", "u63", "1", "GET", "i1", "0", "GET", "u1", "0"],
    ["OBJECT", "ENCODING", "k"],
  ],
  "offsets with #": [
    ["BITFIELD", "k", "SET", "i8", "#0", "100", "SET", "i8", "#1", "-100", "GET", "i16", "#0"],
    ["BITFIELD", "k", "SET", "u3", "#5", "7", "GET", "u3", "#5", "GET", "u8", "#1"],
    ["GET", "k"],
    ["BITFIELD", "k", "GET", "u8", "#"],
    ["BITFIELD", "k", "GET", "u8", "#-1"],
    ["BITFIELD", "k", "GET", "u8", "##1"],
    ["BITFIELD", "k", "GET", "u8", "#536870912"],
    ["BITFIELD", "k", "GET", "u8", "#536870911"],
    ["BITFIELD", "k", "GET", "i64", "#2305843009213693953"],
    ["BITFIELD", "k", "GET", "u8", "4294967296"],
    ["BITFIELD", "k", "GET", "u8", "4294967295"],
  ],
  "type errors": [
    ["BITFIELD", "k", "GET", "u64", "0"],
    ["BITFIELD", "k", "GET", "i65", "0"],
    ["BITFIELD", "k", "GET", "i0", "0"],
    ["BITFIELD", "k", "GET", "u0", "0"],
    ["BITFIELD", "k", "GET", "U8", "0"],
    ["BITFIELD", "k", "GET", "I8", "0"],
    ["BITFIELD", "k", "GET", "x8", "0"],
    ["BITFIELD", "k", "GET", "u", "0"],
    ["BITFIELD", "k", "GET", "u08", "0"],
    ["BITFIELD", "k", "GET", "u-8", "0"],
    ["BITFIELD", "k", "GET", "u8\0junk", "0"],
    ["BITFIELD", "k", "GET", "", "0"],
  ],
  "syntax, overflow and value errors": [
    ["BITFIELD", "k", "GET", "u8"],
    ["BITFIELD", "k", "SET", "u8", "0"],
    ["BITFIELD", "k", "INCRBY", "u8", "0"],
    ["BITFIELD", "k", "OVERFLOW"],
    ["BITFIELD", "k", "OVERFLOW", "SATURATE"],
    ["BITFIELD", "k", "OVERFLOW", "sat", "GET", "u8", "0", "OVERFLOW", "x"],
    ["BITFIELD", "k", "NOSUCH", "u8", "0"],
    ["BITFIELD", "k", "GET", "u8", "0", "SET"],
    ["BITFIELD", "k", "SET", "u8", "0", "x"],
    ["BITFIELD", "k", "SET", "u8", "0", "1.5"],
    ["BITFIELD", "k", "SET", "u8", "0", "99999999999999999999"],
    ["BITFIELD", "k", "SET", "u8", "x", "1"],
    ["BITFIELD", "k", "SET", "x8", "x", "1"],
    ["BITFIELD", "k", "INCRBY", "u8", "0", "1", "GET", "u64", "0"],
    ["BITFIELD", "k", "GET\0x", "u8", "0"],
    ["BITFIELD", "k", "OVERFLOW", "FAIL\0x", "GET", "u8", "0"],
    ["EXISTS", "k"],
    ["BITFIELD"],
  ],
  "FAIL still creates and grows the key": [
    ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "16", "300"],
    ["GET", "k"],
    ["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "100", "5"],
    ["STRLEN", "k"],
  ],
  "BITFIELD keeps the TTL": [
    ["SET", "k", "abc", "EX", "100"],
    ["BITFIELD", "k", "SET", "u8", "0", "65"],
    ["TTL", "k"],
    ["GET", "k"],
  ],
  "BITFIELD_RO": [
    ["SET", "k", "\x12\x34\x56"],
    ["BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i12", "4", "GET", "u16", "#1"],
    ["BITFIELD_RO", "k"],
    ["BITFIELD_RO", "missing", "GET", "u8", "0"],
    ["BITFIELD_RO", "k", "SET", "u8", "0", "1"],
    ["BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"],
    ["BITFIELD_RO", "k", "OVERFLOW", "SAT"],
    ["BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"],
    ["BITFIELD_RO", "k", "SET", "u8", "0", "x"],
    ["BITFIELD_RO", "k", "SET", "x8", "0", "1"],
    ["BITFIELD_RO", "k", "GET", "u8"],
    ["BITFIELD_RO", "missing", "SET", "u8", "0", "1"],
    ["EXISTS", "missing"],
    ["GET", "k"],
  ],
});

differentialCases("bitmaps: key positions and flags", {
  "COMMAND GETKEYSANDFLAGS": [
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "OVERFLOW", "SAT", "GET", "u8", "0"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITFIELD_RO", "k", "GET", "u8", "0"],
    ["COMMAND", "GETKEYSANDFLAGS", "BITOP", "AND", "d", "a", "b"],
    ["COMMAND", "GETKEYSANDFLAGS", "SETBIT", "k", "1", "1"],
    ["COMMAND", "GETKEYSANDFLAGS", "PFMERGE", "d", "a", "b"],
    ["COMMAND", "GETKEYSANDFLAGS", "PFCOUNT", "a", "b"],
    ["COMMAND", "GETKEYSANDFLAGS", "PFDEBUG", "GETREG", "k"],
    ["COMMAND", "INFO", "BITFIELD", "BITOP", "PFCOUNT", "PFSELFTEST"],
  ],
});

differential("bitmaps: BITFIELD's FAIL is a RESP3 null", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.both("HELLO", "3"); // client ids differ
  await both.check(
    "BITFIELD",
    "k",
    "OVERFLOW",
    "FAIL",
    "INCRBY",
    "u8",
    "0",
    "300",
    "GET",
    "u8",
    "0",
  );
  await both.check("BITFIELD_RO", "k", "GET", "i8", "0");
});

/** Values around the limits of a `bits`-wide field, signed or not. */
function boundaryValues(bits: number, signed: boolean): bigint[] {
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -max - 1n : 0n;
  const raw = [0n, 1n, -1n, 2n, -2n, max, max - 1n, max + 1n, min, min + 1n, min - 1n];
  raw.push(max * 2n, -max * 2n, 9223372036854775807n, -9223372036854775808n, 12345n, -12345n);
  return [...new Set(raw)].filter((v) => v >= -9223372036854775808n && v <= 9223372036854775807n);
}

differential(
  "bitmaps: BITFIELD overflow for every width, signed and unsigned",
  async (t, servers) => {
    const both = await servers.connect();
    await both.check("FLUSHALL");
    const widths: [string, number, boolean][] = [];
    for (let bits = 1; bits <= 64; bits++) widths.push([`i${bits}`, bits, true]);
    for (let bits = 1; bits <= 63; bits++) widths.push([`u${bits}`, bits, false]);
    for (const mode of ["WRAP", "SAT", "FAIL"]) {
      await t.step(`OVERFLOW ${mode}`, async () => {
        for (const [type, bits, signed] of widths) {
          const all = boundaryValues(bits, signed);
          const values = all.map(String);
          // SET each value (offset 3: fields straddle bytes), then INCRBY each value from every
          // start value the field can hold.
          const set = values.flatMap((v) => ["SET", type, "3", v, "GET", type, "3"]);
          await both.check("BITFIELD", "k", "OVERFLOW", mode, ...set);
          const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
          const min = signed ? -max - 1n : 0n;
          const starts = all.filter((v) => v >= min && v <= max).map(String);
          const incr = starts.flatMap((start) =>
            values.flatMap((v) => ["SET", type, "3", start, "INCRBY", type, "3", v])
          );
          await both.check("BITFIELD", "k", "OVERFLOW", mode, ...incr);
          await both.check("GET", "k");
        }
      });
    }
    await t.step("repeated INCRBY runs past the limits", async () => {
      for (const mode of ["WRAP", "SAT", "FAIL"]) {
        for (const type of ["i4", "u4", "i8", "u8", "i63", "u63", "i64"]) {
          const ops = Array.from({ length: 20 }, () => ["INCRBY", type, "5", "3"]).flat();
          const down = Array.from({ length: 20 }, () => ["INCRBY", type, "5", "-7"]).flat();
          await both.check("BITFIELD", "r", "OVERFLOW", mode, ...ops, ...down);
          await both.check("BITFIELD", "r", "OVERFLOW", mode, "INCRBY", type, "5", LLONG_MAX);
          await both.check("BITFIELD", "r", "OVERFLOW", mode, "INCRBY", type, "5", LLONG_MIN);
          await both.check("GET", "r");
        }
      }
    });
  },
);

/** One random bit-level command on keys a..c. */
function randomCommand(next: () => number): string[] {
  const int = (n: number) => Math.floor(next() * n);
  const key = "abc"[int(3)]!;
  const index = () => String(int(80) - 40);
  const unit = () => (int(3) === 0 ? [] : [["BIT", "BYTE", "bit"][int(3)]!]);
  switch (int(9)) {
    case 0:
    case 1:
      return ["SETBIT", key, String(int(200)), String(int(2))];
    case 2:
      return ["GETBIT", key, String(int(220))];
    case 3:
      return int(4) === 0 ? ["BITCOUNT", key] : ["BITCOUNT", key, index(), index(), ...unit()];
    case 4: {
      const args = ["BITPOS", key, String(int(2))];
      const extra = int(4);
      if (extra >= 1) args.push(index());
      if (extra >= 2) args.push(index());
      if (extra === 3) args.push(...unit());
      return args;
    }
    case 5: {
      const op = ["AND", "OR", "XOR", "NOT"][int(4)]!;
      const sources = op === "NOT" ? ["abc"[int(3)]!] : ["a", "b", "c", "d"].slice(int(3));
      return ["BITOP", op, "abcd"[int(4)]!, ...sources];
    }
    case 6: {
      const type = `${int(2) === 0 ? "i" : "u"}${1 + int(20)}`;
      const offset = int(4) === 0 ? `#${int(10)}` : String(int(150));
      const overflow = ["WRAP", "SAT", "FAIL"][int(3)]!;
      const op = int(3);
      if (op === 0) return ["BITFIELD", key, "GET", type, offset];
      const verb = op === 1 ? "SET" : "INCRBY";
      return ["BITFIELD", key, "OVERFLOW", overflow, verb, type, offset, String(int(2001) - 1000)];
    }
    case 7:
      return ["SETRANGE", key, String(int(30)), String.fromCharCode(int(256), int(256))];
    default:
      return ["GET", key];
  }
}

differential("bitmaps: random operations agree with Redis", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  const next = random(42);
  for (let i = 0; i < 4000; i++) await both.check(...randomCommand(next));
  for (const key of ["a", "b", "c", "d"]) await both.check("GET", key);
});

/** GET of a large value on both servers: equal bulk replies. */
async function checkLarge(both: Both, key: string): Promise<void> {
  const reply = await both.check("GET", key);
  if (!reply.startsWith("$")) throw new Error(`GET ${key}: ${reply.slice(0, 40)}`);
}

differential("bitmaps: a 10 MB bitmap", async (t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  const next = random(7);
  await t.step("SETBIT across 80M bits, then reads", async () => {
    await both.check("SETBIT", "big", "79999999", "1");
    for (let i = 0; i < 200; i++) {
      await both.check("SETBIT", "big", String(Math.floor(next() * 80_000_000)), "1");
    }
    await both.check("BITCOUNT", "big");
    await both.check("BITCOUNT", "big", "1000", "-1000");
    await both.check("BITCOUNT", "big", "12345", "70000000", "BIT");
    await both.check("BITPOS", "big", "1");
    await both.check("BITPOS", "big", "0");
    await both.check("BITPOS", "big", "1", "5000000");
    await both.check("BITPOS", "big", "1", "40000001", "-1", "BIT");
    await both.check("STRLEN", "big");
  });
  await t.step("edits after reads as a plain string, BITFIELD and BITOP", async () => {
    await both.check("SETBIT", "big", "5", "1");
    await both.check("BITFIELD", "big", "INCRBY", "u32", "#1000000", "123456789");
    await both.check("APPEND", "big", "tail");
    await both.check("SETBIT", "big", "80000100", "1");
    await both.check("BITOP", "NOT", "inv", "big");
    await both.check("BITOP", "AND", "and", "big", "inv");
    await both.check("BITCOUNT", "and");
    await both.check("BITCOUNT", "inv");
    await both.check("GETRANGE", "big", "9999990", "-1");
    await both.check("GETRANGE", "inv", "0", "100000");
    await both.check("GETRANGE", "inv", "9900000", "-1");
    await checkLarge(both, "big");
  });
});

differentialCases("bitmaps: values kept as bytes behave as strings everywhere", {
  "COPY, RENAME and MOVE of a large bitmap, then edits of each copy": [
    ["SETBIT", "a", "40000", "1"],
    ["COPY", "a", "b"],
    ["SETBIT", "a", "0", "1"],
    ["SETBIT", "b", "1", "1"],
    ["BITCOUNT", "a"],
    ["BITCOUNT", "b"],
    ["GETRANGE", "a", "0", "1"],
    ["GETRANGE", "b", "0", "1"],
    ["RENAME", "b", "c"],
    ["MOVE", "c", "1"],
    ["SELECT", "1"],
    ["BITFIELD", "c", "INCRBY", "u8", "0", "7"],
    ["GET", "c"],
    ["SELECT", "0"],
    ["TYPE", "a"],
    ["OBJECT", "ENCODING", "a"],
    ["STRLEN", "a"],
    ["MGET", "a", "missing"],
    ["SETBIT", "a", "2", "1"],
    ["GETSET", "a", "x"],
    ["GET", "a"],
  ],
  "a large HLL": [
    ["PFADD", "h", ...Array.from({ length: 3000 }, (_, i) => `e${i}`)],
    ["COPY", "h", "h2"],
    ["PFADD", "h2", "more"],
    ["PFCOUNT", "h"],
    ["PFCOUNT", "h2"],
    ["APPEND", "h", "x"],
    ["PFCOUNT", "h"],
    ["STRLEN", "h"],
    ["EXPIRE", "h2", "100"],
    ["PFADD", "h2", "even", "more"],
    ["TTL", "h2"],
  ],
});

differential("bitmaps: offsets are limited by proto-max-bulk-len", async (_t, servers) => {
  const both = await servers.connect();
  await both.check("FLUSHALL");
  await both.check("CONFIG", "SET", "proto-max-bulk-len", "1mb");
  await both.check("SETBIT", "k", "8388608", "1");
  await both.check("SETBIT", "k", "8388607", "1");
  await both.check("STRLEN", "k");
  await both.check("GETBIT", "k", "8388608");
  await both.check("BITFIELD", "k", "SET", "u8", "8388600", "1");
  await both.check("BITFIELD", "k", "SET", "u8", "8388601", "1");
  await both.check("BITFIELD", "k", "GET", "u8", "#1048575", "GET", "u8", "#1048576");
  await both.check("CONFIG", "SET", "proto-max-bulk-len", "512mb");
  await both.check("BITCOUNT", "k");
});
