// Low-score follow-ups as a supervisor works them: every survey with csat ≤ 2 listed as met (by an
// outbound call or an answered contact of the customer), open, overdue or untrackable, counted per
// status, recomputed from the events on every read so a late call meets an overdue one.
// Kafka → ingest → contact_events, survey_events → GET /api/v1/followups.
import { type Event, FollowupList } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";
import { abandoned, answered, produceAll, queued, survey } from "../support/events";
import { waitForIngested } from "../support/ingested";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("low-score follow-ups", () => {
  const api = useApi("followups_happy", { ingest: true });
  const site = "fu-happy";
  // Real time: the ingest refuses events from the future, and "open" and "overdue" are about now.
  const now = Date.now();
  const ago = (ms: number) => now - ms;

  /** A contact.queued of the site, with the customer (a VIP when named) and direction. */
  const contact = (b: {
    at: number;
    contact: string;
    customer?: string;
    phone?: string;
    outbound?: boolean;
    queue?: string;
  }): Event =>
    queued({
      ...b,
      site,
      queue: b.queue ?? "cards",
      ...(b.customer || b.phone ? { tier: "vip" as const } : {}),
    });

  /** A surveyed contact: queued, answered, then surveyed with `csat`. */
  const surveyed = (b: {
    at: number;
    contact: string;
    survey: string;
    customer?: string;
    phone?: string;
    csat?: number;
    queue?: string;
  }): Event[] => {
    const queue = b.queue ?? "cards";
    return [
      contact({
        at: b.at - 10 * MIN,
        contact: b.contact,
        customer: b.customer,
        phone: b.phone,
        queue,
      }),
      answered({ site, at: b.at - 9 * MIN, contact: b.contact, queue, agent: "a-7" }),
      survey({
        site,
        at: b.at,
        contact: b.contact,
        queue,
        survey: b.survey,
        agent: "a-7",
        csat: b.csat ?? 1,
      }),
    ];
  };

  const read = async (query = "") => {
    const res = await api.app.request(`/api/v1/followups?site=${site}${query}`, asAdmin);
    expect(res.status, query).toBe(200);
    const text = await res.text();
    return { list: FollowupList.parse(JSON.parse(text)), text };
  };
  const byId = (l: FollowupList, id: string) => l.followups.find((f) => f.survey_id === id);

  beforeAll(async () => {
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      // Met by an outbound call two hours after the survey.
      ...surveyed({
        at: ago(30 * HOUR),
        contact: "c1",
        survey: "s-out",
        customer: "cu1",
        phone: "13812345678",
      }),
      contact({ at: ago(28 * HOUR), contact: "o1", customer: "cu1", outbound: true }),
      // Met by the customer calling in and being answered three hours after.
      ...surveyed({ at: ago(30 * HOUR), contact: "c2", survey: "s-in", customer: "cu2" }),
      contact({ at: ago(27 * HOUR), contact: "i2", customer: "cu2" }),
      answered({ site, at: ago(27 * HOUR) + 20_000, contact: "i2", queue: "cards" }),
      // Overdue: the customer called back but hung up while waiting, which meets nothing.
      ...surveyed({ at: ago(26 * HOUR), contact: "c3", survey: "s-overdue", customer: "cu3" }),
      contact({ at: ago(25 * HOUR), contact: "i3", customer: "cu3" }),
      abandoned({ site, at: ago(25 * HOUR) + 40_000, contact: "i3", queue: "cards" }),
      // Open: surveyed an hour ago, of another queue.
      ...surveyed({
        at: ago(HOUR),
        contact: "c4",
        survey: "s-open",
        customer: "cu4",
        queue: "loans",
      }),
      // Untrackable: the contact carried a phone but no customer id.
      ...surveyed({ at: ago(2 * HOUR), contact: "c5", survey: "s-anon", phone: "13900001111" }),
      // Overdue until the late call below arrives.
      ...surveyed({ at: ago(30 * HOUR), contact: "c6", survey: "s-late", customer: "cu6" }),
      // Not low: a 3, and a 1 corrected to a 4 by a later event of the same survey.
      ...surveyed({
        at: ago(20 * HOUR),
        contact: "c7",
        survey: "s-fine",
        customer: "cu7",
        csat: 3,
      }),
      ...surveyed({ at: ago(20 * HOUR), contact: "c8", survey: "s-corrected", customer: "cu8" }),
      survey({
        site,
        at: ago(19 * HOUR),
        contact: "c8",
        queue: "cards",
        survey: "s-corrected",
        csat: 4,
      }),
    ]);
    await waitForIngested(api.h, produced);
  });

  it("marks a follow-up met by an outbound call to the customer, at the call", async () => {
    const { list } = await read();
    expect(byId(list, "s-out")).toMatchObject({
      site,
      queue: "cards",
      agent_id: "a-7",
      csat: 1,
      contact_id: "c1",
      status: "met",
      customer: { id: "cu1", tier: "vip" },
      met_by: { contact_id: "o1", how: "outbound" },
    });
    const f = byId(list, "s-out")!;
    expect(Date.parse(f.met_by!.at)).toBe(ago(28 * HOUR));
    expect(Date.parse(f.due_at) - Date.parse(f.surveyed_at)).toBe(24 * HOUR);
    // Times in the site's zone (the default, Asia/Shanghai).
    expect(f.surveyed_at).toMatch(/\+08:00$/);
    expect(f.contact).toMatch(new RegExp(`^/api/v1/contacts/c1\\?site=${site}&`));
    const detail = await api.app.request(f.contact, asAdmin);
    expect(detail.status).toBe(200);
  });

  it("marks a follow-up met by an answered inbound contact, at the answer", async () => {
    const f = byId((await read()).list, "s-in")!;
    expect(f.status).toBe("met");
    expect(f.met_by).toMatchObject({ contact_id: "i2", how: "answered" });
    expect(Date.parse(f.met_by!.at)).toBe(ago(27 * HOUR) + 20_000);
  });

  it("marks a follow-up overdue when the due time passed with no answered or outbound contact", async () => {
    expect(byId((await read()).list, "s-overdue")).toMatchObject({
      status: "overdue",
      met_by: null,
    });
  });

  it("keeps a follow-up open until its due time", async () => {
    expect(byId((await read()).list, "s-open")).toMatchObject({
      status: "open",
      queue: "loans",
      met_by: null,
    });
  });

  it("lists a survey whose contact has no customer id as untrackable, never dropping it", async () => {
    expect(byId((await read()).list, "s-anon")).toMatchObject({
      status: "untrackable",
      customer: { id: null, phone: "139****1111" },
      met_by: null,
    });
  });

  it("lists only low scores, each survey once, as its latest response says", async () => {
    const ids = (await read()).list.followups.map((f) => f.survey_id);
    expect(ids).not.toContain("s-fine");
    expect(ids).not.toContain("s-corrected");
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("masks every customer phone number", async () => {
    const { list, text } = await read();
    expect(byId(list, "s-out")!.customer.phone).toBe("138****5678");
    expect(text).not.toContain("13812345678");
    expect(text).not.toContain("13900001111");
  });

  it("filters by status and queue while counting every status over the whole range", async () => {
    const { list } = await read("&status=overdue&limit=1");
    expect(list.followups).toHaveLength(1);
    expect(list.followups[0]!.status).toBe("overdue");
    const all = (await read()).list;
    const tally = { open: 0, met: 0, overdue: 0, untrackable: 0 };
    for (const f of all.followups) tally[f.status]++;
    expect(list.counts).toEqual(tally);
    expect(list.counts.untrackable).toBe(1);
    expect(list.counts.open).toBe(1);
    const loans = (await read("&queue=loans")).list;
    expect(loans.followups.map((f) => f.survey_id)).toEqual(["s-open"]);
    expect(loans.counts).toEqual({ open: 1, met: 0, overdue: 0, untrackable: 0 });
  });

  it("reads only the surveys of the range asked for", async () => {
    const from = encodeURIComponent(new Date(ago(3 * HOUR)).toISOString());
    const { list } = await read(`&from=${from}`);
    expect(list.followups.map((f) => f.survey_id).sort()).toEqual(["s-anon", "s-open"]);
  });

  it("turns an overdue follow-up into a met one when a call made before its due time arrives late", async () => {
    const before = byId((await read()).list, "s-late")!;
    expect(before.status).toBe("overdue");
    const counted = (await read()).list.counts;
    const produced = await produceAll(api.h.kafka, api.h.config.topics, [
      contact({ at: ago(29 * HOUR), contact: "o6", customer: "cu6", outbound: true }),
    ]);
    await waitForIngested(api.h, produced);
    const { list } = await read();
    expect(byId(list, "s-late")).toMatchObject({
      status: "met",
      met_by: { contact_id: "o6", how: "outbound" },
    });
    expect(list.counts).toEqual({
      ...counted,
      overdue: counted.overdue - 1,
      met: counted.met + 1,
    });
  });
});
