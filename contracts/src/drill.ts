// The drill-down (GET /api/v1/contacts and /contacts/:id): the visits behind every figure, and one
// contact's whole story. Personal data (customer phone, survey comments) is masked unless the
// caller asks for it with `unmask=true` and holds a token granted it; such reads are audited.
import { z } from "zod";
import { Id, SiteId } from "./primitives";
import { ReportBound } from "./reports";

/** Where a figure opens: figure name → the GET /api/v1/contacts URL of exactly what it counted. */
export const Drill = z.record(z.string(), z.string());
export type Drill = z.infer<typeof Drill>;

const flag = z.stringbool({ truthy: ["true", "1"], falsy: ["false", "0"] });

export const ContactsQuery = z.object({
  site: SiteId,
  queue: Id,
  from: ReportBound,
  to: ReportBound,
  /** `offered`: every visit but orphaned ones; else one outcome. */
  outcome: z
    .enum(["offered", "answered", "abandoned", "callback", "flowed_out", "orphaned"])
    .optional(),
  /** Answered within T (true) or after it (false), by the definition in force at the visit's end. */
  within_sl: flag.optional(),
  /** Abandoned before S (true) or not (false). */
  short_abandon: flag.optional(),
  min_wait_s: z.coerce
    .number()
    .min(0)
    .max(86_400 * 7)
    .optional(),
  sort: z.enum(["newest", "longest_wait"]).default("newest"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(400).optional(),
  unmask: flag.default(false),
});
export type ContactsQuery = z.infer<typeof ContactsQuery>;

export const VisitRow = z.object({
  contact_id: z.string(),
  queue: z.string(),
  channel: z.string(),
  outcome: z.string(),
  /** When the visit started (queued) and ended, RFC 3339 in the site's offset. */
  started_at: z.string(),
  ended_at: z.string(),
  wait_s: z.number(),
  /** Answered visits: within T of the definition in force; null for other outcomes. */
  within_sl: z.boolean().nullable(),
  /** Abandoned visits: before S; null for other outcomes. */
  short_abandon: z.boolean().nullable(),
  agent_id: z.string(),
  tier: z.string(),
  /** Masked (138****5678) unless unmasked; null when the contact gave none. */
  customer_phone: z.string().nullable(),
  /** GET this for the contact's events, visits, handling and surveys. */
  detail: z.string(),
});
export type VisitRow = z.infer<typeof VisitRow>;

export const ContactsResponse = z.object({
  site: z.string(),
  tz: z.string(),
  queue: z.string(),
  from: z.string(),
  to: z.string(),
  visits: z.array(VisitRow),
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: z.string().nullable(),
  unmasked: z.boolean(),
});
export type ContactsResponse = z.infer<typeof ContactsResponse>;

export const ContactQuery = z.object({
  site: SiteId,
  /** An instant near the contact (a visit's end): its story is read from a day before to a day after. Default: the last 31 days. */
  around: ReportBound.optional(),
  unmask: flag.default(false),
});
export type ContactQuery = z.infer<typeof ContactQuery>;

export const ContactDetail = z.object({
  site: z.string(),
  contact_id: z.string(),
  customer: z.object({
    id: z.string().nullable(),
    tier: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  events: z.array(
    z.object({
      event_id: z.string(),
      type: z.string(),
      at: z.string(),
      queue: z.string(),
      agent_id: z.string(),
      detail: z.record(z.string(), z.string()),
    }),
  ),
  /** Who answered is in `events` (contact.answered) and `handling`. */
  visits: z.array(
    z.object({
      queue: z.string(),
      outcome: z.string(),
      started_at: z.string(),
      ended_at: z.string(),
      wait_s: z.number(),
    }),
  ),
  handling: z.array(
    z.object({
      queue: z.string(),
      agent_id: z.string(),
      disposition: z.string(),
      category: z.string(),
      answered_at: z.string().nullable(),
      wrapped_up_at: z.string(),
      handle_s: z.number().nullable(),
    }),
  ),
  surveys: z.array(
    z.object({
      survey_id: z.string(),
      at: z.string(),
      agent_id: z.string(),
      csat: z.number().nullable(),
      nps: z.number().nullable(),
      resolved: z.boolean().nullable(),
      comment: z.string().nullable(),
    }),
  ),
  unmasked: z.boolean(),
});
export type ContactDetail = z.infer<typeof ContactDetail>;

/**
 * A phone number as metrics.md masks it: the first 3 and the last 4 digits kept (138****5678),
 * separators kept in place; a number of fewer than 8 digits is masked whole (keeping 7 of 7
 * would mask nothing).
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "").length;
  let seen = 0;
  return phone.replace(/\d/g, (d) => {
    seen++;
    if (digits < 8) return "*";
    return seen <= 3 || seen > digits - 4 ? d : "*";
  });
}
