// The report chart's data: per interval, the offered visits of the queues shown and their service
// level, recomputed from the summed parts (a mean of the queues' percentages would weigh a queue of
// 2 calls like one of 2,000), and the target where the queues agree on one. Pure.
import type { ReportRow } from "@floorwatch/contracts";
import type uPlot from "uplot";

export interface ChartData {
  /** x: interval starts (unix s); offered; service level %; target % (null where queues differ). */
  data: uPlot.AlignedData;
  /** Intervals where the queues' targets differ (no single target line there). */
  mixedTargets: boolean;
}

type ChartRow = Pick<
  ReportRow,
  | "interval_start"
  | "offered"
  | "answered"
  | "abandoned"
  | "short_abandoned"
  | "answered_within_sl"
  | "definition"
>;

/** The target in force at the interval's end: the last version that judged it. */
const targetOf = (r: ChartRow) => r.definition.versions.at(-1)?.sl_target ?? null;

export function chartData(rows: readonly ChartRow[]): ChartData {
  const byStart = new Map<
    number,
    { offered: number; within: number; den: number; target: number | null | undefined }
  >();
  for (const r of rows) {
    const x = Date.parse(r.interval_start) / 1000;
    const cell = byStart.get(x) ?? { offered: 0, within: 0, den: 0, target: undefined };
    cell.offered += r.offered;
    cell.within += r.answered_within_sl;
    cell.den += r.answered + r.abandoned - r.short_abandoned;
    const t = targetOf(r);
    cell.target = cell.target === undefined || cell.target === t ? t : null;
    byStart.set(x, cell);
  }
  const xs = [...byStart.keys()].sort((a, b) => a - b);
  const cells = xs.map((x) => byStart.get(x)!);
  return {
    data: [
      xs,
      cells.map((c) => c.offered),
      cells.map((c) => (c.den > 0 ? (c.within / c.den) * 100 : null)),
      cells.map((c) => (typeof c.target === "number" ? c.target * 100 : null)),
    ],
    mixedTargets: cells.some((c) => c.target === null),
  };
}
