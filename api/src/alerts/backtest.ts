// The backtest of a threshold rule (POST /api/v1/rules/:id/backtest, issue #11): every firing the
// live evaluator would have made over a past range had it observed at every step t = from + k·step,
// each figure as the live snapshot (metrics/live.ts) would have shown it at t, from the facts stored
// now. The observations go through the same lifecycle (lifecycle.ts), so `for`, hysteresis,
// keep_firing_for, the volume guard and the mute act exactly as they do live.
//
// Why not call computeLive at every step: a month at the evaluator's 5 s is 518,400 snapshots of
// a dozen statements each, days of ClickHouse. Instead three named queries read the range's facts
// once (sql/src/queries/backtest.ts) and the figures are rebuilt here as the steps move, with two
// pointers over facts sorted by time: a window's sums change only when a fact enters or leaves it,
// and only then are its figures computed again (figures.ts, the live snapshot's own function).
//
// What "as the live snapshot would have shown it" means, figure by figure (computeLive):
// - waiting, longest_waiting_s, breaching_soon: the visits with start ≤ t < end (a visit still
//   open now waits until 12 h after its start, as openVisits reads it); T of the version in force
//   at t (versionAt);
// - window figures: the facts anchored in [t − 15 min, t], [t − 60 min, t] or [local midnight, t],
//   both ends inclusive (computeLive reads anchor_ms >= from AND anchor_ms < now + 1); each visit
//   judged by the version in force at its end, versions counted from their quarter hour, as the
//   rollup and factContactSums do (versionSql);
// - sl_target: the target of each queue's version in force at t (the lowest of a group's).
import {
  figureProblem,
  intervalStart,
  intervalStarts,
  type AlertScope,
  type BacktestResult,
  type QueueFigures,
  type RuleScope,
  type ThresholdRuleDraft,
} from "@floorwatch/contracts";
import {
  backtestContactFacts,
  backtestOpenVisits,
  backtestSurveyFacts,
  FIGURE_SUM_COLUMNS,
  ORPHAN_AFTER_MS,
  runQuery,
  type BacktestContactKind,
  type BacktestContactRow,
  type BacktestOpenVisitRow,
  type BacktestSurveyRow,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { ApiError } from "../errors";
import {
  defaultQueue,
  versionAt,
  versionOf,
  type QueueConfig,
  type SiteConfig,
  type Version,
} from "../metrics/config";
import { emptySums, figures, type Sums } from "../metrics/figures";
import { BREACH_LOOKAHEAD_MS } from "../metrics/live";
import { lifecycleOf } from "./evaluator";
import { openAt, type HoursVersion } from "./hours";
import { INACTIVE, step, type AlertState, type LifecycleRule } from "./lifecycle";
import { resolveThreshold, volumeFigureOf } from "./observe";

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const WINDOW_MS = { "15m": 15 * MINUTE, "60m": 60 * MINUTE } as const;

/** The live evaluator's interval. */
export const DEFAULT_BACKTEST_STEP_MS = 5_000;
/** Sixty days at 5 s: a longer replay holds a request (and its facts in memory) for too long. */
export const MAX_BACKTEST_STEPS = 60 * 17_280;

export interface BacktestOptions {
  from_ms: number;
  /** Steps are the instants from + k·step_ms before `to_ms`. */
  to_ms: number;
  step_ms?: number;
  /** The site's business-hours versions (for `mute_outside_hours`); none: always open. */
  hours?: readonly HoursVersion[];
}

export interface BacktestFiring {
  scope: AlertScope;
  /** When the condition began to hold (the pending transition). */
  pending_since_ms: number;
  fired_ms: number;
  /** null: still firing at the last step. */
  resolved_ms: number | null;
  /** The worst value while it held, and when. */
  peak: number;
  peak_ms: number;
}

export interface BacktestFirings {
  from_ms: number;
  to_ms: number;
  step_ms: number;
  steps: number;
  /** Every firing of every scope, by fired_ms, then scope key. */
  firings: BacktestFiring[];
  /** Facts read: contact facts, visits open now, survey responses. */
  facts: { contacts: number; open: number; surveys: number };
  elapsed_ms: number;
}

/** The facts a replay reads (the rows of sql/src/queries/backtest.ts). */
export interface BacktestFacts {
  contacts: readonly BacktestContactRow[];
  open: readonly BacktestOpenVisitRow[];
  surveys: readonly BacktestSurveyRow[];
}

export interface EvidenceVisit {
  contact_id: string;
  queue: string;
  started_at_ms: number;
  /** null: still open now. */
  ended_at_ms: number | null;
  /** answered, abandoned, callback, flowed_out, orphaned; `open` for a visit still open now. */
  outcome: string;
  /** Window figures: the visit's wait. Instant figures: its wait so far at the instant. */
  wait_s: number;
}

/** A handled contact, a transfer or a first response (kind), anchored at `at_ms`. */
export interface EvidenceContact {
  kind: "handled" | "transfer" | "first_response";
  contact_id: string;
  queue: string;
  /** The answer it closes (handled), or the visit's start (first response). */
  started_at_ms: number;
  at_ms: number;
  /** Handling or response time; null when unknown (a wrap-up without its answer). */
  duration_s: number | null;
  /** The disposition (handled) or the queue transferred to. */
  outcome: string;
}

export interface EvidenceSurvey {
  survey_id: string;
  contact_id: string;
  queue: string;
  at_ms: number;
  csat: number | null;
  nps: number | null;
  resolved: boolean | null;
}

export interface BacktestEvidence {
  scope: AlertScope;
  figure: string;
  window: string;
  at_ms: number;
  /** The period the figure counted, both ends inclusive (at_ms twice for a figure of the instant). */
  from_ms: number;
  to_ms: number;
  /** The figure at the instant, as figureAt gives it. */
  value: number | null;
  visits: EvidenceVisit[];
  contacts: EvidenceContact[];
  surveys: EvidenceSurvey[];
}

// ---------------------------------------------------------------------------------------------
// Which facts each figure reads

type Source = "waiting" | BacktestContactKind | "survey";

const VISITS = ["visit"] as const;
const SURVEYS = ["survey"] as const;
const FIGURE_SOURCES: Readonly<Record<string, readonly Source[]>> = {
  waiting: ["waiting"],
  longest_waiting_s: ["waiting"],
  breaching_soon: ["waiting"],
  offered: VISITS,
  answered: VISITS,
  abandoned: VISITS,
  short_abandoned: VISITS,
  answered_within_sl: VISITS,
  service_level: VISITS,
  abandon_rate: VISITS,
  asa_s: VISITS,
  max_wait_s: VISITS,
  callbacks: VISITS,
  flowed_out: VISITS,
  orphaned: VISITS,
  handled: ["handled"],
  aht_s: ["handled"],
  resolution_rate: ["handled"],
  transfer_rate: ["transfer", "visit"],
  first_response_s: ["first_response"],
  csat: SURVEYS,
  nps: SURVEYS,
  fcr_survey: SURVEYS,
  low_csat: SURVEYS,
  csat_responses: SURVEYS,
  nps_responses: SURVEYS,
  fcr_responses: SURVEYS,
};

/** The volume figure the guard reads, only where the rule has a guard (observe.ts reads it then). */
const guardFigureOf = (rule: ThresholdRuleDraft) =>
  rule.min_volume !== undefined && rule.window !== "now" ? volumeFigureOf(rule) : undefined;

/**
 * Why a rule cannot be backtested, or null. Agents' figures (agents.*, occupancy) need each agent's
 * state over time, which the backtest does not rebuild: the route answers 400 naming the figure.
 */
export function backtestProblem(rule: ThresholdRuleDraft): string | null {
  const problem = figureProblem(rule.figure, rule.window);
  if (problem) return problem;
  const supported = Object.keys(FIGURE_SOURCES).join(", ");
  if (!FIGURE_SOURCES[rule.figure])
    return `"${rule.figure}" cannot be backtested: it needs the agents' states over time, which the backtest does not rebuild; it can replay ${supported}`;
  const volume = guardFigureOf(rule);
  if (volume !== undefined && !FIGURE_SOURCES[volume])
    return `volume figure "${volume}" cannot be backtested: it needs the agents' states over time; it can replay ${supported}`;
  return null;
}

function assertReplayable(rule: ThresholdRuleDraft) {
  const problem = backtestProblem(rule);
  if (problem) throw new ApiError("bad_request", problem, [{ path: "figure", message: problem }]);
}

function sourcesOf(rule: ThresholdRuleDraft): Set<Source> {
  const volume = guardFigureOf(rule);
  return new Set([
    ...(FIGURE_SOURCES[rule.figure] ?? []),
    ...(volume ? (FIGURE_SOURCES[volume] ?? []) : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Scopes

interface ScopeMembers {
  scope: AlertScope;
  queues: QueueConfig[];
  /** false where the live snapshot has no such queue or channel: the figure is null there. */
  present: boolean;
}

/**
 * The queues behind a scope key (`site`, `channel:voice`, `queue:loans`), as observe.ts's scopesIn
 * takes them from a snapshot: a scope key alone names its queues, whichever rule it came from.
 */
export function scopeMembers(config: SiteConfig, key: string): ScopeMembers {
  const scope = (queue: string | null, channel: string | null): AlertScope => ({
    key,
    queue,
    channel,
    survey_id: null,
  });
  if (key === "site") return { scope: scope(null, null), queues: config.queues, present: true };
  if (key.startsWith("channel:")) {
    const channel = key.slice("channel:".length);
    const queues = config.queues.filter((q) => q.channel === channel);
    return { scope: scope(null, channel), queues, present: queues.length > 0 };
  }
  if (key.startsWith("queue:")) {
    const q = config.queues.find((x) => x.queue === key.slice("queue:".length));
    return {
      scope: scope(key.slice("queue:".length), q?.channel ?? null),
      queues: q ? [q] : [],
      present: q !== undefined,
    };
  }
  throw new ApiError("bad_request", `unknown scope key "${key}": site, channel:…, queue:…`);
}

/** The scope keys a rule observes at a site, as scopesIn enumerates them (queues by name). */
export function scopeKeysOf(config: SiteConfig, scope: RuleScope): string[] {
  switch (scope.kind) {
    case "site":
      return ["site"];
    case "channel":
      return [`channel:${scope.channel}`];
    case "queue":
      return [`queue:${scope.queue}`];
    case "each_queue":
      return config.queues
        .filter(
          (q) => (!scope.channel || q.channel === scope.channel) && !scope.except.includes(q.queue),
        )
        .map((q) => q.queue)
        .sort()
        .map((q) => `queue:${q}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Sums of a sliding window

/** The counters of a window: the figures' sums (rollup-columns.ts), then the two judgements. */
const COUNTERS = [...FIGURE_SUM_COLUMNS, "answered_within_sl", "short_abandoned"] as const;
const IX = Object.fromEntries(COUNTERS.map((c, i) => [c, i])) as Record<
  (typeof COUNTERS)[number],
  number
>;

/** Copied, not built, per figures() call: emptySums() costs more than the figures themselves. */
const ZERO_SUMS: Readonly<Sums> = emptySums();

/** One fact as a window counts it: when, what it adds, and its wait when it is a visit's. */
interface Counted {
  at_ms: number;
  /** Pairs of (counter index, amount). */
  adds: number[];
  /** The wait of a visit that counts for max_wait_s; -1 otherwise. */
  max_wait_ms: number;
}

/**
 * The version that judges a visit ending at `anchorMs`: later versions from their quarter hour,
 * version 1 otherwise, as versionSql (sql/src/queries/reports.ts) picks it for the rollup and the
 * live windows.
 */
function judgingVersion(q: QueueConfig, anchorMs: number): Version {
  let best: Version | undefined;
  for (const v of q.versions)
    if (
      v.version > 1 &&
      Math.floor(v.valid_from_ms / QUARTER) * QUARTER <= anchorMs &&
      (!best || v.valid_from_ms > best.valid_from_ms)
    )
      best = v;
  return best ?? versionOf(q, 1);
}

/** What a contact fact adds to a window (factContactSums's conditions), weighed by its net count. */
function countContact(f: BacktestContactRow, q: QueueConfig): Counted {
  const adds: number[] = [];
  const add = (c: (typeof COUNTERS)[number], amount = 1) => adds.push(IX[c], amount * f.n);
  let maxWait = -1;
  if (f.kind === "visit") {
    const v = judgingVersion(q, f.anchor_ms);
    if (f.outcome !== "orphaned") {
      add("offered");
      maxWait = f.duration_ms;
    }
    if (f.outcome === "answered") {
      add("answered");
      add("answered_wait_ms", f.duration_ms);
      // As the deriver judges a visit (families.ts) and figures.ts's histograms judge it again.
      if (f.duration_ms <= v.sl_threshold_s * 1000) add("answered_within_sl");
    } else if (f.outcome === "abandoned") {
      add("abandoned");
      if (f.duration_ms < v.short_abandon_s * 1000) add("short_abandoned");
    } else if (f.outcome === "callback") add("callbacks");
    else if (f.outcome === "flowed_out") add("flowed_out");
    else if (f.outcome === "orphaned") add("orphaned");
  } else if (f.kind === "handled") {
    add("handled");
    if (f.duration_ms >= 0) {
      add("handled_timed");
      add("handle_ms", f.duration_ms);
    }
    if (f.outcome === "resolved") add("handled_resolved");
  } else if (f.kind === "transfer") add("transfers");
  else if (f.kind === "first_response") {
    add("first_responses");
    add("first_response_ms", f.duration_ms);
  }
  return { at_ms: f.anchor_ms, adds, max_wait_ms: maxWait };
}

/** What a survey response adds (factSurveySums's conditions). */
function countSurvey(s: BacktestSurveyRow): Counted {
  const adds: number[] = [];
  const add = (c: (typeof COUNTERS)[number], yes: boolean) => {
    if (yes) adds.push(IX[c], s.n);
  };
  add("csat_n", s.csat >= 1);
  add("csat_good", s.csat >= 4);
  add("csat_low", s.csat >= 1 && s.csat <= 2);
  add("nps_n", s.nps >= 0);
  add("nps_promoters", s.nps >= 9);
  add("nps_detractors", s.nps >= 0 && s.nps <= 6);
  add("fcr_n", s.resolved >= 0);
  add("fcr_yes", s.resolved === 1);
  return { at_ms: s.anchor_ms, adds, max_wait_ms: -1 };
}

/**
 * The sums of the facts anchored in [from, to] as both ends move forward: each fact is added once
 * when `to` passes it and taken away once when `from` passes it, and the longest wait is kept by a
 * deque of decreasing waits (the sliding-window maximum).
 */
export class WindowSums {
  private readonly c = new Float64Array(COUNTERS.length);
  private hi = 0;
  private lo = 0;
  private readonly deque: number[] = [];
  private head = 0;

  /** `facts` sorted by at_ms. */
  constructor(private readonly facts: readonly Counted[]) {}

  /** Moves the window to [fromMs, toMs]; whether a fact entered or left it. */
  move(fromMs: number, toMs: number): boolean {
    const { facts, c, deque } = this;
    let changed = false;
    for (; this.hi < facts.length && facts[this.hi]!.at_ms <= toMs; this.hi++) {
      const f = facts[this.hi]!;
      for (let i = 0; i < f.adds.length; i += 2) c[f.adds[i]!]! += f.adds[i + 1]!;
      if (f.max_wait_ms >= 0) {
        while (deque.length > this.head && facts[deque.at(-1)!]!.max_wait_ms <= f.max_wait_ms)
          deque.pop();
        deque.push(this.hi);
      }
      changed = true;
    }
    for (; this.lo < this.hi && facts[this.lo]!.at_ms < fromMs; this.lo++) {
      const f = facts[this.lo]!;
      for (let i = 0; i < f.adds.length; i += 2) c[f.adds[i]!]! -= f.adds[i + 1]!;
      changed = true;
    }
    while (this.head < deque.length && deque[this.head]! < this.lo) this.head++;
    return changed;
  }

  /** The window's sums as figures() reads them: every visit already judged by its version. */
  sums(): Sums {
    const s: Sums = { ...ZERO_SUMS };
    FIGURE_SUM_COLUMNS.forEach((col, i) => {
      s[col] = this.c[i]!;
    });
    s.judged = {
      answered_within_sl: this.c[IX.answered_within_sl]!,
      short_abandoned: this.c[IX.short_abandoned]!,
    };
    s.max_wait_ms =
      this.head < this.deque.length ? this.facts[this.deque[this.head]!]!.max_wait_ms : null;
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Who waits

interface Wait {
  start: number;
  end: number;
}

/** First index of a sorted array whose value is ≥ x (= how many values are < x). */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The visits of one queue waiting at an instant (start ≤ t < end), as the instant moves forward. */
export class Waiting {
  /** Starts of the visits waiting now, ascending. */
  readonly starts: number[] = [];
  private entered = 0;
  private left = 0;
  private readonly byStart: Wait[];
  private readonly byEnd: Wait[];

  constructor(visits: readonly Wait[]) {
    // A visit that ended as it started never waited (and could not be taken out once put in).
    const real = visits.filter((v) => v.end > v.start);
    this.byStart = [...real].sort((a, b) => a.start - b.start);
    this.byEnd = [...real].sort((a, b) => a.end - b.end);
  }

  /** Moves to instant t; whether a visit started or ended since the last one. */
  move(t: number): boolean {
    let changed = false;
    // In start order, so each new start is the latest: pushing keeps `starts` sorted.
    for (
      ;
      this.entered < this.byStart.length && this.byStart[this.entered]!.start <= t;
      this.entered++
    ) {
      this.starts.push(this.byStart[this.entered]!.start);
      changed = true;
    }
    for (; this.left < this.byEnd.length && this.byEnd[this.left]!.end <= t; this.left++) {
      this.starts.splice(lowerBound(this.starts, this.byEnd[this.left]!.start), 1);
      changed = true;
    }
    return changed;
  }

  /** Waiting visits whose wait passes `thresholdMs` within the lookahead (t + 10 s − start > T). */
  breachingSoon(t: number, thresholdMs: number): number {
    return lowerBound(this.starts, t + BREACH_LOOKAHEAD_MS - thresholdMs);
  }
}

/** The visits of `queue` as waits: closed ones until their end, open ones until 12 h after start. */
function waitsOf(facts: BacktestFacts, queue: string): Wait[] {
  const out: Wait[] = [];
  for (const f of facts.contacts)
    if (f.kind === "visit" && f.queue === queue) out.push({ start: f.start_ms, end: f.anchor_ms });
  for (const o of facts.open)
    if (o.queue === queue) out.push({ start: o.start_ms, end: o.start_ms + ORPHAN_AFTER_MS });
  return out;
}

// ---------------------------------------------------------------------------------------------
// One scope's figure as the steps move

/** The start of the period a window figure counts at instant t (inclusive). */
function windowStartOf(
  window: ThresholdRuleDraft["window"],
  tz: string,
  fromMs: number,
  lastMs: number,
) {
  if (window === "15m" || window === "60m") {
    const w = WINDOW_MS[window];
    return (t: number) => t - w;
  }
  // Local midnights from the first step's day on; steps only move forward, so a pointer finds each.
  const days = intervalStarts(tz, "1d", fromMs, lastMs + 1);
  let i = 0;
  return (t: number) => {
    while (i + 1 < days.length && days[i + 1]! <= t) i++;
    return days[i]!;
  };
}

/** The earliest instant the facts of a figure at `fromMs` reach back to. */
function readStartOf(rule: ThresholdRuleDraft, tz: string, fromMs: number): number {
  if (rule.window === "now") return fromMs;
  if (rule.window === "today") return intervalStart(tz, "1d", fromMs);
  return fromMs - WINDOW_MS[rule.window];
}

interface Observed {
  value: number | null;
  volume: number | null;
}

/** Which member versions are in force as t moves: recomputed only when t passes a version's start. */
class VersionsInForce {
  current: Version[];
  private readonly changes: number[];
  private next = 0;
  constructor(
    private readonly queues: readonly QueueConfig[],
    fromMs: number,
  ) {
    this.changes = [
      ...new Set(queues.flatMap((q) => q.versions.slice(1).map((v) => v.valid_from_ms))),
    ].sort((a, b) => a - b);
    this.current = queues.map((q) => versionAt(q, fromMs));
    while (this.next < this.changes.length && this.changes[this.next]! <= fromMs) this.next++;
  }
  /** Moves to t; whether a version changed. */
  move(t: number): boolean {
    if (this.next >= this.changes.length || this.changes[this.next]! > t) return false;
    while (this.next < this.changes.length && this.changes[this.next]! <= t) this.next++;
    this.current = this.queues.map((q) => versionAt(q, t));
    return true;
  }
}

/**
 * A scope's figure (and its guard's volume) at each step, moving forward only. Instant figures from
 * the waiting visits of each member queue; window figures from one WindowSums over the members'
 * facts together (each visit is judged by its own queue's version before it is summed, so the sums
 * of several queues add up as the live snapshot's segments do).
 */
function scopeSeries(
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  members: ScopeMembers,
  facts: BacktestFacts,
  fromMs: number,
  lastMs: number,
): { versions: VersionsInForce; at: (t: number) => Observed } {
  const versions = new VersionsInForce(members.queues, fromMs);
  if (!members.present) return { versions, at: () => ({ value: null, volume: null }) };
  const names = new Set(members.queues.map((q) => q.queue));

  if (rule.window === "now") {
    const waiting = members.queues.map((q) => new Waiting(waitsOf(facts, q.queue)));
    return {
      versions,
      at: (t) => {
        let count = 0;
        let earliest = Number.POSITIVE_INFINITY;
        let soon = 0;
        waiting.forEach((w, i) => {
          w.move(t);
          count += w.starts.length;
          if (w.starts.length) earliest = Math.min(earliest, w.starts[0]!);
          if (rule.figure === "breaching_soon")
            soon += w.breachingSoon(t, versions.current[i]!.sl_threshold_s * 1000);
        });
        const value =
          rule.figure === "waiting"
            ? count
            : rule.figure === "breaching_soon"
              ? soon
              : count
                ? Math.max(0, (t - earliest) / 1000)
                : 0;
        return { value, volume: null };
      },
    };
  }

  const byQueue = new Map(members.queues.map((q) => [q.queue, q]));
  const counted: Counted[] = [];
  for (const f of facts.contacts) {
    const q = byQueue.get(f.queue);
    if (q) counted.push(countContact(f, q));
  }
  for (const s of facts.surveys) if (names.has(s.queue)) counted.push(countSurvey(s));
  counted.sort((a, b) => a.at_ms - b.at_ms);
  const sums = new WindowSums(counted);
  const startAt = windowStartOf(rule.window, config.tz, fromMs, lastMs);
  const figure = rule.figure as keyof QueueFigures;
  const volumeFigure = guardFigureOf(rule) as keyof QueueFigures | undefined;
  // Any version's parameters will do: every visit in the sums is already judged (and a site
  // without queues has none to judge).
  const params = versionAt(members.queues[0] ?? defaultQueue(""), fromMs);
  let last: Observed | null = null;
  return {
    versions,
    at: (t) => {
      if (sums.move(startAt(t), t) || !last) {
        const f = figures([{ sums: sums.sums(), params }]);
        last = {
          value: f[figure] ?? null,
          volume: volumeFigure ? (f[volumeFigure] ?? null) : null,
        };
      }
      return last;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the facts

/** The facts of `queues` a rule's figure reads at every instant in [fromMs, lastMs]. */
export async function readBacktestFacts(
  ch: ClickHouseClient,
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  queues: readonly string[],
  fromMs: number,
  lastMs: number,
): Promise<BacktestFacts> {
  const empty: BacktestFacts = { contacts: [], open: [], surveys: [] };
  if (queues.length === 0) return empty;
  const sources = sourcesOf(rule);
  const base = { site: config.site, queues: [...queues] };
  if (sources.has("waiting")) {
    // Visits that ended after the first step and started by the last (a visit waits 12 h at most),
    // and visits open now that started within 12 h before a step.
    const [contacts, open] = await Promise.all([
      runQuery(ch, backtestContactFacts, {
        ...base,
        kinds: ["visit"],
        from_ms: fromMs + 1,
        to_ms: lastMs + ORPHAN_AFTER_MS + 1,
      }),
      runQuery(ch, backtestOpenVisits, {
        ...base,
        from_ms: fromMs - ORPHAN_AFTER_MS + 1,
        to_ms: lastMs + 1,
      }),
    ]);
    return { contacts: contacts.filter((c) => c.start_ms <= lastMs), open, surveys: [] };
  }
  const range = { ...base, from_ms: readStartOf(rule, config.tz, fromMs), to_ms: lastMs + 1 };
  const kinds = [...sources].filter(
    (s): s is BacktestContactKind => s !== "survey" && s !== "waiting",
  );
  const [contacts, surveys] = await Promise.all([
    kinds.length ? runQuery(ch, backtestContactFacts, { ...range, kinds }) : [],
    sources.has("survey") ? runQuery(ch, backtestSurveyFacts, range) : [],
  ]);
  return { contacts, open: [], surveys };
}

// ---------------------------------------------------------------------------------------------
// The replay

/** The lifecycle's rule for one scope at one instant, built as the evaluator builds it. */
function lifecycleRule(rule: ThresholdRuleDraft, targets: readonly number[]): LifecycleRule {
  return lifecycleOf(
    rule,
    resolveThreshold(rule.threshold, targets),
    resolveThreshold(rule.recovery_threshold ?? rule.threshold, targets),
  );
}

function stepsOf(opts: BacktestOptions): { step: number; steps: number } {
  const step = opts.step_ms ?? DEFAULT_BACKTEST_STEP_MS;
  if (!Number.isInteger(step) || step < 1_000)
    throw new ApiError("bad_request", "the step must be a whole number of ms, at least 1000");
  if (!(opts.to_ms > opts.from_ms)) throw new ApiError("bad_request", "`to` must be after `from`");
  const steps = Math.ceil((opts.to_ms - opts.from_ms) / step);
  if (steps > MAX_BACKTEST_STEPS)
    throw new ApiError(
      "bad_request",
      `a backtest replays at most ${MAX_BACKTEST_STEPS} steps (${(MAX_BACKTEST_STEPS * step) / 86_400_000} days at ${step / 1000} s); this range has ${steps}`,
    );
  return { step, steps };
}

/**
 * Whether each step is muted (outside business hours) for a rule muted there. Business hours are
 * whole minutes of the wall clock and every zone's offset is whole minutes, so one answer per
 * minute serves every step in it.
 */
function mutedSteps(
  rule: ThresholdRuleDraft,
  tz: string,
  hours: readonly HoursVersion[] | undefined,
  fromMs: number,
  step: number,
  steps: number,
): Uint8Array | null {
  if (!rule.mute_outside_hours || !hours?.length) return null;
  const aligned = hours.every((h) => h.valid_from_ms % MINUTE === 0);
  const out = new Uint8Array(steps);
  let minute = Number.NaN;
  let open = true;
  for (let k = 0; k < steps; k++) {
    const t = fromMs + k * step;
    const m = Math.floor(t / MINUTE);
    if (!aligned || m !== minute) {
      open = openAt(hours, tz, t);
      minute = m;
    }
    out[k] = open ? 0 : 1;
  }
  return out;
}

/**
 * The replay itself, pure: the firings of `rule` over each of its scopes at the steps of `opts`,
 * from `facts` (readBacktestFacts's, for the whole range). Exported for the unit tests.
 */
export function replay(
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  facts: BacktestFacts,
  opts: BacktestOptions,
): Omit<BacktestFirings, "elapsed_ms"> {
  assertReplayable(rule);
  const { step: stepMs, steps } = stepsOf(opts);
  const fromMs = opts.from_ms;
  const lastMs = fromMs + (steps - 1) * stepMs;
  const muted = mutedSteps(rule, config.tz, opts.hours, fromMs, stepMs, steps);
  const usesTarget = rule.threshold === "sl_target" || rule.recovery_threshold === "sl_target";
  const firings: BacktestFiring[] = [];

  for (const key of scopeKeysOf(config, rule.scope)) {
    const members = scopeMembers(config, key);
    // A scope the snapshot lacks has no figure: nothing can fire there.
    if (!members.present) continue;
    const series = scopeSeries(config, rule, members, facts, fromMs, lastMs);
    const targets = () => series.versions.current.map((v) => v.sl_target);
    let lr = lifecycleRule(rule, targets());
    let state: AlertState = INACTIVE;
    let open: BacktestFiring | null = null;
    for (let k = 0; k < steps; k++) {
      const t = fromMs + k * stepMs;
      if (series.versions.move(t) && usesTarget) lr = lifecycleRule(rule, targets());
      const o = series.at(t);
      const r = step(lr, state, {
        at_ms: t,
        value: o.value,
        volume: o.volume,
        muted: muted ? muted[k] === 1 : false,
      });
      state = r.state;
      for (const tr of r.transitions) {
        if (tr.kind === "firing") {
          open = {
            scope: members.scope,
            pending_since_ms: tr.since_ms,
            fired_ms: tr.at_ms,
            resolved_ms: null,
            peak: tr.value,
            peak_ms: tr.at_ms,
          };
          firings.push(open);
        } else if (tr.kind === "resolved" && open) {
          open.resolved_ms = tr.at_ms;
          open.peak = tr.peak;
          open.peak_ms = tr.peak_ms;
          open = null;
        }
      }
    }
    if (open && state.peak !== null && state.peak_ms !== null) {
      open.peak = state.peak;
      open.peak_ms = state.peak_ms;
    }
  }
  firings.sort((a, b) => a.fired_ms - b.fired_ms || (a.scope.key < b.scope.key ? -1 : 1));
  return {
    from_ms: fromMs,
    to_ms: opts.to_ms,
    step_ms: stepMs,
    steps,
    firings,
    facts: {
      contacts: facts.contacts.length,
      open: facts.open.length,
      surveys: facts.surveys.length,
    },
  };
}

/** Every firing `rule` would have made over [from, to) at the evaluator's steps (see the file's top). */
export async function backtest(
  ch: ClickHouseClient,
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  opts: BacktestOptions,
): Promise<BacktestFirings> {
  const started = performance.now();
  assertReplayable(rule);
  const { step: stepMs, steps } = stepsOf(opts);
  const lastMs = opts.from_ms + (steps - 1) * stepMs;
  const queues = [
    ...new Set(
      scopeKeysOf(config, rule.scope).flatMap((k) =>
        scopeMembers(config, k).queues.map((q) => q.queue),
      ),
    ),
  ];
  const facts = await readBacktestFacts(ch, config, rule, queues, opts.from_ms, lastMs);
  return { ...replay(config, rule, facts, opts), elapsed_ms: performance.now() - started };
}

/** The figure of one scope of `rule` at one instant, from the facts stored now (a breach's peak_now). */
export async function figureAt(
  ch: ClickHouseClient,
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  scopeKey: string,
  atMs: number,
): Promise<number | null> {
  assertReplayable(rule);
  const members = scopeMembers(config, scopeKey);
  if (!members.present) return null;
  const queues = members.queues.map((q) => q.queue);
  const facts = await readBacktestFacts(ch, config, rule, queues, atMs, atMs);
  return figureFrom(config, rule, members, facts, atMs);
}

function figureFrom(
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  members: ScopeMembers,
  facts: BacktestFacts,
  atMs: number,
): number | null {
  return scopeSeries(config, rule, members, facts, atMs, atMs).at(atMs).value;
}

/** Whether a visit or response is one `figure` counts (the conditions of factContactSums, factSurveySums). */
function visitCounts(figure: string, f: BacktestContactRow, q: QueueConfig): boolean {
  const v = judgingVersion(q, f.anchor_ms);
  const answered = f.outcome === "answered";
  const abandoned = f.outcome === "abandoned";
  const short = abandoned && f.duration_ms < v.short_abandon_s * 1000;
  switch (figure) {
    case "offered":
    case "max_wait_s":
      return f.outcome !== "orphaned";
    case "answered":
    case "asa_s":
    case "transfer_rate":
      return answered;
    case "answered_within_sl":
      return answered && f.duration_ms <= v.sl_threshold_s * 1000;
    case "abandoned":
      return abandoned;
    case "short_abandoned":
      return short;
    case "service_level":
    case "abandon_rate":
      // The denominator: answered and abandoned but short abandons; callbacks and flow-outs in neither.
      return answered || (abandoned && !short);
    case "callbacks":
      return f.outcome === "callback";
    default:
      return f.outcome === figure; // flowed_out, orphaned
  }
}

function surveyCounts(figure: string, s: BacktestSurveyRow): boolean {
  if (figure === "low_csat") return s.csat >= 1 && s.csat <= 2;
  if (figure === "nps" || figure === "nps_responses") return s.nps >= 0;
  if (figure === "fcr_survey" || figure === "fcr_responses") return s.resolved >= 0;
  return s.csat >= 1; // csat, csat_responses
}

/**
 * Exactly what made the figure of one scope at one instant: for a figure of the instant the visits
 * waiting then (breaching_soon: those it counted); for a window figure the visits, contacts or
 * survey responses of its window that the figure counts (a service level: its denominator, the
 * answered and the abandoned but short abandons).
 */
export async function evidenceAt(
  ch: ClickHouseClient,
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  scopeKey: string,
  atMs: number,
): Promise<BacktestEvidence> {
  assertReplayable(rule);
  const members = scopeMembers(config, scopeKey);
  const queues = members.queues.map((q) => q.queue);
  const facts = members.present
    ? await readBacktestFacts(ch, config, rule, queues, atMs, atMs)
    : { contacts: [], open: [], surveys: [] };
  return evidenceFrom(config, rule, scopeKey, facts, atMs);
}

/** An ended visit as evidence, with the wait (ms) it counts: so far at the instant, or its whole wait. */
function visitEvidence(f: BacktestContactRow, waitMs: number): EvidenceVisit {
  return {
    contact_id: f.contact_id,
    queue: f.queue,
    started_at_ms: f.start_ms,
    ended_at_ms: f.anchor_ms,
    outcome: f.outcome,
    wait_s: waitMs / 1000,
  };
}

/** evidenceAt's choice among facts read for the instant (pure; exported for the unit tests). */
export function evidenceFrom(
  config: SiteConfig,
  rule: ThresholdRuleDraft,
  scopeKey: string,
  facts: BacktestFacts,
  atMs: number,
): BacktestEvidence {
  const members = scopeMembers(config, scopeKey);
  const fromMs = readStartOf(rule, config.tz, atMs);
  const out: BacktestEvidence = {
    scope: members.scope,
    figure: rule.figure,
    window: rule.window,
    at_ms: atMs,
    from_ms: fromMs,
    to_ms: atMs,
    value: members.present ? figureFrom(config, rule, members, facts, atMs) : null,
    visits: [],
    contacts: [],
    surveys: [],
  };
  if (!members.present) return out;
  const byQueue = new Map(members.queues.map((q) => [q.queue, q]));

  if (rule.window === "now") {
    const soonBefore = (queue: string) =>
      atMs + BREACH_LOOKAHEAD_MS - versionAt(byQueue.get(queue)!, atMs).sl_threshold_s * 1000;
    const waits = (queue: string, start: number) =>
      rule.figure !== "breaching_soon" || start < soonBefore(queue);
    for (const f of facts.contacts)
      if (
        f.kind === "visit" &&
        f.start_ms <= atMs &&
        atMs < f.anchor_ms &&
        waits(f.queue, f.start_ms)
      )
        out.visits.push(visitEvidence(f, atMs - f.start_ms));
    for (const o of facts.open)
      if (o.start_ms <= atMs && atMs < o.start_ms + ORPHAN_AFTER_MS && waits(o.queue, o.start_ms))
        out.visits.push({
          contact_id: o.contact_id,
          queue: o.queue,
          started_at_ms: o.start_ms,
          ended_at_ms: null,
          outcome: "open",
          wait_s: (atMs - o.start_ms) / 1000,
        });
    out.visits.sort((a, b) => a.started_at_ms - b.started_at_ms);
    return out;
  }

  const inWindow = (ms: number) => ms >= fromMs && ms <= atMs;
  for (const f of facts.contacts) {
    const q = byQueue.get(f.queue);
    if (!q || !inWindow(f.anchor_ms)) continue;
    if (f.kind === "visit") {
      if (visitCounts(rule.figure, f, q)) out.visits.push(visitEvidence(f, f.duration_ms));
    } else if (rule.figure !== "aht_s" || f.duration_ms >= 0)
      out.contacts.push({
        kind: f.kind,
        contact_id: f.contact_id,
        queue: f.queue,
        started_at_ms: f.start_ms,
        at_ms: f.anchor_ms,
        duration_s: f.duration_ms >= 0 ? f.duration_ms / 1000 : null,
        outcome: f.outcome,
      });
  }
  for (const s of facts.surveys)
    if (byQueue.has(s.queue) && inWindow(s.anchor_ms) && surveyCounts(rule.figure, s))
      out.surveys.push({
        survey_id: s.survey_id,
        contact_id: s.contact_id,
        queue: s.queue,
        at_ms: s.anchor_ms,
        csat: s.csat >= 1 ? s.csat : null,
        nps: s.nps >= 0 ? s.nps : null,
        resolved: s.resolved >= 0 ? s.resolved === 1 : null,
      });
  out.visits.sort((a, b) => a.ended_at_ms! - b.ended_at_ms!);
  out.contacts.sort((a, b) => a.at_ms - b.at_ms);
  out.surveys.sort((a, b) => a.at_ms - b.at_ms);
  return out;
}

/** The API's answer (contracts' BacktestResult) from a backtest's firings. */
export function backtestResult(
  site: string,
  rule: ThresholdRuleDraft,
  r: BacktestFirings,
): BacktestResult {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    site,
    rule,
    from: iso(r.from_ms),
    to: iso(r.to_ms),
    step_s: r.step_ms / 1000,
    steps: r.steps,
    firings: r.firings.map((f) => ({
      scope: f.scope,
      pending_since: iso(f.pending_since_ms),
      fired_at: iso(f.fired_ms),
      resolved_at: f.resolved_ms === null ? null : iso(f.resolved_ms),
      peak: f.peak,
      peak_at: iso(f.peak_ms),
    })),
    elapsed_ms: r.elapsed_ms,
  };
}
