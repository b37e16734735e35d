// The drill-down as QA uses it: every figure of a report row and of a live window opens, through
// the links the response gives, into exactly the visits it counted; lists page without loss or
// repeats; one contact opens into its whole story, personal data masked.
// Kafka → ingest → facts → GET /api/v1/reports/intervals, /live, /contacts, /contacts/:id.
import {
  ContactDetail,
  ContactsResponse,
  LiveSnapshot,
  ReportResponse,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";
import {
  abandoned,
  answered,
  callbackRequested,
  produceAll,
  queued,
  survey,
  wrappedUp,
} from "../support/events";
import { waitForIngested } from "../support/ingested";

const MIN = 60_000;

describe("drilling into the contacts behind a figure", () => {
  const api = useApi("drill_happy", { ingest: true, app: { liveTtlMs: 0 } });
  const site = "drill-happy";
  // A past hour of Asia/Shanghai (UTC+8, the default zone): closed, whole.
  const hour = Date.parse("2026-11-02T09:00:00+08:00");
  const at = (m: number, s = 0) => hour + m * MIN + s * 1000;

  const get = async <T>(url: string, parse: { parse(x: unknown): T }): Promise<T> => {
    const res = await api.app.request(url, asAdmin);
    expect(res.status, url).toBe(200);
    return parse.parse(await res.json());
  };

  beforeAll(async () => {
    const q = "cards";
    await produceAll(api.h.kafka, api.h.config.topics, [
      // Answered: 10 s and 20 s (within T = 20 s), 45 s (outside).
      queued({ site, at: at(1), contact: "a1", queue: q, phone: "13812345678", tier: "vip" }),
      answered({ site, at: at(1, 10), contact: "a1", queue: q, agent: "ag1" }),
      wrappedUp({
        site,
        at: at(6),
        contact: "a1",
        queue: q,
        agent: "ag1",
        disposition: "resolved",
        category: "card-lost",
      }),
      survey({
        site,
        at: at(7),
        contact: "a1",
        queue: q,
        agent: "ag1",
        csat: 2,
        comment: "等太久了 waited too long",
      }),
      queued({ site, at: at(2), contact: "a2", queue: q, phone: "+86 139-0000-1111" }),
      answered({ site, at: at(2, 20), contact: "a2", queue: q }),
      queued({ site, at: at(3), contact: "a3", queue: q }),
      answered({ site, at: at(3, 45), contact: "a3", queue: q }),
      // Abandoned: 3 s (short, S = 5 s) and exactly 5 s (not short), 30 s.
      queued({ site, at: at(4), contact: "b1", queue: q }),
      abandoned({ site, at: at(4, 3), contact: "b1", queue: q }),
      queued({ site, at: at(5), contact: "b2", queue: q }),
      abandoned({ site, at: at(5, 5), contact: "b2", queue: q }),
      queued({ site, at: at(6), contact: "b3", queue: q }),
      abandoned({ site, at: at(6, 30), contact: "b3", queue: q }),
      // A callback after 50 s: the longest wait of the hour.
      queued({ site, at: at(8), contact: "c1", queue: q }),
      callbackRequested({ site, at: at(8, 50), contact: "c1", queue: q }),
      // Another queue, same hour: never in cards' lists.
      queued({ site, at: at(9), contact: "x1", queue: "loans" }),
      answered({ site, at: at(9, 1), contact: "x1", queue: "loans" }),
    ]);
    // Every topic and partition: the survey travels on its own topic, maybe in a later flush.
    await waitForIngested(api.h);
    const r = await get(
      `/api/v1/reports/intervals?site=${site}&from=2026-11-02T09:00:00%2B08:00&to=2026-11-02T10:00:00%2B08:00&interval=1h&queue=cards`,
      ReportResponse,
    );
    expect(r.rows[0]?.offered).toBe(7);
    expect(r.rows[0]?.handled).toBe(1);
    expect(r.rows[0]?.low_csat).toBe(1);
  });

  it("opens every figure of a report row into exactly the visits it counted", async () => {
    const report = await get(
      `/api/v1/reports/intervals?site=${site}&from=2026-11-02T09:00:00%2B08:00&to=2026-11-02T10:00:00%2B08:00&interval=1h&queue=cards`,
      ReportResponse,
    );
    const row = report.rows[0]!;
    expect(row).toMatchObject({
      offered: 7,
      answered: 3,
      abandoned: 3,
      short_abandoned: 1,
      answered_within_sl: 2,
      callbacks: 1,
      max_wait_s: 50,
    });
    const open = async (figure: string) =>
      (await get(`${row.drill}&${report.drill_filters[figure]}`, ContactsResponse)).visits;
    const ids = async (figure: string) => (await open(figure)).map((v) => v.contact_id).sort();
    expect(await ids("offered")).toEqual(["a1", "a2", "a3", "b1", "b2", "b3", "c1"]);
    expect(await ids("answered")).toEqual(["a1", "a2", "a3"]);
    expect(await ids("answered_within_sl")).toEqual(["a1", "a2"]);
    expect(await ids("answered_outside_sl")).toEqual(["a3"]);
    expect(await ids("abandoned")).toEqual(["b1", "b2", "b3"]);
    expect(await ids("short_abandoned")).toEqual(["b1"]);
    expect(await ids("abandoned_after_short")).toEqual(["b2", "b3"]);
    expect(await ids("callbacks")).toEqual(["c1"]);
    const longest = await open("max_wait_s");
    expect(longest).toHaveLength(1);
    expect(longest[0]).toMatchObject({ contact_id: "c1", wait_s: row.max_wait_s });
  });

  it("lists newest first with each visit's judgement, masked phone and a link to the contact", async () => {
    const { visits, unmasked } = await get(
      `/api/v1/contacts?site=${site}&queue=cards&from=2026-11-02&to=2026-11-03&outcome=answered`,
      ContactsResponse,
    );
    expect(unmasked).toBe(false);
    expect(visits.map((v) => v.contact_id)).toEqual(["a3", "a2", "a1"]);
    expect(visits.find((v) => v.contact_id === "a1")).toMatchObject({
      started_at: "2026-11-02T09:01:00+08:00",
      ended_at: "2026-11-02T09:01:10+08:00",
      wait_s: 10,
      within_sl: true,
      short_abandon: null,
      agent_id: "ag1",
      tier: "vip",
      customer_phone: "138****5678",
    });
    // The first 3 digits of the number as given, country code included (metrics.md).
    expect(visits.find((v) => v.contact_id === "a2")?.customer_phone).toBe("+86 1**-****-1111");
    expect(visits.find((v) => v.contact_id === "a3")).toMatchObject({
      within_sl: false,
      customer_phone: null,
    });
  });

  it("pages through a list without losing or repeating a visit, in either order", async () => {
    for (const sort of ["newest", "longest_wait"]) {
      const seen: string[] = [];
      const waits: number[] = [];
      let cursor: string | null = null;
      do {
        const page: ContactsResponse = await get(
          `/api/v1/contacts?site=${site}&queue=cards&from=2026-11-02&to=2026-11-03&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          ContactsResponse,
        );
        expect(page.visits.length).toBeLessThanOrEqual(2);
        seen.push(...page.visits.map((v) => v.contact_id));
        waits.push(...page.visits.map((v) => v.wait_s));
        cursor = page.next_cursor;
      } while (cursor);
      expect([...seen].sort(), sort).toEqual(["a1", "a2", "a3", "b1", "b2", "b3", "c1"]);
      if (sort === "longest_wait") expect(waits).toEqual([...waits].sort((a, b) => b - a));
    }
  });

  it("opens a live window's figures the same way", async () => {
    const t = Date.now();
    await produceAll(api.h.kafka, api.h.config.topics, [
      queued({ site, at: t - 40_000, contact: "n1", queue: "cards" }),
      answered({ site, at: t - 30_000, contact: "n1", queue: "cards" }),
    ]);
    await waitForIngested(api.h);
    const live = await get(`/api/v1/live?site=${site}`, LiveSnapshot);
    expect(live.queues.find((q) => q.queue === "cards")?.windows["15m"].answered).toBe(1);
    const cards = live.queues.find((q) => q.queue === "cards")!;
    const list = await get(
      `${cards.drill["15m"]}&${live.drill_filters.answered}`,
      ContactsResponse,
    );
    expect(list.visits.map((v) => v.contact_id)).toEqual(["n1"]);
    expect(list.visits[0]).toMatchObject({ wait_s: 10, within_sl: true });
  });

  it("opens one contact into its events, visit, handling and survey, personal data masked", async () => {
    const { visits } = await get(
      `/api/v1/contacts?site=${site}&queue=cards&from=2026-11-02&to=2026-11-03&outcome=answered&within_sl=true`,
      ContactsResponse,
    );
    const a1 = visits.find((v) => v.contact_id === "a1")!;
    const detail = await get(a1.detail, ContactDetail);
    expect(detail.events.map((e) => e.type)).toEqual([
      "contact.queued",
      "contact.answered",
      "contact.wrapped_up",
    ]);
    expect(detail.customer).toEqual({ id: null, tier: "vip", phone: "138****5678" });
    expect(detail.events[0]!.detail.customer_phone).toBe("138****5678");
    expect(detail.visits).toEqual([
      {
        queue: "cards",
        outcome: "answered",
        started_at: "2026-11-02T09:01:00+08:00",
        ended_at: "2026-11-02T09:01:10+08:00",
        wait_s: 10,
      },
    ]);
    expect(detail.handling).toEqual([
      {
        queue: "cards",
        agent_id: "ag1",
        disposition: "resolved",
        category: "card-lost",
        answered_at: "2026-11-02T09:01:10+08:00",
        wrapped_up_at: "2026-11-02T09:06:00+08:00",
        handle_s: 290,
      },
    ]);
    expect(detail.surveys).toHaveLength(1);
    expect(detail.surveys[0]).toMatchObject({ csat: 2, comment: null, agent_id: "ag1" });
    expect(JSON.stringify(detail)).not.toContain("13812345678");
    expect(JSON.stringify(detail)).not.toContain("waited too long");
  });
});
