// Who may run what: authentication (requirepass, AUTH, HELLO AUTH) and ACL rules. Mirrors
// Redis's acl.c. The dispatcher asks checkCommandAccess before running any command.
import type { Client } from "./client.ts";
import type { TableEntry } from "./commands/table.ts";

/**
 * null when the client may run this command with these arguments; otherwise the error reply
 * (-NOAUTH ..., -NOPERM ...). Not implemented yet: every client is the default user.
 */
export function checkCommandAccess(
  _c: Client,
  _entry: TableEntry,
  _argv: string[],
): string | null {
  return null;
}
