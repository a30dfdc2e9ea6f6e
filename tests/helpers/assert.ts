// Assertions on top of node:assert/strict, with readable output for byte-string replies.
import assert from "node:assert/strict";

/** Shows a byte string with control and high bytes escaped. */
export function visible(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\u00ff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  try {
    assert.deepStrictEqual(actual, expected);
  } catch {
    const show = (v: unknown) => typeof v === "string" ? visible(v) : JSON.stringify(v);
    throw new Error(
      `${message ?? "values differ"}\n  actual:   ${show(actual)}\n  expected: ${show(expected)}`,
    );
  }
}

export { assert };
