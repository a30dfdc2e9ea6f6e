// A small RESP2/RESP3 reply decoder for shape tests: keeps each value's RESP type so decoded
// replies from inmemdb and redis-server can be compared as trees (maps keep their order).

export type Resp =
  | { t: "simple" | "error" | "bulk" | "verbatim" | "bignum"; v: string }
  | { t: "int"; v: number }
  | { t: "double"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "array" | "set" | "push"; v: Resp[] }
  | { t: "map"; v: [Resp, Resp][] };

/** Decodes one complete reply given as a byte string (as RawClient.replyText returns it). */
export function decode(reply: string): Resp {
  const [value, end] = decodeAt(reply, 0);
  if (end !== reply.length) throw new Error(`trailing bytes after reply at ${end}`);
  return value;
}

function decodeAt(s: string, at: number): [Resp, number] {
  const eol = s.indexOf("\r\n", at);
  if (eol < 0) throw new Error("incomplete reply");
  const line = s.slice(at + 1, eol);
  const next = eol + 2;
  switch (s[at]) {
    case "+":
      return [{ t: "simple", v: line }, next];
    case "-":
      return [{ t: "error", v: line }, next];
    case ":":
      return [{ t: "int", v: Number(line) }, next];
    case ",":
      return [{ t: "double", v: line }, next];
    case "#":
      return [{ t: "bool", v: line === "t" }, next];
    case "(":
      return [{ t: "bignum", v: line }, next];
    case "_":
      return [{ t: "null" }, next];
    case "$":
    case "=": {
      const n = Number(line);
      if (n < 0) return [{ t: "null" }, next];
      const body = s.slice(next, next + n);
      return [s[at] === "$" ? { t: "bulk", v: body } : { t: "verbatim", v: body }, next + n + 2];
    }
    case "*":
    case "~":
    case ">": {
      const n = Number(line);
      if (n < 0) return [{ t: "null" }, next];
      const items: Resp[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const [item, end] = decodeAt(s, pos);
        items.push(item);
        pos = end;
      }
      const t = s[at] === "*" ? "array" : s[at] === "~" ? "set" : "push";
      return [{ t, v: items }, pos];
    }
    case "%": {
      const entries: [Resp, Resp][] = [];
      let pos = next;
      for (let i = 0; i < Number(line); i++) {
        const [key, keyEnd] = decodeAt(s, pos);
        const [value, valueEnd] = decodeAt(s, keyEnd);
        entries.push([key, value]);
        pos = valueEnd;
      }
      return [{ t: "map", v: entries }, pos];
    }
    default:
      throw new Error(`not a RESP reply at ${at}: ${JSON.stringify(s.slice(at, at + 20))}`);
  }
}

/** A plain JSON-like view (maps become objects, sets and arrays become arrays). */
export function plain(value: Resp): unknown {
  switch (value.t) {
    case "null":
      return null;
    case "array":
    case "set":
    case "push":
      return value.v.map(plain);
    case "map":
      return Object.fromEntries(value.v.map(([k, v]) => [String(plain(k)), plain(v)]));
    default:
      return value.v;
  }
}
