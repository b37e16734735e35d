// What GET /api/v1/live returns and the wallboard renders (metrics.md "Queue metrics" live rows,
// "Agent metrics", and the sliding windows of "Windows and calendars").
import { z } from "zod";
import { Alert } from "./alerts";
import { SiteId } from "./primitives";
import { QueueFigures } from "./reports";
import { TvState } from "./tv";

export const LiveQuery = z.object({ site: SiteId });
export type LiveQuery = z.infer<typeof LiveQuery>;

/** Agents whose current queues include the queue, by their current state. */
export const AgentCounts = z.object({
  available: z.number().int().nonnegative(),
  on_contact: z.number().int().nonnegative(),
  wrap_up: z.number().int().nonnegative(),
  not_ready: z.number().int().nonnegative(),
  /** Everyone but logged_out. */
  logged_in: z.number().int().nonnegative(),
});
export type AgentCounts = z.infer<typeof AgentCounts>;

/** Sliding windows ending at `as_of`: 15 and 60 minutes, and the site's day so far. */
export const LiveWindows = z.object({
  "15m": QueueFigures,
  "60m": QueueFigures,
  today: QueueFigures,
});
export type LiveWindows = z.infer<typeof LiveWindows>;

export const LiveQueue = z.object({
  queue: z.string(),
  channel: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  /** Visits started and not ended at `as_of`. */
  waiting: z.number().int().nonnegative(),
  /** `as_of` − earliest start among waiting visits, in seconds; 0 when nobody waits. */
  longest_waiting_s: z.number().nonnegative(),
  /** Waiting visits already past T or past it within the next 10 s. */
  breaching_soon: z.number().int().nonnegative(),
  /** The parameters in force now (definition version `version`). */
  definition: z.object({
    version: z.number().int(),
    sl_threshold_s: z.number(),
    short_abandon_s: z.number(),
    sl_target: z.number(),
  }),
  agents: AgentCounts,
  windows: LiveWindows,
  /** Per window, GET /api/v1/contacts of this queue over it; add a figure's `drill_filters` entry. */
  drill: z.object({ "15m": z.string(), "60m": z.string(), today: z.string() }),
  /**
   * The state of each figure that is not ok, by the names rules and TV layouts use (`waiting`,
   * `agents.available`, `15m.service_level` …), judged as the TV judges it (the enabled threshold
   * rules covering the queue, else its definition); a figure not named is ok. Absent when the
   * site's rules could not be read.
   */
  states: z.record(z.string(), TvState.exclude(["ok"])).optional(),
});
export type LiveQueue = z.infer<typeof LiveQueue>;

/** Several queues together (the site, a channel): contacts summed, each judged by its own queue's definition; agents counted once. */
export const LiveGroup = z.object({
  queues: z.number().int().nonnegative(),
  waiting: z.number().int().nonnegative(),
  longest_waiting_s: z.number().nonnegative(),
  breaching_soon: z.number().int().nonnegative(),
  agents: AgentCounts,
  windows: LiveWindows,
});
export type LiveGroup = z.infer<typeof LiveGroup>;

export const LiveSnapshot = z.object({
  site: SiteId,
  tz: z.string(),
  /** The instant the snapshot describes (RFC 3339, UTC). */
  as_of: z.string(),
  definition_set: z.string(),
  queues: z.array(LiveQueue),
  /** The site's queues together, and each channel's. */
  totals: z.object({ site: LiveGroup, channels: z.record(z.string(), LiveGroup) }).optional(),
  /** The site's alerts pending or firing when the snapshot was taken, the 100 most urgent (all: GET /api/v1/alerts). */
  alerts: z.array(Alert).optional(),
  /** How many alerts are pending or firing in all. */
  alerts_total: z.number().int().nonnegative().optional(),
  /** Per figure, the query parameters that make a window's `drill` link list exactly what it counted. */
  drill_filters: z.record(z.string(), z.string()),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;
