// contacts.csv of the monthly pack through the whole path: events produced to the real Kafka,
// ingested and derived into the real ClickHouse, the month's contacts streamed by the pack's one
// statement, encoded as the pack encodes CSV, and parsed back. Every expected cell is worked out
// by hand in the comments next to it (Asia/Shanghai, UTC+8, no daylight saving; month 2026-10 is
// [2026-10-01 00:00, 2026-11-01 00:00) local).
import { CSV_BOM, csvLine, type Event } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTACTS_COLUMNS, contactsFile } from "../../api/src/exports/contacts";
import { packContext } from "../../api/src/exports/pack";
import { headerOf } from "../../api/src/exports/types";
import {
  abandoned,
  answered,
  callbackRequested,
  produceAll,
  queued,
  survey,
  transferred,
  wrappedUp,
} from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineSite } from "../support/sites";
import { parseCsv } from "../support/unzip";

const site = "contacts-pack";
/** An instant of Asia/Shanghai wall time. */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
const ended = (b: {
  site: string;
  at: number;
  contact: string;
  queue: string;
  agent: string;
}): Event => ({
  v: 1,
  event_id: `${b.contact}-ended-${b.at}`,
  type: "contact.ended",
  occurred_at: new Date(b.at).toISOString(),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
  agent_id: b.agent,
});

const COMMENT_EARLY = '等了很久, "太慢"\n下次再说';
const COMMENT_LATEST = 'updated, "again"\r\n再见，谢谢';

describe("contacts.csv: one row per contact that began in the month", () => {
  let h: Harness;
  let ingest: RunningIngest;

  /** The file's bytes as the pack writes them, parsed back. */
  const pack = async (personalData: boolean) => {
    const ctx = await packContext(h.ch, {
      site,
      month: "2026-10",
      lang: "en",
      personalData,
      nowMs: Date.parse("2026-11-20T00:00:00Z"),
    });
    const file = contactsFile(ctx);
    let text = CSV_BOM + csvLine(headerOf(file.columns, "en"));
    const cells: string[][] = [];
    for await (const row of file.rows) {
      text += csvLine(row);
      cells.push(row.map((c) => (c === null || c === undefined ? "" : String(c))));
    }
    const parsed = parseCsv(Buffer.from(text, "utf8"));
    // The bytes read back to the very cells the file made.
    expect(parsed.slice(1)).toEqual(cells);
    return parsed;
  };

  beforeAll(async () => {
    h = await createHarness("exports_contacts");
    await defineSite(h.ch, site, "Asia/Shanghai");
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    const b = { site };
    const flowAnswer = answered({
      ...b,
      at: sh("2026-10-05", "09:01:00.250"),
      contact: "c-flow",
      queue: "loans",
      agent: "a-2",
      event_id: "c-flow-answered",
    });
    const events: Event[] = [
      // Began on 30 September at 23:59:50 and answered in October: the September pack's.
      queued({ ...b, at: sh("2026-09-30", "23:59:50"), contact: "c-prev", queue: "cards" }),
      answered({ ...b, at: sh("2026-10-01", "00:00:10"), contact: "c-prev", queue: "cards" }),
      // Flowed out of cards after 40 s, answered in loans after 20.25 s by a-2; its answer
      // delivered twice (one fact); handled 09:05:30 − 09:01:00.250 = 269.75 s.
      queued({
        ...b,
        at: sh("2026-10-05", "09:00:00"),
        contact: "c-flow",
        queue: "cards",
        phone: "13812345678",
        tier: "vip",
        customer: "cu-1",
      }),
      queued({ ...b, at: sh("2026-10-05", "09:00:40"), contact: "c-flow", queue: "loans" }),
      flowAnswer,
      flowAnswer,
      ended({
        ...b,
        at: sh("2026-10-05", "09:05:00"),
        contact: "c-flow",
        queue: "loans",
        agent: "a-2",
      }),
      wrappedUp({
        ...b,
        at: sh("2026-10-05", "09:05:30"),
        contact: "c-flow",
        queue: "loans",
        agent: "a-2",
        disposition: "resolved",
        category: "credit_card",
      }),
      // A chat abandoned after 7.5 s, no customer given.
      queued({
        ...b,
        at: sh("2026-10-06", "10:00:00"),
        contact: "c-aband",
        queue: "cards",
        channel: "chat",
      }),
      abandoned({ ...b, at: sh("2026-10-06", "10:00:07.500"), contact: "c-aband", queue: "cards" }),
      // Outbound, a call back asked for after 30 s; the phone written with separators.
      queued({
        ...b,
        at: sh("2026-10-07", "11:00:00"),
        contact: "c-cb",
        queue: "cards",
        phone: "021-5555 1234",
        outbound: true,
      }),
      callbackRequested({
        ...b,
        at: sh("2026-10-07", "11:00:30"),
        contact: "c-cb",
        queue: "cards",
      }),
      // Answered in cards after 10 s by a-1, passed on to loans, answered there after 20 s by a-3,
      // who wrapped it up: 14:06:30 − 14:02:20.500 = 249.5 s (a-1 never wrapped up).
      queued({
        ...b,
        at: sh("2026-10-08", "14:00:00"),
        contact: "c-xfer",
        queue: "cards",
        customer: "cu-2",
        tier: "standard",
        phone: "13900001111",
      }),
      answered({
        ...b,
        at: sh("2026-10-08", "14:00:10"),
        contact: "c-xfer",
        queue: "cards",
        agent: "a-1",
      }),
      transferred({
        ...b,
        at: sh("2026-10-08", "14:02:00"),
        contact: "c-xfer",
        queue: "cards",
        agent: "a-1",
        toQueue: "loans",
      }),
      queued({ ...b, at: sh("2026-10-08", "14:02:00.500"), contact: "c-xfer", queue: "loans" }),
      answered({
        ...b,
        at: sh("2026-10-08", "14:02:20.500"),
        contact: "c-xfer",
        queue: "loans",
        agent: "a-3",
      }),
      ended({
        ...b,
        at: sh("2026-10-08", "14:06:00"),
        contact: "c-xfer",
        queue: "loans",
        agent: "a-3",
      }),
      wrappedUp({
        ...b,
        at: sh("2026-10-08", "14:06:30"),
        contact: "c-xfer",
        queue: "loans",
        agent: "a-3",
        disposition: "escalated",
        category: "complaint",
      }),
      // Answered after 5 s, handled 09:03:20 − 09:00:05 = 195 s, no category; two surveys: s-1
      // sent at 09:10 and again at 09:20 (the latest event of it wins), s-2 at 09:15.
      queued({
        ...b,
        at: sh("2026-10-09", "09:00:00"),
        contact: "c-surv",
        queue: "cards",
        customer: "cu-3",
        phone: "13700002222",
      }),
      answered({
        ...b,
        at: sh("2026-10-09", "09:00:05"),
        contact: "c-surv",
        queue: "cards",
        agent: "a-4",
      }),
      ended({
        ...b,
        at: sh("2026-10-09", "09:03:00"),
        contact: "c-surv",
        queue: "cards",
        agent: "a-4",
      }),
      wrappedUp({
        ...b,
        at: sh("2026-10-09", "09:03:20"),
        contact: "c-surv",
        queue: "cards",
        agent: "a-4",
      }),
      survey({
        ...b,
        at: sh("2026-10-09", "09:10:00"),
        contact: "c-surv",
        queue: "cards",
        survey: "s-1",
        csat: 2,
        nps: 3,
        resolved: false,
        comment: COMMENT_EARLY,
      }),
      survey({
        ...b,
        at: sh("2026-10-09", "09:15:00"),
        contact: "c-surv",
        queue: "cards",
        survey: "s-2",
        csat: 5,
        nps: 10,
        resolved: true,
      }),
      survey({
        ...b,
        at: sh("2026-10-09", "09:20:00"),
        contact: "c-surv",
        queue: "cards",
        survey: "s-1",
        csat: 1,
        nps: 2,
        resolved: false,
        comment: COMMENT_LATEST,
      }),
      // Queued and never heard of again: orphaned at start + 12 h (the pack is made 20 November).
      queued({ ...b, at: sh("2026-10-10", "08:00:00"), contact: "c-orph", queue: "loans" }),
      // Began at 23:59 on the month's last day, answered after 75 s in November, handled
      // 00:04:30 − 00:00:15 = 255 s: October's.
      queued({ ...b, at: sh("2026-10-31", "23:59:00"), contact: "c-late", queue: "cards" }),
      answered({
        ...b,
        at: sh("2026-11-01", "00:00:15"),
        contact: "c-late",
        queue: "cards",
        agent: "a-5",
      }),
      ended({
        ...b,
        at: sh("2026-11-01", "00:04:00"),
        contact: "c-late",
        queue: "cards",
        agent: "a-5",
      }),
      wrappedUp({
        ...b,
        at: sh("2026-11-01", "00:04:30"),
        contact: "c-late",
        queue: "cards",
        agent: "a-5",
        category: "loans",
      }),
      // Began 30 s into November: the November pack's.
      queued({ ...b, at: sh("2026-11-01", "00:00:30"), contact: "c-next", queue: "cards" }),
      answered({ ...b, at: sh("2026-11-01", "00:00:40"), contact: "c-next", queue: "cards" }),
    ];
    await produceAll(h.kafka, h.config.topics, events);
    await waitForIngested(h);
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  const header = CONTACTS_COLUMNS.map((c) => c.en);
  // Cells in CONTACTS_COLUMNS' order: contact_id, channel, direction, first_at, ended_at,
  // customer_id, customer_tier, customer_phone, visits, visit_queues, visit_outcomes,
  // visit_waits_s, visit_agents, agent_id, handled, handle_time_s, disposition, category,
  // transfers, surveys, csat, nps, resolved, comment.
  // biome-ignore format: one contact per line, its cells in the columns' order
  const expected = (personal: boolean) => [
    header,
    [
      "c-flow", "voice", "inbound", "2026-10-05T09:00:00+08:00", "2026-10-05T09:05:00+08:00",
      "cu-1", "vip", personal ? "13812345678" : "138****5678",
      "2", "cards;loans", "flowed_out;answered", "40;20.25", ";a-2", "a-2",
      "1", "269.75", "resolved", "credit_card", "0", "0", "", "", "", "",
    ],
    [
      "c-aband", "chat", "inbound", "2026-10-06T10:00:00+08:00", "",
      "", "", "",
      "1", "cards", "abandoned", "7.5", "", "",
      "0", "", "", "", "0", "0", "", "", "", "",
    ],
    [
      "c-cb", "voice", "outbound", "2026-10-07T11:00:00+08:00", "",
      "", "", personal ? "021-5555 1234" : "021-**** 1234",
      "1", "cards", "callback", "30", "", "",
      "0", "", "", "", "0", "0", "", "", "", "",
    ],
    [
      "c-xfer", "voice", "inbound", "2026-10-08T14:00:00+08:00", "2026-10-08T14:06:00+08:00",
      "cu-2", "standard", personal ? "13900001111" : "139****1111",
      "2", "cards;loans", "answered;answered", "10;20", "a-1;a-3", "a-1",
      "1", "249.5", "escalated", "complaint", "1", "0", "", "", "", "",
    ],
    [
      "c-surv", "voice", "inbound", "2026-10-09T09:00:00+08:00", "2026-10-09T09:03:00+08:00",
      "cu-3", "", personal ? "13700002222" : "137****2222",
      "1", "cards", "answered", "5", "a-4", "a-4",
      "1", "195", "resolved", "", "0", "2", "1", "2", "false", personal ? COMMENT_LATEST : "",
    ],
    [
      "c-orph", "voice", "inbound", "2026-10-10T08:00:00+08:00", "",
      "", "", "",
      "1", "loans", "orphaned", "43200", "", "",
      "0", "", "", "", "0", "0", "", "", "", "",
    ],
    [
      "c-late", "voice", "inbound", "2026-10-31T23:59:00+08:00", "2026-11-01T00:04:00+08:00",
      "", "", "",
      "1", "cards", "answered", "75", "a-5", "a-5",
      "1", "255", "resolved", "loans", "0", "0", "", "", "", "",
    ],
  ];

  it("masks phones and leaves comments out without personal data", async () => {
    expect(await pack(false)).toEqual(expected(false));
  });

  it("gives phones and the comment, commas, quotes, line breaks and Chinese intact, with personal data", async () => {
    expect(await pack(true)).toEqual(expected(true));
  });
});
