// The README's command tables are generated from the command records and must not go stale.
import assert from "node:assert/strict";
import {
  commandTable,
  END,
  isFresh,
  readSection,
  START,
  writeSection,
} from "../scripts/gen_readme_commands.ts";
import { COMMANDS } from "../lib/commands/table.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SCRIPT = `${ROOT}scripts/gen_readme_commands.ts`;

Deno.test("README.md's command table matches the command records", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  assert.ok(
    isFresh(readme),
    "README.md is stale: run deno run -A scripts/gen_readme_commands.ts --write README.md",
  );
});

Deno.test("the table has a row for every command and subcommand", () => {
  const table = commandTable();
  for (const command of COMMANDS) {
    const names = [
      command.name,
      ...(command.subcommands ?? []).map((s) => `${command.name} ${s.name}`),
    ];
    for (const name of names.map((n) => n.toUpperCase())) {
      assert.ok(table.includes(`| \`${name}\` `), name);
    }
  }
});

Deno.test("pipes in syntax are escaped so table cells stay whole", () => {
  const table = commandTable();
  const setRow = table.split("\n").find((line) => line.startsWith("| `SET` "));
  assert.ok(setRow?.includes("[NX \\| XX]"), setRow);
  assert.ok(!setRow?.includes(":condition"), "annotations are not shown");
});

Deno.test("writeSection appends a section once and then replaces only it", () => {
  const first = writeSection("# inmemdb\n\nIntro.\n", "table v1\n");
  assert.equal(
    first,
    `# inmemdb\n\nIntro.\n\n## Supported commands\n\n${START}\n\ntable v1\n\n${END}\n`,
  );
  const edited = first.replace("Intro.", "Intro, edited.") + "\n## License\n";
  const second = writeSection(edited, "table v2\n");
  assert.equal(second, edited.replace("table v1", "table v2"));
  assert.equal(readSection(second), "\n\ntable v2\n\n");
  assert.equal(readSection("# no markers\n"), undefined);
});

async function runScript(...args: string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("--check exits 1 on a stale README and 0 after --write", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/README.md`;
    await Deno.writeTextFile(path, `# x\n\n${START}\nold\n${END}\n`);
    const stale = await runScript("--check", path);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /stale/);
    assert.equal((await runScript("--write", path)).code, 0);
    assert.equal((await runScript("--check", path)).code, 0);
    assert.ok((await Deno.readTextFile(path)).startsWith("# x\n\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
