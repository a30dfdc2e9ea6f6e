// Sorted sets: two sorted arrays while small (Redis's listpack encoding), then a member→score Map
// plus a counted B+tree in (score, member) order (Redis's dict + skiplist). Mirrors t_zset.c.
import { latin1 } from "../bytes.ts";
import type { RedisObject } from "./keyspace.ts";

/** zset-max-listpack-entries and zset-max-listpack-value, as the caller's config has them. */
export interface ZsetLimits {
  maxEntries: number;
  maxValue: number;
}

/** Redis's order: by score, then by member bytes (one-byte strings compare like memcmp). */
function less(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

// ---- The counted B+tree ----
//
// Leaves hold runs of elements in order and are linked both ways for range walks. An inner node
// keeps, per child, the number of elements below it (ranks in O(log n)) and a lower bound of the
// child's keys (key[0] of the root is unused): every element of child i is >= key[i] and <
// key[i+1]. Bounds stay valid when elements go away, so deletes never touch the keys above.

const LEAF_MAX = 128;
const INNER_MAX = 64;
/** Below these sizes a node is merged into a sibling when both fit in 3/4 of a node. */
const LEAF_MIN = LEAF_MAX / 4;
const INNER_MIN = INNER_MAX / 4;
const LEAF_MERGE = (LEAF_MAX * 3) / 4;
const INNER_MERGE = (INNER_MAX * 3) / 4;

class Leaf {
  prev: Leaf | null = null;
  next: Leaf | null = null;
  constructor(public members: string[], public scores: number[]) {}
}

class Inner {
  constructor(
    public children: Node[],
    public counts: number[],
    public keyScores: number[],
    public keyMembers: string[],
  ) {}
}

type Node = Leaf | Inner;

/** What the "below" predicate of a search compares (see countBelow). */
const BY_KEY = 0, BY_SCORE_LT = 1, BY_SCORE_LE = 2, BY_MEMBER_LT = 3, BY_MEMBER_LE = 4;
type By = 0 | 1 | 2 | 3 | 4;

/** Whether the element (es, em) is below the target (s, m) in the sense of `by`. */
function below(by: By, s: number, m: string, es: number, em: string): boolean {
  switch (by) {
    case BY_KEY:
      return less(es, em, s, m);
    case BY_SCORE_LT:
      return es < s;
    case BY_SCORE_LE:
      return es <= s;
    case BY_MEMBER_LT:
      return em < m;
    default:
      return em <= m;
  }
}

function sum(counts: number[]): number {
  let total = 0;
  for (const n of counts) total += n;
  return total;
}

/** The ordered half of a big sorted set. Every operation is O(log n) (ranges: + m). */
export class ScoreTree {
  private root: Node = new Leaf([], []);
  /** Inner levels above the leaves. */
  private height = 0;
  size = 0;
  // The path of the last descent: the inner node and child index at each level.
  private pathNodes: Inner[] = [];
  private pathIdx: number[] = [];
  // The result of locate().
  private foundLeaf: Leaf = this.root as Leaf;

  /** A tree of the given elements, which must be sorted and distinct. */
  static build(members: string[], scores: number[]): ScoreTree {
    const tree = new ScoreTree();
    const n = members.length;
    if (n === 0) return tree;
    const fill = LEAF_MERGE;
    let level: Node[] = [];
    let counts: number[] = [];
    let prev: Leaf | null = null;
    for (let at = 0; at < n; at += fill) {
      const leaf = new Leaf(members.slice(at, at + fill), scores.slice(at, at + fill));
      leaf.prev = prev;
      if (prev !== null) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(leaf.members.length);
    }
    let height = 0;
    while (level.length > 1) {
      const up: Node[] = [];
      const upCounts: number[] = [];
      for (let at = 0; at < level.length; at += INNER_MERGE) {
        const children = level.slice(at, at + INNER_MERGE);
        const inner = new Inner(
          children,
          counts.slice(at, at + INNER_MERGE),
          children.map((c) => firstScore(c)),
          children.map((c) => firstMember(c)),
        );
        up.push(inner);
        upCounts.push(sum(inner.counts));
      }
      level = up;
      counts = upCounts;
      height++;
    }
    tree.root = level[0]!;
    tree.height = height;
    tree.size = n;
    return tree;
  }

  /** Index of the child of `inner` whose range holds the key (s, m). */
  private childFor(inner: Inner, s: number, m: string): number {
    const ks = inner.keyScores, km = inner.keyMembers;
    let lo = 1, hi = inner.children.length - 1, found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (less(s, m, ks[mid]!, km[mid]!)) hi = mid - 1;
      else {
        found = mid;
        lo = mid + 1;
      }
    }
    return found;
  }

  /** Walks from the root to the leaf for (s, m), recording the path. */
  private descend(s: number, m: string): Leaf {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const i = this.childFor(inner, s, m);
      this.pathNodes[d] = inner;
      this.pathIdx[d] = i;
      node = inner.children[i]!;
    }
    return node as Leaf;
  }

  /** Adds (s, m), which must not be in the tree. */
  insert(s: number, m: string): void {
    const leaf = this.descend(s, m);
    const pos = lowerBound(leaf.members, leaf.scores, s, m);
    insertAt(leaf.members, leaf.scores, pos, s, m);
    for (let d = 0; d < this.height; d++) this.pathNodes[d]!.counts[this.pathIdx[d]!]!++;
    this.size++;
    if (leaf.members.length > LEAF_MAX) this.splitLeaf(leaf);
  }

  /** Removes (s, m); false if it is not in the tree. */
  delete(s: number, m: string): boolean {
    const leaf = this.descend(s, m);
    const pos = lowerBound(leaf.members, leaf.scores, s, m);
    if (pos >= leaf.members.length || leaf.members[pos] !== m || leaf.scores[pos] !== s) {
      return false;
    }
    removeAt(leaf.members, leaf.scores, pos);
    for (let d = 0; d < this.height; d++) this.pathNodes[d]!.counts[this.pathIdx[d]!]!--;
    this.size--;
    if (this.size === 0) this.clear();
    else if (this.height > 0) this.fixLeaf(leaf);
    return true;
  }

  clear(): void {
    this.root = new Leaf([], []);
    this.height = 0;
    this.size = 0;
  }

  private splitLeaf(leaf: Leaf): void {
    const half = leaf.members.length >>> 1;
    const right = new Leaf(leaf.members.splice(half), leaf.scores.splice(half));
    right.prev = leaf;
    right.next = leaf.next;
    if (leaf.next !== null) leaf.next.prev = right;
    leaf.next = right;
    this.addSibling(
      this.height - 1,
      right,
      right.scores[0]!,
      right.members[0]!,
      leaf.members.length,
      right.members.length,
    );
  }

  /**
   * Puts `node` right after the path's child at level d (the node just split), with its key
   * bound and both halves' counts; a split root makes a new root.
   */
  private addSibling(
    d: number,
    node: Node,
    keyScore: number,
    keyMember: string,
    leftCount: number,
    rightCount: number,
  ): void {
    if (d < 0) {
      this.root = new Inner(
        [this.root, node],
        [leftCount, rightCount],
        [-Infinity, keyScore],
        ["", keyMember],
      );
      this.height++;
      return;
    }
    const parent = this.pathNodes[d]!, i = this.pathIdx[d]!;
    parent.children.splice(i + 1, 0, node);
    parent.counts.splice(i + 1, 0, rightCount);
    parent.keyScores.splice(i + 1, 0, keyScore);
    parent.keyMembers.splice(i + 1, 0, keyMember);
    parent.counts[i] = leftCount;
    if (parent.children.length <= INNER_MAX) return;
    const half = parent.children.length >>> 1;
    const right = new Inner(
      parent.children.splice(half),
      parent.counts.splice(half),
      parent.keyScores.splice(half),
      parent.keyMembers.splice(half),
    );
    this.addSibling(
      d - 1,
      right,
      right.keyScores[0]!,
      right.keyMembers[0]!,
      sum(parent.counts),
      sum(right.counts),
    );
  }

  /** After a delete: drops an empty leaf or merges a small one into a sibling. */
  private fixLeaf(leaf: Leaf): void {
    const d = this.height - 1;
    const parent = this.pathNodes[d]!, i = this.pathIdx[d]!;
    const n = leaf.members.length;
    if (n === 0) {
      unlink(leaf);
      this.removeChild(d, i);
      return;
    }
    if (n >= LEAF_MIN) return;
    const right = parent.children[i + 1] as Leaf | undefined;
    if (right !== undefined && n + right.members.length <= LEAF_MERGE) {
      for (let j = 0; j < right.members.length; j++) {
        leaf.members.push(right.members[j]!);
        leaf.scores.push(right.scores[j]!);
      }
      parent.counts[i]! += parent.counts[i + 1]!;
      unlink(right);
      this.removeChild(d, i + 1);
      return;
    }
    const left = parent.children[i - 1] as Leaf | undefined;
    if (left !== undefined && left.members.length + n <= LEAF_MERGE) {
      for (let j = 0; j < n; j++) {
        left.members.push(leaf.members[j]!);
        left.scores.push(leaf.scores[j]!);
      }
      parent.counts[i - 1]! += parent.counts[i]!;
      unlink(leaf);
      this.removeChild(d, i);
    }
  }

  /** Removes child i of the path's node at level d, then rebalances that node. */
  private removeChild(d: number, i: number): void {
    const node = this.pathNodes[d]!;
    node.children.splice(i, 1);
    node.counts.splice(i, 1);
    node.keyScores.splice(i, 1);
    node.keyMembers.splice(i, 1);
    if (d === 0) {
      // A root with one child hands over to it.
      while (this.height > 0 && (this.root as Inner).children.length === 1) {
        this.root = (this.root as Inner).children[0]!;
        this.height--;
      }
      return;
    }
    const parent = this.pathNodes[d - 1]!, at = this.pathIdx[d - 1]!;
    const n = node.children.length;
    if (n === 0) {
      this.removeChild(d - 1, at);
      return;
    }
    if (n >= INNER_MIN) return;
    const right = parent.children[at + 1] as Inner | undefined;
    if (right !== undefined && n + right.children.length <= INNER_MERGE) {
      right.keyScores[0] = parent.keyScores[at + 1]!;
      right.keyMembers[0] = parent.keyMembers[at + 1]!;
      appendInner(node, right);
      parent.counts[at]! += parent.counts[at + 1]!;
      this.removeChild(d - 1, at + 1);
      return;
    }
    const left = parent.children[at - 1] as Inner | undefined;
    if (left !== undefined && left.children.length + n <= INNER_MERGE) {
      node.keyScores[0] = parent.keyScores[at]!;
      node.keyMembers[0] = parent.keyMembers[at]!;
      appendInner(left, node);
      parent.counts[at - 1]! += parent.counts[at]!;
      this.removeChild(d - 1, at);
    }
  }

  /**
   * How many elements are "below" the target: with BY_KEY, those before (s, m), i.e. the rank
   * of (s, m); with the score and member modes, those with a smaller (or not greater) score
   * or member. The member modes assume the elements are in member order (equal scores).
   */
  countBelow(by: By, s: number, m: string): number {
    let acc = 0;
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const ks = inner.keyScores, km = inner.keyMembers;
      let lo = 1, hi = inner.children.length - 1, found = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (below(by, s, m, ks[mid]!, km[mid]!)) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      for (let j = 0; j < found; j++) acc += inner.counts[j]!;
      node = inner.children[found]!;
    }
    const leaf = node as Leaf;
    let lo = 0, hi = leaf.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (below(by, s, m, leaf.scores[mid]!, leaf.members[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return acc + lo;
  }

  /** The leaf holding rank r (0 <= r < size) in foundLeaf, and r's index in it. */
  private locate(r: number): number {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const counts = inner.counts;
      let i = 0;
      while (r >= counts[i]!) r -= counts[i++]!;
      node = inner.children[i]!;
    }
    this.foundLeaf = node as Leaf;
    return r;
  }

  /** Calls fn for `count` elements from rank `start`, towards the end or (reverse) the start. */
  forRange(
    start: number,
    count: number,
    reverse: boolean,
    fn: (member: string, score: number) => void,
  ): void {
    if (count <= 0) return;
    let j = this.locate(start);
    let leaf: Leaf = this.foundLeaf;
    for (let k = 0; k < count; k++) {
      fn(leaf.members[j]!, leaf.scores[j]!);
      if (reverse) {
        if (--j < 0 && k + 1 < count) {
          leaf = leaf.prev!;
          j = leaf.members.length - 1;
        }
      } else if (++j >= leaf.members.length && k + 1 < count) {
        leaf = leaf.next!;
        j = 0;
      }
    }
  }

  memberAt(r: number): string {
    const j = this.locate(r);
    return this.foundLeaf.members[j]!;
  }

  scoreAt(r: number): number {
    const j = this.locate(r);
    return this.foundLeaf.scores[j]!;
  }

  /** Checks the invariants (tests): counts, key bounds, order, leaf links. */
  check(): void {
    const leaves: Leaf[] = [];
    const walk = (node: Node, depth: number, lowS: number, lowM: string | null): number => {
      if (depth === this.height) {
        const leaf = node as Leaf;
        if (leaf.members.length === 0 && this.size !== 0) throw new Error("empty leaf");
        for (let j = 0; j < leaf.members.length; j++) {
          if (lowM !== null && less(leaf.scores[j]!, leaf.members[j]!, lowS, lowM)) {
            throw new Error("element below its bound");
          }
        }
        leaves.push(leaf);
        return leaf.members.length;
      }
      const inner = node as Inner;
      if (inner.children.length === 0) throw new Error("empty inner node");
      let total = 0;
      for (let i = 0; i < inner.children.length; i++) {
        const bound = i === 0 ? lowM : inner.keyMembers[i]!;
        const n = walk(inner.children[i]!, depth + 1, i === 0 ? lowS : inner.keyScores[i]!, bound);
        if (n !== inner.counts[i]) throw new Error(`count ${inner.counts[i]} != ${n}`);
        total += n;
      }
      return total;
    };
    if (walk(this.root, 0, -Infinity, null) !== this.size) throw new Error("size mismatch");
    let prevS = -Infinity, prevM: string | null = null;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k]!;
      if (leaf.prev !== (leaves[k - 1] ?? null) || leaf.next !== (leaves[k + 1] ?? null)) {
        throw new Error("broken leaf links");
      }
      for (let j = 0; j < leaf.members.length; j++) {
        const s = leaf.scores[j]!, m = leaf.members[j]!;
        if (prevM !== null && !less(prevS, prevM, s, m)) throw new Error("out of order");
        prevS = s;
        prevM = m;
      }
    }
  }
}

function firstScore(node: Node): number {
  return node instanceof Leaf ? node.scores[0]! : node.keyScores[0]!;
}

function firstMember(node: Node): string {
  return node instanceof Leaf ? node.members[0]! : node.keyMembers[0]!;
}

function appendInner(to: Inner, from: Inner): void {
  for (let j = 0; j < from.children.length; j++) {
    to.children.push(from.children[j]!);
    to.counts.push(from.counts[j]!);
    to.keyScores.push(from.keyScores[j]!);
    to.keyMembers.push(from.keyMembers[j]!);
  }
}

function unlink(leaf: Leaf): void {
  if (leaf.prev !== null) leaf.prev.next = leaf.next;
  if (leaf.next !== null) leaf.next.prev = leaf.prev;
  leaf.prev = leaf.next = null;
}

/** The first index of the run whose element is not before (s, m). */
function lowerBound(ms: string[], ss: number[], s: number, m: string): number {
  let lo = 0, hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (less(ss[mid]!, ms[mid]!, s, m)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt(ms: string[], ss: number[], pos: number, s: number, m: string): void {
  let i = ms.length;
  ms.push(m);
  ss.push(s);
  for (; i > pos; i--) {
    ms[i] = ms[i - 1]!;
    ss[i] = ss[i - 1]!;
  }
  ms[pos] = m;
  ss[pos] = s;
}

function removeAt(ms: string[], ss: number[], pos: number): void {
  const n = ms.length - 1;
  for (let i = pos; i < n; i++) {
    ms[i] = ms[i + 1]!;
    ss[i] = ss[i + 1]!;
  }
  ms.pop();
  ss.pop();
}

// ---- The listpack form ----
//
// A small sorted set is one flat byte string of entries in (score, member) order: the member's
// length (one char below 128, else 7 bits per char, low bits first, high bit set on all but the
// last), the member's bytes, then the score's 8 IEEE 754 bytes. One string per set costs its
// header and the bytes, where arrays of members and scores would cost three heap objects plus a
// string per member (about 3x the memory for typical small sets).

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const SCORE_SIZE = 8;

function scoreAt(lp: string, at: number): number {
  for (let i = 0; i < SCORE_SIZE; i++) F64_BYTES[i] = lp.charCodeAt(at + i);
  return F64[0]!;
}

/**
 * A score as the listpack stores it. Redis writes the text "-0", which the listpack keeps as
 * the integer 0, so -0 loses its sign there (a skiplist keeps it).
 */
function scoreChars(score: number): string {
  F64[0] = score === 0 ? 0 : score;
  const b = F64_BYTES;
  return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!);
}

const SHORT_HEADERS: string[] = [];
for (let i = 0; i < 0x80; i++) SHORT_HEADERS.push(String.fromCharCode(i));

function header(length: number): string {
  if (length < 0x80) return SHORT_HEADERS[length]!;
  let out = "";
  while (length >= 0x80) {
    out += String.fromCharCode(0x80 | (length % 128));
    length = Math.floor(length / 128);
  }
  return out + String.fromCharCode(length);
}

function entry(member: string, score: number): string {
  return header(member.length) + member + scoreChars(score);
}

// The member of the entry last read by readEntry, and the rank of the last entry found by
// Zset.find (no tuple allocated per entry).
let memberStart = 0;
let memberLength = 0;
let foundRank = 0;
/** Limits that never convert (a listpack member re-inserted with a new score). */
const NO_LIMITS: ZsetLimits = { maxEntries: Infinity, maxValue: Infinity };

/** Reads the entry at pos into memberStart/memberLength; returns the next entry's position. */
function readEntry(lp: string, pos: number): number {
  let length = lp.charCodeAt(pos);
  if (length < 0x80) {
    memberStart = pos + 1;
  } else {
    let n = 0, scale = 1;
    length = 0;
    let c = lp.charCodeAt(pos);
    while (c >= 0x80) {
      length += (c & 0x7f) * scale;
      scale *= 128;
      c = lp.charCodeAt(pos + ++n);
    }
    length += c * scale;
    memberStart = pos + n + 1;
  }
  memberLength = length;
  return memberStart + length + SCORE_SIZE;
}

/** Compares the bytes lp[start, start + length) with `s`, like memcmp then the lengths. */
function compareMember(lp: string, start: number, length: number, s: string): number {
  const n = Math.min(length, s.length);
  for (let i = 0; i < n; i++) {
    const d = lp.charCodeAt(start + i) - s.charCodeAt(i);
    if (d !== 0) return d;
  }
  return length - s.length;
}

/**
 * Concatenation through join: V8 then allocates one flat string, where `+` would build a rope
 * that keeps every previous version of the listpack alive.
 */
function concat(parts: string[]): string {
  return parts.join("");
}

const COPY_BUFFER = new Uint8Array(1024);

/**
 * A copy of lp[start, end) that does not keep lp alive (V8's slices of 13 chars or more
 * point into their parent): for members that outlive the listpack.
 */
function detached(lp: string, start: number, end: number): string {
  const n = end - start;
  if (n < 13) return lp.slice(start, end);
  const buf = n <= COPY_BUFFER.length ? COPY_BUFFER : new Uint8Array(n);
  for (let i = 0; i < n; i++) buf[i] = lp.charCodeAt(start + i);
  return latin1(buf, 0, n);
}

function sliced(lp: string, start: number, end: number): string {
  return lp.slice(start, end);
}

// ---- The sorted set ----

/** The skiplist encoding's two views of the same elements. */
interface Big {
  dict: Map<string, number>;
  tree: ScoreTree;
}

/** A lex range bound: null is `-` as a minimum, `+` as a maximum. */
export type LexBound = string | null;

/**
 * A sorted set. Small ones are a listpack string (above): O(n) updates for n <=
 * zset-max-listpack-entries, as in Redis. Past either threshold a set converts for good to
 * the Map + tree form (Redis never converts back either, so OBJECT ENCODING answers alike).
 */
export class Zset implements RedisObject {
  /** listpack encoding: the packed entries ("" once a skiplist). */
  private lp = "";
  /** listpack encoding: the number of entries. */
  private count = 0;
  private big: Big | null = null;
  /** used_memory's estimate of this value (lib/store/memory.ts). */
  mem = 0;

  get type(): "zset" {
    return "zset";
  }

  /**
   * A set of the given elements (sorted by (score, member), distinct; the arrays are taken
   * over) in the encoding Redis picks for that content (zsetConvertToListpackIfNeeded).
   */
  static fromSorted(members: string[], scores: number[], limits: ZsetLimits): Zset {
    const z = new Zset();
    if (members.length <= limits.maxEntries && maxLength(members) <= limits.maxValue) {
      const parts = new Array<string>(members.length);
      for (let i = 0; i < members.length; i++) parts[i] = entry(members[i]!, scores[i]!);
      z.lp = concat(parts);
      z.count = members.length;
    } else {
      const dict = new Map<string, number>();
      for (let i = 0; i < members.length; i++) dict.set(members[i]!, scores[i]!);
      z.big = { dict, tree: ScoreTree.build(members, scores) };
    }
    return z;
  }

  encoding(): string {
    return this.big === null ? "listpack" : "skiplist";
  }

  duplicate(): Zset {
    const z = new Zset();
    if (this.big === null) {
      z.lp = this.lp;
      z.count = this.count;
    } else {
      const members: string[] = [], scores: number[] = [];
      this.forRange(0, this.size, false, (m, s) => {
        members.push(m);
        scores.push(s);
      });
      z.big = { dict: new Map(this.big.dict), tree: ScoreTree.build(members, scores) };
    }
    return z;
  }

  get size(): number {
    return this.big === null ? this.count : this.big.tree.size;
  }

  /**
   * listpack: the position of the member's entry, or -1; its rank in foundRank. indexOf finds
   * where the member's bytes occur (a missing member usually costs that one native search);
   * the entries are walked only as far as each occurrence, to tell a member from bytes inside
   * another member or a score.
   */
  private find(member: string): number {
    const lp = this.lp, end = lp.length, length = member.length;
    let pos = 0, rank = 0;
    for (let at = lp.indexOf(member); at >= 0; at = lp.indexOf(member, at + 1)) {
      while (pos < end) {
        const next = readEntry(lp, pos);
        if (memberStart >= at) break;
        pos = next;
        rank++;
      }
      if (pos >= end) return -1;
      if (memberStart === at && memberLength === length) {
        foundRank = rank;
        return pos;
      }
    }
    return -1;
  }

  /** listpack: the position of the entry of rank r (the end of the string for r = count). */
  private seek(r: number): number {
    const lp = this.lp;
    let pos = 0;
    for (let i = 0; i < r; i++) pos = readEntry(lp, pos);
    return pos;
  }

  score(member: string): number | undefined {
    if (this.big !== null) return this.big.dict.get(member);
    const pos = this.find(member);
    if (pos < 0) return undefined;
    readEntry(this.lp, pos);
    return scoreAt(this.lp, memberStart + memberLength);
  }

  /** Adds a member that is not in the set, converting to the skiplist form past the limits. */
  insert(member: string, score: number, limits: ZsetLimits): void {
    if (
      this.big === null &&
      (this.count + 1 > limits.maxEntries || member.length > limits.maxValue)
    ) {
      this.convert();
    }
    if (this.big !== null) {
      this.big.dict.set(member, score);
      this.big.tree.insert(score, member);
      return;
    }
    // The first entry not before (score, member).
    const lp = this.lp, end = lp.length;
    let pos = 0;
    while (pos < end) {
      const next = readEntry(lp, pos);
      const s = scoreAt(lp, memberStart + memberLength);
      if (s > score || (s === score && compareMember(lp, memberStart, memberLength, member) > 0)) {
        break;
      }
      pos = next;
    }
    const added = entry(member, score);
    this.lp = pos === end ? concat([lp, added]) : concat([lp.slice(0, pos), added, lp.slice(pos)]);
    this.count++;
  }

  /** Moves a member of the set from its current score to `score`. */
  update(member: string, score: number): void {
    if (this.big !== null) {
      const old = this.big.dict.get(member)!;
      this.big.tree.delete(old, member);
      this.big.tree.insert(score, member);
      this.big.dict.set(member, score);
      return;
    }
    const pos = this.find(member);
    const next = readEntry(this.lp, pos);
    this.lp = this.count === 1 ? "" : concat([this.lp.slice(0, pos), this.lp.slice(next)]);
    this.count--;
    this.insert(member, score, NO_LIMITS);
  }

  /** Removes a member; false if it was not there. */
  remove(member: string): boolean {
    if (this.big !== null) {
      const score = this.big.dict.get(member);
      if (score === undefined) return false;
      this.big.dict.delete(member);
      this.big.tree.delete(score, member);
      return true;
    }
    const pos = this.find(member);
    if (pos < 0) return false;
    const next = readEntry(this.lp, pos);
    this.lp = this.count === 1 ? "" : concat([this.lp.slice(0, pos), this.lp.slice(next)]);
    this.count--;
    return true;
  }

  /** The 0-based rank of a member in score order, or undefined. */
  rank(member: string): number | undefined {
    if (this.big === null) return this.find(member) < 0 ? undefined : foundRank;
    const score = this.big.dict.get(member);
    return score === undefined ? undefined : this.big.tree.countBelow(BY_KEY, score, member);
  }

  /** How many elements have a score below `score` (or, inclusive, not above it). */
  countScoreBelow(score: number, inclusive: boolean): number {
    if (this.big !== null) {
      return this.big.tree.countBelow(inclusive ? BY_SCORE_LE : BY_SCORE_LT, score, "");
    }
    const lp = this.lp, end = lp.length;
    let pos = 0, n = 0;
    while (pos < end) {
      pos = readEntry(lp, pos);
      const s = scoreAt(lp, memberStart + memberLength);
      if (inclusive ? s > score : s >= score) break;
      n++;
    }
    return n;
  }

  /**
   * The ranks [start, end) of a lex range, for sets whose elements all have the same score
   * (otherwise the answer depends on the encoding, as in Redis). The listpack form is scanned
   * from the head like zzlFirstInLexRange, so it answers exactly as Redis's listpack does.
   */
  lexRange(min: LexBound, minEx: boolean, max: LexBound, maxEx: boolean): [number, number] {
    if (this.big === null) {
      const lp = this.lp, end = lp.length;
      let pos = 0, start = 0;
      while (pos < end) {
        const next = readEntry(lp, pos);
        if (min === null) break;
        const cmp = compareMember(lp, memberStart, memberLength, min);
        if (minEx ? cmp > 0 : cmp >= 0) break;
        pos = next;
        start++;
      }
      let stop = start;
      while (pos < end) {
        pos = readEntry(lp, pos);
        if (max !== null) {
          const cmp = compareMember(lp, memberStart, memberLength, max);
          if (maxEx ? cmp >= 0 : cmp > 0) break;
        }
        stop++;
      }
      return [start, stop];
    }
    const tree = this.big.tree;
    const start = min === null ? 0 : tree.countBelow(minEx ? BY_MEMBER_LE : BY_MEMBER_LT, 0, min);
    const end = max === null
      ? tree.size
      : tree.countBelow(maxEx ? BY_MEMBER_LT : BY_MEMBER_LE, 0, max);
    return [start, Math.max(start, end)];
  }

  /**
   * Calls fn for `count` elements from rank `start`, forwards or (reverse) backwards. A
   * listpack's members are slices of it unless `detach` asks for copies that may be kept.
   */
  forRange(
    start: number,
    count: number,
    reverse: boolean,
    fn: (member: string, score: number) => void,
    detach = false,
  ): void {
    if (count <= 0) return;
    if (this.big !== null) {
      this.big.tree.forRange(start, count, reverse, fn);
      return;
    }
    const lp = this.lp;
    const cut = detach ? detached : sliced;
    const first = reverse ? start - count + 1 : start;
    let pos = this.seek(first);
    if (!reverse) {
      for (let i = 0; i < count; i++) {
        pos = readEntry(lp, pos);
        const at = memberStart, length = memberLength;
        fn(cut(lp, at, at + length), scoreAt(lp, at + length));
      }
      return;
    }
    // Entries only read forwards: note where each one starts, then walk back.
    const starts = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      starts[i] = pos;
      pos = readEntry(lp, pos);
    }
    for (let i = count - 1; i >= 0; i--) {
      readEntry(lp, starts[i]!);
      const at = memberStart, length = memberLength;
      fn(cut(lp, at, at + length), scoreAt(lp, at + length));
    }
  }

  memberAt(rank: number): string {
    if (this.big !== null) return this.big.tree.memberAt(rank);
    readEntry(this.lp, this.seek(rank));
    return this.lp.slice(memberStart, memberStart + memberLength);
  }

  scoreAt(rank: number): number {
    if (this.big !== null) return this.big.tree.scoreAt(rank);
    readEntry(this.lp, this.seek(rank));
    return scoreAt(this.lp, memberStart + memberLength);
  }

  /** Removes the elements of ranks [start, start + count); returns how many went. */
  deleteRange(start: number, count: number): number {
    if (count <= 0) return 0;
    if (this.big === null) {
      const from = this.seek(start);
      let to = from;
      for (let i = 0; i < count; i++) to = readEntry(this.lp, to);
      this.lp = count === this.count ? "" : concat([this.lp.slice(0, from), this.lp.slice(to)]);
      this.count -= count;
      return count;
    }
    const { dict, tree } = this.big;
    const n = tree.size;
    // One delete costs O(log n); past n / log n deletes a rebuild of what is left is cheaper.
    if (count * Math.log2(n + 1) <= n) {
      for (let k = 0; k < count; k++) {
        const member = tree.memberAt(start);
        tree.delete(tree.scoreAt(start), member);
        dict.delete(member);
      }
      return count;
    }
    const keepMembers: string[] = [], keepScores: number[] = [];
    let rank = 0;
    tree.forRange(0, n, false, (m, s) => {
      if (rank < start || rank >= start + count) {
        keepMembers.push(m);
        keepScores.push(s);
      } else {
        dict.delete(m);
      }
      rank++;
    });
    this.big.tree = ScoreTree.build(keepMembers, keepScores);
    return count;
  }

  /** The member→score Map of the skiplist form (SCAN cursors walk it), or null for listpack. */
  get dict(): Map<string, number> | null {
    return this.big === null ? null : this.big.dict;
  }

  /** Checks the order of the listpack, or the tree's invariants and both views (tests). */
  check(): void {
    if (this.big === null) {
      let prevS = -Infinity, prevM: string | null = null, n = 0;
      this.forRange(0, this.count, false, (m, s) => {
        if (prevM !== null && !less(prevS, prevM, s, m)) throw new Error("listpack out of order");
        prevS = s;
        prevM = m;
        n++;
      });
      if (this.seek(this.count) !== this.lp.length) throw new Error("listpack count mismatch");
      return;
    }
    this.big.tree.check();
    if (this.big.dict.size !== this.big.tree.size) throw new Error("dict and tree sizes differ");
    this.big.tree.forRange(0, this.big.tree.size, false, (m, s) => {
      if (!Object.is(this.big!.dict.get(m), s)) throw new Error(`dict disagrees on ${m}`);
    });
  }

  private convert(): void {
    const lp = this.lp;
    const members = new Array<string>(this.count), scores = new Array<number>(this.count);
    let pos = 0;
    for (let i = 0; i < this.count; i++) {
      pos = readEntry(lp, pos);
      members[i] = detached(lp, memberStart, memberStart + memberLength);
      scores[i] = scoreAt(lp, memberStart + memberLength);
    }
    const dict = new Map<string, number>();
    for (let i = 0; i < members.length; i++) dict.set(members[i]!, scores[i]!);
    this.big = { dict, tree: ScoreTree.build(members, scores) };
    this.lp = "";
    this.count = 0;
  }
}

function maxLength(members: string[]): number {
  let max = 0;
  for (const m of members) if (m.length > max) max = m.length;
  return max;
}
