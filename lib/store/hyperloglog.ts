// HyperLogLog in Redis's exact string format: "HYLL" header, sparse and dense encodings of 16384
// 6-bit registers, MurmurHash64A and Ertl's estimator. Mirrors Redis's hyperloglog.c.
import { ByteString } from "./byte_string.ts";

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const HLL_ALPHA_INF = 0.721347520444481703680;

// Sparse opcodes: ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx yyyyyyyy (1..16384),
// VAL 1vvvvvxx (value 1..32 repeated 1..4 times).
const XZERO_BIT = 0x40;
const VAL_BIT = 0x80;
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;

const isZero = (b: number) => (b & 0xc0) === 0;
const isXzero = (b: number) => (b & 0xc0) === XZERO_BIT;
const zeroLen = (b: number) => (b & 0x3f) + 1;
/** XZERO's length at p[at]; its second byte reads as 0 past the end, like sds's terminator. */
const xzeroLen = (p: Uint8Array, at: number, end: number) =>
  (((p[at]! & 0x3f) << 8) | (at + 1 < end ? p[at + 1]! : 0)) + 1;
const valValue = (b: number) => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number) => (b & 0x3) + 1;
const valOp = (value: number, len: number) => ((value - 1) << 2) | (len - 1) | VAL_BIT;

// ---- MurmurHash64A on 32-bit halves ----

/** High and low words of the last mul64 (no pair allocated per multiply). */
let rhi = 0, rlo = 0;

/** (ah:al) * (bh:bl) mod 2^64 into rhi:rlo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const mid = a1 * b0 + a0 * b1; // < 2^33: exact in a double
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  rlo = low >>> 0;
  const carry = Math.floor(low / 4294967296) + Math.floor(mid / 65536);
  rhi = (a1 * b1 + carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

const M_HI = 0xc6a4a793, M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

/** The 64-bit hash of the last murmurHash64A call, as two 32-bit words. */
export let hashHi = 0, hashLo = 0;

/** Redis's MurmurHash64A (its endian-neutral variant) of a byte string, seed 0xadc83b19. */
export function murmurHash64A(key: string): void {
  const len = key.length;
  mul64(0, len, M_HI, M_LO);
  let hh = rhi, hl = (rlo ^ SEED) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kl = (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) |
      (key.charCodeAt(i + 2) << 16) | (key.charCodeAt(i + 3) << 24)) >>> 0;
    const kh = (key.charCodeAt(i + 4) | (key.charCodeAt(i + 5) << 8) |
      (key.charCodeAt(i + 6) << 16) | (key.charCodeAt(i + 7) << 24)) >>> 0;
    mul64(kh, kl, M_HI, M_LO);
    const xh = rhi, xl = (rlo ^ (rhi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(xh, xl, M_HI, M_LO);
    mul64((hh ^ rhi) >>> 0, (hl ^ rlo) >>> 0, M_HI, M_LO);
    hh = rhi;
    hl = rlo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // The tail bytes are XORed in at little-endian positions 0..6.
    for (let j = rest - 1; j >= 0; j--) {
      const b = key.charCodeAt(i + j);
      if (j >= 4) hh = (hh ^ (b << ((j - 4) * 8))) >>> 0;
      else hl = (hl ^ (b << (j * 8))) >>> 0;
    }
    mul64(hh, hl, M_HI, M_LO);
    hh = rhi;
    hl = rlo;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh, hl, M_HI, M_LO);
  hashHi = rhi;
  hashLo = (rlo ^ (rhi >>> 15)) >>> 0;
}

/** Register index of the last hllPatLen call. */
let patIndex = 0;

/**
 * hllPatLen: hashes the element, leaves its register in patIndex and returns the length of
 * the "000..1" pattern in the remaining 50 bits (1..51).
 */
function hllPatLen(ele: string): number {
  murmurHash64A(ele);
  patIndex = hashLo & HLL_P_MASK;
  // hash >>= 14, then bit 50 set so that the count is at most Q+1.
  const lo = ((hashLo >>> HLL_P) | (hashHi << (32 - HLL_P))) >>> 0;
  const hi = (hashHi >>> HLL_P) | (1 << (HLL_Q - 32));
  if (lo !== 0) return 32 - Math.clz32(lo & -lo);
  return 64 - Math.clz32(hi & -hi);
}

/** The register index and pattern length Redis derives from an element (hllPatLen). */
export function patLen(ele: string): [number, number] {
  const count = hllPatLen(ele);
  return [patIndex, count];
}

// ---- Header ----

/** isHLLObjectOrReply's checks of a string value (its type is already string). */
export function isValidHll(bytes: Uint8Array): boolean {
  if (bytes.length < HLL_HDR_SIZE) return false;
  // "HYLL"
  if (bytes[0] !== 72 || bytes[1] !== 89 || bytes[2] !== 76 || bytes[3] !== 76) return false;
  if (bytes[4]! > HLL_MAX_ENCODING) return false;
  return bytes[4] !== HLL_DENSE || bytes.length === HLL_DENSE_SIZE;
}

/** createHLLObject: a sparse HLL whose registers are all zero (XZERO opcodes). */
export function createHll(): ByteString {
  const sparselen = HLL_HDR_SIZE +
    Math.floor((HLL_REGISTERS + (XZERO_MAX_LEN - 1)) / XZERO_MAX_LEN) * 2;
  const hll = ByteString.zeros(sparselen);
  const p = hll.buf;
  p.set([72, 89, 76, 76, HLL_SPARSE]);
  let aux = HLL_REGISTERS, at = HLL_HDR_SIZE;
  while (aux > 0) {
    const xzero = Math.min(XZERO_MAX_LEN, aux);
    p[at] = ((xzero - 1) >> 8) | XZERO_BIT;
    p[at + 1] = (xzero - 1) & 0xff;
    at += 2;
    aux -= xzero;
  }
  return hll;
}

/** The cached cardinality, or -1 when the cache is invalid (top bit of card[7] set). */
export function cachedCount(bytes: Uint8Array): number {
  if ((bytes[15]! & 0x80) !== 0) return -1;
  let card = 0;
  for (let i = 15; i >= 8; i--) card = card * 256 + bytes[i]!;
  return card;
}

/** Stores a cardinality in the header cache (little endian, valid). */
export function setCachedCount(bytes: Uint8Array, card: number): void {
  for (let i = 8; i < 16; i++) {
    bytes[i] = card % 256;
    card = Math.floor(card / 256);
  }
}

/** HLL_INVALIDATE_CACHE. */
export function invalidateCache(bytes: Uint8Array): void {
  bytes[15]! |= 0x80;
}

// ---- Dense ----

function denseGet(p: Uint8Array, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const b0 = p[byte]!, b1 = p[byte + 1] ?? 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

function denseSetRegister(p: Uint8Array, regnum: number, val: number): void {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  p[byte] = (p[byte]! & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  // The last register's second byte is past the end (sds's NUL terminator): nothing to write.
  if (byte + 1 < HLL_DENSE_SIZE) {
    p[byte + 1] = (p[byte + 1]! & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
  }
}

/** hllDenseSet: raises register `index` to `count`; 1 if it changed. */
function hllDenseSet(p: Uint8Array, index: number, count: number): 0 | 1 {
  if (count > denseGet(p, index)) {
    denseSetRegister(p, index, count);
    return 1;
  }
  return 0;
}

/** The registers of a dense HLL, one byte each (PFDEBUG GETREG). */
export function denseRegisters(p: Uint8Array): Uint8Array {
  const out = new Uint8Array(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(p, i);
  return out;
}

// ---- Sparse ----

/**
 * hllSparseToDense: rewrites a sparse HLL as dense (the header, including the cached
 * cardinality, is kept). False when the sparse data does not cover exactly 16384 registers.
 */
export function hllSparseToDense(hll: ByteString): boolean {
  const p = hll.buf, end = hll.length;
  if (p[4] === HLL_DENSE) return true;
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  dense.set(p.subarray(0, HLL_HDR_SIZE));
  dense[4] = HLL_DENSE;
  let idx = 0, at = HLL_HDR_SIZE;
  while (at < end) {
    const b = p[at]!;
    if (isZero(b)) {
      idx += zeroLen(b);
      at++;
    } else if (isXzero(b)) {
      idx += xzeroLen(p, at, end);
      at += 2;
    } else {
      let runlen = valLen(b);
      const regval = valValue(b);
      if (runlen + idx > HLL_REGISTERS) break; // corrupt: more registers than there are
      while (runlen--) denseSetRegister(dense, idx++, regval);
      at++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  hll.buf = dense;
  hll.length = HLL_DENSE_SIZE;
  hll.touched();
  return true;
}

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, splitting and merging
 * opcodes exactly as Redis does (so the bytes are the same), and promoting to dense when the
 * value does not fit or the string would outgrow `sparseMax`. 1 if a register changed, 0 if
 * not, -1 if the HLL is corrupt.
 */
function hllSparseSet(
  hll: ByteString,
  index: number,
  count: number,
  sparseMax: number,
): -1 | 0 | 1 {
  if (count > VAL_MAX_VALUE) return promote(hll, index, count);
  // Room for the worst case (XZERO split into XZERO-VAL-XZERO) before taking positions.
  if (hll.buf.length < hll.length + 3) {
    const grown = new Uint8Array((hll.length + 3) * 2);
    grown.set(hll.buf.subarray(0, hll.length));
    hll.buf = grown;
  }
  const p = hll.buf;
  const sparse = HLL_HDR_SIZE;
  let end = hll.length;

  // Step 1: find the opcode that covers the register.
  let at = sparse, first = 0, prev = -1, span = 0;
  while (at < end) {
    const b = p[at]!;
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (b & VAL_BIT) span = valLen(b);
    else {
      span = xzeroLen(p, at, end);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = at;
    at += oplen;
    first += span;
  }
  if (span === 0 || at >= end) return -1;
  const op = p[at]!;
  let next = isXzero(op) ? at + 2 : at + 1;
  if (next >= end) next = -1;
  const zero = isZero(op), xzero = isXzero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(p, at, end) : valLen(op);

  // Step 2: the trivial cases in place, otherwise the split sequence.
  let done = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      p[at] = valOp(count, 1);
      done = true;
    }
  } else if (zero && runlen === 1) {
    p[at] = valOp(count, 1);
    done = true;
  }
  if (!done) {
    const seq: number[] = [];
    const last = first + span - 1;
    const zeros = (len: number) => {
      if (len > ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | XZERO_BIT, (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) zeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) zeros(last - index);
    } else {
      const curval = valValue(op);
      if (index !== first) seq.push(valOp(curval, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(curval, last - index));
    }
    // Step 3: the sequence replaces the old opcode.
    const deltalen = seq.length - (xzero ? 2 : 1);
    if (deltalen > 0 && hll.length + deltalen > sparseMax) return promote(hll, index, count);
    if (deltalen !== 0 && next >= 0) p.copyWithin(next + deltalen, next, end);
    hll.length += deltalen;
    for (let i = 0; i < seq.length; i++) p[at + i] = seq[i]!;
    end += deltalen;
  }

  // Step 4: merge adjacent VAL opcodes of equal value, up to 5 opcodes from prev.
  let q = prev >= 0 ? prev : sparse;
  let scanlen = 5;
  while (q < end && scanlen--) {
    const b = p[q]!;
    if (isXzero(b)) {
      q += 2;
      continue;
    } else if (isZero(b)) {
      q++;
      continue;
    }
    if (q + 1 < end && (p[q + 1]! & VAL_BIT) !== 0) {
      const v1 = valValue(b), v2 = valValue(p[q + 1]!);
      if (v1 === v2) {
        const len = valLen(b) + valLen(p[q + 1]!);
        if (len <= VAL_MAX_LEN) {
          p[q + 1] = valOp(v1, len);
          p.copyWithin(q, q + 1, end);
          hll.length--;
          end--;
          continue; // try to merge the result with the next one too
        }
      }
    }
    q++;
  }
  invalidateCache(p);
  hll.touched();
  return 1;
}

/** hllSparseSet's promote: dense first, then the update (which then always happens). */
function promote(hll: ByteString, index: number, count: number): -1 | 1 {
  if (!hllSparseToDense(hll)) return -1;
  hllDenseSet(hll.buf, index, count);
  return 1;
}

/** hllAdd: adds an element; 1 if a register changed, 0 if not, -1 if the HLL is corrupt. */
export function hllAdd(hll: ByteString, ele: string, sparseMax: number): -1 | 0 | 1 {
  const count = hllPatLen(ele);
  const encoding = hll.buf[4];
  if (encoding === HLL_DENSE) return hllDenseSet(hll.buf, patIndex, count);
  if (encoding === HLL_SPARSE) return hllSparseSet(hll, patIndex, count, sparseMax);
  return -1;
}

/** Raises register `index` to `count` in either encoding (PFMERGE's write loop). */
export function hllSet(hll: ByteString, index: number, count: number, sparseMax: number): void {
  if (hll.buf[4] === HLL_DENSE) hllDenseSet(hll.buf, index, count);
  else hllSparseSet(hll, index, count, sparseMax);
}

/**
 * hllMerge: max[i] = max(max[i], register i). False for a sparse HLL that does not cover
 * exactly 16384 registers.
 */
export function hllMerge(max: Uint8Array, bytes: Uint8Array): boolean {
  if (bytes[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const val = denseGet(bytes, i);
      if (val > max[i]!) max[i] = val;
    }
    return true;
  }
  let i = 0, at = HLL_HDR_SIZE;
  const end = bytes.length;
  while (at < end) {
    const b = bytes[at]!;
    if (isZero(b)) {
      i += zeroLen(b);
      at++;
    } else if (isXzero(b)) {
      i += xzeroLen(bytes, at, end);
      at += 2;
    } else {
      let runlen = valLen(b);
      const regval = valValue(b);
      if (runlen + i > HLL_REGISTERS) break;
      while (runlen--) {
        if (regval > max[i]!) max[i] = regval;
        i++;
      }
      at++;
    }
  }
  return i === HLL_REGISTERS;
}

// ---- Counting ----

/** σ(x) of Ertl's estimator. */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** τ(x) of Ertl's estimator. */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The cardinality from the register histogram ("New cardinality estimation algorithms for HyperLogLog sketches", Otmar Ertl). */
function estimate(reghisto: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0]! / m);
  // llroundl rounds halves away from zero; the value is never negative.
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}

/**
 * hllCount of an HLL string (dense or sparse); -1 when a sparse HLL does not cover exactly
 * 16384 registers (Redis's `invalid`).
 */
export function hllCount(bytes: Uint8Array): number {
  const reghisto = new Int32Array(64);
  if (bytes[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) reghisto[denseGet(bytes, i)]!++;
    return estimate(reghisto);
  }
  let idx = 0, at = HLL_HDR_SIZE;
  const end = bytes.length;
  while (at < end) {
    const b = bytes[at]!;
    if (isZero(b)) {
      const runlen = zeroLen(b);
      idx += runlen;
      reghisto[0]! += runlen;
      at++;
    } else if (isXzero(b)) {
      const runlen = xzeroLen(bytes, at, end);
      idx += runlen;
      reghisto[0]! += runlen;
      at += 2;
    } else {
      const runlen = valLen(b);
      idx += runlen;
      reghisto[valValue(b)]! += runlen;
      at++;
    }
  }
  if (idx !== HLL_REGISTERS) return -1;
  return estimate(reghisto);
}

/** hllCount of registers held one per byte (Redis's internal HLL_RAW encoding). */
export function hllCountRaw(registers: Uint8Array): number {
  const reghisto = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) reghisto[registers[i]!]!++;
  return estimate(reghisto);
}

/** PFDEBUG DECODE: a sparse HLL's opcodes as "z:len", "Z:len" and "v:value,len" words. */
export function decodeSparse(bytes: Uint8Array): string {
  const words: string[] = [];
  let at = HLL_HDR_SIZE;
  while (at < bytes.length) {
    const b = bytes[at]!;
    if (isZero(b)) {
      words.push(`z:${zeroLen(b)}`);
      at++;
    } else if (isXzero(b)) {
      words.push(`Z:${xzeroLen(bytes, at, bytes.length)}`);
      at += 2;
    } else {
      words.push(`v:${valValue(b)},${valLen(b)}`);
      at++;
    }
  }
  return words.join(" ");
}
