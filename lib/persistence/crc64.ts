// CRC-64/Jones as Redis computes it (crc64.c): reflected, polynomial 0xad93d23594c935a9, no
// final xor. RDB files and DUMP payloads end with it. 64-bit state kept as two uint32 halves.

/** Table for the reflected polynomial, split into high and low 32-bit words per byte value. */
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
{
  // 0x95ac9329ac4bc9b5 is 0xad93d23594c935a9 with its bits reversed.
  const polyHi = 0x95ac9329, polyLo = 0xac4bc9b5;
  for (let n = 0; n < 256; n++) {
    let hi = 0, lo = n;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ polyHi) >>> 0;
        lo = (lo ^ polyLo) >>> 0;
      }
    }
    TABLE_HI[n] = hi;
    TABLE_LO[n] = lo;
  }
}

/** A running CRC-64 value (crc64(0, ...) in Redis starts from zero). */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let hi = this.hi, lo = this.lo;
    for (let i = start; i < end; i++) {
      const index = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]!;
      hi = (hi >>> 8) ^ TABLE_HI[index]!;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }

  /** The 8 bytes little-endian, as Redis stores the checksum. */
  bytes(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.lo, true);
    view.setUint32(4, this.hi, true);
    return out;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

/** The CRC-64 of bytes[start, end). */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): Crc64 {
  const crc = new Crc64();
  crc.update(bytes, start, end);
  return crc;
}
