// Follow-ups against misuse: only roles with "alerts" on the site read them; an integration reads
// follow-ups but never the contacts behind them; phone numbers stay masked for every token, those
// granted personal data included; hostile strings inert.
import { type Event, FollowupList } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, useApi } from "../support/api";
import { answered, produceAll, queued, survey } from "../support/events";
import { INJECTIONS } from "../support/hostile-strings";
import { waitForIngested } from "../support/ingested";

describe("follow-up security", () => {
  const api = useApi("followups_security", { ingest: true });
  const site = "fu-sec";
  const url = `/api/v1/followups?site=${site}`;
  const t = Date.now() - 3_600_000;

  beforeAll(async () => {
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      {
        ...queued({ site, at: t - 60_000, contact: "p1", queue: "cards" }),
        customer: { id: "cu-p1", phone: "13812345678" },
      } as Event,
      answered({ site, at: t - 50_000, contact: "p1", queue: "cards" }),
      survey({ site, at: t, contact: "p1", queue: "cards", survey: "s-p1", csat: 1 }),
    ]);
    await waitForIngested(api.h, produced);
    const res = await api.app.request(url, asAdmin);
    expect(FollowupList.parse(await res.json()).followups).toHaveLength(1);
  });

  it("refuses a request without a token, or with one that is not a token", async () => {
    expect((await api.app.request(url)).status).toBe(401);
    expect((await api.app.request(url, { headers: bearer("fw_nonsense") })).status).toBe(401);
  });

  it("refuses a display token: a TV shows alerts firing, not their records", async () => {
    const tv = await storedToken(api.h.ch, "display", { sites: [site] });
    expect((await api.app.request(url, { headers: bearer(tv.token) })).status).toBe(403);
  });

  it("refuses a supervisor of another site, before telling whether the site exists", async () => {
    const other = await storedToken(api.h.ch, "supervisor", { sites: ["elsewhere"] });
    expect((await api.app.request(url, { headers: bearer(other.token) })).status).toBe(403);
    expect(
      (await api.app.request("/api/v1/followups?site=nowhere", { headers: bearer(other.token) }))
        .status,
    ).toBe(403);
  });

  it("lets an integration read follow-ups but not the contacts behind them", async () => {
    const integration = await storedToken(api.h.ch, "integration", { sites: [site] });
    const res = await api.app.request(url, { headers: bearer(integration.token) });
    expect(res.status).toBe(200);
    const f = FollowupList.parse(await res.json()).followups[0]!;
    expect(f.survey_id).toBe("s-p1");
    expect((await api.app.request(f.contact, { headers: bearer(integration.token) })).status).toBe(
      403,
    );
    expect(
      (
        await api.app.request(
          `/api/v1/contacts?site=${site}&queue=cards&from=2026-11-01&to=2026-11-02`,
          { headers: bearer(integration.token) },
        )
      ).status,
    ).toBe(403);
  });

  it("lets a supervisor and QA of the site read them", async () => {
    for (const role of ["supervisor", "qa"] as const) {
      const tok = await storedToken(api.h.ch, role, { sites: [site] });
      expect((await api.app.request(url, { headers: bearer(tok.token) })).status, role).toBe(200);
    }
  });

  it("masks the phone even for a token granted personal data, and offers no unmask", async () => {
    const pii = await storedToken(api.h.ch, "supervisor", { sites: [site], pii: true });
    for (const u of [url, `${url}&unmask=true`]) {
      const res = await api.app.request(u, { headers: bearer(pii.token) });
      expect(res.status, u).toBe(200);
      const text = await res.text();
      expect(text).not.toContain("13812345678");
      expect(FollowupList.parse(JSON.parse(text)).followups[0]!.customer.phone).toBe("138****5678");
    }
  });

  it("keeps hostile strings in the queue and status inert", async () => {
    for (const s of INJECTIONS) {
      const q = encodeURIComponent(s);
      const byQueue = await api.app.request(`${url}&queue=${q}`, asAdmin);
      if (byQueue.status === 200)
        expect(FollowupList.parse(await byQueue.json()).followups, s).toEqual([]);
      else expect(byQueue.status, s).toBe(400);
      expect((await api.app.request(`${url}&status=${q}`, asAdmin)).status, s).toBe(400);
    }
  });
});
