// "Stored equals produced, exactly": every produced event is in its table once (after folding
// redelivered copies), nothing else is there, and every figure computed over the tables equals
// the figure over a reference database into which the same events were inserted exactly once.
import type { Event } from "@floorwatch/contracts";
import { rowFor } from "@floorwatch/ingest";
import {
  AGENT_EVENTS_TABLE,
  CONTACT_EVENTS_TABLE,
  createClickHouse,
  dropDatabase,
  ident,
  insertRows,
  liveWaitingByQueue,
  migrate,
  runQuery,
  sql,
  SURVEY_EVENTS_TABLE,
  type ClickHouseClient,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { expect } from "vitest";

const TABLES = [CONTACT_EVENTS_TABLE, AGENT_EVENTS_TABLE, SURVEY_EVENTS_TABLE];

/** Event ids of one site in a table, after folding redelivered copies (FINAL). */
export async function storedEventIds(ch: ClickHouseClient, table: string, site: string): Promise<Set<string>> {
  const rs = await ch.query({ query: sql`SELECT event_id FROM ${ident(table)} FINAL WHERE site = ${site}`.text, format: "JSONEachRow" });
  return new Set((await rs.json<{ event_id: string }>()).map((r) => r.event_id));
}

/** Distinct events of one site over all event tables. */
export async function countStored(ch: ClickHouseClient, site: string): Promise<number> {
  let total = 0;
  for (const t of TABLES) total += (await storedEventIds(ch, t, site)).size;
  return total;
}

/** Every figure the code computes today, for one site at one instant. Grows with the metrics. */
async function figures(ch: ClickHouseClient, site: string, asOfMs: number) {
  return { live: await runQuery(ch, liveWaitingByQueue, { site, as_of_ms: asOfMs }) };
}

/** `events` must be all of `site`'s events: other sites in the database are not looked at. */
export async function expectStoredExactly(ch: ClickHouseClient, clickhouse: ClickHouseConfig, events: Event[], site: string): Promise<void> {
  for (const table of TABLES) {
    const expected = new Set(events.filter((e) => rowFor(e, 0).table === table).map((e) => e.event_id));
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
    const asOf = Date.now();
    expect(await figures(ch, site, asOf)).toEqual(await figures(refCh, site, asOf));
  } finally {
    await refCh.close();
    await dropDatabase(ref);
  }
}
