// Replaying one file of the append-only file at startup (loadSingleAppendOnlyFile in Redis's
// aof.c): an optional RDB part (the base written by a rewrite), then RESP arrays executed by a
// connection-less client. A file cut short in its last command is handled per
// aof-load-truncated; anything else malformed stops the server with the offset.
import type { Server } from "../server.ts";
import { Client, CLIENT_MULTI } from "../client.ts";
import { call } from "../commands/dispatch.ts";
import { lookupCommand, type TableEntry } from "../commands/table.ts";
import { discardTransaction, queueMultiCommand } from "../multi.ts";
import { now } from "../clock.ts";
import { latin1 } from "../bytes.ts";
import { strerror } from "../errors.ts";
import { leadingInteger } from "../util/numbers.ts";
import { loadRdb } from "./rdb.ts";
import { RdbError } from "./rdb_reader.ts";

/** Why loading cannot go on: logged, then the server exits (Redis's AOF_FAILED). */
export class AofLoadError extends Error {}

export type AofLoadStatus = "ok" | "empty" | "truncated";

/** A file that ends inside a command (readerr at EOF): valid up to `validUpTo`. */
class Truncated {
  constructor(readonly validUpTo: number) {}
}

/** Bytes that are not a RESP array of bulk strings (fmterr), at `offset`. */
class BadFormat {
  constructor(readonly offset: number) {}
}

/**
 * Reads commands the way Redis's loader does with fgets/fread: `*<argc>` then `$<len>` lines,
 * `#` annotation lines skipped. null at a clean end of file.
 */
export class AofCommandReader {
  pos: number;

  constructor(private readonly data: Uint8Array, start = 0) {
    this.pos = start;
  }

  /** The next line without its end of line, or null at end of file. */
  private line(): string | null {
    const data = this.data;
    if (this.pos >= data.length) return null;
    let end = data.indexOf(10, this.pos);
    const next = end < 0 ? data.length : end + 1;
    if (end < 0) end = data.length;
    const text = latin1(data, this.pos, end);
    this.pos = next;
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }

  next(): string[] | null {
    for (;;) {
      const start = this.pos;
      const header = this.line();
      if (header === null) return null;
      if (header.startsWith("#")) continue;
      if (header[0] !== "*") throw new BadFormat(start);
      if (header.length === 1) throw new Truncated(start);
      const argc = leadingInteger(header.slice(1));
      if (argc < 1) throw new BadFormat(start);
      const argv: string[] = new Array(argc);
      for (let j = 0; j < argc; j++) {
        const at = this.pos;
        const bulk = this.line();
        if (bulk === null) throw new Truncated(start);
        if (bulk[0] !== "$") throw new BadFormat(at);
        const len = leadingInteger(bulk.slice(1));
        if (len < 0) throw new BadFormat(at);
        // The argument and its CRLF (read, not checked, like Redis's fread).
        if (this.pos + len + 2 > this.data.length) throw new Truncated(start);
        argv[j] = latin1(this.data, this.pos, this.pos + len);
        this.pos += len + 2;
      }
      return argv;
    }
  }
}

export interface AofLoadOptions {
  /** aof-load-truncated: a cut-short last command is dropped and the file truncated. */
  loadTruncated: boolean;
  /** The file's name in messages. */
  name: string;
  /** Redis reads an old-style appendonly.aof's RDB part as a "preamble". */
  oldStyle: boolean;
}

/**
 * Loads one AOF file into the server's keyspace. Returns "empty" for an empty file and
 * "truncated" when the end was cut off and dropped; throws AofLoadError when loading must stop.
 */
export function loadAofFile(server: Server, path: string, opts: AofLoadOptions): AofLoadStatus {
  const log = server.log.bind(server);
  let data: Uint8Array;
  try {
    data = Deno.readFileSync(path);
  } catch (err) {
    throw new AofLoadError(
      `Fatal error: can't open the append log file ${opts.name} for reading: ${strerror(err)}`,
    );
  }
  if (data.length === 0) return "empty";

  let start = 0;
  if (latin1(data, 0, Math.min(5, data.length)) === "REDIS") {
    log(
      "notice",
      opts.oldStyle
        ? "Reading RDB preamble from AOF file..."
        : "Reading RDB base file on AOF loading...",
    );
    try {
      const result = loadRdb(data, server.keyspace, {
        limits: server.persistence.loadLimits(),
        checksum: server.config.bool("rdbchecksum"),
        now: now(),
      });
      start = result.end;
    } catch (err) {
      if (!(err instanceof RdbError)) throw err;
      log(
        "warning",
        opts.oldStyle
          ? `Error reading the RDB preamble of the AOF file ${opts.name}, AOF loading aborted`
          : `Error reading the RDB base file ${opts.name}, AOF loading aborted`,
      );
      throw new AofLoadError(
        `Unrecoverable error reading the append only file ${opts.name}: ${err.message}`,
      );
    }
    if (opts.oldStyle) log("notice", "Reading the remaining AOF tail...");
  }

  const fake = new Client(server, null);
  const reader = new AofCommandReader(data, start);
  let validUpTo = start;
  let validBeforeMulti = start;
  try {
    for (;;) {
      const commandStart = reader.pos;
      const argv = reader.next();
      if (argv === null) break;
      const entry = resolve(argv);
      if (entry === null) {
        throw new AofLoadError(
          `Unknown command '${argv[0]}' reading the append only file ${opts.name}`,
        );
      }
      if (entry.fullName === "multi") validBeforeMulti = commandStart;
      run(fake, entry, argv);
      validUpTo = reader.pos;
    }
    if ((fake.flags & CLIENT_MULTI) === 0) return "ok";
    // The file ends inside MULTI ... EXEC: the transaction never ran; drop it like a cut end.
    log("warning", `Revert incomplete MULTI/EXEC transaction in AOF file ${opts.name}`);
    discardTransaction(fake);
    validUpTo = validBeforeMulti;
  } catch (err) {
    if (err instanceof BadFormat) {
      throw new AofLoadError(
        `Bad file format reading the append only file ${opts.name} at offset ${err.offset}: ` +
          `make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
      );
    }
    if (!(err instanceof Truncated)) throw err;
    if ((fake.flags & CLIENT_MULTI) !== 0) {
      log("warning", `Revert incomplete MULTI/EXEC transaction in AOF file ${opts.name}`);
      discardTransaction(fake);
      validUpTo = validBeforeMulti;
    }
  }
  // uxeof: the end of the file is an incomplete command.
  if (!opts.loadTruncated) {
    throw new AofLoadError(
      `Unexpected end of file reading the append only file ${opts.name} at offset ${validUpTo}. ` +
        `You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix ` +
        `<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' ` +
        `configuration option to yes and restart the server.`,
    );
  }
  log("warning", `!!! Warning: short read while loading the AOF file ${opts.name}!!!`);
  log("warning", `!!! Truncating the AOF ${opts.name} at offset ${validUpTo} !!!`);
  try {
    Deno.truncateSync(path, validUpTo);
  } catch (err) {
    throw new AofLoadError(`Error truncating the AOF file ${opts.name}: ${strerror(err)}`);
  }
  log("warning", `AOF ${opts.name} loaded anyway because aof-load-truncated is enabled`);
  return "truncated";
}

/** The command (or subcommand) an AOF line names, or null when there is none. */
function resolve(argv: string[]): TableEntry | null {
  const entry = lookupCommand(argv[0]!);
  if (entry === undefined) return null;
  if (entry.subcommands !== undefined && argv.length >= 2) {
    return entry.subcommands.get(argv[1]!.toLowerCase()) ?? null;
  }
  return entry;
}

/** Executes (or queues inside MULTI) like Redis's loader; replies are thrown away. */
function run(fake: Client, entry: TableEntry, argv: string[]): void {
  const arity = entry.command.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) return;
  if ((fake.flags & CLIENT_MULTI) !== 0 && entry.fullName !== "exec") {
    queueMultiCommand(fake, entry, argv);
  } else {
    call(fake, entry, argv);
  }
  fake.reply.reset();
}
