// Transactions: MULTI, EXEC, DISCARD, WATCH and UNWATCH. Mirrors the commands of Redis's multi.c;
// queuing happens in the dispatcher, the state and the WATCH registry in lib/multi.ts.
import { CLIENT_DIRTY_CAS, CLIENT_DIRTY_EXEC, CLIENT_MULTI } from "../client_flags.ts";
import { checkQueuedCommandAccess } from "../acl.ts";
import { ReplyError } from "../errors.ts";
import {
  discardTransaction,
  isWatchedKeyExpired,
  startTransaction,
  unwatchAllKeys,
  watchForKey,
} from "../multi.ts";
import { call } from "./dispatch.ts";
import type { Command } from "./types.ts";

export const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

const multiCommand: Command = {
  name: "multi",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  group: "transactions",
  since: "1.2.0",
  summary: "Starts a transaction.",
  complexity: "O(1)",
  syntax: "",
  run(c) {
    if ((c.flags & CLIENT_MULTI) !== 0) throw new ReplyError("ERR MULTI calls can not be nested");
    startTransaction(c);
    c.reply.ok();
  },
};

const execCommand: Command = {
  name: "exec",
  arity: 1,
  flags: ["noscript", "loading", "stale", "skip_slowlog"],
  group: "transactions",
  since: "1.2.0",
  summary: "Executes all commands in a transaction.",
  complexity: "Depends on commands in the transaction",
  syntax: "",
  run(c) {
    if ((c.flags & CLIENT_MULTI) === 0) throw new ReplyError("ERR EXEC without MULTI");
    // A watched key that expired since WATCH counts as changed.
    if (isWatchedKeyExpired(c)) c.flags |= CLIENT_DIRTY_CAS;
    if ((c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) !== 0) {
      if ((c.flags & CLIENT_DIRTY_EXEC) !== 0) c.reply.error(EXECABORT);
      else c.reply.nullArray();
      discardTransaction(c);
      return;
    }
    // Blocking commands reply as if they timed out: EXEC must not wait in the middle.
    const denyBlocking = c.denyBlocking;
    c.denyBlocking = true;
    unwatchAllKeys(c);
    const queued = c.mstate!.commands;
    c.reply.array(queued.length);
    try {
      for (const { entry, argv } of queued) {
        // Permissions may have changed since the command was queued.
        const denied = checkQueuedCommandAccess(c, entry, argv);
        if (denied !== null) c.reply.error(denied);
        else call(c, entry, argv);
      }
    } finally {
      c.denyBlocking = denyBlocking;
      discardTransaction(c);
    }
    // The queued commands propagated themselves (wrapped in MULTI/EXEC by the dispatcher).
    c.propagateAs = [];
  },
};

const discardCommand: Command = {
  name: "discard",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  group: "transactions",
  since: "2.0.0",
  summary: "Discards a transaction.",
  complexity: "O(N), when N is the number of queued commands",
  syntax: "",
  run(c) {
    if ((c.flags & CLIENT_MULTI) === 0) throw new ReplyError("ERR DISCARD without MULTI");
    discardTransaction(c);
    c.reply.ok();
  },
};

const watchCommand: Command = {
  name: "watch",
  arity: -2,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  group: "transactions",
  since: "2.2.0",
  summary: "Monitors changes to keys to determine the execution of a transaction.",
  complexity: "O(1) for every key.",
  syntax: "key [key ...]",
  keys: { first: 1, last: -1, step: 1 },
  meta: { keyFlags: "RO" },
  run(c, argv) {
    if ((c.flags & CLIENT_MULTI) !== 0) {
      throw new ReplyError("ERR WATCH inside MULTI is not allowed");
    }
    // No point in watching more once the transaction is bound to fail.
    if ((c.flags & CLIENT_DIRTY_CAS) === 0) {
      for (let j = 1; j < argv.length; j++) watchForKey(c, argv[j]!);
    }
    c.reply.ok();
  },
};

const unwatchCommand: Command = {
  name: "unwatch",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  group: "transactions",
  since: "2.2.0",
  summary: "Forgets about watched keys of a transaction.",
  complexity: "O(1)",
  syntax: "",
  run(c) {
    unwatchAllKeys(c);
    c.flags &= ~CLIENT_DIRTY_CAS;
    c.reply.ok();
  },
};

export const transactionCommands: Command[] = [
  multiCommand,
  execCommand,
  discardCommand,
  watchCommand,
  unwatchCommand,
];
