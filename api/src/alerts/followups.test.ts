import type { FollowupContactEvent, FollowupQueuedRow, FollowupSurveyEvent } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { FOLLOWUP_DUE_MS, type FollowupRange, type FollowupRows, followupItems } from "./followups";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-11-20T10:00:00Z");
/** A week of surveys, read after the last one could be due. */
const range: FollowupRange = { from_ms: T0 - DAY, to_ms: T0 + 6 * DAY, now_ms: T0 + 8 * DAY };

let seq = 0;
const eid = () => `e-${String(++seq).padStart(4, "0")}`;

const surveyEvent = (o: Partial<FollowupSurveyEvent> = {}): FollowupSurveyEvent => ({
  survey_id: "s-1",
  event_id: eid(),
  occurred_ms: T0,
  contact_id: "c-surveyed",
  channel: "voice",
  queue: "cards",
  agent_id: "a-7",
  csat: 1,
  ...o,
});

const queuedRow = (o: Partial<FollowupQueuedRow> = {}): FollowupQueuedRow => ({
  contact_id: "c-surveyed",
  event_id: eid(),
  occurred_ms: T0 - 10 * MIN,
  customer_id: "cust-1",
  customer_tier: "vip",
  customer_phone: "13812345678",
  ...o,
});

/** A contact of a customer: its contact.queued and, when given, its contact.answered. */
function contact(
  id: string,
  o: { customer?: string; queued_ms: number; answered_ms?: number; outbound?: boolean },
): FollowupContactEvent[] {
  const rows: FollowupContactEvent[] = [
    {
      contact_id: id,
      event_id: eid(),
      type: "contact.queued",
      occurred_ms: o.queued_ms,
      direction: o.outbound ? "outbound" : "inbound",
      customer_id: o.customer ?? "cust-1",
    },
  ];
  if (o.answered_ms !== undefined)
    rows.push({
      contact_id: id,
      event_id: eid(),
      type: "contact.answered",
      occurred_ms: o.answered_ms,
      direction: "",
      customer_id: "",
    });
  return rows;
}

/** The surveyed contact itself, queued 10 min and answered 9 min before its survey. */
const surveyedContact = () =>
  contact("c-surveyed", { queued_ms: T0 - 10 * MIN, answered_ms: T0 - 9 * MIN });

const only = (rows: Partial<FollowupRows>, r: FollowupRange = range) => {
  const items = followupItems(
    {
      surveys: rows.surveys ?? [surveyEvent()],
      surveyed: rows.surveyed ?? [queuedRow()],
      contacts: rows.contacts ?? surveyedContact(),
    },
    r,
  );
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe("low-score follow-ups", () => {
  it("is met by an outbound contact to the customer at its first contact.queued", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-call", {
          queued_ms: T0 + 3 * HOUR,
          answered_ms: T0 + 3 * HOUR + MIN,
          outbound: true,
        }),
      ],
    });
    expect(item).toMatchObject({
      status: "met",
      due_ms: T0 + FOLLOWUP_DUE_MS,
      customer_id: "cust-1",
      customer_tier: "vip",
      customer_phone: "13812345678",
      met_by: { contact_id: "c-call", at_ms: T0 + 3 * HOUR, how: "outbound" },
    });
  });

  it("is met by an answered inbound contact of the customer at its answer", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-in", { queued_ms: T0 + 5 * HOUR, answered_ms: T0 + 5 * HOUR + 30_000 }),
      ],
    });
    expect(item.status).toBe("met");
    expect(item.met_by).toEqual({
      contact_id: "c-in",
      at_ms: T0 + 5 * HOUR + 30_000,
      how: "answered",
    });
  });

  it("is not met by an inbound contact that was never answered", () => {
    const item = only({
      contacts: [...surveyedContact(), ...contact("c-lost", { queued_ms: T0 + HOUR })],
    });
    expect(item).toMatchObject({ status: "overdue", met_by: null });
  });

  it("is not met by the surveyed contact itself, answered or outbound", () => {
    const item = only({
      contacts: contact("c-surveyed", {
        queued_ms: T0 + MIN,
        answered_ms: T0 + 2 * MIN,
        outbound: true,
      }),
    });
    expect(item).toMatchObject({ status: "overdue", met_by: null });
  });

  it("is not met by a contact of another customer", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-other", { customer: "cust-2", queued_ms: T0 + HOUR, outbound: true }),
      ],
    });
    expect(item.status).toBe("overdue");
  });

  it("is not met by a contact before the survey, nor at its very instant", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-before", { queued_ms: T0 - HOUR, outbound: true }),
        ...contact("c-same", { queued_ms: T0, outbound: true }),
        // Queued before the survey but answered after: an answered contact counts at its answer.
        ...contact("c-waiting", { queued_ms: T0 - MIN, answered_ms: T0 + MIN }),
      ],
    });
    expect(item.met_by).toEqual({ contact_id: "c-waiting", at_ms: T0 + MIN, how: "answered" });
  });

  it("judges an outbound contact by its queueing only, not a later answer", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-out", { queued_ms: T0 - MIN, answered_ms: T0 + MIN, outbound: true }),
      ],
    });
    expect(item.status).toBe("overdue");
  });

  it("counts a contact exactly at the due time, and is overdue with one a millisecond after", () => {
    const due = T0 + FOLLOWUP_DUE_MS;
    expect(
      only({
        contacts: [...surveyedContact(), ...contact("c-due", { queued_ms: due, outbound: true })],
      }).status,
    ).toBe("met");
    const late = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-late", { queued_ms: due + 1, outbound: true }),
      ],
    });
    expect(late).toMatchObject({ status: "overdue", met_by: null, due_ms: due });
  });

  it("is open before the due time and overdue once it has passed", () => {
    const due = T0 + FOLLOWUP_DUE_MS;
    expect(only({}, { ...range, now_ms: T0 + HOUR }).status).toBe("open");
    expect(only({}, { ...range, now_ms: due }).status).toBe("open");
    expect(only({}, { ...range, now_ms: due + 1 }).status).toBe("overdue");
  });

  it("is untrackable when the surveyed contact has no customer id, even with its phone", () => {
    const item = only({
      surveyed: [queuedRow({ customer_id: "", customer_tier: "", customer_phone: "13900001111" })],
      contacts: [],
    });
    expect(item).toMatchObject({
      status: "untrackable",
      customer_id: null,
      customer_tier: null,
      customer_phone: "13900001111",
      met_by: null,
    });
  });

  it("is untrackable when the surveyed contact was not found at all", () => {
    expect(only({ surveyed: [], contacts: [] })).toMatchObject({
      status: "untrackable",
      customer_phone: null,
    });
  });

  it("takes the customer from the first contact.queued that names one", () => {
    const item = only({
      surveyed: [
        queuedRow({ occurred_ms: T0 - 20 * MIN, customer_id: "", customer_tier: "" }),
        queuedRow({ occurred_ms: T0 - 10 * MIN, customer_id: "cust-1" }),
        queuedRow({ occurred_ms: T0 - 5 * MIN, customer_id: "cust-9" }),
      ],
    });
    expect(item.customer_id).toBe("cust-1");
  });

  it("is met by the first qualifying contact when several would do", () => {
    const item = only({
      contacts: [
        ...surveyedContact(),
        ...contact("c-third", { queued_ms: T0 + 9 * HOUR, outbound: true }),
        ...contact("c-first", { queued_ms: T0 + HOUR, answered_ms: T0 + 2 * HOUR }),
        ...contact("c-second", { queued_ms: T0 + 3 * HOUR, outbound: true }),
      ],
    });
    expect(item.met_by).toEqual({ contact_id: "c-first", at_ms: T0 + 2 * HOUR, how: "answered" });
  });

  it("takes the contact's first answer and first queueing, whatever order the rows come in", () => {
    const rows = [
      ...contact("c-again", { queued_ms: T0 + 4 * HOUR, answered_ms: T0 + 4 * HOUR + MIN }),
      ...contact("c-again", { queued_ms: T0 + 2 * HOUR, answered_ms: T0 + 2 * HOUR + MIN }),
    ].reverse();
    const item = only({ contacts: [...surveyedContact(), ...rows] });
    expect(item.met_by?.at_ms).toBe(T0 + 2 * HOUR + MIN);
  });

  it("counts a contact as outbound when any of its queueings says so", () => {
    const rows = [
      ...contact("c-out", { queued_ms: T0 + HOUR, outbound: true }),
      ...contact("c-out", { queued_ms: T0 + 2 * HOUR, customer: "" }),
    ];
    expect(only({ contacts: [...surveyedContact(), ...rows] }).met_by).toEqual({
      contact_id: "c-out",
      at_ms: T0 + HOUR,
      how: "outbound",
    });
  });

  it("takes the latest event of a survey, ties broken by event id", () => {
    // A low score corrected to 4 later: no follow-up.
    expect(
      followupItems(
        {
          surveys: [
            surveyEvent({ event_id: "e-a", csat: 1 }),
            surveyEvent({ event_id: "e-b", csat: 4, occurred_ms: T0 + MIN }),
          ],
          surveyed: [queuedRow()],
          contacts: surveyedContact(),
        },
        range,
      ),
    ).toEqual([]);
    // A 4 corrected to 2, the correction's time the survey's; on a tie the larger event id wins.
    const item = only({
      surveys: [
        surveyEvent({ event_id: "e-a", csat: 4 }),
        surveyEvent({ event_id: "e-c", csat: 2, occurred_ms: T0 + MIN, agent_id: "a-8" }),
        surveyEvent({ event_id: "e-b", csat: 5, occurred_ms: T0 + MIN }),
      ],
    });
    expect(item).toMatchObject({ csat: 2, agent_id: "a-8", surveyed_ms: T0 + MIN });
  });

  it("leaves out surveys without a low csat, outside the range or of another queue", () => {
    const items = followupItems(
      {
        surveys: [
          surveyEvent({ survey_id: "s-3", csat: 3 }),
          surveyEvent({ survey_id: "s-null", csat: null }),
          surveyEvent({ survey_id: "s-early", occurred_ms: range.from_ms - 1 }),
          surveyEvent({ survey_id: "s-end", occurred_ms: range.to_ms }),
          surveyEvent({ survey_id: "s-loans", queue: "loans" }),
          surveyEvent({ survey_id: "s-2", csat: 2 }),
          surveyEvent({ survey_id: "s-start", occurred_ms: range.from_ms }),
        ],
        surveyed: [queuedRow()],
        contacts: surveyedContact(),
      },
      { ...range, queue: "cards" },
    );
    expect(items.map((i) => i.survey_id)).toEqual(["s-start", "s-2"]);
  });

  it("lists the earliest due first", () => {
    const items = followupItems(
      {
        surveys: [
          surveyEvent({ survey_id: "s-late", occurred_ms: T0 + HOUR }),
          surveyEvent({ survey_id: "s-b", occurred_ms: T0 }),
          surveyEvent({ survey_id: "s-a", occurred_ms: T0 }),
        ],
        surveyed: [queuedRow()],
        contacts: surveyedContact(),
      },
      range,
    );
    expect(items.map((i) => i.survey_id)).toEqual(["s-a", "s-b", "s-late"]);
  });
});
