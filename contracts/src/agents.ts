// GET /api/v1/agents: who is doing what now, for how long, and what they handled today.
import { z } from "zod";
import { SiteId } from "./primitives";

export const AgentsQuery = z.object({ site: SiteId });
export type AgentsQuery = z.infer<typeof AgentsQuery>;

export const AgentNow = z.object({
  agent_id: z.string(),
  name: z.string(),
  team: z.string(),
  state: z.string(),
  /** not_ready reason (break, training, …); empty otherwise. */
  reason: z.string(),
  queues: z.array(z.string()),
  /** When the current state began (RFC 3339, site offset), and how long ago. */
  since: z.string(),
  in_state_s: z.number().nonnegative(),
  /** Contacts wrapped up since the site's midnight, and their average handling time. */
  handled_today: z.number().int().nonnegative(),
  aht_today_s: z.number().nullable(),
});
export type AgentNow = z.infer<typeof AgentNow>;

export const AgentList = z.object({
  site: z.string(),
  tz: z.string(),
  as_of: z.string(),
  agents: z.array(AgentNow),
});
export type AgentList = z.infer<typeof AgentList>;
