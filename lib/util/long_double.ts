// The x87 80-bit long double arithmetic INCRBYFLOAT and HINCRBYFLOAT use in Redis (strtold,
// one addition, printf "%.17Lf" with trailing zeros removed), emulated exactly with BigInt so
// that replies match Redis byte for byte (0.1 + 0.2 is "0.3" there, not "0.30000000000000004").
import { FLOAT_SYNTAX } from "./numbers.ts";

const MANT_BITS = 64;
/** Exponent limits of the x87 format: values are mant * 2^exp with a 64-bit mant. */
const MAX_EXP = 16384 - MANT_BITS; // largest finite value < 2^16384
const MIN_EXP = -16445; // smallest subnormal is 2^-16445

/** A finite long double: (-1)^neg * mant * 2^exp, mant 0 or in [2^63, 2^64). */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
}

/** Parse result: a finite value, or "inf"/"-inf" (what strtold returns for "inf"). */
export type Parsed = LongDouble | "inf" | "-inf";

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds num/den * 2^exp2 (num, den > 0) to 64 bits, half to even; null on overflow. */
function roundQuotient(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble | null {
  if (num === 0n) return { neg, mant: 0n, exp: 0 };
  // Choose shift so that the quotient has 64 or 65 bits.
  let shift = MANT_BITS + 1 - (bitLength(num) - bitLength(den));
  if (exp2 - shift < MIN_EXP) shift = exp2 - MIN_EXP; // subnormal: fewer bits
  let n = num, d = den;
  if (shift >= 0) n <<= BigInt(shift);
  else d <<= BigInt(-shift);
  let q = n / d;
  let r = n % d;
  let e = exp2 - shift;
  while (bitLength(q) > MANT_BITS) {
    if (q & 1n) r += d; // fold the dropped bit into the remainder, in units of the new d
    d *= 2n;
    q >>= 1n;
    e++;
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) {
    q++;
    if (bitLength(q) > MANT_BITS) {
      q >>= 1n;
      e++;
    }
  }
  if (q !== 0n && e > MAX_EXP) return null;
  return { neg, mant: q, exp: e };
}

/**
 * Redis's string2ld: strtold of the whole string; leading space, trailing garbage, NaN,
 * overflow and underflow to zero are rejected (null).
 */
export function parseLongDouble(s: string): Parsed | null {
  if (s.length === 0 || s.length >= 5 * 1024 || !FLOAT_SYNTAX.test(s)) return null;
  const lower = s.toLowerCase();
  const neg = lower.startsWith("-");
  const body = lower.replace(/^[+-]/, "");
  if (body.startsWith("nan")) return null;
  if (body.startsWith("inf")) return neg ? "-inf" : "inf";
  let num: bigint, den = 1n, exp2 = 0;
  if (body.startsWith("0x")) {
    const [mantissa, exponent = "0"] = body.slice(2).split("p") as [string, string?];
    const [whole = "", fraction = ""] = mantissa.split(".");
    num = BigInt("0x0" + whole + fraction);
    if (num === 0n) return { neg, mant: 0n, exp: 0 };
    exp2 = Number(exponent) - 4 * fraction.length;
    // The value is in [2^(top-1), 2^top): settle overflow and underflow before shifting.
    const top = bitLength(num) + exp2;
    if (top - 1 > MAX_EXP + MANT_BITS || top < MIN_EXP - 1) return null;
  } else {
    const [mantissa, exponent = "0"] = body.split("e") as [string, string?];
    const [whole = "", fraction = ""] = mantissa.split(".");
    num = BigInt("0" + whole + fraction);
    if (num === 0n) return { neg, mant: 0n, exp: 0 };
    const exp10 = Number(exponent) - fraction.length;
    // The value is in [10^(top-1), 10^top); the range is about 3.6e-4951 to 1.19e4932.
    const top = num.toString().length + exp10;
    if (top > 4933 || top < -4951) return null;
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den = 10n ** BigInt(-exp10);
  }
  const value = roundQuotient(neg, num, den, exp2);
  if (value === null || value.mant === 0n) return null; // ERANGE
  return value;
}

/** a + b rounded to a long double; null when the sum overflows. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.mant === 0n) return b.mant === 0n ? { neg: a.neg && b.neg, mant: 0n, exp: 0 } : b;
  if (b.mant === 0n) return a;
  const low = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - low);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - low);
  const sum = sa + sb;
  if (sum === 0n) return { neg: false, mant: 0n, exp: 0 };
  const neg = sum < 0n;
  return roundQuotient(neg, neg ? -sum : sum, 1n, low);
}

/** printf("%.17Lf") with trailing zeros (and a bare '.') removed; "-0" becomes "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  const scale = 10n ** 17n;
  let q: bigint;
  if (v.exp >= 0) {
    q = (v.mant << BigInt(v.exp)) * scale;
  } else {
    const n = v.mant * scale;
    const d = 1n << BigInt(-v.exp);
    q = n / d;
    const twice = (n % d) * 2n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  }
  const whole = (q / scale).toString();
  const fraction = (q % scale).toString().padStart(17, "0").replace(/0+$/, "");
  const text = fraction ? whole + "." + fraction : whole;
  return v.neg && text !== "0" ? "-" + text : text;
}
