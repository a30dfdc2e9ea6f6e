import assert from "node:assert/strict";
import { AofManifest, AofManifestError, manifestName, tempIncrName } from "./aof_manifest.ts";

function parseError(text: string): string {
  try {
    AofManifest.parse(text);
  } catch (err) {
    assert.ok(err instanceof AofManifestError, String(err));
    return err.message;
  }
  throw new Error("parsed");
}

Deno.test("a manifest parses into base, history and incremental files", () => {
  const am = AofManifest.parse(
    "# a comment\n" +
      "file appendonly.aof.3.base.rdb seq 3 type b\n" +
      "file appendonly.aof.2.incr.aof seq 2 type h\n" +
      "file appendonly.aof.3.incr.aof seq 3 type i\n" +
      "file appendonly.aof.4.incr.aof seq 4 type i\n",
  );
  assert.deepEqual(am.base, { name: "appendonly.aof.3.base.rdb", seq: 3, type: "b" });
  assert.deepEqual(am.history, [{ name: "appendonly.aof.2.incr.aof", seq: 2, type: "h" }]);
  assert.deepEqual(am.incrs.map((ai) => ai.seq), [3, 4]);
  assert.equal(am.baseSeq, 3);
  assert.equal(am.incrSeq, 4);
  assert.equal(am.lastIncrName(), "appendonly.aof.4.incr.aof");
});

Deno.test("keys may come in any order and case; surrounding blanks and CRLF are ignored", () => {
  const am = AofManifest.parse("  TYPE i SEQ 7 FILE x.7.incr.aof\r\n");
  assert.deepEqual(am.incrs, [{ name: "x.7.incr.aof", seq: 7, type: "i" }]);
});

Deno.test("format writes the base, then history, then incremental files, and parses back", () => {
  const text = "file appendonly.aof.2.base.rdb seq 2 type b\n" +
    "file appendonly.aof.1.base.rdb seq 1 type h\n" +
    "file appendonly.aof.2.incr.aof seq 2 type i\n";
  assert.equal(AofManifest.parse(text).format(), text);
});

Deno.test("names with spaces, quotes or control bytes are quoted like sdscatrepr", () => {
  const am = new AofManifest();
  am.base = { name: 'my "aof" file\n', seq: 1, type: "b" };
  am.incrs = [{ name: "tab\there\x01", seq: 1, type: "i" }];
  const text = am.format();
  assert.equal(
    text,
    'file "my \\"aof\\" file\\n" seq 1 type b\nfile "tab\\there\\x01" seq 1 type i\n',
  );
  const back = AofManifest.parse(text);
  assert.equal(back.base!.name, 'my "aof" file\n');
  assert.equal(back.incrs[0]!.name, "tab\there\x01");
});

Deno.test("manifest errors carry Redis's messages", () => {
  assert.equal(parseError(""), "Found an empty AOF manifest");
  assert.equal(parseError("file a seq 1 type b"), "The AOF manifest file contains too long line");
  assert.equal(
    parseError(`file ${"a".repeat(1100)} seq 1 type b\n`),
    "The AOF manifest file contains too long line",
  );
  assert.equal(parseError("file a seq 1\n"), "Invalid AOF manifest file format");
  assert.equal(parseError("file a seq 1 type\n"), "Invalid AOF manifest file format");
  assert.equal(parseError("\n"), "Invalid AOF manifest file format");
  assert.equal(parseError("file a seq 0 type b\n"), "Invalid AOF manifest file format");
  assert.equal(parseError('file "unterminated seq 1 type b\n'), "Invalid AOF manifest file format");
  assert.equal(parseError("file dir/a seq 1 type b\n"), "File can't be a path, just a filename");
  assert.equal(
    parseError("file a seq 1 type b\nfile b seq 2 type b\n"),
    "Found duplicate base file information",
  );
  assert.equal(
    parseError("file a seq 2 type i\nfile b seq 2 type i\n"),
    "Found a non-monotonic sequence number",
  );
  assert.equal(parseError("file a seq 1 type x\n"), "Unknown AOF file type");
});

Deno.test("a rewrite moves the old base and rewritten incremental files to the front of the history", () => {
  // As Redis's getNewBaseFileNameAndMarkPreAsHistory + markRewrittenIncrAofAsHistory.
  const am = new AofManifest();
  assert.equal(am.newBase("appendonly.aof", true), "appendonly.aof.1.base.rdb");
  am.newIncr("appendonly.aof");
  for (let rewrite = 0; rewrite < 2; rewrite++) {
    am.newIncr("appendonly.aof");
    am.newBase("appendonly.aof", rewrite === 0);
    am.markRewrittenIncrsAsHistory(true);
  }
  assert.equal(
    am.format(),
    "file appendonly.aof.3.base.aof seq 3 type b\n" +
      "file appendonly.aof.2.incr.aof seq 2 type h\n" +
      "file appendonly.aof.2.base.rdb seq 2 type h\n" +
      "file appendonly.aof.1.incr.aof seq 1 type h\n" +
      "file appendonly.aof.1.base.rdb seq 1 type h\n" +
      "file appendonly.aof.3.incr.aof seq 3 type i\n",
  );
});

Deno.test("several rewritten incremental files keep their order in the history", () => {
  const am = AofManifest.parse(
    "file a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\nfile a.3.incr.aof seq 3 type i\n",
  );
  const off = am.clone();
  am.markRewrittenIncrsAsHistory(true);
  assert.deepEqual(am.history.map((ai) => ai.name), ["a.1.incr.aof", "a.2.incr.aof"]);
  assert.deepEqual(am.incrs.map((ai) => ai.name), ["a.3.incr.aof"]);
  // With the AOF off no file is being appended to: all of them are history.
  off.markRewrittenIncrsAsHistory(false);
  assert.equal(off.history.length, 3);
  assert.deepEqual(off.incrs, []);
});

Deno.test("clone is deep", () => {
  const am = AofManifest.parse("file a seq 1 type b\nfile b seq 1 type i\n");
  const copy = am.clone();
  copy.newIncr("x");
  copy.base!.name = "changed";
  assert.equal(am.incrs.length, 1);
  assert.equal(am.base!.name, "a");
});

Deno.test("manifest and temporary incremental file names", () => {
  assert.equal(manifestName("appendonly.aof"), "appendonly.aof.manifest");
  assert.equal(tempIncrName("appendonly.aof"), "temp-appendonly.aof.incr");
});
