// The ClickHouse client of every service, against the real server: a read that meets a keep-alive
// socket the server has just closed is retried once and counted, an insert is never retried, and an
// insert whose row does not fit its table is refused whatever the server's defaults.
import { createClient } from "@clickhouse/client";
import {
  clickhouseReadRetries,
  createClickHouse,
  insertRows,
  liveWaitingByQueue,
  QueryError,
  runQuery,
  sql,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { resettingProxy } from "../support/resetting-proxy";

const at = Date.parse("2026-11-22T09:00:00Z");
const queued = (site: string, id: string, contact: string) => ({
  site,
  event_id: id,
  type: "contact.queued",
  occurred_at: Math.floor(at / 1000),
  occurred_ms: at,
  contact_id: contact,
  queue: "credit_card",
  ingested_at: Math.floor(at / 1000),
});

describe("ClickHouse client", () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof resettingProxy>>;
  let ch: ClickHouseClient;
  const site = "client-site";

  beforeAll(async () => {
    h = await createHarness("chclient");
    proxy = await resettingProxy(new URL(h.clickhouse.url));
    ch = createClickHouse({ ...h.clickhouse, url: proxy.url });
  });
  afterAll(async () => {
    await ch?.close();
    await proxy?.close();
    await h?.cleanup();
  });

  const stored = async () => {
    const rs = await h.ch.query({
      query: sql`SELECT event_id FROM contact_events WHERE site = ${site} ORDER BY event_id`.text,
      format: "JSONEachRow",
    });
    return (await rs.json<{ event_id: string }>()).map((r) => r.event_id);
  };

  it("retries a read once when its reused keep-alive socket is reset, and counts the retry", async () => {
    await insertRows(ch, "contact_events", [queued(site, "e1", "c1")]);
    expect(clickhouseReadRetries(ch)).toBe(0);

    proxy.arm();
    const rows = await runQuery(ch, liveWaitingByQueue, { site, as_of_ms: at + 60_000 });

    expect(proxy.resets()).toBe(1);
    expect(clickhouseReadRetries(ch)).toBe(1);
    expect(rows).toEqual([{ queue: "credit_card", waiting: 1, earliest_start_ms: at }]);
  });

  it("never retries an insert on a reset socket: it fails, and nothing is written twice", async () => {
    // A fresh keep-alive socket to reuse (the one of the read above).
    await runQuery(ch, liveWaitingByQueue, { site, as_of_ms: at });
    const inserts = () => proxy.requests.filter((r) => r.includes("INSERT INTO")).length;
    const before = inserts();

    proxy.arm();
    await expect(
      insertRows(ch, "contact_events", [queued(site, "e2", "c2")]),
    ).rejects.toBeInstanceOf(QueryError);

    expect(proxy.resets()).toBe(1 + 1);
    expect(inserts()).toBe(before); // the reset attempt never reached the server, and no second one
    expect(clickhouseReadRetries(ch)).toBe(1);
    expect(await stored()).toEqual(["e1"]);
  });

  it("refuses an insert with an unknown key, even where the server's default skips unknown fields", async () => {
    // ClickHouse 24+ defaults input_format_skip_unknown_fields to 1; a client-wide 1 stands in for it.
    const loose = createClient({
      url: h.clickhouse.url,
      username: h.clickhouse.user,
      password: h.clickhouse.password,
      database: h.clickhouse.database,
      clickhouse_settings: { input_format_skip_unknown_fields: 1 },
    });
    try {
      const { queue: _queue, ...misspelt } = queued(site, "e3", "c3");
      await expect(
        insertRows(loose, "contact_events", [{ ...misspelt, queu: "credit_card" }]),
      ).rejects.toThrow(/queu/);
      expect(await stored()).toEqual(["e1"]);
    } finally {
      await loose.close();
    }
  });
});
