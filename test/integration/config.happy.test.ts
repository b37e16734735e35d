// Configuration as an admin sets up a site: its time zone and name, queue names in both languages,
// new parameters from a quarter hour on, and reports that use each version where it was in force.
import {
  AuditList,
  formatLocal,
  QueueInfo,
  QueueList,
  ReportResponse,
  SiteHours,
  SiteList,
} from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";
import { answered, produceAll, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

describe("configuration", () => {
  const api = useApi("config_happy", { ingest: true });
  const site = "cfg-happy";
  const started = new Date().toISOString();
  const put = (path: string, body: unknown) =>
    api.app.request(path, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });

  it("names a site and sets its time zone, and lists it", async () => {
    const res = await put(`/api/v1/sites/${site}`, {
      name: "上海浦东客服中心",
      tz: "Asia/Shanghai",
    });
    expect(res.status).toBe(200);
    const list = SiteList.parse(await (await api.app.request("/api/v1/sites", asAdmin)).json());
    expect(list.sites).toContainEqual({ site, name: "上海浦东客服中心", tz: "Asia/Shanghai" });
  });

  it("names a queue in Chinese and English without creating a version", async () => {
    let res = await put(`/api/v1/sites/${site}/queues/cards`, {
      channel: "voice",
      name_zh: "信用卡",
      name_en: "Credit cards",
    });
    expect(res.status).toBe(201); // the queue's first version, with the channel's defaults
    res = await put(`/api/v1/sites/${site}/queues/cards`, { name_en: "Cards" });
    expect(res.status).toBe(200);
    const q = QueueInfo.parse(await res.json());
    expect(q).toMatchObject({
      name_zh: "信用卡",
      name_en: "Cards",
      channel: "voice",
      current: { version: 1, sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 },
    });
    expect(q.versions).toHaveLength(1);
  });

  it("makes a new definition version from a quarter hour, and reports judge each interval by its own", async () => {
    // Two answers on 2 Nov: 25 s at 09:10 and 25 s at 10:10 (Shanghai). T becomes 30 s from 10:00.
    const at = (t: string) => Date.parse(`2026-11-02T${t}+08:00`);
    await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: at("09:10:00"), contact: "c1", queue: "cards" }),
      answered({ site, at: at("09:10:25"), contact: "c1", queue: "cards" }),
      queued({ site, at: at("10:10:00"), contact: "c2", queue: "cards" }),
      answered({ site, at: at("10:10:25"), contact: "c2", queue: "cards" }),
    ]);
    const report = async () =>
      ReportResponse.parse(
        await (
          await api.app.request(
            `/api/v1/reports/intervals?site=${site}&from=2026-11-02T09:00:00%2B08:00&to=2026-11-02T11:00:00%2B08:00&interval=1h&queue=cards`,
            asAdmin,
          )
        ).json(),
      );
    await waitForIngested(api.h);
    expect((await report()).rows.map((r) => r.answered)).toEqual([1, 1]);
    expect((await report()).rows.map((r) => r.answered_within_sl)).toEqual([0, 0]);

    const res = await put(`/api/v1/sites/${site}/queues/cards`, {
      sl_threshold_s: 30,
      valid_from: "2026-11-02T10:00:00+08:00",
    });
    expect(res.status).toBe(201);
    const q = QueueInfo.parse(await res.json());
    expect(q.versions.map((v) => [v.version, v.sl_threshold_s])).toEqual([
      [1, 20],
      [2, 30],
    ]);
    expect(q.current).toMatchObject({ version: 2, sl_threshold_s: 30 });

    const after = await report();
    expect(after.rows.map((r) => r.answered_within_sl)).toEqual([0, 1]);
    expect(after.rows.map((r) => r.definition.versions.map((v) => v.version))).toEqual([[1], [2]]);
    const list = QueueList.parse(
      await (await api.app.request(`/api/v1/sites/${site}/queues`, asAdmin)).json(),
    );
    expect(list.queues.find((x) => x.queue === "cards")?.name_zh).toBe("信用卡");
  });

  it("records every change in the audit log", async () => {
    const audit = AuditList.parse(
      await (
        await api.app.request(
          `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&site=${site}`,
          asAdmin,
        )
      ).json(),
    );
    expect(audit.entries.map((e) => e.action).sort()).toEqual([
      "config.queue",
      "config.queue",
      "config.queue",
      "config.site",
    ]);
    expect(audit.entries.find((e) => e.detail.sl_threshold_s === 30)?.detail).toMatchObject({
      version: 2,
      new_version: true,
    });
  });

  it("keeps business hours as versions: the hours in force now and every change", async () => {
    const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: "08:30", close: "20:00" }));
    let res = await put(`/api/v1/sites/${site}/hours`, {
      weekly: [
        ...weekdays,
        { day: 6, open: "09:00", close: "12:00" },
        { day: 6, open: "13:00", close: "17:00" },
      ],
      valid_from: "2026-01-01T00:00:00+08:00",
    });
    expect(res.status).toBe(201);
    // By default a change starts at the next quarter hour (at most that far ahead: no far future).
    const quarter = 15 * 60_000;
    const next = formatLocal("Asia/Shanghai", Math.ceil((Date.now() + 1) / quarter) * quarter);
    res = await put(`/api/v1/sites/${site}/hours`, { weekly: weekdays });
    const hours = SiteHours.parse(await res.json());
    expect(hours.versions.map((v) => [v.version, v.valid_from])).toEqual([
      [1, "2026-01-01T00:00:00+08:00"],
      [2, next],
    ]);
    // In force now: the first (the second starts at the next quarter hour); Saturday has a lunch break.
    expect(hours.current?.version).toBe(1);
    expect(hours.current?.weekly.filter((o) => o.day === 6)).toEqual([
      { day: 6, open: "09:00", close: "12:00" },
      { day: 6, open: "13:00", close: "17:00" },
    ]);
    const read = SiteHours.parse(
      await (await api.app.request(`/api/v1/sites/${site}/hours`, asAdmin)).json(),
    );
    expect(read).toEqual(hours);
  });
});
