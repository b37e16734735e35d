// The TV frame (issue #12): the site's live snapshot projected onto one layout. Only the tiles and
// figures the layout shows, each figure's value and its state (ok / warning / breach), and the
// site's firing alerts for the banner. Pure: the stream projects once per layout and tick, and
// writes the same bytes to every screen of that layout (broadcast.ts).
//
// States come from what the floor has asked to be told (its enabled threshold rules over the
// figure, window and tile), at the instant, without the rule's `for`: the TV shows where a figure
// stands, the alert banner what has been held long enough to fire. A figure no rule covers is
// judged by the queue's definition: a service level below its target is a breach, a caller
// waiting past the answer threshold a warning.
import {
  DEFAULT_TV_FIGURES,
  INSTANT_FIGURES,
  QueueFigures,
  STATE_LETTER,
  TileKey,
  TV_ALERTS_MAX,
  type Alert,
  type Layout,
  type LiveGroup,
  type LiveQueue,
  type LiveSnapshot,
  type Rule,
  type RuleScope,
  type ThresholdRuleDraft,
  type TvAlert,
  type TvFrame,
  type TvState,
  type TvTile,
  WINDOW_FIGURES,
} from "@floorwatch/contracts";
import { figureOf, resolveThreshold, volumeFigureOf } from "../alerts/observe";
import { tilesOf } from "./layouts";

/** Names of the channel tiles, in the screen's two languages. */
export const CHANNEL_NAMES: Record<string, { zh: string; en: string }> = {
  voice: { zh: "语音", en: "Voice" },
  chat: { zh: "在线聊天", en: "Chat" },
  email: { zh: "邮件", en: "Email" },
  video: { zh: "视频", en: "Video" },
};
export const SITE_NAMES = { zh: "全部队列", en: "All queues" } as const;

/** `15m.service_level` → service_level over 15m; a bare figure is one of the queue now. */
export function splitFigure(f: string): { figure: string; window: string } {
  const m = /^(15m|60m|today)\.(.+)$/.exec(f);
  return m ? { window: m[1]!, figure: m[2]! } : { window: "now", figure: f };
}

/** A window's figures with nothing counted: counts 0, everything else (ratios, times) null. */
const EMPTY_FIGURES = Object.fromEntries(
  Object.entries(QueueFigures.shape).map(([k, s]) => [k, s.safeParse(null).success ? null : 0]),
) as QueueFigures;

/** What a tile reads when its queue or channel has nothing in the snapshot. */
const EMPTY_SOURCE: Pick<
  LiveGroup,
  "waiting" | "longest_waiting_s" | "breaching_soon" | "agents" | "windows"
> = {
  waiting: 0,
  longest_waiting_s: 0,
  breaching_soon: 0,
  agents: { available: 0, on_contact: 0, wrap_up: 0, not_ready: 0, logged_in: 0 },
  windows: { "15m": EMPTY_FIGURES, "60m": EMPTY_FIGURES, today: EMPTY_FIGURES },
};

/**
 * Ratios to 6 decimals, seconds to 3: no display rounds finer (a percentage to 0.1, a wait to the
 * second), and the frame loses the float noise of 15-digit fractions.
 */
export function roundFigure(figure: string, v: number | null): number | null {
  if (v === null || Number.isInteger(v)) return v;
  const places = figure.endsWith("_s") ? 1e3 : 1e6;
  return Math.round(v * places) / places;
}

interface Tile {
  key: TileKey;
  name_zh: string;
  name_en: string;
  source: typeof EMPTY_SOURCE;
  /** The queues the tile stands for (present in the snapshot). */
  members: LiveQueue[];
  /** One queue's tile: its id and channel (for each_queue rules), even when not in the snapshot. */
  queue?: { id: string; channel: string | null };
  channel?: string;
}

function tileOf(key: TileKey, snap: LiveSnapshot, byId: ReadonlyMap<string, LiveQueue>): Tile {
  if (key === "site")
    return {
      key,
      name_zh: SITE_NAMES.zh,
      name_en: SITE_NAMES.en,
      source: snap.totals?.site ?? EMPTY_SOURCE,
      members: snap.queues,
    };
  if (key.startsWith("channel:")) {
    const channel = key.slice(8);
    const names = CHANNEL_NAMES[channel] ?? { zh: channel, en: channel };
    return {
      key,
      name_zh: names.zh,
      name_en: names.en,
      source: snap.totals?.channels[channel] ?? EMPTY_SOURCE,
      members: snap.queues.filter((q) => q.channel === channel),
      channel,
    };
  }
  const id = key.slice(6);
  const q = byId.get(id);
  return {
    key,
    // A queue not seen yet (or no longer configured) shows as its id, empty.
    name_zh: q?.name_zh || id,
    name_en: q?.name_en || id,
    source: q ?? EMPTY_SOURCE,
    members: q ? [q] : [],
    queue: { id, channel: q?.channel ?? null },
  };
}

/** Whether a rule's scope is exactly what the tile stands for. */
function covers(scope: RuleScope, t: Tile): boolean {
  switch (scope.kind) {
    case "site":
      return t.key === "site";
    case "channel":
      return t.channel === scope.channel;
    case "queue":
      return t.queue?.id === scope.queue;
    case "each_queue":
      return (
        t.queue !== undefined &&
        (!scope.channel || t.queue.channel === scope.channel) &&
        !scope.except.includes(t.queue.id)
      );
  }
}

const crosses = (v: number, comparator: string, threshold: number) =>
  comparator === ">"
    ? v > threshold
    : comparator === ">="
      ? v >= threshold
      : comparator === "<"
        ? v < threshold
        : v <= threshold;

const WORSE: Record<TvState, number> = { ok: 0, warning: 1, breach: 2 };
const worst = (a: TvState, b: TvState): TvState => (WORSE[b] > WORSE[a] ? b : a);

/** A figure's state on a tile: the rules that cover it, or else the queue's definition. */
function stateOf(
  t: Tile,
  figure: string,
  window: string,
  value: number | null,
  /** The enabled threshold rules over this figure and window. */
  rules: readonly ThresholdRuleDraft[],
  targets: number[],
): TvState {
  if (value === null) return "ok";
  const applying = rules.filter((r) => covers(r.scope, t));
  if (applying.length > 0) {
    let state: TvState = "ok";
    for (const r of applying) {
      if (r.severity === "info") continue;
      if (!crosses(value, r.comparator, resolveThreshold(r.threshold, targets))) continue;
      let severity: TvState = r.severity === "critical" ? "breach" : "warning";
      if (r.min_volume !== undefined && window !== "now") {
        const vf = volumeFigureOf(r);
        const volume = vf ? figureOf(t.source, vf, window) : null;
        // The evaluator's guard: too few contacts to judge is no breach, but a floor should still
        // not read 55 % against an 80 % target in plain white: a warning, never more.
        if (volume === null || volume < r.min_volume) severity = "warning";
      }
      state = worst(state, severity);
    }
    return state;
  }
  if (figure === "service_level" && window !== "now" && targets.length > 0)
    return value < Math.min(...targets) ? "breach" : "ok";
  if (figure === "longest_waiting_s" && window === "now")
    // Each queue by its own threshold: a group warns when one of its callers is past theirs.
    return t.members.some(
      (q) => q.waiting > 0 && q.longest_waiting_s >= q.definition.sl_threshold_s,
    )
      ? "warning"
      : "ok";
  return "ok";
}

/** The tile an alert is about: its queue, channel or the site; null for a survey. */
function alertTile(a: Alert): TileKey | null {
  const key = a.scope.key;
  if (key !== "site" && !key.startsWith("queue:") && !key.startsWith("channel:")) return null;
  return TileKey.safeParse(key).success ? key : null;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** The banner: firing alerts, critical first, then the oldest; at most TV_ALERTS_MAX. */
export function tvAlerts(alerts: readonly Alert[]): { alerts: TvAlert[]; total: number } {
  const firing = alerts.filter((a) => a.state === "firing");
  const sorted = [...firing].sort(
    (a, b) =>
      (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
      Date.parse(a.fired_at ?? a.since) - Date.parse(b.fired_at ?? b.since),
  );
  return {
    total: firing.length,
    alerts: sorted.slice(0, TV_ALERTS_MAX).map((a) => ({
      id: a.id,
      severity: a.severity,
      rule_name: a.rule_name,
      rule_name_zh: a.rule_name_zh,
      tile: alertTile(a),
      figure: a.figure,
      window: a.window,
      comparator: a.comparator,
      value: a.value,
      threshold: a.threshold,
      fired_at: a.fired_at ?? a.since,
      acknowledged: !!a.acknowledged,
    })),
  };
}

/**
 * The enabled threshold rules by `<window>.<figure>`, once per frame: a site's thousand rules are
 * not scanned again for every figure of every tile.
 */
function rulesByFigure(rules: readonly Rule[]): Map<string, ThresholdRuleDraft[]> {
  const rulesOf = new Map<string, ThresholdRuleDraft[]>();
  for (const r of rules) {
    if (r.kind !== "threshold" || !r.enabled) continue;
    const key = `${r.window}.${r.figure}`;
    const list = rulesOf.get(key);
    if (list) list.push(r);
    else rulesOf.set(key, [r]);
  }
  return rulesOf;
}

export function projectTv(snapshot: LiveSnapshot, layout: Layout, rules: readonly Rule[]): TvFrame {
  const figures = (layout.figures.length > 0 ? layout.figures : DEFAULT_TV_FIGURES).map(
    splitFigure,
  );
  const rulesOf = rulesByFigure(rules);
  // Queues by id once per frame, not searched again for every tile of a hundred-queue layout.
  const byId = new Map(snapshot.queues.map((q) => [q.queue, q]));
  const tiles = tilesOf(layout, snapshot).map((key): TvTile => {
    const t = tileOf(key, snapshot, byId);
    const targets = t.members.map((q) => q.definition.sl_target);
    const v: (number | null)[] = [];
    let s = "";
    for (const { figure, window } of figures) {
      const value = roundFigure(figure, figureOf(t.source, figure, window));
      v.push(value);
      const figureRules = rulesOf.get(`${window}.${figure}`) ?? [];
      s += STATE_LETTER[stateOf(t, figure, window, value, figureRules, targets)];
    }
    return {
      key,
      name_zh: t.name_zh,
      name_en: t.name_en,
      sl_target: targets.length ? Math.min(...targets) : null,
      v,
      s,
    };
  });
  const { alerts, total } = tvAlerts(snapshot.alerts ?? []);
  return {
    site: snapshot.site,
    tz: snapshot.tz,
    as_of: snapshot.as_of,
    layout,
    tiles,
    alerts,
    alerts_total: total,
  };
}

/** Every figure of a queue in the live snapshot, by the names of rules and layouts. */
const QUEUE_FIGURES: readonly { name: string; figure: string; window: string }[] = [
  ...INSTANT_FIGURES.map((figure) => ({ name: figure, figure, window: "now" })),
  ...(["15m", "60m", "today"] as const).flatMap((window) =>
    WINDOW_FIGURES.map((figure) => ({ name: `${window}.${figure}`, figure, window })),
  ),
];

/**
 * The snapshot with each queue's `states`: every figure judged exactly as a TV tile of that queue
 * judges it (the same rules, the same fallback to the definition), so a desk screen's colours
 * never disagree with the wall's. Only figures that are not ok are named: a hundred queues of
 * eighty figures stay a few bytes each on a calm floor.
 */
export function judgeQueues(snapshot: LiveSnapshot, rules: readonly Rule[]): LiveSnapshot {
  const rulesOf = rulesByFigure(rules);
  const byId = new Map(snapshot.queues.map((q) => [q.queue, q]));
  return {
    ...snapshot,
    queues: snapshot.queues.map((q) => {
      const t = tileOf(`queue:${q.queue}`, snapshot, byId);
      const targets = [q.definition.sl_target];
      const states: NonNullable<LiveQueue["states"]> = {};
      for (const { name, figure, window } of QUEUE_FIGURES) {
        const value = roundFigure(figure, figureOf(q, figure, window));
        const s = stateOf(
          t,
          figure,
          window,
          value,
          rulesOf.get(`${window}.${figure}`) ?? [],
          targets,
        );
        if (s !== "ok") states[name] = s;
      }
      return { ...q, states };
    }),
  };
}
