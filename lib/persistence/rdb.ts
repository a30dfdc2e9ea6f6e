// RDB files as Redis 7.0 writes and reads them (rdb.c): header, AUX fields, SELECTDB/RESIZEDB
// sections of key records, EOF and CRC-64 footer; SAVE's file write. Values: rdb_types.ts.
import { dirname, join } from "node:path";
import type { Keyspace, Value } from "../store/keyspace.ts";
import { VERSION } from "../version.ts";
import { crc64 } from "./crc64.ts";
import { RdbError, RdbReader } from "./rdb_reader.ts";
import {
  isObjectType,
  type LoadLimits,
  rdbType,
  readValue,
  type SaveOptions,
  writePayload,
} from "./rdb_types.ts";
import { RdbWriter } from "./rdb_writer.ts";

export const RDB_VERSION = 10;

export const OPCODE_FUNCTION2 = 245;
export const OPCODE_FUNCTION = 246;
export const OPCODE_MODULE_AUX = 247;
export const OPCODE_IDLE = 248;
export const OPCODE_FREQ = 249;
export const OPCODE_AUX = 250;
export const OPCODE_RESIZEDB = 251;
export const OPCODE_EXPIRETIME_MS = 252;
export const OPCODE_EXPIRETIME = 253;
export const OPCODE_SELECTDB = 254;
export const OPCODE_EOF = 255;

/** LFU_INIT_VAL: the counter of a key whose accesses are not tracked. */
const LFU_INIT_VAL = 5;

/** Everything a save needs besides the data. */
export interface RdbSaveOptions extends SaveOptions {
  compression: boolean;
  checksum: boolean;
  /** maxmemory-policy is an LRU one: each key gets an IDLE opcode (we track none: 0). */
  lru: boolean;
  /** maxmemory-policy is an LFU one: each key gets a FREQ opcode. */
  lfu: boolean;
  /** used-mem AUX field. */
  usedMem: number;
  /** The file is the base of an append-only file (aof-base AUX field). */
  aofBase?: boolean;
}

function aux(w: RdbWriter, key: string, value: string): void {
  w.byte(OPCODE_AUX);
  w.string(key);
  w.string(value);
}

/** The magic and rdbSaveInfoAuxFields' fields (no replication fields: there is no backlog). */
export function writeHeader(w: RdbWriter, opts: RdbSaveOptions): void {
  w.latin1(`REDIS${String(RDB_VERSION).padStart(4, "0")}`);
  aux(w, "redis-ver", VERSION.redis);
  aux(w, "redis-bits", "64");
  aux(w, "ctime", String(Math.floor(Date.now() / 1000)));
  aux(w, "used-mem", String(opts.usedMem));
  aux(w, "aof-base", opts.aofBase ? "1" : "0");
}

/** SELECTDB and the RESIZEDB hint that open a database's records. */
export function writeDbHeader(w: RdbWriter, id: number, size: number, expires: number): void {
  w.byte(OPCODE_SELECTDB);
  w.len(id);
  w.byte(OPCODE_RESIZEDB);
  w.len(size);
  w.len(expires);
}

/** rdbSaveKeyValuePair: [EXPIRETIME_MS ms] [IDLE|FREQ] type key payload. */
export function writeKeyValue(
  w: RdbWriter,
  key: string,
  value: Value,
  expire: number | bigint | undefined,
  opts: RdbSaveOptions,
): void {
  writeKeyPrefix(w, expire, opts);
  w.byte(rdbType(value));
  w.string(key);
  writePayload(w, value, opts);
}

/** The opcodes that come before a key's type byte. */
export function writeKeyPrefix(
  w: RdbWriter,
  expire: number | bigint | undefined,
  opts: RdbSaveOptions,
): void {
  if (expire !== undefined) {
    w.byte(OPCODE_EXPIRETIME_MS);
    w.millis(expire);
  }
  if (opts.lru) {
    w.byte(OPCODE_IDLE);
    w.len(0);
  } else if (opts.lfu) {
    w.byte(OPCODE_FREQ);
    w.byte(LFU_INIT_VAL);
  }
}

/** The EOF opcode and the checksum of everything before it (zero when rdbchecksum is off). */
export function writeFooter(w: RdbWriter): Uint8Array[] {
  w.byte(OPCODE_EOF);
  const chunks = w.take();
  chunks.push(w.crc === null ? new Uint8Array(8) : w.crc.bytes());
  return chunks;
}

/** What loading found, for the log and INFO (rdb_last_load_keys_*). */
export interface LoadResult {
  loaded: number;
  expired: number;
  emptySkipped: number;
  /** Notes for the log: AUX fields of interest, skipped parts. */
  notes: string[];
  /** Where the RDB ended in the data (an old-style AOF continues with commands). */
  end: number;
}

export interface LoadOptions {
  limits: LoadLimits;
  /** rdbchecksum: verify the footer. */
  checksum: boolean;
  /** The time that decides which keys have already expired (ms). */
  now: number;
}

/**
 * rdbLoadRio: loads a whole RDB file into `keyspace` (which should be empty). Throws RdbError
 * on a malformed file; keys loaded before the error stay (the caller exits, as Redis does).
 */
export function loadRdb(data: Uint8Array, keyspace: Keyspace, opts: LoadOptions): LoadResult {
  const r = new RdbReader(data);
  const magic = String.fromCharCode(...r.bytes(9));
  if (!magic.startsWith("REDIS")) throw new RdbError("Wrong signature trying to load DB from file");
  const version = Number(magic.slice(5));
  if (!Number.isInteger(version) || version < 1 || version > RDB_VERSION) {
    throw new RdbError(`Can't handle RDB format version ${magic.slice(5)}`);
  }
  const result: LoadResult = { loaded: 0, expired: 0, emptySkipped: 0, notes: [], end: 0 };
  let db = keyspace.dbs[0]!;
  let expire: number | bigint | undefined;
  for (;;) {
    const type = r.byte();
    if (type === OPCODE_EXPIRETIME) {
      expire = r.seconds() * 1000;
      continue;
    }
    if (type === OPCODE_EXPIRETIME_MS) {
      expire = r.millis();
      continue;
    }
    if (type === OPCODE_FREQ) {
      r.byte();
      continue;
    }
    if (type === OPCODE_IDLE) {
      r.len();
      continue;
    }
    if (type === OPCODE_EOF) break;
    if (type === OPCODE_SELECTDB) {
      const id = r.len();
      const next = keyspace.dbs[id];
      if (next === undefined) {
        throw new RdbError(
          `FATAL: Data file was created with a Redis server configured to handle more than ` +
            `${keyspace.dbs.length} databases. Exiting\n`,
        );
      }
      db = next;
      continue;
    }
    if (type === OPCODE_RESIZEDB) {
      r.len();
      r.len();
      continue;
    }
    if (type === OPCODE_AUX) {
      const key = r.string(), value = r.string();
      if (key.startsWith("%")) result.notes.push(`RDB '${key}': ${value}`);
      else if (key === "redis-ver") result.notes.push(`Loading RDB produced by version ${value}`);
      else if (key === "ctime") {
        const age = Math.max(0, Math.floor(Date.now() / 1000) - Number(value));
        result.notes.push(`RDB age ${age} seconds`);
      } else if (key === "used-mem") {
        result.notes.push(
          `RDB memory usage when created ${(Number(value) / (1024 * 1024)).toFixed(2)} Mb`,
        );
      } else if (key === "aof-base" && Number(value) !== 0) result.notes.push("RDB is base AOF");
      continue;
    }
    if (type === OPCODE_MODULE_AUX) {
      throw new RdbError("The RDB file contains AUX module data I can't load: no modules here");
    }
    if (type === OPCODE_FUNCTION || type === OPCODE_FUNCTION2) {
      skipFunction(r, type);
      result.notes.push(
        "The RDB file contains a function library: functions are not supported, skipped",
      );
      continue;
    }
    if (!isObjectType(type)) throw new RdbError(`Unknown RDB encoding type ${type}`);
    const key = r.string();
    const value = readValue(r, type, opts.limits);
    const when = expire;
    expire = undefined;
    if (value === null) {
      result.emptySkipped++;
      continue;
    }
    if (when !== undefined && when < opts.now) {
      result.expired++;
      continue;
    }
    // dbAddRDBLoad: straight into the dict (no events, no one to notify while loading).
    const dict = db.dict, size = dict.size;
    dict.set(key, value);
    if (dict.size === size) throw new RdbError(`RDB has duplicated key '${key}' in DB ${db.id}`);
    if (when !== undefined) db.setExpireExact(key, when);
    result.loaded++;
  }
  if (version >= 5 && r.remaining >= 8) {
    const stored = r.bytes(8);
    if (opts.checksum && stored.some((b) => b !== 0)) {
      const expected = crc64(data, 0, r.pos - 8).bytes();
      if (expected.some((b, i) => b !== stored[i])) throw new RdbError("RDB CRC error");
    }
  } else if (version >= 5) {
    throw new RdbError("Unexpected EOF reading RDB file");
  }
  result.end = r.pos;
  return result;
}

/** Reads past a function library (RDB_OPCODE_FUNCTION2 holds its code; the old form more). */
function skipFunction(r: RdbReader, type: number): void {
  if (type === OPCODE_FUNCTION2) {
    r.string();
    return;
  }
  r.string(); // name
  r.string(); // engine
  if (r.len() !== 0) r.string(); // description
  r.string(); // code
}

/** The file a save writes first, next to the target (Redis's temp-<pid>.rdb in its dir). */
export function tempFileName(tag = ""): string {
  return `temp-${tag}${Deno.pid}.rdb`;
}

/** Writes chunks to a file fully (write may be partial). */
export function writeAllSync(file: Deno.FsFile, chunk: Uint8Array): void {
  let at = 0;
  while (at < chunk.length) at += file.writeSync(chunk.subarray(at));
}

/** Flushes a directory entry change (the rename) to disk where the OS allows it. */
export function syncDir(dir: string): void {
  try {
    const d = Deno.openSync(dir, { read: true });
    try {
      d.syncSync();
    } finally {
      d.close();
    }
  } catch {
    // Not every platform can open or sync a directory; the rename itself is still atomic.
  }
}

/**
 * rdbSave: writes every database to a temporary file, fsyncs it and renames it over `path`,
 * so a crash leaves either the old file or the complete new one. Synchronous, like SAVE.
 */
export function saveRdbSync(keyspace: Keyspace, path: string, opts: RdbSaveOptions): void {
  const tmp = join(dirname(path), tempFileName());
  const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    const w = new RdbWriter(opts.compression, opts.checksum);
    const flush = () => {
      const chunks = w.take();
      for (const chunk of chunks) writeAllSync(file, chunk);
      w.recycle(chunks);
    };
    writeHeader(w, opts);
    for (const db of keyspace.dbs) {
      if (db.dict.size === 0) continue;
      writeDbHeader(w, db.id, db.dict.size, db.expires.size);
      for (const [key, value] of db.dict) {
        writeKeyValue(w, key, value, db.getExpireExact(key), opts);
        if (w.pending >= 1 << 20) flush();
      }
    }
    for (const chunk of writeFooter(w)) writeAllSync(file, chunk);
    file.syncSync();
    file.close();
    Deno.renameSync(tmp, path);
  } catch (err) {
    try {
      file.close();
    } catch {
      // already closed
    }
    try {
      Deno.removeSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
  syncDir(dirname(path));
}
