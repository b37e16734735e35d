// Hand-computed expectations for deriveContactFacts (metrics.md "Queue visits" and "Handling
// metrics"). Every expected time is written as a literal offset from a literal timestamp, every
// duration as a literal number of milliseconds with its arithmetic next to it; nothing expected is
// produced by the code under test.
import { describe, expect, it } from "vitest";
import { deriveContactFacts, orderEvents, type ContactEventInput } from "./contacts";
import type { ContactFact } from "./facts";

const SITE = "sh-pudong";
const C = "c-881";
/** 2026-11-22 09:15:00 Shanghai time. */
const T0 = Date.parse("2026-11-22T09:15:00+08:00");
const TWELVE_H = 43_200_000; // 12 × 60 × 60 × 1000

// One contact_events row as the store returns it: only contact.queued carries channel and tier.
function ev(
  event_id: string,
  type: string,
  occurred_ms: number,
  fields: Partial<ContactEventInput> = {},
): ContactEventInput {
  return {
    event_id,
    type,
    occurred_ms,
    contact_id: C,
    queue: "credit_card",
    channel: "",
    agent_id: "",
    customer_tier: "",
    disposition: "",
    category: "",
    to_queue: "",
    to_agent_id: "",
    ...fields,
  };
}
const queued = (
  id: string,
  ms: number,
  queue = "credit_card",
  channel = "voice",
  customer_tier = "standard",
) => ev(id, "contact.queued", ms, { queue, channel, customer_tier });
const answered = (id: string, ms: number, queue = "credit_card", agent_id = "a-07") =>
  ev(id, "contact.answered", ms, { queue, agent_id });
const abandoned = (id: string, ms: number, queue = "credit_card") =>
  ev(id, "contact.abandoned", ms, { queue });
const callback = (id: string, ms: number, queue = "credit_card") =>
  ev(id, "contact.callback_requested", ms, { queue });
const firstResponse = (id: string, ms: number, queue = "credit_card", agent_id = "a-07") =>
  ev(id, "contact.first_response", ms, { queue, agent_id });
const transferred = (
  id: string,
  ms: number,
  queue: string,
  agent_id: string,
  to_queue = "",
  to_agent_id = "",
) => ev(id, "contact.transferred", ms, { queue, agent_id, to_queue, to_agent_id });
const ended = (id: string, ms: number, queue = "credit_card", agent_id = "a-07") =>
  ev(id, "contact.ended", ms, { queue, agent_id });
const wrappedUp = (
  id: string,
  ms: number,
  queue = "credit_card",
  agent_id = "a-07",
  disposition = "resolved",
  category = "",
) => ev(id, "contact.wrapped_up", ms, { queue, agent_id, disposition, category });

// Expected facts: the fields every fact of contact C shares are filled in, the rest is written out.
type Given = Pick<
  ContactFact,
  "anchor_ms" | "start_ms" | "duration_ms" | "start_event_id" | "end_event_id"
> &
  Partial<ContactFact>;
const visit = (f: Given & Pick<ContactFact, "outcome">): ContactFact => ({
  site: SITE,
  kind: "visit",
  contact_id: C,
  queue: "credit_card",
  channel: "voice",
  agent_id: "",
  detail: "",
  tier: "standard",
  ...f,
});
const handled = (f: Given & Pick<ContactFact, "agent_id">): ContactFact => ({
  site: SITE,
  kind: "handled",
  contact_id: C,
  queue: "credit_card",
  channel: "voice",
  outcome: "resolved",
  detail: "",
  tier: "",
  ...f,
});

const derive = (events: readonly ContactEventInput[]) => deriveContactFacts(SITE, C, events);
const ofKind = (facts: ContactFact[], kind: ContactFact["kind"]) =>
  facts.filter((f) => f.kind === kind);

/** A deterministic shuffle (LCG), so a failing order can be reproduced from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("queue visits", () => {
  it("an answered visit waits from queued to answered and counts at the answer", () => {
    const facts = derive([
      queued("e-1", T0, "credit_card", "voice", "vip"),
      answered("e-2", T0 + 17_400),
    ]);
    expect(facts).toEqual([
      {
        site: SITE,
        kind: "visit",
        anchor_ms: T0 + 17_400, // the end: 09:15:17.400
        start_ms: T0,
        contact_id: C,
        queue: "credit_card",
        channel: "voice",
        agent_id: "",
        outcome: "answered",
        duration_ms: 17_400, // 09:15:17.400 − 09:15:00.000
        detail: "",
        tier: "vip",
        start_event_id: "e-1",
        end_event_id: "e-2",
      },
    ]);
  });

  it("an abandoned visit ends at the abandon with outcome abandoned", () => {
    expect(derive([queued("q", T0), abandoned("x", T0 + 42_000)])).toEqual([
      visit({
        outcome: "abandoned",
        start_ms: T0,
        anchor_ms: T0 + 42_000,
        duration_ms: 42_000,
        start_event_id: "q",
        end_event_id: "x",
      }),
    ]);
  });

  it("a callback request ends the visit with outcome callback", () => {
    expect(derive([queued("q", T0), callback("cb", T0 + 95_000)])).toEqual([
      visit({
        outcome: "callback",
        start_ms: T0,
        anchor_ms: T0 + 95_000,
        duration_ms: 95_000,
        start_event_id: "q",
        end_event_id: "cb",
      }),
    ]);
  });

  it("a queued into another queue ends the visit as flowed_out at the new queued and starts the next visit", () => {
    const facts = derive([
      queued("q1", T0, "credit_card"),
      queued("q2", T0 + 30_000, "loans", "voice", "priority"),
      answered("a1", T0 + 45_000, "loans"),
    ]);
    expect(facts).toEqual([
      // 30 000 = (T0 + 30 s) − T0; the end is the new queued
      visit({
        outcome: "flowed_out",
        start_ms: T0,
        anchor_ms: T0 + 30_000,
        duration_ms: 30_000,
        start_event_id: "q1",
        end_event_id: "q2",
      }),
      // 15 000 = (T0 + 45 s) − (T0 + 30 s); the tier is the new queued's
      visit({
        queue: "loans",
        tier: "priority",
        outcome: "answered",
        start_ms: T0 + 30_000,
        anchor_ms: T0 + 45_000,
        duration_ms: 15_000,
        start_event_id: "q2",
        end_event_id: "a1",
      }),
    ]);
  });

  it("a queued into the queue the contact already waits in is the same visit with its start unchanged", () => {
    const facts = derive([
      queued("q1", T0),
      queued("q2", T0 + 60_000),
      answered("a1", T0 + 90_000),
    ]);
    expect(facts).toEqual([
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 90_000,
        duration_ms: 90_000,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
    ]);
  });

  it("an end event for a queue the contact is not waiting in ends nothing", () => {
    const facts = derive([
      queued("q1", T0, "credit_card"),
      abandoned("x-loans", T0 + 10_000, "loans"),
      callback("cb-loans", T0 + 11_000, "loans"),
      answered("a-loans", T0 + 12_000, "loans"),
      answered("a1", T0 + 25_000, "credit_card"),
    ]);
    expect(facts).toEqual([
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 25_000,
        duration_ms: 25_000,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
    ]);
  });

  it("end events without any queued give no visit", () => {
    expect(derive([answered("a1", T0), abandoned("x", T0 + 1), callback("cb", T0 + 2)])).toEqual(
      [],
    );
  });

  it("a visit whose end comes 12 h + 1 ms after its start is orphaned at exactly start + 12 h and the late end is ignored", () => {
    const facts = derive([queued("q1", T0), abandoned("x", T0 + TWELVE_H + 1)]);
    expect(facts).toEqual([
      visit({
        outcome: "orphaned",
        start_ms: T0,
        anchor_ms: T0 + 43_200_000,
        duration_ms: 43_200_000,
        start_event_id: "q1",
        end_event_id: "",
      }),
    ]);
  });

  it("an end at exactly start + 12 h still ends the visit normally", () => {
    const facts = derive([queued("q1", T0), answered("a1", T0 + TWELVE_H)]);
    expect(facts).toEqual([
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 43_200_000,
        duration_ms: 43_200_000,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
    ]);
  });

  it("a queued into another queue after the 12 h starts a new visit and does not flow the orphaned one out", () => {
    const facts = derive([
      queued("q1", T0, "credit_card"),
      queued("q2", T0 + 13 * 3_600_000, "loans"),
    ]);
    expect(facts).toEqual([
      visit({
        outcome: "orphaned",
        start_ms: T0,
        anchor_ms: T0 + 43_200_000,
        duration_ms: 43_200_000,
        start_event_id: "q1",
        end_event_id: "",
      }),
      // 13 h = 46 800 000 ms; still waiting, so an open visit anchored at its start
      visit({
        kind: "open",
        queue: "loans",
        outcome: "",
        start_ms: T0 + 46_800_000,
        anchor_ms: T0 + 46_800_000,
        duration_ms: -1,
        start_event_id: "q2",
        end_event_id: "",
      }),
    ]);
  });

  it("a visit with no end at all stays open, anchored at its start", () => {
    expect(derive([queued("q1", T0, "credit_card", "chat", "vip")])).toEqual([
      {
        site: SITE,
        kind: "open",
        anchor_ms: T0,
        start_ms: T0,
        contact_id: C,
        queue: "credit_card",
        channel: "chat",
        agent_id: "",
        outcome: "",
        duration_ms: -1,
        detail: "",
        tier: "vip",
        start_event_id: "q1",
        end_event_id: "",
      },
    ]);
  });

  it("a contact queued, answered and queued again has one ended visit and one open visit", () => {
    const facts = derive([
      queued("q1", T0),
      answered("a1", T0 + 8_000),
      queued("q2", T0 + 300_000, "loans"),
    ]);
    expect(facts).toEqual([
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 8_000,
        duration_ms: 8_000,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
      visit({
        kind: "open",
        queue: "loans",
        outcome: "",
        start_ms: T0 + 300_000,
        anchor_ms: T0 + 300_000,
        duration_ms: -1,
        start_event_id: "q2",
        end_event_id: "",
      }),
    ]);
  });

  it("a queued and an answered of the same millisecond wait 0 ms, whatever their order and event ids", () => {
    // "a-…" sorts before "z-…", so only the lifecycle rank puts the queued first.
    const events = [answered("a-answer", T0), queued("z-queued", T0)];
    const expected = [
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0,
        duration_ms: 0,
        start_event_id: "z-queued",
        end_event_id: "a-answer",
      }),
    ];
    expect(derive(events)).toEqual(expected);
    expect(derive([...events].reverse())).toEqual(expected);
  });

  it("an abandon exactly at S and an answer exactly at T are plain durations of 5000 and 20000 ms", () => {
    // voice: S = 5 s, T = 20 s; the thresholds are applied by the readers, not here
    expect(derive([queued("q1", T0), abandoned("x", T0 + 5_000)])).toEqual([
      visit({
        outcome: "abandoned",
        start_ms: T0,
        anchor_ms: T0 + 5_000,
        duration_ms: 5_000,
        start_event_id: "q1",
        end_event_id: "x",
      }),
    ]);
    expect(derive([queued("q1", T0), answered("a1", T0 + 20_000)])).toEqual([
      visit({
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 20_000,
        duration_ms: 20_000,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
    ]);
  });

  it("a visit across local midnight and a month boundary is measured in exact milliseconds", () => {
    // Shanghai: 2026-11-30 23:59:50 → 2026-12-01 00:00:12.500 is 10 s + 12.5 s = 22 500 ms
    const start = Date.parse("2026-11-30T23:59:50+08:00");
    const end = Date.parse("2026-12-01T00:00:12.500+08:00");
    expect(start).toBe(Date.UTC(2026, 10, 30, 15, 59, 50, 0));
    expect(end).toBe(Date.UTC(2026, 10, 30, 16, 0, 12, 500));
    expect(derive([queued("q1", start), answered("a1", end)])).toEqual([
      visit({
        outcome: "answered",
        start_ms: Date.UTC(2026, 10, 30, 15, 59, 50, 0),
        anchor_ms: Date.UTC(2026, 10, 30, 16, 0, 12, 500),
        duration_ms: 22_500,
        start_event_id: "q1",
        end_event_id: "a1",
      }),
    ]);
    // Jerusalem: 2026-11-22 23:58:00 → 2026-11-23 00:03:30 (+02:00) is 2 min + 3 min 30 s = 330 000 ms
    const jStart = Date.parse("2026-11-22T23:58:00+02:00");
    const jEnd = Date.parse("2026-11-23T00:03:30+02:00");
    expect(derive([queued("q1", jStart), abandoned("x", jEnd)])).toEqual([
      visit({
        outcome: "abandoned",
        start_ms: Date.UTC(2026, 10, 22, 21, 58, 0),
        anchor_ms: Date.UTC(2026, 10, 22, 22, 3, 30),
        duration_ms: 330_000,
        start_event_id: "q1",
        end_event_id: "x",
      }),
    ]);
  });
});

describe("handled contacts", () => {
  it("the events.md example is handled in 262.6 s, counted at the wrap-up with its disposition and category", () => {
    const facts = derive([
      queued("e-1", Date.parse("2026-11-22T09:15:00+08:00"), "credit_card", "voice", "vip"),
      answered("e-2", Date.parse("2026-11-22T09:15:17.400+08:00"), "credit_card", "a-07"),
      ended("e-3", Date.parse("2026-11-22T09:19:02+08:00"), "credit_card", "a-07"),
      wrappedUp(
        "e-4",
        Date.parse("2026-11-22T09:19:40+08:00"),
        "credit_card",
        "a-07",
        "resolved",
        "credit_card",
      ),
    ]);
    expect(facts).toEqual([
      visit({
        tier: "vip",
        outcome: "answered",
        start_ms: T0,
        anchor_ms: T0 + 17_400,
        duration_ms: 17_400,
        start_event_id: "e-1",
        end_event_id: "e-2",
      }),
      {
        site: SITE,
        kind: "handled",
        anchor_ms: T0 + 280_000, // 09:19:40 = T0 + 4 min 40 s
        start_ms: T0 + 17_400, // the answer
        contact_id: C,
        queue: "credit_card",
        channel: "voice", // the contact's channel, from its queued
        agent_id: "a-07",
        outcome: "resolved",
        duration_ms: 262_600, // 280 000 − 17 400 (4 min 22.6 s: talk + hold + after-contact work)
        detail: "credit_card",
        tier: "",
        start_event_id: "e-2",
        end_event_id: "e-4",
      },
    ]);
  });

  it("a wrap-up closes the latest answer of the same queue and agent, else of the same queue, else any", () => {
    const facts = derive([
      queued("q1", T0, "credit_card"),
      answered("ans1", T0 + 10_000, "credit_card", "a-1"),
      queued("q2", T0 + 60_000, "loans"),
      answered("ans2", T0 + 70_000, "loans", "a-2"),
      queued("q3", T0 + 120_000, "credit_card"),
      answered("ans3", T0 + 130_000, "credit_card", "a-3"),
      wrappedUp("w1", T0 + 600_000, "credit_card", "a-1"), // same queue and agent: ans1, though ans3 is later
      wrappedUp("w2", T0 + 600_000, "credit_card", "a-9"), // no answer by a-9: latest of credit_card, ans3
      wrappedUp("w3", T0 + 600_000, "loans", "a-9"), // latest of loans: ans2
      wrappedUp("w4", T0 + 600_000, "wealth", "a-9"), // nothing in wealth: latest of any, ans3
    ]);
    expect(ofKind(facts, "handled")).toEqual([
      handled({
        agent_id: "a-1",
        anchor_ms: T0 + 600_000,
        start_ms: T0 + 10_000,
        duration_ms: 590_000,
        start_event_id: "ans1",
        end_event_id: "w1",
      }), // 600 − 10 s
      handled({
        agent_id: "a-9",
        anchor_ms: T0 + 600_000,
        start_ms: T0 + 130_000,
        duration_ms: 470_000,
        start_event_id: "ans3",
        end_event_id: "w2",
      }), // 600 − 130 s
      handled({
        queue: "loans",
        agent_id: "a-9",
        anchor_ms: T0 + 600_000,
        start_ms: T0 + 70_000,
        duration_ms: 530_000,
        start_event_id: "ans2",
        end_event_id: "w3",
      }), // 600 − 70 s
      handled({
        queue: "wealth",
        agent_id: "a-9",
        anchor_ms: T0 + 600_000,
        start_ms: T0 + 130_000,
        duration_ms: 470_000,
        start_event_id: "ans3",
        end_event_id: "w4",
      }), // 600 − 130 s
    ]);
  });

  it("a wrap-up never closes an answer that comes after it", () => {
    const facts = derive([
      queued("q1", T0),
      answered("ans1", T0 + 10_000),
      wrappedUp("w1", T0 + 100_000),
      queued("q2", T0 + 150_000),
      answered("ans2", T0 + 200_000),
      wrappedUp("w2", T0 + 260_000),
    ]);
    expect(ofKind(facts, "handled")).toEqual([
      handled({
        agent_id: "a-07",
        anchor_ms: T0 + 100_000,
        start_ms: T0 + 10_000,
        duration_ms: 90_000,
        start_event_id: "ans1",
        end_event_id: "w1",
      }), // 100 − 10 s
      handled({
        agent_id: "a-07",
        anchor_ms: T0 + 260_000,
        start_ms: T0 + 200_000,
        duration_ms: 60_000,
        start_event_id: "ans2",
        end_event_id: "w2",
      }), // 260 − 200 s
    ]);
  });

  it("an answer and a wrap-up of the same millisecond give a handling time of 0", () => {
    const facts = derive([wrappedUp("a-wrap", T0), answered("z-answer", T0)]);
    expect(facts).toEqual([
      handled({
        channel: "",
        agent_id: "a-07",
        anchor_ms: T0,
        start_ms: T0,
        duration_ms: 0,
        start_event_id: "z-answer",
        end_event_id: "a-wrap",
      }),
    ]);
  });

  it("a wrap-up with no known answer has handling time -1 and starts at its own time", () => {
    const facts = derive([
      wrappedUp("w1", T0 + 5_000, "credit_card", "a-07", "escalated", "complaint"),
    ]);
    expect(facts).toEqual([
      {
        site: SITE,
        kind: "handled",
        anchor_ms: T0 + 5_000,
        start_ms: T0 + 5_000,
        contact_id: C,
        queue: "credit_card",
        channel: "", // no contact.queued among the events
        agent_id: "a-07",
        outcome: "escalated",
        duration_ms: -1,
        detail: "complaint",
        tier: "",
        start_event_id: "",
        end_event_id: "w1",
      },
    ]);
  });

  it("an answer exactly 12 h before the wrap-up is used and one 12 h + 1 ms before is not", () => {
    const facts = derive([
      answered("ans1", T0),
      wrappedUp("w1", T0 + TWELVE_H), // 43 200 000 ms after the answer: used
      wrappedUp("w2", T0 + TWELVE_H + 1), // 43 200 001 ms after: too old, no answer known
    ]);
    expect(ofKind(facts, "handled")).toEqual([
      handled({
        channel: "",
        agent_id: "a-07",
        anchor_ms: T0 + 43_200_000,
        start_ms: T0,
        duration_ms: 43_200_000,
        start_event_id: "ans1",
        end_event_id: "w1",
      }),
      handled({
        channel: "",
        agent_id: "a-07",
        anchor_ms: T0 + 43_200_001,
        start_ms: T0 + 43_200_001,
        duration_ms: -1,
        start_event_id: "",
        end_event_id: "w2",
      }),
    ]);
  });
});

describe("transfers", () => {
  it("an answer passed on by several transfer events is one transfer, counted at the first of them", () => {
    const facts = derive([
      queued("q1", T0, "credit_card"),
      answered("ans1", T0 + 10_000, "credit_card", "a-1"),
      transferred("t1", T0 + 60_000, "credit_card", "a-1", "loans"),
      transferred("t2", T0 + 61_000, "credit_card", "a-1", "loans"), // the desktop sent it again
      queued("q2", T0 + 62_000, "loans"),
      answered("ans2", T0 + 80_000, "loans", "a-2"),
      transferred("t3", T0 + 120_000, "loans", "a-2", "", "a-5"),
    ]);
    const transfer = (f: Partial<ContactFact>): ContactFact => ({
      site: SITE,
      kind: "transfer",
      contact_id: C,
      queue: "credit_card",
      channel: "voice",
      agent_id: "",
      outcome: "",
      duration_ms: -1,
      detail: "",
      tier: "",
      anchor_ms: 0,
      start_ms: 0,
      start_event_id: "",
      end_event_id: "",
      ...f,
    });
    expect(ofKind(facts, "transfer")).toEqual([
      transfer({
        agent_id: "a-1",
        outcome: "loans",
        anchor_ms: T0 + 60_000,
        start_ms: T0 + 10_000,
        start_event_id: "ans1",
        end_event_id: "t1",
      }),
      transfer({
        queue: "loans",
        agent_id: "a-2",
        detail: "a-5",
        anchor_ms: T0 + 120_000,
        start_ms: T0 + 80_000,
        start_event_id: "ans2",
        end_event_id: "t3",
      }),
    ]);
    // The answered visits are unaffected: 10 s in credit_card, 80 − 62 = 18 s in loans.
    expect(ofKind(facts, "visit").map((f) => [f.queue, f.outcome, f.duration_ms])).toEqual([
      ["credit_card", "answered", 10_000],
      ["loans", "answered", 18_000],
    ]);
  });

  it("a transfer with no known answer still counts, starting at the transfer", () => {
    expect(derive([transferred("t1", T0, "credit_card", "a-1", "loans")])).toEqual([
      {
        site: SITE,
        kind: "transfer",
        anchor_ms: T0,
        start_ms: T0,
        contact_id: C,
        queue: "credit_card",
        channel: "",
        agent_id: "a-1",
        outcome: "loans",
        duration_ms: -1,
        detail: "",
        tier: "",
        start_event_id: "",
        end_event_id: "t1",
      },
    ]);
  });
});

describe("first responses", () => {
  const firstResponses = (facts: ContactFact[]) =>
    ofKind(facts, "first_response").map((f) => ({
      queue: f.queue,
      start_ms: f.start_ms,
      anchor_ms: f.anchor_ms,
      duration_ms: f.duration_ms,
      start_event_id: f.start_event_id,
      end_event_id: f.end_event_id,
    }));

  it("the first reply after the latest queued of its queue counts once per visit", () => {
    const facts = derive([
      queued("q1", T0, "credit_card", "chat"),
      answered("a1", T0 + 40_000, "credit_card"),
      firstResponse("r1", T0 + 95_000, "credit_card"), // 95 s after q1
      firstResponse("r2", T0 + 130_000, "credit_card"), // a second reply in the same visit: not counted
      queued("q2", T0 + 200_000, "loans", "chat"),
      answered("a2", T0 + 210_000, "loans", "a-2"),
      firstResponse("r3", T0 + 230_000, "loans", "a-2"), // 230 − 200 = 30 s
      queued("q3", T0 + 300_000, "credit_card", "chat"),
      answered("a3", T0 + 305_000, "credit_card"),
      firstResponse("r4", T0 + 320_000, "credit_card"), // from the latest queued of credit_card: 320 − 300 = 20 s
    ]);
    expect(firstResponses(facts)).toEqual([
      {
        queue: "credit_card",
        start_ms: T0,
        anchor_ms: T0 + 95_000,
        duration_ms: 95_000,
        start_event_id: "q1",
        end_event_id: "r1",
      },
      {
        queue: "loans",
        start_ms: T0 + 200_000,
        anchor_ms: T0 + 230_000,
        duration_ms: 30_000,
        start_event_id: "q2",
        end_event_id: "r3",
      },
      {
        queue: "credit_card",
        start_ms: T0 + 300_000,
        anchor_ms: T0 + 320_000,
        duration_ms: 20_000,
        start_event_id: "q3",
        end_event_id: "r4",
      },
    ]);
    expect(ofKind(facts, "first_response")[0]).toMatchObject({
      channel: "chat",
      agent_id: "a-07",
      outcome: "",
      detail: "",
      tier: "",
    });
  });

  it("a re-announced queued of the same visit does not restart the first-response time", () => {
    const facts = derive([
      queued("q1", T0, "credit_card", "chat"),
      queued("q2", T0 + 30_000, "credit_card", "chat"),
      answered("a1", T0 + 40_000),
      firstResponse("r1", T0 + 50_000),
    ]);
    // 50 s from the visit's start, not 20 s from the re-announcement
    expect(firstResponses(facts)).toEqual([
      {
        queue: "credit_card",
        start_ms: T0,
        anchor_ms: T0 + 50_000,
        duration_ms: 50_000,
        start_event_id: "q1",
        end_event_id: "r1",
      },
    ]);
  });

  it("a reply in a queue the contact was never queued in counts nothing", () => {
    expect(
      ofKind(
        derive([queued("q1", T0, "credit_card", "chat"), firstResponse("r1", T0 + 5_000, "loans")]),
        "first_response",
      ),
    ).toEqual([]);
  });
});

describe("input order and copies", () => {
  // A contact that flows out, is answered, transferred, handled, replied to and queued again.
  const events = [
    queued("e-01", T0, "credit_card", "chat", "vip"),
    queued("e-02", T0 + 30_000, "loans", "chat", "vip"),
    answered("e-03", T0 + 45_000, "loans", "a-1"),
    firstResponse("e-04", T0 + 50_000, "loans", "a-1"),
    transferred("e-05", T0 + 200_000, "loans", "a-1", "wealth"),
    transferred("e-06", T0 + 200_000, "loans", "a-1", "wealth"),
    ended("e-07", T0 + 210_000, "loans", "a-1"),
    wrappedUp("e-08", T0 + 240_000, "loans", "a-1", "unresolved", "loans"),
    queued("e-09", T0 + 240_000, "wealth", "chat", "vip"),
    abandoned("e-10", T0 + 300_000, "wealth"),
    queued("e-11", T0 + 400_000, "credit_card", "chat", "vip"),
  ];
  const base = {
    site: SITE,
    contact_id: C,
    channel: "chat",
    agent_id: "",
    outcome: "",
    detail: "",
    tier: "",
  };
  const expected: ContactFact[] = [
    {
      ...base,
      kind: "visit",
      queue: "credit_card",
      tier: "vip",
      outcome: "flowed_out",
      start_ms: T0,
      anchor_ms: T0 + 30_000,
      duration_ms: 30_000,
      start_event_id: "e-01",
      end_event_id: "e-02",
    },
    {
      ...base,
      kind: "visit",
      queue: "loans",
      tier: "vip",
      outcome: "answered",
      start_ms: T0 + 30_000,
      anchor_ms: T0 + 45_000,
      duration_ms: 15_000,
      start_event_id: "e-02",
      end_event_id: "e-03",
    },
    {
      ...base,
      kind: "first_response",
      queue: "loans",
      agent_id: "a-1",
      start_ms: T0 + 30_000,
      anchor_ms: T0 + 50_000,
      duration_ms: 20_000,
      start_event_id: "e-02",
      end_event_id: "e-04",
    },
    {
      ...base,
      kind: "transfer",
      queue: "loans",
      agent_id: "a-1",
      outcome: "wealth",
      start_ms: T0 + 45_000,
      anchor_ms: T0 + 200_000,
      duration_ms: -1,
      start_event_id: "e-03",
      end_event_id: "e-05",
    },
    // e-09 (queued, T0 + 240 s) ranks before the wrap-up of the same instant and ends nothing open
    {
      ...base,
      kind: "visit",
      queue: "wealth",
      tier: "vip",
      outcome: "abandoned",
      start_ms: T0 + 240_000,
      anchor_ms: T0 + 300_000,
      duration_ms: 60_000,
      start_event_id: "e-09",
      end_event_id: "e-10",
    },
    {
      ...base,
      kind: "open",
      queue: "credit_card",
      tier: "vip",
      start_ms: T0 + 400_000,
      anchor_ms: T0 + 400_000,
      duration_ms: -1,
      start_event_id: "e-11",
      end_event_id: "",
    },
  ];
  // handled: 240 − 45 = 195 s after the answer e-03 of the same queue and agent
  const expectedHandled: ContactFact = {
    ...base,
    kind: "handled",
    queue: "loans",
    agent_id: "a-1",
    outcome: "unresolved",
    detail: "loans",
    start_ms: T0 + 45_000,
    anchor_ms: T0 + 240_000,
    duration_ms: 195_000,
    start_event_id: "e-03",
    end_event_id: "e-08",
  };
  const byKind = (facts: ContactFact[]) => ({
    handled: ofKind(facts, "handled"),
    rest: facts.filter((f) => f.kind !== "handled"),
  });

  it("events in time order give the hand-computed facts", () => {
    const facts = derive(events);
    expect(byKind(facts)).toEqual({ handled: [expectedHandled], rest: expected });
    expect(facts).toHaveLength(7);
  });

  it("the same events shuffled give identical facts", () => {
    const inOrder = derive(events);
    for (const seed of [1, 7, 42, 2026, 99_991])
      expect(derive(shuffled(events, seed))).toEqual(inOrder);
    expect(derive([...events].reverse())).toEqual(inOrder);
  });

  it("every event delivered twice gives identical facts", () => {
    const inOrder = derive(events);
    expect(derive([...events, ...events])).toEqual(inOrder);
    expect(derive(shuffled([...events, ...events.map((e) => ({ ...e }))], 5))).toEqual(inOrder);
  });

  it("orderEvents drops copies and sorts by time, then lifecycle, then event_id", () => {
    const ordered = orderEvents([
      wrappedUp("a", T0),
      answered("b", T0),
      queued("c", T0),
      answered("b", T0),
      abandoned("d", T0 - 1),
      ended("e", T0),
      ended("f", T0),
    ]);
    expect(ordered.map((e) => e.event_id)).toEqual(["d", "c", "b", "e", "f", "a"]);
  });
});
