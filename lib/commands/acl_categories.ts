// ACL categories of commands, derived as Redis 7.0 derives them: the group's category (or the
// command's explicit list) plus those implied by flags (setImplicitACLCategories in server.c).
import type { Command } from "./types.ts";

/** Every category, in the order Redis lists them (ACLCommandCategories in acl.c). */
export const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;

/** The category a command of each group declares in Redis's JSON files, when there is one. */
const GROUP_CATEGORY: Record<string, string> = {
  string: "string",
  generic: "keyspace",
  connection: "connection",
  list: "list",
  hash: "hash",
  set: "set",
  "sorted-set": "sortedset",
  bitmap: "bitmap",
  hyperloglog: "hyperloglog",
  geo: "geo",
  stream: "stream",
  pubsub: "pubsub",
  transactions: "transaction",
  scripting: "scripting",
};

const cache = new Map<Command, string[]>();

/** The command's categories without "@", in Redis's order. */
export function aclCategories(command: Command): string[] {
  const cached = cache.get(command);
  if (cached !== undefined) return cached;
  const explicit = command.meta?.acl;
  const categories = new Set<string>();
  if (explicit !== undefined) {
    for (const category of explicit.split(" ")) categories.add(category);
  } else if (command.subcommands === undefined && GROUP_CATEGORY[command.group] !== undefined) {
    // Containers (CLIENT, OBJECT...) declare no category of their own.
    categories.add(GROUP_CATEGORY[command.group]!);
  }
  const flags = new Set(command.flags);
  if (flags.has("write")) categories.add("write");
  if (flags.has("readonly") && !categories.has("scripting")) categories.add("read");
  if (flags.has("admin")) categories.add("admin").add("dangerous");
  if (flags.has("pubsub")) categories.add("pubsub");
  if (flags.has("fast")) categories.add("fast");
  if (flags.has("blocking")) categories.add("blocking");
  if (!categories.has("fast")) categories.add("slow");
  const ordered = ACL_CATEGORIES.filter((c) => categories.has(c));
  cache.set(command, ordered);
  return ordered;
}

/** True for a category name as ACL and COMMAND LIST accept it (any case, no "@"). */
export function isAclCategory(name: string): boolean {
  return (ACL_CATEGORIES as readonly string[]).includes(name.toLowerCase());
}
