// Every configuration option: Redis's name, type, default and validation, used by the
// command line, the config file (redis.conf syntax) and CONFIG GET/SET. Mirrors config.c.
import { splitArgs } from "./resp/split_args.ts";
import { matchGlob } from "./store/glob.ts";
import { fromUtf8, toBytes } from "./bytes.ts";

type Kind =
  | { type: "int"; min: number; max: number }
  | { type: "memory"; max?: number }
  | { type: "bool" }
  | { type: "enum"; values: string[] }
  | { type: "string" }
  | { type: "save" }
  | { type: "list" };

interface OptionSpec {
  name: string;
  kind: Kind;
  default: string;
  aliases?: string[];
  immutable?: boolean;
  /** Redis clamps some integers instead of rejecting them (hz). */
  clamp?: boolean;
}

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

const int = (min: number, max: number): Kind => ({ type: "int", min, max });
const bool: Kind = { type: "bool" };
const str: Kind = { type: "string" };

const POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
];

const OPTIONS: OptionSpec[] = [
  { name: "port", kind: int(0, 65535), default: "7379" },
  { name: "bind", kind: { type: "list" }, default: "127.0.0.1", immutable: true },
  { name: "databases", kind: int(1, INT_MAX), default: "16", immutable: true },
  { name: "hz", kind: int(1, 500), default: "10", clamp: true },
  { name: "maxclients", kind: int(1, INT_MAX), default: "10000" },
  { name: "timeout", kind: int(0, INT_MAX), default: "0" },
  { name: "tcp-keepalive", kind: int(0, INT_MAX), default: "300" },
  { name: "tcp-backlog", kind: int(0, INT_MAX), default: "511", immutable: true },
  { name: "proto-max-bulk-len", kind: { type: "memory", max: LLONG_MAX }, default: "512mb" },
  { name: "client-query-buffer-limit", kind: { type: "memory" }, default: "1gb" },
  { name: "maxmemory", kind: { type: "memory" }, default: "0" },
  { name: "maxmemory-policy", kind: { type: "enum", values: POLICIES }, default: "noeviction" },
  { name: "maxmemory-samples", kind: int(1, 64), default: "5" },
  { name: "protected-mode", kind: bool, default: "yes" },
  { name: "requirepass", kind: str, default: "" },
  { name: "daemonize", kind: bool, default: "no", immutable: true },
  { name: "pidfile", kind: str, default: "", immutable: true },
  {
    name: "loglevel",
    kind: { type: "enum", values: ["debug", "verbose", "notice", "warning", "nothing"] },
    default: "notice",
  },
  { name: "logfile", kind: str, default: "", immutable: true },
  { name: "dir", kind: str, default: "." },
  { name: "dbfilename", kind: str, default: "dump.rdb" },
  { name: "save", kind: { type: "save" }, default: "" },
  { name: "appendonly", kind: bool, default: "no" },
  { name: "appendfilename", kind: str, default: "appendonly.aof", immutable: true },
  {
    name: "appendfsync",
    kind: { type: "enum", values: ["always", "everysec", "no"] },
    default: "everysec",
  },
  { name: "notify-keyspace-events", kind: str, default: "" },
  { name: "lazyfree-lazy-user-del", kind: bool, default: "no" },
  { name: "lazyfree-lazy-user-flush", kind: bool, default: "no" },
  { name: "active-expire-effort", kind: int(1, 10), default: "1" },
  { name: "slowlog-log-slower-than", kind: int(-1, LLONG_MAX), default: "10000" },
  { name: "slowlog-max-len", kind: int(0, LLONG_MAX), default: "128" },
  { name: "latency-tracking", kind: bool, default: "yes" },
  { name: "list-max-listpack-size", kind: int(-5, INT_MAX), default: "-2", aliases: ["list-max-ziplist-size"] },
  {
    name: "hash-max-listpack-entries",
    kind: int(0, LLONG_MAX),
    default: "512",
    aliases: ["hash-max-ziplist-entries"],
  },
  {
    name: "hash-max-listpack-value",
    kind: int(0, LLONG_MAX),
    default: "64",
    aliases: ["hash-max-ziplist-value"],
  },
  { name: "set-max-intset-entries", kind: int(0, LLONG_MAX), default: "512" },
  {
    name: "zset-max-listpack-entries",
    kind: int(0, LLONG_MAX),
    default: "128",
    aliases: ["zset-max-ziplist-entries"],
  },
  {
    name: "zset-max-listpack-value",
    kind: int(0, LLONG_MAX),
    default: "64",
    aliases: ["zset-max-ziplist-value"],
  },
];

const SPECS = new Map<string, OptionSpec>();
for (const spec of OPTIONS) {
  SPECS.set(spec.name, spec);
  for (const alias of spec.aliases ?? []) SPECS.set(alias, spec);
}

/** A rejected option value; `message` completes "... - " in Redis's error text. */
export class ConfigError extends Error {}

/** Redis's memtoull: digits with an optional k/kb/m/mb/g/gb unit (case-insensitive). */
export function parseMemory(text: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(text);
  if (!m) return null;
  const units: Record<string, number> = {
    "": 1,
    k: 1000,
    kb: 1024,
    m: 1000 ** 2,
    mb: 1024 ** 2,
    g: 1000 ** 3,
    gb: 1024 ** 3,
  };
  const value = Number(m[1]) * units[(m[2] ?? "").toLowerCase()]!;
  return Number.isSafeInteger(value) ? value : null;
}

function normalize(spec: OptionSpec, args: string[]): string | number | boolean {
  const kind = spec.kind;
  const raw = args.join(" ");
  switch (kind.type) {
    case "int": {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError("argument couldn't be parsed into an integer");
      let value = Number(raw);
      if (spec.clamp) value = Math.min(Math.max(value, kind.min), kind.max);
      if (value < kind.min || value > kind.max) {
        throw new ConfigError(`argument must be between ${kind.min} and ${kind.max} inclusive`);
      }
      return value;
    }
    case "memory": {
      const value = parseMemory(raw);
      if (value === null) throw new ConfigError("argument must be a memory value");
      return value;
    }
    case "bool": {
      const lower = raw.toLowerCase();
      if (lower !== "yes" && lower !== "no") throw new ConfigError("argument must be 'yes' or 'no'");
      return lower === "yes";
    }
    case "enum": {
      const lower = raw.toLowerCase();
      if (!kind.values.includes(lower)) {
        throw new ConfigError(
          `argument(s) must be one of the following: ${kind.values.join(", ")}`,
        );
      }
      return lower;
    }
    case "save": {
      const parts = raw.split(" ").filter((p) => p !== "");
      if (parts.length % 2 !== 0 || parts.some((p) => !/^\d+$/.test(p))) {
        throw new ConfigError("Invalid save parameters");
      }
      return parts.join(" ");
    }
    case "list":
      return args.flatMap((a) => a.split(" ")).filter((a) => a !== "").join(" ");
    case "string":
      return raw;
  }
}

function display(spec: OptionSpec, value: string | number | boolean): string {
  if (spec.kind.type === "bool") return value ? "yes" : "no";
  return String(value);
}

export type ConfigListener = (name: string) => void;

export class Config {
  private values = new Map<string, string | number | boolean>();
  private listeners: ConfigListener[] = [];
  /** Path of the config file the server was started with, if any. */
  file: string | null = null;

  constructor() {
    for (const spec of OPTIONS) this.values.set(spec.name, normalize(spec, [spec.default]));
  }

  has(name: string): boolean {
    return SPECS.has(name.toLowerCase());
  }

  num(name: string): number {
    return this.values.get(name) as number;
  }

  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  str(name: string): string {
    return String(this.values.get(name));
  }

  onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  /** Sets one option from its arguments (startup: immutable options allowed). */
  load(name: string, args: string[]): void {
    const spec = SPECS.get(name.toLowerCase());
    if (spec === undefined) throw new ConfigError("Bad directive or wrong number of arguments");
    if (spec.kind.type !== "list" && spec.kind.type !== "save" && args.length !== 1) {
      throw new ConfigError("wrong number of arguments");
    }
    this.values.set(spec.name, normalize(spec, args));
  }

  /**
   * CONFIG SET name value [name value ...]: validates every pair before applying any, like
   * Redis. Returns null, or the error reply text.
   */
  setMany(pairs: [string, string][]): string | null {
    const seen = new Set<string>();
    const updates: [OptionSpec, string | number | boolean][] = [];
    for (const [name, value] of pairs) {
      const spec = SPECS.get(name.toLowerCase());
      if (spec === undefined) {
        return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      }
      const fail = (why: string) =>
        `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
      if (seen.has(spec.name)) return fail("duplicate parameter");
      seen.add(spec.name);
      if (spec.immutable) return fail("can't set immutable config");
      try {
        updates.push([spec, normalize(spec, [value])]);
      } catch (e) {
        if (e instanceof ConfigError) return fail(e.message);
        throw e;
      }
    }
    for (const [spec, value] of updates) this.values.set(spec.name, value);
    for (const [spec] of updates) for (const listener of this.listeners) listener(spec.name);
    return null;
  }

  /** CONFIG GET: [name, value] for every option or alias matching one of the patterns. */
  get(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const p = pattern.toLowerCase();
      const exact = SPECS.get(p);
      if (exact !== undefined) {
        out.set(p, display(exact, this.values.get(exact.name)!));
        continue;
      }
      for (const [name, spec] of SPECS) {
        if (matchGlob(p, name, true)) {
          out.set(name, display(spec, this.values.get(spec.name)!));
        }
      }
    }
    return [...out];
  }

  /** Every option as `name value` lines in redis.conf syntax (CONFIG REWRITE). */
  dump(): string {
    return OPTIONS.map((spec) => {
      const value = display(spec, this.values.get(spec.name)!);
      return `${spec.name} ${value === "" || /\s/.test(value) ? JSON.stringify(value) : value}`;
    }).join("\n") + "\n";
  }
}

/** A config file problem, reported like Redis's "FATAL CONFIG FILE ERROR". */
export class ConfigFileError extends Error {
  constructor(readonly line: number, readonly text: string, readonly reason: string) {
    super(reason);
  }
}

/** Applies redis.conf text: one `name args...` per line, `#` comments, quoted arguments. */
export function loadConfigText(config: Config, text: string): void {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = fromUtf8(lines[i]!.trim());
    if (line === "" || line.startsWith("#")) continue;
    const argv = splitArgs(toBytes(line), 0, line.length);
    if (argv === null) throw new ConfigFileError(i + 1, line, "Unbalanced quotes in configuration line");
    if (argv.length === 0) continue;
    try {
      config.load(argv[0]!, argv.slice(1));
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigFileError(i + 1, line, e.message);
      throw e;
    }
  }
}
