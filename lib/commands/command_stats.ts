// INFO commandstats and errorstats: calls, time, rejections and failures per command, and error
// replies per error code. Mirrors the counters of Redis's call(), rejectCommand and
// afterErrorReply (server.c, networking.c).
import { ReplyWriter } from "../resp/writer.ts";

export interface CommandStats {
  calls: number;
  /** Time spent in the handler, in milliseconds (reported in microseconds). */
  ms: number;
  /** Refused before running (arity, ACL, OOM, MISCONF...). */
  rejected: number;
  /** Ran and replied with an error. */
  failed: number;
}

export function newCommandStats(): CommandStats {
  return { calls: 0, ms: 0, rejected: 0, failed: 0 };
}

/** Redis stops adding error codes past this many (ERRORSTATS_LIMIT). */
const ERRORSTATS_LIMIT = 128;

/**
 * total_error_replies and the count per code (the error's first word); `seen` is the total
 * when the last command was accounted (Redis's prev_err_count).
 */
export const errorStats = {
  total: 0,
  seen: 0,
  codes: new Map<string, number>(),
  overflowed: false,
};

/**
 * incrCommandStatsOnError: whether errors were replied since the last command was accounted.
 * Errors of the commands EXEC ran count for them, not for EXEC.
 */
export function errorsSinceLastCommand(): boolean {
  const failed = errorStats.total > errorStats.seen;
  errorStats.seen = errorStats.total;
  return failed;
}

/** afterErrorReply: every error reply sent counts, under its code ("ERR" when it has none). */
function countErrorReply(message: string): void {
  errorStats.total++;
  const space = message.indexOf(" ");
  const code = space > 0 && space < 32 ? message.slice(0, space) : "ERR";
  const count = errorStats.codes.get(code);
  if (count !== undefined) errorStats.codes.set(code, count + 1);
  else if (errorStats.codes.size < ERRORSTATS_LIMIT) errorStats.codes.set(code, 1);
  else errorStats.overflowed = true;
}

ReplyWriter.onError = countErrorReply;

export function resetErrorStats(): void {
  errorStats.total = 0;
  errorStats.codes.clear();
  errorStats.overflowed = false;
}

/** One `cmdstat_<name>` value, as Redis formats it. */
export function formatCommandStats(s: CommandStats): string {
  const usec = Math.round(s.ms * 1000);
  const perCall = s.calls === 0 ? 0 : usec / s.calls;
  return `calls=${s.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},` +
    `rejected_calls=${s.rejected},failed_calls=${s.failed}`;
}

/** A command (or subcommand) and its counters, as the command table lists them. */
export interface CountedCommand {
  fullName: string;
  stats: CommandStats;
}

/** Set by the command table (a module INFO cannot import: the table imports INFO's command). */
let countedCommands: () => Iterable<CountedCommand> = () => [];

export function setCountedCommands(source: () => Iterable<CountedCommand>): void {
  countedCommands = source;
}

/** INFO commandstats: every command that was called or refused, as [field, value]. */
export function commandStatsFields(): [string, string][] {
  const fields: [string, string][] = [];
  for (const { fullName, stats } of countedCommands()) {
    if (stats.calls + stats.rejected + stats.failed === 0) continue;
    fields.push([`cmdstat_${fullName}`, formatCommandStats(stats)]);
  }
  return fields;
}
