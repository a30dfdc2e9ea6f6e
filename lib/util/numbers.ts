// Number parsing and formatting with Redis's exact rules (util.c: string2ll, string2d, %.17g).

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/**
 * Redis's string2ll: an optional '-', no '+', no leading zeros, no spaces, within int64.
 * Returns a number when it is a safe integer, a bigint otherwise, null when invalid.
 */
export function parseInteger(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  const negative = s.charCodeAt(0) === 45;
  if (negative) {
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i < 16) return Number(s);
  const big = BigInt(s);
  if (big > LLONG_MAX || big < LLONG_MIN) return null;
  const small = Number(big);
  return Number.isSafeInteger(small) ? small : big;
}

/** parseInteger limited to safe integers (counts, indexes): bigints are clamped. */
export function parseSafeInteger(s: string): number | null {
  const v = parseInteger(s);
  if (v === null) return null;
  if (typeof v === "number") return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/**
 * Redis's string2d (strtod with checks): no leading space, no trailing garbage, not NaN, and
 * no ERANGE result (overflow to ±HUGE_VAL or underflow to zero). Accepts what strtod accepts:
 * decimal, exponent, hex floats, inf/infinity.
 */
export function parseDouble(s: string): number | null {
  const plain = plainDecimal(s);
  if (plain !== null) return plain;
  if (s.length === 0 || !FLOAT_SYNTAX.test(s)) return null;
  const sign = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  const first = s.charCodeAt(sign) | 0x20;
  if (first === 110) return null; // "nan"
  if (first === 105) return s[0] === "-" ? -Infinity : Infinity; // "inf"
  const hex = (s.charCodeAt(sign + 1) | 0x20) === 120;
  const value = hex ? parseHexDouble(s, sign) : Number(s);
  if (!Number.isFinite(value)) return null; // overflow
  if (
    value === 0 &&
    (hex
      ? /[1-9a-f]/i.test(s.slice(sign + 2).split(/[pP]/)[0]!)
      : /[1-9]/.test(s.split(/[eE]/)[0]!))
  ) {
    return null; // a non-zero number that underflowed to zero
  }
  return value;
}

/**
 * The common case without the regular expression: up to 15 characters of digits with an
 * optional leading minus and at most one point ("1", "-2.5", "0.25"). No exponent, so no
 * overflow or underflow; null when the text is anything else.
 */
function plainDecimal(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 15) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0, points = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && points === 0) points++;
    else return null;
  }
  return digits === 0 ? null : Number(s);
}

/** The strtod grammar without leading whitespace. */
export const FLOAT_SYNTAX =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)$/;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** A hex float (already checked by FLOAT_SYNTAX) rounded to a double like strtod, half to even. */
function parseHexDouble(s: string, sign: number): number {
  const [mantissa, exponent = "0"] = s.slice(sign + 2).toLowerCase().split("p") as [
    string,
    string?,
  ];
  const [whole = "", fraction = ""] = mantissa.split(".");
  let num = BigInt("0x0" + whole + fraction);
  const negative = s[0] === "-";
  if (num === 0n) return negative ? -0 : 0;
  let exp2 = Number(exponent) - 4 * fraction.length;
  const top = bitLength(num) + exp2; // the value is in [2^(top-1), 2^top)
  if (top > 1025) return negative ? -Infinity : Infinity;
  if (top < -1076) return negative ? -0 : 0;
  // Keep 64 bits plus a sticky bit: rounding to 53 bits then sees the same tie or non-tie.
  const bits = bitLength(num);
  if (bits > 64) {
    const drop = BigInt(bits - 64);
    const sticky = (num & ((1n << drop) - 1n)) !== 0n ? 1n : 0n;
    num = (num >> drop) | sticky;
    exp2 += bits - 64;
  }
  let value: number;
  if (top - 1 >= -1022) {
    // Normal: Number(bigint) rounds half to even; scaling by powers of two is then exact.
    const n = bitLength(num);
    value = Number(num) * Math.pow(2, 1 - n) * Math.pow(2, exp2 + n - 1);
  } else {
    // Subnormal: round to a multiple of 2^-1074 directly.
    const shift = -1074 - exp2;
    let q = num;
    if (shift > 0) {
      const big = BigInt(shift);
      q = num >> big;
      const rem = num & ((1n << big) - 1n);
      const half = 1n << (big - 1n);
      if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    } else {
      q = num << BigInt(-shift);
    }
    value = Number(q) * Math.pow(2, -1074);
  }
  return negative ? -value : value;
}

/** printf("%.17g") as Redis 7.0 uses for doubles in replies; inf, -inf and nan spelled out. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "nan";
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  // Safe integers have at most 16 digits: String(d) is exactly %.17g's output.
  if (Number.isSafeInteger(d)) return String(d);
  // Replies repeat the same scores (ZRANGE WITHSCORES of a leaderboard): a direct-mapped cache
  // keyed by the double's bits answers those without formatting again.
  CACHE_BITS[0] = d;
  const slot = (CACHE_WORDS[0]! ^ CACHE_WORDS[1]! ^ (CACHE_WORDS[1]! >>> 12)) & (CACHE_SIZE - 1);
  if (cacheKeys[slot] === d) return cacheValues[slot]!;
  const text = formatNonInteger(d);
  cacheKeys[slot] = d;
  cacheValues[slot] = text;
  return text;
}

const CACHE_SIZE = 4096;
const CACHE_BITS = new Float64Array(1);
const CACHE_WORDS = new Uint32Array(CACHE_BITS.buffer);
const cacheKeys = new Float64Array(CACHE_SIZE).fill(NaN);
const cacheValues: string[] = new Array(CACHE_SIZE).fill("");

/** formatDouble for finite, non-zero values that are not safe integers. */
function formatNonInteger(d: number): string {
  const magnitude = Math.abs(d);
  if (magnitude >= 1e-4 && magnitude < 1e16 && !mayTie(d, Math.floor(Math.log10(magnitude)))) {
    // %.17g prints these in fixed notation, as toPrecision(17) does; only the trailing zeros
    // differ. (toExponential plus string surgery costs several times more: ZRANGE WITHSCORES
    // formats a score per member.)
    const fixed = d.toPrecision(17);
    let end = fixed.length;
    while (fixed.charCodeAt(end - 1) === 48) end--;
    if (fixed.charCodeAt(end - 1) === 46) end--;
    return end === fixed.length ? fixed : fixed.slice(0, end);
  }
  const negative = d < 0;
  const [digits, exp] = significant17(Math.abs(d));
  let out: string;
  if (exp < -4 || exp >= 17) {
    const frac = digits.slice(1).replace(/0+$/, "");
    const e = Math.abs(exp);
    out = digits[0] + (frac ? "." + frac : "") + "e" + (exp < 0 ? "-" : "+") +
      (e < 10 ? "0" + e : String(e));
  } else if (exp < 0) {
    out = ("0." + "0".repeat(-exp - 1) + digits).replace(/0+$/, "");
  } else {
    const whole = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, "");
    out = frac ? whole + "." + frac : whole;
  }
  return negative ? "-" + out : out;
}

/** Scratch space to read a double's bits. */
const BITS = new DataView(new ArrayBuffer(8));

/**
 * The 17 significant digits of d > 0 and the decimal exponent of the first, rounded like
 * glibc: to nearest, exact ties to even. toExponential rounds ties up, so the rare values
 * that may sit exactly halfway are rounded from their exact expansion instead.
 */
function significant17(d: number): [string, number] {
  const s = d.toExponential(16);
  const e = s.indexOf("e");
  const exp10 = Number(s.slice(e + 1));
  if (!mayTie(d, exp10)) return [s[0] + s.slice(2, e), exp10];
  return exactSignificant17(d);
}

/**
 * Whether d's exact decimal expansion may have exactly 18 significant digits (a tie at 17).
 * d = odd * 2^low has -low digits after the point when low < 0. Callers' exp10 may be one
 * off, so the window is wide; a false "maybe" only costs the exact slow path.
 */
function mayTie(d: number, exp10: number): boolean {
  BITS.setFloat64(0, d);
  const high = BITS.getUint32(0), low = BITS.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const top = biased === 0 ? high & 0xfffff : (high & 0xfffff) | 0x100000;
  const zeros = low !== 0 ? 31 - Math.clz32(low & -low) : 63 - Math.clz32(top & -top);
  const lowest = (biased === 0 ? -1074 : biased - 1075) + zeros;
  if (lowest >= 0) return exp10 >= 16;
  // exp10 may be one off either way (rounding carries, Math.log10 near powers of ten).
  const digits = -lowest + exp10 + 1;
  return digits >= 17 && digits <= 19;
}

/** significant17 from the exact expansion (BigInt): slow, for possible ties only. */
function exactSignificant17(d: number): [string, number] {
  // Exact decimal expansion of d = mant * 2^exp2.
  BITS.setFloat64(0, d);
  const high = BITS.getUint32(0), low = BITS.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mant = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const exp2 = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mant |= 1n << 52n;
  let all: string, exp10: number;
  if (exp2 >= 0) {
    all = (mant << BigInt(exp2)).toString();
    exp10 = all.length - 1;
  } else {
    all = (mant * 5n ** BigInt(-exp2)).toString();
    exp10 = all.length - 1 + exp2;
  }
  if (all.length <= 17) return [all.padEnd(17, "0"), exp10];
  let head = BigInt(all.slice(0, 17));
  const rest = all.slice(17);
  const tie = rest[0] === "5" && /^5?0*$/.test(rest);
  if (rest[0]! > "5" || (rest[0] === "5" && !tie) || (tie && (head & 1n) === 1n)) head++;
  let text = head.toString();
  if (text.length > 17) {
    text = text.slice(0, 17);
    exp10++;
  }
  return [text, exp10];
}

/** C's atoll/strtol on text: the leading integer after blanks, 0 when there is none. */
export function leadingInteger(text: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number(m[1]);
}
