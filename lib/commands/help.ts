// The HELP subcommand of container commands, generated from their subcommand records in the
// layout of Redis's addReplyHelp: a usage line, then each subcommand with its summary.
import type { Client } from "../client.ts";
import type { Command } from "./types.ts";
import { displaySyntax } from "./docs.ts";

export function helpReply(c: Client, container: string, subcommands: readonly Command[]): void {
  const name = container.toUpperCase();
  const lines = [`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`];
  for (const sub of subcommands) {
    if (sub.name === "help") continue;
    lines.push(`${sub.name.toUpperCase()}${sub.syntax ? " " + displaySyntax(sub.syntax) : ""}`);
    lines.push(`    ${sub.summary}`);
  }
  lines.push("HELP", "    Prints this help.");
  c.reply.array(lines.length);
  for (const line of lines) c.reply.simple(line);
}
