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
