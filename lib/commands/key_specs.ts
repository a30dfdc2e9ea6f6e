// Key specifications of commands (COMMAND INFO) and key extraction from a full command
// (COMMAND GETKEYS). Mirrors getKeysUsingKeySpecs and getKeysFromCommandWithSpecs in db.c.
import type { Command, KeySpecDecl } from "./types.ts";

/** A key found in a command line: its argv index and the flags of the spec that found it. */
export interface KeyRef {
  pos: number;
  flags: string[];
}

const cache = new Map<Command, KeySpecDecl[]>();

/**
 * The command's key specs: those its `meta` declares, or one range spec built from the record's
 * `keys` whose flags follow the command flags unless `meta` declares them.
 */
export function keySpecs(command: Command): KeySpecDecl[] {
  const cached = cache.get(command);
  if (cached !== undefined) return cached;
  const meta = command.meta;
  let specs: KeySpecDecl[] = [];
  if (meta?.keySpecs !== undefined) {
    specs = meta.keySpecs;
  } else if (command.keys !== undefined && command.keys.first > 0) {
    const { first, last, step } = command.keys;
    const spec: KeySpecDecl = {
      flags: meta?.keyFlags ?? (command.flags.includes("write") ? "RW update" : "RO access"),
      index: first,
      range: [last < 0 ? last : last - first, step, 0],
    };
    if (meta?.notes !== undefined) spec.notes = meta.notes;
    specs = [spec];
  }
  cache.set(command, specs);
  return specs;
}

/** Keys whose position is not a plain index and range: Redis's "movablekeys" flag. */
export function hasMovableKeys(specs: KeySpecDecl[]): boolean {
  return specs.some((s) => s.index === undefined || s.range === undefined);
}

function flagList(spec: KeySpecDecl): string[] {
  return spec.flags.split(" ");
}

/** True when the command has keys to report (doesCommandHaveKeys). */
export function commandHasKeys(command: Command, specs: KeySpecDecl[]): boolean {
  return command.getKeys !== undefined || specs.some((s) => !flagList(s).includes("not_key"));
}

/**
 * Keys found by walking the specs, or null when a spec does not fit the arguments (unknown
 * spec, bad key count, out of range) or may have missed keys ("incomplete"). With `partial`,
 * such specs are skipped instead.
 */
export function keysUsingSpecs(
  specs: KeySpecDecl[],
  argv: string[],
  partial = false,
): KeyRef[] | null {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const spec of specs) {
    const flags = flagList(spec);
    if (flags.includes("not_key")) continue;
    let first = 0;
    if (spec.index !== undefined) {
      first = spec.index;
    } else if (spec.keyword !== undefined) {
      const [keyword, startfrom] = spec.keyword;
      const from = startfrom > 0 ? startfrom : argc + startfrom;
      const dir = startfrom > 0 ? 1 : -1;
      for (let i = from; i >= 1 && i < argc; i += dir) {
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    } else {
      if (partial) continue;
      return null;
    }
    let last: number;
    let step: number;
    if (spec.range !== undefined) {
      const [lastkey, keystep, limit] = spec.range;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit === 0) last = argc + lastkey;
      else last = first + (Math.floor((argc - first) / limit) + lastkey);
    } else if (spec.keynum !== undefined) {
      const [keynumidx, firstkey, keystep] = spec.keynum;
      step = keystep;
      const numText = argv[first + keynumidx];
      const numkeys = numText !== undefined && /^(0|-?[1-9]\d*)$/.test(numText)
        ? Number(numText)
        : -1;
      if (numkeys < 0) {
        if (partial) continue;
        return null;
      }
      first += firstkey;
      last = first + numkeys - 1;
    } else {
      if (partial) continue;
      return null;
    }
    if (last >= argc || last < first || first >= argc) {
      if (partial) continue;
      return null;
    }
    for (let i = first; i <= last; i += step) keys.push({ pos: i, flags });
    if (flags.includes("incomplete") && !partial) return null;
  }
  return keys;
}

/** Per-call key flags of commands whose spec says "variable_flags" (setGetKeys in t_string.c). */
const VARIABLE_KEY_FLAGS: Record<string, (argv: string[]) => string[]> = {
  set: (argv) =>
    argv.slice(3).some((arg) => arg.toLowerCase() === "get")
      ? ["RW", "access", "update"]
      : ["OW", "update"],
  bitfield: (argv) => bitfieldReadOnly(argv) ? ["RO", "access"] : ["RW", "access", "update"],
};

/**
 * bitfieldGetKeys: read-only when every operation is a GET (or an OVERFLOW); a SET, an INCRBY
 * or anything unparsable makes the key read-write.
 */
function bitfieldReadOnly(argv: string[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const remargs = argv.length - i - 1;
    const arg = argv[i]!.toLowerCase();
    if (arg === "get" && remargs >= 2) i += 2;
    else if ((arg === "set" || arg === "incrby") && remargs >= 3) return false;
    else if (arg === "overflow" && remargs >= 1) i += 1;
    else return false;
  }
  return true;
}

/**
 * The keys of a full command line (argv[0] is the command name; a subcommand's argv[1] is its
 * name), as COMMAND GETKEYS reports them: an empty list when none can be found.
 */
export function commandKeys(command: Command, fullName: string, argv: string[]): KeyRef[] {
  const specs = keySpecs(command);
  const variable = VARIABLE_KEY_FLAGS[fullName];
  if (variable === undefined && specs.some((s) => !flagList(s).includes("not_key"))) {
    const keys = keysUsingSpecs(specs, argv, false);
    if (keys !== null) return keys;
  }
  const found = keysUsingSpecs(specs, argv, true) ?? [];
  if (variable !== undefined) return found.map(({ pos }) => ({ pos, flags: variable(argv) }));
  if (command.getKeys === undefined) return [];
  // The record finds the positions; flags come from the spec that covers each one.
  const byPos = new Map(found.map((k) => [k.pos, k.flags]));
  const fallback = specs[0] !== undefined ? flagList(specs[0]) : [];
  return command.getKeys(argv).map((key) =>
    typeof key === "number"
      ? { pos: key, flags: byPos.get(key) ?? fallback }
      : { pos: key.pos, flags: key.flags.split(" ") }
  );
}
