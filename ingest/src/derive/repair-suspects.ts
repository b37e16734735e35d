// Quarters per site whose rollup may have missed facts. ClickHouse writes an insert's part of the
// fact table, then its views' parts, not as one transaction: when an insert of facts fails, the
// facts may be stored while the rollup is not, and the retried derivation, finding the facts,
// writes nothing. So the quarters of every failed insert are compared with the facts once a
// derivation succeeds again, and repaired (sql/src/rollup-repair.ts). Quarters still being
// written to (the current one, on a busy floor) do not settle: they are compared again later.
import type { RepairReport } from "@floorwatch/sql";

/** How soon quarters whose rollup would not settle are compared again. */
export const UNSETTLED_RETRY_MS = 30_000;

export interface RepairSuspects {
  /** Quarters (epoch seconds) to compare; compared at the next `repair()`, whatever was waiting. */
  add(site: string, quarters: Iterable<number>): void;
  /** Repairs every site's quarters (sites side by side); the cells repaired. */
  repair(): Promise<number>;
  /** Quarters per site still to compare, ascending. */
  pending(): Map<string, number[]>;
}

export function makeRepairSuspects(
  repairSite: (
    site: string,
    quarters: number[],
  ) => Promise<Pick<RepairReport, "repaired" | "unsettled">>,
  opts: { now?: () => number; retryMs?: number } = {},
): RepairSuspects {
  const now = opts.now ?? Date.now;
  const retryMs = opts.retryMs ?? UNSETTLED_RETRY_MS;
  const suspect = new Map<string, Set<number>>();
  let notBefore = 0;
  return {
    add(site, quarters) {
      let set = suspect.get(site);
      if (!set) suspect.set(site, (set = new Set()));
      for (const q of quarters) set.add(q);
      notBefore = 0;
    },
    async repair() {
      if (suspect.size === 0 || now() < notBefore) return 0;
      // Sites side by side: each waits a second between its two reads.
      const reports = await Promise.all(
        [...suspect].map(
          async ([site, quarters]) => [site, await repairSite(site, [...quarters])] as const,
        ),
      );
      let repaired = 0;
      for (const [site, report] of reports) {
        repaired += report.repaired;
        if (report.unsettled.length > 0) suspect.set(site, new Set(report.unsettled));
        else suspect.delete(site);
      }
      notBefore = suspect.size > 0 ? now() + retryMs : 0;
      return repaired;
    },
    pending: () => new Map([...suspect].map(([site, q]) => [site, [...q].sort((a, b) => a - b)])),
  };
}
