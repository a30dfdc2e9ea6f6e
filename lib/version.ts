// Version facts reported by --version, INFO and HELLO.

export const VERSION = {
  name: "inmemdb",
  /** Our own version (INFO inmemdb_version). */
  version: "0.1.0",
  /** The Redis surface we implement; clients gate features on it (INFO redis_version). */
  redis: "7.0.15",
} as const;
