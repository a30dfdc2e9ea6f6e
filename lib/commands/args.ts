// Argument parsing shared by handlers; each throws the ReplyError Redis sends for bad input.
import { NOT_FLOAT, NOT_INTEGER, ReplyError } from "../errors.ts";
import { parseDouble, parseInteger } from "../util/numbers.ts";

/** A 64-bit integer argument (number when safe, bigint beyond), or NOT_INTEGER. */
export function integerArg(text: string, error = NOT_INTEGER): number | bigint {
  const value = parseInteger(text);
  if (value === null) throw new ReplyError(error);
  return value;
}

/** An integer argument used as a count, index or offset: bigints saturate to ±2^53. */
export function safeIntegerArg(text: string, error = NOT_INTEGER): number {
  const value = integerArg(text, error);
  if (typeof value === "number") return value;
  return value > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

/** A double argument (strtod syntax, NaN rejected), or NOT_FLOAT. */
export function doubleArg(text: string, error = NOT_FLOAT): number {
  const value = parseDouble(text);
  if (value === null) throw new ReplyError(error);
  return value;
}

/** Case-insensitive comparison of an argument with an ASCII option name in lowercase. */
export function isOption(arg: string, lowercase: string): boolean {
  return arg.length === lowercase.length && arg.toLowerCase() === lowercase;
}
