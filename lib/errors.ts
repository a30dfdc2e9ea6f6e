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

export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

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
