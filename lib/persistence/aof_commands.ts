// The AOF base in command form (aof-use-rdb-preamble no): each key as the commands that rebuild
// it, as Redis's rewriteAppendOnlyFileRio writes them: SET, RPUSH, SADD, ZADD and HMSET with at
// most 64 items per command, then PEXPIREAT for a key with a TTL; SELECT before each database.
import type { Value } from "../store/keyspace.ts";
import type { ByteString } from "../store/byte_string.ts";
import type { ListObject } from "../store/list.ts";
import type { HashObject } from "../store/hash.ts";
import type { SetObject } from "../store/set.ts";
import type { Zset } from "../store/zset.ts";
import { formatDouble } from "../util/numbers.ts";
import type { RdbWriter } from "./rdb_writer.ts";

/** AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;

function header(w: RdbWriter, argc: number): void {
  w.latin1(`*${argc}\r\n`);
}

function bulk(w: RdbWriter, arg: string): void {
  w.latin1(`$${arg.length}\r\n`);
  w.latin1(arg);
  w.latin1("\r\n");
}

function bulkBytes(w: RdbWriter, arg: Uint8Array): void {
  w.latin1(`$${arg.length}\r\n`);
  w.bytes(arg);
  w.latin1("\r\n");
}

/** SELECT id, written before the keys of each database. */
export function writeSelect(w: RdbWriter, id: number): void {
  header(w, 2);
  bulk(w, "SELECT");
  bulk(w, String(id));
}

/** `command key item...` in commands of at most 64 items (each item one or more arguments). */
function writeBatched(
  w: RdbWriter,
  command: string,
  key: string,
  items: string[],
  argsPerItem: number,
): void {
  const count = items.length / argsPerItem;
  for (let done = 0; done < count; done += ITEMS_PER_CMD) {
    const n = Math.min(ITEMS_PER_CMD, count - done);
    header(w, 2 + n * argsPerItem);
    bulk(w, command);
    bulk(w, key);
    const end = (done + n) * argsPerItem;
    for (let i = done * argsPerItem; i < end; i++) bulk(w, items[i]!);
  }
}

/** rewriteAppendOnlyFileRio's commands for one key. */
export function writeKeyCommands(
  w: RdbWriter,
  key: string,
  value: Value,
  expire: number | bigint | undefined,
): void {
  if (typeof value === "string") {
    header(w, 3);
    bulk(w, "SET");
    bulk(w, key);
    bulk(w, value);
  } else {
    switch (value.type) {
      case "string":
        header(w, 3);
        bulk(w, "SET");
        bulk(w, key);
        bulkBytes(w, (value as ByteString).bytes);
        break;
      case "list": {
        const items: string[] = [];
        const it = (value as ListObject).iterator(0, false);
        while (it.next()) items.push(it.value());
        writeBatched(w, "RPUSH", key, items, 1);
        break;
      }
      case "set": {
        const set = value as SetObject;
        const members = set.ints !== null ? set.ints.map(String) : set.members;
        writeBatched(w, "SADD", key, members, 1);
        break;
      }
      case "zset": {
        const items: string[] = [];
        const z = value as Zset;
        z.forRange(0, z.size, false, (member, score) => {
          items.push(formatDouble(score), member);
        });
        writeBatched(w, "ZADD", key, items, 2);
        break;
      }
      case "hash":
        writeBatched(w, "HMSET", key, (value as HashObject).pairs(), 2);
        break;
      default:
        throw new Error(`cannot rewrite a ${value.type} value`);
    }
  }
  if (expire !== undefined) {
    header(w, 3);
    bulk(w, "PEXPIREAT");
    bulk(w, key);
    bulk(w, String(expire));
  }
}
