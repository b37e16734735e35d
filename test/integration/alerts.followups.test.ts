// The per-item rule of issue #11: a low satisfaction score not followed up within 24 h is a breach
// of the default rule `low-score-followup`, beginning at its due time; a late outbound call that
// met it before the due time ends it, and the live snapshot carries the alert while it fires.
import type { AlertList, BreachList, LiveSnapshot } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { useAlertsApi } from "../support/alerts";
import { asAdmin } from "../support/api";
import { answered, produceAll, queued, survey } from "../support/events";
import { waitForIngested } from "../support/ingested";

const H = 3_600_000;
const site = "alerts-followups";

describe("low scores not followed up", () => {
  const api = useAlertsApi("alerts_followups", {
    ingest: true,
    sites: [site],
    // The wall clock, not the test's; follow-ups are checked at every evaluation here, not every 10 s.
    app: { now: Date.now, alerts: { followupEveryMs: 0 } },
  });
  const now = Date.now();
  const surveyedAt = now - 26 * H; // due 2 h ago

  const get = async <T>(path: string): Promise<T> => {
    const res = await api.app.request(path, asAdmin);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const followupAlerts = async () =>
    (await get<AlertList>(`/api/v1/alerts?site=${site}`)).alerts.filter(
      (a) => a.rule_id === "low-score-followup",
    );

  beforeAll(async () => {
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: surveyedAt - 600_000, contact: "c1", queue: "cards", customer: "k-1" }),
      answered({ site, at: surveyedAt - 500_000, contact: "c1", queue: "cards" }),
      survey({ site, at: surveyedAt, contact: "c1", queue: "cards", survey: "s1", csat: 1 }),
      // A second low score, of a contact without a customer id: untrackable, never an alert.
      queued({ site, at: surveyedAt - 600_000, contact: "c2", queue: "cards" }),
      answered({ site, at: surveyedAt - 500_000, contact: "c2", queue: "cards" }),
      survey({ site, at: surveyedAt, contact: "c2", queue: "cards", survey: "s2", csat: 2 }),
    ]);
    await waitForIngested(api.h, produced);
  });

  it("fires one alert per overdue follow-up, from its due time, carried by the live snapshot", async () => {
    await api.evaluator.tickOnce();
    const alerts = await followupAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      state: "firing",
      scope: { key: "survey:s1", survey_id: "s1", queue: "cards" },
      since: new Date(surveyedAt + 24 * H).toISOString(),
      fired_at: new Date(surveyedAt + 24 * H).toISOString(),
    });
    const live = await get<LiveSnapshot>(`/api/v1/live?site=${site}`);
    expect(live.alerts?.map((a) => a.id)).toContain(alerts[0]!.id);
  });

  it("ends the breach when a late outbound call shows the customer was called back in time", async () => {
    const [alert] = await followupAlerts();
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({
        site,
        at: surveyedAt + 3 * H,
        contact: "callback-1",
        queue: "outbound",
        customer: "k-1",
        outbound: true,
      }),
    ]);
    await waitForIngested(api.h, produced);
    await api.evaluator.tickOnce();
    expect(await followupAlerts()).toEqual([]);
    const { breaches } = await get<BreachList>(
      `/api/v1/breaches?site=${site}&from=${new Date(now - 48 * H).toISOString()}&to=${new Date(now + H).toISOString()}&rule=low-score-followup`,
    );
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ id: alert!.id, scope: { survey_id: "s1" } });
    expect(breaches[0]!.ended_at).not.toBeNull();
  });
});
