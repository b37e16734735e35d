// Acknowledging an alert (issue #11): a supervisor takes on a firing alert with a note; the alert,
// its breach, the live snapshot and the audit log say who, when and why, and the latest
// acknowledgement is the one shown, also once the breach is over. A real alert, fired by the
// evaluator at instants the test chooses after its events are ingested.
import {
  type Alert,
  AlertList,
  AuditList,
  BreachDetail,
  BreachList,
  LiveSnapshot,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { halfAnHourAgo, hourAround, useAlertsApi } from "../support/alerts";
import { asAdmin, bearer, storedToken } from "../support/api";
import { answered, produceAll, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

const S = 1_000;
const site = "alerts-ack";

describe("acknowledging an alert", () => {
  const api = useAlertsApi("alerts_ack_happy", { ingest: true, sites: [site] });
  const { at } = api;
  const T0 = halfAnHourAgo();
  const range = hourAround(T0);
  let supervisor: string;
  let firing: Alert;

  const ack = (id: string, note: string, token = supervisor) =>
    api.app.request(`/api/v1/alerts/${id}/ack`, {
      method: "POST",
      body: JSON.stringify({ site, note }),
      headers: { ...bearer(token), "content-type": "application/json" },
    });
  const alerts = async () =>
    AlertList.parse(await (await api.app.request(`/api/v1/alerts?site=${site}`, asAdmin)).json())
      .alerts;
  const breach = async (id: string) => {
    const list = BreachList.parse(
      await (await api.app.request(`/api/v1/breaches?site=${site}&${range}`, asAdmin)).json(),
    );
    const detail = BreachDetail.parse(
      await (await api.app.request(`/api/v1/breaches/${id}?site=${site}`, asAdmin)).json(),
    );
    return { listed: list.breaches.find((b) => b.id === id), detail };
  };

  beforeAll(async () => {
    supervisor = (
      await storedToken(api.h.ch, "supervisor", { sites: [site], name: "王主管 (cards floor)" })
    ).token;
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: T0, contact: "c1", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    // c1 has waited 400 s: the default "longest-wait" (> 300 s, no `for`) fires at once.
    await at(T0 + 400 * S);
    const found = (await alerts()).find((a) => a.rule_id === "longest-wait");
    expect(found).toMatchObject({ state: "firing", acknowledged: null });
    firing = found!;
  });

  it("records a supervisor's acknowledgement with a note, and answers with it", async () => {
    api.clock = T0 + 420 * S;
    const res = await ack(firing.id, "  calling in two agents from loans  ");
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      id: firing.id,
      site,
      acknowledged: {
        by: "王主管 (cards floor)",
        at: new Date(T0 + 420 * S).toISOString(),
        note: "calling in two agents from loans",
      },
    });
  });

  it("shows who acknowledged the alert, when and why, in the alerts and the live snapshot", async () => {
    const expected = {
      by: "王主管 (cards floor)",
      at: new Date(T0 + 420 * S).toISOString(),
      note: "calling in two agents from loans",
    };
    expect((await alerts()).find((a) => a.id === firing.id)).toMatchObject({
      state: "firing",
      acknowledged: expected,
    });
    const snap = LiveSnapshot.parse(
      await (await api.app.request(`/api/v1/live?site=${site}`, asAdmin)).json(),
    );
    expect(snap.alerts?.find((a) => a.id === firing.id)?.acknowledged).toEqual(expected);
    // Acknowledged is not resolved: the next evaluation keeps it firing, acknowledgement and all.
    await at(T0 + 430 * S);
    expect((await alerts()).find((a) => a.id === firing.id)).toMatchObject({
      state: "firing",
      acknowledged: expected,
    });
  });

  it("shows the acknowledgement on the breach, in the list and in its detail", async () => {
    const { listed, detail } = await breach(firing.id);
    const expected = {
      by: "王主管 (cards floor)",
      at: new Date(T0 + 420 * S).toISOString(),
      note: "calling in two agents from loans",
    };
    expect(listed?.acknowledged).toEqual(expected);
    expect(detail.acknowledged).toEqual(expected);
  });

  it("shows the latest acknowledgement, also once the breach is over", async () => {
    api.clock = T0 + 440 * S;
    const admin = asAdmin.headers.authorization.slice(7);
    expect((await ack(firing.id, "two agents moved; watching", admin)).status).toBe(200);
    const latest = {
      by: "ADMIN_TOKEN",
      at: new Date(T0 + 440 * S).toISOString(),
      note: "two agents moved; watching",
    };
    expect((await alerts()).find((a) => a.id === firing.id)?.acknowledged).toEqual(latest);

    // c1 answered: resolved after the rule's keep_firing_for (30 s).
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      answered({ site, at: T0 + 450 * S, contact: "c1", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    await at(T0 + 451 * S);
    await at(T0 + 482 * S);
    expect((await alerts()).map((a) => a.id)).not.toContain(firing.id);
    const { listed, detail } = await breach(firing.id);
    expect(listed).toMatchObject({ ended_at: new Date(T0 + 482 * S).toISOString() });
    expect(listed?.acknowledged).toEqual(latest);
    expect(detail.acknowledged).toEqual(latest);
  });

  it("records each acknowledgement in the audit log as alert.ack, with its note", async () => {
    const res = await api.app.request(
      `/api/v1/audit?${range}&site=${site}&action=alert.ack`,
      asAdmin,
    );
    expect(res.status).toBe(200);
    const { entries } = AuditList.parse(await res.json());
    expect(
      entries.map((e) => ({
        at: e.at,
        actor: e.actor.name,
        role: e.actor.role,
        target: e.target,
        detail: e.detail,
      })),
    ).toEqual([
      {
        at: new Date(T0 + 440 * S).toISOString(),
        actor: "ADMIN_TOKEN",
        role: "admin",
        target: firing.id,
        detail: { note: "two agents moved; watching" },
      },
      {
        at: new Date(T0 + 420 * S).toISOString(),
        actor: "王主管 (cards floor)",
        role: "supervisor",
        target: firing.id,
        detail: { note: "calling in two agents from loans" },
      },
    ]);
  });
});
