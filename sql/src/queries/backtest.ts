// Statements of the alert backtest (api/src/alerts/backtest.ts, issue #11): the facts of a range of
// one site's queues, each fact once (net of sign), from which the backtest rebuilds in memory what
// the live snapshot would have shown at every step of the range. Three reads for any range, rather
// than one snapshot's statements per step: a month at the evaluator's 5 s is 518,400 steps, and the
// snapshot's reads at each of them would take days. They return facts, never sums: the sliding
// windows and the waiting visits are counted in TypeScript as the steps move.
import { z } from "zod";
import { ident, join, list, type SqlFragment, sql } from "../escape";
import { defineQuery } from "../query";

const Int = z.coerce.number().int();
const Queues = z.array(z.string()).min(1).max(5_000);

/** The kinds of contact facts a figure reads (sql/migrations/0003_metrics.sql); never 'open'. */
export const BACKTEST_CONTACT_KINDS = ["visit", "handled", "transfer", "first_response"] as const;
export type BacktestContactKind = (typeof BACKTEST_CONTACT_KINDS)[number];

/** `col` (a DateTime next to its ms column) in [from, to): seconds for the partitions and index, ms exactly. */
function inRange(at: SqlFragment, ms: SqlFragment, fromMs: number, toMs: number): SqlFragment {
  return sql`${at} >= toDateTime(${Math.max(0, Math.floor(fromMs / 1000))}) AND ${at} <= toDateTime(${Math.max(0, Math.ceil(toMs / 1000))})
        AND ${ms} >= ${fromMs} AND ${ms} < ${toMs}`;
}

/**
 * The `columns` of each fact of `table` that `where` keeps, once: grouping by fact_id keeps two
 * equal facts of one contact apart and folds a fact's +1 and −1; `n` is its net count, kept when
 * above 0 (and returned when `withCount`).
 */
function netFacts(
  table: string,
  columns: readonly string[],
  where: SqlFragment,
  withCount = true,
): SqlFragment {
  const cols = join(columns.map(ident));
  return sql`
    SELECT ${cols}${withCount ? sql`, n` : sql``}
    FROM
    (
      SELECT ${cols}, fact_id, sum(sign) AS n
      FROM ${ident(table)}
      WHERE ${where}
      GROUP BY ${cols}, fact_id
      HAVING n > 0
    )`;
}

/**
 * Contact facts of `kinds` anchored in [from, to) (a visit's anchor is its end), net of sign:
 * `n` is a fact's net count (1, unless a copy was never mended; the live sums weigh by it too).
 */
export const backtestContactFacts = defineQuery({
  name: "backtest_contact_facts",
  params: z.object({
    site: z.string(),
    queues: Queues,
    kinds: z.array(z.enum(BACKTEST_CONTACT_KINDS)).min(1),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({
    kind: z.enum(BACKTEST_CONTACT_KINDS),
    queue: z.string(),
    contact_id: z.string(),
    start_ms: Int,
    anchor_ms: Int,
    outcome: z.string(),
    duration_ms: Int,
    n: Int,
  }),
  build: (p) =>
    netFacts(
      "contact_facts",
      ["kind", "queue", "contact_id", "start_ms", "anchor_ms", "outcome", "duration_ms"],
      sql`site = ${p.site} AND kind IN (${list(p.kinds)}) AND queue IN (${list(p.queues)})
        AND ${inRange(sql`anchor_at`, sql`anchor_ms`, p.from_ms, p.to_ms)}`,
    ),
});
export type BacktestContactRow = z.infer<typeof backtestContactFacts.row>;

/**
 * Visits still open now that started in [from, to), each once. One that started more than 12 h
 * before an instant is not waiting then (the live snapshot's openVisits reads the same horizon).
 */
export const backtestOpenVisits = defineQuery({
  name: "backtest_open_visits",
  params: z.object({
    site: z.string(),
    queues: Queues,
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({ queue: z.string(), contact_id: z.string(), start_ms: Int }),
  // An open visit's anchor is its start.
  build: (p) =>
    netFacts(
      "open_visits",
      ["queue", "contact_id", "start_ms"],
      sql`site = ${p.site} AND queue IN (${list(p.queues)})
        AND ${inRange(sql`anchor_at`, sql`start_ms`, p.from_ms, p.to_ms)}`,
      false,
    ),
});
export type BacktestOpenVisitRow = z.infer<typeof backtestOpenVisits.row>;

/** Survey responses anchored in [from, to), net of sign; −1 in csat, nps, resolved: not answered. */
export const backtestSurveyFacts = defineQuery({
  name: "backtest_survey_facts",
  params: z.object({
    site: z.string(),
    queues: Queues,
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({
    queue: z.string(),
    survey_id: z.string(),
    contact_id: z.string(),
    anchor_ms: Int,
    csat: Int,
    nps: Int,
    resolved: Int,
    n: Int,
  }),
  build: (p) =>
    netFacts(
      "survey_facts",
      ["queue", "survey_id", "contact_id", "anchor_ms", "csat", "nps", "resolved"],
      sql`site = ${p.site} AND queue IN (${list(p.queues)})
        AND ${inRange(sql`anchor_at`, sql`anchor_ms`, p.from_ms, p.to_ms)}`,
    ),
});
export type BacktestSurveyRow = z.infer<typeof backtestSurveyFacts.row>;
