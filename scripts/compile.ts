// `make build` / `make dist`: `deno compile` of main.ts with the server's minimum permissions
// into ./inmemdb, or with --dist every release target into dist/ plus dist/SHA256SUMS.
//
// deno compile appends main.ts to a prebuilt runtime, denort-<target>.zip, that it downloads
// into $DENO_DIR/dl/release/v<deno version>/. Offline, either put those zips there (works for
// every target) or set DENORT_BIN=/path/to/denort (deno's own variable; it replaces the runtime
// of *every* target, so this script passes it only to host-target builds). A build that cannot
// get a runtime fails with a one-line reason; nothing here ever fakes a binary.
import { MAIN_TS, ROOT, SERVER_FLAGS } from "./server_flags.ts";

/** Release targets and their dist/ names: inmemdb-<os>-<arch>[.exe]. */
export const TARGETS: Record<string, string> = {
  "x86_64-unknown-linux-gnu": "inmemdb-linux-x86_64",
  "aarch64-unknown-linux-gnu": "inmemdb-linux-aarch64",
  "x86_64-apple-darwin": "inmemdb-darwin-x86_64",
  "aarch64-apple-darwin": "inmemdb-darwin-aarch64",
  "x86_64-pc-windows-msvc": "inmemdb-windows-x86_64.exe",
};

const HOST = Deno.build.target;
const USAGE = `Usage: deno task compile [--dist [--targets t1,t2]] [--timeout SECONDS]
  (no flag)    build ./inmemdb for this machine (${HOST})
  --dist       build dist/inmemdb-<os>-<arch>[.exe] for ${Object.keys(TARGETS).join(", ")}
               and dist/SHA256SUMS
  --targets    with --dist, only these targets
  --timeout    give up on one deno compile after this long (default 300)
Offline: DENORT_BIN=/path/to/denort (deno ${Deno.version.deno}, host target only), or put
denort-<target>.zip files in $DENO_DIR/dl/release/v${Deno.version.deno}/.`;

export type BuildResult = { ok: true } | { ok: false; reason: string; details: string };

function denoDir(): string {
  try {
    const out = new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" })
      .outputSync();
    return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir ?? "$DENO_DIR";
  } catch {
    return "$DENO_DIR";
  }
}

/** One line saying why deno compile failed, from its output. */
export function failureReason(text: string, target: string, denoDirPath = "$DENO_DIR"): string {
  const missing = text.match(/Could not find denort at '([^']+)'/);
  if (missing) return `DENORT_BIN=${missing[1]} does not exist`;
  if (/Setting up base binary|error sending request|dns error|Download failed/i.test(text)) {
    const zip = `denort-${target}.zip`;
    const dir = `${denoDirPath}/dl/release/v${Deno.version.deno}/`;
    return `cannot download ${zip} (no network?); ` +
      (target === HOST ? `set DENORT_BIN=/path/to/denort (of deno ${Deno.version.deno}) or ` : "") +
      `put ${zip} in ${dir}`;
  }
  if (/\bTS\d{4}\b|Type checking failed/.test(text)) return "type check failed (errors above)";
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.find((l) => l.startsWith("error:")) ?? lines.pop() ?? "deno compile failed";
}

/** Runs the built host binary: a runtime that is plain deno (not denort) ignores main.ts. */
async function verifyHostBinary(path: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(10_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (out.success && text.startsWith("inmemdb ")) return undefined;
    return `the built binary does not run inmemdb (--version printed ` +
      `${JSON.stringify(text.split("\n")[0])}); DENORT_BIN must be a denort, not deno`;
  } catch (err) {
    return `the built binary does not start: ${(err as Error).message}`;
  }
}

export async function build(
  target: string,
  output: string,
  timeoutS: number,
): Promise<BuildResult> {
  await Deno.remove(output).catch(() => {});
  const env = Deno.env.toObject();
  if (target !== HOST) delete env.DENORT_BIN;
  env.NO_COLOR = "1"; // plain text to classify and to print
  const timeout = AbortSignal.timeout(timeoutS * 1000);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["compile", ...SERVER_FLAGS, "--target", target, "--output", output, MAIN_TS],
    cwd: ROOT,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: timeout,
  }).output();
  const details = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  if (timeout.aborted) {
    await Deno.remove(output).catch(() => {});
    return {
      ok: false,
      reason: `deno compile did not finish within ${timeoutS} s (stuck downloading ` +
        `denort-${target}.zip?)`,
      details,
    };
  }
  if (!out.success) {
    return { ok: false, reason: failureReason(details, target, denoDir()), details };
  }
  if (target === HOST) {
    const bad = await verifyHostBinary(output);
    if (bad) {
      await Deno.remove(output);
      return { ok: false, reason: bad, details };
    }
  }
  return { ok: true };
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function report(name: string, result: BuildResult): void {
  if (result.ok) {
    console.log(`built ${name}`);
    return;
  }
  if (result.reason.startsWith("type check")) console.error(result.details);
  console.error(`compile: ${name}: ${result.reason}`);
}

async function dist(targets: string[], timeoutS: number): Promise<number> {
  const dir = `${ROOT}dist`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.remove(`${dir}/SHA256SUMS`).catch(() => {});
  if (Deno.env.get("DENORT_BIN") && targets.some((t) => t !== HOST)) {
    console.error(`note: DENORT_BIN serves only the host target ${HOST}; other targets download`);
  }
  let failed = 0;
  for (const target of targets) {
    const name = TARGETS[target]!;
    const result = await build(target, `${dir}/${name}`, timeoutS);
    report(`dist/${name}`, result);
    if (!result.ok) failed++;
  }
  if (failed > 0) {
    console.error(`compile: ${failed} of ${targets.length} targets failed; no dist/SHA256SUMS`);
    return 1;
  }
  const sums = await Promise.all(
    targets.map(async (t) => `${await sha256(`${dir}/${TARGETS[t]}`)}  ${TARGETS[t]}\n`),
  );
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, sums.join(""));
  console.log("wrote dist/SHA256SUMS");
  return 0;
}

async function main(args: string[]): Promise<number> {
  let isDist = false;
  let targets = Object.keys(TARGETS);
  let timeoutS = 300;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--dist") isDist = true;
    else if (arg === "--targets" && args[i + 1]) targets = args[++i]!.split(",");
    else if (arg === "--timeout" && Number(args[i + 1]) > 0) timeoutS = Number(args[++i]);
    else {
      console.error(
        arg === "--help" || arg === "-h" ? USAGE : `compile: bad argument ${arg}\n${USAGE}`,
      );
      return arg === "--help" || arg === "-h" ? 0 : 2;
    }
  }
  const unknown = targets.filter((t) => !(t in TARGETS));
  if (unknown.length > 0) {
    console.error(`compile: unknown target ${unknown.join(", ")}\n${USAGE}`);
    return 2;
  }
  if (isDist) return await dist(targets, timeoutS);
  const name = HOST.includes("windows") ? "inmemdb.exe" : "inmemdb";
  const result = await build(HOST, `${ROOT}${name}`, timeoutS);
  report(name, result);
  return result.ok ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
