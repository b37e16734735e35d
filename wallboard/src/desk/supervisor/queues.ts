// The supervisor's queue table as data: which figures it shows (every figure of GET /live: the
// queue now, then the chosen window's), how each reads, its state as the server judged it, and
// where it drills to. Pure, so a test formats a figure exactly as the table does.
import {
  INSTANT_FIGURES,
  type LiveQueue,
  type QueueFigures,
  type TvState,
} from "@floorwatch/contracts";
import { contactsHref } from "../links";

export type LiveWindow = "15m" | "60m" | "today";
export const LIVE_WINDOWS: readonly LiveWindow[] = ["15m", "60m", "today"];

/**
 * A window's figures in the order a supervisor reads them: service first, then volumes, handling,
 * surveys, and the volumes the survey figures rest on and the orphaned visits last.
 */
export const WINDOW_ORDER = [
  "service_level",
  "abandon_rate",
  "asa_s",
  "max_wait_s",
  "offered",
  "answered",
  "abandoned",
  "short_abandoned",
  "answered_within_sl",
  "callbacks",
  "flowed_out",
  "handled",
  "aht_s",
  "first_response_s",
  "transfer_rate",
  "resolution_rate",
  "occupancy",
  "csat",
  "nps",
  "fcr_survey",
  "low_csat",
  "csat_responses",
  "nps_responses",
  "fcr_responses",
  "orphaned",
] as const satisfies readonly (keyof QueueFigures)[];

/** The figures of the queue now (`waiting`, `agents.available` …), as rules and layouts name them. */
export const NOW_FIGURES: readonly string[] = INSTANT_FIGURES;

/** The table's figure columns for a window: the queue now, then `<window>.<figure>`. */
export const shownFigures = (w: LiveWindow): string[] => [
  ...NOW_FIGURES,
  ...WINDOW_ORDER.map((f) => `${w}.${f}`),
];

/** A figure of a queue by its name (`waiting`, `agents.wrap_up`, `15m.service_level`). */
export function queueFigure(q: LiveQueue, name: string): number | null {
  if (name.startsWith("agents."))
    return q.agents[name.slice(7) as keyof LiveQueue["agents"]] ?? null;
  const dot = name.indexOf(".");
  if (dot < 0) {
    const v = q[name as "waiting" | "longest_waiting_s" | "breaching_soon"];
    return typeof v === "number" ? v : null;
  }
  const w = q.windows[name.slice(0, dot) as LiveWindow];
  const v = w?.[name.slice(dot + 1) as keyof QueueFigures];
  return typeof v === "number" ? v : null;
}

/** The server's judgement of a figure (LiveQueue.states names those not ok). */
export const figureState = (q: LiveQueue, name: string): TvState => q.states?.[name] ?? "ok";

export const STATE_RANK: Record<TvState, number> = { ok: 0, warning: 1, breach: 2 };

/** The worst state among `names`: the queue's state as the row shows it. */
export function worstState(q: LiveQueue, names: readonly string[]): TvState {
  let worst: TvState = "ok";
  for (const n of names) {
    const s = figureState(q, n);
    if (STATE_RANK[s] > STATE_RANK[worst]) worst = s;
  }
  return worst;
}

/** The drill filter of a window figure (`60m.offered` → `outcome=offered`); null for a figure of
 * the queue now or one the server gives no filter for (a ratio, a time). */
export function drillFilter(
  name: string,
  filters: Readonly<Record<string, string>>,
): string | null {
  const dot = name.indexOf(".");
  if (dot < 0 || name.startsWith("agents.")) return null;
  return filters[name.slice(dot + 1)] ?? null;
}

/** Where a window figure drills: its window's contacts link with the figure's filter, or null. */
export function drillHref(
  site: string,
  q: LiveQueue,
  name: string,
  filters: Readonly<Record<string, string>>,
): string | null {
  const filter = drillFilter(name, filters);
  const base = q.drill[name.slice(0, name.indexOf(".")) as LiveWindow];
  if (!filter || !base) return null;
  return contactsHref(site, `${base}${base.includes("?") ? "&" : "?"}${filter}`);
}
