// MONITOR: turns the connection into a feed of every command the server executes.
// Mirrors monitorCommand (replication.c); the feed itself is lib/monitor.ts.
import { CLIENT_MONITOR } from "../client_flags.ts";
import { ReplyError } from "../errors.ts";
import { addMonitor } from "../monitor.ts";
import type { Command } from "./types.ts";

const monitorCommand: Command = {
  name: "monitor",
  arity: 1,
  flags: ["admin", "noscript", "loading", "stale"],
  group: "server",
  since: "1.0.0",
  summary: "Listens for all requests received by the server in real-time.",
  syntax: "",
  run(c) {
    // A client that expects one reply per command (inside EXEC) cannot stream.
    if (c.denyBlocking) throw new ReplyError("ERR MONITOR isn't allowed for DENY BLOCKING client");
    // Already monitoring: Redis ignores the command without a reply.
    if ((c.flags & CLIENT_MONITOR) !== 0) return;
    addMonitor(c);
    c.reply.ok();
  },
};

export const monitorCommands: Command[] = [monitorCommand];
