// Byte strings: keys and values live as one-byte JS strings (each char is one byte, 0-255).
// These helpers convert between them and Uint8Array at the protocol edges only.
import { Buffer } from "node:buffer";

/** node:buffer's native ISO-8859-1 decoder (TextDecoder's "latin1" is windows-1252). */
export interface Latin1View {
  latin1Slice(start: number, end: number): string;
}

/** A view of `bytes` whose latin1Slice decodes a range without copying it first. */
export function latin1View(bytes: Uint8Array): Latin1View {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as Latin1View;
}

/** Decodes bytes as ISO-8859-1: every byte becomes the char with the same code. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= 0) return "";
  return latin1View(bytes).latin1Slice(start, end);
}

const asciiEncoder = new TextEncoder();
const chr = String.fromCharCode;

/** The longest byte string decodeShort takes. */
export const SHORT_MAX = 16;

/**
 * Decodes n <= SHORT_MAX bytes at u[s]. String.fromCharCode with explicit arguments is several
 * times faster than a native slice call for the short keys and command names of the hot path
 * (redis-benchmark's keys are 16 bytes). Below 13 chars V8 copies a concatenation; from 13 on
 * it would make a cons string, which every Map lookup must flatten, so those are one call.
 */
export function decodeShort(u: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return chr(u[s]!);
    case 2:
      return chr(u[s]!, u[s + 1]!);
    case 3:
      return chr(u[s]!, u[s + 1]!, u[s + 2]!);
    case 4:
      return chr(u[s]!, u[s + 1]!, u[s + 2]!, u[s + 3]!);
    case 5:
      return chr(u[s]!, u[s + 1]!, u[s + 2]!, u[s + 3]!, u[s + 4]!);
    case 6:
      return chr(u[s]!, u[s + 1]!, u[s + 2]!, u[s + 3]!, u[s + 4]!, u[s + 5]!);
    case 7:
      return chr(u[s]!, u[s + 1]!, u[s + 2]!, u[s + 3]!, u[s + 4]!, u[s + 5]!, u[s + 6]!);
    case 8:
      return chr(
        u[s]!,
        u[s + 1]!,
        u[s + 2]!,
        u[s + 3]!,
        u[s + 4]!,
        u[s + 5]!,
        u[s + 6]!,
        u[s + 7]!,
      );
    case 9:
    case 10:
    case 11:
    case 12: {
      // Two halves; the first is always 8 bytes.
      const head = chr(
        u[s]!,
        u[s + 1]!,
        u[s + 2]!,
        u[s + 3]!,
        u[s + 4]!,
        u[s + 5]!,
        u[s + 6]!,
        u[s + 7]!,
      );
      return head + decodeShort(u, s + 8, n - 8);
    }
    default:
      return decodeMedium(u, s, n);
  }
}

/** 13 to 16 bytes, in one String.fromCharCode call. */
function decodeMedium(u: Uint8Array, s: number, n: number): string {
  const a = u[s]!, b = u[s + 1]!, c = u[s + 2]!, d = u[s + 3]!, e = u[s + 4]!, f = u[s + 5]!;
  const g = u[s + 6]!, h = u[s + 7]!, i = u[s + 8]!, j = u[s + 9]!, k = u[s + 10]!;
  const l = u[s + 11]!, m = u[s + 12]!;
  switch (n) {
    case 13:
      return chr(a, b, c, d, e, f, g, h, i, j, k, l, m);
    case 14:
      return chr(a, b, c, d, e, f, g, h, i, j, k, l, m, u[s + 13]!);
    case 15:
      return chr(a, b, c, d, e, f, g, h, i, j, k, l, m, u[s + 13]!, u[s + 14]!);
    default:
      return chr(a, b, c, d, e, f, g, h, i, j, k, l, m, u[s + 13]!, u[s + 14]!, u[s + 15]!);
  }
}

/**
 * Writes the byte string `s` into `out` at `at`; `out` must have room for s.length bytes.
 * Short strings are copied char by char (fastest in V8); long ones try the native
 * UTF-8 encoder, which equals latin1 when every char is ASCII.
 */
export function writeLatin1(s: string, out: Uint8Array, at: number): void {
  const n = s.length;
  if (n > 64) {
    const r = asciiEncoder.encodeInto(s, out.subarray(at, at + n));
    if (r.read === n && r.written === n) return;
  }
  for (let i = 0; i < n; i++) out[at + i] = s.charCodeAt(i);
}

/** Bytes of a byte string. */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  writeLatin1(s, out, 0);
  return out;
}

/** Byte string of UTF-8 text (for messages and names we produce ourselves). */
export function fromUtf8(text: string): string {
  return latin1(asciiEncoder.encode(text));
}
