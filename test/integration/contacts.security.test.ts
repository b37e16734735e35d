// The drill-down against misuse: personal data only for tokens granted it and only when asked for,
// every such read audited; no contact of another site; hostile strings inert.
import { AuditList, ContactDetail, ContactsResponse } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, useApi } from "../support/api";
import { answered, produceAll, queued, survey } from "../support/events";
import { waitForIngested } from "../support/ingested";
import { INJECTIONS } from "../support/hostile-strings";

describe("drill-down security", () => {
  const api = useApi("drill_security", { ingest: true });
  const site = "drill-sec";
  const t = Date.parse("2026-11-02T09:00:00+08:00");
  const list = `/api/v1/contacts?site=${site}&queue=cards&from=2026-11-02&to=2026-11-03`;
  const started = new Date().toISOString();
  const detailUrl = (extra = "") =>
    `/api/v1/contacts/p1?site=${site}&around=2026-11-02T09:00:05%2B08:00${extra}`;

  beforeAll(async () => {
    await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: t, contact: "p1", queue: "cards", phone: "13812345678" }),
      answered({ site, at: t + 5_000, contact: "p1", queue: "cards" }),
      survey({
        site,
        at: t + 600_000,
        contact: "p1",
        queue: "cards",
        csat: 1,
        comment: "我的卡号是 6222 0000 1111 2222",
      }),
    ]);
    // Every topic and partition: the survey travels on its own topic, maybe in a later flush.
    await waitForIngested(api.h);
    const res = await api.app.request(list, asAdmin);
    expect(ContactsResponse.parse(await res.json()).visits).toHaveLength(1);
    expect(
      ContactDetail.parse(await (await api.app.request(detailUrl(), asAdmin)).json()).surveys,
    ).toHaveLength(1);
  });

  it("masks personal data for everyone by default, those granted it included", async () => {
    const pii = await storedToken(api.h.ch, "qa", { pii: true });
    const l = ContactsResponse.parse(
      await (await api.app.request(list, { headers: bearer(pii.token) })).json(),
    );
    expect(l.visits[0]!.customer_phone).toBe("138****5678");
    const d = ContactDetail.parse(
      await (await api.app.request(detailUrl(), { headers: bearer(pii.token) })).json(),
    );
    expect(d.surveys[0]!.comment).toBeNull();
    expect(JSON.stringify(d)).not.toContain("13812345678");
  });

  it("refuses to unmask for a token not granted personal data", async () => {
    const qa = await storedToken(api.h.ch, "qa");
    for (const url of [`${list}&unmask=true`, detailUrl("&unmask=true")]) {
      const res = await api.app.request(url, { headers: bearer(qa.token) });
      expect(res.status, url).toBe(403);
      expect(await res.text()).not.toContain("13812345678");
    }
  });

  it("unmasks for a token granted it when asked, and audits each such read", async () => {
    const pii = await storedToken(api.h.ch, "supervisor", {
      pii: true,
      sites: [site],
      name: "QA lead 李",
    });
    const l = ContactsResponse.parse(
      await (await api.app.request(`${list}&unmask=true`, { headers: bearer(pii.token) })).json(),
    );
    expect(l).toMatchObject({ unmasked: true });
    expect(l.visits[0]!.customer_phone).toBe("13812345678");
    const d = ContactDetail.parse(
      await (
        await api.app.request(detailUrl("&unmask=true"), { headers: bearer(pii.token) })
      ).json(),
    );
    expect(d.customer.phone).toBe("13812345678");
    expect(d.surveys[0]!.comment).toBe("我的卡号是 6222 0000 1111 2222");
    const audit = AuditList.parse(
      await (
        await api.app.request(
          `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&action=pii.read`,
          asAdmin,
        )
      ).json(),
    );
    const mine = audit.entries.filter((e) => e.actor.id === pii.id);
    expect(mine.map((e) => e.target).sort()).toEqual(["contact:p1", "contacts:cards"]);
    expect(mine.every((e) => e.site === site && e.actor.name === "QA lead 李")).toBe(true);
  });

  it("never opens a contact of another site, nor lets a display token drill", async () => {
    const other = await storedToken(api.h.ch, "supervisor", { sites: ["elsewhere"] });
    expect((await api.app.request(list, { headers: bearer(other.token) })).status).toBe(403);
    expect((await api.app.request(detailUrl(), { headers: bearer(other.token) })).status).toBe(403);
    const tv = await storedToken(api.h.ch, "display", { sites: [site] });
    expect((await api.app.request(list, { headers: bearer(tv.token) })).status).toBe(403);
  });

  it("keeps hostile strings in the queue, contact id and cursor inert", async () => {
    for (const s of INJECTIONS) {
      const q = encodeURIComponent(s);
      const byQueue = await api.app.request(
        `/api/v1/contacts?site=${site}&queue=${q}&from=2026-11-02&to=2026-11-03`,
        asAdmin,
      );
      if (byQueue.status === 200)
        expect(ContactsResponse.parse(await byQueue.json()).visits, s).toEqual([]);
      else expect(byQueue.status, s).toBe(400);
      const byId = await api.app.request(
        `/api/v1/contacts/${q}?site=${site}&around=2026-11-02`,
        asAdmin,
      );
      expect([400, 404], s).toContain(byId.status);
      expect((await api.app.request(`${list}&cursor=${q}`, asAdmin)).status, s).toBe(400);
    }
  });
});
