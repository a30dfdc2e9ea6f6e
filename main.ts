// inmemdb command line: `inmemdb [config-file] [--name value ...] [-]`, like redis-server
// (Redis's main() in server.c): options are config file lines appended after the file.
import { resolve } from "node:path";
import {
  Config,
  ConfigError,
  ConfigFileError,
  loadConfigText,
  quoteRepr,
  readConfigFile,
  utf8,
} from "./lib/config.ts";
import { Server } from "./lib/server.ts";
import { AclStartupError } from "./lib/acl.ts";
import { VERSION } from "./lib/version.ts";
import { fromUtf8 } from "./lib/bytes.ts";

const USAGE = `Usage: inmemdb [/path/to/redis.conf] [options] [-]
       inmemdb - (read config from stdin)
       inmemdb -v | --version
       inmemdb -h | --help

Every config file directive is also an option, written --name value:
  --port <port>          TCP port (default 7379; 0 picks a free port)
  --bind <addr ...>      addresses to listen on (default 127.0.0.1)
  --databases <n>        number of databases (default 16)
  --hz <n>               background task frequency (default 10)
  --maxclients <n>       connection limit (default 10000)
  --timeout <seconds>    close idle clients after this long (default 0: never)
  --loglevel <level>     debug, verbose, notice or warning (default notice)
  --logfile <path>       log to this file instead of standard output
  --enable-debug-command yes|local|no   allow DEBUG (default no)
CONFIG GET * lists every option.

Examples:
       inmemdb --port 7777
       inmemdb /etc/inmemdb.conf --loglevel verbose`;

function versionLine(): string {
  return `${VERSION.name} v=${VERSION.version} redis=${VERSION.redis} deno=${Deno.version.deno} ` +
    `bits=64 target=${Deno.build.target}`;
}

/**
 * Turns command-line options into config text the way redis-server does: `--name a b` becomes
 * the line `name "a" "b"`; a bare `--save` (last, or followed by another option) is `save ""`.
 * Arguments are byte strings.
 */
export function argsToConfigText(args: string[]): string {
  let options = "";
  let handledLastConfigArg = true;
  for (let j = 0; j < args.length; j++) {
    const arg = args[j]!;
    if (handledLastConfigArg && arg.startsWith("--")) {
      if (options !== "") options += "\n";
      options += arg.slice(2) + " ";
      // "--port 6380" as one argument carries its value with it.
      handledLastConfigArg = arg.trim().split(/\s+/).length > 1;
      const nextIsOption = j + 1 < args.length && args[j + 1]!.startsWith("--");
      if (
        !handledLastConfigArg && arg.toLowerCase() === "--save" &&
        (nextIsOption || j === args.length - 1)
      ) {
        options += '""';
        handledLastConfigArg = true;
      }
    } else {
      options += quoteRepr(arg) + " ";
      handledLastConfigArg = true;
    }
  }
  return options;
}

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of Deno.stdin.readable) chunks.push(chunk);
  let out = "";
  for (const chunk of chunks) out += String.fromCharCode(...chunk);
  return out;
}

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

async function main(args: string[]): Promise<void> {
  if (args.length === 1 && (args[0] === "-v" || args[0] === "--version")) {
    console.log(versionLine());
    return;
  }
  if (args.length === 1 && (args[0] === "-h" || args[0] === "--help")) {
    console.log(USAGE);
    return;
  }
  const config = new Config();
  let text = "";
  let rest = args.map(fromUtf8);
  try {
    if (rest.length > 0 && !rest[0]!.startsWith("-")) {
      config.file = resolve(args[0]!);
      text = readConfigFile(fromUtf8(config.file));
      rest = rest.slice(1);
    }
    if (rest[0] === "-" || rest[rest.length - 1] === "-") {
      text += "\n" + await readStdin();
      rest = rest[0] === "-" ? rest.slice(1) : rest.slice(0, -1);
    }
    loadConfigText(config, text + "\n" + argsToConfigText(rest));
  } catch (err) {
    if (err instanceof ConfigFileError) {
      fail(
        `\n*** FATAL CONFIG FILE ERROR (${VERSION.name} ${VERSION.version}) ***\n` +
          `Reading the configuration file, at line ${err.line}\n>>> '${utf8(err.text)}'\n${
            utf8(err.reason)
          }`,
      );
    }
    if (err instanceof ConfigError) fail(utf8(err.message));
    throw err;
  }

  let server: Server;
  try {
    server = new Server(config);
  } catch (err) {
    // The ACL already logged why (users from the config file or the aclfile).
    if (err instanceof AclStartupError) Deno.exit(1);
    throw err;
  }
  server.log("notice", `oO0OoO0OoO0Oo ${VERSION.name} is starting oO0OoO0OoO0Oo`);
  if (config.file === null) {
    server.log(
      "warning",
      `Warning: no config file specified, using the default config. In order to specify a ` +
        `config file use ${VERSION.name} /path/to/redis.conf`,
    );
  } else {
    server.log("notice", "Configuration loaded");
  }
  if (config.bool("daemonize")) {
    server.log("warning", "daemonize is not supported: running in the foreground");
  }
  try {
    server.start();
  } catch (err) {
    fail(
      `Could not create server TCP listening socket ${config.str("bind")}:${config.num("port")}: ${
        (err as Error).message
      }`,
    );
  }
  // loadDataFromDisk: connections wait in the listen backlog until the data is there.
  const loadError = server.persistence.loadAtStartup();
  if (loadError !== null) {
    server.log("warning", loadError);
    Deno.exit(1);
  }
  server.log(
    "notice",
    `${VERSION.name} ${VERSION.version} (Redis ${VERSION.redis} compatible) started, ` +
      `pid=${Deno.pid}, port=${server.port}`,
  );
  server.log("notice", `Ready to accept connections tcp port=${server.port}`);
  const onSignal = (name: string) => () => {
    if (server.shuttingDown) {
      // Redis's "You insist... exiting now.": a second signal does not wait.
      server.log("warning", `You insist... exiting now.`);
      Deno.exit(1);
    }
    server.log("warning", `Received ${name} scheduling shutdown...`);
    // A failed final save keeps the server running, as in Redis.
    if (server.prepareForShutdown()) server.shutdown(0);
  };
  Deno.addSignalListener("SIGINT", onSignal("SIGINT"));
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", onSignal("SIGTERM"));
  Deno.exit(await server.stopped);
}

if (import.meta.main) await main(Deno.args);
