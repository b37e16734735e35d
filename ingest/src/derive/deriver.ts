// After every flush: re-derive the facts of what the flush touched, from the stored events, and
// write the difference to what is stored (diff.ts). Runs before the flush's offsets are committed,
// so a crash re-reads the messages and derives again, which writes nothing twice.
//
// Windows. A fact depends only on events within 12 h of it (visits end by start + 12 h, orphaned
// otherwise; a wrap-up closes an answer at most 12 h old), so new events at lo..hi can change only
// facts that start in [lo − 12 h, hi] or count in [lo, hi + 12 h]; those are re-derived from every
// stored event of the contact in [lo − 24 h, hi + 12 h], which holds all they depend on. Agents:
// the interval an event falls in and everything after it for 24 h (a `queues` list carries forward),
// from events of the 72 h before. Surveys: the latest event per survey_id within ±24 h.
import {
  channelDefaults,
  DEFAULT_TIME_ZONE,
  versionIn,
  type ParamVersion,
} from "@floorwatch/contracts";
import {
  AGENT_CURRENT_TABLE,
  AGENT_EVENTS_TABLE,
  AGENT_INTERVALS_TABLE,
  CONTACT_EVENTS_TABLE,
  CONTACT_FACTS_TABLE,
  insertRows,
  listSites,
  loadAgentEvents,
  loadAgentIntervals,
  loadContactEvents,
  loadContactFacts,
  loadDefinedQueues,
  loadQueueDefinitions,
  loadSites,
  loadSurveyEvents,
  loadSurveyFacts,
  OPEN_VISITS_TABLE,
  quartersOf,
  QUEUE_DEFINITIONS_TABLE,
  repairRollup,
  runQuery,
  SITES_TABLE,
  SURVEY_EVENTS_TABLE,
  SURVEY_FACTS_TABLE,
  type AgentEventRow,
  type ClickHouseClient,
  type ContactEventRow,
  type QueueDefinitionRow,
  type SiteRow,
  type SurveyEventRow,
} from "@floorwatch/sql";
import { deriveAgentIntervals } from "./agents";
import { deriveContactFacts } from "./contacts";
import { diffFacts, type SignedRow } from "./diff";
import type { AgentInterval, ContactFact, SurveyFact } from "./facts";
import { deriveSurveyFact } from "./surveys";

const H = 60 * 60 * 1000;
/** How long the deriver trusts its copy of a site's definition versions. A visit judged by a
 * stale copy is caught by the reports (its sl_version is not the one in force) and re-judged. */
const DEFINITIONS_TTL_MS = 10_000;

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
/** Ids per lookup statement: keeps each statement far below ClickHouse's 256 KiB query limit. */
const CHUNK = 2_000;

type Span = { lo: number; hi: number };
type Spans = Map<string, Map<string, Span>>; // site → id → span of the touched events

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

export interface DeriveReport {
  contactFacts: number;
  agentIntervals: number;
  surveyFacts: number;
  retracted: number;
  /** Rollup cells repaired after an insert of facts had failed (rollup-repair.ts). */
  repairedCells: number;
}

/** How soon quarters whose rollup would not settle are compared again. */
const UNSETTLED_RETRY_MS = 30_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
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

const spanOf = (spans: Map<string, Span>) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of spans.values()) {
    lo = Math.min(lo, s.lo);
    hi = Math.max(hi, s.hi);
  }
  return { lo, hi };
};

export interface Deriver {
  derive(rowsByTable: ReadonlyMap<string, readonly object[]>): Promise<DeriveReport>;
  /** Quarters per site whose rollup is still to be compared with the facts (see `derive`). */
  pendingRepairs(): Map<string, number[]>;
}

/**
 * `auditHours`: before the first derivation, the last that many hours of every site are added to
 * the quarters to compare with the facts. A process that died with ClickHouse (the machine lost)
 * took its list of failed inserts with it; the one that starts next compares recent quarters.
 */
export function makeDeriver(
  ch: ClickHouseClient,
  opts: { settleMs?: number; auditHours?: number } = {},
): Deriver {
  // Sites and queues known to have a configuration; a miss costs one lookup, then never again.
  const knownSites = new Set<string>();
  const knownQueues = new Set<string>();
  const definitions = new Map<string, { at: number; byQueue: Map<string, ParamVersion[]> }>();

  async function definitionsOf(site: string): Promise<Map<string, ParamVersion[]>> {
    const hit = definitions.get(site);
    if (hit && Date.now() - hit.at < DEFINITIONS_TTL_MS) return hit.byQueue;
    const byQueue = new Map<string, ParamVersion[]>();
    for (const d of await runQuery(ch, loadQueueDefinitions, { site })) {
      const list = byQueue.get(d.queue) ?? [];
      list.push({
        version: d.version,
        valid_from_ms: d.version === 1 ? Number.MIN_SAFE_INTEGER : d.valid_from_ms,
        sl_threshold_s: d.sl_threshold_s,
        short_abandon_s: d.short_abandon_s,
        sl_target: d.sl_target,
      });
      byQueue.set(d.queue, list);
    }
    definitions.set(site, { at: Date.now(), byQueue });
    return byQueue;
  }

  // Quarters per site whose rollup may have missed facts. ClickHouse writes an insert's part of the
  // fact table, then its views' parts, not as one transaction: when an insert of facts fails, the
  // facts may be stored while the rollup is not, and the retried derivation, finding the facts,
  // writes nothing. So the quarters of every failed insert are compared with the facts once a
  // derivation succeeds again, and repaired (sql/src/rollup-repair.ts).
  const suspect = new Map<string, Set<number>>();
  let notBefore = 0;
  let audited = !opts.auditHours;

  const addSuspect = (site: string, quarters: Iterable<number>) => {
    let set = suspect.get(site);
    if (!set) suspect.set(site, (set = new Set()));
    for (const q of quarters) set.add(q);
  };

  async function auditOnStart() {
    const last = Math.floor(Date.now() / 900_000) * 900;
    const quarters = Array.from({ length: opts.auditHours! * 4 }, (_, i) => last - i * 900);
    for (const { site } of await runQuery(ch, listSites, {})) addSuspect(site, quarters);
    audited = true;
  }

  async function insertFacts<R extends { site: string }>(
    table: string,
    rows: R[],
    quarters: (r: R) => number[],
  ) {
    try {
      await insertRows(ch, table, rows);
    } catch (err) {
      for (const r of rows) addSuspect(r.site, quarters(r));
      notBefore = 0;
      throw err;
    }
  }

  async function repairSuspects(): Promise<number> {
    if (suspect.size === 0 || Date.now() < notBefore) return 0;
    // Sites side by side: each waits a second between its two reads.
    const reports = await Promise.all(
      [...suspect].map(
        async ([site, quarters]) =>
          [site, await repairRollup(ch, site, [...quarters], { settleMs: opts.settleMs })] as const,
      ),
    );
    let repaired = 0;
    for (const [site, report] of reports) {
      repaired += report.repaired;
      // Quarters still being written to (the current one, on a busy floor) settle later.
      if (report.unsettled.length > 0) suspect.set(site, new Set(report.unsettled));
      else suspect.delete(site);
    }
    notBefore = suspect.size > 0 ? Date.now() + UNSETTLED_RETRY_MS : 0;
    return repaired;
  }

  async function ensureConfig(queues: Touched["queues"]) {
    const newSites = [...queues.keys()].filter((s) => !knownSites.has(s));
    if (newSites.length > 0) {
      const have = new Set((await runQuery(ch, loadSites, { sites: newSites })).map((r) => r.site));
      const rows: SiteRow[] = newSites
        .filter((s) => !have.has(s))
        .map((site) => ({
          site,
          tz: DEFAULT_TIME_ZONE,
          name: site,
          updated_ms: 0,
          updated_by: "auto",
        }));
      await insertRows(ch, SITES_TABLE, rows);
      for (const s of newSites) knownSites.add(s);
    }
    const key = (site: string, q: string) => `${site}\u0000${q}`;
    const missing: [string, string, string][] = [];
    for (const [site, m] of queues)
      for (const [q, channel] of m)
        if (!knownQueues.has(key(site, q))) missing.push([site, q, channel]);
    if (missing.length === 0) return;
    const defined = new Set(
      (await runQuery(ch, loadDefinedQueues, { sites: [...new Set(missing.map(([s]) => s))] })).map(
        (r) => key(r.site, r.queue),
      ),
    );
    const rows: QueueDefinitionRow[] = missing
      .filter(([site, q, channel]) => !defined.has(key(site, q)) && channel !== "")
      .map(([site, queue, channel]) => ({
        site,
        queue,
        version: 1,
        valid_from_ms: 0,
        channel,
        ...channelDefaults(channel),
        name_zh: "",
        name_en: "",
        created_ms: 0,
        created_by: "auto",
      }));
    // Identical rows from two processes fold together: (site, queue, version 1, created_ms 0).
    await insertRows(ch, QUEUE_DEFINITIONS_TABLE, rows);
    for (const r of rows) definitions.delete(r.site);
    for (const [site, q, channel] of missing)
      if (defined.has(key(site, q)) || channel !== "") knownQueues.add(key(site, q));
  }

  async function contacts(
    site: string,
    spans: Map<string, Span>,
  ): Promise<SignedRow<JudgedContactFact>[]> {
    const out: SignedRow<JudgedContactFact>[] = [];
    const versions = await definitionsOf(site);
    for (const ids of chunks([...spans.keys()])) {
      const { lo, hi } = spanOf(new Map(ids.map((id) => [id, spans.get(id)!])));
      const [events, stored] = await Promise.all([
        runQuery(ch, loadContactEvents, { site, ids, from_ms: lo - 24 * H, to_ms: hi + 12 * H }),
        runQuery(ch, loadContactFacts, { site, ids, from_ms: lo - 12 * H, to_ms: hi + 24 * H }),
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

  async function agents(
    site: string,
    spans: Map<string, Span>,
    latest: AgentInterval[],
  ): Promise<SignedRow<AgentInterval>[]> {
    const out: SignedRow<AgentInterval>[] = [];
    for (const ids of chunks([...spans.keys()])) {
      const { lo, hi } = spanOf(new Map(ids.map((id) => [id, spans.get(id)!])));
      const [events, stored] = await Promise.all([
        runQuery(ch, loadAgentEvents, { site, ids, from_ms: lo - 72 * H, to_ms: hi + 48 * H }),
        runQuery(ch, loadAgentIntervals, { site, ids, from_ms: lo - 72 * H, to_ms: hi + 24 * H }),
      ]);
      const eventsOf = groupBy(events, (e) => e.agent_id);
      const storedOf = groupBy(stored, (f) => f.agent_id);
      for (const id of ids) {
        const s = spans.get(id)!;
        const mine = eventsOf.get(id) ?? [];
        // The interval the earliest touched event falls in starts at the agent's event before it.
        const before = mine.reduce(
          (p, e) => (e.occurred_ms < s.lo && e.occurred_ms > p ? e.occurred_ms : p),
          -Infinity,
        );
        const from = Number.isFinite(before) ? before : s.lo;
        const inRegion = (f: { from_ms: number }) =>
          f.from_ms >= from && f.from_ms <= s.hi + 24 * H;
        const all = deriveAgentIntervals(site, id, mine);
        // The latest interval is the agent's current state (agent_current keeps the latest start).
        const open = all.find((f) => f.to_ms === 0);
        if (open) latest.push(open);
        const derived = all.filter(inRegion);
        const stored = new Map(
          (storedOf.get(id) ?? [])
            .filter(inRegion)
            .map(({ fact_id, net, ...f }) => [fact_id, { fact: { site, ...f }, net }] as const),
        );
        out.push(...diffFacts(stored, derived));
      }
    }
    return out;
  }

  async function surveys(site: string, spans: Map<string, Span>): Promise<SignedRow<SurveyFact>[]> {
    const out: SignedRow<SurveyFact>[] = [];
    for (const ids of chunks([...spans.keys()])) {
      const { lo, hi } = spanOf(new Map(ids.map((id) => [id, spans.get(id)!])));
      const window = { site, ids, from_ms: lo - 24 * H, to_ms: hi + 24 * H };
      const [events, stored] = await Promise.all([
        runQuery(ch, loadSurveyEvents, window),
        runQuery(ch, loadSurveyFacts, window),
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

  return {
    async derive(rowsByTable) {
      const t = touchedBy(rowsByTable);
      if (!audited) await auditOnStart();
      await ensureConfig(t.queues);
      const contactRows: SignedRow<JudgedContactFact>[] = [];
      const agentRows: SignedRow<AgentInterval>[] = [];
      const surveyRows: SignedRow<SurveyFact>[] = [];
      for (const [site, spans] of t.contacts) contactRows.push(...(await contacts(site, spans)));
      const current: AgentInterval[] = [];
      for (const [site, spans] of t.agents) agentRows.push(...(await agents(site, spans, current)));
      for (const [site, spans] of t.surveys) surveyRows.push(...(await surveys(site, spans)));
      // One insert per table, each one block: a fact's -1 and +1 land together.
      const stored = (r: SignedRow<JudgedContactFact>) => ({
        ...r.fact,
        anchor_at: Math.floor(r.fact.anchor_ms / 1000),
        fact_id: r.fact_id,
        sign: r.sign,
      });
      // Open visits apart: the live snapshot reads only those (sql/migrations/0003_metrics.sql).
      await insertFacts(
        CONTACT_FACTS_TABLE,
        contactRows.filter((r) => r.fact.kind !== "open").map(stored),
        quartersOf,
      );
      await insertRows(
        ch,
        OPEN_VISITS_TABLE,
        contactRows.filter((r) => r.fact.kind === "open").map(stored),
      );
      await insertRows(
        ch,
        AGENT_CURRENT_TABLE,
        current.map(({ site, agent_id, from_ms, state, reason, queues, team, name }) => ({
          site,
          agent_id,
          from_ms,
          state,
          reason,
          queues,
          team,
          name,
        })),
      );
      await insertFacts(
        AGENT_INTERVALS_TABLE,
        agentRows.map((r) => ({
          ...r.fact,
          from_at: Math.floor(r.fact.from_ms / 1000),
          fact_id: r.fact_id,
          sign: r.sign,
        })),
        quartersOf,
      );
      await insertFacts(
        SURVEY_FACTS_TABLE,
        surveyRows.map((r) => ({
          ...r.fact,
          anchor_at: Math.floor(r.fact.anchor_ms / 1000),
          fact_id: r.fact_id,
          sign: r.sign,
        })),
        quartersOf,
      );
      const repairedCells = await repairSuspects();
      const all = [...contactRows, ...agentRows, ...surveyRows];
      return {
        contactFacts: contactRows.length,
        agentIntervals: agentRows.length,
        surveyFacts: surveyRows.length,
        retracted: all.filter((r) => r.sign < 0).length,
        repairedCells,
      };
    },
    pendingRepairs: () =>
      new Map([...suspect].map(([site, q]) => [site, [...q].sort((a, b) => a - b)])),
  };
}
