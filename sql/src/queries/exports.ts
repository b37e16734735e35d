// Statements of the monthly compliance packs' records (sql/migrations/0013_exports.sql).
import { z } from "zod";
import { sql } from "../escape";
import { defineQuery } from "../query";

export const EXPORTS_TABLE = "exports";

/** One write of an export's record, as inserted. */
export interface ExportRow {
  export_id: string;
  site: string;
  month: string;
  lang: string;
  personal_data: number;
  status: string;
  trigger: string;
  requested_by_id: string;
  requested_by: string;
  requested_ms: number;
  /** 0 until finished. */
  finished_ms: number;
  error: string;
  bytes: number;
  sha256: string;
  /** Relative to EXPORT_DIR; '' until done. */
  path: string;
  /** The manifest's JSON once done, '' before. */
  manifest: string;
  restated: number;
  updated_ms: number;
}

const Int = z.coerce.number().int();

export const ExportRowSchema = z.object({
  export_id: z.string(),
  site: z.string(),
  month: z.string(),
  lang: z.string(),
  personal_data: Int,
  status: z.string(),
  trigger: z.string(),
  requested_by_id: z.string(),
  requested_by: z.string(),
  requested_ms: Int,
  finished_ms: Int,
  error: z.string(),
  bytes: Int,
  sha256: z.string(),
  path: z.string(),
  manifest: z.string(),
  restated: Int,
  updated_ms: Int,
});

/**
 * The latest write of each export of a site (one export when `id` is given, one month when `month`
 * is), newest request first. Aliases differ from the columns they aggregate (18.16 would resolve
 * `argMax(status, updated_ms) AS status` to itself).
 */
export const loadExports = defineQuery({
  name: "exports_load",
  params: z.object({
    site: z.string().optional(),
    id: z.string().optional(),
    month: z.string().optional(),
    limit: z.number().int().min(1).max(10_000).default(1_000),
  }),
  row: ExportRowSchema,
  build: (p) => sql`
    SELECT export_id, s AS site, m AS month, l AS lang, pd AS personal_data, st AS status, tr AS trigger,
           rbi AS requested_by_id, rb AS requested_by, rq AS requested_ms, fin AS finished_ms, er AS error,
           b AS bytes, h AS sha256, pa AS path, mf AS manifest, rs AS restated, u AS updated_ms
    FROM
    (
      SELECT export_id,
        argMax(site, updated_ms) AS s,
        argMax(month, updated_ms) AS m,
        argMax(lang, updated_ms) AS l,
        argMax(personal_data, updated_ms) AS pd,
        argMax(status, updated_ms) AS st,
        argMax(trigger, updated_ms) AS tr,
        argMax(requested_by_id, updated_ms) AS rbi,
        argMax(requested_by, updated_ms) AS rb,
        min(requested_ms) AS rq,
        argMax(finished_ms, updated_ms) AS fin,
        argMax(error, updated_ms) AS er,
        argMax(bytes, updated_ms) AS b,
        argMax(sha256, updated_ms) AS h,
        argMax(path, updated_ms) AS pa,
        argMax(manifest, updated_ms) AS mf,
        argMax(restated, updated_ms) AS rs,
        max(updated_ms) AS u
      FROM exports
      WHERE 1 = 1
        ${p.site === undefined ? sql`` : sql`AND site = ${p.site}`}
        ${p.id === undefined ? sql`` : sql`AND export_id = ${p.id}`}
        ${p.month === undefined ? sql`` : sql`AND month = ${p.month}`}
      GROUP BY export_id
    )
    ORDER BY requested_ms DESC, export_id DESC
    LIMIT ${p.limit}`,
});

/**
 * The queues a site's month is reported for: those defined before the month ended, and those with
 * figures in it (a month replayed later, whose queues the ingest defined on replay). A queue first
 * seen after the month is not in its pack, so a pack made again later lists the same queues.
 */
export const queuesOfMonth = defineQuery({
  name: "exports_queues_of_month",
  params: z.object({ site: z.string(), from_ms: z.number().int(), to_ms: z.number().int() }),
  row: z.object({ queue: z.string() }),
  build: (p) => sql`
    SELECT queue
    FROM
    (
      SELECT queue FROM queue_definitions WHERE site = ${p.site}
      GROUP BY queue HAVING min(created_ms) < ${p.to_ms}
      UNION ALL
      SELECT DISTINCT queue FROM queue_quarter
      WHERE site = ${p.site}
        AND quarter >= toDateTime(${Math.floor(p.from_ms / 1000)}) AND quarter < toDateTime(${Math.ceil(p.to_ms / 1000)})
    )
    GROUP BY queue
    ORDER BY queue`,
});
