// GET /api/v1/reports/intervals: one row per interval and queue with every queue, handling and
// survey figure of metrics.md, aligned to the site's calendar, with the definition that made it.
import { z } from "zod";
import { Channel } from "./events";
import { DATETIME_RANGE_MESSAGE, parseRfc3339Ms, Rfc3339, SiteId } from "./primitives";

export const Grain = z.enum(["15m", "30m", "1h", "1d", "1mo"]);
export type Grain = z.infer<typeof Grain>;

/** A local date (the site's midnight) or an RFC 3339 instant. Within the years of DATETIME_MIN_MS…
 * DATETIME_MAX_MS; whether a date's midnight in the site's zone is inside is checked with the zone
 * (parseRange in the api). */
export const ReportBound = z.union([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD or an RFC 3339 date-time")
    .refine((s) => {
      const year = Number(s.slice(0, 4));
      return year >= 1970 && year <= 2106;
    }, DATETIME_RANGE_MESSAGE),
  Rfc3339,
]);

export const ReportQuery = z
  .object({
    site: SiteId,
    from: ReportBound,
    to: ReportBound,
    interval: Grain,
    queue: z.string().min(1).max(128).optional(),
    channel: Channel.optional(),
  })
  .refine(
    (q) =>
      !(q.from.includes("T") && q.to.includes("T")) ||
      (parseRfc3339Ms(q.from) ?? 0) < (parseRfc3339Ms(q.to) ?? 0),
    { message: "from must be before to", path: ["to"] },
  );
export type ReportQuery = z.infer<typeof ReportQuery>;

export const DefinitionUsed = z.object({
  version: z.number().int(),
  /** RFC 3339; the start of time for version 1. */
  valid_from: z.string(),
  sl_threshold_s: z.number(),
  short_abandon_s: z.number(),
  sl_target: z.number(),
});
export type DefinitionUsed = z.infer<typeof DefinitionUsed>;

const ratio = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative().nullable();

/** Every figure of metrics.md for one queue over one period (interval row or live window). */
export const QueueFigures = z.object({
  offered: count,
  answered: count,
  abandoned: count,
  short_abandoned: count,
  answered_within_sl: count,
  service_level: ratio,
  abandon_rate: ratio,
  asa_s: seconds,
  max_wait_s: seconds,
  callbacks: count,
  flowed_out: count,
  handled: count,
  aht_s: seconds,
  resolution_rate: ratio,
  transfer_rate: z.number().nonnegative().nullable(),
  first_response_s: seconds,
  csat: ratio,
  /** % of promoters − % of detractors, as a fraction −1…1 (×100 for the usual score). */
  nps: z.number().min(-1).max(1).nullable(),
  fcr_survey: ratio,
  low_csat: count,
  /** Responses with a csat, an nps, a `resolved` answer: the volumes csat, nps and fcr_survey rest on. */
  csat_responses: count,
  nps_responses: count,
  fcr_responses: count,
  occupancy: ratio,
  /** Data quality: visits closed as orphaned (no end within 12 h); counted in no other figure. */
  orphaned: count,
});
export type QueueFigures = z.infer<typeof QueueFigures>;

export const ReportRow = QueueFigures.extend({
  /** Local start of the interval, RFC 3339 with the site's offset. */
  interval_start: z.string(),
  interval_end: z.string(),
  queue: z.string(),
  channel: z.string(),
  definition: z.object({ set: z.string(), versions: z.array(DefinitionUsed) }),
  /** The interval is over (its end is in the past): its figures change only with late events. */
  closed: z.boolean(),
  /** A closed interval whose figures differ from what was first published for it. */
  restated: z.boolean(),
  /** GET /api/v1/contacts for this queue and interval; add a figure's `drill_filters` entry. */
  drill: z.string(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportResponse = z.object({
  site: SiteId,
  tz: z.string(),
  interval: Grain,
  from: z.string(),
  to: z.string(),
  definition_set: z.string(),
  generated_at: z.string(),
  rows: z.array(ReportRow),
  /** Per figure, the query parameters that make a row's `drill` link list exactly what it counted. */
  drill_filters: z.record(z.string(), z.string()),
});
export type ReportResponse = z.infer<typeof ReportResponse>;
