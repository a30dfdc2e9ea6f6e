// Propagation: every command that changed the dataset is handed, in its deterministic form,
// to the sinks (the append-only file; replicas later). Mirrors Redis's propagate/alsoPropagate:
// by default a write command propagates as it was called; a handler that must be replayed
// differently (SET EX -> SET PXAT, SPOP -> SREM, INCRBYFLOAT -> SET KEEPTTL...) says so.

/** Receives (db index, argv) for each propagated command, in execution order. */
export type PropagationSink = (dbIndex: number, argv: string[]) => void;

const sinks: PropagationSink[] = [];

export function addPropagationSink(sink: PropagationSink): void {
  sinks.push(sink);
}

export function removePropagationSink(sink: PropagationSink): void {
  const i = sinks.indexOf(sink);
  if (i >= 0) sinks.splice(i, 1);
}

/** True when something listens: handlers may skip building rewritten argv otherwise. */
export function propagating(): boolean {
  return sinks.length !== 0;
}

/** Sends commands to every sink (the dispatcher calls this after a command changed data). */
export function propagate(dbIndex: number, argvs: readonly string[][]): void {
  for (const argv of argvs) for (const sink of sinks) sink(dbIndex, argv);
}

/** Nesting of the commands being executed (call() inside EXEC...); 0 between commands. */
let executing = 0;
/** What the outermost command and those it ran propagate, as (db index, argv). */
let pending: [number, string[]][] = [];

/**
 * The dispatcher brackets each command's execution with enterCall/exitCall; leaving the
 * outermost one hands what it queued to the sinks (propagatePendingCommands).
 */
export function enterCall(): void {
  executing++;
}

export function exitCall(): void {
  if (--executing === 0 && pending.length !== 0) propagatePendingCommands();
}

/**
 * Redis's alsoPropagate: queued while a command executes, so that its effects (a lazily
 * expired key's DEL, the command itself) reach the sinks together, in order; sent at once
 * between commands (the active expiry cycle, blocked clients being served).
 */
export function alsoPropagate(dbIndex: number, argv: string[]): void {
  if (sinks.length === 0) return;
  if (executing === 0) propagate(dbIndex, [argv]);
  else pending.push([dbIndex, argv]);
}

/**
 * Sends what the outermost command queued; more than one command (a transaction, a command
 * replicated as several, a write that found a key expired) goes inside MULTI ... EXEC, as in
 * Redis 7.0.
 */
export function propagatePendingCommands(): void {
  const ops = pending;
  pending = [];
  const transaction = ops.length > 1;
  if (transaction) propagate(ops[0]![0], [["MULTI"]]);
  for (const [dbIndex, argv] of ops) propagate(dbIndex, [argv]);
  if (transaction) propagate(ops[ops.length - 1]![0], [["EXEC"]]);
}

/**
 * Redis's forceCommandPropagation, for a command that changed nothing it counts (FLUSHALL of
 * empty dbs) yet must reach the sinks: the dispatcher only propagates what moved
 * keyspace.dirty, so the handler queues it itself, in that case only.
 */
export function forcePropagation(dbIndex: number, argv: string[]): void {
  alsoPropagate(dbIndex, argv);
}
