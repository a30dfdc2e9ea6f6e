// Unit tests of option parsing (lib/config.ts) and CONFIG REWRITE's text (lib/config_rewrite.ts).
import assert from "node:assert/strict";
import {
  Config,
  ConfigFileError,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
  loadConfigText,
  NOTIFY,
  parseMemory,
  quoteRepr,
} from "./config.ts";
import { rewriteConfigContent } from "./config_rewrite.ts";

function loaded(text: string): Config {
  const config = new Config();
  loadConfigText(config, text);
  return config;
}

function loadError(text: string): ConfigFileError {
  try {
    loaded(text);
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error(`loading ${JSON.stringify(text)} did not fail`);
}

Deno.test("memory values take Redis's units, case-insensitively", () => {
  assert.equal(parseMemory("0"), 0n);
  assert.equal(parseMemory("5b"), 5n);
  assert.equal(parseMemory("1k"), 1000n);
  assert.equal(parseMemory("1KB"), 1024n);
  assert.equal(parseMemory("2m"), 2_000_000n);
  assert.equal(parseMemory("2mb"), 2n * 1024n * 1024n);
  assert.equal(parseMemory("3g"), 3_000_000_000n);
  assert.equal(parseMemory("3Gb"), 3n * 1024n ** 3n);
  assert.equal(parseMemory("007"), 7n);
  assert.equal(parseMemory("k"), 0n); // memtoull reads no digits as 0
});

Deno.test("memory values reject signs, spaces, fractions and unknown units", () => {
  for (const bad of ["-1", "+5", " 5", "1.5", "5t", "0x10", "5 mb"]) {
    assert.equal(parseMemory(bad), null, bad);
  }
});

Deno.test("memory values saturate then wrap like strtoull and C multiplication", () => {
  assert.equal(parseMemory("18446744073709551616"), 18446744073709551615n);
  assert.equal(parseMemory("99999999999999999999gb"), 18446744072635809792n);
});

Deno.test("memory options show bytes in CONFIG GET", () => {
  const config = loaded("maxmemory 100mb\nproto-max-bulk-len 2gb");
  assert.equal(config.str("maxmemory"), String(100 * 1024 * 1024));
  assert.equal(config.num("proto-max-bulk-len"), 2 * 1024 ** 3);
});

Deno.test("bools are yes or no in any case", () => {
  assert.equal(loaded("protected-mode NO").bool("protected-mode"), false);
  assert.equal(loaded("appendonly Yes").str("appendonly"), "yes");
  assert.equal(loadError("appendonly true").reason, "argument must be 'yes' or 'no'");
});

Deno.test("enums take any case and list their values in Redis's order on error", () => {
  assert.equal(loaded("maxmemory-policy ALLKEYS-LRU").str("maxmemory-policy"), "allkeys-lru");
  assert.equal(
    loadError("appendfsync sometimes").reason,
    "argument(s) must be one of the following: everysec, always, no",
  );
  assert.equal(
    loadError("loglevel nothing").reason,
    "argument(s) must be one of the following: debug, verbose, notice, warning",
  );
});

Deno.test("integers follow string2ll and the option's bounds", () => {
  assert.equal(loaded("timeout 30").num("timeout"), 30);
  assert.equal(loaded("list-max-ziplist-size -5").num("list-max-listpack-size"), -5);
  assert.equal(loadError("port 007").reason, "argument couldn't be parsed into an integer");
  assert.equal(loadError("port 1k").reason, "argument couldn't be parsed into an integer");
  assert.equal(loadError("port 65536").reason, "argument must be between 0 and 65535 inclusive");
  assert.equal(
    loadError("maxclients -1").reason,
    "argument must be between 1 and 4294967295 inclusive",
  );
});

Deno.test("hz is capped to 1..500 instead of rejected", () => {
  assert.equal(loaded("hz 1000").num("hz"), 500);
  assert.equal(loaded("hz 0").num("hz"), 1);
  assert.equal(loadError("hz -1").reason, "argument must be between 0 and 2147483647 inclusive");
});

Deno.test("percent options store percentages negative and show them with %", () => {
  const config = loaded("maxmemory-clients 5%");
  assert.equal(config.num("maxmemory-clients"), -5);
  assert.equal(config.str("maxmemory-clients"), "5%");
  assert.equal(
    loadError("maxmemory-clients 101%").reason,
    "percentage argument must be less or equal to 100",
  );
  assert.equal(
    loadError("maxmemory-clients x").reason,
    "argument must be a memory or percent value",
  );
});

Deno.test('save: pairs of seconds and changes; lines add up; "" clears', () => {
  assert.equal(new Config().str("save"), "3600 1 300 100 60 10000");
  assert.equal(loaded("save 900 1\nsave 300 10").str("save"), "900 1 300 10");
  assert.equal(loaded('save "900 1 300 10"').str("save"), "900 1 300 10");
  assert.equal(loaded('save 900 1\nsave ""').str("save"), "");
  assert.equal(loaded("save +5 07").str("save"), "5 7");
  for (const bad of ["save 900", "save 0 1", "save 10 -1", "save 10 x"]) {
    assert.equal(loadError(bad).reason, "Invalid save parameters", bad);
  }
});

Deno.test("bind: a list of addresses, at most 16", () => {
  assert.deepEqual(loaded("bind 127.0.0.1 -::1").list("bind"), ["127.0.0.1", "-::1"]);
  assert.deepEqual(loaded('bind "127.0.0.1 ::1"').list("bind"), ["127.0.0.1", "::1"]);
  assert.equal(loaded('bind ""').str("bind"), "");
  const many = Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`).join(" ");
  assert.equal(loadError(`bind ${many}`).reason, "Too many bind addresses specified.");
});

Deno.test("notify-keyspace-events: flags and their canonical spelling", () => {
  assert.equal(keyspaceEventsStringToFlags("Ex"), NOTIFY.KEYEVENT | NOTIFY.EXPIRED);
  assert.equal(keyspaceEventsStringToFlags("Eq"), -1);
  assert.equal(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags("KEg$lshzxetdmn")), "AKEm");
  assert.equal(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags("Kx")), "xK");
  const config = loaded("notify-keyspace-events Ex");
  assert.equal(config.str("notify-keyspace-events"), "xE");
  assert.equal(config.num("notify-keyspace-events"), NOTIFY.KEYEVENT | NOTIFY.EXPIRED);
});

Deno.test("config files: comments, quotes, aliases, errors with line numbers", () => {
  const config = loaded(
    '# comment\n\n  port 7000  \r\nrequirepass "a b\\x41"\nhash-max-ziplist-entries 5\n',
  );
  assert.equal(config.num("port"), 7000);
  assert.equal(config.str("requirepass"), "a bA");
  assert.equal(config.num("hash-max-listpack-entries"), 5);
  const unknown = loadError("port 1\nnosuch 1");
  assert.equal(unknown.line, 2);
  assert.equal(unknown.text, "nosuch 1");
  assert.equal(unknown.reason, "Bad directive or wrong number of arguments");
  assert.equal(loadError("port 1 2").reason, "wrong number of arguments");
  assert.equal(loadError('port "1').reason, "Unbalanced quotes in configuration line");
});

Deno.test("CONFIG SET validates every pair before applying any", () => {
  const config = new Config();
  assert.equal(
    config.setMany([["hz", "20"], ["timeout", "abc"]], false),
    "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer",
  );
  assert.equal(config.num("hz"), 10);
  assert.equal(config.setMany([["hz", "20"], ["timeout", "5"]], false), null);
  assert.equal(config.num("hz"), 20);
  assert.equal(config.num("timeout"), 5);
});

Deno.test("CONFIG SET reports unknown, immutable, protected and duplicate names first", () => {
  const config = new Config();
  assert.equal(
    config.setMany([["hz", "x"], ["nosuch", "1"]], false),
    "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
  );
  assert.equal(
    config.setMany([["databases", "1"], ["nosuch", "1"]], false),
    "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
  );
  assert.equal(
    config.setMany([["dir", "/"]], false),
    "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
  );
  assert.equal(
    config.setMany([["hz", "1"], ["HZ", "2"]], false),
    "ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter",
  );
});

Deno.test("a failing apply function restores every value", () => {
  const config = new Config();
  let fail = true;
  const seen: number[] = [];
  config.onApply("port", () => {
    seen.push(config.num("port"));
    return fail ? "Unable to listen on this port. Check server logs." : null;
  });
  assert.equal(
    config.setMany([["timeout", "9"], ["port", "7001"]], false),
    "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
  );
  assert.deepEqual(seen, [7001, 7379]); // applied, then re-applied with the old value
  assert.equal(config.num("timeout"), 0);
  fail = false;
  assert.equal(config.setMany([["port", "7001"]], false), null);
  assert.equal(config.num("port"), 7001);
});

Deno.test("CONFIG GET: exact names as asked, globs over names and aliases", () => {
  const config = new Config();
  assert.deepEqual(config.get(["HZ", "hz"]), [["HZ", "10"]]);
  assert.deepEqual(config.get(["nosuch"]), []);
  assert.deepEqual(
    config.get(["*ziplist-entries"]).map(([name]) => name).sort(),
    ["hash-max-ziplist-entries", "zset-max-ziplist-entries"],
  );
});

Deno.test("quoteRepr escapes like sdscatrepr", () => {
  assert.equal(quoteRepr('a "b"\\\n\x01\xff'), '"a \\"b\\"\\\\\\n\\x01\\xff"');
});

Deno.test("CONFIG REWRITE keeps the file's layout and appends what changed", () => {
  const config = loaded("port 7521\nhz 20\nsave 900 1\nsave 300 10\n");
  assert.equal(
    config.setMany([
      ["hz", "10"],
      ["timeout", "5"],
      ["save", ""],
      ["maxmemory", "3mb"],
      ["notify-keyspace-events", "Ex"],
    ], false),
    null,
  );
  const old = "# my conf\nport 7521\nhz 20\n\nsave 900 1\nsave 300 10\n" +
    "Hash-max-ziplist-entries 100\nnosuch yes\ntimeout 7\ntimeout 8\n";
  const text = rewriteConfigContent(config, old);
  assert.equal(
    text,
    '# my conf\nport 7521\nhz 10\n\nsave ""\n\nhash-max-listpack-entries 512\n# ??? nosuch yes\n' +
      "timeout 5\n\n# Generated by CONFIG REWRITE\nmaxmemory 3mb\n" +
      `dir ${quoteRepr(Deno.cwd())}\nnotify-keyspace-events "xE"\n`,
  );
  // Like Redis, a second rewrite keeps the file's final newline as a blank line, then it is
  // stable.
  const again = rewriteConfigContent(config, text);
  assert.equal(again, text + "\n");
  assert.equal(rewriteConfigContent(config, again), again);
});
