import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTsvLine } from "./query";

/** A String as ClickHouse writes it into TabSeparated output (18.16, writeEscapedString). */
function clickhouseEscaped(s: string): string {
  const named: Record<string, string> = {
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\0": "\\0",
    "'": "\\'",
  };
  return s.replace(/[\\\b\f\n\r\t\0']/g, (c) => named[c]!);
}

describe("a TabSeparated line", () => {
  it("gives back every field ClickHouse escaped, whatever it holds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 6 }),
        (fields) => {
          expect(decodeTsvLine(fields.map(clickhouseEscaped).join("\t"))).toEqual(fields);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("reads \\N alone as NULL, and an escaped backslash before N as text", () => {
    expect(decodeTsvLine("a\t\\N\t\\\\N\t")).toEqual(["a", null, "\\N", ""]);
  });

  it("splits only on raw tabs", () => {
    expect(decodeTsvLine("x\\ty\t中文\\n\"'")).toEqual(["x\ty", "中文\n\"'"]);
  });
});
