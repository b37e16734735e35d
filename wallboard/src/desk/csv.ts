// CSV downloads of the desk screens; the format itself (BOM, CRLF, quoting, formula guard) is
// contracts/src/csv.ts, shared with the monthly compliance pack.

export { type Cell, csvCell, toCsv } from "@floorwatch/contracts";

/** Saves `text` as a file named `filename` (the browser's download; nothing leaves the page). */
export function downloadCsv(filename: string, text: string): void {
  saveFile(filename, new Blob([text], { type: "text/csv;charset=utf-8" }));
}

/** Saves bytes already in the page (a CSV, a fetched pack) as a file named `filename`. */
export function saveFile(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
