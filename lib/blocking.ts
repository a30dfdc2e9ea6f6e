// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...): FIFO waiters per key, ready keys served
// after each command, one timer for every timeout. Mirrors Redis's blocked.c and timeout.c.
import type { Client } from "./client.ts";
import type { Db } from "./store/keyspace.ts";
import { now } from "./clock.ts";
import { INTERNAL, ReplyError, TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, UNBLOCKED } from "./errors.ts";
import { parseLongDouble } from "./util/long_double.ts";
import { alsoPropagate } from "./propagate.ts";

/** What a blocked client waits for (Redis's client->bpop). */
export class BlockState {
  /** Position in the timeout heap, -1 when not in it (no timeout). */
  heapIndex = -1;
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly keys: string[],
    /** Absolute time in ms; 0 means forever. */
    readonly deadline: number,
    readonly serve: (key: string) => boolean,
    readonly onTimeout: () => void,
  ) {}
}

/** The clients blocked on one key of one db, longest waiting first. */
interface KeyWaiters {
  db: Db;
  key: string;
  clients: BlockState[];
  /** Already in readyKeys (signalKeyAsReady dedupes, like db->ready_keys). */
  ready: boolean;
}

/** db -> key -> waiters; only dbs and keys somebody waits on have an entry. */
const blockingKeys = new Map<Db, Map<string, KeyWaiters>>();
let blockedCount = 0;
let readyKeys: KeyWaiters[] = [];
/** Clients unblocked since the last resume pass: their pipelined input runs next. */
let unblocked: Client[] = [];
let resumeScheduled = false;

/**
 * Parses a blocking command's timeout in seconds (decimals allowed) into an absolute deadline
 * in ms, 0 for "forever". Like getTimeoutFromObjectOrReply: the long double is multiplied by
 * 1000 and rounded up; a result that does not fit a long long is what Redis's cast makes of
 * it (LLONG_MIN, so "timeout is negative"), and a deadline past the long long range never
 * comes.
 */
export function parseTimeout(text: string): number {
  const value = parseLongDouble(text);
  if (value === null) throw new ReplyError(TIMEOUT_NOT_FLOAT);
  if (typeof value === "string") throw new ReplyError(TIMEOUT_NEGATIVE);
  if (value.mant === 0n) return 0;
  // The long double product mant * 1000 * 2^exp, rounded to 64 bits (half to even) like the
  // x87 multiplication, then ceil.
  let scaled = value.mant * 1000n;
  let exp = value.exp;
  const extra = scaled.toString(2).length - 64;
  if (extra > 0) {
    const drop = BigInt(extra);
    const rest = scaled & ((1n << drop) - 1n);
    const half = 1n << (drop - 1n);
    scaled >>= drop;
    exp += extra;
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled++;
  }
  let ms: bigint;
  if (exp >= 0) {
    ms = scaled << BigInt(exp);
  } else {
    const shift = BigInt(-exp);
    const whole = scaled >> shift;
    const exact = (whole << shift) === scaled;
    // Toward +inf: a positive fraction rounds up; a negative one rounds toward zero.
    ms = value.neg ? whole : exact ? whole : whole + 1n;
  }
  if (value.neg) ms = -ms;
  if (ms >= 1n << 63n) throw new ReplyError(TIMEOUT_NEGATIVE);
  if (ms < 0n) throw new ReplyError(TIMEOUT_NEGATIVE);
  if (ms === 0n) return 0;
  const deadline = Number(ms) + now();
  return deadline >= 2 ** 63 ? Infinity : deadline;
}

/** Number of clients blocked on keys right now. */
export function blockedClients(): number {
  return blockedCount;
}

/**
 * Blocks the client on keys in its db until `serve` answers for one of them, the deadline
 * passes (`onTimeout` writes the reply), the client disconnects or CLIENT UNBLOCK releases it.
 * The command has already tried its keys (with its own error replies); `serve(key)` is called
 * when a key may have become servable and returns true once it has written a reply (an error
 * counts: the client is then unblocked). `deadline` is absolute ms (see parseTimeout), 0 for
 * never. A client that cannot block gets the timeout reply at once.
 */
export function blockForKeys(
  c: Client,
  keys: string[],
  deadline: number,
  serve: (key: string) => boolean,
  onTimeout: () => void,
): void {
  if (c.denyBlocking) {
    onTimeout();
    return;
  }
  const state = new BlockState(c, c.db, keys, deadline, serve, onTimeout);
  let byKey = blockingKeys.get(c.db);
  if (byKey === undefined) blockingKeys.set(c.db, byKey = new Map());
  for (const key of keys) {
    let waiters = byKey.get(key);
    if (waiters === undefined) {
      byKey.set(key, waiters = { db: c.db, key, clients: [], ready: false });
    }
    // A key given twice (BLPOP k k 0) waits once; this client can only be the last waiter.
    if (waiters.clients[waiters.clients.length - 1] !== state) waiters.clients.push(state);
  }
  c.blocked = state;
  blockedCount++;
  c.server.blockedClients = blockedCount;
  if (deadline !== 0) timeouts.add(state);
}

/**
 * Marks a key as possibly able to serve blocked clients; called by every write that may add
 * elements or create the key. Nearly free when nobody is blocked.
 */
export function signalKeyAsReady(db: Db, key: string): void {
  if (blockedCount === 0) return;
  const waiters = blockingKeys.get(db)?.get(key);
  if (waiters === undefined || waiters.ready) return;
  waiters.ready = true;
  readyKeys.push(waiters);
}

/**
 * Signals every key of the db that clients wait on (SWAPDB swaps a db's data under its
 * blocked clients: scanDatabaseForReadyKeys).
 */
export function scanDatabaseForReadyKeys(db: Db): void {
  const byKey = blockingKeys.get(db);
  if (byKey === undefined) return;
  for (const key of byKey.keys()) {
    if (db.dict.has(key)) signalKeyAsReady(db, key);
  }
}

/** True when some signalled key waits to be served (the dispatcher checks after commands). */
export function haveReadyKeys(): boolean {
  return readyKeys.length !== 0;
}

/**
 * Serves the clients blocked on the keys signalled so far, longest waiting first, as long as
 * each key can serve them. Serving may signal more keys (BLMOVE pushes to its destination);
 * those are served in the next round, so chains of moves complete before this returns.
 */
export function handleClientsBlockedOnKeys(): void {
  while (readyKeys.length !== 0) {
    const batch = readyKeys;
    readyKeys = [];
    for (const waiters of batch) {
      waiters.ready = false;
      serveKey(waiters);
    }
  }
}

function serveKey(waiters: KeyWaiters): void {
  const { clients, db, key } = waiters;
  // Only the clients waiting when the round started; one served by a chained push waits
  // for the next round.
  let remaining = clients.length;
  let i = 0;
  while (remaining-- > 0 && i < clients.length) {
    const state = clients[i]!;
    if (tryServe(state, key)) {
      unblockClient(state.client);
      queueResume(state.client);
    } else {
      i++;
      // Nothing left to serve anyone: stop instead of asking every other waiter.
      if (!db.dict.has(key)) break;
    }
  }
}

/**
 * Runs a waiter's serve callback; an exception becomes its error reply, like a command's. A
 * served pop propagates in the form its callback left in propagateAs (LPOP, LMOVE, ZPOPMIN...),
 * in the waiter's db, whether or not Redis counts it in dirty.
 */
function tryServe(state: BlockState, key: string): boolean {
  const c = state.client;
  const mark = c.reply.len;
  try {
    const served = state.serve(key);
    if (c.propagateAs !== null) {
      for (const argv of c.propagateAs) alsoPropagate(state.db.id, argv);
    }
    return served;
  } catch (err) {
    c.reply.truncate(mark);
    if (err instanceof ReplyError) {
      c.reply.error(err.message);
    } else {
      c.server.log("warning", `Internal error serving a blocked client: ${(err as Error).stack}`);
      c.reply.error(INTERNAL);
    }
    return true;
  } finally {
    c.propagateAs = null;
  }
}

/**
 * Removes the client from every waiting list and the timeout heap without replying; the
 * caller has written (or will not write) its reply.
 */
export function unblockClient(c: Client): void {
  const state = c.blocked;
  if (state === null) return;
  c.blocked = null;
  const byKey = blockingKeys.get(state.db);
  if (byKey !== undefined) {
    for (const key of state.keys) {
      const waiters = byKey.get(key);
      if (waiters === undefined) continue;
      const at = waiters.clients.indexOf(state);
      if (at >= 0) waiters.clients.splice(at, 1);
      if (waiters.clients.length === 0) byKey.delete(key);
    }
    if (byKey.size === 0) blockingKeys.delete(state.db);
  }
  if (state.heapIndex >= 0) timeouts.remove(state);
  blockedCount--;
  c.server.blockedClients = blockedCount;
}

/**
 * CLIENT UNBLOCK: releases a client blocked on keys as if it timed out, or with the UNBLOCKED
 * error. Returns false when the client is not blocked.
 */
export function unblockClientByRequest(c: Client, withError: boolean): boolean {
  const state = c.blocked;
  if (state === null) return false;
  unblockClient(c);
  if (withError) c.reply.error(UNBLOCKED);
  else state.onTimeout();
  queueResume(c);
  return true;
}

/**
 * Runs, after the current command batch, the commands an unblocked client had pipelined behind
 * the blocking one, and sends its replies (Redis's processUnblockedClients in beforeSleep).
 */
function queueResume(c: Client): void {
  unblocked.push(c);
  if (resumeScheduled) return;
  resumeScheduled = true;
  queueMicrotask(resumeUnblocked);
}

function resumeUnblocked(): void {
  resumeScheduled = false;
  const clients = unblocked;
  unblocked = [];
  for (const c of clients) {
    if (!c.closed && c.blocked === null) c.resume();
  }
}

/** Expires blocked clients whose deadline passed: the timeout reply, then resume. */
function handleBlockedClientsTimeout(nowMs: number): void {
  for (;;) {
    const state = timeouts.peek();
    // Redis times a client out once its deadline is in the past (timeout < now).
    if (state === undefined || state.deadline >= nowMs) break;
    if (state.client.blocked !== state) {
      // Not this client's current wait (cannot happen): drop it rather than spin on it.
      timeouts.remove(state);
      continue;
    }
    unblockClient(state.client);
    state.onTimeout();
    queueResume(state.client);
  }
}

/**
 * The deadlines of blocked clients: a binary min-heap and one timer armed for the earliest,
 * instead of a timer per client (Redis keeps a radix tree scanned in beforeSleep).
 */
class TimeoutHeap {
  private heap: BlockState[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Infinity;

  peek(): BlockState | undefined {
    return this.heap[0];
  }

  add(state: BlockState): void {
    if (!Number.isFinite(state.deadline)) return;
    state.heapIndex = this.heap.length;
    this.heap.push(state);
    this.up(state.heapIndex);
    if (state.deadline < this.armedFor) this.arm();
  }

  remove(state: BlockState): void {
    const at = state.heapIndex;
    state.heapIndex = -1;
    const last = this.heap.pop()!;
    if (last !== state) {
      this.heap[at] = last;
      last.heapIndex = at;
      this.up(at);
      this.down(last.heapIndex);
    }
    // The timer stays armed: firing early finds nothing due and re-arms for the new first.
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    const first = this.heap[0];
    if (first === undefined) return;
    this.armedFor = first.deadline;
    // One ms past the deadline: Redis expires a client when its deadline is in the past.
    const delay = Math.max(0, first.deadline + 1 - Date.now());
    const timer = setTimeout(() => this.fire(), Math.min(delay, 2 ** 31 - 1));
    // Waiting clients do not keep the process alive (shutdown closes them).
    Deno.unrefTimer(timer);
    this.timer = timer;
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    handleBlockedClientsTimeout(Date.now());
    this.arm();
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.deadline <= item.deadline) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadline < heap[child]!.deadline) child++;
      const ch = heap[child]!;
      if (ch.deadline >= item.deadline) break;
      heap[i] = ch;
      ch.heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}

const timeouts = new TimeoutHeap();
