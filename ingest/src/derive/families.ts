// The re-derivation of one fact family (contacts, agents, surveys) for the ids a flush touched:
// read their stored events and the facts already stored from them, derive again, and return the
// difference as sign rows (diff.ts). The reads are passed in (ClickHouse in the deriver, an
// in-memory store in the unit tests), so the windows below are tested without a server.
//
// Windows. A fact depends only on events within 12 h of it (visits end by start + 12 h, orphaned
// otherwise; a wrap-up closes an answer at most 12 h old), so new events at lo..hi can change only
// facts that start in [lo − 12 h, hi] or count in [lo, hi + 12 h]; those are re-derived from every
// stored event of the contact in [lo − 24 h, hi + 12 h], which holds all they depend on. Agents:
// the interval an event falls in and everything after it for 24 h (a `queues` list carries forward),
// from events of the 72 h before. Surveys: the latest event per survey_id within ±24 h.
import { channelDefaults, versionIn, type ParamVersion } from "@floorwatch/contracts";
import {
  AGENT_EVENTS_TABLE,
  CONTACT_EVENTS_TABLE,
  loadAgentEvents,
  loadAgentCurrentStarts,
  loadAgentIntervals,
  loadAgentIntervalsAt,
  loadAgentNextEvents,
  loadContactEvents,
  loadContactFacts,
  loadSurveyEvents,
  loadSurveyFacts,
  runQuery,
  SURVEY_EVENTS_TABLE,
  type AgentEventRow,
  type ClickHouseClient,
  type ContactEventRow,
  type SurveyEventRow,
} from "@floorwatch/sql";
import type { z } from "zod";
import { deriveAgentIntervals } from "./agents";
import { deriveContactFacts } from "./contacts";
import { diffFacts, type SignedRow } from "./diff";
import type { AgentInterval, ContactFact, SurveyFact } from "./facts";
import { deriveSurveyFact } from "./surveys";

const H = 60 * 60 * 1000;
/** Ids per lookup statement: keeps each statement far below ClickHouse's 256 KiB query limit. */
const CHUNK = 2_000;

/** A contact fact as stored: judged, if a visit, by the definition version in force at its end. */
export type JudgedContactFact = ContactFact & {
  sl_version: number;
  within_sl: number;
  short_abandon: number;
};

/** Judges a visit by T and S of the version in force when it ended; other facts carry zeros. */
export function judge(
  f: ContactFact,
  versions: readonly ParamVersion[] | undefined,
): JudgedContactFact {
  if (f.kind !== "visit") return { ...f, sl_version: 0, within_sl: 0, short_abandon: 0 };
  const v = versions?.length
    ? versionIn(versions, f.anchor_ms)
    : { version: 1, ...channelDefaults(f.channel) };
  return {
    ...f,
    sl_version: v.version,
    within_sl: f.outcome === "answered" && f.duration_ms <= v.sl_threshold_s * 1000 ? 1 : 0,
    short_abandon: f.outcome === "abandoned" && f.duration_ms < v.short_abandon_s * 1000 ? 1 : 0,
  };
}

export type Span = { lo: number; hi: number };
/** site → id → span of the touched events. */
export type Spans = Map<string, Map<string, Span>>;

function touch(spans: Spans, site: string, id: string, ms: number) {
  let bySite = spans.get(site);
  if (!bySite) spans.set(site, (bySite = new Map()));
  const s = bySite.get(id);
  if (!s) bySite.set(id, { lo: ms, hi: ms });
  else {
    s.lo = Math.min(s.lo, ms);
    s.hi = Math.max(s.hi, ms);
  }
}

export interface Touched {
  contacts: Spans;
  agents: Spans;
  surveys: Spans;
  /** site → queue → channel, for queues met in this flush (created with defaults if new). */
  queues: Map<string, Map<string, string>>;
}

/** What a flush's rows touched, by table. */
export function touchedBy(rowsByTable: ReadonlyMap<string, readonly object[]>): Touched {
  const t: Touched = {
    contacts: new Map(),
    agents: new Map(),
    surveys: new Map(),
    queues: new Map(),
  };
  const queue = (site: string, q: string, channel: string) => {
    let m = t.queues.get(site);
    if (!m) t.queues.set(site, (m = new Map()));
    if (!m.get(q)) m.set(q, channel);
  };
  for (const r of (rowsByTable.get(CONTACT_EVENTS_TABLE) ?? []) as ContactEventRow[]) {
    touch(t.contacts, r.site, r.contact_id, r.occurred_ms);
    queue(r.site, r.queue, r.channel);
  }
  for (const r of (rowsByTable.get(AGENT_EVENTS_TABLE) ?? []) as AgentEventRow[])
    touch(t.agents, r.site, r.agent_id, r.occurred_ms);
  for (const r of (rowsByTable.get(SURVEY_EVENTS_TABLE) ?? []) as SurveyEventRow[]) {
    touch(t.surveys, r.site, r.survey_id, r.occurred_ms);
    queue(r.site, r.queue, r.channel);
  }
  return t;
}

/** The ids of a site and a time range: events by occurred_ms, facts by their anchor, inclusive. */
export interface ReadWindow {
  site: string;
  ids: string[];
  from_ms: number;
  to_ms: number;
}

type RowOf<Q extends { row: z.ZodType }> = z.infer<Q["row"]>;

/** What the re-derivation reads: stored events, and stored facts net of sign (net ≠ 0 only). */
export interface FactReads {
  contactEvents(w: ReadWindow): Promise<RowOf<typeof loadContactEvents>[]>;
  contactFacts(w: ReadWindow): Promise<RowOf<typeof loadContactFacts>[]>;
  agentEvents(w: ReadWindow): Promise<RowOf<typeof loadAgentEvents>[]>;
  agentIntervals(w: ReadWindow): Promise<RowOf<typeof loadAgentIntervals>[]>;
  /** Each agent's latest interval start (loadAgentCurrentStarts). */
  agentCurrentStarts(w: {
    site: string;
    ids: string[];
  }): Promise<RowOf<typeof loadAgentCurrentStarts>[]>;
  /** Stored intervals of `ids` starting at one of `starts` (loadAgentIntervalsAt). */
  agentIntervalsAt(w: {
    site: string;
    ids: string[];
    starts: number[];
  }): Promise<RowOf<typeof loadAgentIntervals>[]>;
  /** Each agent's first events after `after_ms` (loadAgentNextEvents). */
  agentNextEvents(w: {
    site: string;
    ids: string[];
    after_ms: number;
  }): Promise<RowOf<typeof loadAgentEvents>[]>;
  surveyEvents(w: ReadWindow): Promise<RowOf<typeof loadSurveyEvents>[]>;
  surveyFacts(w: ReadWindow): Promise<RowOf<typeof loadSurveyFacts>[]>;
}

export function clickhouseReads(ch: ClickHouseClient): FactReads {
  return {
    contactEvents: (w) => runQuery(ch, loadContactEvents, w),
    contactFacts: (w) => runQuery(ch, loadContactFacts, w),
    agentEvents: (w) => runQuery(ch, loadAgentEvents, w),
    agentIntervals: (w) => runQuery(ch, loadAgentIntervals, w),
    agentNextEvents: (w) => runQuery(ch, loadAgentNextEvents, w),
    agentCurrentStarts: (w) => runQuery(ch, loadAgentCurrentStarts, w),
    agentIntervalsAt: (w) => runQuery(ch, loadAgentIntervalsAt, w),
    surveyEvents: (w) => runQuery(ch, loadSurveyEvents, w),
    surveyFacts: (w) => runQuery(ch, loadSurveyFacts, w),
  };
}

/** The touched ids in lookups of at most CHUNK, each with the span of all of its ids. */
function chunks(spans: Map<string, Span>): { ids: string[]; lo: number; hi: number }[] {
  const ids = [...spans.keys()];
  const out: { ids: string[]; lo: number; hi: number }[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    let lo = Infinity;
    let hi = -Infinity;
    for (const id of part) {
      const s = spans.get(id)!;
      lo = Math.min(lo, s.lo);
      hi = Math.max(hi, s.hi);
    }
    out.push({ ids: part, lo, hi });
  }
  return out;
}

function groupBy<R, K>(rows: readonly R[], key: (r: R) => K): Map<K, R[]> {
  const m = new Map<K, R[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return m;
}

/** The contact facts of the touched contacts of a site, judged by `versions` (queue → versions). */
export async function rederiveContacts(
  reads: FactReads,
  site: string,
  spans: Map<string, Span>,
  versions: ReadonlyMap<string, readonly ParamVersion[]>,
): Promise<SignedRow<JudgedContactFact>[]> {
  const out: SignedRow<JudgedContactFact>[] = [];
  for (const { ids, lo, hi } of chunks(spans)) {
    const [events, stored] = await Promise.all([
      reads.contactEvents({ site, ids, from_ms: lo - 24 * H, to_ms: hi + 12 * H }),
      reads.contactFacts({ site, ids, from_ms: lo - 12 * H, to_ms: hi + 24 * H }),
    ]);
    const eventsOf = groupBy(events, (e) => e.contact_id);
    const storedOf = groupBy(stored, (f) => f.contact_id);
    for (const id of ids) {
      const s = spans.get(id)!;
      const inRegion = (f: { start_ms: number; anchor_ms: number }) =>
        (f.start_ms >= s.lo - 12 * H && f.start_ms <= s.hi) ||
        (f.anchor_ms >= s.lo && f.anchor_ms <= s.hi + 12 * H);
      const derived = deriveContactFacts(site, id, eventsOf.get(id) ?? [])
        .filter(inRegion)
        .map((f) => judge(f, versions.get(f.queue)));
      const current = new Map(
        (storedOf.get(id) ?? [])
          .filter(inRegion)
          .map(
            ({ fact_id, net, ...f }) =>
              [fact_id, { fact: { site, ...f } as JudgedContactFact, net }] as const,
          ),
      );
      out.push(...diffFacts(current, derived));
    }
  }
  return out;
}

/**
 * The state intervals of the touched agents of a site, and each one's latest interval (its
 * current state, which agent_current keeps by the latest start).
 */
export async function rederiveAgents(
  reads: FactReads,
  site: string,
  spans: Map<string, Span>,
): Promise<{ rows: SignedRow<AgentInterval>[]; current: AgentInterval[] }> {
  const rows: SignedRow<AgentInterval>[] = [];
  const current: AgentInterval[] = [];
  for (const { ids, lo, hi } of chunks(spans)) {
    const cut = lo - 72 * H;
    const [events, next, stored, starts] = await Promise.all([
      reads.agentEvents({ site, ids, from_ms: cut, to_ms: hi + 48 * H }),
      reads.agentNextEvents({ site, ids, after_ms: hi + 48 * H }),
      reads.agentIntervals({ site, ids, from_ms: cut, to_ms: hi + 24 * H }),
      reads.agentCurrentStarts({ site, ids }),
    ]);
    // An agent whose latest interval began before the window (a holiday, a desktop that never
    // logged out): that interval is the one the window's first event ends, and it carries the
    // queues, team and name in force. Read by its start, a point read, never a scan of history.
    const older = starts.filter((c) => c.from_ms < cut);
    const edges = older.length
      ? await reads.agentIntervalsAt({
          site,
          ids: older.map((c) => c.agent_id),
          starts: older.map((c) => c.from_ms),
        })
      : [];
    const olderStart = new Map(older.map((c) => [c.agent_id, c.from_ms]));
    const eventsOf = groupBy(events, (e) => e.agent_id);
    const nextOf = groupBy(next, (e) => e.agent_id);
    const storedOf = groupBy(
      [...stored, ...edges.filter((f) => f.from_ms === olderStart.get(f.agent_id))],
      (f) => f.agent_id,
    );
    for (const id of ids) {
      const s = spans.get(id)!;
      const storedMine = storedOf.get(id) ?? [];
      // The agent's next event beyond the window ends the window's last interval; without it a
      // re-derivation would reopen an interval that a much later event had closed.
      const after = nextOf.get(id) ?? [];
      const edge = storedMine.find((f) => f.from_ms === olderStart.get(id));
      const mine = [
        ...(edge && edge.from_ms < s.lo ? [eventOfInterval(edge)] : []),
        ...(eventsOf.get(id) ?? []),
        ...after,
      ];
      // The interval the earliest touched event falls in starts at the agent's event before it.
      const before = mine.reduce(
        (p, e) => (e.occurred_ms < s.lo && e.occurred_ms > p ? e.occurred_ms : p),
        -Infinity,
      );
      const from = Number.isFinite(before) ? before : s.lo;
      const inRegion = (f: { from_ms: number }) => f.from_ms >= from && f.from_ms <= s.hi + 24 * H;
      const all = deriveAgentIntervals(site, id, mine, priorOf(mine, storedMine));
      // With an event beyond the window, the agent's current state is not this flush's to tell.
      const open = after.length === 0 ? all.find((f) => f.to_ms === 0) : undefined;
      if (open) current.push(open);
      const derived = all.filter(inRegion);
      const storedHere = new Map(
        storedMine
          .filter(inRegion)
          .map(({ fact_id, net, ...f }) => [fact_id, { fact: { site, ...f }, net }] as const),
      );
      rows.push(...diffFacts(storedHere, derived));
    }
  }
  return { rows, current };
}

/**
 * An interval as the event that started it: the same interval again when derived, but for its end.
 * Its `queues` are the ones in force, so it sets them, as the event did or inherited them.
 */
function eventOfInterval(f: RowOf<typeof loadAgentIntervals>): RowOf<typeof loadAgentEvents> {
  return {
    event_id: f.event_id,
    occurred_ms: f.from_ms,
    agent_id: f.agent_id,
    state: f.state,
    reason: f.reason,
    queues: f.queues,
    queues_set: 1,
    team: f.team,
    name: f.name,
  };
}

/**
 * What was in force before the earliest of `events` (queues, team, name carried from events older
 * than the read window): the stored interval of that earliest event holds it, as derived when
 * the older events were read. Deriving that event again with it gives the same interval, however
 * long ago the queues were last sent.
 */
function priorOf(
  events: readonly RowOf<typeof loadAgentEvents>[],
  stored: readonly RowOf<typeof loadAgentIntervals>[],
): { queues: string[]; team: string; name: string } | undefined {
  const first = events.reduce<RowOf<typeof loadAgentEvents> | undefined>(
    (p, e) =>
      !p ||
      e.occurred_ms < p.occurred_ms ||
      (e.occurred_ms === p.occurred_ms && e.event_id < p.event_id)
        ? e
        : p,
    undefined,
  );
  const f =
    first && stored.find((i) => i.event_id === first.event_id && i.from_ms === first.occurred_ms);
  return f && { queues: f.queues, team: f.team, name: f.name };
}

/** The survey facts of the touched surveys of a site: one per survey_id, the latest response. */
export async function rederiveSurveys(
  reads: FactReads,
  site: string,
  spans: Map<string, Span>,
): Promise<SignedRow<SurveyFact>[]> {
  const out: SignedRow<SurveyFact>[] = [];
  for (const { ids, lo, hi } of chunks(spans)) {
    const window = { site, ids, from_ms: lo - 24 * H, to_ms: hi + 24 * H };
    const [events, stored] = await Promise.all([
      reads.surveyEvents(window),
      reads.surveyFacts(window),
    ]);
    const eventsOf = groupBy(events, (e) => e.survey_id);
    const storedOf = groupBy(stored, (f) => f.survey_id);
    for (const id of ids) {
      const fact = deriveSurveyFact(site, eventsOf.get(id) ?? []);
      const current = new Map(
        (storedOf.get(id) ?? []).map(
          ({ fact_id, net, ...f }) => [fact_id, { fact: { site, ...f }, net }] as const,
        ),
      );
      out.push(...diffFacts(current, fact ? [fact] : []));
    }
  }
  return out;
}
