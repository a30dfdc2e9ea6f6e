// The CLIENT_* bits of Client.flags (Redis's server.h), in a module without imports so that the
// Pub/Sub, MULTI and tracking registries can use them without an import cycle through client.ts.

// The dispatcher tests `flags !== 0` once per command: only clients in a special state pay more.
export const CLIENT_MULTI = 1 << 0;
/** A WATCHed key changed: EXEC fails. */
export const CLIENT_DIRTY_CAS = 1 << 1;
/** A command failed while queuing: EXEC fails with EXECABORT. */
export const CLIENT_DIRTY_EXEC = 1 << 2;
/** Subscribed to a channel, pattern or shard channel. */
export const CLIENT_PUBSUB = 1 << 3;
export const CLIENT_MONITOR = 1 << 4;
export const CLIENT_TRACKING = 1 << 5;
export const CLIENT_TRACKING_BCAST = 1 << 6;
export const CLIENT_TRACKING_OPTIN = 1 << 7;
export const CLIENT_TRACKING_OPTOUT = 1 << 8;
/** CLIENT CACHING yes/no was given for the next command. */
export const CLIENT_TRACKING_CACHING = 1 << 9;
export const CLIENT_TRACKING_NOLOOP = 1 << 10;
/** The client invalidations are redirected to has gone away. */
export const CLIENT_TRACKING_BROKEN_REDIR = 1 << 11;
/** Past its output buffer limit: closed at the end of the current event. */
export const CLIENT_CLOSE_ASAP = 1 << 12;
