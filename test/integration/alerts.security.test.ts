// Alerts, breaches and acknowledgements against misuse (issue #11): a TV (display token) sees the
// alerts firing on its own floor and nothing of their record or evidence; an integration reads
// alerts and breaches but never the contacts behind them; only admins and supervisors of the site
// acknowledge. A real firing alert at each of two sites, driven by the evaluator at chosen instants.
import {
  type Alert,
  AlertList,
  BreachDetail,
  BreachList,
  ErrorEnvelope,
  LiveSnapshot,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { halfAnHourAgo, hourAround, useAlertsApi } from "../support/alerts";
import { asAdmin, bearer, storedToken } from "../support/api";
import { produceAll, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

const S = 1_000;
const A = "alerts-sec-a";
const B = "alerts-sec-b";

describe("alert security", () => {
  const api = useAlertsApi("alerts_security", { ingest: true, sites: [A, B] });
  const T0 = halfAnHourAgo();
  const range = hourAround(T0);
  /** The default rule "longest-wait" firing over queue cards, at each site. */
  let firingA: Alert;
  let firingB: Alert;
  const tokens = {} as Record<
    "displayA" | "integrationA" | "qaA" | "supervisorA" | "supervisorB",
    string
  >;

  const get = (path: string, token?: string) =>
    api.app.request(path, token ? { headers: bearer(token) } : {});
  const ack = (alert: Alert, token: string | undefined, site = alert.site) =>
    api.app.request(`/api/v1/alerts/${alert.id}/ack`, {
      method: "POST",
      body: JSON.stringify({ site, note: "on it" }),
      headers: { ...(token ? bearer(token) : {}), "content-type": "application/json" },
    });
  const status = async (res: Promise<Response> | Response) => (await res).status;

  beforeAll(async () => {
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site: A, at: T0, contact: "a1", queue: "cards" }),
      queued({ site: B, at: T0, contact: "b1", queue: "cards" }),
    ]);
    await waitForIngested(api.h, produced);
    // Past 300 s of waiting: the default rule fires at once (its `for` is 0).
    await api.at(T0 + 400 * S);
    const firing = async (site: string) => {
      const list = AlertList.parse(
        await (await api.app.request(`/api/v1/alerts?site=${site}`, asAdmin)).json(),
      );
      const alert = list.alerts.find((a) => a.rule_id === "longest-wait");
      expect(alert, JSON.stringify(list)).toMatchObject({ state: "firing", site });
      return alert!;
    };
    firingA = await firing(A);
    firingB = await firing(B);
    for (const [name, role, site] of [
      ["displayA", "display", A],
      ["integrationA", "integration", A],
      ["qaA", "qa", A],
      ["supervisorA", "supervisor", A],
      ["supervisorB", "supervisor", B],
    ] as const)
      tokens[name] = (await storedToken(api.h.ch, role, { sites: [site] })).token;
  });

  it("refuses every alert route without a token", async () => {
    for (const path of [
      `/api/v1/alerts?site=${A}`,
      `/api/v1/breaches?site=${A}&${range}`,
      `/api/v1/breaches/${firingA.id}?site=${A}`,
      firingA.drill,
    ])
      expect(await status(get(path)), path).toBe(401);
    expect(await status(ack(firingA, undefined))).toBe(401);
    expect(await status(get(`/api/v1/alerts?site=${A}`, "fw_nonsense"))).toBe(401);
  });

  it("shows a TV the alerts firing on its own floor", async () => {
    const res = await get(`/api/v1/alerts?site=${A}`, tokens.displayA);
    expect(res.status).toBe(200);
    const list = AlertList.parse(await res.json());
    expect(list.alerts.map((a) => a.id)).toContain(firingA.id);
    expect(list.alerts.every((a) => a.site === A)).toBe(true);
    expect(await status(get(`/api/v1/alerts?site=${A}&state=firing`, tokens.displayA))).toBe(200);
  });

  it("refuses a TV another floor's alerts, and the record, evidence and rules of its own", async () => {
    const tv = tokens.displayA;
    for (const path of [
      `/api/v1/alerts?site=${B}`,
      `/api/v1/breaches?site=${A}&${range}`,
      `/api/v1/breaches/${firingA.id}?site=${A}`,
      `/api/v1/rules?site=${A}`,
      `/api/v1/rules/longest-wait?site=${A}`,
      `/api/v1/followups?site=${A}`,
    ])
      expect(await status(get(path, tv)), path).toBe(403);
    expect(await status(ack(firingA, tv))).toBe(403);
  });

  // The drill link (/breaches/:id/evidence) opens contacts: a TV and an integration get a 403.
  it("never gives a TV the evidence behind an alert", async () => {
    expect(firingA.drill).toBe(`/api/v1/breaches/${firingA.id}/evidence?site=${A}`);
    expect(await status(get(firingA.drill, tokens.displayA))).toBe(403);
  });

  it("lets an integration read alerts and breaches but not the contacts behind them", async () => {
    const integration = tokens.integrationA;
    expect(await status(get(`/api/v1/alerts?site=${A}`, integration))).toBe(200);
    const res = await get(`/api/v1/breaches?site=${A}&${range}`, integration);
    expect(res.status).toBe(200);
    const breaches = BreachList.parse(await res.json()).breaches;
    expect(breaches.map((b) => b.id)).toContain(firingA.id);
    const one = await get(`/api/v1/breaches/${firingA.id}?site=${A}`, integration);
    expect(one.status).toBe(200);
    expect(BreachDetail.parse(await one.json()).id).toBe(firingA.id);

    expect(
      await status(
        get(`/api/v1/contacts?site=${A}&queue=cards&from=2026-11-01&to=2026-11-02`, integration),
      ),
    ).toBe(403);
    expect(await status(get(firingA.drill, integration))).toBe(403);
    expect(await status(get(`/api/v1/alerts?site=${B}`, integration))).toBe(403);
    expect(await status(get(`/api/v1/breaches?site=${B}&${range}`, integration))).toBe(403);
    expect(await status(ack(firingA, integration))).toBe(403);
  });

  it("lets QA read alerts and breaches but not acknowledge them", async () => {
    expect(await status(get(`/api/v1/alerts?site=${A}`, tokens.qaA))).toBe(200);
    expect(await status(get(`/api/v1/breaches?site=${A}&${range}`, tokens.qaA))).toBe(200);
    const res = await ack(firingA, tokens.qaA);
    expect(res.status).toBe(403);
    expect(ErrorEnvelope.parse(await res.json()).error.message).toContain("alerts.ack");
  });

  it("refuses a supervisor another site's alerts and breaches, whichever site the request names", async () => {
    const sup = tokens.supervisorA;
    expect(await status(get(`/api/v1/alerts?site=${B}`, sup))).toBe(403);
    expect(await status(get(`/api/v1/breaches?site=${B}&${range}`, sup))).toBe(403);
    expect(await status(get(`/api/v1/breaches/${firingB.id}?site=${B}`, sup))).toBe(403);
    expect(await status(ack(firingB, sup))).toBe(403);
    // B's alert named as one of A's: not there, and nothing of it shown.
    const asOwn = await get(`/api/v1/breaches/${firingB.id}?site=${A}`, sup);
    expect(asOwn.status).toBe(404);
    expect(await asOwn.text()).not.toContain(B);
    expect(await status(ack(firingB, sup, A))).toBe(404);
    // Site B's supervisor acknowledges B's alert; A's list does not show it.
    expect(await status(ack(firingB, tokens.supervisorB))).toBe(200);
    const listA = AlertList.parse(await (await get(`/api/v1/alerts?site=${A}`, sup)).json());
    expect(listA.alerts.find((a) => a.id === firingA.id)?.acknowledged).toBeNull();
  });

  it("carries the firing alerts of a TV's own site in its live snapshot, and no other site's", async () => {
    const res = await get(`/api/v1/live?site=${A}`, tokens.displayA);
    expect(res.status).toBe(200);
    const snap = LiveSnapshot.parse(await res.json());
    expect(snap.alerts?.map((a) => a.id)).toContain(firingA.id);
    expect(snap.alerts?.every((a) => a.site === A)).toBe(true);
    expect(JSON.stringify(snap)).not.toContain(firingB.id);
    expect(await status(get(`/api/v1/live?site=${B}`, tokens.displayA))).toBe(403);
  });

  it("carries the firing alerts of a TV's own site in its live stream, and no other site's", async () => {
    expect(await status(get(`/api/v1/live/stream?site=${B}`, tokens.displayA))).toBe(403);
    const res = await get(`/api/v1/live/stream?site=${A}`, tokens.displayA);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let data: string | undefined;
    try {
      while (data === undefined) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        const frame = text.split("\n\n").find((f) => f.includes("event: snapshot\n"));
        data = frame
          ?.split("\n")
          .find((l) => l.startsWith("data: "))
          ?.slice(6);
      }
    } finally {
      await reader.cancel();
    }
    const snap = LiveSnapshot.parse(JSON.parse(data!));
    expect(snap.site).toBe(A);
    expect(snap.alerts?.find((a) => a.id === firingA.id)).toMatchObject({ state: "firing" });
    expect(snap.alerts?.every((a) => a.site === A)).toBe(true);
    expect(text).not.toContain(firingB.id);
  });
});
