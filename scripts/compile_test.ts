// Tests for scripts/compile.ts's one-line failure reasons (no build is run).
import assert from "node:assert/strict";
import { failureReason, TARGETS } from "./compile.ts";

const DOWNLOAD_ERROR = `Download https://dl.deno.land/release/v2.9.6/denort-x.zip
error: Writing deno compile executable to temporary file 'inmemdb.tmp-1'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/...): dns error`;

Deno.test("a download failure names the zip and where to put it", () => {
  const reason = failureReason(DOWNLOAD_ERROR, "aarch64-apple-darwin", "/cache");
  assert.match(reason, /^cannot download denort-aarch64-apple-darwin\.zip \(no network\?\)/);
  assert.match(reason, /put denort-aarch64-apple-darwin\.zip in \/cache\/dl\/release\/v/);
  assert.doesNotMatch(reason, /DENORT_BIN/, "DENORT_BIN cannot serve a cross target");
  assert.match(failureReason(DOWNLOAD_ERROR, Deno.build.target), /set DENORT_BIN=/);
});

Deno.test("a missing DENORT_BIN and a type error get their own reasons", () => {
  assert.equal(
    failureReason("error: Could not find denort at '/nope'\n", Deno.build.target),
    "DENORT_BIN=/nope does not exist",
  );
  assert.equal(
    failureReason("TS2322 [ERROR]: Type 'string' is not assignable", Deno.build.target),
    "type check failed (errors above)",
  );
  assert.equal(failureReason("warning\nerror: something else\n", "x"), "error: something else");
});

Deno.test("dist names are inmemdb-<os>-<arch>, .exe only on Windows", () => {
  for (const [target, name] of Object.entries(TARGETS)) {
    assert.match(name, /^inmemdb-(linux|darwin|windows)-(x86_64|aarch64)(\.exe)?$/);
    assert.equal(name.endsWith(".exe"), target.includes("windows"));
  }
});
