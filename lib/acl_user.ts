// ACL users and selectors: applying rules (ACL SETUSER's modifiers) and describing them back in
// the same language (ACL LIST, ACL GETUSER). Mirrors the low level part of Redis's acl.c.
import { createHash } from "node:crypto";
import { toBytes } from "./bytes.ts";
import { splitArgs } from "./resp/split_args.ts";
import { ACL_CATEGORIES, aclCategories } from "./commands/acl_categories.ts";
import { COMMANDS } from "./commands/table.ts";
import type { Command } from "./commands/types.ts";

/** One command of the original table (renames do not apply to ACL rules), with its bit. */
export interface AclCommand {
  id: number;
  command: Command;
  fullName: string;
  /** Bit i set: the command is in ACL_CATEGORIES[i]. */
  categories: number;
  parent: AclCommand | null;
  subcommands: Map<string, AclCommand> | null;
  /** AUTH, HELLO, QUIT...: runnable before authenticating, whatever the rules say. */
  noAuth: boolean;
}

interface Registry {
  top: AclCommand[];
  byName: Map<string, AclCommand>;
  byCommand: Map<Command, AclCommand>;
  /** Bits per selector: one per command plus the "future commands" bit that +@all sets. */
  bits: number;
}

let registry: Registry | null = null;

/** Built on first use: the command table imports this module's users (a cycle). */
function commands(): Registry {
  if (registry !== null) return registry;
  let next = 0;
  const byCommand = new Map<Command, AclCommand>();
  const make = (command: Command, fullName: string, parent: AclCommand | null): AclCommand => {
    let categories = 0;
    for (const name of aclCategories(command)) {
      categories |= 1 << ACL_CATEGORIES.indexOf(name as typeof ACL_CATEGORIES[number]);
    }
    const cmd: AclCommand = {
      id: next++,
      command,
      fullName,
      categories,
      parent,
      subcommands: null,
      noAuth: command.flags.includes("no_auth"),
    };
    byCommand.set(command, cmd);
    return cmd;
  };
  const top: AclCommand[] = [];
  const byName = new Map<string, AclCommand>();
  for (const command of COMMANDS) {
    const cmd = make(command, command.name, null);
    if (command.subcommands !== undefined) {
      cmd.subcommands = new Map();
      for (const sub of command.subcommands) {
        cmd.subcommands.set(sub.name, make(sub, `${command.name}|${sub.name}`, cmd));
      }
    }
    top.push(cmd);
    byName.set(command.name, cmd);
  }
  registry = { top, byName, byCommand, bits: next + 1 };
  return registry;
}

/** The ACL record of a command record (the dispatcher's entry). */
export function aclCommandOf(command: Command): AclCommand | undefined {
  return commands().byCommand.get(command);
}

/** ACLLookupCommand: "get" or "client|list" in any case, in the original command table. */
export function aclLookupCommand(name: string): AclCommand | undefined {
  const parts = name.toLowerCase().split("|");
  if (parts.length > 2) return undefined;
  const base = commands().byName.get(parts[0]!);
  if (parts.length === 1 || base === undefined) return base;
  return base.subcommands?.get(parts[1]!);
}

/** Every command, each container followed by its subcommands (Redis walks its dicts so). */
export function* everyAclCommand(): Generator<AclCommand> {
  for (const cmd of commands().top) {
    yield cmd;
    if (cmd.subcommands !== null) yield* cmd.subcommands.values();
  }
}

export function categoryFlag(name: string): number {
  const index = ACL_CATEGORIES.indexOf(name.toLowerCase() as typeof ACL_CATEGORIES[number]);
  return index < 0 ? 0 : 1 << index;
}

// Selector flags (SELECTOR_FLAG_*).
export const SELECTOR_ROOT = 1;
export const SELECTOR_ALLKEYS = 2;
export const SELECTOR_ALLCOMMANDS = 4;
export const SELECTOR_ALLCHANNELS = 8;

// Key pattern permissions (ACL_READ_PERMISSION, ACL_WRITE_PERMISSION).
export const KEY_READ = 1;
export const KEY_WRITE = 2;
const KEY_ALL = KEY_READ | KEY_WRITE;

// User flags (USER_FLAG_*), in the order ACL LIST shows them.
const USER_FLAGS = [
  ["on", 1],
  ["off", 2],
  ["nopass", 4],
  ["skip-sanitize-payload", 8],
  ["sanitize-payload", 16],
] as const;
export const USER_ENABLED = 1;
export const USER_DISABLED = 2;
export const USER_NOPASS = 4;
const USER_SANITIZE_SKIP = 8;
const USER_SANITIZE = 16;

/** Why a rule was rejected: ACLSetUserStringError's messages, keyed by Redis's errno. */
const RULE_ERRORS = {
  ENOENT: "Unknown command or category name in ACL",
  EINVAL: "Syntax error",
  EEXIST: "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does " +
    "not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR: "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and " +
    "does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: "The password you are trying to remove from the user does not exist",
  EBADMSG: "The password hash must be exactly 64 characters and contain only lowercase " +
    "hexadecimal characters",
  ECHILD: "Allowing first-arg of a subcommand is not supported",
} as const;
export type RuleError = keyof typeof RULE_ERRORS;

export function ruleErrorText(error: RuleError): string {
  return RULE_ERRORS[error];
}

/** The text C's "%s" and strcasecmp see: up to the first NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** ACLStringHasSpaces: isspace() or NUL anywhere. */
export function hasSpaces(s: string): boolean {
  return /[\0\t\n\v\f\r ]/.test(s);
}

/** ACLHashPassword: the lowercase hex SHA-256 of the password's bytes. */
export function hashPassword(password: string): string {
  return createHash("sha256").update(toBytes(password)).digest("hex");
}

function isPasswordHash(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}

export interface KeyPattern {
  pattern: string;
  flags: number;
}

export class Selector {
  flags: number;
  /** allowed[id] is 1 when the command may run; the last byte is the "future commands" bit. */
  allowed: Uint8Array;
  /** allowed_firstargs: "+select|0" allows SELECT 0 of an otherwise denied SELECT. */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  channels: string[] = [];

  constructor(flags: number) {
    this.flags = flags;
    this.allowed = new Uint8Array(commands().bits);
  }

  copy(): Selector {
    const s = new Selector(this.flags);
    s.allowed.set(this.allowed);
    if (this.firstArgs !== null) {
      s.firstArgs = new Map([...this.firstArgs].map(([id, args]) => [id, [...args]]));
    }
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    return s;
  }

  get canRunFutureCommands(): boolean {
    return this.allowed[this.allowed.length - 1] === 1;
  }

  private setBit(id: number, allow: boolean): void {
    this.allowed[id] = allow ? 1 : 0;
    if (!allow) this.flags &= ~SELECTOR_ALLCOMMANDS;
  }

  /** ACLChangeSelectorPerm: a container's rule covers its subcommands. */
  changePerm(cmd: AclCommand, allow: boolean): void {
    this.setBit(cmd.id, allow);
    this.firstArgs?.delete(cmd.id);
    if (cmd.subcommands !== null) {
      for (const sub of cmd.subcommands.values()) this.setBit(sub.id, allow);
    }
  }

  /** ACLSetSelectorCommandBitsForCategory over every command, containers first. */
  changeCategory(flag: number, allow: boolean): void {
    for (const cmd of everyAclCommand()) {
      if (cmd.categories & flag) this.changePerm(cmd, allow);
    }
  }

  /** ACLCountCategoryBitsForSelector: [allowed, denied] commands of a category. */
  countCategory(flag: number): [number, number] {
    let on = 0, off = 0;
    for (const cmd of everyAclCommand()) {
      if (cmd.categories & flag) {
        if (this.allowed[cmd.id]) on++;
        else off++;
      }
    }
    return [on, off];
  }

  private addFirstArg(id: number, arg: string): void {
    this.firstArgs ??= new Map();
    const args = this.firstArgs.get(id) ?? [];
    const lower = cstr(arg).toLowerCase();
    if (args.some((a) => cstr(a).toLowerCase() === lower)) return;
    args.push(arg);
    this.firstArgs.set(id, args);
  }

  /** ACLSetSelector: one rule about commands, keys or channels; null or the error. */
  apply(op: string): RuleError | null {
    const word = cstr(op).toLowerCase();
    if (word === "allkeys" || word === "~*") {
      this.flags |= SELECTOR_ALLKEYS;
      this.patterns = [];
    } else if (word === "resetkeys") {
      this.flags &= ~SELECTOR_ALLKEYS;
      this.patterns = [];
    } else if (word === "allchannels" || word === "&*") {
      this.flags |= SELECTOR_ALLCHANNELS;
      this.channels = [];
    } else if (word === "resetchannels") {
      this.flags &= ~SELECTOR_ALLCHANNELS;
      this.channels = [];
    } else if (word === "allcommands" || word === "+@all") {
      this.allowed.fill(1);
      this.flags |= SELECTOR_ALLCOMMANDS;
      this.firstArgs = null;
    } else if (word === "nocommands" || word === "-@all") {
      this.allowed.fill(0);
      this.flags &= ~SELECTOR_ALLCOMMANDS;
      this.firstArgs = null;
    } else if (op[0] === "~" || op[0] === "%") {
      return this.addKeyPattern(op);
    } else if (op[0] === "&") {
      if (this.flags & SELECTOR_ALLCHANNELS) return "EISDIR";
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return "EINVAL";
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.flags &= ~SELECTOR_ALLCHANNELS;
    } else if (op[0] === "+" && op[1] !== "@") {
      return this.allowCommand(cstr(op.slice(1)));
    } else if (op[0] === "-" && op[1] !== "@") {
      const cmd = aclLookupCommand(cstr(op.slice(1)));
      if (cmd === undefined) return "ENOENT";
      this.changePerm(cmd, false);
    } else if ((op[0] === "+" || op[0] === "-") && op[1] === "@") {
      const flag = categoryFlag(cstr(op.slice(2)));
      if (flag === 0) return "ENOENT";
      this.changeCategory(flag, op[0] === "+");
    } else {
      return "EINVAL";
    }
    return null;
  }

  private addKeyPattern(op: string): RuleError | null {
    if (this.flags & SELECTOR_ALLKEYS) return "EEXIST";
    let flags = 0;
    let offset = 1;
    if (op[0] === "%") {
      for (; offset < op.length; offset++) {
        const ch = op[offset]!.toUpperCase();
        if (ch === "R" && !(flags & KEY_READ)) flags |= KEY_READ;
        else if (ch === "W" && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
        else if (op[offset] === "~") {
          offset++;
          break;
        } else return "EINVAL";
      }
      if (flags === 0) return "EINVAL";
    } else {
      flags = KEY_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return "EINVAL";
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing !== undefined) existing.flags |= flags;
    else this.patterns.push({ pattern, flags });
    this.flags &= ~SELECTOR_ALLKEYS;
    return null;
  }

  /** "+get", "+client|list", or "+select|0" (a first argument of a command without subcommands). */
  private allowCommand(name: string): RuleError | null {
    const bar = name.lastIndexOf("|");
    if (bar < 0) {
      const cmd = aclLookupCommand(name);
      if (cmd === undefined) return "ENOENT";
      this.changePerm(cmd, true);
      return null;
    }
    const cmd = aclLookupCommand(name.slice(0, bar));
    if (cmd === undefined) return "ENOENT";
    if (cmd.parent !== null) return "ECHILD";
    const sub = name.slice(bar + 1);
    if (sub === "") return "EINVAL";
    if (cmd.subcommands !== null) {
      const subcommand = aclLookupCommand(name);
      if (subcommand === undefined) return "ENOENT";
      this.changePerm(subcommand, true);
    } else {
      this.addFirstArg(cmd.id, sub);
    }
    return null;
  }

  /** ACLDescribeSelector: keys, channels, then command rules. */
  describe(): string {
    let out = "";
    if (this.flags & SELECTOR_ALLKEYS) out += "~* ";
    else for (const p of this.patterns) out += patternString(p) + " ";
    if (this.flags & SELECTOR_ALLCHANNELS) out += "&* ";
    else {
      out += "resetchannels ";
      for (const channel of this.channels) out += `&${channel} `;
    }
    return out + this.describeCommands();
  }

  /** ACL GETUSER's "keys" field. */
  describeKeys(): string {
    return this.flags & SELECTOR_ALLKEYS ? "~*" : this.patterns.map(patternString).join(" ");
  }

  /** ACL GETUSER's "channels" field. */
  describeChannels(): string {
    return this.flags & SELECTOR_ALLCHANNELS ? "&*" : this.channels.map((c) => `&${c}`).join(" ");
  }

  /**
   * ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that best fit the
   * bitmap (each chosen greedily and replayed on a scratch selector), then single commands.
   */
  describeCommands(): string {
    const rules: string[] = [];
    const additive = !this.canRunFutureCommands;
    const fake = new Selector(0);
    fake.apply(additive ? "-@all" : "+@all");
    rules.push(additive ? "-@all" : "+@all");
    const temp = new Selector(0);
    temp.allowed.set(this.allowed);
    const applied = new Set<number>();
    for (;;) {
      let best = -1, minDiff = 2147483647, maxSame = 0;
      for (let j = 0; j < ACL_CATEGORIES.length; j++) {
        if (applied.has(j)) continue;
        const [on, off] = temp.countCategory(1 << j);
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = j;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best === -1) break;
      fake.changeCategory(1 << best, additive);
      temp.changeCategory(1 << best, !additive);
      rules.push(`${additive ? "+" : "-"}@${ACL_CATEGORIES[best]}`);
      applied.add(best);
    }
    for (const cmd of everyAclCommand()) {
      const bit = this.allowed[cmd.id]!;
      if (bit !== fake.allowed[cmd.id]) {
        rules.push(`${bit ? "+" : "-"}${cmd.fullName}`);
        fake.changePerm(cmd, bit === 1);
      }
      const args = bit === 0 ? this.firstArgs?.get(cmd.id) : undefined;
      for (const arg of args ?? []) rules.push(`+${cmd.fullName}|${arg}`);
    }
    return rules.join(" ");
  }
}

function patternString(p: KeyPattern): string {
  const prefix = p.flags === KEY_ALL ? "~" : p.flags === KEY_READ ? "%R~" : "%W~";
  return prefix + p.pattern;
}

export class User {
  flags = USER_DISABLED;
  /** SHA-256 hex digests. */
  passwords: string[] = [];
  /** The root selector first, then the "(...)" ones. */
  selectors: Selector[];
  /**
   * The root selector allows every command, key and channel: the dispatcher's fast path needs
   * no further check for such a user. Kept current by every change.
   */
  unrestricted = false;

  constructor(readonly name: string, readonly pubsubDefault: number) {
    this.selectors = [new Selector(SELECTOR_ROOT | pubsubDefault)];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  get enabled(): boolean {
    return (this.flags & USER_DISABLED) === 0;
  }

  get nopass(): boolean {
    return (this.flags & USER_NOPASS) !== 0;
  }

  /** ACLCopyUser: the rules of `src`, keeping this user's name (and identity). */
  copyFrom(src: User): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
    this.refresh();
  }

  private refresh(): void {
    const all = SELECTOR_ALLCOMMANDS | SELECTOR_ALLKEYS | SELECTOR_ALLCHANNELS;
    this.unrestricted = (this.root.flags & all) === all;
  }

  /** ACLSetUser: one modifier (user flag, password, selector or root selector rule). */
  apply(op: string): RuleError | null {
    const error = this.applyOne(op);
    this.refresh();
    return error;
  }

  private applyOne(op: string): RuleError | null {
    if (op.length === 0) return null;
    const word = cstr(op).toLowerCase();
    if (word === "on") {
      this.flags = (this.flags | USER_ENABLED) & ~USER_DISABLED;
    } else if (word === "off") {
      this.flags = (this.flags | USER_DISABLED) & ~USER_ENABLED;
    } else if (word === "skip-sanitize-payload") {
      this.flags = (this.flags | USER_SANITIZE_SKIP) & ~USER_SANITIZE;
    } else if (word === "sanitize-payload") {
      this.flags = (this.flags | USER_SANITIZE) & ~USER_SANITIZE_SKIP;
    } else if (word === "nopass") {
      this.flags |= USER_NOPASS;
      this.passwords = [];
    } else if (word === "resetpass") {
      this.flags &= ~USER_NOPASS;
      this.passwords = [];
    } else if (op[0] === ">" || op[0] === "#") {
      const hash = op[0] === ">" ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === "#" && !isPasswordHash(hash)) return "EBADMSG";
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~USER_NOPASS;
    } else if (op[0] === "<" || op[0] === "!") {
      const hash = op[0] === "<" ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === "!" && !isPasswordHash(hash)) return "EBADMSG";
      const at = this.passwords.indexOf(hash);
      if (at < 0) return "ENODEV";
      this.passwords.splice(at, 1);
    } else if (op[0] === "(" && op[op.length - 1] === ")") {
      const selector = new Selector(this.pubsubDefault);
      const inner = toBytes(op.slice(1, -1));
      for (const rule of splitArgs(inner, 0, inner.length) ?? []) {
        const error = selector.apply(rule);
        if (error !== null) return error;
      }
      this.selectors.push(selector);
    } else if (word === "clearselectors") {
      this.selectors.length = 1;
    } else if (word === "reset") {
      for (const step of ["resetpass", "resetkeys", "resetchannels"]) this.applyOne(step);
      if (this.pubsubDefault & SELECTOR_ALLCHANNELS) this.applyOne("allchannels");
      for (const step of ["off", "sanitize-payload", "clearselectors", "-@all"]) {
        this.applyOne(step);
      }
    } else {
      return this.root.apply(op);
    }
    return null;
  }

  /** ACL GETUSER's flags, in ACL LIST order. */
  flagNames(): string[] {
    return USER_FLAGS.filter(([, flag]) => this.flags & flag).map(([name]) => name);
  }

  /** ACLDescribeUser: the rules that recreate this user (ACL LIST, ACL SAVE). */
  describe(): string {
    let out = "";
    for (const name of this.flagNames()) out += name + " ";
    for (const hash of this.passwords) out += `#${hash} `;
    out += this.root.describe();
    for (const selector of this.selectors.slice(1)) out += ` (${selector.describe()})`;
    return out;
  }
}

/**
 * ACLMergeSelectorArguments: a selector may be spread over several arguments, "(+get" "~k)".
 * Returns the merged rules, or the index of the argument opening an unclosed selector.
 */
export function mergeSelectorArguments(args: string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let selector = "";
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === "(" && op[op.length - 1] !== ")") {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += " " + op;
      if (op[op.length - 1] === ")") {
        open = -1;
        out.push(selector);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

/** Compares two password digests without an early exit (time_independent_strcmp). */
export function sameDigest(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
