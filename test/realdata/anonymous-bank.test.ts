// Real data end to end: all six months of the Anonymous Bank call records (213,268 records, about
// 733,000 events) replayed through the real Kafka and the ingest, then every queue's 1d and 1h
// report compared with figures computed here straight from the raw files by metrics.md's mapping:
// counts exactly, means to 1e-6. The report buckets come from ClickHouse's time-zone functions,
// the expected ones from Intl's, so the Jerusalem calendar (with its 1999 DST changes) is checked
// twice, independently.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "@floorwatch/api";
import { formatLocal, intervalStart, type Grain, type ReportResponse } from "@floorwatch/contracts";
import {
  ANONYMOUS_BANK_SITE as SITE,
  ANONYMOUS_BANK_TZ as TZ,
  ensureBankSite,
  replayBank,
  startIngest,
  type RunningIngest,
} from "@floorwatch/ingest";
import { sql } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { BANK_DATA as DATA, bankCells, type Cell, cell } from "../support/bank";

const FILES = readdirSync(DATA)
  .filter((f) => /^1999-0[1-6]\.txt$/.test(f))
  .sort()
  .map((f) => join(DATA, f));

/** Straight from the raw records: per grain, "queue|local interval start" → sums. */
const expected = (grains: Grain[]) =>
  bankCells(
    FILES,
    new Map(grains.map((g) => [g, (ms: number) => formatLocal(TZ, intervalStart(TZ, g, ms))])),
  );

describe("six months of a real bank call centre, end to end", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let app: ReturnType<typeof createApp>;
  const truth = expected(["1d", "1h"]);

  beforeAll(async () => {
    h = await createHarness("bank");
    await ensureBankSite(h.clickhouse);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
    const result = await replayBank(h.kafka, {
      files: FILES,
      topic: h.config.topics.calls,
      partitions: h.config.kafka.partitions,
      speed: null,
    });
    expect(result.records).toBe(213_268);
    // Every record committed, so stored and derived; then the rollup must hold every visit and
    // wrap-up (a total reached early would not prove the later flushes had nothing to retract).
    await waitForIngested(h, undefined, { timeoutMs: 540_000, intervalMs: 2_000 });
    const rs = await h.ch.query({
      query:
        sql`SELECT sum(offered) + sum(orphaned) AS v, sum(handled) AS hd FROM queue_quarter WHERE site = ${SITE}`
          .text,
      format: "JSONEachRow",
    });
    const [t] = await rs.json<{ v: string; hd: string }>();
    expect([Number(t?.v), Number(t?.hd)]).toEqual([truth.visits, truth.handled]);
  }, 900_000);

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  const report = async (q: string): Promise<ReportResponse> => {
    const res = await app.request(`/api/v1/reports/intervals?site=${SITE}&${q}`, asAdmin);
    expect(res.status).toBe(200);
    return (await res.json()) as ReportResponse;
  };

  /** Compares every row of `r`; returns the keys it compared. */
  function compare(r: ReportResponse, cells: Map<string, Cell>): string[] {
    const seen: string[] = [];
    for (const row of r.rows) {
      const c = cells.get(`${row.queue}|${row.interval_start}`) ?? cell();
      const k = `${row.queue} ${row.interval_start}`;
      expect(
        [
          row.offered,
          row.answered,
          row.abandoned,
          row.short_abandoned,
          row.answered_within_sl,
          row.orphaned,
          row.handled,
          row.callbacks,
        ],
        k,
      ).toEqual([c.offered, c.answered, c.abandoned, c.short, c.within, c.orphaned, c.handled, 0]);
      expect(row.max_wait_s, k).toBe(c.offered ? c.maxWait : null);
      if (c.answered) expect(Math.abs(row.asa_s! - c.waitSum / c.answered), k).toBeLessThan(1e-6);
      else expect(row.asa_s, k).toBeNull();
      if (c.handled) expect(Math.abs(row.aht_s! - c.serSum / c.handled), k).toBeLessThan(1e-6);
      else expect(row.aht_s, k).toBeNull();
      const denominator = c.answered + c.abandoned - c.short;
      expect(row.service_level, k).toBe(denominator ? c.within / denominator : null);
      expect(row.abandon_rate, k).toBe(denominator ? (c.abandoned - c.short) / denominator : null);
      expect(row.resolution_rate, k).toBe(c.handled ? 1 : null);
      seen.push(`${row.queue}|${row.interval_start}`);
    }
    return seen;
  }

  /** Every interval of January to June the raw data has a figure in was in a report (calls of
   * 30 June that ended or were wrapped up after midnight count on 1 July, outside the range). */
  const expectAllCovered = (cells: Map<string, Cell>, seen: string[]) => {
    const covered = new Set(seen);
    const end = Date.parse("1999-07-01T00:00:00+03:00");
    for (const key of cells.keys())
      if (Date.parse(key.split("|")[1]!) < end) expect(covered.has(key), key).toBe(true);
  };

  it("matches the raw records day by day for every queue, January to June 1999", async () => {
    const r = await report("from=1999-01-01&to=1999-07-01&interval=1d");
    expect(r.tz).toBe("Asia/Jerusalem");
    // Seven types in the files; AA's three calls all hung up in the voice menu, so it has no queue.
    expect(new Set(r.rows.map((x) => x.queue))).toEqual(
      new Set(["IN", "NE", "NW", "PE", "PS", "TT"]),
    );
    const seen = compare(r, truth.cells.get("1d")!);
    expect(seen).toHaveLength(6 * 181);
    expectAllCovered(truth.cells.get("1d")!, seen);
  });

  it("matches the raw records hour by hour for every queue, month by month", async () => {
    const seen: string[] = [];
    for (const [from, to] of [
      ["1999-01-01", "1999-02-01"],
      ["1999-02-01", "1999-03-01"],
      ["1999-03-01", "1999-04-01"],
      ["1999-04-01", "1999-05-01"],
      ["1999-05-01", "1999-06-01"],
      ["1999-06-01", "1999-07-01"],
    ]) {
      seen.push(
        ...compare(await report(`from=${from}&to=${to}&interval=1h`), truth.cells.get("1h")!),
      );
    }
    expectAllCovered(truth.cells.get("1h")!, seen);
    // 181 days of 24 hours, less the hour the clocks skipped on 2 April 1999, plus the one they
    // repeated on 3 September (outside this range): 4,343 hours, for each of the 6 queues.
    expect(seen).toHaveLength(6 * (181 * 24 - 1));
  });
});
