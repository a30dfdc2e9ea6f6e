// Generates the README's "Supported commands" tables from the command records, so the README
// can never disagree with the code.
//   deno run -A scripts/gen_readme_commands.ts                   print the tables
//   deno run -A scripts/gen_readme_commands.ts --check README.md exit 1 if the README is stale
//   deno run -A scripts/gen_readme_commands.ts --write README.md rewrite the README's section
import { COMMANDS } from "../lib/commands/table.ts";
import { displaySyntax } from "../lib/commands/docs.ts";
import type { Command } from "../lib/commands/types.ts";

export const START = "<!-- commands:start -->";
export const END = "<!-- commands:end -->";

/** Redis's command groups in the order of its documentation, with their titles. */
const GROUP_TITLES: [string, string][] = [
  ["generic", "Keys"],
  ["string", "Strings"],
  ["list", "Lists"],
  ["set", "Sets"],
  ["sorted-set", "Sorted sets"],
  ["hash", "Hashes"],
  ["pubsub", "Pub/Sub"],
  ["transactions", "Transactions"],
  ["scripting", "Scripting"],
  ["connection", "Connection"],
  ["server", "Server"],
  ["hyperloglog", "HyperLogLog"],
  ["geo", "Geo"],
  ["stream", "Streams"],
  ["bitmap", "Bitmaps"],
  ["cluster", "Cluster"],
];

interface Row {
  name: string;
  command: Command;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The markdown for every command and subcommand, grouped by Redis command group. */
export function commandTable(commands: readonly Command[] = COMMANDS): string {
  const groups = new Map<string, Row[]>();
  const add = (name: string, command: Command) => {
    const rows = groups.get(command.group) ?? [];
    rows.push({ name, command });
    groups.set(command.group, rows);
  };
  let count = 0;
  for (const command of commands) {
    add(command.name.toUpperCase(), command);
    count++;
    for (const sub of command.subcommands ?? []) {
      add(`${command.name} ${sub.name}`.toUpperCase(), sub);
      count++;
    }
  }
  const known = GROUP_TITLES.map(([group]) => group);
  const order = [...known, ...[...groups.keys()].filter((g) => !known.includes(g)).sort()];
  const titles = new Map(GROUP_TITLES);
  const out = [
    `${commands.length} commands, ${count} with subcommands; generated from the command records by`,
    "`scripts/gen_readme_commands.ts`.",
  ];
  for (const group of order) {
    const rows = groups.get(group);
    if (rows === undefined) continue;
    rows.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    out.push("", `### ${titles.get(group) ?? group}`, "");
    out.push(...markdownTable(
      ["Command", "Syntax", "Summary"],
      rows.map(({ name, command }) => [
        `\`${name}\``,
        command.syntax ? `\`${cell(displaySyntax(command.syntax))}\`` : "",
        cell(command.summary),
      ]),
    ));
  }
  return out.join("\n") + "\n";
}

/** A table with padded columns, as `deno fmt` lays markdown tables out. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The text between the markers, or undefined when the README has no such section. */
export function readSection(readme: string): string | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) return undefined;
  return readme.slice(start + START.length, end);
}

/** The README with its section replaced, or appended at the end when it has none. */
export function writeSection(readme: string, table: string): string {
  const section = `${START}${body(table)}${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) {
    const sep = readme === "" ? "" : readme.endsWith("\n") ? "\n" : "\n\n";
    return `${readme}${sep}## Supported commands\n\n${section}\n`;
  }
  return readme.slice(0, start) + section + readme.slice(end + END.length);
}

/** The text between the markers: blank lines around the table, as `deno fmt` keeps them. */
function body(table: string): string {
  return `\n\n${table}\n`;
}

/** True when the README's section is exactly what the records generate. */
export function isFresh(readme: string, table = commandTable()): boolean {
  return readSection(readme) === body(table);
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "";
    throw err;
  }
}

async function main(args: string[]): Promise<number> {
  const [mode, path] = args;
  const table = commandTable();
  if (mode === undefined) {
    console.log(table);
    return 0;
  }
  if ((mode !== "--check" && mode !== "--write") || path === undefined) {
    console.error("usage: gen_readme_commands.ts [--check README.md | --write README.md]");
    return 2;
  }
  const readme = await readOrEmpty(path);
  if (mode === "--write") {
    await Deno.writeTextFile(path, writeSection(readme, table));
    return 0;
  }
  if (isFresh(readme, table)) return 0;
  console.error(
    `${path}: the command table is stale; run deno run -A scripts/gen_readme_commands.ts --write ${path}`,
  );
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
