// Glob-style matching exactly like Redis's stringmatchlen (util.c), used by KEYS, SCAN MATCH,
// CONFIG GET and pub/sub patterns: * ? [abc] [^a-z] and \ escapes, on byte strings.

/** C's `char` is signed on the platforms Redis ships for: ranges compare bytes as signed. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * True when the whole of `s` matches `pattern`. Like stringmatchlen, nothing but "" matches an
 * empty string (not even "*"): KEYS and SCAN special-case the pattern "*" themselves.
 */
export function matchGlob(pattern: string, s: string, nocase = false): boolean {
  if (pattern === "*") return s.length !== 0;
  const state = { skipLonger: false };
  return matchFrom(pattern, 0, s, 0, nocase, state, 0);
}

function matchFrom(
  pattern: string,
  p: number,
  s: string,
  i: number,
  nocase: boolean,
  state: { skipLonger: boolean },
  nesting: number,
): boolean {
  if (nesting > 1000) return false; // protection against abusive patterns, as in Redis
  const plen = pattern.length;
  const slen = s.length;
  while (p < plen && i < slen) {
    const pc = pattern.charCodeAt(p);
    switch (pc) {
      case 42: { // '*'
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
        if (p + 1 === plen) return true;
        while (i < slen) {
          if (matchFrom(pattern, p + 1, s, i, nocase, state, nesting + 1)) return true;
          if (state.skipLonger) return false;
          i++;
        }
        // The rest of the pattern matches nowhere in the rest of the string, so longer
        // matches of earlier stars cannot help either.
        state.skipLonger = true;
        return false;
      }
      case 63: // '?'
        i++;
        break;
      case 91: { // '['
        p++;
        const not = pattern.charCodeAt(p) === 94; // '^'
        if (not) p++;
        let match = false;
        const c = s.charCodeAt(i);
        for (;;) {
          if (p >= plen) {
            p--; // unterminated class: the loop below steps past the last char
            break;
          }
          const cc = pattern.charCodeAt(p);
          if (cc === 92 && plen - p >= 2) { // '\\'
            p++;
            if (pattern.charCodeAt(p) === c) match = true;
          } else if (cc === 93) { // ']'
            break;
          } else if (plen - p >= 3 && pattern.charCodeAt(p + 1) === 45) { // a-z
            let start = signed(cc);
            let end = signed(pattern.charCodeAt(p + 2));
            let ch = signed(c);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              ch = lower(ch);
            }
            p += 2;
            if (ch >= start && ch <= end) match = true;
          } else if (nocase ? lower(cc) === lower(c) : cc === c) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) return false;
        i++;
        break;
      }
      case 92: // '\\'
        if (plen - p >= 2) p++;
        // falls through
      default: {
        const lit = pattern.charCodeAt(p);
        const c = s.charCodeAt(i);
        if (nocase ? lower(lit) !== lower(c) : lit !== c) return false;
        i++;
        break;
      }
    }
    p++;
    if (i === slen) {
      while (p < plen && pattern.charCodeAt(p) === 42) p++;
      break;
    }
  }
  return p === plen && i === slen;
}
