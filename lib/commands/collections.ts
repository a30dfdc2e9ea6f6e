// Helpers shared by the hash and set commands: HSCAN/SSCAN's scanGenericCommand (db.c), the
// count argument of HRANDFIELD/SRANDMEMBER, and sampling distinct random positions.
import type { Client } from "../client.ts";
import {
  COUNT_OUT_OF_RANGE,
  INVALID_CURSOR,
  NOT_INTEGER,
  NOT_POSITIVE,
  ReplyError,
  SYNTAX,
} from "../errors.ts";
import { matchGlob } from "../store/glob.ts";
import { collectionCursors, parseCursor } from "../store/scan.ts";
import { integerArg } from "./args.ts";

/** LONG_MAX / 2 rounded down, as C divides: HRANDFIELD's limit for a count with values. */
export const LONG_MAX_HALF = 4611686018427387903n;

/** strcasecmp(arg, name) == 0: a C string comparison, so the argument ends at a NUL byte. */
export function cOptionIs(arg: string, lowercase: string): boolean {
  if (arg.length < lowercase.length) return false;
  if (arg.length > lowercase.length && arg.charCodeAt(lowercase.length) !== 0) return false;
  const head = arg.length === lowercase.length ? arg : arg.slice(0, lowercase.length);
  return head.toLowerCase() === lowercase;
}

/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX): HRANDFIELD's and SRANDMEMBER's count. */
export function countArg(text: string): number | bigint {
  const value = integerArg(text);
  if (value < -9223372036854775807n) throw new ReplyError(COUNT_OUT_OF_RANGE);
  return value;
}

/** A count as a number: beyond 2^53 the exact value cannot matter (no collection is so big). */
export function saturate(value: number | bigint): number {
  if (typeof value === "number") return value;
  return value > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

/**
 * getPositiveLongFromObjectOrReply: SPOP's count, SINTERCARD's LIMIT (saturating beyond 2^53).
 * One message (Redis's default or the caller's) for a non-integer and a negative number alike.
 */
export function positiveCountArg(text: string, message = NOT_POSITIVE): number {
  const value = integerArg(text, message);
  if (value < 0) throw new ReplyError(message);
  return typeof value === "number" ? value : Number.MAX_SAFE_INTEGER;
}

/**
 * `count` distinct positions in [0, size), uniformly at random, in random order: a partial
 * Fisher-Yates shuffle that records only the swapped positions, so O(count) whatever the size.
 */
export function randomDistinct(size: number, count: number): number[] {
  const out = new Array<number>(count);
  const swapped = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (size - i));
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out[i] = atJ;
  }
  return out;
}

/** The empty scan reply: cursor 0, no elements. */
export function replyEmptyScan(c: Client): void {
  c.reply.array(2);
  c.reply.bulk("0");
  c.reply.array(0);
}

/** HSCAN/SSCAN's arguments: the cursor is checked first, the options after the key lookup. */
export interface ScanOptions {
  cursor: string;
  count: number;
  /** The MATCH filter; undefined for none (or "*"). */
  pattern: ((s: string) => boolean) | undefined;
  /** Parses COUNT and MATCH (after the key was found, as scanGenericCommand does). */
  parse(): void;
}

export function scanOptions(argv: string[]): ScanOptions {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) throw new ReplyError(INVALID_CURSOR);
  const options: ScanOptions = {
    cursor,
    count: 10,
    pattern: undefined,
    parse() {
      for (let i = 3; i < argv.length; i += 2) {
        const opt = argv[i]!;
        const more = i + 1 < argv.length;
        if (more && cOptionIs(opt, "count")) {
          const n = integerArg(argv[i + 1]!, NOT_INTEGER);
          if (n < 1) throw new ReplyError(SYNTAX);
          options.count = typeof n === "number" ? n : Number.MAX_SAFE_INTEGER;
        } else if (more && cOptionIs(opt, "match")) {
          const p = argv[i + 1]!;
          options.pattern = p === "*" ? undefined : (s) => matchGlob(p, s);
        } else {
          throw new ReplyError(SYNTAX);
        }
      }
    },
  };
  return options;
}

/**
 * One step of a walk over a hashtable-encoded collection's Map: its keys present for the whole
 * walk are returned exactly once, whatever is added or removed between calls.
 */
export function scanStep(
  collection: object,
  map: Map<string, unknown>,
  options: ScanOptions,
): { elements: string[]; cursor: string } {
  return collectionCursors<string>(collection).next(
    options.cursor,
    map,
    () => map.keys(),
    options.count,
  );
}
