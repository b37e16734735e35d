// "Stored equals produced, exactly": every produced event is in its table once (after folding
// redelivered copies), nothing else is there, and every figure computed over the tables equals
// the figure over a reference database into which the same events were inserted exactly once.
import { computeLiveSnapshot } from "@floorwatch/api";
import type { Event } from "@floorwatch/contracts";
import { makeDeriver, rowFor } from "@floorwatch/ingest";
import {
  AGENT_EVENTS_TABLE,
  CONTACT_EVENTS_TABLE,
  createClickHouse,
  dropDatabase,
  ident,
  insertRows,
  liveWaitingByQueue,
  migrate,
  rollupSource,
  runQuery,
  sql,
  SURVEY_EVENTS_TABLE,
  type ClickHouseClient,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { expect } from "vitest";
import { loadSiteConfig } from "../../api/src/metrics/config";
import { buildReport } from "../../api/src/metrics/report";

const TABLES = [CONTACT_EVENTS_TABLE, AGENT_EVENTS_TABLE, SURVEY_EVENTS_TABLE];

/** Event ids of one site in a table, after folding redelivered copies (FINAL). */
export async function storedEventIds(
  ch: ClickHouseClient,
  table: string,
  site: string,
): Promise<Set<string>> {
  const rs = await ch.query({
    query: sql`SELECT event_id FROM ${ident(table)} FINAL WHERE site = ${site}`.text,
    format: "JSONEachRow",
  });
  return new Set((await rs.json<{ event_id: string }>()).map((r) => r.event_id));
}

/** Distinct events of one site over all event tables. */
export async function countStored(ch: ClickHouseClient, site: string): Promise<number> {
  let total = 0;
  for (const t of TABLES) total += (await storedEventIds(ch, t, site)).size;
  return total;
}

/** Every figure the code computes today, for one site at one instant. Grows with the metrics. */
async function figures(
  ch: ClickHouseClient,
  site: string,
  asOfMs: number,
  range: { from_ms: number; to_ms: number },
) {
  // The quarter-hour rollup with its repairs, column for column (every report is a sum of these
  // rows). Not its longest waits: a cell that saw a retraction or a repair has its own in the rollup
  // and the exact one in the facts, which is what the reports below show.
  const rs = await ch.query({
    query: sql`
      SELECT queue, toUInt32(quarter) AS m,
        sum(offered) AS o, sum(answered) AS a, sum(abandoned) AS ab, sum(callbacks) AS cb, sum(flowed_out) AS fo, sum(orphaned) AS orph,
        sum(answered_wait_ms) AS aw, sumMapMerge(answered_wait_hist) AS ah, sumMapMerge(abandoned_wait_hist) AS abh,
        sum(handled) AS hd, sum(handled_timed) AS ht, sum(handle_ms) AS hm, sum(handled_resolved) AS hr, sum(transfers) AS tr,
        sum(first_responses) AS fr, sum(first_response_ms) AS frm, sum(csat_n) AS cn, sum(csat_good) AS cg, sum(csat_low) AS cl,
        sum(nps_n) AS nn, sum(nps_promoters) AS np, sum(nps_detractors) AS nd, sum(fcr_n) AS fn, sum(fcr_yes) AS fy,
        sum(available_ms) AS av, sum(on_contact_ms) AS oc, sum(wrap_up_ms) AS wu, sum(not_ready_ms) AS nr
      FROM ${rollupSource({ site, from_s: 0, to_s: 2 ** 32 - 1 })}
      GROUP BY queue, m
      HAVING o + orph + hd + tr + fr + cn + nn + fn + av + oc + wu + nr != 0
      ORDER BY queue, m`.text,
    format: "JSONEachRow",
  });
  // Every fact, net of retractions, counted by what it is (the source of the live windows).
  const facts = await ch.query({
    query: sql`
      SELECT t, queue, kind, outcome, toInt64(sum(n)) AS net FROM
      (
        SELECT 'contact' AS t, queue, kind, outcome, sign AS n FROM contact_facts WHERE site = ${site}
        UNION ALL SELECT 'open' AS t, queue, kind, outcome, sign AS n FROM open_visits WHERE site = ${site}
        UNION ALL SELECT 'survey' AS t, queue, '' AS kind, toString(csat) AS outcome, sign AS n FROM survey_facts WHERE site = ${site}
        UNION ALL SELECT 'agent' AS t, agent_id AS queue, state AS kind, toString(to_ms = 0) AS outcome, sign AS n FROM agent_intervals WHERE site = ${site}
      )
      GROUP BY t, queue, kind, outcome
      HAVING net != 0
      ORDER BY t, queue, kind, outcome`.text,
    format: "JSONEachRow",
  });
  return {
    facts: await facts.json(),
    rollup: await rs.json(),
    // Waiting straight from the raw events, and the whole live snapshot from the facts.
    waiting: await runQuery(ch, liveWaitingByQueue, { site, as_of_ms: asOfMs }),
    live: await computeLiveSnapshot(ch, site, asOfMs),
    // The hourly report over the events' range, as the API serves it (not when it was first seen).
    report: (
      await buildReport(ch, await loadSiteConfig(ch, site), { grain: "1h", ...range }, asOfMs)
    ).rows.map(({ restated: _r, drill: _d, ...row }) => row),
  };
}

/** `events` must be all of `site`'s events: other sites in the database are not looked at. */
export async function expectStoredExactly(
  ch: ClickHouseClient,
  clickhouse: ClickHouseConfig,
  events: Event[],
  site: string,
): Promise<void> {
  for (const table of TABLES) {
    const expected = new Set(
      events.filter((e) => rowFor(e, 0).table === table).map((e) => e.event_id),
    );
    const stored = await storedEventIds(ch, table, site);
    expect(stored.size, `${table}: rows after folding copies`).toBe(expected.size);
    expect(stored, table).toEqual(expected);
  }
  // Reference: the same events inserted once, straight into a fresh database.
  const ref: ClickHouseConfig = { ...clickhouse, database: `${clickhouse.database}_ref` };
  await migrate(ref);
  const refCh = createClickHouse(ref);
  try {
    const byTable = new Map<string, object[]>();
    for (const e of events) {
      const { table, row } = rowFor(e, 0);
      const list = byTable.get(table);
      if (list) list.push(row);
      else byTable.set(table, [row]);
    }
    for (const [table, rows] of byTable) await insertRows(refCh, table, rows);
    // The reference derives its facts in one pass over everything; the ingest did it flush by
    // flush, with copies, restarts and outages in between. The figures must not tell them apart.
    await makeDeriver(refCh).derive(byTable);
    const asOf = Date.now();
    const times = events.map((e) => Date.parse(e.occurred_at));
    const H = 3_600_000;
    const range = {
      from_ms: Math.floor(Math.min(...times) / H) * H - H,
      to_ms: Math.ceil(Math.max(...times) / H) * H + 13 * H,
    };
    expect(await figures(ch, site, asOf, range)).toEqual(await figures(refCh, site, asOf, range));
  } finally {
    await refCh.close();
    await dropDatabase(ref);
  }
}
