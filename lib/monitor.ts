// MONITOR: clients that receive every executed command as a status line. Mirrors Redis's
// replicationFeedMonitors (replication.c) and argument redaction (redactClientCommandArgument).
import type { Client } from "./client.ts";
import { CLIENT_MONITOR } from "./client_flags.ts";
import { quoteRepr } from "./config.ts";
import { parseInteger } from "./util/numbers.ts";

const monitors: Client[] = [];

export function monitorCount(): number {
  return monitors.length;
}

export function addMonitor(c: Client): void {
  c.flags |= CLIENT_MONITOR;
  monitors.push(c);
}

/** The client leaves MONITOR mode (RESET, disconnection). */
export function removeMonitor(c: Client): void {
  const at = monitors.indexOf(c);
  if (at >= 0) monitors.splice(at, 1);
  c.flags &= ~CLIENT_MONITOR;
}

const REDACTED = '"(redacted)"';

/**
 * The argv MONITOR shows: AUTH hides its arguments and HELLO the user name and password of
 * its AUTH option, as Redis's handlers redact them while parsing (an error earlier in the line
 * leaves the rest visible).
 */
function visibleArgs(argv: string[]): string[] {
  const shown = argv.map((arg) => quoteRepr(arg));
  const name = argv[0]!.toLowerCase();
  if (name === "auth") {
    for (let j = 1; j < shown.length; j++) shown[j] = REDACTED;
  } else if (name === "hello" && argv.length >= 2) {
    const ver = parseInteger(argv[1]!);
    if (ver !== 2 && ver !== 3) return shown;
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - j - 1;
      const opt = argv[j]!.toLowerCase();
      if (opt === "auth" && more >= 2) {
        shown[j + 1] = shown[j + 2] = REDACTED;
        j += 2;
      } else if (opt === "setname" && more >= 1) {
        j += 1;
      } else {
        break;
      }
    }
  }
  return shown;
}

/** Sends `+<unix time with µs> [<db> <addr>] "arg" ...` to every monitor. */
export function replicationFeedMonitors(c: Client, dbId: number, argv: string[]): void {
  const t = performance.timeOrigin + performance.now();
  const seconds = Math.floor(t / 1000);
  const micros = Math.floor((t - seconds * 1000) * 1000);
  const line = `+${seconds}.${String(micros).padStart(6, "0")} [${dbId} ${c.addr}] ${
    visibleArgs(argv).join(" ")
  }\r\n`;
  for (const monitor of monitors) {
    // A client about to close (QUIT) takes no more output, as in Redis's prepareClientToWrite.
    if (monitor.closeAfterReply) continue;
    monitor.reply.str(line);
    monitor.pushed();
  }
}
