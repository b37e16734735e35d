// The columns of the quarter-hour rollup, queue_quarter (sql/migrations/0003_metrics.sql; its
// repairs table, 0007, is the same and `repaired_ms`), in the table's order: the one list from
// which the rollup's readers (queries/reports.ts), its repairs (queries/rollup.ts) and the
// figures' sums (api/src/metrics/figures.ts) are built. A migration cannot import it, so
// test/integration/rollup-columns.test.ts checks the migrated table against it, name and type.
//
// Roles: `key` sorts a cell; `figure` is a sum a figure reads as it is; `judged` counts the visits
// judged within T / short of S, read only where their sl_version is the version in force;
// `histogram` and `max` are aggregate states; `retracted` counts −1 visit rows (where above 0 the
// max is read again from the facts); `unread` is kept by the views but read by no figure yet.
export const ROLLUP_COLUMNS = [
  { name: "site", type: "String", role: "key" },
  { name: "queue", type: "String", role: "key" },
  { name: "quarter", type: "DateTime('UTC')", role: "key" },
  { name: "sl_version", type: "UInt32", role: "key" },
  { name: "offered", type: "Int64", role: "figure" },
  { name: "answered", type: "Int64", role: "figure" },
  { name: "abandoned", type: "Int64", role: "figure" },
  { name: "callbacks", type: "Int64", role: "figure" },
  { name: "flowed_out", type: "Int64", role: "figure" },
  { name: "orphaned", type: "Int64", role: "figure" },
  { name: "answered_wait_ms", type: "Int64", role: "figure" },
  { name: "answered_within_sl", type: "Int64", role: "judged" },
  { name: "short_abandoned", type: "Int64", role: "judged" },
  {
    name: "answered_wait_hist",
    type: "AggregateFunction(sumMap, Array(UInt32), Array(Int64))",
    role: "histogram",
  },
  {
    name: "abandoned_wait_hist",
    type: "AggregateFunction(sumMap, Array(UInt32), Array(Int64))",
    role: "histogram",
  },
  { name: "max_wait_ms", type: "AggregateFunction(max, Int64)", role: "max" },
  { name: "retracted", type: "Int64", role: "retracted" },
  { name: "handled", type: "Int64", role: "figure" },
  { name: "handled_timed", type: "Int64", role: "figure" },
  { name: "handle_ms", type: "Int64", role: "figure" },
  { name: "handled_resolved", type: "Int64", role: "figure" },
  { name: "transfers", type: "Int64", role: "figure" },
  { name: "first_responses", type: "Int64", role: "figure" },
  { name: "first_response_ms", type: "Int64", role: "figure" },
  { name: "csat_n", type: "Int64", role: "figure" },
  { name: "csat_good", type: "Int64", role: "figure" },
  { name: "csat_low", type: "Int64", role: "figure" },
  { name: "nps_n", type: "Int64", role: "figure" },
  { name: "nps_promoters", type: "Int64", role: "figure" },
  { name: "nps_detractors", type: "Int64", role: "figure" },
  { name: "fcr_n", type: "Int64", role: "figure" },
  { name: "fcr_yes", type: "Int64", role: "figure" },
  { name: "available_ms", type: "Int64", role: "figure" },
  { name: "on_contact_ms", type: "Int64", role: "figure" },
  { name: "wrap_up_ms", type: "Int64", role: "figure" },
  { name: "not_ready_ms", type: "Int64", role: "unread" },
] as const;

type Column = (typeof ROLLUP_COLUMNS)[number];
export type RollupColumn = Column["name"];
export type RollupRole = Column["role"];
type Named<R extends RollupRole> = Extract<Column, { role: R }>["name"];

const named = <R extends RollupRole>(...roles: R[]): Named<R>[] =>
  ROLLUP_COLUMNS.filter((c) => (roles as RollupRole[]).includes(c.role)).map(
    (c) => c.name as Named<R>,
  );

/** Every column, in the table's order. */
export const ROLLUP_COLUMN_NAMES: RollupColumn[] = ROLLUP_COLUMNS.map((c) => c.name);

/** The sums a figure reads as they are (api/src/metrics/figures.ts `Sums`). */
export const FIGURE_SUM_COLUMNS = named("figure");
export type FigureSumColumn = Named<"figure">;

/** Every Int64 sum of a cell but `retracted`, in the table's order: what a repair restores. */
export const CELL_SUM_COLUMNS = named("figure", "judged", "unread");
export type CellSumColumn = Named<"figure" | "judged" | "unread">;
