// CSV as Excel opens it in a Chinese locale without asking: UTF-8 with a byte-order mark, CRLF line
// ends, every field quoted when it must be, and cells that a spreadsheet would run as a formula
// (=, +, -, @, tab, CR at the start) prefixed with ' (OWASP "CSV injection"). Shared by the desk's
// downloads and the monthly compliance pack (api/src/exports), so both read the same in Excel.

export type Cell = string | number | boolean | null | undefined;

export const CSV_BOM = "\uFEFF";
export const CSV_EOL = "\r\n";

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line, with its CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}${CSV_EOL}`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${CSV_BOM}${[header, ...rows].map(csvLine).join("")}`;
}
