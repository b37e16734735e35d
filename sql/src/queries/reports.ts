// Statements of the reports and the live windows over the per-minute rollup (queue_quarter) and the
// fact tables (sql/migrations/0003_metrics.sql). They return sums and wait histograms, never
// ratios: api/src/metrics/figures.ts turns sums into figures with the definition in force.
import { z } from "zod";
import { ident, join, list, sql, SqlFragment } from "../escape";
import { defineQuery } from "../query";
import { FIGURE_SUM_COLUMNS } from "../rollup-columns";
import { rollupSource } from "./rollup";

const Int = z.coerce.number();
const Hist = z.tuple([z.array(Int), z.array(Int)]);

export const GRAINS = ["15m", "30m", "1h", "1d", "1mo"] as const;
export type SqlGrain = (typeof GRAINS)[number];

/**
 * The epoch second of the local interval start containing `col`, in the site's time zone. Every
 * zone's offset is whole minutes, so sub-hour intervals count minutes from the local hour start.
 */
export function intervalStartSql(col: SqlFragment, grain: SqlGrain, tz: string): SqlFragment {
  switch (grain) {
    case "15m":
      return sql`(toUInt32(toStartOfHour(${col}, ${tz})) + intDiv(toMinute(${col}, ${tz}), 15) * 900)`;
    case "30m":
      return sql`(toUInt32(toStartOfHour(${col}, ${tz})) + intDiv(toMinute(${col}, ${tz}), 30) * 1800)`;
    case "1h":
      return sql`toUInt32(toStartOfHour(${col}, ${tz}))`;
    case "1d":
      return sql`toUInt32(toDateTime(toDate(${col}, ${tz}), ${tz}))`;
    case "1mo":
      return sql`toUInt32(toDateTime(toStartOfMonth(${col}, ${tz}), ${tz}))`;
  }
}

export const Segment = z.object({
  queue: z.string(),
  version: z.number().int(),
  from_ms: z.number().int(),
});
export type Segment = z.infer<typeof Segment>;

/**
 * The definition version in force for each row: versions after the first start on a quarter hour
 * (the rollup's resolution), later versions first. Queues with one version are version 1.
 */
function versionSql(col: SqlFragment, segments: readonly Segment[]): SqlFragment {
  const later = segments.filter((s) => s.version > 1).sort((a, b) => b.from_ms - a.from_ms);
  if (later.length === 0) return sql`toUInt32(1)`;
  const arms = later.map(
    (s) =>
      sql`queue = ${s.queue} AND ${col} >= toDateTime(${Math.floor(s.from_ms / 900_000) * 900}), ${s.version}`
        .text,
  );
  return new SqlFragment(`toUInt32(multiIf(${arms.join(", ")}, 1))`);
}

/** Sums over contact facts: visits, handling, transfers, first responses. */
const contactSums = {
  queue: z.string(),
  bucket: Int,
  version: Int,
  offered: Int,
  answered: Int,
  abandoned: Int,
  callbacks: Int,
  flowed_out: Int,
  orphaned: Int,
  answered_wait_ms: Int,
  answered_hist: Hist,
  abandoned_hist: Hist,
  max_wait_ms: Int,
  handled: Int,
  handled_timed: Int,
  handle_ms: Int,
  handled_resolved: Int,
  transfers: Int,
  first_responses: Int,
  first_response_ms: Int,
};

/** Sums over survey facts. */
const surveySums = {
  csat_n: Int,
  csat_good: Int,
  csat_low: Int,
  nps_n: Int,
  nps_promoters: Int,
  nps_detractors: Int,
  fcr_n: Int,
  fcr_yes: Int,
};

const { answered_hist: _ah, abandoned_hist: _bh, ...contactCounts } = contactSums;

/** A rollup row: no histograms (merging them is what made a month report take a second and a
 * half); the visits' own judgements instead, and how many visits a different version judged. */
const sumsRow = {
  ...contactCounts,
  answered_within_sl: Int,
  short_abandoned: Int,
  misjudged: Int,
  retracted: Int,
  ...surveySums,
  available_ms: Int,
  on_contact_ms: Int,
  wrap_up_ms: Int,
};
export const SumsRow = z.object(sumsRow);
export type SumsRow = z.infer<typeof SumsRow>;

const RangeParams = {
  site: z.string(),
  tz: z.string(),
  from_ms: z.number().int(),
  to_ms: z.number().int(),
  queues: z.array(z.string()).optional(),
  segments: z.array(Segment).default([]),
};

/** The rollup's sums a report reads as they are: the figures' and `retracted` (rollup-columns.ts). */
const ROLLUP_SUMS = [...FIGURE_SUM_COLUMNS, "retracted"] as const;

const queueFilter = (queues?: string[]) =>
  queues?.length ? sql`AND queue IN (${list(queues)})` : sql``;

/** The rollup's rows of a range (with their repairs) grouped into the site's intervals and the versions in force. */
function rollupCells(
  p: {
    site: string;
    tz: string;
    grain: SqlGrain;
    from_ms: number;
    to_ms: number;
    queues?: string[];
    segments: Segment[];
  },
  aggregates: SqlFragment,
): SqlFragment {
  return sql`
      SELECT
        queue,
        ${intervalStartSql(sql`quarter`, p.grain, p.tz)} AS bucket,
        ${versionSql(sql`quarter`, p.segments)} AS version,
        ${aggregates}
      FROM ${rollupSource({ site: p.site, from_s: Math.floor(p.from_ms / 1000), to_s: Math.ceil(p.to_ms / 1000), queues: p.queues })}
      GROUP BY queue, bucket, version`;
}

/** Sums per queue, interval and definition version from the quarter-hour rollup. */
export const rollupSums = defineQuery({
  name: "report_rollup_sums",
  params: z.object({ ...RangeParams, grain: z.enum(GRAINS) }),
  row: SumsRow,
  // The inner aliases differ from the columns they sum: 18.16 resolves `sum(x) AS x` to itself.
  build: (p) => sql`
    SELECT queue, bucket, version, ${new SqlFragment(ROLLUP_SUMS.map((c) => `r_${c} AS ${c}`).join(", "))},
      r_within AS answered_within_sl, r_short AS short_abandoned, r_misjudged AS misjudged, r_max_wait_ms AS max_wait_ms
    FROM
    (
      ${rollupCells(
        p,
        sql`
        ${new SqlFragment(ROLLUP_SUMS.map((c) => `sum(${c}) AS r_${c}`).join(", "))},
        sumIf(answered_within_sl, sl_version = version) AS r_within,
        sumIf(short_abandoned, sl_version = version) AS r_short,
        sumIf(offered + orphaned, sl_version != version AND sl_version != 0) AS r_misjudged,
        maxMerge(max_wait_ms) AS r_max_wait_ms`,
      )}
    )`,
});

/** Wait histograms per queue, interval and version: for the cells a different version judged. */
export const rollupHistograms = defineQuery({
  name: "report_rollup_histograms",
  params: z.object({ ...RangeParams, grain: z.enum(GRAINS) }),
  row: z.object({
    queue: z.string(),
    bucket: Int,
    version: Int,
    answered_hist: Hist,
    abandoned_hist: Hist,
  }),
  build: (p) => sql`
    SELECT queue, bucket, version, h_answered AS answered_hist, h_abandoned AS abandoned_hist
    FROM
    (
      ${rollupCells(p, sql`sumMapMerge(answered_wait_hist) AS h_answered, sumMapMerge(abandoned_wait_hist) AS h_abandoned`)}
    )`,
});

/** The contact facts of [from, to) as `n`-weighted rows (ignoring 'open', which no figure counts). */
function contactFacts(p: {
  site: string;
  from_ms: number;
  to_ms: number;
  queues?: string[];
  exact: boolean;
}): SqlFragment {
  const range = sql`
      FROM contact_facts
      WHERE site = ${p.site}
        AND anchor_at >= toDateTime(${Math.floor(p.from_ms / 1000)}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
        AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${p.to_ms}
        AND kind != 'open'
        ${queueFilter(p.queues)}`;
  // Every sum is linear in the weights, so the stored rows (+1, and -1 for a retraction) give the
  // same sums as the net facts at half the cost. A maximum is not: a retracted wait's +1 row is
  // still there. `exact` nets each fact first, for the cells that saw a retraction.
  if (!p.exact)
    return sql`
      SELECT kind, queue, outcome, duration_ms, anchor_at, anchor_ms, sl_version, within_sl, short_abandon, sign AS n
      ${range}`;
  return sql`
      SELECT kind, queue, outcome, duration_ms, anchor_at, anchor_ms, sl_version, within_sl, short_abandon, sum(sign) AS n
      ${range}
      GROUP BY kind, queue, outcome, duration_ms, anchor_at, anchor_ms, sl_version, within_sl, short_abandon, contact_id, fact_id
      HAVING n > 0`;
}

/** A grouping key: a column name, or [alias, expression]. */
type GroupKey = string | readonly [string, SqlFragment];

/**
 * The rows of `from` (which has `anchor_ms`) summed by `keys` first and per `bucket`: the index of
 * each window ending at to_ms that a row falls in when `froms` are given (the live snapshot's
 * windows nest: a fact of the last minute counts in all of them), else the `bucket` expression.
 * Summing by the few distinct keys before the figures' conditional sums makes those run over a few
 * thousand rows instead of every fact, and keeps a fact in three windows from being three rows.
 * 18.16 does not resolve a column captured by a lambda in a grouping key: hence a flag per window.
 * A key is a column, or an expression with its alias: declared once in the SELECT and grouped by
 * name, as ClickHouse's analyzer (24.3+) wants an alias declared only once.
 */
function preGrouped(p: {
  from: SqlFragment;
  froms?: readonly number[];
  bucket: SqlFragment;
  keys: readonly GroupKey[];
  sums: SqlFragment;
}): SqlFragment {
  const select = join(
    p.keys.map((k) => (typeof k === "string" ? ident(k) : sql`${k[1]} AS ${ident(k[0])}`)),
  );
  const names = join(p.keys.map((k) => ident(typeof k === "string" ? k : k[0])));
  if (!p.froms)
    return sql`(SELECT ${select}, ${p.bucket} AS bucket, ${p.sums} FROM (${p.from}) GROUP BY ${names}, bucket)`;
  const flags = p.froms.map((_, i) => ident(`in_w${i}`));
  const inWindows = join(p.froms.map((f, i) => sql`toUInt8(anchor_ms >= ${f}) AS ${flags[i]!}`));
  return sql`(
      SELECT *, toUInt32(w) AS bucket
      FROM (SELECT ${select}, ${inWindows}, ${p.sums} FROM (${p.from}) GROUP BY ${names}, ${join(flags)})
      ARRAY JOIN range(${p.froms.length}) AS w
      WHERE arrayElement([${join(flags)}], w + 1) = 1
    )`;
}

/** Several windows ending at to_ms, read in one scan from the earliest (from_ms must be it). */
const Windows = z.array(z.number().int()).min(1).max(8).optional();

/**
 * Contact sums per queue straight from the facts, to the millisecond, and per `bucket`: the local
 * interval when a grain is given, the index of the window when `froms` are (the live snapshot's
 * 15- and 60-minute windows and the day's last quarter hour, in one scan), else 0. They serve the
 * sliding live windows, and with `exact` the longest wait of cells that saw a retraction (like the
 * rollup, the sums count `retracted` visit rows: where it is above 0, `max_wait_ms` is not exact).
 */
export const factContactSums = defineQuery({
  name: "fact_contact_sums",
  params: z.object({
    ...RangeParams,
    grain: z.enum(GRAINS).optional(),
    froms: Windows,
    histograms: z.boolean().default(true),
    exact: z.boolean().default(false),
  }),
  // Without histograms (a third of the cost), the visits' own judgements and how many visits
  // another version judged: the caller asks again with histograms for those queues only.
  row: z.object({
    ...contactSums,
    answered_hist: Hist.optional(),
    abandoned_hist: Hist.optional(),
    visits: Int,
    answered_within_sl: Int,
    short_abandoned: Int,
    misjudged: Int,
    retracted: Int,
  }),
  build: (p) => {
    const waits: GroupKey[] = p.histograms
      ? [
          ["up_s", sql`intDiv(duration_ms + 999, 1000)`],
          ["down_s", sql`intDiv(duration_ms, 1000)`],
        ]
      : [];
    const source = preGrouped({
      from: contactFacts(p),
      froms: p.froms,
      bucket: p.grain ? intervalStartSql(sql`anchor_at`, p.grain, p.tz) : sql`toUInt32(0)`,
      keys: [
        "queue",
        ["version", versionSql(sql`anchor_at`, p.segments)],
        "kind",
        "outcome",
        "sl_version",
        "within_sl",
        "short_abandon",
        ["timed", sql`duration_ms >= 0`],
        ...waits,
      ],
      sums: sql`sum(n) AS wn, sum(n * duration_ms) AS wd, maxIf(duration_ms, n > 0) AS wmax, toInt64(countIf(n < 0)) AS wneg`,
    });
    return sql`
    SELECT
      queue,
      bucket,
      version,
      sumIf(wn, kind = 'visit' AND outcome != 'orphaned') AS offered,
      sumIf(wn, kind = 'visit' AND outcome = 'answered') AS answered,
      sumIf(wn, kind = 'visit' AND outcome = 'abandoned') AS abandoned,
      sumIf(wn, kind = 'visit' AND outcome = 'callback') AS callbacks,
      sumIf(wn, kind = 'visit' AND outcome = 'flowed_out') AS flowed_out,
      sumIf(wn, kind = 'visit' AND outcome = 'orphaned') AS orphaned,
      sumIf(wd, kind = 'visit' AND outcome = 'answered') AS answered_wait_ms,
      ${
        p.histograms
          ? sql`
      sumMapIf([toUInt32(up_s)], [toInt64(wn)], kind = 'visit' AND outcome = 'answered') AS answered_hist,
      sumMapIf([toUInt32(down_s)], [toInt64(wn)], kind = 'visit' AND outcome = 'abandoned') AS abandoned_hist,`
          : sql``
      }
      sumIf(wn, kind = 'visit' AND within_sl = 1 AND sl_version = version) AS answered_within_sl,
      sumIf(wn, kind = 'visit' AND short_abandon = 1 AND sl_version = version) AS short_abandoned,
      sumIf(wn, kind = 'visit' AND sl_version != version) AS misjudged,
      maxIf(wmax, kind = 'visit' AND outcome != 'orphaned') AS max_wait_ms,
      sumIf(wn, kind = 'visit' AND outcome != 'orphaned') AS visits,
      sumIf(wneg, kind = 'visit') AS retracted,
      sumIf(wn, kind = 'handled') AS handled,
      sumIf(wn, kind = 'handled' AND timed) AS handled_timed,
      sumIf(wd, kind = 'handled' AND timed) AS handle_ms,
      sumIf(wn, kind = 'handled' AND outcome = 'resolved') AS handled_resolved,
      sumIf(wn, kind = 'transfer') AS transfers,
      sumIf(wn, kind = 'first_response') AS first_responses,
      sumIf(wd, kind = 'first_response') AS first_response_ms
    FROM ${source}
    GROUP BY queue, bucket, version`;
  },
});

/** Survey sums per queue from the facts, to the millisecond; per window index when `froms` are given. */
export const factSurveySums = defineQuery({
  name: "fact_survey_sums",
  params: z.object({
    site: z.string(),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
    queues: z.array(z.string()).optional(),
    froms: Windows,
  }),
  row: z.object({ queue: z.string(), bucket: Int, ...surveySums }),
  build: (p) => {
    // Only sums, all linear in the weights: the stored rows, retractions included, need no netting.
    const surveyFacts = sql`
      SELECT queue, csat, nps, resolved, anchor_ms, sign AS n
      FROM survey_facts
      WHERE site = ${p.site}
        AND anchor_at >= toDateTime(${Math.floor(p.from_ms / 1000)}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
        AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${p.to_ms}
        ${queueFilter(p.queues)}`;
    const source = preGrouped({
      from: surveyFacts,
      froms: p.froms,
      bucket: sql`toUInt32(0)`,
      keys: ["queue", "csat", "nps", "resolved"],
      sums: sql`sum(n) AS wn`,
    });
    return sql`
    SELECT
      queue,
      bucket,
      sumIf(wn, csat >= 1) AS csat_n, sumIf(wn, csat >= 4) AS csat_good, sumIf(wn, csat >= 1 AND csat <= 2) AS csat_low,
      sumIf(wn, nps >= 0) AS nps_n, sumIf(wn, nps >= 9) AS nps_promoters, sumIf(wn, nps >= 0 AND nps <= 6) AS nps_detractors,
      sumIf(wn, resolved >= 0) AS fcr_n, sumIf(wn, resolved = 1) AS fcr_yes
    FROM ${source}
    GROUP BY queue, bucket`;
  },
});

/**
 * How far back an agent's state interval may have started and still count: a state held longer
 * without any event (an agent "available" for days, a desktop that never logged out) is not read.
 * It bounds the scan; without it every live tick would read the site's whole history.
 */
export const AGENT_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** The states whose time the figures use (occupancy); not_ready and logged_out count nowhere. */
const TIMED_STATES = ["available", "on_contact", "wrap_up"] as const;

/**
 * Agent time in state per queue in several windows ending at `to_ms` (the live 15 and 60 minutes
 * and the day's last part), in one scan of the intervals instead of one per window: each interval
 * row carries its overlap with every window as a column, summed per queue, and the few result rows
 * are spread into one per window at the end (a row per interval and window costs a third more).
 */
export const agentWindowTime = defineQuery({
  name: "agent_window_time",
  params: z.object({
    site: z.string(),
    froms: z.array(z.number().int()).min(1).max(8),
    to_ms: z.number().int(),
  }),
  row: z.object({
    queue: z.string(),
    w: Int,
    available_ms: Int,
    on_contact_ms: Int,
    wrap_up_ms: Int,
  }),
  build: (p) => {
    const earliest = Math.min(...p.froms);
    const overlap = (i: number) => ident(`o${i}`);
    const perState = (state: string) => ident(`t_${state}`);
    return sql`
    SELECT queue, arrayJoin(range(${p.froms.length})) AS w,
      ${join(TIMED_STATES.map((state) => sql`arrayElement(${perState(state)}, w + 1) AS ${ident(`${state}_ms`)}`))}
    FROM
    (
      SELECT queue, ${join(TIMED_STATES.map((state) => sql`[${join(p.froms.map((_, i) => sql`sumIf(sign * ${overlap(i)}, state = ${state})`))}] AS ${perState(state)}`))}
      FROM
      (
        SELECT
          state,
          sign,
          arrayJoin(queues) AS queue,
          least(if(to_ms = 0, toInt64(${p.to_ms}), to_ms), toInt64(${p.to_ms})) AS end_ms,
          ${join(p.froms.map((f, i) => sql`greatest(end_ms - greatest(from_ms, toInt64(${f})), 0) AS ${overlap(i)}`))}
        FROM agent_intervals
        -- The lookback reads a day of intervals, of which the last hour's few overlap: test the end
        -- first and read the other columns only where it holds (a third less time).
        PREWHERE to_ms = 0 OR to_ms > ${earliest}
        WHERE site = ${p.site}
          AND from_at >= toDateTime(${Math.max(0, Math.floor((earliest - AGENT_LOOKBACK_MS) / 1000))})
          AND from_at <= toDateTime(${Math.ceil(p.to_ms / 1000)}) AND from_ms < ${p.to_ms}
          AND state IN (${list([...TIMED_STATES])})
      )
      GROUP BY queue
    )`;
  },
});

/** The agents' current states (their latest intervals) that started before `to_ms`: one per agent. */
export const openAgentIntervals = defineQuery({
  name: "open_agent_intervals",
  params: z.object({ site: z.string(), to_ms: z.number().int(), queue: z.string().optional() }),
  row: z.object({
    agent_id: z.string(),
    state: z.string(),
    reason: z.string(),
    queues: z.array(z.string()),
    team: z.string(),
    name: z.string(),
    from_ms: Int,
  }),
  build: (p) => sql`
    SELECT agent_id, st AS state, rs AS reason, qs AS queues, tm AS team, nm AS name, since AS from_ms
    FROM
    (
      SELECT agent_id, argMax(state, from_ms) AS st, argMax(reason, from_ms) AS rs, argMax(queues, from_ms) AS qs,
             argMax(team, from_ms) AS tm, argMax(name, from_ms) AS nm, max(from_ms) AS since
      FROM agent_current
      WHERE site = ${p.site}
      GROUP BY agent_id
    )
    WHERE since <= ${p.to_ms} ${p.queue ? sql`AND has(qs, ${p.queue})` : sql``}`,
});

/** Open visits (waiting now): per queue the count and each start, for waiting and breaching_soon. */
export const openVisits = defineQuery({
  name: "open_visits",
  params: z.object({ site: z.string(), from_ms: z.number().int(), to_ms: z.number().int() }),
  row: z.object({ queue: z.string(), starts: z.array(Int) }),
  build: (p) => sql`
    SELECT queue, groupArray(start_ms) AS starts
    FROM
    (
      SELECT queue, start_ms, sum(sign) AS n
      FROM open_visits
      WHERE site = ${p.site}
        AND anchor_at >= toDateTime(${Math.floor(p.from_ms / 1000)}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
        AND start_ms > ${p.from_ms} AND start_ms <= ${p.to_ms}
      GROUP BY queue, start_ms, contact_id, fact_id
      HAVING n > 0
    )
    GROUP BY queue`,
});

export const PUBLICATIONS_TABLE = "report_publications";

/** What was first published for each closed interval of a report (the earliest digest). */
export const firstPublications = defineQuery({
  name: "report_first_publications",
  params: z.object({
    site: z.string(),
    grain: z.string(),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
    /**
     * Those queues' only: a report of some queues (the monthly pack makes its half hours ten
     * queues at a time) reads theirs, not every queue's of the site again each time.
     */
    queues: z.array(z.string()).optional(),
  }),
  row: z.object({ queue: z.string(), bucket_ms: Int, digest: z.string() }),
  build: (p) => sql`
    SELECT queue, bucket_ms, argMin(digest, published_ms) AS digest
    FROM report_publications
    WHERE site = ${p.site} AND grain = ${p.grain} AND bucket_ms >= ${p.from_ms} AND bucket_ms < ${p.to_ms}
      ${p.queues !== undefined ? sql`AND queue IN (${list(p.queues.length ? p.queues : [""])})` : sql``}
    GROUP BY queue, bucket_ms`,
});

/**
 * A cheap signature of what a wallboard shows biggest: who waits and what agents do. The live
 * stream reads it several times a second and computes a new snapshot as soon as it changes,
 * instead of waiting for the next second's tick. Every open visit row (+1 or −1) and every
 * agent_current row moves one of the three numbers.
 */
export const liveSignature = defineQuery({
  name: "live_signature",
  params: z.object({ site: z.string() }),
  row: z.object({ visit_rows: Int, visit_sum: Int, agent_rows: Int, agent_max_ms: Int }),
  build: (p) => sql`
    SELECT
      (SELECT count() FROM open_visits WHERE site = ${p.site}) AS visit_rows,
      (SELECT sum(toInt64(sign) * start_ms) FROM open_visits WHERE site = ${p.site}) AS visit_sum,
      (SELECT count() FROM agent_current WHERE site = ${p.site}) AS agent_rows,
      (SELECT max(from_ms) FROM agent_current WHERE site = ${p.site}) AS agent_max_ms`,
});
