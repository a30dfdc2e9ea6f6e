// DUMP and RESTORE payloads (cluster.c's createDumpPayload / verifyDumpPayload): a value's RDB
// type and encoding, then the RDB version as 2 bytes and a CRC-64 of all that, little-endian.
import type { Value } from "../store/keyspace.ts";
import { crc64 } from "./crc64.ts";
import { RDB_VERSION } from "./rdb.ts";
import { RdbError, RdbReader } from "./rdb_reader.ts";
import {
  isObjectType,
  type LoadLimits,
  readValue,
  type SaveOptions,
  writeValue,
} from "./rdb_types.ts";
import { RdbWriter } from "./rdb_writer.ts";

/** The DUMP payload of a value, as a byte string. */
export function createDumpPayload(
  value: Value,
  opts: SaveOptions,
  compression: boolean,
): Uint8Array {
  const w = new RdbWriter(compression, false, 256);
  writeValue(w, value, opts);
  w.byte(RDB_VERSION & 0xff);
  w.byte(RDB_VERSION >> 8);
  const body = w.toBytes();
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  out.set(crc64(body).bytes(), body.length);
  return out;
}

/** verifyDumpPayload: a footer with a version we can read and a matching checksum. */
export function verifyDumpPayload(payload: Uint8Array): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  const version = payload[footer]! | (payload[footer + 1]! << 8);
  if (version > RDB_VERSION) return false;
  const crc = crc64(payload, 0, payload.length - 8).bytes();
  for (let i = 0; i < 8; i++) if (crc[i] !== payload[payload.length - 8 + i]) return false;
  return true;
}

/** The value a verified payload holds, or null when it is not a valid serialized value. */
export function parseDumpPayload(payload: Uint8Array, limits: LoadLimits): Value | null {
  const r = new RdbReader(payload, payload.length - 10);
  try {
    const type = r.byte();
    if (!isObjectType(type)) return null;
    return readValue(r, type, limits);
  } catch (err) {
    if (err instanceof RdbError) return null;
    throw err;
  }
}
