// maxclients is bounded by the open-files limit, as in Redis's adjustOpenFilesLimit: Redis
// keeps 32 descriptors for itself and lowers maxclients when the OS will not give it
// maxclients + 32. Deno already raises its soft limit to the hard one at startup, so the soft
// limit read here is the most this process can have.

/** Descriptors Redis keeps for files, listeners and the like (CONFIG_MIN_RESERVED_FDS). */
const RESERVED_FDS = 32;

/** The process's open-files limit, or null where it cannot be read (not Linux). */
function openFilesLimit(): number | null {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const line = limits.split("\n").find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s+/)[3];
    if (soft === undefined || soft === "unlimited") return null;
    const n = Number(soft);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** The number of clients the OS lets us serve when `maxclients` are asked for. */
export function clientsAllowed(maxclients: number, limit = openFilesLimit()): number {
  if (limit === null || limit >= maxclients + RESERVED_FDS) return maxclients;
  return Math.max(1, limit - RESERVED_FDS);
}
