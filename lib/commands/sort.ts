// SORT and SORT_RO over lists, sets and sorted sets: BY and GET patterns (with `#` and hash
// `->field` lookups), LIMIT, ASC/DESC, ALPHA and STORE. Mirrors Redis's sort.c.
import type { Client } from "../client.ts";
import { ReplyError, SYNTAX, WRONGTYPE } from "../errors.ts";
import type { Db, Value } from "../store/keyspace.ts";
import { ListObject } from "../store/list.ts";
import { signalKeyAsReady } from "../blocking.ts";
import type { SetObject } from "../store/set.ts";
import type { HashObject } from "../store/hash.ts";
import { Zset } from "../store/zset.ts";
import { parseDouble } from "../util/numbers.ts";
import { integerArg } from "./args.ts";
import type { Command, KeySpecDecl } from "./types.ts";
import {
  NOTIFY_GENERIC,
  NOTIFY_LIST,
  notifyKeyspaceEvent,
  signalModifiedKey,
} from "../keyspace_events.ts";

const SCORE_ERROR = "ERR One or more scores can't be converted into double";

/** Smallest normal double: glibc's strtod reports ERANGE for anything (non-zero) below it. */
const DBL_MIN = 2.2250738585072014e-308;

/** A C string's view of a byte string: everything before the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` is replaced by the
 * element and the key read as a string, or with `->field` as a hash field. Null when there is
 * no `*`, no such key, or a value of another type.
 */
function lookupKeyByPattern(db: Db, pattern: string, subst: string): string | null {
  if (pattern.charCodeAt(0) === 35 && (pattern.length === 1 || pattern.charCodeAt(1) === 0)) {
    return subst;
  }
  // Redis searches with strchr/strstr, which stop at a NUL byte; lengths are the full ones.
  const cpat = cString(pattern);
  const star = cpat.indexOf("*");
  if (star < 0) return null;
  const arrow = cpat.indexOf("->", star + 1);
  const fieldlen = arrow >= 0 && arrow + 2 < cpat.length ? pattern.length - arrow - 2 : 0;
  const postfixlen = pattern.length - (star + 1) - (fieldlen > 0 ? fieldlen + 2 : 0);
  const key = pattern.slice(0, star) + subst + pattern.substr(star + 1, postfixlen);
  const value = db.lookupRead(key);
  if (value === undefined) return null;
  if (fieldlen > 0) {
    if (typeof value === "string" || value.type !== "hash") return null;
    return (value as HashObject).get(pattern.slice(pattern.length - fieldlen)) ?? null;
  }
  return typeof value === "string" ? value : null;
}

/**
 * The score SORT gives a value: strtod with Redis's checks (the whole C string consumed, no
 * ERANGE, not NaN). Leading whitespace is skipped and an empty string is 0, as strtod does.
 */
function sortScore(text: string): number | null {
  const s = cString(text);
  if (s === "") return 0;
  const value = parseDouble(s.replace(/^[\t\n\v\f\r ]+/, ""));
  if (value === null || (value !== 0 && Math.abs(value) < DBL_MIN)) return null;
  return value;
}

interface SortItem {
  ele: string;
  score: number;
  /** ALPHA with BY: the value compared (null when the BY key is missing). */
  cmp: string | null;
}

/** Byte order of two strings, like memcmp then length (compareStringObjects). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale: byte order of the C strings (up to a NUL byte). */
function compareCStrings(a: string, b: string): number {
  return compareBytes(cString(a), cString(b));
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  bypattern: boolean;
  store: boolean;
}

/** sortCompare. */
function comparator(o: SortOptions): (a: SortItem, b: SortItem) => number {
  const sign = o.desc ? -1 : 1;
  if (!o.alpha) {
    // Equal scores fall back to the elements' bytes, so the order is deterministic.
    return (a, b) =>
      sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.ele, b.ele));
  }
  const compare = o.store ? compareBytes : compareCStrings;
  if (o.bypattern) {
    return (a, b) => {
      if (a.cmp === null || b.cmp === null) {
        return sign * (a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1);
      }
      return sign * compare(a.cmp, b.cmp);
    };
  }
  return (a, b) => sign * compare(a.ele, b.ele);
}

/** A value SORT can sort, or WRONGTYPE. */
function sortable(value: Value | undefined): ListObject | SetObject | Zset | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") throw new ReplyError(WRONGTYPE);
  if (value.type === "list" || value.type === "set" || value.type === "zset") {
    return value as ListObject | SetObject | Zset;
  }
  throw new ReplyError(WRONGTYPE);
}

/** sortCommandGeneric. */
function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false, alpha = false, dontsort = false;
  let limitStart = 0n, limitCount = -1n;
  let sortby: string | null = null, storekey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const leftargs = argv.length - j - 1;
    const opt = cString(argv[j]!).toLowerCase();
    if (opt === "asc") desc = false;
    else if (opt === "desc") desc = true;
    else if (opt === "alpha") alpha = true;
    else if (opt === "limit" && leftargs >= 2) {
      limitStart = BigInt(integerArg(argv[j + 1]!));
      limitCount = BigInt(integerArg(argv[j + 2]!));
      j += 2;
    } else if (!readonly && opt === "store" && leftargs >= 1) {
      storekey = argv[++j]!;
    } else if (opt === "by" && leftargs >= 1) {
      sortby = argv[++j]!;
      // A BY pattern without '*' means "don't sort".
      if (!cString(sortby).includes("*")) dontsort = true;
    } else if (opt === "get" && leftargs >= 1) {
      gets.push(argv[++j]!);
    } else {
      throw new ReplyError(SYNTAX);
    }
  }

  const db = c.db;
  const sortval = sortable(db.lookupRead(argv[1]!));
  // An unsorted set's order is its hash order; stored results must not depend on it.
  if (dontsort && sortval?.type === "set" && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  let zset: Zset | undefined;
  if (sortval?.type === "zset") {
    zset = sortval as Zset;
    // zsetConvert(..., SKIPLIST): SORT leaves a sorted set in the skiplist encoding for good.
    if (zset.encoding() !== "skiplist") zset = toSkiplist(db, argv[1]!, zset);
  }
  const length = sortval === undefined
    ? 0
    : sortval.type === "list"
    ? (sortval as ListObject).length
    : (sortval as SetObject | Zset).size;

  // LIMIT, clamped to the size first so that nothing overflows.
  const vlen = BigInt(length);
  let start = limitStart < 0n ? 0n : limitStart > vlen ? vlen : limitStart;
  const count = limitCount < -1n ? -1n : limitCount > vlen ? vlen : limitCount;
  let end = count < 0n ? vlen - 1n : start + count - 1n;
  if (start >= vlen) {
    start = vlen - 1n;
    end = vlen - 2n;
  }
  if (end >= vlen) end = vlen - 1n;
  let first = Number(start), last = Number(end);

  const items: SortItem[] = [];
  const add = (ele: string) => items.push({ ele, score: 0, cmp: null });
  if (sortval !== undefined && dontsort && sortval.type !== "set") {
    // Lists and sorted sets keep their own order: only the LIMIT range is loaded.
    if (last >= first) {
      const n = last - first + 1;
      const from = desc ? length - first - 1 : first;
      if (sortval.type === "list") (sortval as ListObject).forRange(from, n, desc, add);
      else zset!.forRange(from, n, desc, add);
    }
    last -= first;
    first = 0;
  } else if (sortval !== undefined) {
    if (sortval.type === "list") (sortval as ListObject).forRange(0, length, false, add);
    else if (sortval.type === "set") {
      const set = sortval as SetObject;
      for (let i = 0; i < length; i++) add(set.at(i));
    } else zset!.forRange(0, length, false, add);
  }

  let conversionError = false;
  if (!dontsort) {
    for (const item of items) {
      let byval: string | null = item.ele;
      if (sortby !== null) {
        byval = lookupKeyByPattern(db, sortby, item.ele);
        if (byval === null) continue;
      }
      if (alpha) {
        if (sortby !== null) item.cmp = byval;
      } else {
        const score = sortScore(byval);
        if (score === null) conversionError = true;
        else item.score = score;
      }
    }
    // Array.prototype.sort is stable, like glibc's merge-sort qsort.
    items.sort(comparator({ desc, alpha, bypattern: sortby !== null, store: storekey !== null }));
  }

  const outputlen = last >= first ? (gets.length || 1) * (last - first + 1) : 0;
  if (conversionError) throw new ReplyError(SCORE_ERROR);
  if (storekey === null) {
    c.reply.array(outputlen);
    for (let j = first; j <= last; j++) {
      const ele = items[j]!.ele;
      if (gets.length === 0) c.reply.bulk(ele);
      for (const pattern of gets) c.reply.bulkOrNull(lookupKeyByPattern(db, pattern, ele));
    }
    return;
  }
  const stored = new ListObject();
  for (let j = first; j <= last; j++) {
    const ele = items[j]!.ele;
    if (gets.length === 0) stored.push(ele, false);
    for (const pattern of gets) stored.push(lookupKeyByPattern(db, pattern, ele) ?? "", false);
  }
  if (outputlen > 0) {
    db.set(storekey, stored);
    signalModifiedKey(db, storekey);
    signalKeyAsReady(db, storekey); // clients blocked on the destination list
    notifyKeyspaceEvent(NOTIFY_LIST, "sortstore", storekey, db.id);
    db.keyspace.dirty += outputlen;
  } else if (db.delete(storekey)) {
    signalModifiedKey(db, storekey);
    notifyKeyspaceEvent(NOTIFY_GENERIC, "del", storekey, db.id);
    db.keyspace.dirty++;
  }
  c.reply.integer(outputlen);
}

/** The sorted set at key rewritten in the skiplist encoding (same elements and scores). */
function toSkiplist(db: Db, key: string, zset: Zset): Zset {
  const members: string[] = [], scores: number[] = [];
  zset.forRange(0, zset.size, false, (m, s) => {
    members.push(m);
    scores.push(s);
  });
  const converted = Zset.fromSorted(members, scores, { maxEntries: -1, maxValue: 0 });
  // An encoding change, not a write: no dirty count, TTL untouched.
  db.overwrite(key, converted);
  return converted;
}

/** sortGetKeys: the sorted key, then the last STORE destination (options skip their arguments). */
function sortGetKeys(argv: string[]): { pos: number; flags: string }[] {
  const keys = [{ pos: 1, flags: "RO access" }];
  let store = -1;
  const skips: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const arg = cString(argv[i]!).toLowerCase();
    const skip = skips[arg];
    if (skip !== undefined) i += skip;
    else if (arg === "store" && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) keys.push({ pos: store, flags: "OW update" });
  return keys;
}

const SORT_SYNTAX = "key [BY pattern:pattern#1] [LIMIT offset:integer count:integer] " +
  "[GET pattern:pattern#1 [GET pattern:pattern#1 ...]] [ASC | DESC]:order [ALPHA:sorting]";

const COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to " +
  "sort, and M the number of returned elements. When the elements are not sorted, complexity " +
  "is O(N).";

/** The key specs SORT and SORT_RO share: the sorted key, and the keys BY and GET patterns name. */
const READ_KEY_SPECS: KeySpecDecl[] = [
  { flags: "RO access", index: 1, range: [0, 1, 0] },
  {
    notes:
      "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
    flags: "RO access",
  },
];

export const sortCommands: Command[] = [
  {
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom"],
    group: "generic",
    since: "1.0.0",
    summary: "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
    complexity: COMPLEXITY,
    syntax: `${SORT_SYNTAX} [STORE destination:key]`,
    keys: { first: 1, last: 1, step: 1 },
    meta: {
      acl: "set sortedset list dangerous",
      keySpecs: [
        ...READ_KEY_SPECS,
        {
          notes:
            "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
          flags: "OW update",
        },
      ],
    },
    getKeys: sortGetKeys,
    run: (c, argv) => sortGeneric(c, argv, false),
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: ["readonly"],
    group: "generic",
    since: "7.0.0",
    summary: "Returns the sorted elements of a list, a set, or a sorted set.",
    complexity: COMPLEXITY,
    syntax: SORT_SYNTAX,
    keys: { first: 1, last: 1, step: 1 },
    meta: {
      acl: "set sortedset list dangerous",
      keySpecs: READ_KEY_SPECS,
    },
    getKeys: () => [{ pos: 1, flags: "RO access" }],
    run: (c, argv) => sortGeneric(c, argv, true),
  },
];
