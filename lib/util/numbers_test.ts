// Unit tests of Redis's number rules: string2ll (parseInteger), string2d (parseDouble) and the
// %.17g formatting of doubles, the last checked against the system's printf.
import assert from "node:assert/strict";
import { formatDouble, parseDouble, parseInteger, parseSafeInteger } from "./numbers.ts";

Deno.test("parseInteger accepts what string2ll accepts", () => {
  const cases: [string, number | bigint][] = [
    ["0", 0],
    ["1", 1],
    ["-1", -1],
    ["123", 123],
    ["9007199254740991", 9007199254740991],
    ["-9007199254740991", -9007199254740991],
    ["9007199254740992", 9007199254740992n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["1000000000000000", 1000000000000000],
    ["99999999999999999", 99999999999999999n],
  ];
  for (const [text, value] of cases) assert.equal(parseInteger(text), value, text);
});

Deno.test("parseInteger rejects what string2ll rejects", () => {
  const rejected = [
    "",
    "-",
    "+1",
    "-0",
    "00",
    "01",
    "-01",
    " 1",
    "1 ",
    "1.0",
    "1e3",
    "0x10",
    "1_000",
    "١",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999",
    "-99999999999999999999",
    "123456789012345678901",
    "1\0",
  ];
  for (const text of rejected) assert.equal(parseInteger(text), null, JSON.stringify(text));
});

Deno.test("parseSafeInteger clamps int64 values beyond 2^53", () => {
  assert.equal(parseSafeInteger("42"), 42);
  assert.equal(parseSafeInteger("9223372036854775807"), Number.MAX_SAFE_INTEGER);
  assert.equal(parseSafeInteger("-9223372036854775808"), Number.MIN_SAFE_INTEGER);
  assert.equal(parseSafeInteger("x"), null);
});

Deno.test("parseDouble follows strtod and string2d's checks", () => {
  const accepted: [string, number][] = [
    ["0", 0],
    ["-0", -0],
    ["1.5", 1.5],
    ["+1.5", 1.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["inf", Infinity],
    ["-INF", -Infinity],
    ["+Infinity", Infinity],
    ["0x10", 16],
    ["0x1p-2", 0.25],
    ["-0X1.8P1", -3],
    ["0x.8", 0.5],
    ["1e-310", 1e-310],
    ["4.9e-324", 5e-324],
    ["1.7976931348623157e308", 1.7976931348623157e308],
    ["0x1.fffffffffffff7p1023", 1.7976931348623157e308],
    ["0x1p-1074", 5e-324],
    ["0x1.8p-1074", 1e-323],
    ["0x0.fffffffffffff8p-1022", 2.2250738585072014e-308],
    ["0x1.00000000000008p0", 1],
    ["0x1.00000000000018p0", 1.0000000000000004],
    ["0e-999", 0],
  ];
  for (const [text, value] of accepted) assert.equal(parseDouble(text), value, text);
  const rejected = [
    "",
    " 1",
    "1 ",
    "nan",
    "-nan",
    "NaN(1)",
    "1e",
    ".",
    "0x",
    "abc",
    "1e400",
    "-1e400",
    "1.7976931348623159e308",
    "0x1.fffffffffffff8p1023",
    "1e-400",
    "2e-324",
    "0x1p-1076",
    "1\0",
  ];
  for (const text of rejected) assert.equal(parseDouble(text), null, JSON.stringify(text));
});

/** The exact value of a double as a C hex float, which printf's strtold reads without loss. */
function hexFloat(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const high = view.getUint32(0), low = view.getUint32(4);
  const sign = high >>> 31 ? "-" : "";
  const biased = (high >>> 20) & 0x7ff;
  const fraction = ((BigInt(high & 0xfffff) << 32n) | BigInt(low)).toString(16).padStart(13, "0");
  return biased === 0 ? `${sign}0x0.${fraction}p-1022` : `${sign}0x1.${fraction}p${biased - 1023}`;
}

/** About 200 doubles: edges of %.17g's fixed/exponent switch, ties, subnormals, random bits. */
function sampleDoubles(): number[] {
  const values = [
    0,
    -0,
    1,
    -1,
    0.1,
    0.2,
    0.30000000000000004,
    1 / 3,
    2 / 3,
    Math.PI,
    Math.E,
    1e-4,
    1e-5,
    0.00012345678901234567,
    0.000012345678901234567,
    1e16,
    1e17,
    1e18,
    1e21,
    1e22,
    123456789012345680000,
    99999999999999984,
    99999999999999990,
    12345678901234567,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 53 - 1,
    -(2 ** 53),
    2 ** 63,
    2 ** 64,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    5e-324,
    1e-323,
    1000000000000000.2,
    1000000000000000.25,
    1000000000000000.75,
    1125899906842624.5,
    562949953421312.25,
    562949953421312.75,
    281474976710656.125,
    1.5,
    2.5,
    0.5,
    100,
    1e100,
    1.23e-100,
    -123.456,
    3.14159e-7,
    9.999999999999999e22,
    0.1 + 0.7,
  ];
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const view = new DataView(new ArrayBuffer(8));
  while (values.length < 200) {
    view.setUint32(0, next() * 2 + (next() & 1));
    view.setUint32(4, next() * 2 + (next() & 1));
    const bits = view.getFloat64(0);
    if (Number.isFinite(bits)) values.push(bits);
    values.push((next() % 1e6) * 10 ** ((next() % 40) - 20));
    values.push((next() % 2 ** 20) * 2 ** 31 + [0.25, 0.75, 0.125][next() % 3]!);
  }
  return values;
}

Deno.test("formatDouble prints what printf %.17g prints", async () => {
  const values = sampleDoubles();
  const format = values.map(() => "%.17g\\n").join("");
  const { code, stdout } = await new Deno.Command("printf", {
    args: [format, ...values.map(hexFloat)],
    stdout: "piped",
  }).output();
  assert.equal(code, 0);
  const expected = new TextDecoder().decode(stdout).trimEnd().split("\n");
  assert.equal(expected.length, values.length);
  values.forEach((d, i) => assert.equal(formatDouble(d), expected[i], `${d} (${hexFloat(d)})`));
});

Deno.test("formatDouble spells infinities and NaN like Redis", () => {
  assert.equal(formatDouble(Infinity), "inf");
  assert.equal(formatDouble(-Infinity), "-inf");
  assert.equal(formatDouble(NaN), "nan");
});
