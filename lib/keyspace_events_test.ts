import assert from "node:assert/strict";
import {
  keyExpired,
  NOTIFY_GENERIC,
  NOTIFY_KEY_MISS,
  NOTIFY_LIST,
  notifyKeyspaceEvent,
  onModifiedKey,
  setEventPublisher,
  setNotifyClasses,
} from "./keyspace_events.ts";
import {
  addPropagationSink,
  alsoPropagate,
  enterCall,
  exitCall,
  forcePropagation,
  removePropagationSink,
} from "./propagate.ts";
import { Config } from "./config.ts";
import { Keyspace } from "./store/keyspace.ts";

/** Runs fn with a capturing publisher; returns "channel message" lines. */
function published(fn: () => void): string[] {
  const out: string[] = [];
  setEventPublisher((channel, message) => out.push(`${channel} ${message}`));
  try {
    fn();
  } finally {
    setEventPublisher(null);
  }
  return out;
}

/** Runs fn with a capturing propagation sink; returns "db: argv" lines. */
function propagated(fn: () => void): string[] {
  const out: string[] = [];
  const sink = (db: number, argv: string[]) => out.push(`${db}: ${argv.join(" ")}`);
  addPropagationSink(sink);
  try {
    fn();
  } finally {
    removePropagationSink(sink);
  }
  return out;
}

Deno.test("notifications go to __keyspace@db__:key and __keyevent@db__:event as enabled", () => {
  const config = new Config();
  try {
    config.load("notify-keyspace-events", ["KEl"]);
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_LIST, "lpush", "k", 3)), [
      "__keyspace@3__:k lpush",
      "__keyevent@3__:lpush k",
    ]);
    // A class not enabled publishes nothing; K or E alone, one channel.
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0)), []);
    config.load("notify-keyspace-events", ["Eg"]);
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0)), [
      "__keyevent@0__:del k",
    ]);
    // "A" is every class but key misses (m) and new keys (n).
    config.load("notify-keyspace-events", ["KA"]);
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_KEY_MISS, "keymiss", "k", 0)), []);
    // Classes without K or E publish nothing.
    config.load("notify-keyspace-events", ["g"]);
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0)), []);
  } finally {
    setNotifyClasses(0);
  }
});

Deno.test("CONFIG SET notify-keyspace-events applies the classes, or keeps them on error", () => {
  const config = new Config();
  try {
    assert.equal(config.setMany([["notify-keyspace-events", "Eg"]], false), null);
    assert.equal(config.str("notify-keyspace-events"), "gE");
    assert.equal(
      config.setMany([["notify-keyspace-events", "Eq"]], false),
      "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - " +
        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
    );
    assert.equal(config.str("notify-keyspace-events"), "gE");
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0)), [
      "__keyevent@0__:del k",
    ]);
    // The default is off, and a new Config starts from the default.
    new Config();
    assert.deepEqual(published(() => notifyKeyspaceEvent(NOTIFY_GENERIC, "del", "k", 0)), []);
  } finally {
    setNotifyClasses(0);
  }
});

Deno.test("an expired key notifies 'expired', is signalled and propagates as DEL", () => {
  const config = new Config();
  config.load("notify-keyspace-events", ["Ex"]);
  const keyspace = new Keyspace(4);
  const db = keyspace.dbs[2]!;
  db.set("k", "v");
  db.setExpire("k", 1);
  const signalled: string[] = [];
  let recording = true;
  onModifiedKey((d, key) => {
    if (recording) signalled.push(`${d.id}:${key}`);
  });
  try {
    let events: string[] = [];
    const aof = propagated(() => events = published(() => db.expireIfNeeded("k")));
    assert.deepEqual(events, ["__keyevent@2__:expired k"]);
    assert.deepEqual(aof, ["2: DEL k"]);
    assert.deepEqual(signalled, ["2:k"]);
    // lazyfree-lazy-expire: UNLINK.
    config.load("lazyfree-lazy-expire", ["yes"]);
    assert.deepEqual(propagated(() => keyExpired(db, "j")), ["2: UNLINK j"]);
  } finally {
    recording = false;
    setNotifyClasses(0);
    new Config(); // lazyfree-lazy-expire back to its default
  }
});

Deno.test("alsoPropagate queues while a command runs; several go inside MULTI/EXEC", () => {
  // Between commands (active expiry, served blocked clients): at once.
  assert.deepEqual(propagated(() => alsoPropagate(1, ["DEL", "k"])), ["1: DEL k"]);
  // One command, one op: no wrapper, sent when the outermost call ends.
  const seen: string[] = [];
  const sink = (db: number, argv: string[]) => seen.push(`${db}: ${argv.join(" ")}`);
  addPropagationSink(sink);
  try {
    enterCall();
    alsoPropagate(0, ["SET", "k", "v"]);
    assert.deepEqual(seen, []);
    exitCall();
    assert.deepEqual(seen, ["0: SET k v"]);
  } finally {
    removePropagationSink(sink);
  }
  // A lazily expired key's DEL and the command, or nested calls (EXEC): one transaction.
  assert.deepEqual(
    propagated(() => {
      enterCall();
      alsoPropagate(0, ["DEL", "k"]);
      enterCall();
      forcePropagation(3, ["FLUSHDB"]);
      exitCall();
      alsoPropagate(0, ["SET", "k", "v"]);
      exitCall();
    }),
    ["0: MULTI", "0: DEL k", "3: FLUSHDB", "0: SET k v", "0: EXEC"],
  );
  // Without a sink nothing is kept for later.
  enterCall();
  alsoPropagate(0, ["SET", "lost", "v"]);
  exitCall();
  assert.deepEqual(propagated(() => {}), []);
});
