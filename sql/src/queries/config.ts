// Statements over the configuration tables of sql/migrations/0003_metrics.sql: sites (time zone)
// and queue definition versions (T, S, target per queue, from an instant on).
import { z } from "zod";
import { ident, join, list, sql } from "../escape";
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
  row: z.object({ site: z.string(), tz: z.string(), name: z.string() }),
  // 18.16 resolves an alias before a column of the same name, even inside another aggregate:
  // no alias here may repeat a column name that an aggregate reads.
  build: (p) => sql`
    SELECT site, argMax(tz, updated_ms) AS tz, argMax(name, updated_ms) AS name
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
  // Aliases differ from the columns the aggregates read (18.16 would resolve them to the alias).
  build: (p) => sql`
    SELECT queue, version, vf AS valid_from_ms, ch AS channel, t AS sl_threshold_s, s AS short_abandon_s, target AS sl_target, zh AS name_zh, en AS name_en
    FROM
    (
      SELECT
        queue,
        version,
        argMax(valid_from_ms, created_ms) AS vf,
        argMax(channel, created_ms) AS ch,
        argMax(sl_threshold_s, created_ms) AS t,
        argMax(short_abandon_s, created_ms) AS s,
        argMax(sl_target, created_ms) AS target,
        argMax(name_zh, created_ms) AS zh,
        argMax(name_en, created_ms) AS en
      FROM queue_definitions
      WHERE site = ${p.site} ${p.queues?.length ? sql`AND queue IN (${list(p.queues)})` : sql``}
      GROUP BY queue, version
    )
    ORDER BY queue, version`,
});

/** Which of the (site, queue) pairs already have a definition. */
export const loadDefinedQueues = defineQuery({
  name: "config_load_defined_queues",
  params: z.object({ sites: z.array(z.string()).min(1) }),
  row: z.object({ site: z.string(), queue: z.string() }),
  build: (p) =>
    sql`SELECT DISTINCT site, queue FROM queue_definitions WHERE site IN (${list(p.sites)})`,
});

/** Every site with a configuration row (the latest of each). */
export const listSites = defineQuery({
  name: "config_list_sites",
  params: z.object({}),
  row: z.object({ site: z.string(), tz: z.string(), name: z.string() }),
  build: () => sql`
    SELECT site, argMax(tz, updated_ms) AS tz, argMax(name, updated_ms) AS name
    FROM sites
    GROUP BY site
    ORDER BY site`,
});

export const SITE_HOURS_TABLE = "site_hours";

/** Every version of a site's business hours, oldest first. */
export const loadSiteHours = defineQuery({
  name: "config_load_site_hours",
  params: z.object({ site: z.string() }),
  row: z.object({ version: Int, valid_from_ms: Int, weekly: z.string(), created_by: z.string() }),
  build: (p) => sql`
    SELECT version, vf AS valid_from_ms, w AS weekly, cb AS created_by
    FROM
    (
      SELECT version, argMax(valid_from_ms, created_ms) AS vf, argMax(weekly, created_ms) AS w, argMax(created_by, created_ms) AS cb
      FROM site_hours
      WHERE site = ${p.site}
      GROUP BY version
    )
    ORDER BY version`,
});

/**
 * Whether a site exists: configured (a site row or a queue definition) or with any event or fact
 * stored. Each table's sorting key starts with `site`, so every branch reads at most one granule
 * per part. Tells the API a made-up site name from a real one (a 404, not a snapshot of nothing).
 */
export const siteSeen = defineQuery({
  name: "config_site_seen",
  params: z.object({ site: z.string() }),
  row: z.object({ seen: Int }),
  build: (p) => {
    const tables = [
      "sites",
      "queue_definitions",
      "site_hours",
      "contact_events",
      "agent_events",
      "survey_events",
      "contact_facts",
      "agent_intervals",
      "survey_facts",
    ];
    const branches = tables.map(
      (t) => sql`SELECT toUInt8(1) AS one FROM ${ident(t)} WHERE site = ${p.site} LIMIT 1`,
    );
    return sql`SELECT count() AS seen FROM (${join(branches, " UNION ALL ")})`;
  },
});
