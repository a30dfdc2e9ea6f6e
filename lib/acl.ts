// Who may run what: authentication (requirepass, AUTH, HELLO AUTH), the users registry, the
// permission check the dispatcher runs before every command, the ACL log and the ACL file.
// Mirrors Redis's acl.c (rules themselves live in acl_user.ts).
import { type Client, CLIENT_MULTI, CLIENT_PUBSUB } from "./client.ts";
import type { Server } from "./server.ts";
import type { TableEntry } from "./commands/table.ts";
import { type Config, ConfigError, registerDirective, utf8 } from "./config.ts";
import { NOAUTH, strerror } from "./errors.ts";
import { matchGlob } from "./store/glob.ts";
import { commandHasKeys, commandKeys, type KeyRef, keySpecs } from "./commands/key_specs.ts";
import { clientInfoLine } from "./commands/connection.ts";
import {
  type AclCommand,
  aclCommandOf,
  hashPassword,
  hasSpaces,
  KEY_READ,
  KEY_WRITE,
  mergeSelectorArguments,
  ruleErrorText,
  sameDigest,
  type Selector,
  SELECTOR_ALLCHANNELS,
  SELECTOR_ALLCOMMANDS,
  SELECTOR_ALLKEYS,
  User,
} from "./acl_user.ts";

/** Why a command was refused (ACL_DENIED_*); a larger value wins when selectors disagree. */
export const DENIED_CMD = 1;
export const DENIED_KEY = 2;
export const DENIED_AUTH = 3;
export const DENIED_CHANNEL = 4;

export interface Denial {
  reason: number;
  /** argv index of the key or channel that no selector allowed. */
  pos: number;
}

export interface AclLogEntry {
  count: number;
  reason: number;
  context: "toplevel" | "multi";
  /** The command, key, channel, or (auth) the command name as sent. */
  object: string;
  username: string;
  /** Milliseconds since the epoch of the last occurrence. */
  ctime: number;
  /** CLIENT LIST line of the last client that caused it. */
  cinfo: string;
}

/** Events this close in time (ms) and alike update one log entry (ACL_LOG_GROUPING_MAX_TIME_DELTA). */
const LOG_GROUPING_MS = 60000;

/** An ACL problem that stops the server at startup; the reasons were logged already. */
export class AclStartupError extends Error {}

/** The users and the ACL log of one server. */
export class Acl {
  /** By name; ACL LIST and ACL USERS sort them as Redis's radix tree does (bytewise). */
  users = new Map<string, User>();
  /** The same object for the whole run: ACL LOAD copies the new rules into it. */
  readonly defaultUser: User;
  /** Newest first. */
  log: AclLogEntry[] = [];

  constructor(private readonly server: Server) {
    this.defaultUser = this.createDefaultUser();
    this.users.set("default", this.defaultUser);
    const requirepass = server.config.str("requirepass");
    if (requirepass !== "") this.updateDefaultUserPassword(requirepass);
    server.config.onChange((name) => {
      if (name === "requirepass") {
        this.updateDefaultUserPassword(server.config.str("requirepass"));
      }
    });
    server.config.directiveRewriters.set("user", () => this.configLines());
  }

  get config(): Config {
    return this.server.config;
  }

  private pubsubDefault(): number {
    return this.config.str("acl-pubsub-default") === "allchannels" ? SELECTOR_ALLCHANNELS : 0;
  }

  /** A user that is in no registry (ACLCreateUnlinkedUser): a scratch copy to stage changes. */
  newUser(name: string): User {
    return new User(name, this.pubsubDefault());
  }

  private createDefaultUser(): User {
    const u = this.newUser("default");
    for (const rule of ["+@all", "~*", "&*", "on", "nopass"]) u.apply(rule);
    return u;
  }

  /** ACLUpdateDefaultUserPassword: requirepass sets (or with "" removes) the password. */
  updateDefaultUserPassword(password: string): void {
    this.defaultUser.apply("resetpass");
    this.defaultUser.apply(password === "" ? "nopass" : ">" + password);
    this.defaultUserChanged();
  }

  /**
   * Users from `user` lines of the config file, then the aclfile (ACLLoadUsersAtStartup).
   * Problems are logged and thrown as AclStartupError.
   */
  loadUsersAtStartup(): void {
    const lines = this.config.directives.filter((d) => d.name === "user");
    const aclfile = this.config.str("aclfile");
    const fail = (message: string): never => {
      this.server.log("warning", message);
      throw new AclStartupError(message);
    };
    if (aclfile !== "" && lines.length > 0) {
      fail(
        "Configuring Redis with users defined in redis.conf and at the same setting an ACL " +
          "file path is invalid. This setup is very likely to lead to configuration errors " +
          "and security holes, please define either an ACL file or declare users directly in " +
          "your redis.conf, but not both.",
      );
    }
    for (const { args } of lines) {
      const [name, ...given] = args as [string, ...string[]];
      if (hasSpaces(name)) {
        this.server.log("warning", "Spaces not allowed in ACL usernames");
        fail("Critical error while loading ACLs. Exiting.");
      }
      let u = this.users.get(name);
      if (u === undefined) {
        u = this.newUser(name);
        this.users.set(name, u);
      } else {
        u.apply("reset");
      }
      const rules = mergeSelectorArguments(given) as string[];
      for (const rule of rules) {
        const error = u.apply(rule);
        if (error !== null) {
          this.server.log(
            "warning",
            `Error loading ACL rule '${rule}' for the user named '${name}': ${
              ruleErrorText(error)
            }`,
          );
          fail("Critical error while loading ACLs. Exiting.");
        }
      }
      if (!u.enabled) {
        this.server.log(
          "notice",
          `The user '${name}' is disabled (there is no 'on' modifier in the user description). ` +
            "Make sure this is not a configuration error.",
        );
      }
    }
    this.defaultUserChanged();
    if (aclfile !== "") {
      const errors = this.loadFromFile(aclfile);
      if (errors !== null) fail(`Aborting Redis startup because of ACL errors: ${errors}`);
    }
  }

  /** Users sorted by name, bytewise. */
  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  /** CONFIG REWRITE's `user` lines: none with an aclfile, every user otherwise. */
  private configLines(): string[] {
    if (this.config.str("aclfile") !== "") return [];
    return this.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`);
  }

  /** authRequired(): the default user needs a password (or is off) and c never logged in. */
  authRequired(c: Client): boolean {
    const u = this.defaultUser;
    return (!u.nopass || !u.enabled) && !c.authenticated;
  }

  /** After the default user changed: who must authenticate may have changed too. */
  defaultUserChanged(): void {
    for (const client of this.server.clients.values()) syncAuthLimits(client);
  }

  /** ACLCheckUserCredentials: the user if the pair is right (or the user needs no password). */
  checkCredentials(username: string, password: string): User | null {
    const u = this.users.get(username);
    if (u === undefined || !u.enabled) return null;
    if (u.nopass) return u;
    // Every stored digest is compared, each without an early exit, so the time taken tells
    // nothing about the password.
    const hashed = hashPassword(password);
    let ok = false;
    for (const digest of u.passwords) ok = sameDigest(hashed, digest) || ok;
    return ok ? u : null;
  }

  /**
   * ACLAuthenticateUser: on success the connection becomes that user; a failure goes to the
   * ACL log under `commandName` (argv[0] as sent).
   */
  authenticate(c: Client, username: string, password: string, commandName: string): boolean {
    const u = this.checkCredentials(username, password);
    if (u === null) {
      this.addLogEntry(c, DENIED_AUTH, commandName, username);
      return false;
    }
    c.authenticated = true;
    c.user = u;
    syncAuthLimits(c);
    return true;
  }

  /** addACLLogEntry: similar recent entries are merged, the log is capped at acllog-max-len. */
  addLogEntry(
    c: Client,
    reason: number,
    object: string,
    username: string,
    context = logContext(c),
  ): void {
    const entry: AclLogEntry = {
      count: 1,
      reason,
      context,
      object,
      username,
      ctime: Date.now(),
      cinfo: clientInfoLine(c),
    };
    const scan = Math.min(this.log.length, 10);
    for (let i = 0; i < scan; i++) {
      const old = this.log[i]!;
      if (
        old.reason === reason && old.context === entry.context &&
        Math.abs(old.ctime - entry.ctime) <= LOG_GROUPING_MS && old.object === object &&
        old.username === username
      ) {
        this.log.splice(i, 1);
        this.log.unshift(old);
        old.cinfo = entry.cinfo;
        old.ctime = entry.ctime;
        old.count++;
        return;
      }
    }
    this.log.unshift(entry);
    const max = this.config.num("acllog-max-len");
    if (this.log.length > max) this.log.length = max;
  }

  /**
   * ACLFreeUserAndKillClients for a removed user: its connections go back to the default user,
   * unauthenticated, and are closed (the calling one after its reply).
   */
  killClientsOf(u: User, caller: Client | null): void {
    for (const client of [...this.server.clients.values()]) {
      if (client.user !== u) continue;
      client.user = this.defaultUser;
      client.authenticated = false;
      if (client === caller) client.closeAfterReply = true;
      else client.close();
    }
  }

  /**
   * ACLKillPubsubClientsIfNeeded: before `original` takes the rules of `next`, its subscribed
   * clients whose channels or patterns the new rules no longer allow are disconnected.
   * Like Redis, nothing is checked when the new channel list keeps every old one.
   */
  killPubsubClientsIfNeeded(next: User, original: User): void {
    if (next.selectors.some((s) => s.flags & SELECTOR_ALLCHANNELS)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    const before = original.selectors.flatMap((s) => s.channels);
    if (before.every((channel) => upcoming.includes(channel))) return;
    for (const client of [...this.server.clients.values()]) {
      const subs = client.pubsub;
      if (client.user !== original || (client.flags & CLIENT_PUBSUB) === 0 || subs === null) {
        continue;
      }
      const revoked = [...subs.patterns].some((p) => !channelAllowed(upcoming, p, true)) ||
        [...subs.channels, ...subs.shardChannels].some((ch) =>
          !channelAllowed(upcoming, ch, false)
        );
      if (revoked) client.close();
    }
  }

  /**
   * ACLLoadFromFile: every line must be a valid `user` line, or nothing changes. Returns null,
   * or the errors in one line.
   */
  loadFromFile(path: string, caller: Client | null = null): string | null {
    let text: string;
    try {
      text = latin1Text(Deno.readFileSync(utf8(path)));
    } catch (err) {
      return `Error loading ACLs, opening file '${path}': ${osErrorText(err)}`;
    }
    let errors = "";
    const users = new Map<string, User>();
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      const linenum = i + 1;
      if (line === "") continue;
      // The ACL file is split on single spaces, without quoting (sdssplitlen).
      const argv = line.split(" ");
      if (argv[0] !== "user" || argv.length < 2) {
        errors += `${path}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${path}:${linenum}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (users.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        continue;
      }
      const u = this.newUser(name);
      users.set(name, u);
      const rules = mergeSelectorArguments(argv.slice(2));
      if (typeof rules === "number") {
        errors += `${path}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      // Unknown commands are each named (harmless); of other errors only the first of the
      // line is told, as it may explain the ones after it.
      let syntaxError = false;
      for (const raw of rules) {
        const rule = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, "");
        const error = u.apply(rule);
        if (error === "ENOENT") {
          errors += `${path}:${linenum}: Error in applying operation '${cstr(rule)}': ${
            ruleErrorText(error)
          }. `;
        } else if (error !== null && !syntaxError) {
          errors += `${path}:${linenum}: ${ruleErrorText(error)}. `;
          syntaxError = true;
        }
      }
    }
    if (errors !== "") {
      return errors +
        "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
    }
    // The default user object stays (clients point to it); every other user is replaced, and
    // whoever was logged in as one of them is disconnected.
    const newDefault = users.get("default") ?? this.createDefaultUser();
    this.defaultUser.copyFrom(newDefault);
    users.set("default", this.defaultUser);
    for (const old of this.users.values()) {
      if (old !== this.defaultUser) this.killClientsOf(old, caller);
    }
    this.users = users;
    this.defaultUserChanged();
    return null;
  }

  /** ACLSaveToFile: the users as `user` lines, through a temporary file and a rename. */
  saveToFile(path: string): boolean {
    const text = this.sortedUsers().map((u) => `user ${u.name} ${u.describe()}\n`).join("");
    const file = utf8(path);
    const tmp = `${file}.tmp-${Deno.pid}-${Date.now()}`;
    try {
      Deno.writeFileSync(tmp, latin1Bytes(text));
      Deno.renameSync(tmp, file);
      return true;
    } catch (err) {
      this.server.log("warning", `Writing ACL file for ACL SAVE: ${osErrorText(err)}`);
      try {
        Deno.removeSync(tmp);
      } catch {
        // never created
      }
      return false;
    }
  }
}

/** Where a denied command ran: queued inside MULTI, or not. */
function logContext(c: Client): "toplevel" | "multi" {
  return (c.flags & CLIENT_MULTI) !== 0 ? "multi" : "toplevel";
}

/**
 * The RESP parser refuses big frames from a client that must still authenticate (Redis's
 * "unauthenticated multibulk/bulk length" limits); this keeps its flag current.
 */
export function syncAuthLimits(c: Client): void {
  c.parser.unauthenticated = c.server.acl.authRequired(c);
}

/** clientSetDefaultAuth: the default user, authenticated when it needs no password. */
export function clientSetDefaultAuth(c: Client): void {
  const u = c.server.acl.defaultUser;
  c.user = u;
  c.authenticated = u.nopass && u.enabled;
  syncAuthLimits(c);
}

/**
 * null when the client may run this command with these arguments; otherwise the error reply
 * (-NOAUTH ..., -NOPERM ...), after logging a refusal in the ACL log. Runs for every command:
 * the common case (the default user with every permission) is one test.
 */
export function checkCommandAccess(c: Client, entry: TableEntry, argv: string[]): string | null {
  if (c.authenticated && c.user.unrestricted) return null;
  return checkRestricted(c, entry, argv);
}

function checkRestricted(c: Client, entry: TableEntry, argv: string[]): string | null {
  const acl = c.server.acl;
  const cmd = aclCommandOf(entry.command)!;
  if (acl.authRequired(c) && !cmd.noAuth) return NOAUTH;
  const denial = checkUserCommandPerm(c.user, cmd, argv);
  if (denial === null) return null;
  // Redis has already made it the client's last command when it checks permissions.
  c.lastCommand = entry.fullName;
  const object = denial.reason === DENIED_CMD ? entry.fullName : argv[denial.pos]!;
  acl.addLogEntry(c, denial.reason, object, c.user.name);
  return noPermMessage(denial.reason, entry.fullName);
}

/** execCommand's words for each refusal of a queued command whose rules changed. */
const EXEC_REASONS: Record<number, string> = {
  [DENIED_CMD]: "no permission to execute the command or subcommand",
  [DENIED_KEY]: "no permission to touch the specified keys",
  [DENIED_CHANNEL]: "no permission to access one of the channels used as arguments",
};

/**
 * EXEC checks each queued command again (the rules may have changed since it was queued):
 * null, or Redis's error for the command's slot in EXEC's reply, after logging it.
 */
export function checkQueuedCommandAccess(
  c: Client,
  entry: TableEntry,
  argv: string[],
): string | null {
  if (c.user.unrestricted) return null;
  const denial = checkUserCommandPerm(c.user, aclCommandOf(entry.command)!, argv);
  if (denial === null) return null;
  const object = denial.reason === DENIED_CMD ? entry.fullName : argv[denial.pos]!;
  c.server.acl.addLogEntry(c, denial.reason, object, c.user.name, "multi");
  return "NOPERM ACLs rules changed between the moment the transaction was accumulated and " +
    "the EXEC call. This command is no longer allowed for the following reason: " +
    EXEC_REASONS[denial.reason];
}

export function noPermMessage(reason: number, fullName: string): string {
  switch (reason) {
    case DENIED_CMD:
      return `NOPERM this user has no permissions to run the '${fullName}' command`;
    case DENIED_KEY:
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    default:
      return "NOPERM this user has no permissions to access one of the channels used as arguments";
  }
}

/**
 * ACLCheckAllUserCommandPerm: null when some selector allows the command; otherwise the most
 * relevant refusal (a channel over a key over the command, then the last argument).
 */
export function checkUserCommandPerm(u: User, cmd: AclCommand, argv: string[]): Denial | null {
  let reason = DENIED_CMD;
  let lastPos = 0;
  let keys: KeyRef[] | null = null;
  const getKeys = () => keys ??= commandKeys(cmd.command, cmd.fullName, argv);
  for (const selector of u.selectors) {
    const denial = selectorCheckCmd(selector, cmd, argv, getKeys);
    if (denial === null) return null;
    if (denial.reason > reason || (denial.reason === reason && denial.pos > lastPos)) {
      reason = denial.reason;
      lastPos = denial.pos;
    }
  }
  return { reason, pos: lastPos };
}

/** Which arguments of a command are channels, and whether they are compared literally. */
const CHANNEL_ARGS: Record<string, "first" | "all" | "literal"> = {
  publish: "first",
  spublish: "first",
  subscribe: "all",
  ssubscribe: "all",
  psubscribe: "literal",
};

function selectorCheckCmd(
  s: Selector,
  cmd: AclCommand,
  argv: string[],
  getKeys: () => KeyRef[],
): Denial | null {
  if (!(s.flags & SELECTOR_ALLCOMMANDS) && !cmd.noAuth && !s.allowed[cmd.id]) {
    // A command denied as a whole may still be allowed with one first argument ("+select|0").
    const allowedArgs = s.firstArgs?.get(cmd.id);
    const arg = argv[cmd.parent !== null ? 2 : 1];
    if (allowedArgs === undefined || arg === undefined) return { reason: DENIED_CMD, pos: 0 };
    const lower = cstr(arg).toLowerCase();
    if (!allowedArgs.some((a) => cstr(a).toLowerCase() === lower)) {
      return { reason: DENIED_CMD, pos: 0 };
    }
  }
  if (!(s.flags & SELECTOR_ALLKEYS)) {
    const plan = keyPlan(cmd);
    const range = plan.range;
    if (range !== null) {
      const argc = argv.length;
      const first = range.index;
      const last = range.lastkey >= 0
        ? first + range.lastkey
        : range.limit === 0
        ? argc + range.lastkey
        : first + Math.floor((argc - first) / range.limit) + range.lastkey;
      // Out of range: the spec finds no keys (keysUsingSpecs).
      if (!(last >= argc || last < first || first >= argc)) {
        for (let pos = first; pos <= last; pos += range.keystep) {
          if (!selectorCheckKey(s, argv[pos]!, range.perms)) return { reason: DENIED_KEY, pos };
        }
      }
    } else if (plan.hasKeys) {
      for (const key of getKeys()) {
        if (!selectorCheckKey(s, argv[key.pos]!, keyPermissions(key.flags))) {
          return { reason: DENIED_KEY, pos: key.pos };
        }
      }
    }
  }
  const channels = CHANNEL_ARGS[cmd.fullName];
  if (!(s.flags & SELECTOR_ALLCHANNELS) && channels !== undefined) {
    const last = channels === "first" ? Math.min(1, argv.length - 1) : argv.length - 1;
    for (let j = 1; j <= last; j++) {
      if (!channelAllowed(s.channels, argv[j]!, channels === "literal")) {
        return { reason: DENIED_CHANNEL, pos: j };
      }
    }
  }
  return null;
}

/** How a command's keys are found for permission checks, worked out once per command. */
interface KeyPlan {
  hasKeys: boolean;
  /** The command's one key spec is a plain range: positions by arithmetic, fixed permissions. */
  range: { index: number; lastkey: number; keystep: number; limit: number; perms: number } | null;
}

const keyPlans = new Map<AclCommand, KeyPlan>();

function keyPlan(cmd: AclCommand): KeyPlan {
  let plan = keyPlans.get(cmd);
  if (plan !== undefined) return plan;
  const specs = keySpecs(cmd.command);
  const spec = specs[0];
  const flags = spec?.flags.split(" ") ?? [];
  const plain = specs.length === 1 && spec!.index !== undefined && spec!.range !== undefined &&
    cmd.command.getKeys === undefined && !VARIABLE_FLAGS.has(cmd.fullName) &&
    !flags.includes("not_key") && !flags.includes("incomplete");
  plan = {
    hasKeys: commandHasKeys(cmd.command, specs),
    range: plain
      ? {
        index: spec!.index!,
        lastkey: spec!.range![0],
        keystep: spec!.range![1],
        limit: spec!.range![2],
        perms: keyPermissions(flags),
      }
      : null,
  };
  keyPlans.set(cmd, plan);
  return plan;
}

/** Commands whose key flags depend on their arguments (SET ... GET, BITFIELD): key_specs.ts. */
const VARIABLE_FLAGS = new Set(["set", "bitfield"]);

/** The permissions a key spec's flags ask for: access reads, insert/delete/update write. */
function keyPermissions(flags: string[]): number {
  let perms = 0;
  for (const flag of flags) {
    if (flag === "access") perms |= KEY_READ;
    else if (flag === "insert" || flag === "delete" || flag === "update") perms |= KEY_WRITE;
  }
  return perms;
}

function selectorCheckKey(s: Selector, key: string, perms: number): boolean {
  for (const p of s.patterns) {
    if ((p.flags & perms) !== perms) continue;
    if (matchGlob(p.pattern, key)) return true;
  }
  return false;
}

/** ACLCheckChannelAgainstList: PSUBSCRIBE's patterns must be listed literally. */
function channelAllowed(patterns: string[], channel: string, literal: boolean): boolean {
  for (const pattern of patterns) {
    if (literal ? cstr(pattern) === cstr(channel) : matchGlob(pattern, channel)) return true;
  }
  return false;
}

/**
 * ACLUserCheckChannelPerm for a user's existing subscriptions: true when some selector still
 * allows the channel (or pattern, compared literally).
 */
export function userCanAccessChannel(u: User, channel: string, literal: boolean): boolean {
  for (const s of u.selectors) {
    if (s.flags & SELECTOR_ALLCHANNELS) return true;
    if (channelAllowed(s.channels, channel, literal)) return true;
  }
  return false;
}

function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

function latin1Text(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** strerror-like text of a file error. */
function osErrorText(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "No such file or directory";
  if (err instanceof Deno.errors.PermissionDenied) return "Permission denied";
  return strerror(err);
}

/**
 * ACLAppendUserForLoading: a config file `user` line is checked on a scratch user when read
 * (unknown commands are only reported when the users are loaded); errors name an argument
 * the way Redis 7.0 does.
 */
registerDirective("user", (args, config) => {
  if (args.length < 1) throw new ConfigError("Bad directive or wrong number of arguments");
  const argv = ["user", ...args];
  const declared = config.directives.some((d) => d.name === "user" && d.args[0] === args[0]);
  const fail = (index: number, reason: string): never => {
    throw new ConfigError(`Error in user declaration '${cstr(argv[index] ?? "")}': ${reason}`);
  };
  if (declared) {
    fail(1, "Duplicate user found. A user can only be defined once in config files");
  }
  const rules = mergeSelectorArguments(args.slice(1));
  if (typeof rules === "number") fail(rules, "Syntax error");
  const scratch = new User(args[0]!, 0);
  (rules as string[]).forEach((rule, j) => {
    const error = scratch.apply(rule);
    if (error !== null && error !== "ENOENT") fail(j, ruleErrorText(error));
  });
});
