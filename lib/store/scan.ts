// Cursors for SCAN-family commands. Redis's cursor walks hash buckets in reverse-binary order;
// a JS Map has no buckets, but its iterators stay valid while the Map changes (they see every
// entry present for the whole walk, and skip deleted ones). So a cursor names a live iterator.

const MAX_LIVE = 1024;

interface Walk<T> {
  source: object;
  iterator: Iterator<T>;
}

export class ScanCursors<T> {
  private live = new Map<string, Walk<T>>();
  private nextId = 1 + Math.floor(Math.random() * 1e9);

  /**
   * The iterator to continue for `cursor` over `source`. Cursor "0", or a cursor this
   * registry no longer knows, starts a new walk (the reply may then repeat elements, which
   * SCAN allows, but never misses one).
   */
  resume(cursor: string, source: object, start: () => Iterator<T>): Iterator<T> {
    const walk = this.live.get(cursor);
    if (walk !== undefined) {
      this.live.delete(cursor);
      if (walk.source === source) return walk.iterator;
    }
    return start();
  }

  /** Parks an unfinished walk and returns the cursor that continues it. */
  park(source: object, iterator: Iterator<T>): string {
    if (this.live.size >= MAX_LIVE) {
      this.live.delete(this.live.keys().next().value!);
    }
    const cursor = String(this.nextId++);
    this.live.set(cursor, { source, iterator });
    return cursor;
  }
}

/** Redis accepts any unsigned 64-bit decimal as a cursor. */
export function isValidCursor(text: string): boolean {
  return /^\d{1,20}$/.test(text) && BigInt(text) <= 18446744073709551615n;
}
