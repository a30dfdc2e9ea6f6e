// Every configuration option: Redis's name, type, default and validation, used by the
// command line, the config file (redis.conf syntax) and CONFIG GET/SET. Mirrors config.c.
import { splitArgs } from "./resp/split_args.ts";
import { matchGlob } from "./store/glob.ts";
import { toBytes } from "./bytes.ts";
import { parseInteger } from "./util/numbers.ts";
import {
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_LIST,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
  setLazyfreeLazyExpire,
  setNotifyClasses,
} from "./keyspace_events.ts";

type Numeric = {
  type: "numeric";
  min: bigint;
  max: bigint;
  /** C unsigned types: bounds are checked on the value read as an unsigned 64-bit number. */
  unsigned?: boolean;
  /** MEMORY_CONFIG: accepts 5mb, 1gb... */
  memory?: boolean;
  /** PERCENT_CONFIG: accepts 50% (stored negative, like Redis). */
  percent?: boolean;
};

type Kind =
  | Numeric
  | { type: "bool" }
  | { type: "enum"; values: string[] }
  | { type: "string" }
  | { type: "save" }
  | { type: "bind" }
  | { type: "events" }
  | { type: "dir" }
  | { type: "obuf" };

/**
 * A parsed option value: bigint for numbers, [seconds, changes][] for save, string[] for bind,
 * [class, hard, soft, seconds][] for client-output-buffer-limit (class: OBUF_CLASSES index).
 */
type Value = bigint | boolean | string | string[] | [bigint, bigint][] | ObufEntry[];
type ObufEntry = [number, bigint, bigint, bigint];

/** client-output-buffer-limit classes in Redis's order (CLIENT_TYPE_NORMAL, _SLAVE, _PUBSUB). */
export const OBUF_CLASSES = ["normal", "slave", "pubsub"] as const;

/** One class's limits: bytes (0: none) and how long the soft limit may be exceeded. */
export interface ObufLimit {
  hard: number;
  soft: number;
  seconds: number;
}

interface OptionSpec {
  name: string;
  kind: Kind;
  /** The default as it would be written in redis.conf. */
  default: string;
  alias?: string;
  /** Only settable at startup. */
  immutable?: boolean;
  /** Settable at runtime only when enable-protected-configs allows it. */
  protected?: boolean;
  /** hz: Redis accepts any value and caps it to this range. */
  clamp?: [bigint, bigint];
}

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;
const MB = 1024n * 1024n;

const int = (min: bigint, max: bigint): Numeric => ({ type: "numeric", min, max });
const uint = (min: bigint, max: bigint): Numeric => ({ type: "numeric", min, max, unsigned: true });
const memory = (min: bigint, max: bigint, unsigned = false): Numeric => ({
  type: "numeric",
  min,
  max,
  unsigned,
  memory: true,
});
const bool = { type: "bool" } as const;
const str = { type: "string" } as const;
const oneOf = (...values: string[]): Kind => ({ type: "enum", values });

const OPTIONS: OptionSpec[] = [
  // Network. Our defaults differ from Redis on purpose: port 7379 (no clash with a local Redis)
  // and bind 127.0.0.1 (loopback only even with protected mode off or a password set).
  { name: "port", kind: int(0n, 65535n), default: "7379" },
  { name: "bind", kind: { type: "bind" }, default: "127.0.0.1" },
  { name: "tcp-backlog", kind: int(0n, INT_MAX), default: "511", immutable: true },
  { name: "tcp-keepalive", kind: int(0n, INT_MAX), default: "300" },
  { name: "timeout", kind: uint(0n, INT_MAX), default: "0" },
  { name: "maxclients", kind: uint(1n, UINT_MAX), default: "10000" },
  { name: "protected-mode", kind: bool, default: "yes" },
  { name: "requirepass", kind: str, default: "" },
  // ACL (lib/acl.ts).
  { name: "aclfile", kind: str, default: "", immutable: true },
  { name: "acllog-max-len", kind: uint(0n, LONG_MAX), default: "128" },
  {
    name: "acl-pubsub-default",
    kind: oneOf("allchannels", "resetchannels"),
    default: "resetchannels",
  },
  // TLS (lib/tls.ts): certificates are read when the TLS listener opens.
  { name: "tls-port", kind: int(0n, 65535n), default: "0" },
  { name: "tls-cert-file", kind: str, default: "" },
  { name: "tls-key-file", kind: str, default: "" },
  { name: "tls-key-file-pass", kind: str, default: "" },
  { name: "tls-client-cert-file", kind: str, default: "" },
  { name: "tls-client-key-file", kind: str, default: "" },
  { name: "tls-client-key-file-pass", kind: str, default: "" },
  { name: "tls-dh-params-file", kind: str, default: "" },
  { name: "tls-ca-cert-file", kind: str, default: "" },
  { name: "tls-ca-cert-dir", kind: str, default: "" },
  { name: "tls-protocols", kind: str, default: "" },
  { name: "tls-ciphers", kind: str, default: "" },
  { name: "tls-ciphersuites", kind: str, default: "" },
  { name: "tls-auth-clients", kind: oneOf("no", "yes", "optional"), default: "yes" },
  { name: "tls-prefer-server-ciphers", kind: bool, default: "no" },
  { name: "tls-session-caching", kind: bool, default: "yes" },
  { name: "tls-session-cache-size", kind: int(0n, INT_MAX), default: "20480" },
  { name: "tls-session-cache-timeout", kind: int(0n, INT_MAX), default: "300" },
  { name: "tls-replication", kind: bool, default: "no" },
  { name: "tls-cluster", kind: bool, default: "no" },
  // General.
  { name: "databases", kind: int(1n, INT_MAX), default: "16", immutable: true },
  { name: "hz", kind: int(0n, INT_MAX), default: "10", clamp: [1n, 500n] },
  { name: "daemonize", kind: bool, default: "no", immutable: true },
  { name: "pidfile", kind: str, default: "", immutable: true },
  { name: "loglevel", kind: oneOf("debug", "verbose", "notice", "warning"), default: "notice" },
  { name: "logfile", kind: str, default: "", immutable: true },
  { name: "cluster-enabled", kind: bool, default: "no", immutable: true },
  {
    name: "enable-protected-configs",
    kind: oneOf("no", "yes", "local"),
    default: "no",
    immutable: true,
  },
  {
    name: "enable-debug-command",
    kind: oneOf("no", "yes", "local"),
    default: "no",
    immutable: true,
  },
  // Limits.
  { name: "proto-max-bulk-len", kind: memory(MB, LONG_MAX), default: "512mb" },
  { name: "client-query-buffer-limit", kind: memory(MB, LONG_MAX, true), default: "1gb" },
  { name: "maxmemory", kind: memory(0n, ULLONG_MAX, true), default: "0" },
  {
    name: "client-output-buffer-limit",
    kind: { type: "obuf" },
    default: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  },
  { name: "tracking-table-max-keys", kind: uint(0n, LONG_MAX), default: "1000000" },
  {
    name: "maxmemory-policy",
    kind: oneOf(
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ),
    default: "noeviction",
  },
  { name: "maxmemory-samples", kind: int(1n, INT_MAX), default: "5" },
  { name: "maxmemory-eviction-tenacity", kind: int(0n, 100n), default: "10" },
  {
    name: "maxmemory-clients",
    kind: { type: "numeric", min: -100n, max: LONG_MAX, memory: true, percent: true },
    default: "0",
  },
  { name: "lfu-log-factor", kind: int(0n, INT_MAX), default: "10" },
  { name: "lfu-decay-time", kind: int(0n, INT_MAX), default: "1" },
  // Persistence (lib/persistence/): RDB snapshots and the append-only file.
  { name: "dir", kind: { type: "dir" }, default: ".", protected: true },
  { name: "dbfilename", kind: str, default: "dump.rdb", protected: true },
  { name: "save", kind: { type: "save" }, default: "3600 1 300 100 60 10000" },
  { name: "rdbcompression", kind: bool, default: "yes" },
  { name: "rdbchecksum", kind: bool, default: "yes", immutable: true },
  { name: "stop-writes-on-bgsave-error", kind: bool, default: "yes" },
  { name: "rdb-del-sync-files", kind: bool, default: "no" },
  { name: "rdb-save-incremental-fsync", kind: bool, default: "yes" },
  {
    name: "sanitize-dump-payload",
    kind: oneOf("no", "yes", "clients"),
    default: "no",
  },
  { name: "appendonly", kind: bool, default: "no" },
  { name: "appendfilename", kind: str, default: "appendonly.aof", immutable: true },
  { name: "appenddirname", kind: str, default: "appendonlydir", immutable: true },
  { name: "appendfsync", kind: oneOf("everysec", "always", "no"), default: "everysec" },
  { name: "no-appendfsync-on-rewrite", kind: bool, default: "no" },
  { name: "auto-aof-rewrite-percentage", kind: int(0n, INT_MAX), default: "100" },
  { name: "auto-aof-rewrite-min-size", kind: memory(0n, LONG_MAX), default: "64mb" },
  { name: "aof-load-truncated", kind: bool, default: "yes" },
  { name: "aof-use-rdb-preamble", kind: bool, default: "yes" },
  { name: "aof-rewrite-incremental-fsync", kind: bool, default: "yes" },
  { name: "aof-timestamp-enabled", kind: bool, default: "no" },
  { name: "aof-disable-auto-gc", kind: bool, default: "no" },
  // Keyspace.
  { name: "notify-keyspace-events", kind: { type: "events" }, default: "" },
  { name: "lazyfree-lazy-eviction", kind: bool, default: "no" },
  { name: "lazyfree-lazy-expire", kind: bool, default: "no" },
  { name: "lazyfree-lazy-server-del", kind: bool, default: "no" },
  { name: "lazyfree-lazy-user-del", kind: bool, default: "no" },
  { name: "lazyfree-lazy-user-flush", kind: bool, default: "no" },
  { name: "active-expire-effort", kind: int(1n, 10n), default: "1" },
  { name: "slowlog-log-slower-than", kind: int(-1n, LONG_MAX), default: "10000" },
  { name: "slowlog-max-len", kind: uint(0n, LONG_MAX), default: "128" },
  { name: "latency-tracking", kind: bool, default: "yes" },
  {
    name: "busy-reply-threshold",
    alias: "lua-time-limit",
    kind: int(0n, LONG_MAX),
    default: "5000",
  },
  // Encodings.
  {
    name: "list-max-listpack-size",
    alias: "list-max-ziplist-size",
    kind: int(INT_MIN, INT_MAX),
    default: "-2",
  },
  { name: "list-compress-depth", kind: int(0n, INT_MAX), default: "0" },
  {
    name: "hash-max-listpack-entries",
    alias: "hash-max-ziplist-entries",
    kind: uint(0n, LONG_MAX),
    default: "512",
  },
  {
    name: "hash-max-listpack-value",
    alias: "hash-max-ziplist-value",
    kind: memory(0n, LONG_MAX, true),
    default: "64",
  },
  { name: "set-max-intset-entries", kind: uint(0n, LONG_MAX), default: "512" },
  {
    name: "zset-max-listpack-entries",
    alias: "zset-max-ziplist-entries",
    kind: uint(0n, LONG_MAX),
    default: "128",
  },
  {
    name: "zset-max-listpack-value",
    alias: "zset-max-ziplist-value",
    kind: memory(0n, LONG_MAX, true),
    default: "64",
  },
  { name: "stream-node-max-bytes", kind: memory(0n, LONG_MAX), default: "4096" },
  { name: "hll-sparse-max-bytes", kind: memory(0n, LONG_MAX, true), default: "3000" },
  { name: "stream-node-max-entries", kind: int(0n, LONG_MAX), default: "100" },
];

/** Every option by its lowercase name and alias (Redis lists both in CONFIG GET). */
const SPECS = new Map<string, OptionSpec>();
for (const spec of OPTIONS) {
  SPECS.set(spec.name, spec);
  if (spec.alias !== undefined) SPECS.set(spec.alias, spec);
}

/** A rejected option value; the message is Redis's reason text. */
export class ConfigError extends Error {}

/**
 * Checks the arguments of a config-file directive that is not an option (`user`,
 * `rename-command`) when its line is read; throws ConfigError. `config` holds the lines before.
 */
export type DirectiveCheck = (args: string[], config: Config) => void;
const DIRECTIVES = new Map<string, DirectiveCheck>();

/** Declares a directive; its module registers it, the server applies the lines at startup. */
export function registerDirective(name: string, check: DirectiveCheck): void {
  DIRECTIVES.set(name, check);
}

/** Redis's memtoull: digits with an optional b/k/kb/m/mb/g/gb unit; wraps like C on overflow. */
export function parseMemory(text: string): bigint | null {
  const m = /^(\d*)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (m === null || m[1]!.length >= 128) return null;
  const units: Record<string, bigint> = {
    "": 1n,
    b: 1n,
    k: 1000n,
    kb: 1024n,
    m: 1000n ** 2n,
    mb: 1024n ** 2n,
    g: 1000n ** 3n,
    gb: 1024n ** 3n,
  };
  // strtoull saturates at ULLONG_MAX; the unit multiplication then wraps.
  let value = m[1] === "" ? 0n : BigInt(m[1]!);
  if (value > ULLONG_MAX) value = ULLONG_MAX;
  return BigInt.asUintN(64, value * units[(m[2] ?? "").toLowerCase()]!);
}

/** Redis's string2ll as a bigint, or null. */
function string2ll(text: string): bigint | null {
  const value = parseInteger(text);
  return value === null ? null : BigInt(value);
}

/** C's strtoll(s, &end, 10) with the check that `end` is the end of the string. */
function strtollWhole(s: string): bigint | null {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d*)/.exec(s)!;
  if (m[2] === "") return s === "" ? 0n : null; // no digits: end points at the start
  if (m[0].length !== s.length) return null;
  let value = BigInt(m[2]!);
  if (m[1] === "-") value = -value;
  if (value > LONG_MAX) return LONG_MAX;
  if (value < -LONG_MAX - 1n) return -LONG_MAX - 1n;
  return value;
}

/** Redis's sdssplitlen(value, " "): every space separates, empty tokens stay. */
function splitSpaces(value: string): string[] {
  return value === "" ? [] : value.split(" ");
}

function parseNumeric(kind: Numeric, text: string): bigint {
  let value: bigint | null = null;
  if (kind.memory) {
    const bytes = parseMemory(text);
    if (bytes !== null) value = BigInt.asIntN(64, bytes);
  }
  if (value === null && kind.percent && text.length > 1 && text.endsWith("%")) {
    const percent = string2ll(text.slice(0, -1));
    if (percent !== null && percent >= 0n) value = -percent;
  }
  if (value === null && !kind.memory && !kind.percent) value = string2ll(text);
  if (value === null) {
    throw new ConfigError(
      kind.memory && kind.percent
        ? "argument must be a memory or percent value"
        : kind.memory
        ? "argument must be a memory value"
        : "argument couldn't be parsed into an integer",
    );
  }
  const between = `argument must be between ${kind.min} and ${kind.max} inclusive`;
  if (kind.unsigned) {
    const unsigned = BigInt.asUintN(64, value);
    if (unsigned > kind.max || unsigned < kind.min) throw new ConfigError(between);
    return unsigned;
  }
  if (kind.percent && value < 0n) {
    if (value < kind.min) {
      throw new ConfigError(`percentage argument must be less or equal to ${-kind.min}`);
    }
  } else if (value > kind.max || value < kind.min) {
    throw new ConfigError(between);
  }
  return value;
}

/** Keyspace notification classes (notify.c), as NOTIFY_* bit flags. */
export const NOTIFY = {
  KEYSPACE: NOTIFY_KEYSPACE,
  KEYEVENT: NOTIFY_KEYEVENT,
  GENERIC: NOTIFY_GENERIC,
  STRING: NOTIFY_STRING,
  LIST: NOTIFY_LIST,
  SET: NOTIFY_SET,
  HASH: NOTIFY_HASH,
  ZSET: NOTIFY_ZSET,
  EXPIRED: NOTIFY_EXPIRED,
  EVICTED: NOTIFY_EVICTED,
  STREAM: NOTIFY_STREAM,
  KEY_MISS: NOTIFY_KEY_MISS,
  MODULE: NOTIFY_MODULE,
  NEW: NOTIFY_NEW,
} as const;
const NOTIFY_ALL = NOTIFY.GENERIC | NOTIFY.STRING | NOTIFY.LIST | NOTIFY.SET | NOTIFY.HASH |
  NOTIFY.ZSET | NOTIFY.EXPIRED | NOTIFY.EVICTED | NOTIFY.STREAM | NOTIFY.MODULE;
const EVENT_CHARS: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY.GENERIC,
  $: NOTIFY.STRING,
  l: NOTIFY.LIST,
  s: NOTIFY.SET,
  h: NOTIFY.HASH,
  z: NOTIFY.ZSET,
  x: NOTIFY.EXPIRED,
  e: NOTIFY.EVICTED,
  K: NOTIFY.KEYSPACE,
  E: NOTIFY.KEYEVENT,
  t: NOTIFY.STREAM,
  m: NOTIFY.KEY_MISS,
  d: NOTIFY.MODULE,
  n: NOTIFY.NEW,
};

/** keyspaceEventsStringToFlags: the flags of a class string, or -1 for an unknown class. */
export function keyspaceEventsStringToFlags(classes: string): number {
  let flags = 0;
  for (const c of classes) {
    if (c === "\0") break; // a C string ends there
    const flag = EVENT_CHARS[c];
    if (flag === undefined) return -1;
    flags |= flag;
  }
  return flags;
}

/** keyspaceEventsFlagsToString: the canonical class string CONFIG GET shows. */
export function keyspaceEventsFlagsToString(flags: number): string {
  let out = "";
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    out = "A";
  } else {
    for (const c of "g$lshzxetdn") if (flags & EVENT_CHARS[c]!) out += c;
  }
  for (const c of "KEm") if (flags & EVENT_CHARS[c]!) out += c;
  return out;
}

/**
 * setConfigClientOutputBufferLimitOption: `<class> <hard> <soft> <soft-seconds>` groups; every
 * group is checked before any is accepted. Classes not named keep their limits (see store).
 */
function parseObufLimits(args: string[]): ObufEntry[] {
  if (args.length % 4 !== 0) {
    throw new ConfigError("Wrong number of arguments in buffer limit configuration.");
  }
  const entries: ObufEntry[] = [];
  for (let j = 0; j < args.length; j += 4) {
    const name = args[j]!.toLowerCase();
    const cls = name === "replica" ? 1 : (OBUF_CLASSES as readonly string[]).indexOf(name);
    if (cls < 0) {
      throw new ConfigError("Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemory(args[j + 1]!);
    const soft = parseMemory(args[j + 2]!);
    const seconds = strtollWhole(args[j + 3]!);
    if (hard === null || soft === null || seconds === null || seconds < 0n) {
      throw new ConfigError(
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      );
    }
    entries.push([cls, hard, soft, seconds]);
  }
  return entries;
}

/** Parses an option's arguments (several only for save and bind); throws ConfigError. */
function parseValue(spec: OptionSpec, args: string[]): Value {
  const kind = spec.kind;
  const arg = args[0] ?? "";
  switch (kind.type) {
    case "numeric": {
      const value = parseNumeric(kind, arg);
      if (spec.clamp === undefined) return value;
      const [low, high] = spec.clamp;
      return value < low ? low : value > high ? high : value;
    }
    case "bool": {
      const lower = arg.toLowerCase();
      if (lower !== "yes" && lower !== "no") {
        throw new ConfigError("argument must be 'yes' or 'no'");
      }
      return lower === "yes";
    }
    case "enum": {
      const lower = arg.toLowerCase();
      if (!kind.values.includes(lower)) {
        throw new ConfigError(
          `argument(s) must be one of the following: ${kind.values.join(", ")}`,
        );
      }
      return lower;
    }
    case "string":
    case "dir":
      return arg;
    case "events": {
      const flags = keyspaceEventsStringToFlags(arg);
      if (flags === -1) {
        throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      }
      return BigInt(flags);
    }
    case "save": {
      // setConfigSaveOption: a single "" means no save points.
      const parts = args.length === 1 && args[0] === "" ? [] : args;
      if (parts.length % 2 !== 0) throw new ConfigError("Invalid save parameters");
      const points: [bigint, bigint][] = [];
      for (let j = 0; j < parts.length; j += 2) {
        const seconds = strtollWhole(parts[j]!);
        const changes = strtollWhole(parts[j + 1]!);
        if (seconds === null || changes === null || seconds < 1n || changes < 0n) {
          throw new ConfigError("Invalid save parameters");
        }
        points.push([seconds, BigInt.asIntN(32, changes)]); // changes is a C int
      }
      return points;
    }
    case "obuf":
      return parseObufLimits(args);
    case "bind": {
      if (args.length > 16) throw new ConfigError("Too many bind addresses specified.");
      return args.length === 1 && args[0] === "" ? [] : [...args];
    }
  }
}

/** The CONFIG GET text of a value. */
function formatValue(spec: OptionSpec, value: Value): string {
  const kind = spec.kind;
  switch (kind.type) {
    case "numeric":
      return kind.percent && (value as bigint) < 0n ? `${-(value as bigint)}%` : String(value);
    case "bool":
      return value ? "yes" : "no";
    case "events":
      return keyspaceEventsFlagsToString(Number(value));
    case "save":
      return (value as [bigint, bigint][]).map(([s, c]) => `${s} ${c}`).join(" ");
    case "bind":
      return (value as string[]).join(" ");
    case "obuf":
      return (value as ObufEntry[]).map(([cls, hard, soft, seconds]) =>
        `${OBUF_CLASSES[cls]} ${hard} ${soft} ${seconds}`
      ).join(" ");
    case "dir":
      return cwd();
    default:
      return value as string;
  }
}

/** rewriteConfigFormatMemory: the largest unit that divides the value. */
function formatMemory(bytes: bigint): string {
  for (const [unit, size] of [["gb", 1024n ** 3n], ["mb", 1024n ** 2n], ["kb", 1024n]] as const) {
    if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** sdscatrepr: a double-quoted string with C escapes (how CONFIG REWRITE writes strings). */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c < 32 || c >= 127) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** The argument text of redis.conf lines for a value (one line per save point). */
function rewriteArgs(spec: OptionSpec, value: Value): string[] {
  const kind = spec.kind;
  switch (kind.type) {
    case "numeric": {
      const n = value as bigint;
      if (kind.percent && n < 0n) return [`${-n}%`];
      return [kind.memory ? formatMemory(n) : String(n)];
    }
    case "string":
    case "dir":
    case "events":
      return [quoteRepr(formatValue(spec, value))];
    case "save": {
      const points = value as [bigint, bigint][];
      return points.length === 0 ? ['""'] : points.map(([s, c]) => `${s} ${c}`);
    }
    case "obuf": {
      // One line per class that differs from its default, "slave" written as "replica"
      // (rewriteConfigClientOutputBufferLimitOption); every class when none differs.
      const defaults = parseValue(spec, splitDefault(spec)) as ObufEntry[];
      const entries = value as ObufEntry[];
      const changed = entries.filter((e, i) => e.join(" ") !== defaults[i]!.join(" "));
      return (changed.length === 0 ? entries : changed).map(([cls, hard, soft, seconds]) =>
        `${cls === 1 ? "replica" : OBUF_CLASSES[cls]} ${formatMemory(hard)} ${
          formatMemory(soft)
        } ${seconds}`
      );
    }
    default:
      return [formatValue(spec, value)];
  }
}

/** Applies a change to the running server; returns an error text to undo the change. */
export type ConfigApply = () => string | null;
export type ConfigListener = (name: string) => void;

export class Config {
  private values = new Map<string, Value>();
  /** client-output-buffer-limit as numbers. */
  private obuf: ObufLimit[] = [];
  /** Numeric options as JS numbers, for the hot paths that read them per command. */
  private numbers = new Map<string, number>();
  private listeners: ConfigListener[] = [];
  private appliers = new Map<string, ConfigApply>();
  /** maxmemory as a field: the dispatcher reads it before every command. */
  maxmemory = 0;
  /** Absolute path of the config file the server was started with, if any. */
  file: string | null = null;
  /** Directive lines (`user`, `rename-command`) in file order, as read. */
  readonly directives: { name: string; args: string[] }[] = [];
  /** CONFIG REWRITE's lines for a directive, from the part of the server that owns it. */
  readonly directiveRewriters = new Map<string, () => string[]>();
  /** The first save line of a config file replaces the default save points. */
  private savesLoaded = false;

  constructor() {
    for (const spec of OPTIONS) {
      if (spec.kind.type !== "dir") this.store(spec, parseValue(spec, splitDefault(spec)));
    }
  }

  private store(spec: OptionSpec, value: Value): void {
    if (spec.kind.type === "obuf") {
      value = this.mergeObuf(value as ObufEntry[]);
      this.obuf = (value as ObufEntry[]).map(([, hard, soft, seconds]) => ({
        hard: Number(hard),
        soft: Number(soft),
        seconds: Number(seconds),
      }));
    }
    this.values.set(spec.name, value);
    if (typeof value === "bigint") this.numbers.set(spec.name, Number(value));
    if (spec.name === "maxmemory") this.maxmemory = Number(value);
    // Read on every write: the modules keep a copy rather than look the option up.
    if (spec.name === "notify-keyspace-events") setNotifyClasses(Number(value));
    else if (spec.name === "lazyfree-lazy-expire") setLazyfreeLazyExpire(value as boolean);
  }

  /** Sets a numeric option from inside the server (no validation, no listeners). */
  setNumber(name: string, value: number): void {
    this.store(SPECS.get(name)!, BigInt(value));
  }

  has(name: string): boolean {
    return SPECS.has(name.toLowerCase());
  }

  /** The classes given replace those limits; the other classes keep theirs. */
  private mergeObuf(entries: ObufEntry[]): ObufEntry[] {
    const current = (this.values.get("client-output-buffer-limit") ?? []) as ObufEntry[];
    const merged = current.slice();
    for (const entry of entries) merged[entry[0]] = entry;
    return merged;
  }

  /** client-output-buffer-limit, indexed like OBUF_CLASSES (checked on the output hot path). */
  obufLimits(): readonly ObufLimit[] {
    return this.obuf;
  }

  /**
   * A numeric option (beyond 2^53 approximate, e.g. maxmemory set to 18446744073709551615).
   * notify-keyspace-events reads as its NOTIFY flags; maxmemory-clients percentages as negative.
   */
  num(name: string): number {
    return this.numbers.get(name)!;
  }

  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  /** The CONFIG GET text of an option. */
  str(name: string): string {
    const spec = SPECS.get(name)!;
    return formatValue(spec, this.values.get(spec.name)!);
  }

  /** bind's addresses. */
  list(name: string): string[] {
    return [...this.values.get(name) as string[]];
  }

  /** Called after every successful change (CONFIG SET), with the option's name. */
  onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  /** Registers the function that makes a new value of `name` take effect (it may fail). */
  onApply(name: string, apply: ConfigApply): void {
    this.appliers.set(name, apply);
  }

  /** Sets one option from a config file line's arguments (immutable options allowed). */
  load(name: string, args: string[]): void {
    const spec = SPECS.get(name.toLowerCase());
    if (spec === undefined) {
      const check = DIRECTIVES.get(name.toLowerCase());
      if (check === undefined) throw new ConfigError("Bad directive or wrong number of arguments");
      check(args, this);
      this.directives.push({ name: name.toLowerCase(), args });
      return;
    }
    const multi = isMultiArg(spec);
    if (!multi && args.length !== 1) throw new ConfigError("wrong number of arguments");
    // Multi-argument options given one argument split it: --save "900 1".
    if (multi && args.length === 1 && args[0] !== "") {
      const bytes = toBytes(args[0]!);
      args = splitArgs(bytes, 0, bytes.length) ?? [];
    }
    let value = parseValue(spec, args);
    const clears = args.length === 1 && args[0] === "";
    if (spec.kind.type === "save" && this.savesLoaded && !clears) {
      // Several save lines in a file add up; the first one replaces the default.
      value = [...this.values.get("save") as [bigint, bigint][], ...value as [bigint, bigint][]];
    }
    if (spec.kind.type === "save") this.savesLoaded = true;
    if (spec.kind.type === "dir") changeDir(value as string);
    else this.store(spec, value);
  }

  /**
   * CONFIG SET name value [name value ...], like configSetCommand: names are checked first
   * (unknown, immutable or protected, duplicate), then every value is parsed and set, then
   * apply functions run; any failure restores every old value. Returns null, or the error.
   */
  setMany(pairs: [string, string][], protectedAllowed: boolean): string | null {
    const specs: OptionSpec[] = [];
    let failure: string | null = null;
    const fail = (name: string, why: string) =>
      `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
    for (let i = 0; i < pairs.length; i++) {
      const name = pairs[i]![0];
      const spec = SPECS.get(name.toLowerCase());
      if (spec === undefined) {
        failure ??= `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
        continue;
      }
      specs.push(spec);
      if (failure !== null) continue;
      if (spec.immutable) failure = fail(name, "can't set immutable config");
      else if (spec.protected && !protectedAllowed) {
        failure = fail(name, "can't set protected config");
      } else if (pairs.slice(0, i).some(([other]) => other.toLowerCase() === name.toLowerCase())) {
        // Redis compares config records: an alias and its option are not duplicates.
        failure = fail(name, "duplicate parameter");
      }
    }
    if (failure !== null) return failure;

    const old = specs.map((spec) => this.values.get(spec.name) ?? cwd());
    const restore = (count: number) => {
      for (let i = count - 1; i >= 0; i--) {
        try {
          this.assign(specs[i]!, old[i]!);
        } catch (e) {
          // A working directory deleted meanwhile cannot be gone back to.
          if (!(e instanceof ConfigError)) throw e;
        }
      }
    };
    for (let i = 0; i < pairs.length; i++) {
      const spec = specs[i]!;
      const multi = isMultiArg(spec);
      try {
        this.assign(spec, parseValue(spec, multi ? splitSpaces(pairs[i]![1]) : [pairs[i]![1]]));
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        restore(i);
        return fail(pairs[i]![0].toLowerCase() === spec.alias ? spec.alias : spec.name, e.message);
      }
    }
    const applied = new Set<string>();
    for (const spec of specs) {
      const apply = this.appliers.get(spec.name);
      if (apply === undefined || applied.has(spec.name)) continue;
      applied.add(spec.name);
      const error = apply();
      if (error !== null) {
        restore(specs.length);
        for (const name of applied) this.appliers.get(name)!();
        return fail(spec.name, error);
      }
    }
    for (const spec of specs) for (const listener of this.listeners) listener(spec.name);
    return null;
  }

  private assign(spec: OptionSpec, value: Value): void {
    if (spec.kind.type === "dir") changeDir(value as string);
    else this.store(spec, value);
  }

  /**
   * CONFIG GET: [name, value] for each pattern. A name without glob characters is looked up
   * and answered under the spelling asked; patterns match names and aliases (no case).
   */
  get(patterns: string[]): [string, string][] {
    const out = new Map<string, [string, string]>();
    for (const pattern of patterns) {
      if (!/[[*?]/.test(pattern)) {
        const spec = SPECS.get(pattern.toLowerCase());
        if (spec !== undefined && !out.has(pattern.toLowerCase())) {
          out.set(pattern.toLowerCase(), [pattern, formatValue(spec, this.values.get(spec.name)!)]);
        }
        continue;
      }
      for (const [name, spec] of SPECS) {
        if (!out.has(name) && matchGlob(pattern, name, true)) {
          out.set(name, [name, formatValue(spec, this.values.get(spec.name)!)]);
        }
      }
    }
    return [...out.values()];
  }

  /**
   * The redis.conf lines for an option as CONFIG REWRITE writes them, and whether they must
   * be written even when the file does not mention the option (the value is not the default).
   */
  rewriteLines(name: string): { lines: string[]; force: boolean } {
    const spec = SPECS.get(name)!;
    const value = spec.kind.type === "dir" ? cwd() : this.values.get(spec.name)!;
    const lines = rewriteArgs(spec, value).map((args) => `${spec.name} ${args}`);
    const force = spec.kind.type === "dir" ||
      formatValue(spec, value) !== formatValue(spec, parseValue(spec, splitDefault(spec)));
    return { lines, force };
  }

  /** Canonical option names in table order, and the canonical name of a name or alias. */
  static names(): string[] {
    return OPTIONS.map((spec) => spec.name);
  }

  /** True for a directive that is not an option (`user`, `rename-command`). */
  static isDirective(name: string): boolean {
    return DIRECTIVES.has(name.toLowerCase());
  }

  static canonical(name: string): string | undefined {
    return SPECS.get(name.toLowerCase())?.name;
  }
}

/** Options whose value is several arguments (MULTI_ARG_CONFIG). */
function isMultiArg(spec: OptionSpec): boolean {
  return spec.kind.type === "save" || spec.kind.type === "bind" || spec.kind.type === "obuf";
}

function splitDefault(spec: OptionSpec): string[] {
  return isMultiArg(spec) ? splitSpaces(spec.default) : [spec.default];
}

/** The working directory (the dir option); "" when it was deleted, as Redis's failed getcwd. */
function cwd(): string {
  try {
    return Deno.cwd();
  } catch {
    return "";
  }
}

/** setConfigDirOption: the working directory is the dir option. */
function changeDir(dir: string): void {
  try {
    Deno.chdir(utf8(dir));
  } catch (e) {
    throw new ConfigError(
      e instanceof Deno.errors.NotFound
        ? "No such file or directory"
        : String((e as Error).message),
    );
  }
}

/** The text of a byte string holding UTF-8 (file names from config lines). */
export function utf8(bytes: string): string {
  return new TextDecoder().decode(toBytes(bytes));
}

/** A config file problem, reported like Redis's "FATAL CONFIG FILE ERROR". */
export class ConfigFileError extends Error {
  constructor(readonly line: number, readonly text: string, readonly reason: string) {
    super(reason);
  }
}

/**
 * Applies redis.conf text (a byte string): one `name args...` per line, `#` comments, quoted
 * arguments, `include path`. Mirrors loadServerConfigFromString.
 */
export function loadConfigText(config: Config, text: string): void {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (line === "" || line.startsWith("#")) continue;
    const bytes = toBytes(line);
    const argv = splitArgs(bytes, 0, bytes.length);
    if (argv === null) {
      throw new ConfigFileError(i + 1, line, "Unbalanced quotes in configuration line");
    }
    if (argv.length === 0) continue;
    const name = argv[0]!.toLowerCase();
    try {
      if (name === "include" && argv.length === 2) {
        loadConfigText(config, readConfigFile(argv[1]!));
      } else {
        config.load(name, argv.slice(1));
      }
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigFileError(i + 1, line, e.message);
      throw e;
    }
  }
}

/** A config file's bytes as a byte string; ConfigError when it cannot be read. */
export function readConfigFile(path: string): string {
  try {
    const bytes = Deno.readFileSync(utf8(path));
    let out = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return out;
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : (e as Error).message;
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${reason}`);
  }
}
