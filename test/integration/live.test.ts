// The live snapshot through the whole path (Kafka → ingest → facts → GET /api/v1/live): waiting,
// longest wait, breaching_soon, agents by state, and the 15-minute, 60-minute and day windows, all
// ending at the snapshot's as_of. Expected values are worked out by hand from times relative to a
// base instant; those that depend on the exact as_of are computed from it.
import { createApp } from "@floorwatch/api";
import { intervalStart, wallClock, type LiveSnapshot } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abandoned, agentState, answered, produceAll, queued } from "../support/events";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";

const MIN = 60_000;

describe("the live snapshot of a site", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let app: ReturnType<typeof createApp>;
  const site = "live-fixtures";
  const base = Date.now();

  const live = async (): Promise<LiveSnapshot> => {
    const res = await app.request(`/api/v1/live?site=${site}`, asAdmin);
    expect(res.status).toBe(200);
    return (await res.json()) as LiveSnapshot;
  };

  beforeAll(async () => {
    h = await createHarness("live");
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    app = createApp({ ch: h.ch, log: h.log, liveTtlMs: 0, adminToken: TEST_ADMIN_TOKEN });
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: base - 30_000, contact: "w1", queue: "cards" }), // waiting 30 s: past T = 20 s
      queued({ site, at: base - 12_000, contact: "w2", queue: "cards" }), // 12 s: past T within 10 s
      queued({ site, at: base - 5_000, contact: "w3", queue: "cards" }), // 5 s: not yet
      queued({ site, at: base - 20 * MIN, contact: "d1", queue: "cards" }),
      answered({ site, at: base - 19 * MIN, contact: "d1", queue: "cards" }), // 60 s, 19 min ago: 60m window only
      queued({ site, at: base - 5 * MIN, contact: "d2", queue: "cards" }),
      answered({ site, at: base - 5 * MIN + 10_000, contact: "d2", queue: "cards" }), // 10 s, in both windows
      queued({ site, at: base - 13 * 60 * MIN, contact: "old", queue: "cards" }), // 13 h: orphaned, not waiting
      queued({ site, at: base - 60_000, contact: "l1", queue: "loans" }),
      agentState({ site, at: base - 10 * MIN, agent: "a1", state: "available", queues: ["cards"] }),
      agentState({
        site,
        at: base - 2 * MIN,
        agent: "a2",
        state: "on_contact",
        queues: ["cards", "loans"],
      }),
      agentState({
        site,
        at: base - 3 * MIN,
        agent: "a3",
        state: "not_ready",
        queues: ["loans"],
        reason: "break",
      }),
      agentState({ site, at: base - 30 * MIN, agent: "a4", state: "available", queues: ["cards"] }),
      agentState({ site, at: base - 20 * MIN, agent: "a4", state: "logged_out" }),
    ]);
    await waitForIngested(h);
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("counts who is waiting now, the longest wait and who breaches T within 10 s", async () => {
    const s = await live();
    const asOf = Date.parse(s.as_of);
    const cards = s.queues.find((q) => q.queue === "cards")!;
    expect(cards.waiting).toBe(3); // w1 w2 w3; "old" is past the 12 h orphan horizon
    expect(cards.longest_waiting_s).toBeCloseTo((asOf - (base - 30_000)) / 1000, 6);
    // w1 (30 s) and w2 (12 s + 10 s > 20 s); w3 too once more than 5 s passed since `base`, as
    // under load (setting up and ingesting can take that long): judged at as_of, as the API does.
    const breaching = [30_000, 12_000, 5_000].filter(
      (ago) => asOf - (base - ago) + 10_000 > 20_000,
    );
    expect(breaching.length).toBeGreaterThanOrEqual(2);
    expect(cards.breaching_soon).toBe(breaching.length);
    expect(cards.definition).toEqual({
      version: 1,
      sl_threshold_s: 20,
      short_abandon_s: 5,
      sl_target: 0.8,
    });
    expect(s.queues.find((q) => q.queue === "loans")).toMatchObject({
      waiting: 1,
      breaching_soon: 1,
    }); // l1: 60 s
  });

  it("counts agents by their current state in every queue they serve", async () => {
    const s = await live();
    expect(s.queues.find((q) => q.queue === "cards")!.agents).toEqual({
      available: 1,
      on_contact: 1,
      wrap_up: 0,
      not_ready: 0,
      logged_in: 2,
    });
    expect(s.queues.find((q) => q.queue === "loans")!.agents).toEqual({
      available: 0,
      on_contact: 1,
      wrap_up: 0,
      not_ready: 1,
      logged_in: 2,
    });
  });

  it("computes the sliding windows to the millisecond, each with every figure", async () => {
    const s = await live();
    const asOf = Date.parse(s.as_of);
    const cards = s.queues.find((q) => q.queue === "cards")!;
    // 15 minutes: d2 only (10 s ≤ 20 s).
    expect(cards.windows["15m"]).toMatchObject({
      offered: 1,
      answered: 1,
      asa_s: 10,
      service_level: 1,
      max_wait_s: 10,
    });
    // 60 minutes: d1 (60 s) and d2 (10 s): ASA 35 s, service level 1 / 2.
    expect(cards.windows["60m"]).toMatchObject({
      offered: 2,
      answered: 2,
      asa_s: 35,
      service_level: 0.5,
      max_wait_s: 60,
    });
    // Occupancy over 15 minutes: a1 available since base − 10 min, a2 on contact since base − 2 min,
    // a4 logged out before the window: busy / (busy + available).
    const available = asOf - (base - 10 * MIN);
    const busy = asOf - (base - 2 * MIN);
    expect(cards.windows["15m"].occupancy).toBeCloseTo(busy / (busy + available), 9);
    // 60 minutes also holds a4's 10 available minutes (base − 30 min to base − 20 min).
    expect(cards.windows["60m"].occupancy).toBeCloseTo(busy / (busy + available + 10 * MIN), 9);
    // The day so far (the site's own midnight, Asia/Shanghai = UTC+8) holds whichever of d1 and d2
    // ended after it: the same figures as the windows when both did.
    const midnight =
      Math.floor((asOf + 8 * 60 * MIN) / (24 * 60 * MIN)) * 24 * 60 * MIN - 8 * 60 * MIN;
    const endedToday = [base - 19 * MIN, base - 5 * MIN + 10_000].filter(
      (t) => t >= midnight,
    ).length;
    expect(cards.windows.today.offered).toBe(endedToday);
  });

  // The windows sum the stored fact rows, retractions (−1) included, which is exact for every sum
  // but not for a maximum: the retracted wait's +1 row is still stored.
  it("takes a window's longest wait from the facts a late event left, not from the one it retracted", async () => {
    const mortgages = async () => (await live()).queues.find((q) => q.queue === "mortgages");
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: base - 8 * MIN, contact: "r1", queue: "mortgages" }),
      abandoned({ site, at: base - 6 * MIN, contact: "r1", queue: "mortgages" }), // 120 s, abandoned
    ]);
    await waitForIngested(h);
    expect((await mortgages())?.windows["15m"]).toMatchObject({ abandoned: 1, max_wait_s: 120 });
    // An answer at 60 s arrives late: the visit ended then, answered; its abandoned fact is retracted.
    await produceAll(h.kafka, h.config.topics, [
      answered({ site, at: base - 7 * MIN, contact: "r1", queue: "mortgages" }),
    ]);
    await waitForIngested(h);
    for (const w of ["15m", "60m"] as const)
      expect((await mortgages())!.windows[w]).toMatchObject({
        offered: 1,
        answered: 1,
        abandoned: 0,
        asa_s: 60,
        max_wait_s: 60,
      });
  });

  // The day's closed quarter hours are kept between snapshots while the rollup's parts stay the
  // same: a late visit ending in one of them must show in "today" at once.
  it("counts a late visit of an earlier quarter hour of today in the day window at once", async () => {
    // A site where it is midday now, so that today has closed quarter hours whatever the hour here.
    const zones = [
      "Pacific/Kiritimati",
      "Asia/Tokyo",
      "Asia/Shanghai",
      "Asia/Kolkata",
      "Europe/Moscow",
      "Europe/Berlin",
      "UTC",
      "America/Sao_Paulo",
      "America/New_York",
      "America/Chicago",
      "America/Los_Angeles",
      "Pacific/Honolulu",
    ];
    const now = Date.now();
    const tz = zones.reduce((best, z) =>
      Math.abs(wallClock(z, now).h - 12) < Math.abs(wallClock(best, now).h - 12) ? z : best,
    );
    const late = "live-late";
    await defineSite(h.ch, late, tz);
    const quarterStart = Math.floor(now / (15 * MIN)) * 15 * MIN;
    expect(quarterStart - 30 * MIN).toBeGreaterThan(intervalStart(tz, "1d", now));
    const today = async () => {
      const res = await app.request(`/api/v1/live?site=${late}`, asAdmin);
      return (
        ((await res.json()) as LiveSnapshot).queues.find((q) => q.queue === "cards")?.windows.today
          .offered ?? 0
      );
    };
    await produceAll(h.kafka, h.config.topics, [
      queued({ site: late, at: quarterStart - 20 * MIN, contact: "e1", queue: "cards" }),
      answered({ site: late, at: quarterStart - 20 * MIN + 10_000, contact: "e1", queue: "cards" }),
    ]);
    await waitForIngested(h);
    expect(await today()).toBe(1);
    expect(await today()).toBe(1); // read again: the same parts, the kept sums
    await produceAll(h.kafka, h.config.topics, [
      queued({ site: late, at: quarterStart - 30 * MIN, contact: "e2", queue: "cards" }),
      answered({ site: late, at: quarterStart - 30 * MIN + 10_000, contact: "e2", queue: "cards" }),
    ]);
    // Once derived, at once: not after the kept sums of the closed quarters age out.
    await waitForIngested(h);
    expect(await today()).toBe(2);
  });

  // Last, as it changes the site's configuration: a version created now for an instant already
  // past (T 20 s → 90 s from two hours ago) judges the visits derived under version 1 again.
  it("judges the windows by a version created for an instant already past", async () => {
    const twoHoursAgo = Math.floor((base - 120 * MIN) / (15 * MIN)) * 15 * MIN;
    await defineQueues(h.ch, site, [
      {
        queue: "cards",
        version: 2,
        valid_from_ms: twoHoursAgo,
        sl_threshold_s: 90,
        created_ms: Date.now(),
      },
    ]);
    const cards = (await live()).queues.find((q) => q.queue === "cards")!;
    expect(cards.definition).toEqual({
      version: 2,
      sl_threshold_s: 90,
      short_abandon_s: 5,
      sl_target: 0.8,
    });
    // d1 waited 60 s: outside T = 20 s, inside T = 90 s.
    expect(cards.windows["60m"]).toMatchObject({
      offered: 2,
      answered: 2,
      answered_within_sl: 2,
      service_level: 1,
    });
    expect(cards.windows["15m"]).toMatchObject({ offered: 1, answered_within_sl: 1 });
  });
});
