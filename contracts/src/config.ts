// Configuration through the API (admins write, supervisors and QA read): sites with their time
// zone, queues with their channel, names and parameters. A change of T, S or target creates a
// definition version from a stated instant (a quarter hour: the rollup's resolution); reports over
// earlier ranges keep using the versions that were in force then.
import { z } from "zod";
import { TimeZone } from "./definitions";
import { Channel } from "./events";
import { Rfc3339 } from "./primitives";
import { DefinitionUsed } from "./reports";

export const SiteInfo = z.object({ site: z.string(), name: z.string(), tz: z.string() });
export type SiteInfo = z.infer<typeof SiteInfo>;

export const SiteList = z.object({ sites: z.array(SiteInfo) });
export type SiteList = z.infer<typeof SiteList>;

export const SiteUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  tz: TimeZone,
});
export type SiteUpdate = z.infer<typeof SiteUpdate>;

export const QueueInfo = z.object({
  queue: z.string(),
  channel: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  /** The version in force now. */
  current: DefinitionUsed,
  /** Every version, oldest first. */
  versions: z.array(DefinitionUsed),
});
export type QueueInfo = z.infer<typeof QueueInfo>;

export const QueueList = z.object({ site: z.string(), queues: z.array(QueueInfo) });
export type QueueList = z.infer<typeof QueueList>;

export const QueueUpdate = z
  .strictObject({
    channel: Channel.optional(),
    name_zh: z.string().trim().max(100).optional(),
    name_en: z.string().trim().max(100).optional(),
    sl_threshold_s: z.number().int().min(1).max(3600).optional(),
    short_abandon_s: z.number().int().min(0).max(3600).optional(),
    sl_target: z.number().min(0).max(1).optional(),
    /** When new parameters take effect: a quarter hour (default: the next one). May be in the past: reports then judge again. */
    valid_from: Rfc3339.optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: "nothing to change" });
export type QueueUpdate = z.infer<typeof QueueUpdate>;

const HHMM_RE = /^([01]\d|2[0-4]):[0-5]\d$/;
const HHMM = z.string().regex(HHMM_RE, "must be HH:MM, 00:00–24:00");
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** One weekday's opening time in the site's local time; close after open, 24:00 for midnight. */
export const OpeningTime = z
  .strictObject({
    day: z.number().int().min(1).max(7).meta({ description: "ISO weekday, Monday 1 … Sunday 7" }),
    open: HHMM,
    close: HHMM,
  })
  // Only between two well-formed times: a malformed one is already named by its own field.
  .refine(
    (o) =>
      !HHMM_RE.test(o.open) ||
      !HHMM_RE.test(o.close) ||
      (minutes(o.close) > minutes(o.open) && minutes(o.close) <= 24 * 60),
    { message: "close must be after open, at most 24:00", path: ["close"] },
  );
export type OpeningTime = z.infer<typeof OpeningTime>;

export const HoursUpdate = z
  .strictObject({
    /** Days absent are closed; a day may have several periods (a lunch break), none overlapping. */
    weekly: z.array(OpeningTime).max(7 * 4),
    /** From when (a quarter hour; default the next one). */
    valid_from: Rfc3339.optional(),
  })
  .refine(
    (u) => {
      const byDay = new Map<number, OpeningTime[]>();
      for (const o of u.weekly) byDay.set(o.day, [...(byDay.get(o.day) ?? []), o]);
      return [...byDay.values()].every((periods) =>
        periods
          .sort((a, b) => minutes(a.open) - minutes(b.open))
          .every((p, i) => i === 0 || minutes(p.open) >= minutes(periods[i - 1]!.close)),
      );
    },
    { message: "periods of one day must not overlap", path: ["weekly"] },
  );
export type HoursUpdate = z.infer<typeof HoursUpdate>;

export const HoursVersion = z.object({
  version: z.number().int(),
  valid_from: z.string(),
  weekly: z.array(OpeningTime),
  created_by: z.string(),
});
export const SiteHours = z.object({
  site: z.string(),
  tz: z.string(),
  current: HoursVersion.nullable(),
  versions: z.array(HoursVersion),
});
export type SiteHours = z.infer<typeof SiteHours>;
