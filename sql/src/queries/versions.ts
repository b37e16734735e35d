// Versioned configuration tables (alert_rules of 0009_alerts.sql, layouts of 0010_layouts.sql):
// one row per write of (site, id, version, deleted, body, created_ms, created_by), an edit or a
// delete being the next version. What is shared by the statements that read them.
import { z } from "zod";
import { ident, sql, type SqlFragment } from "../escape";

const Int = z.coerce.number().int();

/** The row columns of a stored version after the key (site and id). */
export const versionColumns = {
  version: Int,
  deleted: Int,
  body: z.string(),
  created_ms: Int,
  created_by: z.string(),
};

/**
 * Every stored version of the items of `table` that `where` picks, one row each: its latest write
 * (a version written twice, by a retried insert, appears once).
 */
export function versionsOf(
  table: string,
  id: string,
  where: SqlFragment,
  orderBy: SqlFragment,
): SqlFragment {
  // Aliases differ from the columns the aggregates read (18.16 resolves an alias first).
  return sql`
    SELECT site, ${ident(id)}, version, d AS deleted, b AS body, c AS created_ms, w AS created_by
    FROM
    (
      SELECT site, ${ident(id)}, version,
        argMax(deleted, created_ms) AS d,
        argMax(body, created_ms) AS b,
        max(created_ms) AS c,
        argMax(created_by, created_ms) AS w
      FROM ${ident(table)}
      WHERE ${where}
      GROUP BY site, ${ident(id)}, version
    )
    ORDER BY ${orderBy}`;
}
