// Statements over the TV layouts of sql/migrations/0010_layouts.sql: every version of a site's
// layouts (the store in api/src/live/layouts.ts picks each layout's latest).
import { z } from "zod";
import { sql } from "../escape";
import { defineQuery } from "../query";
import { versionColumns, versionsOf } from "./versions";

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

/** Every stored version of the layouts of one site (of one layout when named), oldest first. */
export const loadLayoutVersions = defineQuery({
  name: "layouts_load_versions",
  params: z.object({ site: z.string(), layout_id: z.string().optional() }),
  row: z.object({ site: z.string(), layout_id: z.string(), ...versionColumns }),
  build: (p) =>
    versionsOf(
      LAYOUTS_TABLE,
      "layout_id",
      sql`site = ${p.site} ${p.layout_id !== undefined ? sql`AND layout_id = ${p.layout_id}` : sql``}`,
      sql`layout_id, version`,
    ),
});
