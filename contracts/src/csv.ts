// CSV as Excel opens it in a Chinese locale without asking: UTF-8 with a byte-order mark, CRLF line
// ends, every field quoted when it must be, and cells that a spreadsheet would run as a formula
// (=, +, -, @, tab, CR at the start) prefixed with ' (OWASP "CSV injection"). Shared by the desk's
// downloads and the monthly compliance pack (api/src/exports), so both read the same in Excel.

export type Cell = string | number | boolean | null | undefined;

export const CSV_BOM = "\uFEFF";
export const CSV_EOL = "\r\n";

const FORMULA = /^[=+\-@\t\r]/;
/** A quote, comma or line break anywhere, or white space at either end (what trim() would cut). */
const QUOTED = /[",\r\n]|^\s|\s$/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  // A number's text is never quoted and never taken for a formula (only text is guarded): the
  // pack writes millions of them, each test skipped is time.
  if (typeof value === "number") return String(value);
  let s = String(value);
  if (typeof value === "string" && FORMULA.test(s)) s = `'${s}`;
  return QUOTED.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line, with its CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}${CSV_EOL}`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${CSV_BOM}${[header, ...rows].map(csvLine).join("")}`;
}
