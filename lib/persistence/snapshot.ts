// BGSAVE without fork: the data as of the start, written in slices between event-loop turns;
// the keyspace calls beforeWrite before a key changes, and its old value is kept (per-key COW).
import { dirname, join, resolve } from "node:path";
import type { Keyspace, SnapshotHook, Value } from "../store/keyspace.ts";
import {
  type RdbSaveOptions,
  syncDir,
  tempFileName,
  writeDbHeader,
  writeFooter,
  writeHeader,
  writeKeyPrefix,
  writeKeyValue,
} from "./rdb.ts";
import { rdbType, writePayload } from "./rdb_types.ts";
import { RdbWriter } from "./rdb_writer.ts";
import { writeKeyCommands, writeSelect } from "./aof_commands.ts";

/** A key's value and expire time as they were when the save started. */
interface Saved {
  /** A string value (immutable: kept by reference). */
  text: string | null;
  /** Any other value, encoded at once: its RDB type and payload (-1: its whole AOF record). */
  type: number;
  payload: Uint8Array | null;
  expire: number | bigint | undefined;
}

/** One database as of the start: its maps (swapped or flushed ones stay frozen) and keys. */
class DbSnapshot {
  readonly keys: string[];
  readonly size: number;
  readonly expiresSize: number;
  readonly saved = new Map<string, Saved>();
  next = 0;

  constructor(
    readonly id: number,
    readonly dict: Map<string, Value>,
    readonly expires: Map<string, number>,
    readonly exactExpires: Map<string, bigint>,
  ) {
    this.keys = Array.from(dict.keys());
    this.size = dict.size;
    this.expiresSize = expires.size;
  }

  expireOf(key: string): number | bigint | undefined {
    const when = this.expires.get(key);
    if (when === undefined || this.exactExpires.size === 0) return when;
    return this.exactExpires.get(key) ?? when;
  }
}

/** Work per slice before the loop yields to clients (ms). */
const SLICE_MS = 5;
/** Buffered output that makes a slice write to the file before it continues. */
const FLUSH_BYTES = 1 << 20;

export type SnapshotOutcome = "ok" | "error" | "aborted";

export class Snapshot implements SnapshotHook {
  private readonly states = new Map<Map<string, Value>, DbSnapshot>();
  private readonly order: DbSnapshot[] = [];
  private aborted = false;
  /** Keys at the start, and keys written so far (INFO current_save_keys_*). */
  readonly keysTotal: number;
  keysProcessed = 0;
  /** Bytes held for values changed during the save (INFO current_cow_size). */
  cowBytes = 0;
  cowPeak = 0;
  readonly done: Promise<SnapshotOutcome>;
  /** Why the save failed, for the log. */
  error = "";
  private readonly tmpPath: string;
  private readonly path: string;

  /**
   * Writes the data as of now to `tmpPath` (default: a temp file beside `path`), then renames.
   * `commands`: as the commands that rebuild it (an AOF base without RDB preamble), not an RDB.
   */
  constructor(
    private readonly keyspace: Keyspace,
    path: string,
    private readonly opts: RdbSaveOptions,
    tmpPath?: string,
    private readonly commands = false,
  ) {
    // Absolute: CONFIG SET dir may change the working directory while the save runs.
    this.path = absolute(path);
    this.tmpPath = absolute(tmpPath ?? join(dirname(this.path), tempFileName("bg-")));
    let total = 0;
    for (const db of keyspace.dbs) {
      if (db.dict.size === 0) continue;
      const state = new DbSnapshot(db.id, db.dict, db.expires, db.exactExpires);
      this.states.set(db.dict, state);
      this.order.push(state);
      total += state.size;
    }
    this.keysTotal = total;
    keyspace.snapshotHook = this;
    this.done = this.run();
  }

  /** Copy-on-write: keeps the value and expire of a key of the snapshot not written yet. */
  beforeWrite(dict: Map<string, Value>, key: string): void {
    const state = this.states.get(dict);
    if (state === undefined || state.saved.has(key)) return;
    const value = dict.get(key);
    if (value === undefined) return;
    const expire = state.expireOf(key);
    if (this.commands) {
      // The key's whole record, as it will be written.
      const w = new RdbWriter(false, false, 256);
      writeKeyCommands(w, key, value, expire);
      const payload = w.toBytes();
      state.saved.set(key, { text: null, type: -1, payload, expire });
      this.cowBytes += payload.length;
    } else if (typeof value === "string") {
      state.saved.set(key, { text: value, type: 0, payload: null, expire });
      this.cowBytes += value.length;
    } else {
      const w = new RdbWriter(this.opts.compression, false, 256);
      writePayload(w, value, this.opts);
      const payload = w.toBytes();
      state.saved.set(key, { text: null, type: rdbType(value), payload, expire });
      this.cowBytes += payload.length;
    }
    if (this.cowBytes > this.cowPeak) this.cowPeak = this.cowBytes;
  }

  /** killRDBChild: stops at the next slice and removes the temporary file. */
  abort(): void {
    this.aborted = true;
    this.detach();
  }

  private detach(): void {
    if (this.keyspace.snapshotHook === this) this.keyspace.snapshotHook = null;
    this.states.clear();
  }

  private async run(): Promise<SnapshotOutcome> {
    let file: Deno.FsFile | null = null;
    try {
      file = await Deno.open(this.tmpPath, { write: true, create: true, truncate: true });
      const commands = this.commands;
      const w = new RdbWriter(this.opts.compression, this.opts.checksum && !commands);
      if (!commands) writeHeader(w, this.opts);
      let sliceStart = performance.now();
      for (const state of this.order) {
        if (commands) writeSelect(w, state.id);
        else writeDbHeader(w, state.id, state.size, state.expiresSize);
        const keys = state.keys;
        while (state.next < keys.length) {
          const key = keys[state.next++]!;
          this.writeKey(w, state, key);
          if ((state.next & 127) === 0 && performance.now() - sliceStart >= SLICE_MS) {
            if (w.pending >= FLUSH_BYTES) {
              const chunks = w.take();
              await writeChunks(file, chunks);
              w.recycle(chunks);
            }
            await nextTurn();
            if (this.aborted) return this.cleanup(file, "aborted");
            sliceStart = performance.now();
          }
        }
        // This database is written: later writes to it need no copies.
        this.states.delete(state.dict);
        this.cowBytes -= savedBytes(state);
        state.saved.clear();
      }
      this.detach();
      await writeChunks(file, commands ? w.take() : writeFooter(w));
      await file.sync();
      file.close();
      file = null;
      if (this.aborted) return this.cleanup(null, "aborted");
      await Deno.rename(this.tmpPath, this.path);
      syncDir(dirname(this.path));
      return "ok";
    } catch (err) {
      this.error = (err as Error).message;
      return this.cleanup(file, this.aborted ? "aborted" : "error");
    }
  }

  private writeKey(w: RdbWriter, state: DbSnapshot, key: string): void {
    const saved = state.saved.size === 0 ? undefined : state.saved.get(key);
    if (saved === undefined) {
      const value = state.dict.get(key);
      if (value === undefined) return;
      if (this.commands) writeKeyCommands(w, key, value, state.expireOf(key));
      else writeKeyValue(w, key, value, state.expireOf(key), this.opts);
    } else if (saved.type === -1) {
      w.bytes(saved.payload!);
    } else if (saved.text !== null) {
      writeKeyValue(w, key, saved.text, saved.expire, this.opts);
    } else {
      writeKeyPrefix(w, saved.expire, this.opts);
      w.byte(saved.type);
      w.string(key);
      w.bytes(saved.payload!);
    }
    this.keysProcessed++;
  }

  private cleanup(file: Deno.FsFile | null, outcome: SnapshotOutcome): SnapshotOutcome {
    this.detach();
    try {
      file?.close();
    } catch {
      // already closed
    }
    try {
      Deno.removeSync(this.tmpPath);
    } catch {
      // never created
    }
    return outcome;
  }
}

function savedBytes(state: DbSnapshot): number {
  let n = 0;
  for (const s of state.saved.values()) n += s.text !== null ? s.text.length : s.payload!.length;
  return n;
}

async function writeChunks(file: Deno.FsFile, chunks: Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length) at += await file.write(chunk.subarray(at));
  }
}

/**
 * The path made absolute; as given when the working directory is gone (deleted after CONFIG
 * SET dir): the save then fails to open its file, like Redis's child, instead of throwing here.
 */
function absolute(path: string): string {
  try {
    return resolve(path);
  } catch {
    return path;
  }
}

/** Lets the event loop run (network reads, timers) before the next slice. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
