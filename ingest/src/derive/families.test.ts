// The re-derivation of each fact family over an in-memory store that answers the reads as the
// ClickHouse statements do (sql/src/queries/facts.ts): events by occurred_ms, facts net of sign
// by their anchor, both bounds inclusive. The property: events arriving in any order, in any
// chunks, with copies and late events, leave exactly the facts one pass over all of them derives.
import {
  AGENT_EVENTS_TABLE,
  AGENT_NEXT_HORIZON_MS,
  CONTACT_EVENTS_TABLE,
  SURVEY_EVENTS_TABLE,
} from "@floorwatch/sql";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveAgentIntervals, type AgentEventInput } from "./agents";
import { deriveContactFacts, type ContactEventInput } from "./contacts";
import type { SignedRow } from "./diff";
import { factId } from "./facts";
import {
  judge,
  rederiveAgents,
  rederiveContacts,
  rederiveSurveys,
  touchedBy,
  type FactReads,
  type ReadWindow,
} from "./families";
import { deriveSurveyFact, type SurveyEventInput } from "./surveys";

const SITE = "sh-pudong";
const T0 = Date.parse("2026-11-22T00:00:00Z");
const H = 3_600_000;

type Stored = { fact: Record<string, unknown>; net: number };

/** Raw tables (copies kept, as before a merge) and fact tables (net per fact id). */
class MemoryStore {
  contactEvents: (ContactEventInput & { site: string })[] = [];
  agentEvents: (AgentEventInput & { site: string })[] = [];
  surveyEvents: (SurveyEventInput & { site: string })[] = [];
  contactFacts = new Map<string, Stored>();
  agentIntervals = new Map<string, Stored>();
  surveyFacts = new Map<string, Stored>();
  /** agent → its latest current-state row (agent_current keeps the latest from_ms). */
  current = new Map<string, { from_ms: number }>();
  reads: string[] = [];

  apply(table: Map<string, Stored>, rows: readonly SignedRow<object>[]) {
    for (const r of rows) {
      const s = table.get(r.fact_id) ?? { fact: r.fact as Record<string, unknown>, net: 0 };
      s.net += r.sign;
      table.set(r.fact_id, s);
    }
  }

  net(table: Map<string, Stored>) {
    return [...table].filter(([, s]) => s.net !== 0);
  }

  factsIn(table: Map<string, Stored>, w: ReadWindow, id: string, at: string) {
    return this.net(table)
      .filter(([, s]) => {
        const t = s.fact[at] as number;
        return (
          s.fact.site === w.site &&
          w.ids.includes(s.fact[id] as string) &&
          t >= w.from_ms &&
          t <= w.to_ms
        );
      })
      .map(([fact_id, { fact, net }]) => {
        const { site: _site, ...rest } = fact;
        return { ...rest, fact_id, net };
      });
  }

  readonly fakeReads: FactReads = {
    contactEvents: async (w) => this.eventsIn(this.contactEvents, w, (e) => e.contact_id),
    agentEvents: async (w) => this.eventsIn(this.agentEvents, w, (e) => e.agent_id),
    surveyEvents: async (w) => this.eventsIn(this.surveyEvents, w, (e) => e.survey_id),
    // biome-ignore lint/suspicious/noExplicitAny: rows as the loaders' schemas parse them
    contactFacts: async (w) => this.factsIn(this.contactFacts, w, "contact_id", "anchor_ms") as any,
    agentCurrentStarts: async (w) =>
      w.ids.flatMap((agent_id) => {
        const c = this.current.get(agent_id);
        return c ? [{ agent_id, from_ms: c.from_ms }] : [];
      }),
    agentIntervalsAt: async (w) =>
      this.factsIn(
        this.agentIntervals,
        { site: w.site, ids: w.ids, from_ms: -Infinity, to_ms: Infinity },
        "agent_id",
        "from_ms",
        // biome-ignore lint/suspicious/noExplicitAny: rows as the loaders' schemas parse them
      ).filter((f) => w.starts.includes((f as { from_ms?: number }).from_ms ?? -1)) as any,
    agentNextEvents: async (w) => {
      const later = this.agentEvents.filter(
        (e) =>
          e.site === w.site &&
          w.ids.includes(e.agent_id) &&
          e.occurred_ms > w.after_ms &&
          e.occurred_ms <= w.after_ms + AGENT_NEXT_HORIZON_MS,
      );
      const first = new Map<string, number>();
      for (const e of later)
        first.set(e.agent_id, Math.min(first.get(e.agent_id) ?? Infinity, e.occurred_ms));
      return later.filter((e) => e.occurred_ms === first.get(e.agent_id));
    },
    // biome-ignore lint/suspicious/noExplicitAny: rows as the loaders' schemas parse them
    agentIntervals: async (w) => this.factsIn(this.agentIntervals, w, "agent_id", "from_ms") as any,
    // biome-ignore lint/suspicious/noExplicitAny: rows as the loaders' schemas parse them
    surveyFacts: async (w) => this.factsIn(this.surveyFacts, w, "survey_id", "anchor_ms") as any,
  };

  eventsIn<E extends { site: string; occurred_ms: number }>(
    rows: E[],
    w: ReadWindow,
    id: (e: E) => string,
  ): E[] {
    this.reads.push(`${w.from_ms - T0}..${w.to_ms - T0}`);
    return rows.filter(
      (e) =>
        e.site === w.site &&
        w.ids.includes(id(e)) &&
        e.occurred_ms >= w.from_ms &&
        e.occurred_ms <= w.to_ms,
    );
  }

  /** One flush, as the deriver runs it: store the rows, then re-derive what they touched. */
  async flush(chunk: readonly Arrival[]) {
    const byTable = new Map<string, object[]>([
      [CONTACT_EVENTS_TABLE, []],
      [AGENT_EVENTS_TABLE, []],
      [SURVEY_EVENTS_TABLE, []],
    ]);
    for (const a of chunk) {
      if (a.table === "contact") this.contactEvents.push(a.row);
      else if (a.table === "agent") this.agentEvents.push(a.row);
      else this.surveyEvents.push(a.row);
      byTable.get(TABLES[a.table])!.push(a.row);
    }
    const t = touchedBy(byTable);
    for (const [site, spans] of t.contacts)
      this.apply(this.contactFacts, await rederiveContacts(this.fakeReads, site, spans, new Map()));
    for (const [site, spans] of t.agents) {
      const { rows, current } = await rederiveAgents(this.fakeReads, site, spans);
      this.apply(this.agentIntervals, rows);
      for (const c of current) {
        const had = this.current.get(c.agent_id);
        if (!had || c.from_ms >= had.from_ms) this.current.set(c.agent_id, c);
      }
    }
    for (const [site, spans] of t.surveys)
      this.apply(this.surveyFacts, await rederiveSurveys(this.fakeReads, site, spans));
  }
}

const TABLES = {
  contact: CONTACT_EVENTS_TABLE,
  agent: AGENT_EVENTS_TABLE,
  survey: SURVEY_EVENTS_TABLE,
} as const;

type Arrival =
  | { table: "contact"; row: ContactEventInput & { site: string } }
  | { table: "agent"; row: AgentEventInput & { site: string } }
  | { table: "survey"; row: SurveyEventInput & { site: string } };

// ---- generated corpora ----------------------------------------------------------------------

const CONTACT_TYPES = [
  "contact.queued",
  "contact.queued",
  "contact.answered",
  "contact.abandoned",
  "contact.callback_requested",
  "contact.first_response",
  "contact.transferred",
  "contact.ended",
  "contact.wrapped_up",
] as const;

/** Minutes with whole-second and millisecond parts, so waits meet T and S exactly or not. */
const instant = (maxH: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxH * 60 }), fc.constantFrom(0, 999, 30_000, 180_000))
    .map(([m, extra]) => T0 + m * 60_000 + extra);

const contactEvent = fc
  .record({
    contact: fc.constantFrom("c1", "c2", "c3"),
    type: fc.constantFrom(...CONTACT_TYPES),
    queue: fc.constantFrom("credit_card", "loans"),
    channel: fc.constantFrom("voice", "chat"),
    // Within 12 h of each other: see the orphaned-visit limit below.
    at: instant(11),
    agent: fc.constantFrom("a1", "a2"),
    disposition: fc.constantFrom("resolved", "unresolved"),
  })
  .map(
    (g): Omit<ContactEventInput, "event_id"> => ({
      type: g.type,
      occurred_ms: g.at,
      contact_id: g.contact,
      queue: g.queue,
      // Only contact.queued carries channel and tier (rows.ts).
      channel: g.type === "contact.queued" ? g.channel : "",
      agent_id: g.type === "contact.queued" || g.type === "contact.abandoned" ? "" : g.agent,
      customer_tier: g.type === "contact.queued" ? "standard" : "",
      disposition: g.type === "contact.wrapped_up" ? g.disposition : "",
      category: "",
      to_queue: g.type === "contact.transferred" ? "loans" : "",
      to_agent_id: "",
    }),
  );

const agentEvent = fc
  .record({
    agent: fc.constantFrom("a1", "a2"),
    state: fc.constantFrom("available", "on_contact", "wrap_up", "not_ready", "logged_out"),
    // Within 24 h of each other: a late `queues` carries forward only that far (see below).
    at: instant(23),
    queues: fc.option(fc.subarray(["credit_card", "loans"]), { nil: null }),
    team: fc.constantFrom("", "t-1"),
  })
  .map(
    (g): Omit<AgentEventInput, "event_id"> => ({
      occurred_ms: g.at,
      agent_id: g.agent,
      state: g.state,
      reason: g.state === "not_ready" ? "break" : "",
      queues: g.queues ?? [],
      queues_set: g.queues ? 1 : 0,
      team: g.team,
      name: "",
    }),
  );

const score = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null });
const surveyEvent = fc
  .record({
    survey: fc.constantFrom("s1", "s2", "s3"),
    at: instant(20),
    csat: score(5),
    nps: score(10),
    resolved: score(1),
    queue: fc.constantFrom("credit_card", "loans"),
  })
  .map(
    (g): Omit<SurveyEventInput, "event_id"> => ({
      occurred_ms: g.at,
      survey_id: g.survey,
      contact_id: `c-${g.survey}`,
      channel: "voice",
      queue: g.queue,
      agent_id: "a1",
      csat: g.csat === 0 ? null : g.csat,
      nps: g.nps,
      resolved: g.resolved,
    }),
  );

/** A corpus, then its arrival: every event once or more (copies), in any order, in chunks. */
const corpus = fc
  .record({
    contacts: fc.array(contactEvent, { maxLength: 24 }),
    agents: fc.array(agentEvent, { maxLength: 14 }),
    surveys: fc.array(surveyEvent, { maxLength: 8 }),
  })
  .chain((c) => {
    const events: Arrival[] = [
      ...c.contacts.map((e, i) => ({
        table: "contact" as const,
        row: { site: SITE, event_id: `ce-${i}`, ...e },
      })),
      ...c.agents.map((e, i) => ({
        table: "agent" as const,
        row: { site: SITE, event_id: `ae-${i}`, ...e },
      })),
      ...c.surveys.map((e, i) => ({
        table: "survey" as const,
        row: { site: SITE, event_id: `se-${i}`, ...e },
      })),
    ];
    const n = events.length;
    return fc.record({
      events: fc.constant(events),
      copies: fc.array(fc.nat({ max: Math.max(n - 1, 0) }), { maxLength: n > 0 ? 6 : 0 }),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: n + 6,
        maxLength: n + 6,
      }),
      cuts: fc.array(fc.nat({ max: n + 6 }), { maxLength: 8 }),
    });
  })
  .map(({ events, copies, order, cuts }) => {
    const arrivals = [...events, ...copies.map((i) => events[i]!)]
      .map((a, i) => ({ a, key: order[i]! }))
      .sort((x, y) => x.key - y.key)
      .map(({ a }) => a);
    const at = [...new Set([0, ...cuts.filter((c) => c < arrivals.length), arrivals.length])].sort(
      (x, y) => x - y,
    );
    const chunks = at.slice(1).map((end, i) => arrivals.slice(at[i], end));
    return { events, chunks: chunks.filter((c) => c.length > 0) };
  });

/**
 * Agents over weeks: minutes, hours or days (weekends, holidays) between one agent's events, queue
 * lists and teams sent now and then. They arrive in time order as a live desktop sends them, in any
 * chunks, with redelivered copies of earlier events anywhere after the original.
 */
const agentWeeks = fc
  .array(
    fc.record({
      agent: fc.constantFrom("a1", "a2", "a3"),
      gap: fc.constantFrom(60_000, 2 * H, 30 * H, 50 * H, 80 * H, 100 * H),
      state: fc.constantFrom("available", "on_contact", "wrap_up", "not_ready", "logged_out"),
      queues: fc.option(fc.subarray(["credit_card", "loans"]), { nil: null }),
      team: fc.constantFrom("", "t-1", "t-2"),
    }),
    { maxLength: 24 },
  )
  .chain((gen) => {
    const clock = new Map<string, number>();
    const events: Arrival[] = gen.map((g, i) => {
      const at = (clock.get(g.agent) ?? T0) + g.gap;
      clock.set(g.agent, at);
      return {
        table: "agent" as const,
        row: {
          site: SITE,
          event_id: `aw-${i}`,
          occurred_ms: at,
          agent_id: g.agent,
          state: g.state,
          reason: "",
          queues: g.queues ?? [],
          queues_set: g.queues ? 1 : 0,
          team: g.team,
          name: "",
        },
      };
    });
    const inOrder = [...events].sort((a, b) => a.row.occurred_ms - b.row.occurred_ms);
    const n = inOrder.length;
    return fc.record({
      events: fc.constant(inOrder),
      // [original, delay]: a copy of an event, delivered again that many arrivals after it.
      copies: fc.array(fc.tuple(fc.nat({ max: Math.max(n - 1, 0) }), fc.nat({ max: n })), {
        maxLength: n > 0 ? 6 : 0,
      }),
      cuts: fc.array(fc.nat({ max: n + 6 }), { maxLength: 8 }),
    });
  })
  .map(({ events, copies, cuts }) => {
    const arrivals = events.map((a, i) => ({ a, key: i }));
    for (const [i, delay] of copies) arrivals.push({ a: events[i]!, key: i + delay + 0.5 });
    const ordered = arrivals.sort((x, y) => x.key - y.key).map(({ a }) => a);
    const at = [...new Set([0, ...cuts.filter((c) => c < ordered.length), ordered.length])].sort(
      (x, y) => x - y,
    );
    const chunks = at.slice(1).map((end, i) => ordered.slice(at[i], end));
    return { events, chunks: chunks.filter((c) => c.length > 0) };
  });

// ---- one pass --------------------------------------------------------------------------------

function byId<E>(rows: readonly E[], id: (e: E) => string): Map<string, E[]> {
  const m = new Map<string, E[]>();
  for (const r of rows) m.set(id(r), [...(m.get(id(r)) ?? []), r]);
  return m;
}

const sortedFacts = (facts: readonly object[]) =>
  facts.map((f) => [factId(f), f] as const).sort(([a], [b]) => (a < b ? -1 : 1));

/** The store holds exactly `want`, each fact once (a net of 2 would count twice in every figure). */
function expectFacts(
  store: MemoryStore,
  table: Map<string, Stored>,
  want: readonly object[],
  why?: string,
) {
  const got = store.net(table);
  expect(
    got.filter(([, s]) => s.net !== 1),
    why,
  ).toEqual([]);
  expect(
    got.map(([id, s]) => [id, s.fact]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    why,
  ).toEqual(sortedFacts(want));
}

/** An agent.state_changed of agent a1; `queues` given: sent with the event, with team and name. */
const agentAt = (event_id: string, ms: number, state: string, queues?: string[]) => ({
  table: "agent" as const,
  row: {
    site: SITE,
    event_id,
    occurred_ms: ms,
    agent_id: "a1",
    state,
    reason: "",
    queues: queues ?? [],
    queues_set: queues ? 1 : 0,
    team: queues ? "t-1" : "",
    name: queues ? "李" : "",
  },
});

function onePass(events: readonly Arrival[]) {
  const rows = <T extends Arrival["table"]>(t: T) =>
    events.filter((a) => a.table === t).map((a) => a.row as Extract<Arrival, { table: T }>["row"]);
  const contacts = [...byId(rows("contact"), (e) => e.contact_id)].flatMap(([id, list]) =>
    deriveContactFacts(SITE, id, list).map((f) => judge(f, undefined)),
  );
  const agentsById = byId(rows("agent"), (e) => e.agent_id);
  const agents = [...agentsById].flatMap(([id, list]) => deriveAgentIntervals(SITE, id, list));
  const surveys = [...byId(rows("survey"), (e) => e.survey_id)].flatMap(([, list]) => {
    const f = deriveSurveyFact(SITE, list);
    return f ? [f] : [];
  });
  const current = new Map(agents.filter((f) => f.to_ms === 0).map((f) => [f.agent_id, f]));
  return { contacts, agents, surveys, current };
}

// ---- tests -----------------------------------------------------------------------------------

describe("re-deriving a fact family from the stored events", () => {
  it("gives, chunk by chunk in arrival order with copies and late events, the facts of one pass", async () => {
    await fc.assert(
      fc.asyncProperty(corpus, async ({ events, chunks }) => {
        const store = new MemoryStore();
        for (const chunk of chunks) await store.flush(chunk);
        const want = onePass(events);
        expectFacts(store, store.contactFacts, want.contacts);
        expectFacts(store, store.agentIntervals, want.agents);
        expectFacts(store, store.surveyFacts, want.surveys);
        expect(store.current).toEqual(want.current);
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it("gives an agent's intervals of one pass over weeks with days between events, copies included", async () => {
    await fc.assert(
      fc.asyncProperty(agentWeeks, async ({ events, chunks }) => {
        const store = new MemoryStore();
        for (const chunk of chunks) await store.flush(chunk);
        const want = onePass(events);
        expectFacts(store, store.agentIntervals, want.agents);
        expect(new Map([...store.current].map(([id, c]) => [id, c.from_ms]))).toEqual(
          new Map([...want.current].map(([id, c]) => [id, c.from_ms])),
        );
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  // The generated contacts keep their events within 12 h because of this: a visit is closed as
  // orphaned only by an event more than 12 h after its start, which lies outside every window that
  // re-derives the visit. So a contact whose next event comes 12 h later keeps an `open` visit
  // (the live snapshot ignores it after 12 h) where one pass writes an orphaned one (counted only
  // in the data-quality counter `orphaned`). ingest/README.md names the limit.
  it.fails("closes a visit as orphaned when the contact's next event is more than 12 h later", async () => {
    const store = new MemoryStore();
    const queued = (event_id: string, ms: number) => ({
      table: "contact" as const,
      row: {
        site: SITE,
        event_id,
        type: "contact.queued",
        occurred_ms: ms,
        contact_id: "c1",
        queue: "loans",
        channel: "voice",
        agent_id: "",
        customer_tier: "standard",
        disposition: "",
        category: "",
        to_queue: "",
        to_agent_id: "",
      },
    });
    const events = [queued("e1", T0), queued("e2", T0 + 13 * H)];
    for (const e of events) await store.flush([e]);
    const got = store
      .net(store.contactFacts)
      .map(([id]) => id)
      .sort();
    expect(got).toEqual(sortedFacts(onePass(events).contacts).map(([id]) => id));
  });

  // Agents keep days between events (a weekend, a holiday): the event that ends an interval can lie
  // beyond any fixed window. A copy of Friday's logout re-read after Monday's login, or Friday's
  // logout arriving late, must end where Monday's event ends it, not reopen it.
  it("ends an agent's interval at its next event even when that is days later", async () => {
    const events = [
      agentAt("fri-in", T0, "available", ["loans"]),
      agentAt("fri-out", T0 + 9 * H, "logged_out", ["loans"]),
      agentAt("mon-in", T0 + 72 * H, "available", ["loans"]),
    ];
    const want = onePass(events);
    // Arrival orders: a copy after Monday, Friday's logout late, everything backwards.
    for (const order of [
      [0, 1, 2, 1],
      [0, 2, 1],
      [2, 1, 0],
      [0, 1, 2, 0, 1],
    ]) {
      const store = new MemoryStore();
      for (const i of order) await store.flush([events[i]!]);
      expectFacts(store, store.agentIntervals, want.agents, `order ${order}`);
      expect(store.current.get("a1")?.from_ms, `order ${order}`).toBe(T0 + 72 * H);
    }
  });

  // A holiday: the desktop never logged out, and the next event comes four days later without a
  // queue list. The old interval must end there, and the queues sent before the holiday still hold.
  it("ends an interval begun days before the window and carries its queues across the gap", async () => {
    const events = [
      agentAt("before", T0, "available", ["loans", "cards"]),
      agentAt("back", T0 + 100 * H, "on_contact"),
      agentAt("later", T0 + 180 * H, "wrap_up"),
      agentAt("again", T0 + 181 * H, "available"),
    ];
    const want = onePass(events);
    expect(want.agents.every((f) => f.queues.join() === "loans,cards" && f.team === "t-1")).toBe(
      true,
    );
    const store = new MemoryStore();
    for (const e of events) await store.flush([e]);
    expectFacts(store, store.agentIntervals, want.agents);
  });

  it("writes nothing when the same events arrive again", async () => {
    const store = new MemoryStore();
    const row = (event_id: string, type: string, ms: number) => ({
      table: "contact" as const,
      row: {
        site: SITE,
        event_id,
        type,
        occurred_ms: ms,
        contact_id: "c1",
        queue: "loans",
        channel: type === "contact.queued" ? "voice" : "",
        agent_id: "",
        customer_tier: "",
        disposition: "",
        category: "",
        to_queue: "",
        to_agent_id: "",
      },
    });
    const events = [row("e1", "contact.queued", T0), row("e2", "contact.abandoned", T0 + 4_000)];
    await store.flush(events);
    const before = JSON.stringify([...store.contactFacts]);
    const rows = await rederiveContacts(
      store.fakeReads,
      SITE,
      touchedBy(new Map([[CONTACT_EVENTS_TABLE, events.map((e) => e.row)]])).contacts.get(SITE)!,
      new Map(),
    );
    expect(rows).toEqual([]);
    expect(JSON.stringify([...store.contactFacts])).toBe(before);
  });

  it("reads a contact's events from 24 h before its touched events to 12 h after", async () => {
    const store = new MemoryStore();
    await rederiveContacts(
      store.fakeReads,
      SITE,
      new Map([["c1", { lo: T0 + 30 * H, hi: T0 + 31 * H }]]),
      new Map(),
    );
    expect(store.reads).toEqual([`${6 * H}..${43 * H}`]);
  });

  it("reads an agent's events from 72 h before to 48 h after", async () => {
    const store = new MemoryStore();
    await rederiveAgents(
      store.fakeReads,
      SITE,
      new Map([["a1", { lo: T0 + 100 * H, hi: T0 + 100 * H }]]),
    );
    expect(store.reads).toEqual([`${28 * H}..${148 * H}`]);
  });
});
