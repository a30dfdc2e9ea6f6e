// Snapshot policy and state (rdb.c's commands side, server.c's persistence parts): SAVE, BGSAVE,
// save points, the saves at shutdown and FLUSHALL, loading at startup, INFO persistence.
import type { Server } from "../server.ts";
import { utf8 } from "../config.ts";
import { now, unixTime } from "../clock.ts";
import {
  type LoadOptions,
  loadRdb,
  type RdbSaveOptions,
  saveRdbSync,
  tempFileName,
} from "./rdb.ts";
import type { LoadLimits } from "./rdb_types.ts";
import { RdbError } from "./rdb_reader.ts";
import { Snapshot } from "./snapshot.ts";
import { Aof } from "./aof.ts";

/** CONFIG_BGSAVE_RETRY_DELAY: seconds before a save point retries after a failed BGSAVE. */
const BGSAVE_RETRY_DELAY = 5;

/** SHUTDOWN's options (the signals use none). */
export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
  force?: boolean;
}

export class Persistence {
  /** The BGSAVE in progress (Redis: a child of type RDB). */
  snapshot: Snapshot | null = null;
  lastBgsaveOk = true;
  lastBgsaveTry = 0;
  /** BGSAVE SCHEDULE or BGSAVE inside MULTI: serverCron starts it. */
  bgsaveScheduled = false;
  /** SAVE and BGSAVE attempts (INFO rdb_saves). */
  saves = 0;
  /** Unix time the current BGSAVE started, and how long the last one took (-1: none yet). */
  bgsaveStartTime = -1;
  lastBgsaveTimeSec = -1;
  private dirtyBeforeBgsave = 0;
  lastCowSize = 0;
  loadKeysLoaded = 0;
  loadKeysExpired = 0;
  /** The append-only file (lib/persistence/aof.ts). */
  readonly aof: Aof;
  /** Set while the data is being loaded at startup (no saves meanwhile). */
  loading = false;

  constructor(private readonly server: Server) {
    server.keyspace.afterFlushAll = () => this.flushAllDataAndResetRdb();
    this.aof = new Aof(server);
  }

  /** hasActiveChildProcess: a BGSAVE or an AOF rewrite runs (one at a time, as in Redis). */
  hasActiveChild(): boolean {
    return this.snapshot !== null || this.aof.rewrite !== null;
  }

  /**
   * writeCommandsDeniedByDiskError: the MISCONF error refusing writes (and PING) after a
   * failed BGSAVE (stop-writes-on-bgsave-error) or AOF write; null when writes may go on.
   */
  writeDeniedError(): string | null {
    const config = this.server.config;
    if (
      !this.lastBgsaveOk && config.bool("stop-writes-on-bgsave-error") &&
      this.saveParams().length > 0
    ) {
      return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to " +
        "persist to disk. Commands that may modify the data set are disabled, because this " +
        "instance is configured to report errors during writes if RDB snapshotting fails " +
        "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about " +
        "the RDB error.";
    }
    return this.aof.writeError;
  }

  /** dbfilename, relative to the working directory (the dir option). */
  get rdbPath(): string {
    return utf8(this.server.config.str("dbfilename"));
  }

  /** The save points, as [seconds, changes] pairs. */
  saveParams(): [number, number][] {
    const text = this.server.config.str("save").trim();
    if (text === "") return [];
    const parts = text.split(/\s+/).map(Number);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i]!, parts[i + 1]!]);
    return out;
  }

  saveOptions(): RdbSaveOptions {
    const config = this.server.config;
    const policy = config.str("maxmemory-policy");
    return {
      compression: config.bool("rdbcompression"),
      checksum: config.bool("rdbchecksum"),
      listFill: config.num("list-max-listpack-size"),
      lru: policy.endsWith("-lru"),
      lfu: policy.endsWith("-lfu"),
      usedMem: Deno.memoryUsage().heapUsed,
    };
  }

  loadLimits(): LoadLimits {
    const config = this.server.config;
    return {
      hash: {
        maxEntries: config.num("hash-max-listpack-entries"),
        maxValue: config.num("hash-max-listpack-value"),
      },
      zset: {
        maxEntries: config.num("zset-max-listpack-entries"),
        maxValue: config.num("zset-max-listpack-value"),
      },
      maxIntset: config.num("set-max-intset-entries"),
    };
  }

  /** rdbSave: the synchronous save of SAVE, SHUTDOWN and FLUSHALL. False (logged) on error. */
  save(): boolean {
    this.saves++;
    try {
      saveRdbSync(this.server.keyspace, this.rdbPath, this.saveOptions());
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied) {
        this.server.log(
          "warning",
          `Failed opening the temp RDB file ${tempFileName()} (in server root dir ${cwd()}) ` +
            `for saving: ${message}`,
        );
      } else {
        this.server.log("warning", `Write error saving DB on disk: ${message}`);
      }
      return false;
    }
    this.server.log("notice", "DB saved on disk");
    this.server.keyspace.dirty = 0;
    this.server.lastSave = unixTime();
    this.lastBgsaveOk = true;
    return true;
  }

  /** rdbSaveBackground: starts a BGSAVE unless one runs; false when one does. */
  bgsave(): boolean {
    if (this.hasActiveChild()) return false;
    this.saves++;
    const keyspace = this.server.keyspace;
    this.dirtyBeforeBgsave = keyspace.dirty;
    this.lastBgsaveTry = unixTime();
    this.bgsaveStartTime = unixTime();
    const snapshot = new Snapshot(keyspace, this.rdbPath, this.saveOptions());
    this.snapshot = snapshot;
    this.server.log("notice", `Background saving started by pid ${Deno.pid}`);
    snapshot.done.then((outcome) => this.backgroundSaveDone(snapshot, outcome));
    return true;
  }

  /** backgroundSaveDoneHandlerDisk. */
  private backgroundSaveDone(snapshot: Snapshot, outcome: "ok" | "error" | "aborted"): void {
    if (this.snapshot !== snapshot) return;
    this.snapshot = null;
    this.lastCowSize = snapshot.cowPeak;
    const log = this.server.log.bind(this.server);
    if (outcome === "ok") {
      log("notice", "DB saved on disk");
      log("notice", "Background saving terminated with success");
      this.server.keyspace.dirty -= this.dirtyBeforeBgsave;
      this.server.lastSave = unixTime();
      this.lastBgsaveOk = true;
    } else if (outcome === "error") {
      log("warning", `Write error saving DB on disk: ${snapshot.error}`);
      log("warning", "Background saving error");
      this.lastBgsaveOk = false;
    } else {
      // Killed on purpose (SIGUSR1 for Redis's child): not a failure.
      log("warning", "Background saving terminated by signal 10");
    }
    this.lastBgsaveTimeSec = unixTime() - this.bgsaveStartTime;
    this.bgsaveStartTime = -1;
  }

  /** killRDBChild: the BGSAVE stops and leaves no file behind. */
  killBgsave(): void {
    const snapshot = this.snapshot;
    if (snapshot === null) return;
    snapshot.abort();
    this.backgroundSaveDone(snapshot, "aborted");
  }

  /** serverCron's part: a scheduled BGSAVE, else the first save point reached. */
  cron(): void {
    this.aof.cron();
    this.aof.cronRewrite();
    if (this.hasActiveChild()) return;
    const unixtime = unixTime();
    const mayRetry = unixtime - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk;
    if (this.bgsaveScheduled && mayRetry) {
      this.bgsaveScheduled = false;
      this.bgsave();
      return;
    }
    const dirty = this.server.keyspace.dirty;
    for (const [seconds, changes] of this.saveParams()) {
      if (dirty >= changes && unixtime - this.server.lastSave > seconds && mayRetry) {
        this.server.log("notice", `${changes} changes in ${seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /** flushAllDataAndResetRDB: FLUSHALL stops a BGSAVE and saves the empty dataset at once. */
  private flushAllDataAndResetRdb(): void {
    this.killBgsave();
    if (this.saveParams().length === 0 || this.loading) return;
    // The write stays counted (for propagation and the AOF), as in Redis.
    const dirty = this.server.keyspace.dirty;
    this.save();
    this.server.keyspace.dirty = dirty;
  }

  /**
   * prepareForShutdown's persistence part: stops a BGSAVE and, when save points are configured
   * (and not NOSAVE) or SAVE is given, saves. False when that save failed and not FORCE.
   */
  prepareForShutdown(flags: ShutdownFlags): boolean {
    const log = this.server.log.bind(this.server);
    if (this.snapshot !== null) {
      log("warning", "There is a child saving an .rdb. Killing it!");
      this.killBgsave();
    }
    if (!this.aof.prepareForShutdown(flags.force === true)) return false;
    if ((this.saveParams().length > 0 && !flags.nosave) || flags.save) {
      log("notice", "Saving the final RDB snapshot before exiting.");
      if (!this.save()) {
        if (flags.force) {
          log("warning", "Error trying to save the DB. Exit anyway.");
        } else {
          log("warning", "Error trying to save the DB, can't exit.");
          return false;
        }
      }
    }
    return true;
  }

  /**
   * loadDataFromDisk: loads dbfilename if it exists. Returns an error text when the file is
   * there but cannot be loaded (the caller exits, as Redis does).
   */
  loadAtStartup(): string | null {
    // With appendonly yes the AOF holds the data, and the RDB file is not read.
    if (this.server.config.bool("appendonly")) {
      return this.aof.loadAtStartup() ?? this.aof.openAtStartup();
    }
    const manifestError = this.aof.loadManifest();
    if (manifestError !== null) return manifestError;
    const start = performance.now();
    let data: Uint8Array;
    try {
      data = Deno.readFileSync(this.rdbPath);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      return `Fatal error loading the DB: ${(err as Error).message}. Exiting.`;
    }
    const opts: LoadOptions = {
      limits: this.loadLimits(),
      checksum: this.server.config.bool("rdbchecksum"),
      now: now(),
    };
    try {
      const result = loadRdb(data, this.server.keyspace, opts);
      for (const note of result.notes) this.server.log("notice", note);
      this.loadKeysLoaded = result.loaded;
      this.loadKeysExpired = result.expired;
      if (result.emptySkipped > 0) {
        this.server.log(
          "warning",
          `Done loading RDB, keys loaded: ${result.loaded}, keys expired: ${result.expired}, ` +
            `empty keys skipped: ${result.emptySkipped}.`,
        );
      } else {
        this.server.log(
          "notice",
          `Done loading RDB, keys loaded: ${result.loaded}, keys expired: ${result.expired}.`,
        );
      }
    } catch (err) {
      if (!(err instanceof RdbError)) throw err;
      this.server.log("warning", `Internal error in RDB reading: ${err.message}`);
      return "Short read or OOM loading DB. Unrecoverable error, aborting now.";
    }
    this.server.keyspace.dirty = 0;
    const seconds = (performance.now() - start) / 1000;
    this.server.log("notice", `DB loaded from disk: ${seconds.toFixed(3)} seconds`);
    return null;
  }

  /** INFO persistence's save fields, in Redis's order. */
  infoFields(): [string, string | number][] {
    const s = this.snapshot;
    const unixtime = unixTime();
    return [
      ["current_cow_peak", s?.cowPeak ?? 0],
      ["current_cow_size", s?.cowBytes ?? 0],
      ["current_cow_size_age", 0],
      [
        "current_fork_perc",
        s === null || s.keysTotal === 0 ? "0.00" : (s.keysProcessed * 100 / s.keysTotal).toFixed(2),
      ],
      ["current_save_keys_processed", s?.keysProcessed ?? 0],
      ["current_save_keys_total", s?.keysTotal ?? 0],
      ["rdb_changes_since_last_save", this.server.keyspace.dirty],
      ["rdb_bgsave_in_progress", s === null ? 0 : 1],
      ["rdb_last_save_time", this.server.lastSave],
      ["rdb_last_bgsave_status", this.lastBgsaveOk ? "ok" : "err"],
      ["rdb_last_bgsave_time_sec", this.lastBgsaveTimeSec],
      ["rdb_current_bgsave_time_sec", s === null ? -1 : unixtime - this.bgsaveStartTime],
      ["rdb_saves", this.saves],
      ["rdb_last_cow_size", this.lastCowSize],
      ["rdb_last_load_keys_expired", this.loadKeysExpired],
      ["rdb_last_load_keys_loaded", this.loadKeysLoaded],
    ];
  }
}

function cwd(): string {
  try {
    return Deno.cwd();
  } catch {
    return "unknown";
  }
}
