import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Cell, csvCell } from "./csv";

/** csvCell as it was first written (one regex, then trim()): the fast one must write the same text. */
function reference(value: Cell): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

describe("a CSV cell", () => {
  it("is written as the reference writes it, for any text, number or boolean", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({
        unit: fc.constantFrom(
          "a",
          " ",
          "\t",
          "\n",
          "\r",
          '"',
          ",",
          "=",
          "-",
          "\u00a0",
          "\u3000",
          "\ufeff",
          "中",
        ),
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
        (v) => {
          expect(csvCell(v)).toBe(reference(v));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("guards formulas in text only and quotes what a spreadsheet would split", () => {
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("-3")).toBe("'-3");
    expect(csvCell("a\u3000")).toBe('"a\u3000"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });
});
