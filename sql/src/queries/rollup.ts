// The quarter-hour rollup (queue_quarter, filled by materialized views from the fact tables) and its
// repairs (queue_quarter_repairs, sql/migrations/0007_rollup_repairs.sql): what readers read, and
// the statement that finds where the views missed facts.
import { z } from "zod";
import { join, list, sql, SqlFragment } from "../escape";
import { defineQuery } from "../query";
import {
  CELL_SUM_COLUMNS,
  ROLLUP_COLUMNS,
  ROLLUP_COLUMN_NAMES,
  type CellSumColumn,
  type RollupColumn,
} from "../rollup-columns";

export const ROLLUP_TABLE = "queue_quarter";
export const ROLLUP_REPAIRS_TABLE = "queue_quarter_repairs";

/**
 * The summed columns of a rollup cell and how each fact table's view fills them (the views of
 * sql/migrations/0004_lossless_fact_tables.sql, kept equal to them by test/integration/
 * rollup-repair.test.ts). `retracted` is left out: it counts −1 rows, which merges of the fact
 * tables remove, so the facts cannot tell it again (a repaired cell is marked retracted instead).
 */
const AGENT_OVERLAP = "(least(to_ms, (aq + 900) * 1000) - greatest(from_ms, aq * 1000))";
export const CELL_SUMS: Record<
  CellSumColumn,
  { contact?: string; survey?: string; agent?: string }
> = {
  offered: { contact: "sumIf(sign, kind = 'visit' AND outcome != 'orphaned')" },
  answered: { contact: "sumIf(sign, kind = 'visit' AND outcome = 'answered')" },
  abandoned: { contact: "sumIf(sign, kind = 'visit' AND outcome = 'abandoned')" },
  callbacks: { contact: "sumIf(sign, kind = 'visit' AND outcome = 'callback')" },
  flowed_out: { contact: "sumIf(sign, kind = 'visit' AND outcome = 'flowed_out')" },
  orphaned: { contact: "sumIf(sign, kind = 'visit' AND outcome = 'orphaned')" },
  answered_wait_ms: {
    contact: "sumIf(sign * duration_ms, kind = 'visit' AND outcome = 'answered')",
  },
  answered_within_sl: { contact: "sumIf(sign, kind = 'visit' AND within_sl = 1)" },
  short_abandoned: { contact: "sumIf(sign, kind = 'visit' AND short_abandon = 1)" },
  handled: { contact: "sumIf(sign, kind = 'handled')" },
  handled_timed: { contact: "sumIf(sign, kind = 'handled' AND duration_ms >= 0)" },
  handle_ms: { contact: "sumIf(sign * duration_ms, kind = 'handled' AND duration_ms >= 0)" },
  handled_resolved: { contact: "sumIf(sign, kind = 'handled' AND outcome = 'resolved')" },
  transfers: { contact: "sumIf(sign, kind = 'transfer')" },
  first_responses: { contact: "sumIf(sign, kind = 'first_response')" },
  first_response_ms: { contact: "sumIf(sign * duration_ms, kind = 'first_response')" },
  csat_n: { survey: "sumIf(sign, csat >= 1)" },
  csat_good: { survey: "sumIf(sign, csat >= 4)" },
  csat_low: { survey: "sumIf(sign, csat >= 1 AND csat <= 2)" },
  nps_n: { survey: "sumIf(sign, nps >= 0)" },
  nps_promoters: { survey: "sumIf(sign, nps >= 9)" },
  nps_detractors: { survey: "sumIf(sign, nps >= 0 AND nps <= 6)" },
  fcr_n: { survey: "sumIf(sign, resolved >= 0)" },
  fcr_yes: { survey: "sumIf(sign, resolved = 1)" },
  available_ms: { agent: `sumIf(sign * ${AGENT_OVERLAP}, state = 'available')` },
  on_contact_ms: { agent: `sumIf(sign * ${AGENT_OVERLAP}, state = 'on_contact')` },
  wrap_up_ms: { agent: `sumIf(sign * ${AGENT_OVERLAP}, state = 'wrap_up')` },
  not_ready_ms: { agent: `sumIf(sign * ${AGENT_OVERLAP}, state = 'not_ready')` },
};
const HISTOGRAMS = {
  answered_wait_hist:
    "sumMapIf([toUInt32(intDiv(duration_ms + 999, 1000))], [toInt64(sign)], kind = 'visit' AND outcome = 'answered')",
  abandoned_wait_hist:
    "sumMapIf([toUInt32(intDiv(duration_ms, 1000))], [toInt64(sign)], kind = 'visit' AND outcome = 'abandoned')",
} as const;
const NO_HISTOGRAM = "sumMapIf([toUInt32(0)], [toInt64(0)], 0)";

/** Every column of a rollup cell, in queue_quarter's order (the repairs table adds repaired_ms). */
const CELL_COLUMNS = ROLLUP_COLUMN_NAMES;

/**
 * The rollup rows of a site and range as readers see them: the views' rows and the latest repair
 * of each cell, one relation. `quarter` bounds are epoch seconds.
 */
export function rollupSource(p: {
  site: string;
  from_s: number;
  to_s: number;
  queues?: string[];
}): SqlFragment {
  const cols = new SqlFragment(CELL_COLUMNS.join(", "));
  const where = sql`WHERE site = ${p.site} AND quarter >= toDateTime(${p.from_s}) AND quarter < toDateTime(${p.to_s}) ${p.queues?.length ? sql`AND queue IN (${list(p.queues)})` : sql``}`;
  return sql`(
        SELECT ${cols} FROM queue_quarter ${where}
        UNION ALL
        SELECT ${cols} FROM queue_quarter_repairs FINAL ${where}
      )`;
}

const Int = z.coerce.number();
const Hist = z.tuple([z.array(Int), z.array(Int)]);

export const CellRow = z.object({
  src: z.enum(["facts", "views", "repair"]),
  queue: z.string(),
  quarter_s: Int,
  version: Int,
  sums: z.array(Int),
  answered_hist: Hist,
  abandoned_hist: Hist,
  /** For a repair: when it was written (0 for the other sources). */
  repaired_ms: Int,
});
export type CellRow = z.infer<typeof CellRow>;

/**
 * Per rollup cell of the given quarters (epoch seconds) of a site: what the facts give (`facts`),
 * what the views wrote (`views`) and the latest repair (`repair`), in one statement so that the
 * three are read as close together as ClickHouse allows. `sums` follow CELL_SUM_COLUMNS.
 */
export const rollupCellsCompared = defineQuery({
  name: "rollup_cells_compared",
  params: z.object({ site: z.string(), quarters: z.array(z.number().int()).min(1) }),
  row: CellRow,
  build: (p) => {
    const lo = Math.min(...p.quarters);
    const hi = Math.max(...p.quarters) + 900;
    const quarters = list(p.quarters);
    const sums = (source: "contact" | "survey" | "agent") =>
      new SqlFragment(
        `[${CELL_SUM_COLUMNS.map((c) => `toInt64(${CELL_SUMS[c]![source] ?? "0"})`).join(", ")}]`,
      );
    const stored = new SqlFragment(
      `[${CELL_SUM_COLUMNS.map((c) => `toInt64(sum(${c}))`).join(", ")}]`,
    );
    const factHistograms = new SqlFragment(
      `${HISTOGRAMS.answered_wait_hist} AS answered_hist, ${HISTOGRAMS.abandoned_wait_hist} AS abandoned_hist`,
    );
    const noHistograms = new SqlFragment(
      `${NO_HISTOGRAM} AS answered_hist, ${NO_HISTOGRAM} AS abandoned_hist`,
    );
    const storedHistograms = new SqlFragment(
      "sumMapMerge(answered_wait_hist) AS answered_hist, sumMapMerge(abandoned_wait_hist) AS abandoned_hist",
    );
    const stored_ = (src: string, table: SqlFragment, at: SqlFragment) => sql`
      SELECT ${src} AS src, queue, toUInt32(quarter) AS quarter_s, sl_version AS version, ${stored} AS sums, ${storedHistograms}, ${at} AS at_ms
      FROM ${table}
      WHERE site = ${p.site} AND quarter IN (${join(p.quarters.map((q) => sql`toDateTime(${q})`))})
      GROUP BY queue, quarter_s, version`;
    return sql`
    SELECT src, queue, quarter_s, version, sums, answered_hist, abandoned_hist, at_ms AS repaired_ms
    FROM
    (
      SELECT 'facts' AS src, queue, toUInt32(toStartOfFifteenMinutes(anchor_at)) AS quarter_s, sl_version AS version, ${sums("contact")} AS sums, ${factHistograms}, toInt64(0) AS at_ms
      FROM contact_facts
      WHERE site = ${p.site} AND anchor_at >= toDateTime(${lo}) AND anchor_at < toDateTime(${hi}) AND kind != 'open'
      GROUP BY queue, quarter_s, version
      HAVING quarter_s IN (${quarters})
      UNION ALL
      SELECT 'facts' AS src, queue, toUInt32(toStartOfFifteenMinutes(anchor_at)) AS quarter_s, toUInt32(0) AS version, ${sums("survey")} AS sums, ${noHistograms}, toInt64(0) AS at_ms
      FROM survey_facts
      WHERE site = ${p.site} AND anchor_at >= toDateTime(${lo}) AND anchor_at < toDateTime(${hi})
      GROUP BY queue, quarter_s, version
      HAVING quarter_s IN (${quarters})
      UNION ALL
      SELECT 'facts' AS src, queue, toUInt32(aq) AS quarter_s, toUInt32(0) AS version, ${sums("agent")} AS sums, ${noHistograms}, toInt64(0) AS at_ms
      FROM
      (
        -- Each closed interval once per quarter it overlaps, as the agents' view splits it. No
        -- lookback bound: an interval of any length that reaches into these quarters counts.
        SELECT state, sign, from_ms, to_ms, arrayJoin(queues) AS queue,
          arrayJoin(arrayMap(i -> intDiv(from_ms, 900000) * 900 + i * 900, range(toUInt32(intDiv(to_ms - 1, 900000) - intDiv(from_ms, 900000) + 1)))) AS aq
        FROM agent_intervals
        PREWHERE to_ms > ${lo * 1000}
        WHERE site = ${p.site} AND from_at < toDateTime(${hi}) AND to_ms > from_ms AND state != 'logged_out'
      )
      WHERE aq IN (${quarters})
      GROUP BY queue, quarter_s, version
      UNION ALL
      ${stored_("views", new SqlFragment("queue_quarter"), new SqlFragment("toInt64(0)"))}
      UNION ALL
      ${stored_("repair", new SqlFragment("queue_quarter_repairs FINAL"), new SqlFragment("toInt64(max(repaired_ms))"))}
    )`;
  },
});

/** A repair row: the whole difference of one cell, facts minus views. */
export interface CellRepair {
  site: string;
  queue: string;
  quarter_s: number;
  version: number;
  sums: number[];
  answered_hist: [number[], number[]];
  abandoned_hist: [number[], number[]];
}

/** A repair of nothing: the cell was found right again (it replaces an earlier repair). */
export const isZero = (r: Pick<CellRepair, "sums" | "answered_hist" | "abandoned_hist">) =>
  r.sums.every((v) => v === 0) &&
  r.answered_hist[1].every((v) => v === 0) &&
  r.abandoned_hist[1].every((v) => v === 0);

/** What the INSERT of repair rows gives each rollup column: its inner name, r_<column> if none here. */
const REPAIR_KEYS: Partial<Record<RollupColumn, string>> = {
  site: "site_",
  queue: "queue_",
  quarter: "toDateTime(quarter_)",
  sl_version: "toUInt32(version_)",
  answered_wait_hist: "r_answered_hist",
  abandoned_wait_hist: "r_abandoned_hist",
};
const repairValue = (c: (typeof ROLLUP_COLUMNS)[number]): string =>
  REPAIR_KEYS[c.name] ?? `r_${c.name}`;

/**
 * The INSERT of repair rows. Aggregate states cannot be sent as JSON, so the rows go in as typed
 * arrays, one element per cell, and the states are built by the statement. A repaired cell is
 * marked retracted unless the repair is zero: its longest wait is then read from the facts (as after
 * any retraction).
 */
export function repairInsert(rows: readonly CellRepair[], repairedMs: number): SqlFragment {
  const column = (values: SqlFragment, type: string) =>
    sql`CAST(${values} AS ${new SqlFragment(`Array(${type})`)})`;
  const arr = (values: (string | number)[]) =>
    new SqlFragment(`[${values.map((v) => sql`${v}`.text).join(", ")}]`);
  const nested = (values: number[][]) =>
    new SqlFragment(`[${values.map((v) => arr(v).text).join(", ")}]`);
  const cellSum = (i: number) =>
    sql`toInt64(sum(arrayElement(${column(arr(rows.map((r) => r.sums[i] ?? 0)), "Int64")}, n + 1)))`;
  const hist = (pick: (r: CellRepair) => [number[], number[]]) =>
    sql`sumMapState(arrayElement(${column(nested(rows.map((r) => pick(r)[0])), "Array(UInt32)")}, n + 1), arrayElement(${column(nested(rows.map((r) => pick(r)[1])), "Array(Int64)")}, n + 1))`;
  const sums = CELL_SUM_COLUMNS.map((c, i) => sql`${cellSum(i)} AS ${new SqlFragment(`r_${c}`)}`);
  return sql`
    INSERT INTO queue_quarter_repairs (${new SqlFragment([...CELL_COLUMNS, "repaired_ms"].join(", "))})
    SELECT ${new SqlFragment(ROLLUP_COLUMNS.map(repairValue).join(", "))},
      toInt64(${repairedMs})
    FROM
    (
      SELECT
        n,
        arrayElement(${column(arr(rows.map((r) => r.site)), "String")}, n + 1) AS site_,
        arrayElement(${column(arr(rows.map((r) => r.queue)), "String")}, n + 1) AS queue_,
        arrayElement(${column(arr(rows.map((r) => r.quarter_s)), "UInt32")}, n + 1) AS quarter_,
        arrayElement(${column(arr(rows.map((r) => r.version)), "UInt32")}, n + 1) AS version_,
        toInt64(any(arrayElement(${column(arr(rows.map((r) => (isZero(r) ? 0 : 1))), "Int64")}, n + 1))) AS r_retracted,
        ${join(sums)},
        ${hist((r) => r.answered_hist)} AS r_answered_hist,
        ${hist((r) => r.abandoned_hist)} AS r_abandoned_hist,
        maxStateIf(toInt64(0), 0) AS r_max_wait_ms
      FROM (SELECT arrayJoin(range(${rows.length})) AS n)
      GROUP BY n
    )`;
}

/**
 * The parts of the rollup and of its repairs that hold rows of a site's range. Parts are
 * immutable: while this list stays the same, so does every sum read from the range (an insert, a
 * merge or a repair each changes it). It reads no column, only which part each row is in.
 */
export const rollupParts = defineQuery({
  name: "rollup_parts",
  params: z.object({ site: z.string(), from_s: z.number().int(), to_s: z.number().int() }),
  row: z.object({ views: z.array(z.string()), repairs: z.array(z.string()) }),
  build: (p) => {
    const where = sql`WHERE site = ${p.site} AND quarter >= toDateTime(${p.from_s}) AND quarter < toDateTime(${p.to_s})`;
    return sql`
    SELECT
      (SELECT arraySort(groupUniqArray(_part)) FROM queue_quarter ${where}) AS views,
      (SELECT arraySort(groupUniqArray(_part)) FROM queue_quarter_repairs ${where}) AS repairs`;
  },
});
