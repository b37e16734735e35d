// CSV downloads of the desk screens; the format itself (BOM, CRLF, quoting, formula guard) is
// contracts/src/csv.ts, shared with the monthly compliance pack.

export { type Cell, csvCell, toCsv } from "@floorwatch/contracts";

/** Saves `text` as a file named `filename` (the browser's download; nothing leaves the page). */
export function downloadCsv(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
