// The set type with Redis 7.0's two encodings (t_set.c's setType* functions and intset.c):
// "intset" is a sorted array of integers; "hashtable" an array of members (random access for
// SPOP/SRANDMEMBER) plus, past a few members, a member -> position Map.
import type { RedisObject } from "./keyspace.ts";
import { parseInteger } from "../util/numbers.ts";

/** An intset element: a safe integer as a number, any other int64 as a bigint (never both). */
export type IntMember = number | bigint;

/**
 * Hashtable-encoded sets up to this size find members by a linear scan of `members` and have
 * no Map (a Map entry costs more than a short member); Redis reports them as hashtable all the
 * same.
 */
const SMALL_SET = 16;

/**
 * Arrays shorter than this grow to their exact length: V8 grows a pushed-to array by half
 * again plus 16 slots, which would make a 3-member set cost as much as a 19-member one.
 */
const EXACT_GROWTH = 64;

/** The arrays of a set that has none yet; `insert` replaces them (never written to). */
const NO_INTS: IntMember[] = Object.freeze([]) as unknown as IntMember[];
const NO_MEMBERS: string[] = Object.freeze([]) as unknown as string[];

/** `array` with `value` inserted at `at` (a new array while short, else `array` itself). */
function insert<T>(array: T[], at: number, value: T): T[] {
  const n = array.length;
  if (n >= EXACT_GROWTH) {
    if (at === n) array.push(value);
    else array.splice(at, 0, value);
    return array;
  }
  const out = new Array<T>(n + 1);
  for (let i = 0; i < at; i++) out[i] = array[i]!;
  out[at] = value;
  for (let i = at; i < n; i++) out[i + 1] = array[i]!;
  return out;
}

export class SetObject implements RedisObject {
  /** intset encoding: the members in ascending order; null for a hashtable. */
  ints: IntMember[] | null;
  /** hashtable encoding: the members, in no particular order; empty for an intset. */
  members: string[];
  /** member -> position in `members`, once a hashtable set has outgrown SMALL_SET. */
  index: Map<string, number> | null = null;
  /** used_memory's estimate of this value (lib/store/memory.ts). */
  mem = 0;

  private constructor(ints: IntMember[] | null, members: string[]) {
    this.ints = ints;
    this.members = members;
  }

  /** createIntsetObject: an empty set that becomes a hashtable at its first non-integer. */
  static intset(): SetObject {
    return new SetObject(NO_INTS, NO_MEMBERS);
  }

  /** createSetObject: an empty hashtable-encoded set. */
  static hashtable(): SetObject {
    return new SetObject(null, NO_MEMBERS);
  }

  /** setTypeCreate: the encoding a new set holding `first` starts with. */
  static forMember(first: string): SetObject {
    return parseInteger(first) === null ? SetObject.hashtable() : SetObject.intset();
  }

  get type(): "set" {
    return "set";
  }

  encoding(): string {
    return this.ints === null ? "hashtable" : "intset";
  }

  get size(): number {
    return this.ints === null ? this.members.length : this.ints.length;
  }

  /** The member at a position (0 <= i < size); an intset's are in ascending order. */
  at(i: number): string {
    return this.ints === null ? this.members[i]! : String(this.ints[i]!);
  }

  has(member: string): boolean {
    if (this.ints !== null) {
      const value = parseInteger(member);
      return value !== null && searchInts(this.ints, value) >= 0;
    }
    return this.position(member) >= 0;
  }

  /**
   * setTypeAdd: true when the member is new. An intset becomes a hashtable at a member that is
   * not an integer, or when it would hold more than maxIntset members.
   */
  add(member: string, maxIntset: number): boolean {
    const ints = this.ints;
    if (ints !== null) {
      const value = parseInteger(member);
      if (value !== null) {
        const at = searchInts(ints, value);
        if (at >= 0) return false;
        this.ints = insert(ints, -at - 1, value);
        if (this.ints.length > maxIntset) this.convert();
        return true;
      }
      this.convert();
    }
    if (this.position(member) >= 0) return false;
    const n = this.members.length;
    if (this.index !== null) this.index.set(member, n);
    this.members = insert(this.members, n, member);
    if (this.index === null && n + 1 > SMALL_SET) this.buildIndex();
    return true;
  }

  /** setTypeRemove: true when the member was there. */
  remove(member: string): boolean {
    if (this.ints !== null) {
      const value = parseInteger(member);
      if (value === null) return false;
      const at = searchInts(this.ints, value);
      if (at < 0) return false;
      this.ints.splice(at, 1);
      return true;
    }
    const at = this.position(member);
    if (at < 0) return false;
    this.removeAt(at);
    return true;
  }

  /** Removes and returns the member at a position; O(1) for a hashtable (the last moves in). */
  removeAt(i: number): string {
    if (this.ints !== null) return String(this.ints.splice(i, 1)[0]!);
    const members = this.members;
    const member = members[i]!;
    const last = members.pop()!;
    if (i < members.length) {
      members[i] = last;
      this.index?.set(last, i);
    }
    this.index?.delete(member);
    return member;
  }

  /** A uniformly random position of a non-empty set. */
  randomPosition(): number {
    return Math.floor(Math.random() * this.size);
  }

  duplicate(): SetObject {
    const ints = this.ints === null ? null : this.ints.slice();
    const copy = new SetObject(ints, this.ints === null ? this.members.slice() : NO_MEMBERS);
    if (this.index !== null) copy.index = new Map(this.index);
    return copy;
  }

  /** setTypeConvert to the hashtable encoding (never back, as in Redis). */
  private convert(): void {
    const ints = this.ints!;
    this.ints = null;
    this.members = ints.map(String);
    if (this.members.length > SMALL_SET) this.buildIndex();
  }

  private buildIndex(): void {
    const index = new Map<string, number>();
    const members = this.members;
    for (let i = 0; i < members.length; i++) index.set(members[i]!, i);
    this.index = index;
  }

  private position(member: string): number {
    return this.index !== null ? this.index.get(member) ?? -1 : this.members.indexOf(member);
  }
}

/** Binary search: the position of value, or -(insertion point) - 1. */
function searchInts(ints: IntMember[], value: IntMember): number {
  let lo = 0, hi = ints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ints[mid]!;
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}
