// inmemdb command line: `inmemdb [config-file] [--name value ...]`, like redis-server.
import { Config, ConfigError, ConfigFileError, loadConfigText } from "./lib/config.ts";
import { Server } from "./lib/server.ts";
import { VERSION } from "./lib/version.ts";

const USAGE = `Usage: inmemdb [/path/to/redis.conf] [options]
       inmemdb --port 7379 --bind 127.0.0.1
       inmemdb -v | --version
       inmemdb -h | --help

Options are the config file's directives written as --name value, e.g.
  --port <port>          TCP port (default 7379; 0 picks a free port)
  --bind <addr ...>      addresses to listen on (default 127.0.0.1)
  --databases <n>        number of databases (default 16)
  --hz <n>               background task frequency (default 10)
  --maxclients <n>       connection limit (default 10000)
  --timeout <seconds>    close idle clients after this long (default 0: never)
  --loglevel <level>     debug, verbose, notice, warning or nothing (default notice)
Every option of CONFIG GET * is accepted the same way.`;

function versionLine(): string {
  return `${VERSION.name} v=${VERSION.version} redis=${VERSION.redis} deno=${Deno.version.deno} ` +
    `target=${Deno.build.target}`;
}

/** Turns argv into config text the way redis-server does: `--name a b` is `name a b`. */
export function argsToConfigText(args: string[]): string {
  const lines: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("--") && arg.length > 2) lines.push(arg.slice(2));
    else if (lines.length === 0) throw new ConfigError(`Invalid argument '${arg}'`);
    else lines[lines.length - 1] += " " + (arg === "" || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg);
  }
  return lines.join("\n");
}

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

async function main(args: string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  if (args.includes("--version") || args.includes("-v")) {
    console.log(versionLine());
    return;
  }
  const config = new Config();
  let rest = args;
  if (rest.length > 0 && !rest[0]!.startsWith("--")) {
    const file = rest[0]!;
    rest = rest.slice(1);
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (err) {
      fail(`Fatal error, can't open config file '${file}': ${(err as Error).message}`);
    }
    config.file = file;
    try {
      loadConfigText(config, text);
    } catch (err) {
      if (err instanceof ConfigFileError) failConfig(err);
      throw err;
    }
  }
  try {
    loadConfigText(config, argsToConfigText(rest));
  } catch (err) {
    if (err instanceof ConfigFileError) failConfig(err);
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  const server = new Server(config);
  try {
    server.start();
  } catch (err) {
    fail(`Could not create server TCP listening socket ${config.str("bind")}:${config.num("port")}: ${(err as Error).message}`);
  }
  server.log(
    "notice",
    `${VERSION.name} ${VERSION.version} (Redis ${VERSION.redis} compatible) started, pid=${Deno.pid}, port=${server.port}`,
  );
  server.log("notice", `Ready to accept connections tcp port=${server.port}`);
  const stop = () => server.shutdown(0);
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  Deno.exit(await server.stopped);
}

function failConfig(err: ConfigFileError): never {
  fail(
    `\n*** FATAL CONFIG FILE ERROR (${VERSION.name} ${VERSION.version}) ***\n` +
      `Reading the configuration file, at line ${err.line}\n>>> '${err.text}'\n${err.reason}`,
  );
}

if (import.meta.main) await main(Deno.args);
