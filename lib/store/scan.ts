// Cursors for SCAN-family commands. Redis's cursor walks hash buckets in reverse-binary order;
// a JS Map has no buckets, but its iterators stay valid while the Map changes (they see every
// entry present for the whole walk, and skip deleted ones). So a cursor names a live iterator.

const MAX_LIVE = 1024;
/** Live walks kept per collection (HSCAN, SSCAN...): the oldest is dropped past this. */
const MAX_LIVE_PER_COLLECTION = 64;

/** A Map or Set being walked. */
export interface ScanSource {
  readonly size: number;
}

interface Walk<T> {
  source: ScanSource;
  iterator: Iterator<T>;
  /**
   * Elements still to take. Iteration follows insertion order, so the entries present when
   * the walk started come first: after `size`-at-start elements every one of them that
   * survived has been returned, and the walk ends even while new keys keep arriving.
   */
  remaining: number;
  /** The element read ahead to learn whether the walk was over; returned next time. */
  pending: T | undefined;
  hasPending: boolean;
}

export class ScanCursors<T> {
  private live = new Map<string, Walk<T>>();
  private nextId = 1 + Math.floor(Math.random() * 1e9);

  /** `maxLive`: how many unfinished walks are remembered before the oldest is dropped. */
  constructor(private readonly maxLive = MAX_LIVE) {}

  /**
   * Takes up to `count` elements of the walk named by `cursor` (a canonical cursor, see
   * parseCursor) over `source`, and the cursor that continues it: "0" when the walk is over.
   * Cursor "0", or a cursor this registry no longer knows, starts a new walk with `start`
   * (the walk may then repeat elements, which SCAN allows, but never misses one).
   */
  next(
    cursor: string,
    source: ScanSource,
    start: () => Iterator<T>,
    count: number,
  ): { elements: T[]; cursor: string } {
    let walk = this.live.get(cursor);
    if (walk !== undefined) this.live.delete(cursor);
    if (walk === undefined || walk.source !== source) {
      walk = {
        source,
        iterator: start(),
        remaining: source.size,
        pending: undefined,
        hasPending: false,
      };
    }
    const elements: T[] = [];
    if (walk.hasPending) {
      elements.push(walk.pending as T);
      walk.pending = undefined;
      walk.hasPending = false;
    }
    while (elements.length < count && walk.remaining > 0) {
      const step = walk.iterator.next();
      if (step.done) return { elements, cursor: "0" };
      elements.push(step.value);
      walk.remaining--;
    }
    if (walk.remaining === 0) return { elements, cursor: "0" };
    // Read one ahead so that a walk that has just ended says so now, as Redis's does.
    const ahead = walk.iterator.next();
    if (ahead.done) return { elements, cursor: "0" };
    walk.remaining--;
    walk.pending = ahead.value;
    walk.hasPending = true;
    return { elements, cursor: this.park(walk) };
  }

  /** Drops every walk over `source` (a dict being freed: its iterators would keep it alive). */
  forget(source: ScanSource): void {
    if (this.live.size === 0) return;
    for (const [cursor, walk] of this.live) {
      if (walk.source === source) this.live.delete(cursor);
    }
  }

  private park(walk: Walk<T>): string {
    if (this.live.size >= this.maxLive) {
      this.live.delete(this.live.keys().next().value!);
    }
    const cursor = String(this.nextId++);
    this.live.set(cursor, walk);
    return cursor;
  }
}

const registries = new WeakMap<object, ScanCursors<unknown>>();

/**
 * The cursor registry of one collection (a hash's or set's HSCAN/SSCAN walks), made on first
 * use. It lives as long as the collection: abandoned walks never keep a deleted collection's
 * Map alive, and scans of one collection never push out another's or the keyspace's.
 */
export function collectionCursors<T>(collection: object): ScanCursors<T> {
  let cursors = registries.get(collection);
  if (cursors === undefined) {
    cursors = new ScanCursors<unknown>(MAX_LIVE_PER_COLLECTION);
    registries.set(collection, cursors);
  }
  return cursors as ScanCursors<T>;
}

const ULONG_MAX = 18446744073709551615n;

/**
 * Redis's parseScanCursorOrReply, which uses strtoul: optional sign (a negative cursor wraps
 * around 2^64), decimal digits, nothing else; "" is 0. Returns the cursor in canonical decimal,
 * or null for an invalid cursor.
 */
export function parseCursor(text: string): string | null {
  if (text === "0") return "0";
  const m = /^([+-]?)(\d*)$/.exec(text);
  if (m === null) return null;
  const digits = m[2]!;
  if (digits === "") return m[1] === "" ? "0" : null;
  const value = BigInt(digits);
  if (value > ULONG_MAX) return null;
  return (m[1] === "-" && value !== 0n ? (ULONG_MAX + 1n - value) : value).toString();
}

/** True when SCAN would accept `text` as a cursor. */
export function isValidCursor(text: string): boolean {
  return parseCursor(text) !== null;
}
