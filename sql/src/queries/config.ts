// Statements over the configuration tables of sql/migrations/0003_metrics.sql: sites (time zone)
// and queue definition versions (T, S, target per queue, from an instant on).
import { z } from "zod";
import { list, sql } from "../escape";
import { defineQuery } from "../query";

export const SITES_TABLE = "sites";
export const QUEUE_DEFINITIONS_TABLE = "queue_definitions";

const Int = z.coerce.number().int();

export interface SiteRow {
  site: string;
  tz: string;
  name: string;
  updated_ms: number;
  updated_by: string;
}

export interface QueueDefinitionRow {
  site: string;
  queue: string;
  version: number;
  valid_from_ms: number;
  channel: string;
  sl_threshold_s: number;
  short_abandon_s: number;
  sl_target: number;
  name_zh: string;
  name_en: string;
  created_ms: number;
  created_by: string;
}

/** The latest configuration of each of `sites` that has one. */
export const loadSites = defineQuery({
  name: "config_load_sites",
  params: z.object({ sites: z.array(z.string()).min(1) }),
  row: z.object({ site: z.string(), tz: z.string(), name: z.string(), updated_ms: Int }),
  build: (p) => sql`
    SELECT site, argMax(tz, updated_ms) AS tz, argMax(name, updated_ms) AS name, max(updated_ms) AS updated_ms
    FROM sites
    WHERE site IN (${list(p.sites)})
    GROUP BY site`,
});

/** Every definition version of a site's queues (all queues, or those named), oldest first. */
export const loadQueueDefinitions = defineQuery({
  name: "config_load_queue_definitions",
  params: z.object({ site: z.string(), queues: z.array(z.string()).optional() }),
  row: z.object({
    queue: z.string(),
    version: Int,
    valid_from_ms: Int,
    channel: z.string(),
    sl_threshold_s: Int,
    short_abandon_s: Int,
    sl_target: z.coerce.number(),
    name_zh: z.string(),
    name_en: z.string(),
  }),
  build: (p) => sql`
    SELECT
      queue,
      version,
      argMax(valid_from_ms, created_ms) AS valid_from_ms,
      argMax(channel, created_ms) AS channel,
      argMax(sl_threshold_s, created_ms) AS sl_threshold_s,
      argMax(short_abandon_s, created_ms) AS short_abandon_s,
      argMax(sl_target, created_ms) AS sl_target,
      argMax(name_zh, created_ms) AS name_zh,
      argMax(name_en, created_ms) AS name_en
    FROM queue_definitions
    WHERE site = ${p.site} ${p.queues?.length ? sql`AND queue IN (${list(p.queues)})` : sql``}
    GROUP BY queue, version
    ORDER BY queue, version`,
});

/** Which of the (site, queue) pairs already have a definition. */
export const loadDefinedQueues = defineQuery({
  name: "config_load_defined_queues",
  params: z.object({ sites: z.array(z.string()).min(1) }),
  row: z.object({ site: z.string(), queue: z.string() }),
  build: (p) => sql`SELECT DISTINCT site, queue FROM queue_definitions WHERE site IN (${list(p.sites)})`,
});
