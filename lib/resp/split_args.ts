// Splits an inline command line into arguments with the quoting rules of Redis's
// sdssplitargs (sds.c): "double quotes" with \xHH \n \r \t \b \a escapes, 'single quotes'
// with only \' escaped, and a closing quote that must be followed by a space.

// C's isspace() separates arguments, but an unquoted argument ends only at ' ', \n, \r or \t:
// "a\vb" is one argument in Redis.
const SPACE = new Uint8Array(256);
for (const c of [32, 9, 10, 11, 12, 13]) SPACE[c] = 1;
const WORD_END = new Uint8Array(256);
for (const c of [32, 9, 10, 13]) WORD_END[c] = 1;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Arguments of buf[from, to) as byte strings, or null on unbalanced quotes. */
export function splitArgs(buf: Uint8Array, from: number, to: number): string[] | null {
  // sdssplitargs works on a C string: a NUL byte ends the line.
  const nul = buf.subarray(from, to).indexOf(0);
  if (nul >= 0) to = from + nul;
  const argv: string[] = [];
  let p = from;
  for (;;) {
    while (p < to && SPACE[buf[p]!]) p++;
    if (p >= to) return argv;
    let inDouble = false;
    let inSingle = false;
    let current = "";
    for (;;) {
      if (inDouble) {
        if (p >= to) return null;
        const c = buf[p]!;
        if (
          c === 92 /* \ */ && p + 3 < to && buf[p + 1] === 120 /* x */ &&
          hexValue(buf[p + 2]!) >= 0 && hexValue(buf[p + 3]!) >= 0
        ) {
          current += String.fromCharCode(hexValue(buf[p + 2]!) * 16 + hexValue(buf[p + 3]!));
          p += 3;
        } else if (c === 92 && p + 1 < to) {
          p++;
          const e = buf[p]!;
          current += String.fromCharCode(
            e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e,
          );
        } else if (c === 34 /* " */) {
          // The closing quote must be followed by a space or the end of the line.
          if (p + 1 < to && !SPACE[buf[p + 1]!]) return null;
          p++;
          break;
        } else {
          current += String.fromCharCode(c);
        }
      } else if (inSingle) {
        if (p >= to) return null;
        const c = buf[p]!;
        if (c === 92 && p + 1 < to && buf[p + 1] === 39 /* ' */) {
          p++;
          current += "'";
        } else if (c === 39) {
          if (p + 1 < to && !SPACE[buf[p + 1]!]) return null;
          p++;
          break;
        } else {
          current += String.fromCharCode(c);
        }
      } else {
        if (p >= to) break;
        const c = buf[p]!;
        if (WORD_END[c]) break;
        if (c === 34) inDouble = true;
        else if (c === 39) inSingle = true;
        else current += String.fromCharCode(c);
      }
      p++;
    }
    argv.push(current);
  }
}
