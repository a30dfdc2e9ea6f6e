// The append-only file, as Redis 7.0 keeps it (aof.c): a directory (appenddirname) holding a
// base file (an RDB written by a rewrite), incremental files of commands in RESP, and a manifest
// naming them. Writes are appended as propagated (lib/propagate.ts) and reach the file before
// any reply is sent; appendfsync says when they are fsynced: always (before the replies, one
// fsync per event-loop turn for every client's writes), everysec (in the background once a
// second) or no. A rewrite (BGREWRITEAOF, auto-aof-rewrite-*) starts a new incremental file
// and writes a new base from a point-in-time snapshot (lib/persistence/snapshot.ts) at once,
// so writes made while it runs are never lost; the manifest then drops the old files.
import { join } from "node:path";
import type { Server } from "../server.ts";
import { ReplyWriter } from "../resp/writer.ts";
import { strerror } from "../errors.ts";
import { utf8 } from "../config.ts";
import { addPropagationSink, removePropagationSink } from "../propagate.ts";
import { AofManifest, AofManifestError, manifestName, tempIncrName } from "./aof_manifest.ts";
import { AofLoadError, loadAofFile } from "./aof_loader.ts";
import { saveRdbSync, syncDir } from "./rdb.ts";
import { Snapshot, type SnapshotOutcome } from "./snapshot.ts";
import { unixTime } from "../clock.ts";

/** AOF_OFF, AOF_ON, AOF_WAIT_REWRITE (turned on at runtime: on once the first rewrite ends). */
export type AofState = "off" | "on" | "wait_rewrite";

function fileSize(path: string): number {
  return Deno.statSync(path).size;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

export class Aof {
  state: AofState = "off";
  manifest = new AofManifest();
  /** aof_buf: commands not yet written to the file. */
  private buf = new ReplyWriter();
  /** The incremental file being appended to, and a second handle the background fsync uses. */
  private file: Deno.FsFile | null = null;
  private syncFile: Deno.FsFile | null = null;
  private selectedDb = -1;
  private lastTimestamp = 0;
  /** aof_current_size, aof_rewrite_base_size, aof_last_incr_size. */
  currentSize = 0;
  baseSize = 0;
  private lastIncrSize = 0;
  /** Bytes written since the last fsync, and when that fsync started (ms). */
  private unsynced = false;
  private lastFsync = Date.now();
  private fsyncInFlight: Promise<void> | null = null;
  /** The write (and fsync) every client replying in this event-loop turn waits for. */
  private commit: Promise<void> | null = null;
  lastWriteOk = true;
  lastWriteError = "";
  private lastWriteErrorLog = 0;
  /** The rewrite in progress (Redis: a child of type AOF), and its bookkeeping. */
  rewrite: Snapshot | null = null;
  private rewriteBase = { name: "", seq: 0 };
  rewriteScheduled = false;
  rewrites = 0;
  rewriteFailures = 0;
  lastBgrewriteOk = true;
  lastRewriteTimeSec = -1;
  private rewriteStartTime = -1;
  lastCowSize = 0;
  private readonly sink = (dbIndex: number, argv: string[]) => this.feed(dbIndex, argv);

  /** aof-timestamp-enabled, kept here: feed runs for every propagated command. */
  private timestamps: boolean;

  constructor(private readonly server: Server) {
    this.timestamps = server.config.bool("aof-timestamp-enabled");
    server.config.onChange((name) => {
      if (name === "aof-timestamp-enabled") this.timestamps = server.config.bool(name);
    });
  }

  private get filename(): string {
    return utf8(this.server.config.str("appendfilename"));
  }

  /** The directory, relative to the working directory (dir), like Redis's aof_dirname. */
  private get dir(): string {
    return utf8(this.server.config.str("appenddirname"));
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  private log(level: "notice" | "warning", message: string): void {
    this.server.log(level, message);
  }

  private setState(state: AofState): void {
    if (this.state === "off" && state !== "off") addPropagationSink(this.sink);
    if (state === "off") removePropagationSink(this.sink);
    this.state = state;
  }

  /** feedAppendOnlyFile: a propagated command, after a SELECT when the db changes. */
  private feed(dbIndex: number, argv: string[]): void {
    // Turned on at runtime: writes before the rewrite starts are in its snapshot.
    if (this.state === "wait_rewrite" && this.rewrite === null) return;
    const buf = this.buf;
    if (this.timestamps) {
      const t = unixTime();
      if (t > this.lastTimestamp) {
        buf.str(`#TS:${t}\r\n`);
        this.lastTimestamp = t;
      }
    }
    if (dbIndex !== this.selectedDb) {
      buf.array(2);
      buf.bulk("SELECT");
      buf.bulk(String(dbIndex));
      this.selectedDb = dbIndex;
    }
    buf.array(argv.length);
    for (let i = 0; i < argv.length; i++) buf.bulk(argv[i]!);
  }

  /** True when a client's replies must wait for beforeReply (cheap test on the write path). */
  get pending(): boolean {
    return this.buf.len !== 0 || this.commit !== null;
  }

  /**
   * Called before a client's replies are written: resolves once the commands appended so far
   * are in the file (fsynced too with appendfsync always), in one write shared with every
   * other client served in this event-loop turn.
   */
  beforeReply(): Promise<void> {
    if (this.commit === null) {
      // A microtask runs after the other clients whose reads completed in this event-loop
      // turn have executed their commands (their continuations were queued first), so they
      // all share this write and fsync. (A timer would wait a millisecond or more.)
      this.commit = new Promise<void>((resolve) =>
        queueMicrotask(() => {
          this.commit = null;
          this.flush();
          resolve();
        })
      );
    }
    return this.commit;
  }

  /**
   * flushAppendOnlyFile: writes the buffer; with `always` (or `force`) also fsyncs. A write
   * error under `always` stops the server, as in Redis: acknowledged data could be lost.
   */
  flush(force = false): void {
    if (this.file === null) {
      this.buf.reset();
      return;
    }
    const always = this.server.config.str("appendfsync") === "always";
    if (this.buf.len !== 0 && !this.write() && always) {
      this.log(
        "warning",
        "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
      );
      Deno.exit(1);
    }
    if ((always || force) && this.unsynced) {
      try {
        this.file.syncDataSync();
        this.unsynced = false;
        this.lastFsync = Date.now();
      } catch (err) {
        if (!always) {
          this.log("warning", `Fail to fsync the AOF file: ${strerror(err)}.`);
          return;
        }
        this.log(
          "warning",
          `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${
            strerror(err)
          }. Exiting...`,
        );
        Deno.exit(1);
      }
    }
  }

  /** Writes the whole buffer; false (logged, writes refused with MISCONF) on an error. */
  private write(): boolean {
    const file = this.file;
    if (file === null) {
      this.buf.reset();
      return true;
    }
    const data = this.buf.bytes();
    let written = 0;
    try {
      while (written < data.length) written += file.writeSync(data.subarray(written));
    } catch (err) {
      if (written > 0) {
        // Remove the partial command so the file stays loadable; else keep what went out.
        try {
          file.truncateSync(this.lastIncrSize);
        } catch {
          this.buf.consume(written);
          this.grew(written);
        }
      }
      this.lastWriteError = strerror(err);
      if (this.lastWriteOk || Date.now() - this.lastWriteErrorLog > 30_000) {
        this.log("warning", `Error writing to the AOF file: ${this.lastWriteError}`);
        this.lastWriteErrorLog = Date.now();
      }
      this.lastWriteOk = false;
      return false;
    }
    this.buf.reset();
    this.grew(written);
    if (!this.lastWriteOk) {
      this.log("warning", "AOF write error looks solved, Redis can write again.");
      this.lastWriteOk = true;
    }
    return true;
  }

  private grew(bytes: number): void {
    this.currentSize += bytes;
    this.lastIncrSize += bytes;
    this.unsynced = true;
  }

  /** serverCron's AOF part: writes left by commands without a reply; the everysec fsync. */
  cron(): void {
    if (this.state === "off") return;
    const policy = this.server.config.str("appendfsync");
    if (policy === "always") {
      if (this.buf.len !== 0 && this.commit === null) this.flush(true);
      return;
    }
    if (this.buf.len !== 0) this.write();
    if (policy !== "everysec" || !this.unsynced || this.fsyncInFlight !== null) return;
    if (Date.now() - this.lastFsync < 1000) return;
    if (this.rewrite !== null && this.server.config.bool("no-appendfsync-on-rewrite")) return;
    const handle = this.syncFile;
    if (handle === null) return;
    this.unsynced = false;
    this.lastFsync = Date.now();
    // aof_background_fsync: on another handle of the file, so writes go on meanwhile.
    this.fsyncInFlight = handle.syncData().then(
      () => {
        this.fsyncInFlight = null;
      },
      (err) => {
        this.fsyncInFlight = null;
        this.unsynced = true;
        this.log("warning", `Fail to fsync the AOF file: ${strerror(err)}.`);
      },
    );
  }

  /** Opens `name` in the AOF directory for appending (the current incremental file). */
  private openIncr(name: string, truncate: boolean): void {
    const path = this.path(name);
    // O_APPEND and O_TRUNC do not go together here: emptied first, then opened to append.
    if (truncate) Deno.writeFileSync(path, new Uint8Array(0));
    const file = Deno.openSync(path, { append: true, create: true });
    const syncFile = Deno.openSync(path, { read: true });
    this.closeFiles();
    this.file = file;
    this.syncFile = syncFile;
    this.lastIncrSize = truncate ? 0 : file.statSync().size;
  }

  /** Closes the current file; the old handle is fsynced in the background first. */
  private closeFiles(): void {
    this.file?.close();
    this.file = null;
    const old = this.syncFile;
    this.syncFile = null;
    if (old === null) return;
    const closeOld = () => {
      old.syncData().catch(() => {}).finally(() => old.close());
    };
    if (this.fsyncInFlight !== null) this.fsyncInFlight.finally(closeOld);
    else closeOld();
  }

  /** persistAofManifest: written to a temporary file, fsynced and renamed over the manifest. */
  private persistManifest(am: AofManifest): void {
    const name = manifestName(this.filename);
    const tmp = this.path(`temp-${name}`);
    const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
    try {
      file.writeSync(new TextEncoder().encode(am.format()));
      file.syncSync();
    } finally {
      file.close();
    }
    Deno.renameSync(tmp, this.path(name));
    syncDir(this.dir);
  }

  /** aofDelHistoryFiles: the files a rewrite made obsolete (kept with aof-disable-auto-gc). */
  private deleteHistoryFiles(): void {
    if (this.server.config.bool("aof-disable-auto-gc") || this.manifest.history.length === 0) {
      return;
    }
    for (const ai of this.manifest.history) {
      this.log("notice", `Removing the history file ${ai.name} in the background`);
      try {
        Deno.removeSync(this.path(ai.name));
      } catch {
        // already gone
      }
    }
    this.manifest.history = [];
    try {
      this.persistManifest(this.manifest);
    } catch (err) {
      this.log("warning", `Error persisting the AOF manifest: ${strerror(err)}`);
    }
  }

  // --- Startup -------------------------------------------------------------------------

  /**
   * aofLoadManifestFromDisk + loadAppendOnlyFiles: replays the base and incremental files.
   * Returns an error text when the server must not start.
   */
  loadAtStartup(): string | null {
    const start = performance.now();
    const error = this.loadManifest();
    if (error !== null) return error;
    const empty = this.manifest.base === null && this.manifest.incrs.length === 0;
    if (exists(this.filename) && (!exists(this.dir) || empty)) {
      const error = this.upgradeOldStyle();
      if (error !== null) return error;
    }
    const am = this.manifest;
    if (am.base === null && am.incrs.length === 0) return null;

    const files = [...(am.base === null ? [] : [am.base]), ...am.incrs];
    let total = 0;
    for (const ai of files) {
      try {
        total += fileSize(this.path(ai.name));
      } catch (err) {
        return `Unable to obtain the AOF file ${ai.name} length. stat: ${strerror(err)}`;
      }
    }
    if (total === 0) return null;
    this.server.persistence.loading = true;
    try {
      for (let i = 0; i < files.length; i++) {
        const ai = files[i]!, last = i === files.length - 1;
        const fileStart = performance.now();
        const status = loadAofFile(this.server, this.path(ai.name), {
          loadTruncated: this.server.config.bool("aof-load-truncated"),
          name: ai.name,
          oldStyle: ai.name === this.filename,
        });
        if (status === "truncated" && !last) {
          return "Fatal error: the truncated file is not the last file";
        }
        const seconds = ((performance.now() - fileStart) / 1000).toFixed(3);
        const kind = ai.type === "b" ? "base" : "incr";
        this.log("notice", `DB loaded from ${kind} file ${ai.name}: ${seconds} seconds`);
      }
    } catch (err) {
      if (err instanceof AofLoadError) return err.message;
      throw err;
    } finally {
      this.server.persistence.loading = false;
    }
    this.currentSize = files.reduce((n, ai) => n + fileSize(this.path(ai.name)), 0);
    // Redis does not keep the size after the last rewrite: the base stands in for it.
    this.baseSize = am.base === null ? 0 : fileSize(this.path(am.base.name));
    this.server.keyspace.dirty = 0;
    const seconds = ((performance.now() - start) / 1000).toFixed(3);
    this.log("notice", `DB loaded from append only file: ${seconds} seconds`);
    return null;
  }

  /**
   * aofLoadManifestFromDisk: read at every start, AOF on or off (a rewrite with the AOF off
   * continues its sequence numbers). An error text when the manifest is unreadable.
   */
  loadManifest(): string | null {
    const manifestPath = this.path(manifestName(this.filename));
    if (!exists(this.dir) || !exists(manifestPath)) return null;
    try {
      this.manifest = AofManifest.parse(Deno.readTextFileSync(manifestPath));
      return null;
    } catch (err) {
      if (err instanceof AofManifestError) return err.message;
      return `Can't open the AOF manifest ${manifestName(this.filename)} for reading: ${
        strerror(err)
      }`;
    }
  }

  /** aofUpgradePrepare: an appendonly.aof from before Redis 7 becomes the base of a manifest. */
  private upgradeOldStyle(): string | null {
    const name = this.filename;
    try {
      Deno.mkdirSync(this.dir, { recursive: true });
      const am = new AofManifest();
      am.base = { name, seq: 1, type: "b" };
      am.baseSeq = 1;
      this.persistManifest(am);
      Deno.renameSync(name, this.path(name));
      this.manifest = am;
    } catch (err) {
      return `Error moving the old-style AOF ${name} into ${this.dir}: ${strerror(err)}`;
    }
    this.log(
      "notice",
      `Successfully migrated an old-style AOF file (${name}) into the AOF directory (${this.dir}).`,
    );
    return null;
  }

  /**
   * aofOpenIfNeededOnServerStart: with appendonly yes, makes sure there is a base (an empty
   * dataset still gets one) and an incremental file, and opens the latter for appending.
   */
  openAtStartup(): string | null {
    if (!this.server.config.bool("appendonly")) return null;
    try {
      Deno.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      return `Can't open or create append-only dir ${this.dir}: ${strerror(err)}`;
    }
    const am = this.manifest;
    let changed = false;
    try {
      if (am.base === null && am.incrs.length === 0) {
        // Nothing was loaded: the base of an empty dataset (an empty file in command form).
        const rdbPreamble = this.server.config.bool("aof-use-rdb-preamble");
        const name = am.newBase(this.filename, rdbPreamble);
        this.log("notice", `Creating AOF base file ${name} on server start`);
        if (rdbPreamble) saveRdbSync(this.server.keyspace, this.path(name), this.baseSaveOptions());
        else Deno.writeFileSync(this.path(name), new Uint8Array(0));
        this.baseSize = this.currentSize = fileSize(this.path(name));
        changed = true;
      }
      if (am.incrs.length === 0) {
        const name = am.newIncr(this.filename);
        this.log("notice", `Creating AOF incr file ${name} on server start`);
        changed = true;
      }
      this.openIncr(am.lastIncrName()!, false);
      if (changed) this.persistManifest(am);
    } catch (err) {
      return `Can't open the append-only file ${am.lastIncrName()}: ${strerror(err)}`;
    }
    this.setState("on");
    this.deleteHistoryFiles();
    return null;
  }

  private baseSaveOptions() {
    return { ...this.server.persistence.saveOptions(), aofBase: true };
  }

  // --- Turning it on and off at runtime --------------------------------------------------

  /** startAppendOnly (CONFIG SET appendonly yes): on once a rewrite has written a base. */
  start(): boolean {
    const persistence = this.server.persistence;
    this.setState("wait_rewrite");
    if (persistence.snapshot !== null) {
      this.rewriteScheduled = true;
      this.log(
        "warning",
        "AOF was enabled but there is already another background operation. An AOF " +
          "background was scheduled to start when possible.",
      );
    } else {
      if (this.rewrite !== null) {
        this.log(
          "warning",
          "AOF was enabled but there is already an AOF rewriting in background. Stopping " +
            "background AOF and starting a rewrite now.",
        );
        this.killRewrite();
      }
      if (!this.rewriteBackground()) {
        this.setState("off");
        this.log(
          "warning",
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite " +
            "operation. Check the above logs for more info about the error.",
        );
        return false;
      }
    }
    this.lastFsync = Date.now();
    // A new file: a write error of the one closed by CONFIG SET appendonly no is forgotten.
    if (!this.lastWriteOk) {
      this.log("warning", "AOF reopen, just ignore the last error.");
      this.lastWriteOk = true;
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no): flushed, fsynced and closed. */
  stop(): void {
    if (this.state === "off") return;
    this.flush(true);
    this.closeFiles();
    this.selectedDb = -1;
    this.setState("off");
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.killRewrite();
    this.buf.reset();
  }

  /** prepareForShutdown's AOF part. False when an initial rewrite runs (without FORCE). */
  prepareForShutdown(force: boolean): boolean {
    if (this.rewrite !== null) {
      if (this.state === "wait_rewrite") {
        if (!force) {
          this.log("warning", "Writing initial AOF, can't exit.");
          return false;
        }
        this.log("warning", "Writing initial AOF. Exit anyway.");
      }
      this.log("warning", "There is a child rewriting the AOF. Killing it!");
      this.killRewrite();
    }
    if (this.state !== "off") {
      this.log("notice", "Calling fsync() on the AOF file.");
      this.flush(true);
    }
    return true;
  }

  // --- Rewrite ---------------------------------------------------------------------------

  /**
   * rewriteAppendOnlyFileBackground: a new incremental file takes the writes from now on and
   * a new base is written from the data as of now. False (logged) when it cannot start.
   */
  rewriteBackground(): boolean {
    if (this.server.persistence.hasActiveChild()) return false;
    try {
      Deno.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      this.log("warning", `Can't open or create append-only dir ${this.dir}: ${strerror(err)}`);
      this.lastBgrewriteOk = false;
      return false;
    }
    this.rewriteScheduled = false;
    // A new file starts with a SELECT.
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) {
      this.lastBgrewriteOk = false;
      return false;
    }
    this.rewrites++;
    const next = this.manifest.clone();
    const rdbPreamble = this.server.config.bool("aof-use-rdb-preamble");
    const name = next.newBase(this.filename, rdbPreamble);
    this.rewriteBase = { name, seq: next.baseSeq };
    const tmp = this.path(`temp-rewriteaof-bg-${Deno.pid}.aof`);
    const snapshot = new Snapshot(
      this.server.keyspace,
      this.path(name),
      this.baseSaveOptions(),
      tmp,
      !rdbPreamble,
    );
    this.rewrite = snapshot;
    this.rewriteStartTime = unixTime();
    this.log("notice", `Background append only file rewriting started by pid ${Deno.pid}`);
    snapshot.done.then((outcome) => this.rewriteDone(snapshot, outcome));
    return true;
  }

  /** openNewIncrAofForAppend: while turning on, a temporary file named in no manifest yet. */
  private openNewIncr(): boolean {
    if (this.state === "off") return true;
    try {
      if (this.state === "wait_rewrite") {
        this.openIncr(tempIncrName(this.filename), true);
        return true;
      }
      const am = this.manifest.clone();
      const name = am.newIncr(this.filename);
      this.openIncr(name, true);
      this.persistManifest(am);
      this.manifest = am;
      return true;
    } catch (err) {
      this.log("warning", `Can't open the append-only file: ${strerror(err)}`);
      return false;
    }
  }

  /** backgroundRewriteDoneHandler: the new base replaces the old files in the manifest. */
  private rewriteDone(snapshot: Snapshot, outcome: SnapshotOutcome): void {
    if (this.rewrite !== snapshot) return;
    this.rewrite = null;
    this.lastCowSize = snapshot.cowPeak;
    this.lastRewriteTimeSec = unixTime() - this.rewriteStartTime;
    this.rewriteStartTime = -1;
    if (outcome !== "ok") {
      if (outcome === "aborted") {
        this.log("warning", "Background AOF rewrite terminated by signal 10");
        return;
      }
      this.rewriteFailed(`Background AOF rewrite terminated with error: ${snapshot.error}`);
      return;
    }
    const am = this.manifest.clone();
    if (am.base !== null) am.history.unshift({ ...am.base, type: "h" });
    am.base = { name: this.rewriteBase.name, seq: this.rewriteBase.seq, type: "b" };
    am.baseSeq = this.rewriteBase.seq;
    try {
      if (this.state === "wait_rewrite") {
        const incr = am.newIncr(this.filename);
        Deno.renameSync(this.path(tempIncrName(this.filename)), this.path(incr));
      }
      am.markRewrittenIncrsAsHistory(this.state !== "off");
      this.persistManifest(am);
    } catch (err) {
      this.rewriteFailed(`Error trying to rename the temporary AOF file: ${strerror(err)}`);
      return;
    }
    this.manifest = am;
    this.log("notice", "Background AOF rewrite terminated with success");
    this.log(
      "notice",
      `Successfully renamed the temporary AOF base file temp-rewriteaof-bg-${Deno.pid}.aof ` +
        `into ${am.base.name}`,
    );
    if (this.state === "wait_rewrite") this.setState("on");
    this.currentSize = fileSize(this.path(am.base.name)) + this.lastIncrSize;
    this.baseSize = this.currentSize;
    this.lastBgrewriteOk = true;
    this.rewriteFailures = 0;
    this.deleteHistoryFiles();
    this.log("notice", "Background AOF rewrite finished successfully");
  }

  private rewriteFailed(message: string): void {
    this.log("warning", message);
    this.lastBgrewriteOk = false;
    this.rewriteFailures++;
    // Turning on waits for a successful rewrite: try again from the cron.
    if (this.state === "wait_rewrite") this.rewriteScheduled = true;
  }

  /** killAppendOnlyChild: the rewrite stops; its temporary files go. */
  killRewrite(): void {
    const snapshot = this.rewrite;
    if (snapshot === null) return;
    this.log("notice", `Killing running AOF rewrite child: ${Deno.pid}`);
    snapshot.abort();
    this.rewriteDone(snapshot, "aborted");
    if (this.state === "wait_rewrite" || this.state === "off") {
      try {
        Deno.removeSync(this.path(tempIncrName(this.filename)));
      } catch {
        // none
      }
    }
  }

  /** serverCron: a scheduled rewrite, or an automatic one when the file has grown enough. */
  cronRewrite(): void {
    if (this.server.persistence.hasActiveChild()) return;
    if (this.rewriteScheduled) {
      this.rewriteBackground();
      return;
    }
    const config = this.server.config;
    const percentage = config.num("auto-aof-rewrite-percentage");
    if (this.state !== "on" || percentage === 0) return;
    if (this.currentSize <= config.num("auto-aof-rewrite-min-size")) return;
    const base = this.baseSize === 0 ? 1 : this.baseSize;
    const growth = Math.floor(this.currentSize * 100 / base) - 100;
    if (growth >= percentage) {
      this.log("notice", `Starting automatic rewriting of AOF on ${growth}% growth`);
      this.rewriteBackground();
    }
  }

  /** MISCONF: writes are refused while the AOF cannot be written. */
  get writeError(): string | null {
    if (this.state === "off" || this.lastWriteOk) return null;
    return `MISCONF Errors writing to the AOF file: ${this.lastWriteError}`;
  }

  /** INFO persistence's AOF fields, in Redis's order. */
  infoFields(): [string, string | number][] {
    const rewriting = this.rewrite !== null;
    const fields: [string, string | number][] = [
      ["aof_enabled", this.state !== "off" ? 1 : 0],
      ["aof_rewrite_in_progress", rewriting ? 1 : 0],
      ["aof_rewrite_scheduled", this.rewriteScheduled ? 1 : 0],
      ["aof_last_rewrite_time_sec", this.lastRewriteTimeSec],
      ["aof_current_rewrite_time_sec", rewriting ? unixTime() - this.rewriteStartTime : -1],
      ["aof_last_bgrewrite_status", this.lastBgrewriteOk ? "ok" : "err"],
      ["aof_rewrites", this.rewrites],
      ["aof_rewrites_consecutive_failures", this.rewriteFailures],
      ["aof_last_write_status", this.lastWriteOk ? "ok" : "err"],
      ["aof_last_cow_size", this.lastCowSize],
    ];
    return fields;
  }

  /** The fields INFO adds while appendonly is yes. */
  infoEnabledFields(): [string, string | number][] {
    return [
      ["aof_current_size", this.currentSize],
      ["aof_base_size", this.baseSize],
      ["aof_pending_rewrite", this.rewriteScheduled ? 1 : 0],
      ["aof_buffer_length", this.buf.len],
      ["aof_pending_bio_fsync", this.fsyncInFlight === null ? 0 : 1],
      ["aof_delayed_fsync", 0],
    ];
  }
}
