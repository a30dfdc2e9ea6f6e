// The list type: a quicklist of packed nodes, each a byte string of length-prefixed entries.
// Mirrors Redis's quicklist.c over listpack.c; a list that fits one node keeps it inline.
import type { RedisObject } from "./keyspace.ts";

// Entry layout inside a node string: <len><bytes><len reversed>, the length in 1, 2 or 5
// bytes (< 0x80: one byte; < 0x4000: 0x80|hi, lo; else 0xC0 and 4 bytes big-endian). The
// trailing copy lets RPOP and negative indexes walk back from the end, like a listpack's
// backlen. A node of short elements costs 2 bytes per entry instead of a string object each.

const chr = String.fromCharCode;

/** Encoded size of an entry with `len` bytes of data. */
function entrySize(len: number): number {
  return len + (len < 0x80 ? 2 : len < 0x4000 ? 4 : 10);
}

function encodeEntry(e: string): string {
  const len = e.length;
  if (len < 0x80) {
    const b = chr(len);
    return b + e + b;
  }
  if (len < 0x4000) {
    const hi = 0x80 | (len >> 8), lo = len & 0xff;
    return chr(hi, lo) + e + chr(lo, hi);
  }
  const b3 = len >>> 24, b2 = (len >> 16) & 0xff, b1 = (len >> 8) & 0xff, b0 = len & 0xff;
  return chr(0xc0, b3, b2, b1, b0) + e + chr(b0, b1, b2, b3, 0xc0);
}

// The entry the last decode found: its data starts at `dataStart` and has `dataLen` bytes.
let dataStart = 0;
let dataLen = 0;

/** Decodes the entry starting at `off`; returns the offset just past it. */
function decodeAt(p: string, off: number): number {
  const b = p.charCodeAt(off);
  if (b < 0x80) {
    dataStart = off + 1;
    dataLen = b;
    return off + 2 + b;
  }
  if (b < 0xc0) {
    dataStart = off + 2;
    dataLen = ((b & 0x3f) << 8) | p.charCodeAt(off + 1);
    return off + 4 + dataLen;
  }
  dataStart = off + 5;
  dataLen = ((p.charCodeAt(off + 1) << 24) | (p.charCodeAt(off + 2) << 16) |
    (p.charCodeAt(off + 3) << 8) | p.charCodeAt(off + 4)) >>> 0;
  return off + 10 + dataLen;
}

/** Decodes the entry ending at `end`; returns the offset where it starts. */
function decodeBefore(p: string, end: number): number {
  const b = p.charCodeAt(end - 1);
  if (b < 0x80) {
    dataLen = b;
    dataStart = end - 1 - b;
    return dataStart - 1;
  }
  if (b < 0xc0) {
    dataLen = ((b & 0x3f) << 8) | p.charCodeAt(end - 2);
    dataStart = end - 2 - dataLen;
    return dataStart - 2;
  }
  dataLen = ((p.charCodeAt(end - 2) << 24) | (p.charCodeAt(end - 3) << 16) |
    (p.charCodeAt(end - 4) << 8) | p.charCodeAt(end - 5)) >>> 0;
  dataStart = end - 5 - dataLen;
  return dataStart - 5;
}

/** Byte offset of the entry at `index` in a node (walking from the nearer end). */
function offsetOf(node: Pack, index: number): number {
  const p = node.p;
  if (index <= node.n >> 1) {
    let off = 0;
    for (let i = 0; i < index; i++) off = decodeAt(p, off);
    return off;
  }
  let off = p.length;
  for (let i = node.n; i > index; i--) off = decodeBefore(p, off);
  return off;
}

let flatSink = 0;

/**
 * Makes V8 copy a concatenation into one flat string (reading a char flattens a cons
 * string), so a node costs its bytes and not a tree of string pieces.
 */
function flatten(s: string): string {
  flatSink ^= s.charCodeAt(s.length - 1);
  return s;
}

/**
 * Pushes append to a node as string concatenations, which V8 keeps as a tree of pieces until
 * the string is read. A node is flattened once it has taken about one push per this many
 * bytes: the copy costs O(1) per push on average and the pieces stay a bounded overhead.
 */
const FLATTEN_BYTES = 256;

/** A packed node: `n` entries in the byte string `p` (Redis's listpack). */
interface Pack {
  p: string;
  n: number;
  /** Pushes since the node string was last flattened. */
  pend: number;
}

class Node implements Pack {
  prev: Node | null = null;
  next: Node | null = null;
  constructor(public p: string, public n: number, public pend: number) {}
}

/** The nodes of a list that outgrew one node (Redis's quicklist). */
class Quicklist {
  count = 0;
  constructor(public head: Node, public tail: Node) {}
}

// Node limits from list-max-listpack-size: negative values cap a node's bytes (-1: 4kb ...
// -5: 64kb), positive ones its entries, with Redis's 8kb safety limit on bytes.
let configuredFill = -2;
let maxBytes = 8192;
let maxEntries = Infinity;

/** Applies `list-max-listpack-size` to the nodes built from now on. */
export function setListMaxListpackSize(fill: number): void {
  if (fill === configuredFill) return;
  configuredFill = fill;
  if (fill < 0) {
    maxBytes = 4096 * 2 ** Math.min(-fill - 1, 4);
    maxEntries = Infinity;
  } else {
    maxBytes = 8192;
    maxEntries = Math.max(fill, 1);
  }
}

/** True when an entry of `size` encoded bytes may join the node. */
function fits(node: Pack, size: number): boolean {
  return node.n === 0 || (node.n < maxEntries && node.p.length + size <= maxBytes);
}

function oversized(node: Pack): boolean {
  return node.n > 1 && (node.n > maxEntries || node.p.length > maxBytes);
}

function packPush(node: Pack, e: string, head: boolean): void {
  const entry = encodeEntry(e);
  node.p = head ? entry + node.p : node.p + entry;
  node.n++;
  if (++node.pend * FLATTEN_BYTES >= node.p.length) {
    flatten(node.p);
    node.pend = 0;
  }
}

function packPop(node: Pack, head: boolean): string {
  const p = node.p;
  let value: string;
  if (head) {
    const next = decodeAt(p, 0);
    value = p.substring(dataStart, dataStart + dataLen);
    node.p = p.substring(next);
  } else {
    const start = decodeBefore(p, p.length);
    value = p.substring(dataStart, dataStart + dataLen);
    node.p = p.substring(0, start);
  }
  node.pend = 0;
  node.n--;
  return value;
}

/** Replaces bytes [from, to) of the node's string. */
function splice(node: Pack, from: number, to: number, insert: string): void {
  const p = node.p;
  node.p = flatten(p.substring(0, from) + insert + p.substring(to));
  node.pend = 0;
}

/** Removes `count` entries from one end of a node. */
function packDelete(node: Pack, count: number, head: boolean): void {
  if (count >= node.n) {
    node.p = "";
    node.n = 0;
    node.pend = 0;
    return;
  }
  const p = node.p;
  if (head) {
    let off = 0;
    for (let i = 0; i < count; i++) off = decodeAt(p, off);
    node.p = p.substring(off);
  } else {
    let off = p.length;
    for (let i = 0; i < count; i++) off = decodeBefore(p, off);
    node.p = p.substring(0, off);
  }
  node.n -= count;
  node.pend = 0;
}

/** Index inside the node `locate` returned. */
let localIndex = 0;

/**
 * A Redis list. Small lists hold their only node's fields (p, n, pend) inline; bigger ones
 * have a Quicklist in `q`. OBJECT ENCODING is "quicklist" either way, as in Redis 7.0.
 */
export class ListObject implements RedisObject, Pack {
  p = "";
  n = 0;
  pend = 0;
  q: Quicklist | null = null;
  /** used_memory's estimate of this value (lib/store/memory.ts). */
  mem = 0;

  get type(): "list" {
    return "list";
  }

  encoding(): string {
    return "quicklist";
  }

  get length(): number {
    return this.q === null ? this.n : this.q.count;
  }

  duplicate(): ListObject {
    const copy = new ListObject();
    copy.p = this.p;
    copy.n = this.n;
    copy.pend = this.pend;
    const q = this.q;
    if (q !== null) {
      let first: Node | null = null;
      let last: Node | null = null;
      for (let node: Node | null = q.head; node !== null; node = node.next) {
        const dup = new Node(node.p, node.n, node.pend);
        if (last === null) first = dup;
        else {
          last.next = dup;
          dup.prev = last;
        }
        last = dup;
      }
      copy.q = new Quicklist(first!, last!);
      copy.q.count = q.count;
    }
    return copy;
  }

  /** LPUSH (head) or RPUSH of one element. */
  push(e: string, head: boolean): void {
    const size = entrySize(e.length);
    const q = this.q;
    if (q === null) {
      if (fits(this, size)) {
        packPush(this, e, head);
        return;
      }
      this.toQuicklist();
      this.push(e, head);
      return;
    }
    const end = head ? q.head : q.tail;
    if (fits(end, size)) {
      packPush(end, e, head);
    } else {
      const node = new Node("", 0, 0);
      packPush(node, e, head);
      // The old end node is now interior: no more pushes, so make it one flat string.
      flatten(end.p);
      end.pend = 0;
      if (head) {
        node.next = end;
        end.prev = node;
        q.head = node;
      } else {
        node.prev = end;
        end.next = node;
        q.tail = node;
      }
    }
    q.count++;
  }

  /** LPOP (head) or RPOP of one element; undefined when empty. */
  pop(head: boolean): string | undefined {
    const q = this.q;
    if (q === null) return this.n === 0 ? undefined : packPop(this, head);
    const end = head ? q.head : q.tail;
    const value = packPop(end, head);
    q.count--;
    if (end.n === 0) this.unlink(end);
    return value;
  }

  /** The element at index (negative counts from the tail), or undefined when out of range. */
  get(index: number): string | undefined {
    const len = this.length;
    if (index < 0) index += len;
    if (index < 0 || index >= len) return undefined;
    const node = this.locate(index);
    const p = node.p;
    decodeAt(p, offsetOf(node, localIndex));
    return p.substring(dataStart, dataStart + dataLen);
  }

  /** LSET: replaces the element at index (negative from the tail); false when out of range. */
  set(index: number, e: string): boolean {
    const len = this.length;
    if (index < 0) index += len;
    if (index < 0 || index >= len) return false;
    const node = this.locate(index);
    const off = offsetOf(node, localIndex);
    const end = decodeAt(node.p, off);
    splice(node, off, end, encodeEntry(e));
    this.rebalance(node);
    return true;
  }

  /**
   * LINSERT: inserts e before or after the first element equal to pivot (from the head).
   * Returns false when there is no such element.
   */
  insert(pivot: string, e: string, after: boolean): boolean {
    for (let node = this.firstNode(); node !== null; node = this.nextNode(node)) {
      const p = node.p;
      let off = 0;
      for (let i = 0; i < node.n; i++) {
        const next = decodeAt(p, off);
        if (dataLen === pivot.length && p.startsWith(pivot, dataStart)) {
          const at = after ? next : off;
          splice(node, at, at, encodeEntry(e));
          node.n++;
          if (this.q !== null) this.q.count++;
          this.rebalance(node);
          return true;
        }
        off = next;
      }
    }
    return false;
  }

  /**
   * LREM: removes up to |count| elements equal to e, from the head when count >= 0 and from
   * the tail when negative (0 removes all). Returns the number removed.
   */
  remove(e: string, count: number): number {
    const fromTail = count < 0;
    let left = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    let node = fromTail ? this.lastNode() : this.firstNode();
    while (node !== null && left > 0) {
      let following = fromTail ? this.prevNode(node) : this.nextNode(node);
      const n = removeFromNode(node, e, left, fromTail);
      removed += n;
      left -= n;
      if (n > 0 && this.q !== null) {
        this.q.count -= n;
        if (node.n === 0) {
          this.unlink(node as Node);
          // Down to one node: it now lives inline, and it can only be the following one.
          if (this.q === null && following !== null) following = this;
        }
      }
      node = following;
    }
    return removed;
  }

  /** Removes `count` elements from the head or the tail (LTRIM, pops with a count). */
  deleteRange(count: number, head: boolean): void {
    while (count > 0 && this.q !== null) {
      const end = head ? this.q.head : this.q.tail;
      const k = Math.min(count, end.n);
      packDelete(end, k, head);
      this.q.count -= k;
      count -= k;
      if (end.n === 0) this.unlink(end);
    }
    if (count > 0 && this.q === null) packDelete(this, count, head);
  }

  /** Iterates from the element at `index` (0 <= index < length) toward the tail or the head. */
  iterator(index: number, reverse: boolean): ListIterator {
    return new ListIterator(this, index, reverse);
  }

  /**
   * Calls fn with `count` elements from index `start` (0 <= start, start + count <= length),
   * toward the tail, or from `start` toward the head when reverse.
   */
  forRange(start: number, count: number, reverse: boolean, fn: (e: string) => void): void {
    const it = new ListIterator(this, start, reverse);
    for (let i = 0; i < count && it.next(); i++) fn(it.value());
  }

  // --- nodes ---------------------------------------------------------------------------

  private firstNode(): Pack | null {
    return this.q === null ? (this.n === 0 ? null : this) : this.q.head;
  }

  private lastNode(): Pack | null {
    return this.q === null ? (this.n === 0 ? null : this) : this.q.tail;
  }

  private nextNode(node: Pack): Pack | null {
    return this.q === null ? null : (node as Node).next;
  }

  private prevNode(node: Pack): Pack | null {
    return this.q === null ? null : (node as Node).prev;
  }

  /** The node holding element `index` (in range); the index inside it goes to localIndex. */
  locate(index: number): Pack {
    const q = this.q;
    if (q === null) {
      localIndex = index;
      return this;
    }
    if (index < q.count >> 1) {
      let node = q.head;
      while (index >= node.n) {
        index -= node.n;
        node = node.next!;
      }
      localIndex = index;
      return node;
    }
    let fromTail = q.count - 1 - index;
    let node = q.tail;
    while (fromTail >= node.n) {
      fromTail -= node.n;
      node = node.prev!;
    }
    localIndex = node.n - 1 - fromTail;
    return node;
  }

  /** Moves the inline node into a quicklist (the list outgrew one node). */
  private toQuicklist(): void {
    const node = new Node(flatten(this.p), this.n, 0);
    this.q = new Quicklist(node, node);
    this.q.count = node.n;
    this.p = "";
    this.n = 0;
    this.pend = 0;
  }

  /** Removes an empty node; a list left with one node holds it inline again. */
  private unlink(node: Node): void {
    const q = this.q!;
    if (node.prev === null) q.head = node.next!;
    else node.prev.next = node.next;
    if (node.next === null) q.tail = node.prev!;
    else node.next.prev = node.prev;
    if (q.head === q.tail) {
      const only = q.head;
      this.p = only.p;
      this.n = only.n;
      this.pend = only.pend;
      this.q = null;
    }
  }

  /** Splits a node that LSET or LINSERT made larger than the limits. */
  private rebalance(node: Pack): void {
    if (!oversized(node)) return;
    if (this.q === null) {
      this.toQuicklist();
      node = this.q!.head;
    }
    this.split(node as Node);
  }

  private split(node: Node): void {
    if (!oversized(node)) return;
    const half = node.n >> 1;
    const off = offsetOf(node, half);
    const right = new Node(flatten(node.p.substring(off)), node.n - half, 0);
    node.p = flatten(node.p.substring(0, off));
    node.n = half;
    node.pend = 0;
    right.next = node.next;
    right.prev = node;
    if (node.next === null) this.q!.tail = right;
    else node.next.prev = right;
    node.next = right;
    this.split(node);
    this.split(right);
  }
}

/** Removes up to `limit` entries equal to e from one node, scanning in the given direction. */
function removeFromNode(node: Pack, e: string, limit: number, fromTail: boolean): number {
  const p = node.p;
  // Byte ranges [start, end) to drop, in ascending order.
  const drops: number[] = [];
  if (fromTail) {
    let end = p.length;
    for (let i = 0; i < node.n && drops.length < limit * 2; i++) {
      const start = decodeBefore(p, end);
      if (dataLen === e.length && p.startsWith(e, dataStart)) drops.push(end, start);
      end = start;
    }
    drops.reverse();
  } else {
    let off = 0;
    for (let i = 0; i < node.n && drops.length < limit * 2; i++) {
      const next = decodeAt(p, off);
      if (dataLen === e.length && p.startsWith(e, dataStart)) drops.push(off, next);
      off = next;
    }
  }
  const n = drops.length >> 1;
  if (n === 0) return 0;
  let kept = "";
  let at = 0;
  for (let i = 0; i < drops.length; i += 2) {
    kept += p.substring(at, drops[i]!);
    at = drops[i + 1]!;
  }
  kept += p.substring(at);
  node.p = flatten(kept);
  node.n -= n;
  node.pend = 0;
  return n;
}

/** Walks a list's elements from a position, toward the tail or (reverse) the head. */
export class ListIterator {
  private node: Pack | null;
  private off: number;
  /** The current element: bytes [start, start + len) of `current`. */
  private current = "";
  private start = 0;
  private len = 0;

  constructor(private list: ListObject, index: number, private reverse: boolean) {
    if (index < 0 || index >= list.length) {
      this.node = null;
      this.off = 0;
      return;
    }
    const node = list.locate(index);
    this.node = node;
    this.off = offsetOf(node, localIndex);
    if (reverse) this.off = decodeAt(node.p, this.off);
  }

  /** Moves to the next element; false when there is none. */
  next(): boolean {
    let node = this.node;
    if (node === null) return false;
    if (this.reverse) {
      while (this.off === 0) {
        node = this.list.q === null ? null : (node as Node).prev;
        if (node === null) return this.end();
        this.node = node;
        this.off = node.p.length;
      }
      this.off = decodeBefore(node.p, this.off);
    } else {
      while (this.off >= node.p.length) {
        node = this.list.q === null ? null : (node as Node).next;
        if (node === null) return this.end();
        this.node = node;
        this.off = 0;
      }
      this.off = decodeAt(node.p, this.off);
    }
    this.current = node.p;
    this.start = dataStart;
    this.len = dataLen;
    return true;
  }

  private end(): boolean {
    this.node = null;
    return false;
  }

  /** The current element. */
  value(): string {
    return this.current.substring(this.start, this.start + this.len);
  }

  /** True when the current element equals s (no copy). */
  equals(s: string): boolean {
    return this.len === s.length && this.current.startsWith(s, this.start);
  }
}
