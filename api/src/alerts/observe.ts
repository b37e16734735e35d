// What a threshold rule sees in one live snapshot (pure): per scope of the rule, the figure, the
// volume its guard reads, and the thresholds as they apply there (`sl_target` resolved to the
// queue's target in force). The evaluator feeds these to the lifecycle (lifecycle.ts); nothing
// here reads ClickHouse, so a thousand rules cost no statement beyond the site's snapshot.
import type {
  AlertScope,
  LiveGroup,
  LiveQueue,
  LiveSnapshot,
  QueueFigures,
  RuleScope,
  Threshold,
  ThresholdRuleDraft,
} from "@floorwatch/contracts";
import { DEFAULT_VOLUME_FIGURE } from "@floorwatch/contracts";

export interface Observed {
  scope: AlertScope;
  value: number | null;
  volume: number | null;
  threshold: number;
  recovery_threshold: number;
  /** The queue's definition version in force; null for several queues together. */
  definition_version: number | null;
}

const scopeOf = (key: string, queue: string | null, channel: string | null): AlertScope => ({
  key,
  queue,
  channel,
  survey_id: null,
});

/** The queues (or group) a scope names in a snapshot, each with its scope record. */
export function scopesIn(
  scope: RuleScope,
  snap: Pick<LiveSnapshot, "queues" | "totals">,
): { scope: AlertScope; queue?: LiveQueue; group?: LiveGroup; targets: number[] }[] {
  const targetsOf = (qs: LiveQueue[]) => qs.map((q) => q.definition.sl_target);
  switch (scope.kind) {
    case "site": {
      const group = snap.totals?.site;
      return [{ scope: scopeOf("site", null, null), group, targets: targetsOf(snap.queues) }];
    }
    case "channel": {
      const members = snap.queues.filter((q) => q.channel === scope.channel);
      return [
        {
          scope: scopeOf(`channel:${scope.channel}`, null, scope.channel),
          group: snap.totals?.channels[scope.channel],
          targets: targetsOf(members),
        },
      ];
    }
    case "queue": {
      const queue = snap.queues.find((q) => q.queue === scope.queue);
      return [
        {
          scope: scopeOf(`queue:${scope.queue}`, scope.queue, queue?.channel ?? null),
          queue,
          targets: queue ? [queue.definition.sl_target] : [],
        },
      ];
    }
    case "each_queue":
      return snap.queues
        .filter(
          (q) => (!scope.channel || q.channel === scope.channel) && !scope.except.includes(q.queue),
        )
        .map((q) => ({
          scope: scopeOf(`queue:${q.queue}`, q.queue, q.channel),
          queue: q,
          targets: [q.definition.sl_target],
        }));
  }
}

/**
 * A threshold as it applies to a scope. `sl_target` of several queues together is the lowest of
 * their targets: the group is in breach only below every queue's own floor.
 */
export function resolveThreshold(t: Threshold, targets: readonly number[]): number {
  if (t !== "sl_target") return t;
  return targets.length ? Math.min(...targets) : 0.8;
}

/** A figure of a queue or group: instant figures (window `now`) or a window's. */
export function figureOf(
  source: Pick<
    LiveGroup,
    "waiting" | "longest_waiting_s" | "breaching_soon" | "agents" | "windows"
  >,
  figure: string,
  window: string,
): number | null {
  if (window === "now") {
    if (figure.startsWith("agents."))
      return source.agents[figure.slice(7) as keyof LiveGroup["agents"]] ?? null;
    if (figure === "waiting" || figure === "longest_waiting_s" || figure === "breaching_soon")
      return source[figure];
    return null;
  }
  const w = source.windows[window as keyof LiveGroup["windows"]];
  return w ? (w[figure as keyof QueueFigures] ?? null) : null;
}

/** The volume figure a rule's guard reads (its own, or the figure's default). */
export function volumeFigureOf(rule: ThresholdRuleDraft): string | undefined {
  return rule.volume_figure ?? DEFAULT_VOLUME_FIGURE[rule.figure as keyof QueueFigures];
}

export function observe(rule: ThresholdRuleDraft, snap: LiveSnapshot): Observed[] {
  const volumeFigure = volumeFigureOf(rule);
  return scopesIn(rule.scope, snap).map(({ scope, queue, group, targets }) => {
    const source = queue ?? group;
    const threshold = resolveThreshold(rule.threshold, targets);
    return {
      scope,
      value: source ? figureOf(source, rule.figure, rule.window) : null,
      volume:
        source && volumeFigure && rule.window !== "now"
          ? figureOf(source, volumeFigure, rule.window)
          : null,
      threshold,
      recovery_threshold: resolveThreshold(rule.recovery_threshold ?? rule.threshold, targets),
      definition_version: queue ? queue.definition.version : null,
    };
  });
}
