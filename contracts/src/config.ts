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
