// Readers for older containers Redis 7.0 still loads: the ziplist (ziplist.c; hashes, zsets and
// lists before 7.0) and the zipmap (zipmap.c; Redis 2.4 hashes). Entries are byte strings.
import { latin1 } from "../bytes.ts";

/** The entries of a ziplist, or null when it is corrupt. */
export function ziplistEntries(zl: Uint8Array): string[] | null {
  if (zl.length < 11) return null;
  const view = new DataView(zl.buffer, zl.byteOffset, zl.byteLength);
  if (view.getUint32(0, true) !== zl.length || zl[zl.length - 1] !== 0xff) return null;
  const declared = view.getUint16(8, true);
  const end = zl.length - 1;
  const out: string[] = [];
  let p = 10;
  while (p < end) {
    // prevlen: one byte, or 0xfe and four more.
    p += zl[p]! < 254 ? 1 : 5;
    if (p >= end) return null;
    const b = zl[p]!;
    let value: string;
    if (b >> 6 === 0) {
      const n = b & 0x3f;
      if (p + 1 + n > end) return null;
      value = latin1(zl, p + 1, p + 1 + n);
      p += 1 + n;
    } else if (b >> 6 === 1) {
      if (p + 2 > end) return null;
      const n = ((b & 0x3f) << 8) | zl[p + 1]!;
      if (p + 2 + n > end) return null;
      value = latin1(zl, p + 2, p + 2 + n);
      p += 2 + n;
    } else if (b === 0x80) {
      if (p + 5 > end) return null;
      const n = view.getUint32(p + 1, false);
      if (p + 5 + n > end) return null;
      value = latin1(zl, p + 5, p + 5 + n);
      p += 5 + n;
    } else {
      const width = b === 0xc0
        ? 2
        : b === 0xd0
        ? 4
        : b === 0xe0
        ? 8
        : b === 0xf0
        ? 3
        : b === 0xfe
        ? 1
        : 0;
      if (width === 0) {
        // 1111xxxx: an immediate 0..12 stored as xxxx - 1.
        if (b < 0xf1 || b > 0xfd) return null;
        value = String((b & 0x0f) - 1);
        p += 1;
      } else {
        if (p + 1 + width > end) return null;
        if (width === 8) value = view.getBigInt64(p + 1, true).toString();
        else if (width === 4) value = String(view.getInt32(p + 1, true));
        else if (width === 2) value = String(view.getInt16(p + 1, true));
        else if (width === 1) value = String(view.getInt8(p + 1));
        else {
          const u = zl[p + 1]! | (zl[p + 2]! << 8) | (zl[p + 3]! << 16);
          value = String(u >= 0x800000 ? u - 0x1000000 : u);
        }
        p += 1 + width;
      }
    }
    out.push(value);
  }
  if (p !== end) return null;
  if (declared !== 65535 && declared !== out.length) return null;
  return out;
}

/** The [field, value, field, value...] of a zipmap, or null when it is corrupt. */
export function zipmapPairs(zm: Uint8Array): string[] | null {
  if (zm.length < 2) return null;
  const view = new DataView(zm.buffer, zm.byteOffset, zm.byteLength);
  const out: string[] = [];
  let p = 1;
  // Lengths are one byte below 254, else 254 and a 4-byte little-endian length.
  const readLength = (): number => {
    if (p >= zm.length) return -1;
    const b = zm[p]!;
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b !== 254 || p + 5 > zm.length) return -1;
    const n = view.getUint32(p + 1, true);
    p += 5;
    return n;
  };
  while (p < zm.length && zm[p] !== 0xff) {
    const klen = readLength();
    if (klen < 0 || p + klen > zm.length) return null;
    const field = latin1(zm, p, p + klen);
    p += klen;
    const vlen = readLength();
    if (vlen < 0 || p >= zm.length) return null;
    const free = zm[p++]!;
    if (p + vlen + free > zm.length) return null;
    out.push(field, latin1(zm, p, p + vlen));
    p += vlen + free;
  }
  if (p !== zm.length - 1) return null;
  return out;
}
