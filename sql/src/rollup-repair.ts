// Repairs the quarter-hour rollup where its materialized views missed facts (a ClickHouse crash
// between an insert's fact part and its view's part; sql/migrations/0007_rollup_repairs.sql).
//
// For each cell of the given quarters it compares what the facts give with what the views wrote and
// stores the whole difference as the cell's repair, replacing the previous one. The comparison is
// read twice, `settleMs` apart, and a cell is repaired only when its facts and its difference read
// the same both times: an insert in flight (its facts written, its view's part a few milliseconds
// behind) shows a difference for an instant, and must not be taken for a lost part. Cells that do
// not settle are returned, for the caller to try again later.
import type { ClickHouseClient } from "./client";
import { runQuery } from "./query";
import {
  isZero,
  repairInsert,
  rollupCellsCompared,
  type CellRepair,
  type CellRow,
} from "./queries/rollup";

export interface RepairReport {
  /** Cells compared. */
  cells: number;
  /** Cells whose repair was written (a difference found, or an earlier repair now cleared). */
  repaired: number;
  /** Quarters (epoch seconds) with a cell that kept changing between reads: not repaired. */
  unsettled: number[];
}

export interface RepairOptions {
  settleMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Quarters per statement: a day. */
const CHUNK = 96;
/** Cells per INSERT: keeps it far below ClickHouse's 256 KiB statement limit. */
const INSERT_CHUNK = 200;

type Hist = [number[], number[]];
type Cell = { facts?: CellRow; views?: CellRow; repair?: CellRow };

const cellKey = (r: { queue: string; quarter_s: number; version: number }) =>
  `${r.queue}\u0000${r.quarter_s}\u0000${r.version}`;

function histMinus(a: Hist | undefined, b: Hist | undefined, by = -1): Hist {
  const m = new Map<number, number>();
  if (a) for (const [i, k] of a[0].entries()) m.set(k, (m.get(k) ?? 0) + a[1][i]!);
  if (b) for (const [i, k] of b[0].entries()) m.set(k, (m.get(k) ?? 0) + by * b[1][i]!);
  const keys = [...m.keys()].filter((k) => m.get(k) !== 0).sort((x, y) => x - y);
  return [keys, keys.map((k) => m.get(k)!)];
}

const histPlus = (a: Hist, b: Hist) => histMinus(a, b, 1);

/** Facts minus views, per cell: the repair it needs. */
function gapOf(
  c: Cell,
  width: number,
): Pick<CellRepair, "sums" | "answered_hist" | "abandoned_hist"> {
  return {
    sums: Array.from(
      { length: width },
      (_, i) => (c.facts?.sums[i] ?? 0) - (c.views?.sums[i] ?? 0),
    ),
    answered_hist: histMinus(c.facts?.answered_hist, c.views?.answered_hist),
    abandoned_hist: histMinus(c.facts?.abandoned_hist, c.views?.abandoned_hist),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function compare(
  ch: ClickHouseClient,
  site: string,
  quarters: number[],
): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  for (let i = 0; i < quarters.length; i += CHUNK) {
    for (const row of await runQuery(ch, rollupCellsCompared, {
      site,
      quarters: quarters.slice(i, i + CHUNK),
    })) {
      const k = cellKey(row);
      const c = cells.get(k) ?? {};
      // A cell's facts come from up to three tables (handling, surveys and agent time all land in
      // version 0): add them up.
      const prev = c[row.src];
      c[row.src] = prev
        ? {
            ...row,
            sums: row.sums.map((v, i) => v + prev.sums[i]!),
            answered_hist: histPlus(prev.answered_hist, row.answered_hist),
            abandoned_hist: histPlus(prev.abandoned_hist, row.abandoned_hist),
          }
        : row;
      cells.set(k, c);
    }
  }
  return cells;
}

/** The repair a cell needs (facts minus views), and whether the stored one already is it. */
function needOf(c: Cell): { gap: ReturnType<typeof gapOf>; settled: boolean } {
  const gap = gapOf(c, (c.facts ?? c.views ?? c.repair)!.sums.length);
  const current = c.repair
    ? {
        sums: c.repair.sums,
        answered_hist: histMinus(c.repair.answered_hist, undefined),
        abandoned_hist: histMinus(c.repair.abandoned_hist, undefined),
      }
    : null;
  return { gap, settled: current ? same(current, gap) : isZero(gap) };
}

const quarterOf = (key: string) => Number(key.split("\u0000")[1]);

export async function repairRollup(
  ch: ClickHouseClient,
  site: string,
  quarters: readonly number[],
  opts: RepairOptions = {},
): Promise<RepairReport> {
  const {
    settleMs = 1_000,
    now = Date.now,
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  } = opts;
  const wanted = [...new Set(quarters)].sort((a, b) => a - b);
  if (wanted.length === 0) return { cells: 0, repaired: 0, unsettled: [] };
  const first = await compare(ch, site, wanted);
  // Only quarters with a cell to write are read again: where every repair already is what the
  // facts say (the usual case), there is nothing to confirm and no second to wait.
  const open = [
    ...new Set([...first].filter(([, c]) => !needOf(c).settled).map(([k]) => quarterOf(k))),
  ].sort((a, b) => a - b);
  if (open.length === 0) return { cells: first.size, repaired: 0, unsettled: [] };
  await sleep(settleMs);
  const second = await compare(ch, site, open);

  const repairs: CellRepair[] = [];
  const unsettled = new Set<number>();
  for (const [k, c] of second) {
    const before = first.get(k) ?? {};
    const { gap, settled } = needOf(c);
    const [queue, quarter, version] = k.split("\u0000") as [string, string, string];
    if (!same(before.facts, c.facts) || !same(gapOf(before, gap.sums.length), gap)) {
      unsettled.add(Number(quarter));
      continue;
    }
    if (!settled)
      repairs.push({ site, queue, quarter_s: Number(quarter), version: Number(version), ...gap });
  }
  // A cell of a re-read quarter that the first read had and the second has not: unsettled.
  for (const k of first.keys())
    if (open.includes(quarterOf(k)) && !second.has(k)) unsettled.add(quarterOf(k));

  // Later than every repair it replaces, whatever the clocks of the processes that wrote them.
  let repairedMs = now();
  for (const c of second.values())
    if (c.repair) repairedMs = Math.max(repairedMs, c.repair.repaired_ms + 1);
  for (let i = 0; i < repairs.length; i += INSERT_CHUNK) {
    await ch.command({ query: repairInsert(repairs.slice(i, i + INSERT_CHUNK), repairedMs).text });
  }
  return {
    cells: first.size,
    repaired: repairs.length,
    unsettled: [...unsettled].sort((a, b) => a - b),
  };
}

/** The quarters (epoch seconds) a fact row lands in: its anchor's, or every one an interval spans. */
export function quartersOf(
  row: { anchor_ms: number } | { from_ms: number; to_ms: number },
): number[] {
  const Q = 900_000;
  if ("anchor_ms" in row) return [Math.floor(row.anchor_ms / Q) * 900];
  if (row.to_ms <= row.from_ms) return []; // open intervals are not in the rollup
  const out: number[] = [];
  for (let q = Math.floor(row.from_ms / Q); q <= Math.floor((row.to_ms - 1) / Q); q++)
    out.push(q * 900);
  return out;
}
