// The demo floor (pure): valid events, agents who follow their contacts and are never on two at
// once, surveys only of handled contacts, the same events for the same seed, and service levels
// that make a mostly healthy floor with loans and complaints under pressure.
import { Event, type Event as EventT } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import {
  DEMO_AGENTS,
  DEMO_QUEUES,
  type DemoQueue,
  demoAgents,
  demoSurveyHistory,
  makeDemoSimulator,
} from "./simulator";

const START = Date.UTC(2026, 10, 23, 1, 0); // 09:00 in Shanghai, a Monday
const HOUR = 3_600_000;
const STRESSED = new Set(["loans", "complaint"]);

const cache = new Map<number, EventT[]>();
/** Four hours of the demo floor for `seed`, asked for once. */
function fourHours(seed: number): EventT[] {
  let events = cache.get(seed);
  if (!events) {
    events = makeDemoSimulator({ site: "demo", startMs: START, seed }).due(START + 4 * HOUR);
    cache.set(seed, events);
  }
  return events;
}

const ms = (e: EventT) => Date.parse(e.occurred_at);

/** metrics.md: answered within T / (answered + abandoned − abandoned within S), per queue. */
function serviceLevels(events: EventT[], queues: readonly DemoQueue[]): Map<string, number> {
  const queuedAt = new Map<string, number>();
  const tally = new Map<string, { within: number; answered: number; abandoned: number }>();
  for (const e of events) {
    if (e.type === "contact.queued") queuedAt.set(e.contact_id, ms(e));
    if (e.type !== "contact.answered" && e.type !== "contact.abandoned") continue;
    const q = queues.find((x) => x.queue === e.queue);
    const start = queuedAt.get(e.contact_id);
    if (!q || start === undefined) throw new Error(`visit end without a start: ${e.contact_id}`);
    const waitS = (ms(e) - start) / 1000;
    const T = q.channel === "voice" ? 20 : 60;
    const t = tally.get(e.queue) ?? { within: 0, answered: 0, abandoned: 0 };
    if (e.type === "contact.answered") {
      t.answered++;
      if (waitS <= T) t.within++;
    } else if (waitS >= 5) t.abandoned++;
    tally.set(e.queue, t);
  }
  return new Map([...tally].map(([q, t]) => [q, t.within / (t.answered + t.abandoned)]));
}

describe("the demo floor's agents", () => {
  it("has a named team per queue, ids a-01…, some serving two queues", () => {
    const ids = DEMO_AGENTS.map((a) => a.agent_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^a-\d{2,}$/);
    for (const q of DEMO_QUEUES) {
      const team = DEMO_AGENTS.filter((a) => a.team === `t-${q.queue}`);
      expect(team.length, q.queue).toBe(q.agents);
      for (const a of team) expect(a.queues[0]).toBe(q.queue);
    }
    expect(DEMO_AGENTS.filter((a) => a.queues.length === 2).length).toBeGreaterThan(3);
    for (const a of DEMO_AGENTS) expect(a.name).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(new Set(DEMO_AGENTS.map((a) => a.name)).size).toBe(DEMO_AGENTS.length);
    expect(demoAgents()).toEqual(DEMO_AGENTS);
  });
});

describe("makeDemoSimulator", () => {
  it("makes only events the contract accepts, none before it is due", () => {
    const sim = makeDemoSimulator({ site: "demo", startMs: START, seed: 3 });
    const types = new Set<string>();
    for (let now = START; now <= START + HOUR; now += 60_000)
      for (const e of sim.due(now)) {
        const parsed = Event.safeParse(e);
        expect(parsed.success, JSON.stringify(e)).toBe(true);
        expect(ms(e)).toBeLessThanOrEqual(now);
        types.add(e.type);
      }
    expect([...types].sort()).toEqual([
      "agent.state_changed",
      "contact.abandoned",
      "contact.answered",
      "contact.ended",
      "contact.queued",
      "contact.wrapped_up",
      "survey.completed",
    ]);
    const ids = fourHours(3).map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("logs every agent in at the start, saying who they are and which queues they serve", () => {
    const first = makeDemoSimulator({ site: "demo", startMs: START, seed: 1 }).due(START);
    const logins = first.filter((e) => e.type === "agent.state_changed");
    expect(logins).toHaveLength(DEMO_AGENTS.length);
    for (const [i, e] of logins.entries())
      expect(e).toMatchObject({
        occurred_at: new Date(START).toISOString(),
        state: "available",
        agent_id: DEMO_AGENTS[i]?.agent_id,
        name: DEMO_AGENTS[i]?.name,
        team: DEMO_AGENTS[i]?.team,
        queues: DEMO_AGENTS[i]?.queues,
      });
  });

  it("never puts an agent on two contacts at once, and only on contacts of their queues", () => {
    for (const seed of [1, 2, 3]) {
      const busy = new Map<string, Array<[number, number]>>();
      const answeredAt = new Map<string, number>();
      for (const e of fourHours(seed)) {
        if (e.type === "contact.answered") {
          answeredAt.set(e.contact_id, ms(e));
          const agent = DEMO_AGENTS.find((a) => a.agent_id === e.agent_id);
          expect(agent?.queues, e.agent_id).toContain(e.queue);
        }
        if (e.type === "contact.wrapped_up") {
          const from = answeredAt.get(e.contact_id);
          expect(from, e.contact_id).toBeDefined();
          busy.set(e.agent_id, [...(busy.get(e.agent_id) ?? []), [from ?? 0, ms(e)]]);
        }
      }
      for (const [agent, spans] of busy) {
        spans.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i++)
          expect(spans[i]?.[0], agent).toBeGreaterThan(spans[i - 1]?.[1] ?? 0);
      }
    }
  });

  it("moves the agent with the contact: on contact, wrap-up, then available or a break and back", () => {
    const events = fourHours(2);
    const next: Record<string, string[]> = {
      available: ["on_contact"],
      on_contact: ["wrap_up"],
      wrap_up: ["available", "not_ready"],
      not_ready: ["available"],
    };
    const states = new Map<string, Array<{ at: number; state: string; reason?: string }>>();
    for (const e of events)
      if (e.type === "agent.state_changed")
        states.set(e.agent_id, [
          ...(states.get(e.agent_id) ?? []),
          { at: ms(e), state: e.state, ...(e.reason ? { reason: e.reason } : {}) },
        ]);
    const reasons = new Set<string>();
    for (const [agent, list] of states) {
      expect(list[0]?.state, agent).toBe("available");
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1], list[i]];
        if (!a || !b) continue;
        // Strictly later: "the latest by occurred_at wins" must not have to break a tie.
        expect(b.at, agent).toBeGreaterThan(a.at);
        expect(next[a.state], `${agent}: ${a.state} → ${b.state}`).toContain(b.state);
        if (b.state === "not_ready") reasons.add(b.reason ?? "none");
      }
    }
    expect([...reasons].sort()).toEqual(["break", "meeting", "training"]);
    // Each contact event has its agent's state change at the same instant.
    const at = (agent: string, t: number) => states.get(agent)?.find((s) => s.at === t)?.state;
    for (const e of events) {
      if (e.type === "contact.answered") expect(at(e.agent_id, ms(e))).toBe("on_contact");
      if (e.type === "contact.ended") expect(at(e.agent_id, ms(e))).toBe("wrap_up");
      if (e.type === "contact.wrapped_up")
        expect(["available", "not_ready"]).toContain(at(e.agent_id, ms(e)));
    }
  });

  it("sends surveys only for handled contacts, a few minutes after wrap-up, about three in ten", () => {
    const events = fourHours(1);
    const wrapped = new Map<string, EventT & { type: "contact.wrapped_up" }>();
    const channel = new Map<string, string>();
    const surveys: Array<EventT & { type: "survey.completed" }> = [];
    for (const e of events) {
      if (e.type === "contact.queued") channel.set(e.contact_id, e.channel);
      if (e.type === "contact.wrapped_up") wrapped.set(e.contact_id, e);
      if (e.type === "survey.completed") surveys.push(e);
    }
    for (const s of surveys) {
      const w = wrapped.get(s.contact_id);
      expect(w, s.contact_id).toBeDefined();
      expect([s.queue, s.agent_id, s.channel]).toEqual([
        w?.queue,
        w?.agent_id,
        channel.get(s.contact_id),
      ]);
      const after = ms(s) - (w ? ms(w) : 0);
      expect(after).toBeGreaterThanOrEqual(60_000);
    }
    const share = surveys.length / wrapped.size;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    const csat = surveys.map((s) => s.csat ?? 0);
    expect(csat.filter((c) => c >= 4).length / csat.length).toBeGreaterThan(0.8);
    expect(csat.filter((c) => c <= 2).length).toBeGreaterThan(5);
    const resolved = surveys.filter((s) => s.resolved).length / surveys.length;
    expect(resolved).toBeGreaterThan(0.85);
    expect(resolved).toBeLessThan(0.97);
    expect(surveys.filter((s) => s.nps !== undefined).length).toBeGreaterThan(surveys.length / 5);
    // A low score can be followed up: its contact has a customer id.
    for (const e of events) if (e.type === "contact.queued") expect(e.customer?.id).toBeTruthy();
  });

  it("gives the same events for the same seed, however often it is asked, and others for another", () => {
    const once = makeDemoSimulator({ site: "demo", startMs: START, seed: 7 }).due(START + HOUR);
    const ticking = makeDemoSimulator({ site: "demo", startMs: START, seed: 7 });
    const ticked: EventT[] = [];
    for (let now = START; now <= START + HOUR; now += 500) ticked.push(...ticking.due(now));
    expect(ticked).toEqual(once);
    const other = makeDemoSimulator({ site: "demo", startMs: START, seed: 8 }).due(START + HOUR);
    expect(other).not.toEqual(once);
  });

  it("meets 80 % within T on the healthy queues over four hours; loans and complaints fall short", () => {
    for (const seed of [1, 2, 3]) {
      const sl = serviceLevels(fourHours(seed), DEMO_QUEUES);
      expect([...sl.keys()].sort()).toEqual(DEMO_QUEUES.map((q) => q.queue).sort());
      const healthy = DEMO_QUEUES.filter((q) => !STRESSED.has(q.queue));
      for (const q of healthy)
        expect(sl.get(q.queue), `${q.queue} seed ${seed}`).toBeGreaterThanOrEqual(0.8);
      const worstHealthy = Math.min(...healthy.map((q) => sl.get(q.queue) ?? 0));
      for (const q of STRESSED) {
        expect(sl.get(q), `${q} seed ${seed}`).toBeLessThan(0.8);
        expect(sl.get(q)).toBeLessThan(worstHealthy);
      }
    }
  });
});

describe("demoSurveyHistory", () => {
  const until = START + 5 * HOUR;

  it("gives every queue surveys on each of the last 14 days and today up to the end, all valid", () => {
    const history = demoSurveyHistory({ site: "demo", untilMs: until, seed: 4 });
    for (const e of history) {
      expect(Event.safeParse(e).success, JSON.stringify(e)).toBe(true);
      expect(ms(e)).toBeLessThan(until);
    }
    const days = (q: string) =>
      new Set(
        history.filter((e) => "queue" in e && e.queue === q).map((e) => e.occurred_at.slice(0, 10)),
      );
    for (const q of DEMO_QUEUES) expect(days(q.queue).size, q.queue).toBe(15);
    expect(Math.min(...history.map(ms))).toBeGreaterThanOrEqual(until - 15 * 86_400_000);
    const ids = history.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    const csat = history.flatMap((e) => (e.type === "survey.completed" && e.csat ? [e.csat] : []));
    expect(csat.filter((c) => c >= 4).length / csat.length).toBeGreaterThan(0.8);
    expect(csat.some((c) => c <= 2)).toBe(true);
  });

  it("is the same for a day whenever it is asked, so a demo restart repeats event ids", () => {
    const early = demoSurveyHistory({ site: "demo", untilMs: until, seed: 4 });
    const later = demoSurveyHistory({ site: "demo", untilMs: until + 3 * HOUR, seed: 4 });
    expect(later.filter((e) => ms(e) < until)).toEqual(early);
    expect(later.length).toBeGreaterThan(early.length);
    expect(demoSurveyHistory({ site: "demo", untilMs: until, seed: 5 })).not.toEqual(early);
  });
});
