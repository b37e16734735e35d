// What GET /api/v1/live returns and the wallboard renders (metrics.md "Queue metrics", live rows).
import { z } from "zod";
import { SiteId } from "./primitives";

export const LiveQuery = z.object({ site: SiteId });
export type LiveQuery = z.infer<typeof LiveQuery>;

export const LiveQueue = z.object({
  queue: z.string(),
  /** Visits started and not ended at `as_of`. */
  waiting: z.number().int().nonnegative(),
  /** `as_of` − earliest start among waiting visits, in seconds; 0 when nobody waits. */
  longest_waiting_s: z.number().nonnegative(),
});
export type LiveQueue = z.infer<typeof LiveQueue>;

export const LiveSnapshot = z.object({
  site: SiteId,
  /** The instant the snapshot describes (RFC 3339, UTC). */
  as_of: z.string(),
  queues: z.array(LiveQueue),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;
