// The rollup's repair (sql/src/rollup-repair.ts) on the real server. A ClickHouse crash between an
// insert's part of a fact table and its materialized view's part is reproduced exactly: the view is
// detached for that one insert, which then fails. Every figure is compared with a reference site
// that derived the same events with its views in place.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Event } from "@floorwatch/contracts";
import { makeDeriver, rowFor } from "@floorwatch/ingest";
import {
  AGENT_INTERVALS_TABLE,
  CONTACT_FACTS_TABLE,
  ident,
  insertRows,
  repairRollup,
  rollupCellsCompared,
  runQuery,
  sql,
  SURVEY_FACTS_TABLE,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSiteConfig } from "../../api/src/metrics/config";
import { buildReport } from "../../api/src/metrics/report";
import {
  abandoned,
  agentState,
  answered,
  callbackRequested,
  queued,
  survey,
  wrappedUp,
} from "../support/events";
import { childEnv } from "../support/env";
import { createHarness, type Harness } from "../support/harness";

const root = join(import.meta.dirname, "../..");

const VIEWS: Record<string, string> = {
  [CONTACT_FACTS_TABLE]: "queue_quarter_contacts_mv",
  [SURVEY_FACTS_TABLE]: "queue_quarter_surveys_mv",
  [AGENT_INTERVALS_TABLE]: "queue_quarter_agents_mv",
};
const shanghai = (hm: string) => Date.parse(`2026-11-02T${hm}+08:00`);
const sh = shanghai;
const Q = (hm: string) => sh(hm) / 1000;

/** A morning of one floor: every kind of fact, in several quarter hours and two queues. */
function morning(site: string, tag = "", sh: (hms: string) => number = shanghai): Event[] {
  const c = (n: string) => `${n}${tag}`;
  return [
    queued({ site, at: sh("09:01:00"), contact: c("c1"), queue: "cards" }),
    answered({ site, at: sh("09:01:10"), contact: c("c1"), queue: "cards", agent: "a1" }),
    wrappedUp({
      site,
      at: sh("09:05:00"),
      contact: c("c1"),
      queue: "cards",
      agent: "a1",
      disposition: "resolved",
    }),
    queued({ site, at: sh("09:03:00"), contact: c("c2"), queue: "cards" }),
    answered({ site, at: sh("09:04:00"), contact: c("c2"), queue: "cards", agent: "a2" }),
    queued({ site, at: sh("09:10:00"), contact: c("c3"), queue: "cards" }),
    abandoned({ site, at: sh("09:10:03"), contact: c("c3"), queue: "cards" }),
    queued({ site, at: sh("09:14:00"), contact: c("c4"), queue: "cards" }),
    abandoned({ site, at: sh("09:16:00"), contact: c("c4"), queue: "cards" }),
    queued({ site, at: sh("09:20:00"), contact: c("c5"), queue: "loans" }),
    callbackRequested({ site, at: sh("09:20:30"), contact: c("c5"), queue: "loans" }),
    queued({ site, at: sh("09:31:00"), contact: c("c6"), queue: "loans" }),
    answered({ site, at: sh("09:31:15"), contact: c("c6"), queue: "loans", agent: "a2" }),
    agentState({ site, at: sh("08:55:00"), agent: c("a1"), state: "available", queues: ["cards"] }),
    agentState({
      site,
      at: sh("09:01:10"),
      agent: c("a1"),
      state: "on_contact",
      queues: ["cards"],
    }),
    agentState({ site, at: sh("09:04:00"), agent: c("a1"), state: "wrap_up", queues: ["cards"] }),
    agentState({ site, at: sh("09:05:00"), agent: c("a1"), state: "available", queues: ["cards"] }),
    agentState({
      site,
      at: sh("09:00:00"),
      agent: c("a2"),
      state: "available",
      queues: ["cards", "loans"],
    }),
    agentState({
      site,
      at: sh("09:20:00"),
      agent: c("a2"),
      state: "not_ready",
      queues: ["cards", "loans"],
    }),
    agentState({ site, at: sh("09:40:00"), agent: c("a2"), state: "logged_out" }),
    survey({
      site,
      at: sh("09:06:00"),
      contact: c("c1"),
      queue: "cards",
      survey: c("s1"),
      csat: 5,
      nps: 10,
      resolved: true,
    }),
    survey({
      site,
      at: sh("09:07:00"),
      contact: c("c2"),
      queue: "cards",
      survey: c("s2"),
      csat: 2,
      nps: 3,
      resolved: false,
    }),
  ];
}

describe("repairing the rollup where its views missed facts", () => {
  let h: Harness;
  const ref = "repair-ref";
  const crashy = "repair-crashy";

  /** Stores the events as the batcher does, then derives their facts: one flush. */
  async function flush(
    ch: ClickHouseClient,
    deriver: ReturnType<typeof makeDeriver>,
    events: Event[],
  ) {
    const byTable = new Map<string, object[]>();
    for (const e of events) {
      const { table, row } = rowFor(e, Date.now());
      byTable.set(table, [...(byTable.get(table) ?? []), row]);
    }
    for (const [table, rows] of byTable) await insertRows(ch, table, rows);
    return deriver.derive(byTable);
  }

  const withViewsDetached = async <T>(tables: string[], fn: () => Promise<T>): Promise<T> => {
    for (const t of tables)
      await h.ch.command({ query: sql`DETACH TABLE ${ident(VIEWS[t]!)}`.text });
    try {
      return await fn();
    } finally {
      for (const t of tables)
        await h.ch.command({ query: sql`ATTACH TABLE ${ident(VIEWS[t]!)}`.text });
    }
  };

  /**
   * A client whose first insert into each fact table is written without its view, then fails: what
   * a server crash between the fact part and the view's part leaves.
   */
  function crashingOnce(): ClickHouseClient {
    const crashed = new Set<string>();
    const real = h.ch;
    return Object.create(real, {
      insert: {
        value: async (args: Parameters<ClickHouseClient["insert"]>[0]) => {
          if (!VIEWS[args.table] || crashed.has(args.table)) return real.insert(args);
          crashed.add(args.table);
          await withViewsDetached([args.table], () => real.insert(args));
          throw new Error(`simulated crash after the ${args.table} part`);
        },
      },
    }) as ClickHouseClient;
  }

  /** Every figure of every 15-minute row of the morning (not the publication flags or links). */
  async function figures(site: string, at = sh) {
    const config = await loadSiteConfig(h.ch, site);
    const report = await buildReport(
      h.ch,
      config,
      { grain: "15m", from_ms: at("08:45:00"), to_ms: at("10:00:00") },
      Date.now(),
    );
    return report.rows.map(({ restated: _r, drill: _d, ...row }) => row);
  }

  const quarters = ["08:45:00", "09:00:00", "09:15:00", "09:30:00", "09:45:00"].map(Q);

  beforeAll(async () => {
    h = await createHarness("rollup_repair");
    await flush(h.ch, makeDeriver(h.ch), morning(ref));
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  it("finds nothing to repair where the views saw every fact (the facts give what the views wrote)", async () => {
    const report = await repairRollup(h.ch, ref, quarters, { settleMs: 50 });
    expect(report.cells).toBeGreaterThan(5);
    expect(report).toMatchObject({ repaired: 0, unsettled: [] });
  });

  it("repairs the cells a crash between the facts and their views left short, in every fact table", async () => {
    const deriver = makeDeriver(crashingOnce(), { settleMs: 50 });
    const events = morning(crashy);
    // The batcher retries the flush's derivation until it succeeds, as the ingest does.
    const errors: string[] = [];
    let report: Awaited<ReturnType<typeof flush>> | undefined;
    for (let attempt = 0; attempt < 5 && !report; attempt++) {
      report = await flush(h.ch, deriver, events).catch(
        (err: Error) => void errors.push(err.message),
      );
    }
    expect(errors).toEqual(
      [CONTACT_FACTS_TABLE, AGENT_INTERVALS_TABLE, SURVEY_FACTS_TABLE].map((t) =>
        expect.stringContaining(`simulated crash after the ${t} part`),
      ),
    );
    expect(report!.repairedCells).toBeGreaterThan(5);
    expect(deriver.pendingRepairs().size).toBe(0);
    expect(await figures(crashy)).toEqual(await figures(ref));
  });

  it("shows the gap it repairs: without the repair the rollup is short", async () => {
    const late = "repair-unrepaired";
    await withViewsDetached([CONTACT_FACTS_TABLE], () =>
      flush(h.ch, makeDeriver(h.ch), morning(late)),
    );
    const short = await figures(late);
    expect(short.reduce((n, r) => n + r.offered, 0)).toBe(0); // the facts are there, the rollup is not
    await repairRollup(h.ch, late, quarters, { settleMs: 50 });
    const repaired = await figures(late);
    expect(repaired.reduce((n, r) => n + r.offered, 0)).toBe(6);
    expect(
      repaired.find((r) => r.queue === "cards" && r.interval_start === "2026-11-02T09:15:00+08:00"),
    ).toMatchObject({ abandoned: 1, max_wait_s: 120 });
  });

  it("replaces a repair instead of adding to it: two at once, and again later, leave the same figures", async () => {
    const site = "repair-twice";
    const twiceRef = "repair-twice-ref";
    await flush(h.ch, makeDeriver(h.ch), morning(twiceRef, "-2"));
    await withViewsDetached([CONTACT_FACTS_TABLE, SURVEY_FACTS_TABLE], () =>
      flush(h.ch, makeDeriver(h.ch), morning(site, "-2")),
    );
    const both = await Promise.all([
      repairRollup(h.ch, site, quarters, { settleMs: 50 }),
      repairRollup(h.ch, site, quarters, { settleMs: 50 }),
    ]);
    // Both see the gap, or (on a loaded machine) one finishes before the other reads and the
    // second finds nothing left: either way the figures below are counted once.
    const repaired = Math.max(...both.map((r) => r.repaired));
    expect(repaired).toBeGreaterThan(0);
    for (const r of both) expect([0, repaired]).toContain(r.repaired);
    const once = await figures(site);
    expect(once).toEqual(await figures(twiceRef));
    expect(await repairRollup(h.ch, site, quarters, { settleMs: 50 })).toMatchObject({
      repaired: 0,
      unsettled: [],
    });
    expect(await figures(site)).toEqual(once);

    // The views' parts turn up after all (copied in by hand): the repairs are now too much, and the
    // next run clears them with rows of zeros…
    await h.ch.command({
      query:
        sql`INSERT INTO queue_quarter SELECT site, queue, quarter, sl_version, offered, answered, abandoned, callbacks, flowed_out, orphaned, answered_wait_ms, answered_within_sl, short_abandoned, answered_wait_hist, abandoned_wait_hist, max_wait_ms, retracted, handled, handled_timed, handle_ms, handled_resolved, transfers, first_responses, first_response_ms, csat_n, csat_good, csat_low, nps_n, nps_promoters, nps_detractors, fcr_n, fcr_yes, available_ms, on_contact_ms, wrap_up_ms, not_ready_ms FROM queue_quarter_repairs FINAL WHERE site = ${site}`
          .text,
    });
    expect((await figures(site)).reduce((n, r) => n + r.offered, 0)).toBe(12); // counted twice
    // …from a process whose clock is far behind the one that wrote them: it still replaces them.
    const cleared = await repairRollup(h.ch, site, quarters, { settleMs: 50, now: () => 1 });
    expect(cleared.repaired).toBe(repaired);
    expect(await figures(site)).toEqual(once);
    const rows = await runQuery(h.ch, rollupCellsCompared, { site, quarters });
    expect(rows.filter((r) => r.src === "repair" && r.sums.some((v) => v !== 0))).toEqual([]);
  });

  it("leaves a quarter whose facts change between its two reads for later, then repairs it", async () => {
    const site = "repair-busy";
    await withViewsDetached([CONTACT_FACTS_TABLE], () =>
      flush(h.ch, makeDeriver(h.ch), morning(site)),
    );
    // While the repair waits between its reads, another visit of 09:30–09:45 is written (without
    // its view, as if in flight): that quarter's facts differ between the reads.
    const busy = await repairRollup(h.ch, site, quarters, {
      settleMs: 0,
      sleep: () =>
        withViewsDetached([CONTACT_FACTS_TABLE], () =>
          flush(h.ch, makeDeriver(h.ch), [
            queued({ site, at: sh("09:32:00"), contact: "c7", queue: "loans" }),
            answered({ site, at: sh("09:33:00"), contact: "c7", queue: "loans" }),
          ]).then(() => {}),
        ),
    });
    expect(busy.unsettled).toEqual([Q("09:30:00")]);
    const loans = async () =>
      (await figures(site)).find(
        (r) => r.queue === "loans" && r.interval_start === "2026-11-02T09:30:00+08:00",
      );
    expect((await loans())?.offered ?? 0).toBe(0); // not repaired yet
    expect(
      (await figures(site)).find(
        (r) => r.queue === "cards" && r.interval_start === "2026-11-02T09:00:00+08:00",
      )?.offered,
    ).toBe(3); // the others were: c1, c2, c3
    await repairRollup(h.ch, site, busy.unsettled, { settleMs: 50 });
    expect(await loans()).toMatchObject({ offered: 2, answered: 2, max_wait_s: 60 });
  });

  it("npm run repair repairs a site's range from the command line, and names a bad argument", async () => {
    const site = "repair-cli";
    await withViewsDetached([CONTACT_FACTS_TABLE], () =>
      flush(h.ch, makeDeriver(h.ch), morning(site)),
    );
    const repair = (...args: string[]) =>
      spawnSync(join(root, "node_modules/.bin/tsx"), ["ingest/src/repair/main.ts", ...args], {
        cwd: root,
        env: childEnv({
          CLICKHOUSE_DATABASE: h.clickhouse.database,
          CLICKHOUSE_URL: h.clickhouse.url,
        }),
        encoding: "utf8",
      });
    const ok = repair(
      "--site",
      site,
      "--from",
      "2026-11-02T08:45:00+08:00",
      "--to",
      "2026-11-02T10:00:00+08:00",
    );
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/repair-cli: 5 quarter hours, \d+ cells compared, [1-9]\d* repaired/);
    expect((await figures(site)).reduce((n, r) => n + r.offered, 0)).toBe(6);

    const bad = repair("--site", site, "--from", "yesterday", "--to", "2026-11-02T10:00:00+08:00");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--from");
  });

  it("compares the last day of every site before a new process's first derivation (one that died with ClickHouse left no list)", async () => {
    const site = "repair-restart";
    // The same morning, moved so that it ended about two hours ago.
    const base = Math.floor((Date.now() - 12 * 3_600_000) / 900_000) * 900_000;
    const recent = (hms: string) => base + Date.parse(`1970-01-01T${hms}Z`);
    await withViewsDetached([CONTACT_FACTS_TABLE, AGENT_INTERVALS_TABLE], () =>
      flush(h.ch, makeDeriver(h.ch), morning(site, "", recent)),
    );
    expect((await figures(site, recent)).reduce((n, r) => n + r.offered, 0)).toBe(0);
    // The next process derives something else entirely; before that it compares the last 24 hours.
    const report = await flush(h.ch, makeDeriver(h.ch, { auditHours: 24, settleMs: 50 }), [
      agentState({
        site: "repair-restart-elsewhere",
        at: Date.now() - 60_000,
        agent: "z1",
        state: "available",
        queues: ["x"],
      }),
    ]);
    expect(report.repairedCells).toBeGreaterThan(5);
    const repaired = await figures(site, recent);
    expect(repaired.reduce((n, r) => n + r.offered, 0)).toBe(6);
    expect(repaired.some((r) => r.occupancy !== null)).toBe(true);
  });
});
