// Alerts end to end (issue #11): events produced to Kafka, ingested into ClickHouse, observed by the
// evaluator in the live snapshot, stored as transitions, read back through /alerts and /breaches.
// The evaluator's clock is the test's: each evaluation is an instant the test chooses, after the
// events it depends on are ingested, so `for` and keep_firing_for are exact, not slept through.
import type {
  AlertList,
  BacktestResult,
  Breach,
  BreachDetail,
  BreachEvidence,
  BreachList,
  Rule,
} from "@floorwatch/contracts";
import { insertRows, SITE_HOURS_TABLE, sql } from "@floorwatch/sql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createRule,
  halfAnHourAgo,
  hourAround,
  slRule,
  useAlertsApi,
  waitRule,
} from "../support/alerts";
import { abandoned, answered, produceAll, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

const S = 1_000;
const site = "alerts-happy";

describe("alerts from produced events", () => {
  const api = useAlertsApi("alerts_happy", { ingest: true, sites: [site] });
  const { at, json } = api;
  const T0 = halfAnHourAgo();

  const alertsOf = async (ruleId: string) =>
    (await json<AlertList>(`/api/v1/alerts?site=${site}`)).alerts.filter(
      (a) => a.rule_id === ruleId,
    );
  const breachesOf = async (ruleId: string) =>
    (await json<BreachList>(`/api/v1/breaches?site=${site}&${hourAround(T0)}&rule=${ruleId}`))
      .breaches;

  let wait: Rule;
  let mutedWait: Rule;
  let thinSl: Rule;
  let guardedSl: Rule;

  beforeAll(async () => {
    // Over 5 min for 60 s fires; back under 240 s for 30 s resolves.
    const rule = { ...waitRule, threshold: 300, recovery_threshold: 240, for_s: 60 };
    // The queues exist once their first events are ingested.
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: T0, contact: "c1", queue: "cards" }),
      queued({ site, at: T0 + 100 * S, contact: "c2", queue: "cards" }),
      queued({ site, at: T0, contact: "l1", queue: "loans" }),
      abandoned({ site, at: T0 + 10 * S, contact: "l1", queue: "loans" }),
      queued({ site, at: T0 + 1 * S, contact: "l2", queue: "loans" }),
      abandoned({ site, at: T0 + 11 * S, contact: "l2", queue: "loans" }),
      queued({ site, at: T0 + 2 * S, contact: "l3", queue: "loans" }),
      abandoned({ site, at: T0 + 12 * S, contact: "l3", queue: "loans" }),
    ]);
    await waitForIngested(api.h, produced);
    wait = await createRule(api.app, site, {
      ...rule,
      name: "cards: nobody waits 5 min",
      severity: "critical",
    });
    mutedWait = await createRule(api.app, site, {
      ...rule,
      name: "muted twin",
      mute_outside_hours: true,
    });
    // Loans' service level under 80 %, firing and resolving at once.
    const sl = {
      ...slRule,
      scope: { kind: "queue" as const, queue: "loans" },
      for_s: 0,
      keep_firing_for_s: 0,
    };
    guardedSl = await createRule(api.app, site, {
      ...sl,
      name: "loans SL, 20 offered",
      min_volume: 20,
    });
    thinSl = await createRule(api.app, site, { ...sl, name: "loans SL, 2 offered", min_volume: 2 });
    // The site is closed all week from long ago: the muted twin is outside business hours.
    await insertRows(api.h.ch, SITE_HOURS_TABLE, [
      { site, version: 1, valid_from_ms: 0, weekly: "[]", created_ms: 1, created_by: "test" },
    ]);
  });

  it("fires exactly once after `for`, stays firing inside the hysteresis band, resolves once", async () => {
    await at(T0 + 299 * S);
    expect(await alertsOf(wait.id)).toEqual([]);
    await at(T0 + 301 * S); // past 300 s: pending
    expect((await alertsOf(wait.id)).map((a) => a.state)).toEqual(["pending"]);
    await at(T0 + 330 * S);
    await at(T0 + 360 * S); // 59 s of `for`: still pending
    expect((await alertsOf(wait.id)).map((a) => a.state)).toEqual(["pending"]);
    await at(T0 + 362 * S); // 61 s: firing
    const [firing] = await alertsOf(wait.id);
    expect(firing).toMatchObject({
      state: "firing",
      value: 362,
      rule_version: 1,
      severity: "critical",
    });
    expect(firing!.scope).toMatchObject({ key: "queue:cards", queue: "cards" });

    // c1 answered: c2 has waited 270 s, inside the band (240 < 270 ≤ 300): still firing.
    let produced = await produceAll(api.h.kafka, api.h.config.topics, [
      answered({ site, at: T0 + 370 * S, contact: "c1", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    await at(T0 + 371 * S);
    await at(T0 + 375 * S);
    expect((await alertsOf(wait.id)).map((a) => [a.state, a.value])).toEqual([["firing", 275]]);

    // c2 answered: nobody waits; resolved after keep_firing_for (30 s), not before.
    produced = await produceAll(api.h.kafka, api.h.config.topics, [
      answered({ site, at: T0 + 380 * S, contact: "c2", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    await at(T0 + 381 * S);
    await at(T0 + 410 * S);
    expect((await alertsOf(wait.id)).map((a) => a.state)).toEqual(["firing"]);
    await at(T0 + 412 * S);
    expect(await alertsOf(wait.id)).toEqual([]);
    await at(T0 + 420 * S);

    const breaches = await breachesOf(wait.id);
    expect(breaches).toHaveLength(1);
    const b = breaches[0] as Breach;
    expect(b).toMatchObject({
      id: firing!.id,
      rule_version: 1,
      threshold: 300,
      recovery_threshold: 240,
      pending_since: new Date(T0 + 301 * S).toISOString(),
      started_at: new Date(T0 + 362 * S).toISOString(),
      ended_at: new Date(T0 + 412 * S).toISOString(),
      // The worst value observed: 362 s, when it fired (c1, answered at 370 s, was not seen later).
      peak: 362,
      peak_at: new Date(T0 + 362 * S).toISOString(),
      duration_s: 50,
    });
    const detail = await json<BreachDetail>(`/api/v1/breaches/${b.id}?site=${site}`);
    expect(detail.transitions.map((t) => t.kind)).toEqual(["pending", "firing", "resolved"]);
    // Each transition stored once: nothing written twice by the evaluator.
    const rows = await api.h.ch.query({
      query:
        sql`SELECT kind, count() AS n FROM alert_transitions WHERE alert_id = ${b.id} GROUP BY kind ORDER BY kind`
          .text,
      format: "JSONEachRow",
    });
    expect(await rows.json()).toEqual([
      { kind: "firing", n: "1" },
      { kind: "pending", n: "1" },
      { kind: "resolved", n: "1" },
    ]);
  });

  it("does not refire on a late event that changes a past figure, but shows it on the breach", async () => {
    const [b] = await breachesOf(wait.id);
    // c0 waited from before c1 until after the breach: at its peak, the longest wait was c0's.
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: T0 - 10 * S, contact: "c0", queue: "cards" }),
      answered({ site, at: T0 + 400 * S, contact: "c0", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    await at(T0 + 430 * S);
    await at(T0 + 500 * S);
    expect(await alertsOf(wait.id)).toEqual([]);
    expect(await breachesOf(wait.id)).toHaveLength(1);
    const detail = await json<BreachDetail>(`/api/v1/breaches/${b!.id}?site=${site}`);
    expect(detail).toMatchObject({ peak: 362, peak_now: 372, restated: true });

    // Its evidence: exactly the visits waiting at the peak, c0 now among them.
    const evidence = await json<BreachEvidence>(detail.drill);
    expect(evidence.value).toBe(372);
    expect(evidence.at).toBe(new Date(T0 + 362 * S).toISOString());
    expect(evidence.visits.map((v) => v.contact_id).sort()).toEqual(["c0", "c1", "c2"]);
  });

  it("backtests the same rule over the stored history, stepping at the evaluator's interval", async () => {
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 600 * S).toISOString();
    const r = await json<BacktestResult>(
      `/api/v1/rules/${wait.id}/backtest?site=${site}&from=${from}&to=${to}&step_s=1`,
      { method: "POST" },
    );
    expect(r.steps).toBe(600);
    // As stored now (c0 included): past 300 s from T0 + 291 (c0 queued at T0 − 10 s), firing 60 s
    // later; c0 answered at 400 and c2 at 380 leave nobody: recovered at 400, resolved at 430.
    expect(r.firings).toEqual([
      {
        scope: { key: "queue:cards", queue: "cards", channel: "voice", survey_id: null },
        pending_since: new Date(T0 + 291 * S).toISOString(),
        fired_at: new Date(T0 + 351 * S).toISOString(),
        resolved_at: new Date(T0 + 430 * S).toISOString(),
        peak: 409,
        peak_at: new Date(T0 + 399 * S).toISOString(),
      },
    ]);
  });

  it("holds a muted rule off outside business hours while its unmuted twin fires", async () => {
    expect(await breachesOf(wait.id)).toHaveLength(1);
    expect(await breachesOf(mutedWait.id)).toEqual([]);
  });

  it("holds a service-level alert off on 3 calls under a volume guard of 20", async () => {
    // Three abandoned calls: a service level of 0 %. The guard of 20 holds; the guard of 2 does not.
    expect(await breachesOf(guardedSl.id)).toEqual([]);
    const thin = await breachesOf(thinSl.id);
    expect(thin).toHaveLength(1);
    expect(thin[0]).toMatchObject({ peak: 0, threshold: 0.8 });
  });
});
