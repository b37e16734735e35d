// The alert evaluator: every tick (≤ 5 s), for every site, each enabled rule over each of its
// scopes is observed in the site's live snapshot (the one GET /live and the stream share: a
// thousand rules add no ClickHouse statement), advanced through its lifecycle (lifecycle.ts), and
// what changed is written in one insert per table for all sites together. Per-item rules
// (low-score follow-ups) are checked from the stored events every `followupEveryMs`.
//
// Only the elected process evaluates (election.ts). On election it resumes every pending and
// firing alert from alert_current, so a handover continues alerts where they were: a transition
// is neither lost (the new evaluator picks up the state and makes the next one) nor doubled (an
// alert's id is derived from its rule, scope and start, and a transition is keyed by alert and
// kind, so writing one twice stores one row).
import { createHash } from "node:crypto";
import type { AlertScope, LiveSnapshot, Rule, ThresholdRuleDraft } from "@floorwatch/contracts";
import {
  ALERT_CURRENT_TABLE,
  ALERT_TRANSITIONS_TABLE,
  errorFields,
  insertRows,
  listSites,
  loadCurrentAlerts,
  runQuery,
  type AlertCurrentRow,
  type AlertTransitionRow,
  type ClickHouseClient,
  type Logger,
} from "@floorwatch/sql";
import { loadHours, openAt, type HoursVersion } from "./hours";
import { INACTIVE, step, type AlertState, type LifecycleRule, type Transition } from "./lifecycle";
import { observe } from "./observe";
import { loadRules } from "./rules";

/** What a stored alert says about itself (alert_transitions.detail, alert_current.detail). */
export interface AlertDetail {
  rule_name: string;
  rule_name_zh: string;
  severity: Rule["severity"];
  labels: Record<string, string>;
  figure: string;
  window: string;
  comparator: string;
  threshold: number;
  recovery_threshold: number;
  scope: AlertScope;
  definition_version: number | null;
  /** Why it resolved, when not by recovering (rule disabled, deleted, scope gone). */
  reason?: string;
}

/** One low-score follow-up as the evaluator needs it (followups.ts computes them). */
export interface FollowupDue {
  survey_id: string;
  queue: string;
  channel: string;
  surveyed_ms: number;
  due_ms: number;
  status: "open" | "met" | "overdue" | "untrackable";
  met_ms: number | null;
}

export interface EvaluatorOptions {
  ch: ClickHouseClient;
  log: Logger;
  /** The site's live snapshot, shared with GET /live and the stream. */
  snapshot: (site: string) => Promise<LiveSnapshot>;
  /** Follow-ups of a site whose surveys fall in [from, to). */
  followups?: (site: string, fromMs: number, toMs: number, nowMs: number) => Promise<FollowupDue[]>;
  /** Called after a tick wrote transitions of these sites (the stream pushes them at once). */
  onTransitions?: (sites: string[]) => void;
  now?: () => number;
  tickMs?: number;
  followupEveryMs?: number;
  /** Who evaluates (host:pid), recorded with every write. */
  holder: string;
}

export interface Evaluator {
  /** Starts or stops ticking (the election's verdict). Starting resumes stored alerts first. */
  setLeader(leader: boolean): void;
  /** One evaluation of every site now (tests and the benchmark drive it directly). */
  tickOnce(): Promise<TickStats>;
  /** For GET /metrics: whether this process evaluates, and how its ticks went. */
  stats(): { leader: boolean; ticks: number; failures: number; last?: TickStats };
  stop(): Promise<void>;
}

export interface TickStats {
  at_ms: number;
  sites: number;
  rules: number;
  observations: number;
  transitions: number;
  elapsed_ms: number;
}

interface Tracked {
  site: string;
  rule_id: string;
  scope_key: string;
  alert_id: string;
  state: AlertState;
  rule_version: number;
  value: number | null;
  detail: AlertDetail;
  written: string;
  written_ms: number;
}

/**
 * The service's own rule: a notification subscription it disabled (webhooks/failing.ts writes and
 * resolves these alerts; the evaluator resumes and sweeps only the alerts of stored rules).
 */
export const WEBHOOK_FAILING_RULE = "webhook-failing";

/** The figure of the per-item follow-up rule: hours past the due time. */
export const FOLLOWUP_FIGURE = "followup_overdue_h";

/** How long a follow-up breach stays open unmet: after a week it is a record, not an alert. */
const FOLLOWUP_TRACK_MS = 7 * 86_400_000;
const FOLLOWUP_DUE_MS = 86_400_000;
/** An open alert's state is written at least this often (evaluated_at stays fresh). */
const REFRESH_MS = 30_000;

export const alertIdOf = (site: string, ruleId: string, scopeKey: string, sinceMs: number) =>
  createHash("sha256")
    .update(`${site}\u0000${ruleId}\u0000${scopeKey}\u0000${sinceMs}`)
    .digest("hex")
    .slice(0, 24);

const keyOf = (site: string, ruleId: string, scopeKey: string) =>
  `${site}\u0000${ruleId}\u0000${scopeKey}`;

export function lifecycleOf(rule: ThresholdRuleDraft, threshold: number, recovery: number) {
  return {
    comparator: rule.comparator,
    threshold,
    recovery_threshold: recovery,
    for_ms: rule.for_s * 1000,
    keep_firing_for_ms: rule.keep_firing_for_s * 1000,
    min_volume: rule.min_volume,
  } satisfies LifecycleRule;
}

export function makeEvaluator(opts: EvaluatorOptions): Evaluator {
  const { ch, log } = opts;
  const now = opts.now ?? Date.now;
  const tickMs = opts.tickMs ?? 2_000;
  const followupEveryMs = opts.followupEveryMs ?? 10_000;
  const tracked = new Map<string, Tracked>();
  let leader = false;
  let resumed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let sites: { site: string; tz: string }[] = [];
  let sitesAt = -Infinity;
  const hours = new Map<string, { at: number; versions: HoursVersion[] }>();
  let followupsAt = -Infinity;
  let ticks = 0;
  let failures = 0;
  let last: TickStats | undefined;

  async function resume() {
    tracked.clear();
    for (const r of await runQuery(ch, loadCurrentAlerts, { open: true })) {
      if (r.rule_id === WEBHOOK_FAILING_RULE) continue;
      tracked.set(keyOf(r.site, r.rule_id, r.scope_key), {
        site: r.site,
        rule_id: r.rule_id,
        scope_key: r.scope_key,
        alert_id: r.alert_id,
        state: {
          phase: r.phase,
          since_ms: r.since_ms,
          fired_ms: r.phase === "firing" ? r.fired_ms : null,
          recovering_ms: r.recovering_ms > 0 ? r.recovering_ms : null,
          peak: r.peak,
          peak_ms: r.peak_ms,
        },
        rule_version: r.rule_version,
        value: r.has_value ? r.value : null,
        detail: JSON.parse(r.detail) as AlertDetail,
        written: "",
        written_ms: r.updated_ms,
      });
    }
    resumed = true;
    log.info("alert evaluator resumed", { open: tracked.size });
  }

  async function hoursOf(site: string, at: number): Promise<HoursVersion[]> {
    const hit = hours.get(site);
    if (hit && at - hit.at < 60_000) return hit.versions;
    const versions = await loadHours(ch, site);
    hours.set(site, { at, versions });
    return versions;
  }

  async function tickOnce(): Promise<TickStats> {
    const started = performance.now();
    const at = now();
    if (!resumed) await resume();
    if (at - sitesAt > 30_000) {
      sites = await runQuery(ch, listSites, {});
      sitesAt = at;
    }
    const rulesBySite = await loadRules(
      ch,
      sites.map((s) => s.site),
    );
    const transitions: AlertTransitionRow[] = [];
    const current: AlertCurrentRow[] = [];
    const changedSites = new Set<string>();
    const seen = new Set<string>();
    const checkFollowups = at - followupsAt >= followupEveryMs;
    if (checkFollowups) followupsAt = at;
    let ruleCount = 0;
    let observations = 0;

    const advance = (
      site: string,
      rule: Rule,
      scope: AlertScope,
      lr: LifecycleRule,
      obs: { value: number | null; volume: number | null; muted: boolean; at_ms?: number },
      /** Built only for an alert that exists: most observations need none. */
      detail: () => AlertDetail,
    ) => {
      const key = keyOf(site, rule.id, scope.key);
      seen.add(key);
      observations++;
      const known = tracked.get(key);
      const obsAt = obs.at_ms ?? at;
      const { state, transitions: made } = step(lr, known?.state ?? INACTIVE, {
        at_ms: obsAt,
        value: obs.value,
        volume: obs.volume,
        muted: obs.muted,
      });
      // Most observations of most rules find nothing wrong: no alert to build or write.
      if (!known && state.phase === "inactive" && made.length === 0) return;
      const t: Tracked = known ?? {
        site,
        rule_id: rule.id,
        scope_key: scope.key,
        alert_id: "",
        state: INACTIVE,
        rule_version: rule.version,
        value: null,
        detail: detail(),
        written: "",
        written_ms: 0,
      };
      if (t.state.phase === "inactive" && state.phase !== "inactive") {
        t.alert_id = alertIdOf(site, rule.id, scope.key, state.since_ms!);
        t.rule_version = rule.version;
      }
      if (made.some((m) => m.kind === "firing")) t.rule_version = rule.version;
      if (known) t.detail = detail();
      t.value = obs.value;
      record(t, made, at);
      t.state = state;
      if (state.phase === "inactive") {
        if (made.length) writeCurrent(t, at, true);
        tracked.delete(key);
      } else {
        tracked.set(key, t);
        writeCurrent(t, at, false);
      }
    };

    function record(t: Tracked, made: Transition[], atMs: number) {
      for (const m of made) {
        changedSites.add(t.site);
        transitions.push({
          site: t.site,
          alert_id: t.alert_id,
          kind: m.kind,
          at_ms: m.at_ms,
          rule_id: t.rule_id,
          rule_version: t.rule_version,
          scope_key: t.scope_key,
          queue: t.detail.scope.queue ?? "",
          severity: t.detail.severity,
          since_ms: m.kind === "pending" ? m.at_ms : m.since_ms,
          fired_ms: m.kind === "resolved" ? m.fired_ms : m.kind === "firing" ? m.at_ms : 0,
          value: m.kind === "pending" || m.kind === "firing" ? m.value : (t.value ?? 0),
          peak: m.kind === "resolved" ? m.peak : (t.state.peak ?? t.value ?? 0),
          peak_ms: m.kind === "resolved" ? m.peak_ms : (t.state.peak_ms ?? atMs),
          threshold: t.detail.threshold,
          definition_version: t.detail.definition_version ?? 0,
          detail: JSON.stringify(t.detail),
          evaluator: opts.holder,
          recorded_ms: atMs,
        });
      }
    }

    function writeCurrent(t: Tracked, atMs: number, force: boolean) {
      const s = t.state;
      const signature = JSON.stringify([
        s.phase,
        s.since_ms,
        s.fired_ms,
        s.recovering_ms,
        s.peak,
        t.value,
      ]);
      if (!force && signature === t.written && atMs - t.written_ms < REFRESH_MS) return;
      t.written = signature;
      t.written_ms = atMs;
      current.push({
        site: t.site,
        rule_id: t.rule_id,
        scope_key: t.scope_key,
        alert_id: t.alert_id,
        phase: s.phase,
        since_ms: s.since_ms ?? 0,
        fired_ms: s.fired_ms ?? 0,
        recovering_ms: s.recovering_ms ?? 0,
        value: t.value ?? 0,
        has_value: t.value === null ? 0 : 1,
        peak: s.peak ?? 0,
        peak_ms: s.peak_ms ?? 0,
        rule_version: t.rule_version,
        detail: JSON.stringify(t.detail),
        evaluator: opts.holder,
        updated_ms: atMs,
      });
    }

    async function evaluateSite({ site, tz }: { site: string; tz: string }) {
      const rules = (rulesBySite.get(site) ?? []).filter((r) => r.enabled);
      ruleCount += rules.length;
      const threshold = rules.filter((r) => r.kind === "threshold");
      const followup = rules.filter((r) => r.kind === "followup");
      const needHours = rules.some((r) => r.mute_outside_hours);
      const muted = needHours ? !openAt(await hoursOf(site, at), tz, at) : false;
      if (threshold.length) {
        const snap = await opts.snapshot(site);
        for (const rule of threshold) {
          if (rule.kind !== "threshold") continue;
          for (const o of observe(rule, snap)) {
            const detail = (): AlertDetail => ({
              rule_name: rule.name,
              rule_name_zh: rule.name_zh,
              severity: rule.severity,
              labels: rule.labels,
              figure: rule.figure,
              window: rule.window,
              comparator: rule.comparator,
              threshold: o.threshold,
              recovery_threshold: o.recovery_threshold,
              scope: o.scope,
              definition_version: o.definition_version,
            });
            advance(
              site,
              rule,
              o.scope,
              lifecycleOf(rule, o.threshold, o.recovery_threshold),
              {
                value: o.value,
                volume: o.volume,
                muted: rule.mute_outside_hours && muted,
              },
              detail,
            );
          }
        }
      }
      if (followup.length && opts.followups) {
        if (!checkFollowups) {
          // Not checked this tick: keep what is tracked as it is.
          for (const [k, t] of tracked)
            if (t.site === site && followup.some((r) => r.id === t.rule_id)) seen.add(k);
          return;
        }
        const items = await opts.followups(site, at - FOLLOWUP_TRACK_MS - FOLLOWUP_DUE_MS, at, at);
        for (const rule of followup) {
          const matches = (f: FollowupDue) =>
            rule.scope.kind === "site" ||
            (rule.scope.kind === "queue" && f.queue === rule.scope.queue) ||
            (rule.scope.kind === "channel" && f.channel === rule.scope.channel) ||
            (rule.scope.kind === "each_queue" &&
              (!rule.scope.channel || f.channel === rule.scope.channel) &&
              !rule.scope.except.includes(f.queue));
          for (const f of items) {
            if (!matches(f) || f.status === "untrackable") continue;
            const key = keyOf(site, rule.id, `survey:${f.survey_id}`);
            // Only overdue follow-ups are alerts; one met or open, never tracked, is no news.
            if (f.status !== "overdue" && !tracked.has(key)) continue;
            if (f.status === "overdue" && at - f.due_ms > FOLLOWUP_TRACK_MS && !tracked.has(key))
              continue;
            const scope: AlertScope = {
              key: `survey:${f.survey_id}`,
              queue: f.queue,
              channel: f.channel,
              survey_id: f.survey_id,
            };
            // The figure: hours past due (0 when met); it breaches once past due, at once.
            const overdueH =
              f.status === "overdue" && at - f.due_ms <= FOLLOWUP_TRACK_MS
                ? (at - f.due_ms) / 3_600_000
                : null;
            advance(
              site,
              rule,
              scope,
              { comparator: ">=", threshold: 0, for_ms: 0, keep_firing_for_ms: 0 },
              // First seen overdue: the breach began at the due time, whenever it is noticed
              // (an evaluator that was down, a restart), and its id derives from that instant.
              {
                value: overdueH,
                volume: null,
                muted: false,
                at_ms: tracked.has(key) ? at : f.due_ms,
              },
              () => ({
                rule_name: rule.name,
                rule_name_zh: rule.name_zh,
                severity: rule.severity,
                labels: rule.labels,
                figure: FOLLOWUP_FIGURE,
                window: "24h",
                comparator: ">=",
                threshold: 0,
                recovery_threshold: 0,
                scope,
                definition_version: null,
              }),
            );
          }
        }
      }
    }

    // Sites in small groups: a slow site does not hold the others for long, and ClickHouse is
    // not asked for every site's snapshot at once.
    const CONCURRENCY = 4;
    for (let i = 0; i < sites.length; i += CONCURRENCY)
      await Promise.all(
        sites.slice(i, i + CONCURRENCY).map((s) =>
          evaluateSite(s).catch((err: unknown) => {
            // A site that cannot be read keeps its alerts as they are (no evidence either way).
            for (const [k, t] of tracked) if (t.site === s.site) seen.add(k);
            log.warn("alert evaluation of a site failed", { site: s.site, ...errorFields(err) });
          }),
        ),
      );

    // Alerts whose rule was disabled or deleted, or whose scope is gone: resolved (or cancelled)
    // with the reason, never left firing with nothing to end them.
    for (const [key, t] of [...tracked]) {
      if (seen.has(key)) continue;
      const made: Transition[] =
        t.state.phase === "firing"
          ? [
              {
                kind: "resolved",
                at_ms: at,
                since_ms: t.state.since_ms!,
                fired_ms: t.state.fired_ms!,
                peak: t.state.peak ?? 0,
                peak_ms: t.state.peak_ms ?? at,
              },
            ]
          : [{ kind: "cancelled", at_ms: at, since_ms: t.state.since_ms! }];
      t.detail = { ...t.detail, reason: "rule disabled, deleted or changed, or its scope is gone" };
      record(t, made, at);
      t.state = INACTIVE;
      writeCurrent(t, at, true);
      tracked.delete(key);
    }

    // Written only while still elected: a process that lost the election mid-tick writes nothing.
    if (leader) {
      await insertRows(ch, ALERT_TRANSITIONS_TABLE, transitions);
      await insertRows(ch, ALERT_CURRENT_TABLE, current);
      if (transitions.length) {
        log.info("alert transitions", {
          count: transitions.length,
          kinds: transitions.map((t) => `${t.rule_id}/${t.scope_key}:${t.kind}`).join(" "),
        });
        opts.onTransitions?.([...changedSites]);
      }
    }
    ticks++;
    last = {
      at_ms: at,
      sites: sites.length,
      rules: ruleCount,
      observations,
      transitions: transitions.length,
      elapsed_ms: performance.now() - started,
    };
    return last;
  }

  // Ticks start every tickMs, not tickMs after the last one ended: a tick that takes a second
  // must not stretch the period, or a breach waits tick + duration to be seen. A tick longer than
  // the period is followed by the next at once (never two at a time).
  function schedule(delay = tickMs) {
    if (!leader) return;
    timer = setTimeout(() => {
      const started = performance.now();
      running = tickOnce()
        .catch((err: unknown) => {
          failures++;
          log.warn("alert evaluation failed", errorFields(err));
        })
        .finally(() => schedule(Math.max(0, tickMs - (performance.now() - started))));
    }, delay);
    timer.unref();
  }

  return {
    setLeader(next) {
      if (next === leader) return;
      leader = next;
      clearTimeout(timer);
      // A new term starts from what is stored: whatever the previous evaluator wrote last.
      resumed = false;
      if (leader) schedule();
    },
    tickOnce: async () => {
      const wasLeader = leader;
      leader = true;
      try {
        return await tickOnce();
      } finally {
        leader = wasLeader;
      }
    },
    stats: () => ({ leader, ticks, failures, last }),
    async stop() {
      leader = false;
      clearTimeout(timer);
      await running;
    },
  };
}
