// Every error reply text, worded exactly as Redis 7.0 words it (clients match on these).

/** A client error: the dispatcher replies `-<message>`. Thrown by handlers and the store. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const SYNTAX = "ERR syntax error";
export const NOT_INTEGER = "ERR value is not an integer or out of range";
export const BUSYKEY = "BUSYKEY Target key name already exists.";
export const BAD_DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
export const BGSAVE_IN_PROGRESS = "ERR Background save already in progress";
export const NOT_FLOAT = "ERR value is not a valid float";
export const OVERFLOW = "ERR increment or decrement would overflow";
export const NO_SUCH_KEY = "ERR no such key";
export const INVALID_DB = "ERR DB index is out of range";
export const INVALID_EXPIRE_PREFIX = "ERR invalid expire time in ";
export const OUT_OF_RANGE = "ERR index out of range";
export const STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
export const NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
export const INVALID_CURSOR = "ERR invalid cursor";
export const SAME_OBJECT = "ERR source and destination objects are the same";
export const INTERNAL = "ERR internal error";
export const BIT_OFFSET = "ERR bit offset is not an integer or out of range";
export const BIT_VALUE = "ERR bit is not an integer or out of range";
export const BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
export const BITOP_NOT = "ERR BITOP NOT must be called with a single source key.";
export const BITFIELD_TYPE =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
export const BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
export const BITFIELD_RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand";
export const HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
export const HLL_INVALID = "INVALIDOBJ Corrupted HLL object detected";

// Sorted sets (t_zset.c).
export const ZADD_NX_XX = "ERR XX and NX options at the same time are not compatible";
export const ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
export const ZADD_INCR_PAIRS = "ERR INCR option supports a single increment-element pair";
export const SCORE_NAN = "ERR resulting score is not a number (NaN)";
export const MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
export const MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";
export const LIMIT_NEEDS_BY =
  "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
export const WITHSCORES_BYLEX =
  "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
export const NOT_POSITIVE = "ERR value is out of range, must be positive";
export const NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
export const COUNT_NOT_POSITIVE = "ERR count should be greater than 0";
export const WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
export const LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
export const VALUE_OUT_OF_RANGE = "ERR value is out of range";

/** ZUNIONSTORE and friends with numkeys < 1. */
export function noInputKeys(command: string): string {
  return `ERR at least 1 input key is needed for '${command}' command`;
}

// Hashes and sets (t_hash.c, t_set.c).
export const HASH_NOT_INTEGER = "ERR hash value is not an integer";
export const HASH_NOT_FLOAT = "ERR hash value is not a float";
export const VALUE_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
export const TOO_MANY_NUMKEYS = "ERR Number of keys can't be greater than number of args";
/** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) without a custom message. */
export const COUNT_OUT_OF_RANGE =
  "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

// Lists and blocking (t_list.c, timeout.c, networking.c's CLIENT UNBLOCK).
export const TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
export const TIMEOUT_NEGATIVE = "ERR timeout is negative";
export const UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
export const UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
export const RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, " +
  "2 from the second ... or use negative to start from the end of the list";
export const LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
export const LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

/** The text printf's %s shows of a byte string: it stops at the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

export function unknownCommand(name: string, args: string[]): string {
  // Redis quotes at most 128 bytes of each of the first arguments (sdscatrepr-like cut).
  let detail = "";
  for (const arg of args) {
    if (detail.length >= 128) break;
    detail += `'${cString(arg).slice(0, 128 - detail.length)}' `;
  }
  const command = cString(name).slice(0, 128);
  return `ERR unknown command '${command}', with args beginning with: ${detail}`;
}

export function unknownSubcommand(sub: string, command: string): string {
  const name = cString(command).toUpperCase();
  return `ERR unknown subcommand '${cString(sub).slice(0, 128)}'. Try ${name} HELP.`;
}

export function invalidExpire(command: string): string {
  return `${INVALID_EXPIRE_PREFIX}'${command}' command`;
}

export function protocolError(detail: string): string {
  return `ERR Protocol error: ${detail}`;
}

// Authentication (acl.c, server.c).
export const NOAUTH = "NOAUTH Authentication required.";
export const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

/** An OS error's text as strerror gives it: Deno's "(os error N): op 'path'" suffix removed. */
export function strerror(err: unknown): string {
  return (err as Error).message.replace(/ \(os error \d+\).*$/s, "");
}
