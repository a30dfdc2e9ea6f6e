// Sorted set commands: ZADD, ZRANGE and its variants, ZPOP/BZPOP/ZMPOP, ZUNION/ZINTER/ZDIFF,
// ZRANDMEMBER, ZSCAN... Mirrors Redis 7.0's t_zset.c, including its argument checks and order.
import type { Client } from "../client.ts";
import type { Config } from "../config.ts";
import { blockForKeys, parseTimeout, signalKeyAsReady } from "../blocking.ts";
import {
  COUNT_NOT_POSITIVE,
  INVALID_CURSOR,
  LIMIT_NEEDS_BY,
  LIMIT_NEGATIVE,
  MIN_MAX_NOT_FLOAT,
  MIN_MAX_NOT_LEX,
  noInputKeys,
  NOT_POSITIVE,
  NUMKEYS_NOT_POSITIVE,
  ReplyError,
  SCORE_NAN,
  SYNTAX,
  VALUE_OUT_OF_RANGE,
  WEIGHT_NOT_FLOAT,
  WITHSCORES_BYLEX,
  WRONGTYPE,
  ZADD_GT_LT_NX,
  ZADD_INCR_PAIRS,
  ZADD_NX_XX,
} from "../errors.ts";
import { matchGlob } from "../store/glob.ts";
import type { Db, RedisObject } from "../store/keyspace.ts";
import { parseCursor, ScanCursors } from "../store/scan.ts";
import type { SetObject } from "../store/set.ts";
import { lookupRead, lookupWrite } from "../store/typed.ts";
import { type LexBound, Zset, type ZsetLimits } from "../store/zset.ts";
import { FLOAT_SYNTAX, formatDouble, parseDouble } from "../util/numbers.ts";
import { doubleArg, integerArg, isOption, safeIntegerArg } from "./args.ts";
import type { Command, CommandMeta, KeyPositions } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_ZSET,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";
import { propagating } from "../propagate.ts";

const KEY1: KeyPositions = { first: 1, last: 1, step: 1 };

// ---- Shared helpers ----

const limitsByConfig = new WeakMap<Config, ZsetLimits>();

/** zset-max-listpack-entries/-value, read once per config and refreshed by CONFIG SET. */
function zsetLimits(c: Client): ZsetLimits {
  const config = c.server.config;
  let limits = limitsByConfig.get(config);
  if (limits === undefined) {
    const fresh: ZsetLimits = { maxEntries: 0, maxValue: 0 };
    const read = () => {
      fresh.maxEntries = config.num("zset-max-listpack-entries");
      fresh.maxValue = config.num("zset-max-listpack-value");
    };
    read();
    config.onChange(read);
    limitsByConfig.set(config, fresh);
    limits = fresh;
  }
  return limits;
}

/** getLongFromObjectOrReply with an optional custom message for both failures. */
function longArg(text: string, message?: string): number {
  return safeIntegerArg(text, message);
}

/** getRangeLongFromObjectOrReply(min, LONG_MAX) with Redis's message for both failures. */
function atLeast(text: string, min: number, message: string): number {
  const value = integerArg(text, message);
  if (typeof value === "bigint") {
    if (value < 0n) throw new ReplyError(message);
    return Number.MAX_SAFE_INTEGER;
  }
  if (value < min) throw new ReplyError(message);
  return value;
}

/** A C string's view of an argument: strtod and strcasecmp stop at the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * strtod as zslParseRange uses it: leading whitespace skipped, an empty string reads as 0, an
 * overflow as ±inf (no ERANGE check), NaN rejected. Null when not a number.
 */
function rangeDouble(text: string): number | null {
  if (text.length === 0) return 0;
  let at = 0;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  const t = at === 0 ? text : text.slice(at);
  if (!FLOAT_SYNTAX.test(t)) return null;
  const value = parseDouble(t);
  if (value !== null) return value;
  const first = t.charCodeAt(t[0] === "-" || t[0] === "+" ? 1 : 0) | 0x20;
  if (first === 110) return null; // nan
  // parseDouble refuses what strtod reports as ERANGE: an overflow or an underflow.
  const negative = t[0] === "-";
  const hex = /^[+-]?0[xX]/.test(t);
  const overflow = hex ? !/[pP]-/.test(t) : Number(t) !== 0;
  if (overflow) return negative ? -Infinity : Infinity;
  return negative ? -0 : 0;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

interface ScoreRange {
  min: number;
  max: number;
  minEx: boolean;
  maxEx: boolean;
}

/** zslParseRange: `1.5`, `(1.5`, `-inf`, `+inf`. */
function parseScoreRange(minText: string, maxText: string): ScoreRange {
  const [min, minEx] = scoreBound(minText);
  const [max, maxEx] = scoreBound(maxText);
  return { min, max, minEx, maxEx };
}

function scoreBound(text: string): [number, boolean] {
  const t = cString(text);
  const ex = t.charCodeAt(0) === 40; // "("
  const value = rangeDouble(ex ? t.slice(1) : t);
  if (value === null) throw new ReplyError(MIN_MAX_NOT_FLOAT);
  return [value, ex];
}

/** The ranks [start, end) of the elements inside a score range. */
function scoreRanks(z: Zset, r: ScoreRange): [number, number] {
  const start = z.countScoreBelow(r.min, r.minEx);
  const end = z.countScoreBelow(r.max, !r.maxEx);
  return [start, Math.max(start, end)];
}

/** A parsed lex bound: -1 for `-`, 1 for `+`, 0 for a string. */
interface LexItem {
  kind: -1 | 0 | 1;
  value: string;
  ex: boolean;
}

interface LexRange {
  min: LexItem;
  max: LexItem;
  /** True when no string can be inside (zslIsInLexRange's first test). */
  empty: boolean;
}

/** zslParseLexRangeItem: `[a`, `(a`, `-`, `+`. */
function lexItem(text: string): LexItem {
  const c = text.charCodeAt(0);
  const alone = text.length === 1 || text.charCodeAt(1) === 0;
  if (c === 43 && alone) return { kind: 1, value: "", ex: true };
  if (c === 45 && alone) return { kind: -1, value: "", ex: true };
  if (c === 40 || c === 91) return { kind: 0, value: text.slice(1), ex: c === 40 };
  throw new ReplyError(MIN_MAX_NOT_LEX);
}

/** sdscmplex: `-` below every string, `+` above. */
function compareLex(a: LexItem, b: LexItem): number {
  if (a.kind !== 0 || b.kind !== 0) {
    if (a.kind === b.kind) return 0;
    return a.kind < b.kind ? -1 : 1;
  }
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

function parseLexRange(minText: string, maxText: string): LexRange {
  const min = lexItem(minText), max = lexItem(maxText);
  const cmp = compareLex(min, max);
  return { min, max, empty: cmp > 0 || (cmp === 0 && (min.ex || max.ex)) };
}

/** The ranks [start, end) of the elements inside a lex range. */
function lexRanks(z: Zset, r: LexRange): [number, number] {
  if (r.empty) return [0, 0];
  const min: LexBound = r.min.kind === -1 ? null : r.min.value;
  const max: LexBound = r.max.kind === 1 ? null : r.max.value;
  return z.lexRange(min, r.min.ex, max, r.max.ex);
}

/** Replies `count` elements from rank `start` (RESP3 WITHSCORES: [member, score] pairs). */
function replyRange(
  c: Client,
  z: Zset,
  start: number,
  count: number,
  reverse: boolean,
  withScores: boolean,
): void {
  const r = c.reply;
  const pairs = withScores && r.resp === 3;
  r.array(withScores && !pairs ? count * 2 : count);
  z.forRange(start, count, reverse, (member, score) => {
    if (pairs) r.array(2);
    r.bulk(member);
    if (withScores) r.double(score);
  });
}

/**
 * Deletes the key when its set has become empty (a key never holds an empty zset); true if
 * it did. The caller notifies "del" after its own event.
 */
function deleteIfEmpty(db: Db, key: string, z: Zset): boolean {
  if (z.size !== 0) return false;
  db.delete(key);
  return true;
}

/**
 * Stores a computed set at `dst` (setKey: any old value and TTL go) with the command's event
 * ("zunionstore"...), or deletes `dst` (a "del" when it existed). One change either way.
 */
function storeResult(c: Client, dst: string, z: Zset, event: string): void {
  const db = c.db;
  if (z.size > 0) {
    db.set(dst, z);
    signalModifiedKey(db, dst);
    signalKeyAsReady(db, dst);
    notifyKeyspaceEvent(NOTIFY_ZSET, event, dst, db.id);
    db.keyspace.dirty++;
    c.reply.integer(z.size);
  } else {
    if (db.delete(dst)) {
      signalModifiedKey(db, dst);
      notifyKeyspaceEvent(NOTIFY_GENERIC, "del", dst, db.id);
      db.keyspace.dirty++;
    }
    c.reply.integer(0);
  }
}

// ---- ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK ----

const NX = 1, XX = 2, GT = 4, LT = 8, CH = 16, INCR = 32;

/** zaddGenericCommand: options, then every score, then the writes. */
function zaddGenericCommand(c: Client, argv: string[], flags: number): void {
  let scoreidx = 2;
  for (; scoreidx < argv.length; scoreidx++) {
    const opt = argv[scoreidx]!;
    if (opt.length > 4 || opt.length < 2) break;
    const o = opt.toLowerCase();
    if (o === "nx") flags |= NX;
    else if (o === "xx") flags |= XX;
    else if (o === "ch") flags |= CH;
    else if (o === "incr") flags |= INCR;
    else if (o === "gt") flags |= GT;
    else if (o === "lt") flags |= LT;
    else break;
  }
  const elements = argv.length - scoreidx;
  if (elements % 2 !== 0 || elements === 0) throw new ReplyError(SYNTAX);
  const pairs = elements / 2;
  if ((flags & NX) && (flags & XX)) throw new ReplyError(ZADD_NX_XX);
  if (
    ((flags & GT) && (flags & NX)) || ((flags & LT) && (flags & NX)) ||
    ((flags & GT) && (flags & LT))
  ) {
    throw new ReplyError(ZADD_GT_LT_NX);
  }
  const incr = (flags & INCR) !== 0;
  if (incr && pairs > 1) throw new ReplyError(ZADD_INCR_PAIRS);
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = doubleArg(argv[scoreidx + j * 2]!);

  const db = c.db;
  const key = argv[1]!;
  let z = lookupWrite<Zset>(db, key, "zset");
  let created = false;
  if (z === undefined) {
    if (flags & XX) {
      if (incr) c.reply.nullBulk();
      else c.reply.integer(0);
      return;
    }
    z = new Zset();
    created = true;
  }
  const limits = zsetLimits(c);
  let added = 0, updated = 0, processed = 0, score = 0;
  for (let j = 0; j < pairs; j++) {
    const member = argv[scoreidx + j * 2 + 1]!;
    let s = scores[j]!;
    const current = z.score(member);
    if (current !== undefined) {
      if (flags & NX) continue;
      if (incr) {
        s += current;
        if (Number.isNaN(s)) throw new ReplyError(SCORE_NAN);
      }
      if (((flags & LT) && s >= current) || ((flags & GT) && s <= current)) continue;
      // -0 equals 0 here, as in C: such a "change" leaves the stored score alone.
      if (s !== current) {
        z.update(member, s);
        updated++;
      }
    } else {
      if (flags & XX) continue;
      z.insert(member, s, limits);
      added++;
    }
    processed++;
    score = s;
  }
  if (created && z.size > 0) db.set(key, z);
  if (added + updated > 0) {
    signalModifiedKey(db, key);
    notifyKeyspaceEvent(NOTIFY_ZSET, incr ? "zincr" : "zadd", key, db.id);
  }
  db.keyspace.dirty += added + updated;
  if (added > 0) signalKeyAsReady(db, key);
  if (incr) {
    if (processed > 0) c.reply.double(score);
    else c.reply.nullBulk();
  } else {
    c.reply.integer(flags & CH ? added + updated : added);
  }
}

function zremCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1]!;
  const z = lookupWrite<Zset>(db, key, "zset");
  if (z === undefined) {
    c.reply.integer(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (!z.remove(argv[j]!)) continue;
    deleted++;
    if (z.size === 0) {
      db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted > 0) {
    notifyKeyspaceEvent(NOTIFY_ZSET, "zrem", key, db.id);
    if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
    signalModifiedKey(db, key);
  }
  db.keyspace.dirty += deleted;
  c.reply.integer(deleted);
}

function zcardCommand(c: Client, argv: string[]): void {
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  c.reply.integer(z === undefined ? 0 : z.size);
}

function zscoreCommand(c: Client, argv: string[]): void {
  const score = lookupRead<Zset>(c.db, argv[1]!, "zset")?.score(argv[2]!);
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

function zmscoreCommand(c: Client, argv: string[]): void {
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

/** ZRANK/ZREVRANK; Redis 7.0 has no WITHSCORE (7.2), so the arity is exactly 3. */
function zrankGenericCommand(c: Client, argv: string[], reverse: boolean): void {
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  const rank = z?.rank(argv[2]!);
  if (rank === undefined) c.reply.nullBulk();
  else c.reply.integer(reverse ? z!.size - 1 - rank : rank);
}

// ---- ZCOUNT, ZLEXCOUNT ----

function zcountCommand(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2]!, argv[3]!);
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  if (z === undefined) {
    c.reply.integer(0);
    return;
  }
  const [start, end] = scoreRanks(z, range);
  c.reply.integer(end - start);
}

function zlexcountCommand(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2]!, argv[3]!);
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  if (z === undefined) {
    c.reply.integer(0);
    return;
  }
  const [start, end] = lexRanks(z, range);
  c.reply.integer(end - start);
}

// ---- ZRANGE and its variants, ZRANGESTORE ----

const BY_RANK = 0, BY_SCORE = 1, BY_LEX = 2;
type RangeType = typeof BY_RANK | typeof BY_SCORE | typeof BY_LEX | null;

/**
 * zrangeGenericCommand: ZRANGE, ZRANGESTORE (`store`) and the older Z[REV]RANGE[BYSCORE|BYLEX],
 * which fix the range type and direction (null: chosen by BYSCORE/BYLEX/REV options).
 */
function zrangeGenericCommand(
  c: Client,
  argv: string[],
  argcStart: number,
  store: boolean,
  type: RangeType,
  reverse: boolean | null,
): void {
  let withScores = false;
  let offset = 0, limit = -1;
  for (let j = argcStart + 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const left = argv.length - j - 1;
    if (!store && isOption(opt, "withscores")) {
      withScores = true;
    } else if (isOption(opt, "limit") && left >= 2) {
      offset = longArg(argv[j + 1]!);
      limit = longArg(argv[j + 2]!);
      j += 2;
    } else if (reverse === null && isOption(opt, "rev")) {
      reverse = true;
    } else if (type === null && isOption(opt, "bylex")) {
      type = BY_LEX;
    } else if (type === null && isOption(opt, "byscore")) {
      type = BY_SCORE;
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  reverse ??= false;
  type ??= BY_RANK;
  if (limit !== -1 && type === BY_RANK) throw new ReplyError(LIMIT_NEEDS_BY);
  if (withScores && type === BY_LEX) throw new ReplyError(WITHSCORES_BYLEX);
  // BYSCORE and BYLEX ranges are given as max, min when reversed.
  let minText = argv[argcStart + 1]!, maxText = argv[argcStart + 2]!;
  if (reverse && type !== BY_RANK) [minText, maxText] = [maxText, minText];
  let rankStart = 0, rankEnd = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === BY_RANK) {
    rankStart = longArg(minText);
    rankEnd = longArg(maxText);
  } else if (type === BY_SCORE) {
    scoreRange = parseScoreRange(minText, maxText);
  } else {
    lexRange = parseLexRange(minText, maxText);
  }

  const z = lookupRead<Zset>(c.db, argv[argcStart]!, "zset");
  if (z === undefined) {
    if (store) storeResult(c, argv[1]!, new Zset(), "zrangestore");
    else c.reply.array(0);
    return;
  }
  // Everything becomes a run of ranks: `count` elements from `start`, walking up or down.
  let start = 0, count = 0;
  if (type === BY_RANK) {
    const llen = z.size;
    if (rankStart < 0) rankStart += llen;
    if (rankEnd < 0) rankEnd += llen;
    if (rankStart < 0) rankStart = 0;
    if (rankStart <= rankEnd && rankStart < llen) {
      if (rankEnd >= llen) rankEnd = llen - 1;
      count = rankEnd - rankStart + 1;
      start = reverse ? llen - 1 - rankStart : rankStart;
    }
  } else {
    const [lo, hi] = type === BY_SCORE ? scoreRanks(z, scoreRange!) : lexRanks(z, lexRange!);
    // Redis skips `offset` elements one by one: a negative offset skips everything.
    if (offset >= 0 && offset < hi - lo) {
      count = hi - lo - offset;
      if (limit >= 0 && limit < count) count = limit;
      start = reverse ? hi - 1 - offset : lo + offset;
    }
  }
  if (!store) {
    replyRange(c, z, start, count, reverse, withScores);
    return;
  }
  const members: string[] = [], scores: number[] = [];
  z.forRange(start, count, reverse, (m, s) => {
    members.push(m);
    scores.push(s);
  });
  if (reverse) {
    members.reverse();
    scores.reverse();
  }
  storeResult(c, argv[1]!, Zset.fromSorted(members, scores, zsetLimits(c)), "zrangestore");
}

// ---- ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX ----

function zremrangeGenericCommand(c: Client, argv: string[], type: RangeType): void {
  let rankStart = 0, rankEnd = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === BY_RANK) {
    rankStart = longArg(argv[2]!);
    rankEnd = longArg(argv[3]!);
  } else if (type === BY_SCORE) {
    scoreRange = parseScoreRange(argv[2]!, argv[3]!);
  } else {
    lexRange = parseLexRange(argv[2]!, argv[3]!);
  }
  const db = c.db;
  const key = argv[1]!;
  const z = lookupWrite<Zset>(db, key, "zset");
  if (z === undefined) {
    c.reply.integer(0);
    return;
  }
  let start: number, end: number;
  if (type === BY_RANK) {
    const llen = z.size;
    if (rankStart < 0) rankStart += llen;
    if (rankEnd < 0) rankEnd += llen;
    if (rankStart < 0) rankStart = 0;
    if (rankStart > rankEnd || rankStart >= llen) {
      c.reply.integer(0);
      return;
    }
    if (rankEnd >= llen) rankEnd = llen - 1;
    [start, end] = [rankStart, rankEnd + 1];
  } else {
    [start, end] = type === BY_SCORE ? scoreRanks(z, scoreRange!) : lexRanks(z, lexRange!);
  }
  const deleted = z.deleteRange(start, end - start);
  const keyRemoved = deleteIfEmpty(db, key, z);
  if (deleted > 0) {
    signalModifiedKey(db, key);
    const event = type === BY_RANK
      ? "zremrangebyrank"
      : type === BY_SCORE
      ? "zremrangebyscore"
      : "zremrangebylex";
    notifyKeyspaceEvent(NOTIFY_ZSET, event, key, db.id);
    if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
  }
  db.keyspace.dirty += deleted;
  c.reply.integer(deleted);
}

// ---- ZPOPMIN, ZPOPMAX, ZMPOP and the blocking variants ----

/** How a pop propagates: as called (ZPOPMIN), as ZPOPMIN key (BZPOPMIN), with the count (ZMPOP). */
const AS_CALLED = 0, AS_POP = 1, AS_POP_COUNT = 2;

/**
 * genericZpopCommand: pops up to `count` (-1: one, flat reply) elements from the first of
 * `keys` that exists. Replies: ZPOP flat member/score pairs (RESP3 with a count: nested
 * pairs), BZPOP [key, member, score], ZMPOP [key, [[member, score]...]] or null.
 */
function genericZpopCommand(
  c: Client,
  keys: string[],
  max: boolean,
  emitKey: boolean,
  count: number,
  nested: boolean,
  nullWhenEmpty: boolean,
  propagateAs: number,
): void {
  const db = c.db;
  let z: Zset | undefined;
  let key = "";
  for (const k of keys) {
    z = lookupWrite<Zset>(db, k, "zset");
    if (z !== undefined) {
      key = k;
      break;
    }
  }
  const r = c.reply;
  if (z === undefined) {
    if (nullWhenEmpty) r.nullArray();
    else r.array(0);
    return;
  }
  if (count === 0) {
    r.array(0);
    return;
  }
  if (count === -1) count = 1;
  const n = Math.min(count, z.size);
  if (!emitKey) {
    r.array(nested ? n : n * 2);
  } else if (!nested) {
    r.array(n * 2 + 1);
    r.bulk(key);
  } else {
    r.array(2);
    r.bulk(key);
    r.array(n);
  }
  const start = max ? z.size - 1 : 0;
  z.forRange(start, n, max, (member, score) => {
    if (nested) r.array(2);
    r.bulk(member);
    r.double(score);
  });
  z.deleteRange(max ? z.size - n : 0, n);
  const keyRemoved = deleteIfEmpty(db, key, z);
  notifyKeyspaceEvent(NOTIFY_ZSET, max ? "zpopmax" : "zpopmin", key, db.id);
  if (keyRemoved) notifyKeyspaceEvent(NOTIFY_GENERIC, "del", key, db.id);
  signalModifiedKey(db, key);
  db.keyspace.dirty += n;
  if (propagateAs !== AS_CALLED && propagating()) {
    const pop = max ? "ZPOPMAX" : "ZPOPMIN";
    c.propagateAs = [propagateAs === AS_POP ? [pop, key] : [pop, key, String(n)]];
  }
}

function zpopMinMaxCommand(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) throw new ReplyError(SYNTAX);
  const count = argv.length === 3 ? atLeast(argv[2]!, 0, NOT_POSITIVE) : -1;
  genericZpopCommand(
    c,
    [argv[1]!],
    max,
    false,
    count,
    c.resp === 3 && count !== -1,
    false,
    AS_CALLED,
  );
}

/** True when one of the keys holds a sorted set (WRONGTYPE for another type before one). */
function anyExists(db: Db, keys: string[]): boolean {
  for (const key of keys) if (lookupWrite<Zset>(db, key, "zset") !== undefined) return true;
  return false;
}

/**
 * blockingGenericZpopCommand: pops at once when a key has elements, else blocks until a ZADD
 * (or a Z*STORE) fills one of the keys, or the timeout replies null.
 */
function blockingGenericZpopCommand(
  c: Client,
  keys: string[],
  max: boolean,
  timeoutText: string,
  count: number,
  nested: boolean,
): void {
  const deadline = parseTimeout(timeoutText);
  const propagateAs = nested ? AS_POP_COUNT : AS_POP;
  if (anyExists(c.db, keys)) {
    genericZpopCommand(c, keys, max, true, count, nested, nested, propagateAs);
    return;
  }
  blockForKeys(
    c,
    keys,
    deadline,
    (key) => {
      const value = c.db.lookupWrite(key);
      if (value === undefined || typeof value === "string" || value.type !== "zset") return false;
      genericZpopCommand(c, [key], max, true, count, nested, nested, propagateAs);
      return true;
    },
    () => c.reply.nullArray(),
  );
}

/** zmpopGenericCommand: ZMPOP numkeys key... MIN|MAX [COUNT n]; BZMPOP with a timeout first. */
function zmpopGenericCommand(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = atLeast(argv[numkeysIdx]!, 1, NUMKEYS_NOT_POSITIVE);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(SYNTAX);
  const where = argv[whereIdx]!;
  let max: boolean;
  if (isOption(where, "min")) max = false;
  else if (isOption(where, "max")) max = true;
  else throw new ReplyError(SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && isOption(argv[j]!, "count") && j + 1 < argv.length) {
      count = atLeast(argv[++j]!, 1, COUNT_NOT_POSITIVE);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (block) blockingGenericZpopCommand(c, keys, max, argv[1]!, count, true);
  else genericZpopCommand(c, keys, max, true, count, true, true, AS_POP_COUNT);
}

// ---- ZUNION, ZINTER, ZDIFF (+STORE), ZINTERCARD ----

const UNION = 0, INTER = 1, DIFF = 2;
const SUM = 0, MIN = 1, MAX = 2;

/** An input of the set operations: a sorted set, or a set whose members all score 1. */
interface OpSource {
  /** The value (identity matters: the same key given twice is the same subject). */
  subject: RedisObject | null;
  zset: Zset | null;
  set: SetObject | null;
  size: number;
  weight: number;
}

function opSource(value: RedisObject | undefined): OpSource {
  if (value === undefined) return { subject: null, zset: null, set: null, size: 0, weight: 1 };
  if (value.type === "zset") {
    const zset = value as Zset;
    return { subject: value, zset, set: null, size: zset.size, weight: 1 };
  }
  if (value.type === "set") {
    const set = value as SetObject;
    return { subject: value, zset: null, set, size: set.size, weight: 1 };
  }
  throw new ReplyError(WRONGTYPE);
}

/** zuiNext over a whole source: members with their scores (1 for set members). */
function forEachInSource(src: OpSource, fn: (member: string, score: number) => void): void {
  // Members may end up in a stored result: no slices that would keep a listpack alive.
  if (src.zset !== null) src.zset.forRange(0, src.zset.size, false, fn, true);
  else if (src.set !== null) {
    const set = src.set;
    for (let i = 0; i < set.size; i++) fn(set.at(i), 1);
  }
}

/** zuiFind: the member's score in the source, or undefined. */
function findInSource(src: OpSource, member: string): number | undefined {
  if (src.zset !== null) return src.zset.score(member);
  if (src.set !== null) return src.set.has(member) ? 1 : undefined;
  return undefined;
}

/** zunionInterAggregate: a SUM of inf and -inf is 0, not NaN. */
function aggregate(target: number, value: number, how: number): number {
  if (how === SUM) {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === MIN) return value < target ? value : target;
  return value > target ? value : target;
}

/** zunionInterDiffGenericCommand: `dst` for the STORE variants, `cardinality` for ZINTERCARD. */
function zunionInterDiffGenericCommand(
  c: Client,
  argv: string[],
  dst: string | null,
  numkeysIdx: number,
  op: number,
  cardinality: boolean,
): void {
  const setnum = longArg(argv[numkeysIdx]!);
  if (setnum < 1) throw new ReplyError(noInputKeys(argv[0]!.toLowerCase()));
  if (setnum > argv.length - (numkeysIdx + 1)) throw new ReplyError(SYNTAX);
  const db = c.db;
  const srcs: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const value = db.lookupRead(argv[j]!);
    if (typeof value === "string") throw new ReplyError(WRONGTYPE);
    srcs.push(opSource(value));
  }
  let how = SUM, withScores = false, limit = 0;
  while (j < argv.length) {
    const opt = argv[j]!;
    const remaining = argv.length - j;
    if (op !== DIFF && !cardinality && remaining >= setnum + 1 && isOption(opt, "weights")) {
      j++;
      for (let i = 0; i < setnum; i++, j++) srcs[i]!.weight = doubleArg(argv[j]!, WEIGHT_NOT_FLOAT);
    } else if (op !== DIFF && !cardinality && remaining >= 2 && isOption(opt, "aggregate")) {
      const name = argv[j + 1]!;
      if (isOption(name, "sum")) how = SUM;
      else if (isOption(name, "min")) how = MIN;
      else if (isOption(name, "max")) how = MAX;
      else throw new ReplyError(SYNTAX);
      j += 2;
    } else if (dst === null && !cardinality && isOption(opt, "withscores")) {
      withScores = true;
      j++;
    } else if (cardinality && remaining >= 2 && isOption(opt, "limit")) {
      limit = atLeast(argv[j + 1]!, 0, LIMIT_NEGATIVE);
      j += 2;
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  // Smallest first (a stable sort, like glibc's qsort); ZDIFF keeps its first key first.
  if (op !== DIFF) srcs.sort((a, b) => a.size - b.size);

  const result = new Map<string, number>();
  let found = 0;
  if (op === INTER) {
    const first = srcs[0]!;
    if (first.size > 0) {
      const each = (member: string, score: number) => {
        if (cardinality && limit > 0 && found >= limit) return;
        let acc = first.weight * score;
        if (Number.isNaN(acc)) acc = 0;
        for (let i = 1; i < srcs.length; i++) {
          const src = srcs[i]!;
          const value = src.subject === first.subject ? score : findInSource(src, member);
          if (value === undefined) return;
          acc = aggregate(acc, value * src.weight, how);
        }
        if (cardinality) found++;
        else result.set(member, acc);
      };
      forEachInSource(first, each);
    }
  } else if (op === UNION) {
    for (const src of srcs) {
      if (src.size === 0) continue;
      forEachInSource(src, (member, score) => {
        let value = src.weight * score;
        if (Number.isNaN(value)) value = 0;
        const current = result.get(member);
        result.set(member, current === undefined ? value : aggregate(current, value, how));
      });
    }
  } else {
    const first = srcs[0]!;
    forEachInSource(first, (member, score) => {
      for (let i = 1; i < srcs.length; i++) {
        const src = srcs[i]!;
        if (src.subject === first.subject || findInSource(src, member) !== undefined) return;
      }
      result.set(member, score);
    });
  }
  if (cardinality) {
    c.reply.integer(found);
    return;
  }
  const z = sortedZset(result, zsetLimits(c));
  if (dst !== null) {
    const event = op === UNION ? "zunionstore" : op === INTER ? "zinterstore" : "zdiffstore";
    storeResult(c, dst, z, event);
    return;
  }
  replyRange(c, z, 0, z.size, false, withScores);
}

/** A zset of the member→score pairs, in the encoding their content calls for. */
function sortedZset(entries: Map<string, number>, limits: ZsetLimits): Zset {
  const pairs = [...entries];
  pairs.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Zset.fromSorted(pairs.map((p) => p[0]), pairs.map((p) => p[1]), limits);
}

// ---- ZRANDMEMBER ----

const LONG_MAX = 9223372036854775807n;

function zrandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const value = BigInt(integerArg(argv[2]!));
    if (value < -LONG_MAX) {
      throw new ReplyError(
        `ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`,
      );
    }
    if (argv.length > 4 || (argv.length === 4 && !isOption(argv[3]!, "withscores"))) {
      throw new ReplyError(SYNTAX);
    }
    const withScores = argv.length === 4;
    // Redis 7.0 bounds the count so that the reply length (2 per element) fits a long.
    if (withScores && (value < -LONG_MAX / 2n || value > LONG_MAX / 2n)) {
      throw new ReplyError(VALUE_OUT_OF_RANGE);
    }
    zrandmemberWithCountCommand(c, argv[1]!, Number(value), withScores);
    return;
  }
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  if (z === undefined) c.reply.nullBulk();
  else c.reply.bulk(z.memberAt(Math.floor(Math.random() * z.size)));
}

function zrandmemberWithCountCommand(c: Client, key: string, l: number, withScores: boolean) {
  const z = lookupRead<Zset>(c.db, key, "zset");
  if (z === undefined) {
    c.reply.array(0);
    return;
  }
  const size = z.size;
  const unique = l >= 0;
  const count = Math.abs(l);
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  const r = c.reply;
  const pairs = withScores && r.resp === 3;
  const emit = (rank: number) => {
    if (pairs) r.array(2);
    r.bulk(z.memberAt(rank));
    if (withScores) r.double(z.scoreAt(rank));
  };
  // CASE 1: repeats allowed (or a single element): independent picks, in pick order.
  if (!unique || count === 1) {
    r.array(withScores && !pairs ? count * 2 : count);
    for (let i = 0; i < count; i++) emit(Math.floor(Math.random() * size));
    return;
  }
  // CASE 2: the whole set, highest rank first as Redis 7.0 replies it.
  if (count >= size) {
    replyRange(c, z, size - 1, size, true, withScores);
    return;
  }
  // CASES 3 and 4: distinct random ranks (a partial Fisher-Yates shuffle when the sample is
  // a large part of the set, else rejection sampling), in pick order.
  const ranks: number[] = [];
  if (count * 3 > size) {
    const all = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const pick = i + Math.floor(Math.random() * (size - i));
      [all[i], all[pick]] = [all[pick]!, all[i]!];
      ranks.push(all[i]!);
    }
  } else {
    const seen = new Set<number>();
    while (ranks.length < count) {
      const rank = Math.floor(Math.random() * size);
      if (seen.has(rank)) continue;
      seen.add(rank);
      ranks.push(rank);
    }
  }
  r.array(withScores && !pairs ? count * 2 : count);
  for (const rank of ranks) emit(rank);
}

// ---- ZSCAN ----

/** Live ZSCAN walks over the dicts of skiplist-encoded sets. */
const zscanCursors = new ScanCursors<string>();

/** zscanCommand + scanGenericCommand for a sorted set. */
function zscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) throw new ReplyError(INVALID_CURSOR);
  const z = lookupRead<Zset>(c.db, argv[1]!, "zset");
  if (z === undefined) {
    c.reply.array(2);
    c.reply.bulk("0");
    c.reply.array(0);
    return;
  }
  let count = 10;
  let pattern: string | undefined;
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (more && isOption(opt, "count")) {
      count = longArg(argv[i + 1]!);
      if (count < 1) throw new ReplyError(SYNTAX);
    } else if (more && isOption(opt, "match")) {
      const p = argv[i + 1]!;
      pattern = p === "*" ? undefined : p;
    } else {
      throw new ReplyError(SYNTAX);
    }
  }
  const found: string[] = [];
  let next = "0";
  const dict = z.dict;
  if (dict === null) {
    // A listpack is returned whole in one call, as Redis does.
    z.forRange(0, z.size, false, (member, score) => {
      if (pattern !== undefined && !matchGlob(pattern, member)) return;
      found.push(member, listpackText(score));
    });
  } else {
    const step = zscanCursors.next(cursor, dict, () => dict.keys(), count);
    next = step.cursor;
    for (const member of step.elements) {
      const score = dict.get(member);
      // An element read ahead last time may have been removed since.
      if (score === undefined) continue;
      if (pattern !== undefined && !matchGlob(pattern, member)) continue;
      found.push(member, formatDouble(score));
    }
  }
  c.reply.array(2);
  c.reply.bulk(next);
  c.reply.array(found.length);
  for (const s of found) c.reply.bulk(s);
}

/**
 * A score as a listpack holds it (d2string): integers up to LLONG_MAX/2 in plain digits (the
 * listpack keeps them as integers), anything else as %.17g. ZSCAN returns these entries as
 * they are, while a skiplist's scores are formatted with %.17Lg (so 1e17 reads "1e+17").
 */
function listpackText(score: number): string {
  if (Number.isInteger(score) && Math.abs(score) <= 4611686018427387904) {
    return BigInt(score).toString();
  }
  return formatDouble(score);
}

// ---- The command records ----

/** The fields sorted set commands share; a record spreads them first and may override `keys`. */
const ZSET: Pick<Command, "group" | "keys"> = { group: "sorted-set", keys: KEY1 };

const READ = ["readonly"] as Command["flags"];
const READ_FAST = ["readonly", "fast"] as Command["flags"];
const RANGE_SYNTAX = "[LIMIT offset:integer count:integer]";

/** Key specs of the numkeys commands: the keys follow numkeys at `index`. */
function keynumSpec(flags: string, index: number) {
  return { flags, index, keynum: [0, 1, 1] as [number, number, number] };
}

const STORE_META: CommandMeta = {
  keySpecs: [
    { flags: "OW update", index: 1, range: [0, 1, 0] },
    keynumSpec("RO access", 2),
  ],
};

const OP_META: CommandMeta = { keySpecs: [keynumSpec("RO access", 1)] };

export const zsetCommands: Command[] = [
  {
    ...ZSET,
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    since: "1.2.0",
    summary:
      "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
    complexity:
      "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    syntax:
      "key [NX | XX]:condition [GT | LT]:comparison [CH:change] [INCR:increment] score:double member [score:double member ...]",
    run: (c, argv) => zaddGenericCommand(c, argv, 0),
  },
  {
    ...ZSET,
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    since: "1.2.0",
    summary: "Increments the score of a member in a sorted set.",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    syntax: "key increment:integer member",
    meta: { keyFlags: "RW access update" },
    run: (c, argv) => zaddGenericCommand(c, argv, INCR),
  },
  {
    ...ZSET,
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    since: "1.2.0",
    summary:
      "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
    complexity:
      "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    syntax: "key member [member ...]",
    meta: { keyFlags: "RW delete" },
    run: zremCommand,
  },
  {
    ...ZSET,
    name: "zcard",
    arity: 2,
    flags: READ_FAST,
    since: "1.2.0",
    summary: "Returns the number of members in a sorted set.",
    complexity: "O(1)",
    syntax: "key",
    meta: { keyFlags: "RO" },
    run: zcardCommand,
  },
  {
    ...ZSET,
    name: "zscore",
    arity: 3,
    flags: READ_FAST,
    since: "1.2.0",
    summary: "Returns the score of a member in a sorted set.",
    complexity: "O(1)",
    syntax: "key member",
    run: zscoreCommand,
  },
  {
    ...ZSET,
    name: "zmscore",
    arity: -3,
    flags: READ_FAST,
    since: "6.2.0",
    summary: "Returns the score of one or more members in a sorted set.",
    complexity: "O(N) where N is the number of members being requested.",
    syntax: "key member [member ...]",
    run: zmscoreCommand,
  },
  {
    ...ZSET,
    name: "zrank",
    arity: 3,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the index of a member in a sorted set ordered by ascending scores.",
    complexity: "O(log(N))",
    syntax: "key member",
    run: (c, argv) => zrankGenericCommand(c, argv, false),
  },
  {
    ...ZSET,
    name: "zrevrank",
    arity: 3,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the index of a member in a sorted set ordered by descending scores.",
    complexity: "O(log(N))",
    syntax: "key member",
    run: (c, argv) => zrankGenericCommand(c, argv, true),
  },
  {
    ...ZSET,
    name: "zcount",
    arity: 4,
    flags: READ_FAST,
    since: "2.0.0",
    summary: "Returns the count of members in a sorted set that have scores within a range.",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    syntax: "key min:double max:double",
    run: zcountCommand,
  },
  {
    ...ZSET,
    name: "zlexcount",
    arity: 4,
    flags: READ_FAST,
    since: "2.8.9",
    summary: "Returns the number of members in a sorted set within a lexicographical range.",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    syntax: "key min max",
    run: zlexcountCommand,
  },
  {
    ...ZSET,
    name: "zrange",
    arity: -4,
    flags: READ,
    since: "1.2.0",
    summary: "Returns members in a sorted set within a range of indexes.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    syntax: `key start stop [BYSCORE | BYLEX]:sortby [REV] ${RANGE_SYNTAX} [WITHSCORES]`,
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, null, null),
  },
  {
    ...ZSET,
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    since: "6.2.0",
    summary: "Stores a range of members from sorted set in a key.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    syntax: `dst:key src:key min max [BYSCORE | BYLEX]:sortby [REV] ${RANGE_SYNTAX}`,
    keys: { first: 1, last: 2, step: 1 },
    meta: {
      keySpecs: [
        { flags: "OW update", index: 1, range: [0, 1, 0] },
        { flags: "RO access", index: 2, range: [0, 1, 0] },
      ],
    },
    run: (c, argv) => zrangeGenericCommand(c, argv, 2, true, null, null),
  },
  {
    ...ZSET,
    name: "zrevrange",
    arity: -4,
    flags: READ,
    since: "1.2.0",
    summary: "Returns members in a sorted set within a range of indexes in reverse order.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    syntax: "key start:integer stop:integer [WITHSCORES]",
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, BY_RANK, true),
  },
  {
    ...ZSET,
    name: "zrangebyscore",
    arity: -4,
    flags: READ,
    since: "1.0.5",
    summary: "Returns members in a sorted set within a range of scores.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    syntax: `key min:double max:double [WITHSCORES] ${RANGE_SYNTAX}`,
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, BY_SCORE, false),
  },
  {
    ...ZSET,
    name: "zrevrangebyscore",
    arity: -4,
    flags: READ,
    since: "2.2.0",
    summary: "Returns members in a sorted set within a range of scores in reverse order.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    syntax: `key max:double min:double [WITHSCORES] ${RANGE_SYNTAX}`,
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, BY_SCORE, true),
  },
  {
    ...ZSET,
    name: "zrangebylex",
    arity: -4,
    flags: READ,
    since: "2.8.9",
    summary: "Returns members in a sorted set within a lexicographical range.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    syntax: `key min max ${RANGE_SYNTAX}`,
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, BY_LEX, false),
  },
  {
    ...ZSET,
    name: "zrevrangebylex",
    arity: -4,
    flags: READ,
    since: "2.8.9",
    summary: "Returns members in a sorted set within a lexicographical range in reverse order.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    syntax: `key max min ${RANGE_SYNTAX}`,
    run: (c, argv) => zrangeGenericCommand(c, argv, 1, false, BY_LEX, true),
  },
  {
    ...ZSET,
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    since: "2.0.0",
    summary:
      "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    syntax: "key start:integer stop:integer",
    meta: { keyFlags: "RW delete" },
    run: (c, argv) => zremrangeGenericCommand(c, argv, BY_RANK),
  },
  {
    ...ZSET,
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    since: "1.2.0",
    summary:
      "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    syntax: "key min:double max:double",
    meta: { keyFlags: "RW delete" },
    run: (c, argv) => zremrangeGenericCommand(c, argv, BY_SCORE),
  },
  {
    ...ZSET,
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    since: "2.8.9",
    summary:
      "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    syntax: "key min max",
    meta: { keyFlags: "RW delete" },
    run: (c, argv) => zremrangeGenericCommand(c, argv, BY_LEX),
  },
  {
    ...ZSET,
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    since: "5.0.0",
    summary:
      "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    syntax: "key [count:integer]",
    meta: { keyFlags: "RW access delete" },
    run: (c, argv) => zpopMinMaxCommand(c, argv, false),
  },
  {
    ...ZSET,
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    since: "5.0.0",
    summary:
      "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    syntax: "key [count:integer]",
    meta: { keyFlags: "RW access delete" },
    run: (c, argv) => zpopMinMaxCommand(c, argv, true),
  },
  {
    ...ZSET,
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    since: "5.0.0",
    summary:
      "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    syntax: "key [key ...] timeout:double",
    keys: { first: 1, last: -2, step: 1 },
    meta: { keyFlags: "RW access delete" },
    run: (c, argv) =>
      blockingGenericZpopCommand(c, argv.slice(1, -1), false, argv[argv.length - 1]!, -1, false),
  },
  {
    ...ZSET,
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    since: "5.0.0",
    summary:
      "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise. Deletes the sorted set if the last element was popped.",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    syntax: "key [key ...] timeout:double",
    keys: { first: 1, last: -2, step: 1 },
    meta: { keyFlags: "RW access delete" },
    run: (c, argv) =>
      blockingGenericZpopCommand(c, argv.slice(1, -1), true, argv[argv.length - 1]!, -1, false),
  },
  {
    ...ZSET,
    name: "zmpop",
    arity: -4,
    flags: ["write"],
    since: "7.0.0",
    summary:
      "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    syntax: "numkeys:integer key [key ...] <MIN | MAX>:where [COUNT count:integer]",
    keys: undefined,
    meta: { keySpecs: [keynumSpec("RW access delete", 1)] },
    run: (c, argv) => zmpopGenericCommand(c, argv, 1, false),
  },
  {
    ...ZSET,
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking"],
    since: "7.0.0",
    summary:
      "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    syntax: "timeout:double numkeys:integer key [key ...] <MIN | MAX>:where [COUNT count:integer]",
    keys: undefined,
    meta: { keySpecs: [keynumSpec("RW access delete", 2)] },
    run: (c, argv) => zmpopGenericCommand(c, argv, 2, true),
  },
  {
    ...ZSET,
    name: "zunion",
    arity: -3,
    flags: READ,
    since: "6.2.0",
    summary: "Returns the union of multiple sorted sets.",
    complexity:
      "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    syntax:
      "numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE <SUM | MIN | MAX>:aggregate] [WITHSCORES]",
    keys: undefined,
    meta: OP_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, null, 1, UNION, false),
  },
  {
    ...ZSET,
    name: "zinter",
    arity: -3,
    flags: READ,
    since: "6.2.0",
    summary: "Returns the intersect of multiple sorted sets.",
    complexity:
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    syntax:
      "numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE <SUM | MIN | MAX>:aggregate] [WITHSCORES]",
    keys: undefined,
    meta: OP_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, null, 1, INTER, false),
  },
  {
    ...ZSET,
    name: "zdiff",
    arity: -3,
    flags: READ,
    since: "6.2.0",
    summary: "Returns the difference between multiple sorted sets.",
    complexity:
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    syntax: "numkeys:integer key [key ...] [WITHSCORES]",
    keys: undefined,
    meta: OP_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, null, 1, DIFF, false),
  },
  {
    ...ZSET,
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    since: "2.0.0",
    summary: "Stores the union of multiple sorted sets in a key.",
    complexity:
      "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    syntax:
      "destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE <SUM | MIN | MAX>:aggregate]",
    meta: STORE_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, argv[1]!, 2, UNION, false),
  },
  {
    ...ZSET,
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom"],
    since: "2.0.0",
    summary: "Stores the intersect of multiple sorted sets in a key.",
    complexity:
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    syntax:
      "destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE <SUM | MIN | MAX>:aggregate]",
    meta: STORE_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, argv[1]!, 2, INTER, false),
  },
  {
    ...ZSET,
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom"],
    since: "6.2.0",
    summary: "Stores the difference of multiple sorted sets in a key.",
    complexity:
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    syntax: "destination:key numkeys:integer key [key ...]",
    meta: STORE_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, argv[1]!, 2, DIFF, false),
  },
  {
    ...ZSET,
    name: "zintercard",
    arity: -3,
    flags: READ,
    since: "7.0.0",
    summary: "Returns the number of members of the intersect of multiple sorted sets.",
    complexity:
      "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    syntax: "numkeys:integer key [key ...] [LIMIT limit:integer]",
    keys: undefined,
    meta: OP_META,
    run: (c, argv) => zunionInterDiffGenericCommand(c, argv, null, 1, INTER, true),
  },
  {
    ...ZSET,
    name: "zrandmember",
    arity: -2,
    flags: READ,
    since: "6.2.0",
    summary: "Returns one or more random members from a sorted set.",
    complexity: "O(N) where N is the number of members returned",
    syntax: "key [count:integer [WITHSCORES]]:options",
    meta: { tips: ["nondeterministic_output"] },
    run: zrandmemberCommand,
  },
  {
    ...ZSET,
    name: "zscan",
    arity: -3,
    flags: READ,
    since: "2.8.0",
    summary: "Iterates over members and scores of a sorted set.",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    syntax: "key cursor:integer [MATCH pattern] [COUNT count:integer]",
    meta: { tips: ["nondeterministic_output"] },
    run: zscanCommand,
  },
];
