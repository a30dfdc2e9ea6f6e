// Unit tests of the x87 long double emulation behind INCRBYFLOAT: each row is an INCRBYFLOAT
// of a stored value by an increment, with the reply real redis-server 7.0.15 gave for it.
import assert from "node:assert/strict";
import {
  addLongDouble,
  formatLongDoubleHuman,
  type LongDouble,
  parseLongDouble,
} from "./long_double.ts";

/** An expected result: the text, an error, or [length, prefix, suffix] for huge numbers. */
type Expected = string | [number, string, string];

/** SET f <stored>; INCRBYFLOAT f <increment> on redis-server 7.0.15. */
const REDIS_RESULTS: [string, string, Expected][] = [
  ["0", "0.1", "0.1"],
  ["0.1", "0.2", "0.3"],
  ["1", "-1", "0"],
  ["10.5", "0.1", "10.6"],
  ["3.0", "1.5", "4.5"],
  ["-0", "-0", "0"],
  ["0", "-0", "0"],
  ["1e308", "1e308", [309, "1999999999999999999933717593116912913211", "56510092687857156096"]],
  ["1e4932", "0", [4933, "1000000000000000000006018949387963891323", "38418113791886622720"]],
  ["1.5e-300", "0", "0"],
  ["0x1p3", "0x1.8p-1", "8.75"],
  ["0X10P-2", "1", "5"],
  ["0x1p-18", "0", "0.00000381469726562"],
  ["0x1p-57", "0", "0.00000000000000001"],
  ["1e-17", "5e-18", "0.00000000000000002"],
  ["123456789012345678", "1", "123456789012345679"],
  ["9223372036854775807", "1", "9223372036854775808"],
  ["0.30000000000000004", "0", "0.30000000000000004"],
  ["1e20", "1", "100000000000000000000"],
  ["123456789.123456789", "2.5", "123456791.62345678899873747"],
  ["-1e-18", "0", "0"],
  ["5e-18", "0", "0"],
  ["1.5e-17", "0", "0.00000000000000002"],
  ["3.6451995318824746025e-4951", "0", "0"],
  ["1e4932", "1e4932", "NAN_OR_INF"],
  ["inf", "1", "NAN_OR_INF"],
  ["1", "-inf", "NAN_OR_INF"],
  ["abc", "1", "NOT_FLOAT"],
  ["1", " 1", "NOT_FLOAT"],
  ["1", "1 ", "NOT_FLOAT"],
  ["1", "nan", "NOT_FLOAT"],
  ["1", "1e-5000", "NOT_FLOAT"],
  ["1", "1.2e4932", "NOT_FLOAT"],
  ["1", "1e-4950", "1"],
  ["1", "0x1p-16445", "1"],
  ["1", "0x1p-16446", "NOT_FLOAT"],
  ["1", "0x1p16384", "NOT_FLOAT"],
  ["1", "-0x1.fffffffffffffffep+16383", [
    4934,
    "-118973149535723176502126385303097020516",
    "19552086811989770240",
  ]],
  ["1", "1.", "2"],
  ["1", ".5", "1.5"],
  ["1", "+.5e1", "6"],
  ["1", ".", "NOT_FLOAT"],
  ["1", "", "NOT_FLOAT"],
  ["1", "1e", "NOT_FLOAT"],
  ["1", "0x", "NOT_FLOAT"],
  ["1", "Infinity", "NAN_OR_INF"],
  ["1", "1\u0000", "NOT_FLOAT"],
  ["2.5", "-2.5", "0"],
  ["0.1", "-0.1", "0"],
  ["1e-300", "-1e-300", "0"],
  ["33333.333333333333", "0.000000000000001", "33333.33333333333300175"],
  ["0.9999999999999999999", "0", "1"],
  ["0.99999999999999999999", "0", "1"],
  ["-0.000000000000000005", "0", "0"],
  ["-0.000000000000000006", "0", "-0.00000000000000001"],
  ["7", "0x1.0000000000000001p0", "8"],
];

/** INCRBYFLOAT's arithmetic: parse both, refuse infinities, add, format like ld2string. */
function incrbyfloat(stored: string, increment: string): string {
  const a = parseLongDouble(stored), b = parseLongDouble(increment);
  if (a === null || b === null) return "NOT_FLOAT";
  if (typeof a === "string" || typeof b === "string") return "NAN_OR_INF";
  const sum = addLongDouble(a, b);
  return sum === null ? "NAN_OR_INF" : formatLongDoubleHuman(sum);
}

Deno.test("INCRBYFLOAT arithmetic matches redis-server byte for byte", () => {
  for (const [stored, increment, expected] of REDIS_RESULTS) {
    const got = incrbyfloat(stored, increment);
    const label = `${JSON.stringify(stored)} + ${JSON.stringify(increment)}`;
    if (typeof expected === "string") {
      assert.equal(got, expected, label);
    } else {
      assert.equal(got.length, expected[0], `${label}: length`);
      assert.ok(got.startsWith(expected[1]), `${label}: starts with ${expected[1]}`);
      assert.ok(got.endsWith(expected[2]), `${label}: ends with ${expected[2]}`);
    }
  }
});

Deno.test("parseLongDouble rejects what string2ld rejects", () => {
  const rejected = [
    "",
    " 1",
    "1 ",
    "\t1",
    "nan",
    "-nan",
    "NaN(1)",
    "1e",
    "e1",
    ".",
    "0x",
    "0xp1",
    "1..2",
    "--1",
    "1e5000",
    "1e-5000",
    "0x1p16384",
    "0x1p-16446",
    "1." + "0".repeat(5118), // 5120 bytes: longer than Redis's buffer
  ];
  for (const text of rejected) assert.equal(parseLongDouble(text), null, JSON.stringify(text));
  assert.notEqual(parseLongDouble("1." + "0".repeat(5117)), null);
  assert.equal(parseLongDouble("inf"), "inf");
  assert.equal(parseLongDouble("-Infinity"), "-inf");
  assert.equal(parseLongDouble("+INF"), "inf");
});

Deno.test("parseLongDouble rounds to 64 bits, half to even, with subnormals", () => {
  const one: LongDouble = { neg: false, mant: 1n << 63n, exp: -63 };
  assert.deepEqual(parseLongDouble("1"), one);
  // 1 + 2^-64 is a tie between 1 and 1 + 2^-63: even wins; a bit more rounds up.
  assert.deepEqual(parseLongDouble("0x1.0000000000000001p0"), one);
  assert.deepEqual(parseLongDouble("0x1.0000000000000003p0"), {
    neg: false,
    mant: (1n << 63n) + 2n,
    exp: -63,
  });
  assert.deepEqual(parseLongDouble("0x1.0000000000000001000001p0"), {
    neg: false,
    mant: (1n << 63n) + 1n,
    exp: -63,
  });
  assert.deepEqual(parseLongDouble("0x1p-16445"), { neg: false, mant: 1n, exp: -16445 });
  assert.deepEqual(parseLongDouble("0x1.8p-16445"), { neg: false, mant: 2n, exp: -16445 });
  assert.deepEqual(parseLongDouble("-0"), { neg: true, mant: 0n, exp: 0 });
  assert.deepEqual(parseLongDouble("0e-99999"), { neg: false, mant: 0n, exp: 0 });
});

Deno.test("huge exponents are settled without huge intermediate numbers", () => {
  const started = performance.now();
  assert.equal(parseLongDouble("0x1p-999999999"), null);
  assert.equal(parseLongDouble("0x1p999999999"), null);
  assert.equal(parseLongDouble("1e-999999999"), null);
  assert.deepEqual(parseLongDouble("0." + "0".repeat(4000) + "1e4000"), parseLongDouble("0.1"));
  assert.ok(performance.now() - started < 1000);
});

Deno.test("addLongDouble: exact cancellation is +0 and overflow is null", () => {
  const a = parseLongDouble("2.5") as LongDouble, b = parseLongDouble("-2.5") as LongDouble;
  assert.deepEqual(addLongDouble(a, b), { neg: false, mant: 0n, exp: 0 });
  const max = parseLongDouble("0x1.fffffffffffffffep16383") as LongDouble;
  assert.equal(addLongDouble(max, max), null);
  assert.equal(formatLongDoubleHuman({ neg: true, mant: 0n, exp: 0 }), "0");
});
