// The life of one alert (one rule over one scope, issue #11): inactive → pending → firing → resolved,
// advanced one observation at a time by the evaluator. Pure: the same observations give the same
// transitions in the live evaluator, after a restart from a stored state, and in a backtest.
//
// What keeps it from flapping around a threshold, the failure of hand-tuned Grafana alerts:
// - `for`: the condition must hold at every observation for that long before the alert fires;
// - a separate recovery threshold (hysteresis): once firing, the value must come back past it, not
//   merely past the firing threshold, to count as recovered;
// - `keep_firing_for`: it must stay recovered that long before the alert resolves.
// A minimum-volume guard holds an alert off while its figure rests on too few contacts (a service
// level of 0 % from one abandoned call), and a mute (outside business hours) holds it off too. While
// firing, a figure that becomes undefined, too thin or muted counts as recovered: no evidence of a
// breach is not a breach.

export type Comparator = ">" | ">=" | "<" | "<=";

export interface LifecycleRule {
  comparator: Comparator;
  threshold: number;
  /** Firing ends only once the value is back past this (defaults to `threshold`). */
  recovery_threshold?: number;
  /** How long the condition must hold before firing. */
  for_ms: number;
  /** How long the value must stay recovered before resolving. */
  keep_firing_for_ms: number;
  /** The least volume (offered, handled, responses…) the figure must rest on to fire. */
  min_volume?: number;
}

export interface Observation {
  at_ms: number;
  /** The figure; null where it is undefined (a service level with no calls). */
  value: number | null;
  /** The volume the guard reads; only looked at when the rule has `min_volume`. */
  volume?: number | null;
  /** Outside the site's business hours, for a rule muted there. */
  muted?: boolean;
}

export type Phase = "inactive" | "pending" | "firing";

export interface AlertState {
  phase: Phase;
  /** When the condition began to hold without a break (pending, then firing). */
  since_ms: number | null;
  fired_ms: number | null;
  /** While firing: since when the value has been recovered, without a break. */
  recovering_ms: number | null;
  /** The worst value since `since_ms`, and when it was seen. */
  peak: number | null;
  peak_ms: number | null;
}

export type Transition =
  | { kind: "pending"; at_ms: number; value: number }
  | { kind: "cancelled"; at_ms: number; since_ms: number }
  | { kind: "firing"; at_ms: number; since_ms: number; value: number }
  | {
      kind: "resolved";
      at_ms: number;
      since_ms: number;
      fired_ms: number;
      peak: number;
      peak_ms: number;
    };

export const INACTIVE: AlertState = {
  phase: "inactive",
  since_ms: null,
  fired_ms: null,
  recovering_ms: null,
  peak: null,
  peak_ms: null,
};

/** Whether the rule's condition holds: `value` is past `threshold` in the comparator's direction. */
export const compare = (c: Comparator, value: number, threshold: number) =>
  c === ">"
    ? value > threshold
    : c === ">="
      ? value >= threshold
      : c === "<"
        ? value < threshold
        : value <= threshold;

/** Whether `a` is worse than `b` for this comparator (higher for > and >=, lower for < and <=). */
const worse = (c: Comparator, a: number, b: number) => (c === ">" || c === ">=" ? a > b : a < b);

/**
 * Why a rule's thresholds cannot work, or null. The recovery threshold must lie on the safe side
 * of the firing one, or a firing alert would resolve while still breaching.
 */
export function lifecycleProblem(rule: LifecycleRule): string | null {
  if (!Number.isFinite(rule.threshold)) return "threshold must be a finite number";
  const recovery = rule.recovery_threshold ?? rule.threshold;
  if (!Number.isFinite(recovery)) return "recovery_threshold must be a finite number";
  const above = rule.comparator === ">" || rule.comparator === ">=";
  if (above ? recovery > rule.threshold : recovery < rule.threshold)
    return `recovery_threshold must be ${above ? "at most" : "at least"} the threshold (${rule.threshold}) for "${rule.comparator}"`;
  if (rule.for_ms < 0 || rule.keep_firing_for_ms < 0) return "for and keep_firing_for must be ≥ 0";
  if (rule.min_volume !== undefined && rule.min_volume < 0) return "min_volume must be ≥ 0";
  return null;
}

function guarded(rule: LifecycleRule, obs: Observation): obs is Observation & { value: number } {
  if (obs.muted || obs.value === null) return false;
  return rule.min_volume === undefined || (obs.volume ?? 0) >= rule.min_volume;
}

/** The next state after one observation, and the transitions it made (none, one or two). */
export function step(
  rule: LifecycleRule,
  state: AlertState,
  obs: Observation,
): { state: AlertState; transitions: Transition[] } {
  const usable = guarded(rule, obs);
  const breaching = usable && compare(rule.comparator, obs.value, rule.threshold);
  const recovered =
    !usable || !compare(rule.comparator, obs.value, rule.recovery_threshold ?? rule.threshold);
  const at = obs.at_ms;
  const transitions: Transition[] = [];
  const withPeak = (s: AlertState): AlertState =>
    usable && (s.peak === null || worse(rule.comparator, obs.value, s.peak))
      ? { ...s, peak: obs.value, peak_ms: at }
      : s;

  if (state.phase === "firing") {
    if (!recovered) return { state: withPeak({ ...state, recovering_ms: null }), transitions };
    const recovering = state.recovering_ms ?? at;
    if (at - recovering < rule.keep_firing_for_ms)
      return { state: { ...state, recovering_ms: recovering }, transitions };
    transitions.push({
      kind: "resolved",
      at_ms: at,
      since_ms: state.since_ms!,
      fired_ms: state.fired_ms!,
      peak: state.peak!,
      peak_ms: state.peak_ms!,
    });
    return { state: INACTIVE, transitions };
  }

  if (!breaching) {
    if (state.phase === "pending")
      transitions.push({ kind: "cancelled", at_ms: at, since_ms: state.since_ms! });
    return { state: INACTIVE, transitions };
  }

  let next = state;
  if (state.phase === "inactive") {
    next = withPeak({ ...INACTIVE, phase: "pending", since_ms: at });
    transitions.push({ kind: "pending", at_ms: at, value: obs.value });
  } else next = withPeak(state);
  if (at - next.since_ms! >= rule.for_ms) {
    next = { ...next, phase: "firing", fired_ms: at, recovering_ms: null };
    transitions.push({ kind: "firing", at_ms: at, since_ms: next.since_ms!, value: obs.value });
  }
  return { state: next, transitions };
}
