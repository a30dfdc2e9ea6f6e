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
 * Redis's string2d (strtod with checks): no leading space, no trailing garbage, not NaN.
 * Accepts what strtod accepts: decimal, exponent, hex floats, inf/infinity.
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || !FLOAT_SYNTAX.test(s)) return null;
  const lower = s.toLowerCase();
  let value: number;
  if (lower.includes("inf")) value = lower.startsWith("-") ? -Infinity : Infinity;
  else if (lower.includes("nan")) return null;
  else if (lower.includes("x")) value = parseHexFloat(lower);
  else value = Number(s);
  return Number.isNaN(value) ? null : value;
}

/** The strtod grammar without leading whitespace. */
export const FLOAT_SYNTAX =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)$/;

function parseHexFloat(lower: string): number {
  const negative = lower.startsWith("-");
  const body = lower.replace(/^[+-]?0x/, "");
  const [mantissa, exponent = "0"] = body.split("p");
  const [whole = "", fraction = ""] = mantissa!.split(".");
  let value = 0;
  for (const c of whole) value = value * 16 + parseInt(c, 16);
  let scale = 1 / 16;
  for (const c of fraction) {
    value += parseInt(c, 16) * scale;
    scale /= 16;
  }
  value *= Math.pow(2, Number(exponent));
  return negative ? -value : value;
}

/** printf("%.17g") as Redis 7.0 uses for doubles in replies; inf, -inf and nan spelled out. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "nan";
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return String(d);
  const [mantissa, expText] = d.toExponential(16).split("e") as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
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
