// The Anonymous Bank's figures straight from its raw call records, by metrics.md "Reference data:
// the Anonymous Bank replay mapping", for the real-data tests that compare reports and packs with
// them. Only the record parsing (parseBankFile, queueStart) is the ingest's; what a record counts
// as, and where, is worked out here from metrics.md, and the buckets are the caller's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseBankFile, queueStart } from "@floorwatch/ingest";

export const BANK_DATA = join(import.meta.dirname, "../../../shared/data/anonymous-bank");
/** A month's raw file, "1999-04" → …/1999-04.txt. */
export const bankFile = (month: string) => join(BANK_DATA, `${month}.txt`);

export const T = 20; // voice service-level threshold, s
export const S = 5; // short-abandon threshold, s
export const ORPHAN_S = 12 * 3600;

export interface Cell {
  offered: number;
  answered: number;
  abandoned: number;
  short: number;
  within: number;
  waitSum: number;
  maxWait: number;
  orphaned: number;
  handled: number;
  serSum: number;
}
export const cell = (): Cell => ({
  offered: 0,
  answered: 0,
  abandoned: 0,
  short: 0,
  within: 0,
  waitSum: 0,
  maxWait: -1,
  orphaned: 0,
  handled: 0,
  serSum: 0,
});

/** Names the interval an instant falls in (a local start, a local date, …). */
export type Bucket = (ms: number) => string;

/**
 * Per bucket kind, "queue|bucket(instant)" → sums over every record of `files`: a visit where it
 * ends (or where it is closed as orphaned, start + 12 h), a wrap-up where the service ends.
 */
export function bankCells<K>(files: readonly string[], buckets: ReadonlyMap<K, Bucket>) {
  const cells = new Map<K, Map<string, Cell>>([...buckets.keys()].map((k) => [k, new Map()]));
  const at = (kind: K, queue: string, ms: number) => {
    const k = `${queue}|${buckets.get(kind)!(ms)}`;
    const m = cells.get(kind)!;
    let c = m.get(k);
    if (!c) m.set(k, (c = cell()));
    return c;
  };
  let visits = 0;
  let handled = 0;
  for (const file of files) {
    for (const r of parseBankFile(readFileSync(file, "utf8"))) {
      const start = queueStart(r);
      if (start === null || (r.outcome !== "AGENT" && r.outcome !== "HANG")) continue;
      visits++;
      const wait = r.qTime; // whole seconds
      for (const kind of buckets.keys()) {
        if (wait > ORPHAN_S) {
          at(kind, r.type, start + ORPHAN_S * 1000).orphaned++; // closed as orphaned at start + 12 h
        } else {
          const c = at(kind, r.type, start + wait * 1000);
          c.offered++;
          c.maxWait = Math.max(c.maxWait, wait);
          if (r.outcome === "AGENT") {
            c.answered++;
            c.waitSum += wait;
            if (wait <= T) c.within++;
          } else {
            c.abandoned++;
            if (wait < S) c.short++;
          }
        }
        if (r.outcome === "AGENT") {
          const w = at(kind, r.type, start + (wait + r.serTime) * 1000); // wrapped up after service
          w.handled++;
          w.serSum += r.serTime;
        }
      }
      if (r.outcome === "AGENT") handled++;
    }
  }
  return { cells, visits, handled };
}
