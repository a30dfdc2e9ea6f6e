// The multi-part append-only file's manifest (Redis 7.0's aof.c): which base file and which
// incremental files make up the AOF, in order, and which old files (history) may be deleted.
// One line per file: `file appendonly.aof.1.base.rdb seq 1 type b`.
import { splitArgs } from "../resp/split_args.ts";
import { toBytes } from "../bytes.ts";
import { leadingInteger } from "../util/numbers.ts";

export type AofFileType = "b" | "i" | "h";

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export class AofManifestError extends Error {}

/** AOF_ANNOTATION_LINE_MAX_LEN: a longer manifest line is refused. */
const LINE_MAX = 1024;

export class AofManifest {
  base: AofInfo | null = null;
  incrs: AofInfo[] = [];
  history: AofInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;

  /** aofLoadManifestFromFile: Redis's errors (the server logs one and exits). */
  static parse(text: string): AofManifest {
    const am = new AofManifest();
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 0) throw new AofManifestError("Found an empty AOF manifest");
    let maxSeq = 0;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      if (raw.startsWith("#")) continue;
      const lastUnterminated = i === lines.length - 1 && !text.endsWith("\n");
      if (raw.length + 1 > LINE_MAX || lastUnterminated) {
        throw new AofManifestError("The AOF manifest file contains too long line");
      }
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      const bytes = toBytes(line);
      const argv = line === "" ? null : splitArgs(bytes, 0, bytes.length);
      if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
        throw new AofManifestError("Invalid AOF manifest file format");
      }
      let name = "", seq = 0, type = "";
      for (let j = 0; j < argv.length; j += 2) {
        const key = argv[j]!.toLowerCase(), value = argv[j + 1]!;
        if (key === "file") {
          name = value;
          if (name.includes("/") || name.includes("\\")) {
            throw new AofManifestError("File can't be a path, just a filename");
          }
        } else if (key === "seq") {
          seq = leadingInteger(value);
        } else if (key === "type") {
          type = value.charAt(0);
        }
      }
      if (name === "" || seq === 0 || type === "") {
        throw new AofManifestError("Invalid AOF manifest file format");
      }
      if (type === "b") {
        if (am.base !== null) throw new AofManifestError("Found duplicate base file information");
        am.base = { name, seq, type };
        am.baseSeq = seq;
      } else if (type === "h") {
        am.history.push({ name, seq, type });
      } else if (type === "i") {
        if (seq <= maxSeq) throw new AofManifestError("Found a non-monotonic sequence number");
        am.incrs.push({ name, seq, type });
        am.incrSeq = maxSeq = seq;
      } else {
        throw new AofManifestError("Unknown AOF file type");
      }
    }
    return am;
  }

  /** getAofManifestAsString: the base, then history, then the incremental files. */
  format(): string {
    const all = [...(this.base === null ? [] : [this.base]), ...this.history, ...this.incrs];
    return all.map((ai) => `file ${quoteName(ai.name)} seq ${ai.seq} type ${ai.type}\n`).join("");
  }

  clone(): AofManifest {
    const am = new AofManifest();
    am.base = this.base === null ? null : { ...this.base };
    am.incrs = this.incrs.map((ai) => ({ ...ai }));
    am.history = this.history.map((ai) => ({ ...ai }));
    am.baseSeq = this.baseSeq;
    am.incrSeq = this.incrSeq;
    return am;
  }

  /** getNewBaseFileNameAndMarkPreAsHistory: the old base goes first in the history. */
  newBase(filename: string, rdbPreamble: boolean): string {
    if (this.base !== null) this.history.unshift({ ...this.base, type: "h" });
    const name = `${filename}.${++this.baseSeq}.base.${rdbPreamble ? "rdb" : "aof"}`;
    this.base = { name, seq: this.baseSeq, type: "b" };
    return name;
  }

  /** getNewIncrAofName: a new incremental file at the end. */
  newIncr(filename: string): string {
    const name = `${filename}.${++this.incrSeq}.incr.aof`;
    this.incrs.push({ name, seq: this.incrSeq, type: "i" });
    return name;
  }

  /**
   * markRewrittenIncrAofAsHistory: the incremental files now in the base go to the front of
   * the history, in order; the last one stays when it is being appended to (`keepLast`).
   */
  markRewrittenIncrsAsHistory(keepLast: boolean): void {
    const kept = keepLast ? this.incrs.splice(-1) : [];
    this.history.unshift(...this.incrs.map((ai): AofInfo => ({ ...ai, type: "h" })));
    this.incrs = kept;
  }

  lastIncrName(): string | null {
    return this.incrs.length === 0 ? null : this.incrs[this.incrs.length - 1]!.name;
  }
}

/** sdsneedsrepr/sdscatrepr: a name with spaces, quotes or control bytes is written quoted. */
function quoteName(name: string): string {
  const needsQuotes = [...name].some((ch) => {
    const code = ch.charCodeAt(0);
    return ch === "\\" || ch === '"' || code <= 0x20 || code >= 0x7f;
  });
  if (!needsQuotes) return name;
  let out = '"';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code < 0x20 || code >= 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** The manifest's file name, and the temporary incremental file of AOF_WAIT_REWRITE. */
export function manifestName(filename: string): string {
  return `${filename}.manifest`;
}

export function tempIncrName(filename: string): string {
  return `temp-${filename}.incr`;
}
