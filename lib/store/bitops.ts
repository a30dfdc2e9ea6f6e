// Bit-level algorithms on byte arrays: population count, first set or clear bit, bit fields and
// their overflow rules. Mirrors Redis's bitops.c (redisPopcount, redisBitpos, *Bitfield*).

/** Set bits in each byte value. */
const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >> 1]!;

/** Set bits of a byte value (0..255; 0 for anything shifted out). */
export function bitsInByte(byte: number): number {
  return BITS_IN_BYTE[byte & 0xff]!;
}

/** Set bits of a 32-bit word (SWAR). */
function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of set bits in bytes[start, end). */
export function popcount(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  let i = start;
  // Byte at a time up to a 4-byte aligned address, words in the middle, bytes at the tail.
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) count += BITS_IN_BYTE[bytes[i++]!]!;
  const words = (end - i) >> 2;
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) count += popcount32(view[w]!);
    i += words * 4;
  }
  while (i < end) count += BITS_IN_BYTE[bytes[i++]!]!;
  return count;
}

/**
 * Position of the first bit equal to `bit` among bits [from, to] (bit 0 is the most
 * significant bit of byte 0; both ends inside the array), or -1.
 */
export function bitpos(bytes: Uint8Array, from: number, to: number, bit: 0 | 1): number {
  const skip = bit === 1 ? 0 : 0xff; // a byte with no bit we look for
  let pos = from;
  while (pos <= to) {
    const byte = pos >> 3;
    const value = bytes[byte]!;
    if ((pos & 7) === 0 && pos + 7 <= to) {
      if (value === skip) {
        pos += 8;
        continue;
      }
      // The first matching bit of a whole byte: count leading bits that differ.
      const wanted = bit === 1 ? value : ~value & 0xff;
      return pos + Math.clz32(wanted) - 24;
    }
    if (((value >> (7 - (pos & 7))) & 1) === bit) return pos;
    pos++;
  }
  return -1;
}

/** Overflow behaviour of BITFIELD SET and INCRBY. */
export type OverflowType = "wrap" | "sat" | "fail";

/** An overflow check's outcome: 0, 1 (over the maximum) or -1 (under the minimum), and the value to store. */
export interface OverflowResult {
  overflow: -1 | 0 | 1;
  limit: bigint;
}

/** The unsigned `bits`-wide field at bit `offset`; bytes past the end read as zero. */
export function getUnsignedBitfield(bytes: Uint8Array, offset: number, bits: number): bigint {
  const first = Math.floor(offset / 8);
  const lead = offset % 8;
  const nbytes = (lead + bits + 7) >> 3;
  let window = 0n;
  for (let i = 0; i < nbytes; i++) window = (window << 8n) | BigInt(bytes[first + i] ?? 0);
  const shift = BigInt(nbytes * 8 - lead - bits);
  return (window >> shift) & ((1n << BigInt(bits)) - 1n);
}

/** The signed (two's complement) `bits`-wide field at bit `offset`. */
export function getSignedBitfield(bytes: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedBitfield(bytes, offset, bits));
}

/** Stores the low `bits` bits of `value` at bit `offset`; the bytes must already exist. */
export function setBitfield(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const first = Math.floor(offset / 8);
  const lead = offset % 8;
  const nbytes = (lead + bits + 7) >> 3;
  let window = 0n;
  for (let i = 0; i < nbytes; i++) window = (window << 8n) | BigInt(bytes[first + i]!);
  const shift = BigInt(nbytes * 8 - lead - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  window = (window & ~mask) | ((BigInt.asUintN(bits, value) << shift) & mask);
  for (let i = nbytes - 1; i >= 0; i--) {
    bytes[first + i] = Number(window & 0xffn);
    window >>= 8n;
  }
}

/**
 * checkUnsignedBitfieldOverflow: `value` (a uint64) plus `incr` (an int64) in a `bits`-wide
 * unsigned field, with C's 64-bit wrap-around in the intermediate values.
 */
export function checkUnsignedOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  type: OverflowType,
): OverflowResult {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrapped = () => BigInt.asUintN(bits, value + incr);
  if (value > max || (incr > 0n && incr > maxincr)) {
    return { overflow: 1, limit: type === "wrap" ? wrapped() : max };
  }
  if (incr < 0n && incr < minincr) {
    return { overflow: -1, limit: type === "wrap" ? wrapped() : 0n };
  }
  return { overflow: 0, limit: 0n };
}

/** checkSignedBitfieldOverflow: `value` plus `incr` (int64s) in a `bits`-wide signed field. */
export function checkSignedOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  type: OverflowType,
): OverflowResult {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  // Redis computes these in 64 bits and relies on checking `value` first where they wrap.
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  const wrapped = () => BigInt.asIntN(bits, value + incr);
  if (
    value > max || (bits !== 64 && incr > maxincr) ||
    (value >= 0n && incr > 0n && incr > maxincr)
  ) {
    return { overflow: 1, limit: type === "wrap" ? wrapped() : max };
  }
  if (
    value < min || (bits !== 64 && incr < minincr) ||
    (value < 0n && incr < 0n && incr < minincr)
  ) {
    return { overflow: -1, limit: type === "wrap" ? wrapped() : min };
  }
  return { overflow: 0, limit: 0n };
}
