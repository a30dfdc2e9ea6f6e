// The `syntax` mini-language of command records → COMMAND DOCS argument trees, and the plain
// syntax shown in the README. Mirrors the `arguments` of Redis's src/commands/*.json.
//
// A syntax string is Redis's documentation syntax (`key [key ...]`, `[NX | XX]`, `<ON | OFF>`,
// `[LIMIT offset count]`) with annotations after a colon:
// - `name:type` gives an argument's type (key, string, integer, double, pattern, unix-time);
//   without it `key` is a key, `pattern` a pattern and anything else a string. A trailing `#N`
//   (`pattern:pattern#1`) sets the key spec index; key arguments otherwise take 0, 1, 2... in
//   order, capped at the last key spec.
// - `TOKEN:name` and `[group]:name` / `<group>:name` give the name of a pure token or of the
//   argument a group becomes (default: the lowercase token, or the member names joined by "_").
// Words without lowercase letters are tokens (`""` is the empty token). `[...]` is optional,
// `<...>` required; a group with `|` is a oneof, a `<...>` group without one is a block, and
// `x [x ...]` repeats x. A token followed by one item is that item's token; an alternative of a
// `[...]` or oneof group made of a token and two or more items is a block introduced by the
// token (`[LIMIT offset count]`), while `<BYRADIUS radius unit>` is a block whose first item
// has the token.

export type ArgType =
  | "key"
  | "string"
  | "integer"
  | "double"
  | "pattern"
  | "unix-time"
  | "pure-token"
  | "oneof"
  | "block";

/** Flags of an argument, in the order Redis replies them. */
export type ArgFlag = "optional" | "multiple" | "multiple_token";

/** One entry of COMMAND DOCS `arguments` (the fields Redis 7.0 replies, in its order). */
export interface DocArg {
  name: string;
  type: ArgType;
  keySpecIndex?: number;
  token?: string;
  flags: ArgFlag[];
  arguments?: DocArg[];
}

const VALUE_TYPES = new Set(["key", "string", "integer", "double", "pattern", "unix-time"]);

/** The syntax as written: words, `...`, groups of alternatives. */
type Raw =
  | { kind: "word"; text: string }
  | { kind: "ellipsis" }
  | { kind: "group"; optional: boolean; alts: Raw[][]; name?: string };

/** The syntax with each `x [x ...]` folded into one repeat node. */
type Node =
  | { kind: "word"; text: string }
  | { kind: "group"; optional: boolean; alts: Node[][]; name?: string }
  | { kind: "repeat"; body: Node[] };

type Word = { kind: "word"; text: string };

/** Splits a syntax string into words and the structural characters `[ ] < > |`. */
function lex(syntax: string): string[] {
  return syntax.match(/[[\]<>|]|:[^\s[\]<>|]+|[^\s[\]<>|]+/g) ?? [];
}

class SyntaxParser {
  private pos = 0;
  constructor(private readonly tokens: string[], private readonly source: string) {}

  fail(message: string): never {
    throw new Error(`${message} in syntax ${JSON.stringify(this.source)}`);
  }

  /** Alternatives separated by `|` until `close` (or the end, for the top level). */
  alternatives(close?: string): Raw[][] {
    const alts: Raw[][] = [[]];
    for (;;) {
      const tok = this.tokens[this.pos];
      if (tok === undefined) {
        if (close !== undefined) this.fail(`missing ${close}`);
        return alts;
      }
      this.pos++;
      if (tok === close) return alts;
      if (tok === "|") alts.push([]);
      else if (tok === "[" || tok === "<") alts[alts.length - 1]!.push(this.group(tok));
      else if (tok === "]" || tok === ">" || tok.startsWith(":")) this.fail(`unexpected ${tok}`);
      else {alts[alts.length - 1]!.push(
          tok === "..." ? { kind: "ellipsis" } : { kind: "word", text: tok },
        );}
    }
  }

  private group(open: string): Raw {
    const alts = this.alternatives(open === "[" ? "]" : ">");
    const group: Raw = { kind: "group", optional: open === "[", alts };
    const next = this.tokens[this.pos];
    if (next?.startsWith(":")) {
      group.name = next.slice(1);
      this.pos++;
    }
    return group;
  }
}

/** Folds `x [x ...]` (x one or more items) into a repeat node, in every group too. */
function foldRepeats(raw: Raw[], source: string): Node[] {
  const out: Node[] = [];
  for (const node of raw) {
    if (node.kind === "ellipsis") {
      throw new Error(`misplaced "..." in syntax ${JSON.stringify(source)}`);
    }
    if (node.kind === "word") {
      out.push(node);
      continue;
    }
    const only = node.alts.length === 1 ? node.alts[0]! : undefined;
    if (node.optional && only !== undefined && only.at(-1)?.kind === "ellipsis") {
      const body = foldRepeats(only.slice(0, -1), source);
      const before = JSON.stringify(out.slice(-body.length));
      if (body.length === 0 || before !== JSON.stringify(body)) {
        throw new Error(
          `"..." does not repeat what precedes it in syntax ${JSON.stringify(source)}`,
        );
      }
      out.splice(out.length - body.length, body.length, { kind: "repeat", body });
      continue;
    }
    const group: Node = {
      kind: "group",
      optional: node.optional,
      alts: node.alts.map((alt) => foldRepeats(alt, source)),
    };
    if (node.name !== undefined) group.name = node.name;
    out.push(group);
  }
  return out;
}

function isToken(node: Node | Raw | undefined): node is Word {
  if (node?.kind !== "word") return false;
  const head = node.text.split(":")[0]!;
  return !/[a-z]/.test(head);
}

function tokenArg(text: string): DocArg {
  const colon = text.indexOf(":");
  let token = colon < 0 ? text : text.slice(0, colon);
  if (token === '""') token = "";
  const name = colon < 0 ? token.toLowerCase() : text.slice(colon + 1);
  return { name, type: "pure-token", token, flags: [] };
}

/** A lowercase word: `name`, `name:type` or `name:type#N` (a colon not before a type is part of the name). */
function valueArg(text: string): DocArg & { explicitKeySpec?: number } {
  const m = /^(.*):([a-z-]+)(?:#(\d+))?$/.exec(text);
  if (m !== null && VALUE_TYPES.has(m[2]!)) {
    const arg: DocArg & { explicitKeySpec?: number } = {
      name: m[1]!,
      type: m[2] as ArgType,
      flags: [],
    };
    if (m[3] !== undefined) arg.explicitKeySpec = Number(m[3]);
    return arg;
  }
  const type = text === "key" ? "key" : text === "pattern" ? "pattern" : "string";
  return { name: text, type, flags: [] };
}

function joinedName(args: DocArg[]): string {
  return args.map((a) => a.name).join("_");
}

function block(args: DocArg[], token?: string): DocArg {
  const arg: DocArg = { name: joinedName(args), type: "block", flags: [], arguments: args };
  if (token !== undefined) arg.token = token;
  return arg;
}

function addFlag(arg: DocArg, flag: ArgFlag): void {
  if (!arg.flags.includes(flag)) arg.flags.push(flag);
  const order: ArgFlag[] = ["optional", "multiple", "multiple_token"];
  arg.flags.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** A sequence of items → one argument each; a token binds to the item after it. */
function convertSequence(nodes: Node[]): DocArg[] {
  const out: DocArg[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (isToken(node)) {
      const next = nodes[i + 1];
      if (next === undefined || isToken(next)) {
        out.push(tokenArg(node.text));
        continue;
      }
      const arg = convertItem(next);
      arg.token = tokenArg(node.text).token;
      out.push(arg);
      i++;
      continue;
    }
    out.push(convertItem(node));
  }
  return out;
}

/** One group alternative (or repeated body) → one argument, a block when it has several. */
function convertAlternative(nodes: Node[]): DocArg {
  const first = nodes[0];
  if (isToken(first) && nodes.length >= 3) {
    return block(convertSequence(nodes.slice(1)), tokenArg(first.text).token);
  }
  const args = convertSequence(nodes);
  return args.length === 1 ? args[0]! : block(args);
}

function convertItem(node: Node): DocArg {
  switch (node.kind) {
    case "word":
      return valueArg(node.text);
    case "repeat": {
      const arg = convertAlternative(node.body);
      addFlag(arg, "multiple");
      if (isToken(node.body[0]) && arg.token !== undefined) addFlag(arg, "multiple_token");
      return arg;
    }
    case "group": {
      let arg: DocArg;
      if (node.alts.length > 1) {
        const args = node.alts.map(convertAlternative);
        arg = { name: joinedName(args), type: "oneof", flags: [], arguments: args };
      } else if (node.optional) {
        arg = convertAlternative(node.alts[0]!);
      } else {
        // `<...>` without alternatives exists to make a block of exactly its items.
        arg = block(convertSequence(node.alts[0]!));
      }
      if (node.name !== undefined) arg.name = node.name;
      if (node.optional) addFlag(arg, "optional");
      return arg;
    }
  }
}

/** Numbers key arguments in order (explicit `#N` wins), capped at the last key spec. */
function assignKeySpecs(args: DocArg[], keySpecCount: number, next = { index: 0 }): void {
  for (const arg of args as (DocArg & { explicitKeySpec?: number })[]) {
    if (arg.explicitKeySpec !== undefined) {
      if (keySpecCount > 0) arg.keySpecIndex = Math.min(arg.explicitKeySpec, keySpecCount - 1);
      next.index = arg.explicitKeySpec + 1;
      delete arg.explicitKeySpec;
    } else if (arg.type === "key" && keySpecCount > 0) {
      arg.keySpecIndex = Math.min(next.index++, keySpecCount - 1);
    }
    if (arg.arguments !== undefined) assignKeySpecs(arg.arguments, keySpecCount, next);
  }
}

function parseRaw(syntax: string): Raw[][] {
  return new SyntaxParser(lex(syntax), syntax).alternatives();
}

/**
 * The COMMAND DOCS arguments of a syntax string; `keySpecCount` is the number of key specs
 * of the command (key arguments refer to them by index). Throws on malformed syntax.
 */
export function parseSyntax(syntax: string, keySpecCount: number): DocArg[] {
  const alts = parseRaw(syntax).map((alt) => foldRepeats(alt, syntax));
  const args = alts.length > 1
    ? [convertItem({ kind: "group", optional: false, alts })]
    : convertSequence(alts[0]!);
  assignKeySpecs(args, keySpecCount);
  return args;
}

function displayWord(text: string): string {
  if (isToken({ kind: "word", text })) return text.split(":")[0]!;
  const m = /^(.*):([a-z-]+)(?:#\d+)?$/.exec(text);
  return m !== null && VALUE_TYPES.has(m[2]!) ? m[1]! : text;
}

function displayNodes(nodes: Raw[]): string {
  return nodes.map((node) => {
    switch (node.kind) {
      case "word":
        return displayWord(node.text);
      case "ellipsis":
        return "...";
      case "group": {
        const inner = node.alts.map(displayNodes).join(" | ");
        if (node.optional) return `[${inner}]`;
        return node.alts.length > 1 ? `<${inner}>` : inner;
      }
    }
  }).join(" ");
}

/** The syntax as people read it: annotations dropped, `<...>` kept only around oneofs. */
export function displaySyntax(syntax: string): string {
  return parseRaw(syntax).map(displayNodes).join(" | ");
}
