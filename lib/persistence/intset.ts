// Redis's intset format (intset.c): a little-endian header (element width 2, 4 or 8 bytes and
// the count) followed by the sorted integers, little-endian. The blob of SET_INTSET values.
import type { IntMember } from "../store/set.ts";

function widthOf(v: IntMember): number {
  if (typeof v === "bigint") return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** The intset blob of ascending integers. */
export function intsetBytes(ints: readonly IntMember[]): Uint8Array {
  let width = 2;
  if (ints.length > 0) width = Math.max(widthOf(ints[0]!), widthOf(ints[ints.length - 1]!));
  const out = new Uint8Array(8 + ints.length * width);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, ints.length, true);
  for (let i = 0; i < ints.length; i++) {
    const v = ints[i]!, at = 8 + i * width;
    if (width === 2) view.setInt16(at, Number(v), true);
    else if (width === 4) view.setInt32(at, Number(v), true);
    else view.setBigInt64(at, BigInt(v), true);
  }
  return out;
}

/**
 * The integers of an intset blob (safe integers as numbers), or null when the blob is corrupt
 * (bad width or size, not strictly ascending).
 */
export function intsetMembers(blob: Uint8Array): IntMember[] | null {
  if (blob.length < 8) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const width = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  if ((width !== 2 && width !== 4 && width !== 8) || blob.length !== 8 + count * width) {
    return null;
  }
  const out: IntMember[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    let v: IntMember;
    if (width === 2) v = view.getInt16(at, true);
    else if (width === 4) v = view.getInt32(at, true);
    else {
      const big = view.getBigInt64(at, true);
      const small = Number(big);
      v = Number.isSafeInteger(small) ? small : big;
    }
    if (i > 0 && !(out[i - 1]! < v)) return null;
    out[i] = v;
  }
  return out;
}
