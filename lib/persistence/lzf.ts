// LZF compression as Redis uses it for RDB strings (lzf_c.c / lzf_d.c of liblzf 3.6 with HLOG
// 16 and VERY_FAST): the same hash and match rules, so our compressed output equals Redis's.

const HSIZE = 1 << 16;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * The hash table holds positions offset by a per-call base: entries left by earlier calls are
 * below the current base and so never match, without clearing 256 KB for every string.
 */
const table = new Int32Array(HSIZE);
let nextBase = 1;

function slot(h: number): number {
  return ((h >>> 8) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Compresses input into out[0, outLen) (out may be a few bytes longer); returns the compressed
 * length, or 0 when the result would not fit (lzf_compress's contract).
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array, outLen: number): number {
  const len = input.length;
  if (len === 0 || outLen === 0) return 0;
  if (nextBase > 0x7fffffff - len - 2) {
    table.fill(0);
    nextBase = 1;
  }
  const base = nextBase;
  nextBase += len + 1;
  let ip = 0, op = 1, lit = 0;
  let h = (input[0]! << 8) | (input[1] ?? 0);
  while (ip < len - 2) {
    h = (h << 8) | input[ip + 2]!;
    const s = slot(h);
    const ref = table[s]! - base;
    table[s] = base + ip;
    const off = ip - ref - 1;
    if (
      ref > 0 && off < MAX_OFF &&
      input[ref] === input[ip] && input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let l = 2;
      let maxlen = len - ip - l;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // there was none
      if (op + 3 + 1 >= outLen) return 0;
      // liblzf compares 16 bytes without a length check before its bounded loop.
      let mismatch = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          l++;
          if (input[ref + l] !== input[ip + l]) {
            mismatch = true;
            break;
          }
        }
      }
      if (!mismatch) {
        do l++; while (l < maxlen && input[ref + l] === input[ip + l]);
      }
      l -= 2; // now the match length minus one
      ip++;
      if (l < 7) {
        out[op++] = (off >> 8) + (l << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a new literal run
      ip += l + 1;
      if (ip >= len - 2) break;
      // VERY_FAST: hash the last two positions of the match only.
      ip -= 2;
      h = (input[ip]! << 8) | input[ip + 1]!;
      h = (h << 8) | input[ip + 2]!;
      table[slot(h)] = base + ip;
      ip++;
      h = (h << 8) | input[ip + 2]!;
      table[slot(h)] = base + ip;
      ip++;
    } else {
      if (op >= outLen) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return 0;
  while (ip < len) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}

/**
 * Decompresses input[start, end) into out[0, length); false when the data is corrupt or does
 * not decompress to exactly `length` bytes. `out` must hold at least `length` bytes.
 */
export function lzfDecompressInto(
  input: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  length: number,
): boolean {
  let ip = start, op = 0;
  while (ip < end) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > length || ip + run > end) return false;
      for (let k = 0; k < run; k++) out[op++] = input[ip++]!;
      continue;
    }
    let run = ctrl >> 5;
    let ref = op - ((ctrl & 0x1f) << 8) - 1;
    if (ip >= end) return false;
    if (run === 7) {
      run += input[ip++]!;
      if (ip >= end) return false;
    }
    ref -= input[ip++]!;
    run += 2;
    if (op + run > length || ref < 0) return false;
    // Byte by byte: the reference may overlap what it produces (runs of a repeated pattern).
    for (let k = 0; k < run; k++) out[op++] = out[ref++]!;
  }
  return op === length;
}

/** Decompresses into a new buffer of exactly `length` bytes; null when the data is corrupt. */
export function lzfDecompress(input: Uint8Array, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  return lzfDecompressInto(input, 0, input.length, out, length) ? out : null;
}
