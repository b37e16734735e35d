// Statements over the TV layouts of sql/migrations/0010_layouts.sql: every version of a site's
// layouts (the store in api/src/live/layouts.ts picks each layout's latest).
import { z } from "zod";
import { sql } from "../escape";
import { defineQuery } from "../query";

export const LAYOUTS_TABLE = "layouts";

export interface LayoutRow {
  site: string;
  layout_id: string;
  version: number;
  deleted: number;
  body: string;
  created_ms: number;
  created_by: string;
}

const Int = z.coerce.number().int();

/** Every stored version of the layouts of one site (of one layout when named), oldest first. */
export const loadLayoutVersions = defineQuery({
  name: "layouts_load_versions",
  params: z.object({ site: z.string(), layout_id: z.string().optional() }),
  row: z.object({
    site: z.string(),
    layout_id: z.string(),
    version: Int,
    deleted: Int,
    body: z.string(),
    created_ms: Int,
    created_by: z.string(),
  }),
  // Aliases differ from the columns the aggregates read (18.16 resolves an alias first).
  build: (p) => sql`
    SELECT site, layout_id, version, d AS deleted, b AS body, c AS created_ms, w AS created_by
    FROM
    (
      SELECT site, layout_id, version,
        argMax(deleted, created_ms) AS d,
        argMax(body, created_ms) AS b,
        max(created_ms) AS c,
        argMax(created_by, created_ms) AS w
      FROM layouts
      WHERE site = ${p.site}
        ${p.layout_id !== undefined ? sql`AND layout_id = ${p.layout_id}` : sql``}
      GROUP BY site, layout_id, version
    )
    ORDER BY layout_id, version`,
});
