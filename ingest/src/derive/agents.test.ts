// Hand-computed expectations for deriveAgentIntervals (metrics.md "Agent metrics", events.md
// "Agent state"): each event starts an interval the next one ends, the latest stays open (to_ms 0),
// and a missing `queues` keeps the previous ones.
import { describe, expect, it } from "vitest";
import { deriveAgentIntervals, type AgentEventInput } from "./agents";
import type { AgentInterval } from "./facts";

const SITE = "sh-pudong";
const A = "a-07";
/** 2026-11-22 09:00:00 Shanghai time. */
const T0 = Date.parse("2026-11-22T09:00:00+08:00");

// An agent_events row: queues_set says whether the event carried `queues` at all.
function ev(
  event_id: string,
  occurred_ms: number,
  state: string,
  fields: Partial<AgentEventInput> = {},
): AgentEventInput {
  return {
    event_id,
    occurred_ms,
    agent_id: A,
    state,
    reason: "",
    queues: [],
    queues_set: 0,
    team: "",
    name: "",
    ...fields,
  };
}
const withQueues = (queues: string[]) => ({ queues, queues_set: 1 });

const interval = (
  f: Pick<AgentInterval, "from_ms" | "to_ms" | "state" | "queues" | "event_id"> &
    Partial<AgentInterval>,
): AgentInterval => ({
  site: SITE,
  agent_id: A,
  reason: "",
  team: "t-1",
  name: "王芳",
  ...f,
});

const derive = (
  events: readonly AgentEventInput[],
  prior?: { queues: string[]; team: string; name: string },
) => deriveAgentIntervals(SITE, A, events, prior);

describe("agent state intervals", () => {
  // A morning: available, a contact, wrap-up, a break, available again.
  const morning = [
    ev("e-1", T0, "available", {
      ...withQueues(["credit_card", "loans"]),
      team: "t-1",
      name: "王芳",
    }),
    ev("e-2", T0 + 300_000, "on_contact"), // 09:05
    ev("e-3", T0 + 540_000, "wrap_up"), // 09:09
    ev("e-4", T0 + 600_000, "not_ready", { reason: "break" }), // 09:10
    ev("e-5", T0 + 1_500_000, "available"), // 09:25
  ];
  const cl = ["credit_card", "loans"];
  const expectedMorning = [
    interval({ from_ms: T0, to_ms: T0 + 300_000, state: "available", queues: cl, event_id: "e-1" }), // 5 min
    interval({
      from_ms: T0 + 300_000,
      to_ms: T0 + 540_000,
      state: "on_contact",
      queues: cl,
      event_id: "e-2",
    }), // 4 min
    interval({
      from_ms: T0 + 540_000,
      to_ms: T0 + 600_000,
      state: "wrap_up",
      queues: cl,
      event_id: "e-3",
    }), // 1 min
    interval({
      from_ms: T0 + 600_000,
      to_ms: T0 + 1_500_000,
      state: "not_ready",
      reason: "break",
      queues: cl,
      event_id: "e-4",
    }), // 15 min
    interval({
      from_ms: T0 + 1_500_000,
      to_ms: 0,
      state: "available",
      queues: cl,
      event_id: "e-5",
    }), // latest: open
  ];

  it("each event starts an interval that the next event ends and the latest stays open with to_ms 0", () => {
    expect(derive(morning)).toEqual(expectedMorning);
  });

  it("a single event is one open interval", () => {
    expect(
      derive([ev("e-1", T0, "available", { ...withQueues(["loans"]), team: "t-1", name: "王芳" })]),
    ).toEqual([
      interval({ from_ms: T0, to_ms: 0, state: "available", queues: ["loans"], event_id: "e-1" }),
    ]);
  });

  it("no events give no intervals", () => {
    expect(derive([])).toEqual([]);
  });

  it("the same events shuffled give identical intervals", () => {
    const orders = [
      [...morning].reverse(),
      [morning[2]!, morning[0]!, morning[4]!, morning[1]!, morning[3]!],
      [morning[4]!, morning[3]!, morning[0]!, morning[2]!, morning[1]!],
    ];
    for (const order of orders) expect(derive(order)).toEqual(expectedMorning);
  });

  it("every event delivered twice gives identical intervals", () => {
    expect(derive([...morning, ...morning.map((e) => ({ ...e }))])).toEqual(expectedMorning);
    expect(derive([morning[3]!, ...morning, morning[0]!, morning[3]!])).toEqual(expectedMorning);
  });
});

describe("the queues an agent serves", () => {
  it("an event without queues keeps the previous queues, and queues may change mid-day", () => {
    const events = [
      ev("e-1", Date.parse("2026-11-22T08:00:00+08:00"), "available", {
        ...withQueues(["credit_card"]),
        team: "t-1",
        name: "王芳",
      }),
      ev("e-2", Date.parse("2026-11-22T10:00:00+08:00"), "on_contact"),
      ev(
        "e-3",
        Date.parse("2026-11-22T12:30:00+08:00"),
        "available",
        withQueues(["credit_card", "wealth"]),
      ),
      ev("e-4", Date.parse("2026-11-22T13:00:00+08:00"), "not_ready", { reason: "meeting" }),
      ev("e-5", Date.parse("2026-11-22T14:00:00+08:00"), "available", withQueues([])), // serves no queue from now on
      ev("e-6", Date.parse("2026-11-22T15:00:00+08:00"), "logged_out"),
    ];
    // 08:00 +08:00 = 00:00 UTC, so the hours below are UTC hours 0, 2, 4:30, 5, 6, 7
    expect(derive(events)).toEqual([
      interval({
        from_ms: Date.UTC(2026, 10, 22, 0, 0),
        to_ms: Date.UTC(2026, 10, 22, 2, 0),
        state: "available",
        queues: ["credit_card"],
        event_id: "e-1",
      }),
      interval({
        from_ms: Date.UTC(2026, 10, 22, 2, 0),
        to_ms: Date.UTC(2026, 10, 22, 4, 30),
        state: "on_contact",
        queues: ["credit_card"],
        event_id: "e-2",
      }),
      interval({
        from_ms: Date.UTC(2026, 10, 22, 4, 30),
        to_ms: Date.UTC(2026, 10, 22, 5, 0),
        state: "available",
        queues: ["credit_card", "wealth"],
        event_id: "e-3",
      }),
      interval({
        from_ms: Date.UTC(2026, 10, 22, 5, 0),
        to_ms: Date.UTC(2026, 10, 22, 6, 0),
        state: "not_ready",
        reason: "meeting",
        queues: ["credit_card", "wealth"],
        event_id: "e-4",
      }),
      interval({
        from_ms: Date.UTC(2026, 10, 22, 6, 0),
        to_ms: Date.UTC(2026, 10, 22, 7, 0),
        state: "available",
        queues: [],
        event_id: "e-5",
      }),
      interval({
        from_ms: Date.UTC(2026, 10, 22, 7, 0),
        to_ms: 0,
        state: "logged_out",
        queues: [],
        event_id: "e-6",
      }),
    ]);
  });

  it("the prior queues, team and name apply until an event sets them", () => {
    const prior = { queues: ["deposits"], team: "t-9", name: "李雷" };
    const events = [
      ev("e-1", T0, "available"),
      ev("e-2", T0 + 60_000, "on_contact", withQueues(["loans"])),
      ev("e-3", T0 + 120_000, "wrap_up", { name: "Li Lei" }),
      ev("e-4", T0 + 180_000, "available", { team: "t-2" }),
    ];
    expect(derive(events, prior)).toEqual([
      interval({
        from_ms: T0,
        to_ms: T0 + 60_000,
        state: "available",
        queues: ["deposits"],
        team: "t-9",
        name: "李雷",
        event_id: "e-1",
      }),
      interval({
        from_ms: T0 + 60_000,
        to_ms: T0 + 120_000,
        state: "on_contact",
        queues: ["loans"],
        team: "t-9",
        name: "李雷",
        event_id: "e-2",
      }),
      interval({
        from_ms: T0 + 120_000,
        to_ms: T0 + 180_000,
        state: "wrap_up",
        queues: ["loans"],
        team: "t-9",
        name: "Li Lei",
        event_id: "e-3",
      }),
      interval({
        from_ms: T0 + 180_000,
        to_ms: 0,
        state: "available",
        queues: ["loans"],
        team: "t-2",
        name: "Li Lei",
        event_id: "e-4",
      }),
    ]);
  });

  it("without prior, queues are empty until an event sets them", () => {
    expect(
      derive([
        ev("e-1", T0, "available"),
        ev("e-2", T0 + 1_000, "available", withQueues(["loans"])),
      ]),
    ).toEqual([
      interval({
        from_ms: T0,
        to_ms: T0 + 1_000,
        state: "available",
        queues: [],
        team: "",
        name: "",
        event_id: "e-1",
      }),
      interval({
        from_ms: T0 + 1_000,
        to_ms: 0,
        state: "available",
        queues: ["loans"],
        team: "",
        name: "",
        event_id: "e-2",
      }),
    ]);
  });

  it("an interval's queues are a copy that later changes do not reach", () => {
    const queues = ["credit_card"];
    const out = derive([
      ev("e-1", T0, "available", { ...withQueues(queues), team: "t-1", name: "王芳" }),
    ]);
    queues.push("loans");
    expect(out[0]?.queues).toEqual(["credit_card"]);
  });
});

describe("events of the same instant", () => {
  it("the event with the greater event_id is the latest and the empty interval of the other is left out", () => {
    const events = [
      ev("e-1", T0, "available", { ...withQueues(["loans"]), team: "t-1", name: "王芳" }),
      ev("e-3", T0 + 60_000, "not_ready", { reason: "break" }), // greater id: wins the instant
      ev("e-2", T0 + 60_000, "on_contact"),
      ev("e-4", T0 + 120_000, "available"),
    ];
    const expected = [
      interval({
        from_ms: T0,
        to_ms: T0 + 60_000,
        state: "available",
        queues: ["loans"],
        event_id: "e-1",
      }),
      interval({
        from_ms: T0 + 60_000,
        to_ms: T0 + 120_000,
        state: "not_ready",
        reason: "break",
        queues: ["loans"],
        event_id: "e-3",
      }),
      interval({
        from_ms: T0 + 120_000,
        to_ms: 0,
        state: "available",
        queues: ["loans"],
        event_id: "e-4",
      }),
    ];
    expect(derive(events)).toEqual(expected);
    expect(derive([...events].reverse())).toEqual(expected);
  });

  it("two latest events of the same instant leave one open interval, that of the greater event_id", () => {
    const events = [
      ev("e-1", T0, "available", { ...withQueues(["loans"]), team: "t-1", name: "王芳" }),
      ev("e-b", T0 + 5_000, "logged_out"),
      ev("e-a", T0 + 5_000, "available"),
    ];
    expect(derive(events)).toEqual([
      interval({
        from_ms: T0,
        to_ms: T0 + 5_000,
        state: "available",
        queues: ["loans"],
        event_id: "e-1",
      }),
      interval({
        from_ms: T0 + 5_000,
        to_ms: 0,
        state: "logged_out",
        queues: ["loans"],
        event_id: "e-b",
      }),
    ]);
  });

  it("the queues of the earlier event of an instant carry forward to the later one that has none", () => {
    // e-2 is earlier than e-3 within the instant; e-3 has no queues, so it keeps the previous ones,
    // which are e-2's.
    const events = [
      ev("e-1", T0, "available", { ...withQueues(["loans"]), team: "t-1", name: "王芳" }),
      ev("e-2", T0 + 60_000, "available", withQueues(["wealth"])),
      ev("e-3", T0 + 60_000, "on_contact"),
    ];
    expect(derive(events)).toEqual([
      interval({
        from_ms: T0,
        to_ms: T0 + 60_000,
        state: "available",
        queues: ["loans"],
        event_id: "e-1",
      }),
      interval({
        from_ms: T0 + 60_000,
        to_ms: 0,
        state: "on_contact",
        queues: ["wealth"],
        event_id: "e-3",
      }),
    ]);
  });
});
