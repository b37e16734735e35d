// Named queries (conventions.md habit 5): every statement has a name used in logs and as the
// query_id prefix, a zod schema for its parameters and one for its rows.
import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import type { z } from "zod";
import type { SqlFragment } from "./escape";

export interface NamedQuery<P extends z.ZodType, R extends z.ZodType> {
  name: string;
  params: P;
  row: R;
  build: (params: z.infer<P>) => SqlFragment;
}

export function defineQuery<P extends z.ZodType, R extends z.ZodType>(
  q: NamedQuery<P, R>,
): NamedQuery<P, R> {
  return q;
}

export class QueryError extends Error {
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super(`query ${query} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "QueryError";
  }
}

export async function runQuery<P extends z.ZodType, R extends z.ZodType>(
  ch: ClickHouseClient,
  q: NamedQuery<P, R>,
  params: z.input<P>,
): Promise<z.infer<R>[]> {
  const parsed = q.params.parse(params);
  const statement = q.build(parsed).text;
  let rows: unknown[];
  try {
    // 64-bit integers as JSON numbers, not strings: every row schema reads them as JS numbers
    // anyway (so nothing is lost that coercion would keep), and a 5,000-row report parses a third
    // faster without the strings and their garbage. Ad-hoc reads keep ClickHouse's quoting.
    const rs = await ch.query({
      query: statement,
      format: "JSONEachRow",
      query_id: `${q.name}-${randomUUID()}`,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    rows = await rs.json();
  } catch (err) {
    throw new QueryError(q.name, err);
  }
  return rows.map((r) => q.row.parse(r));
}

/**
 * Sent with every insert: a row that does not fit its table is refused, never bent to fit. ClickHouse
 * 24+ defaults input_format_skip_unknown_fields to 1 (a misspelt key silently dropped, its column
 * left at its default); 18.16 knows these three settings, so they go with each insert. The
 * settings 18.16 does not know (input_format_null_as_default: a null into a non-Nullable column
 * becomes 0, so a survey's missing nps would count as a detractor) are pinned by the server's users
 * profile instead (scripts/clickhouse/docker/users.d/floorwatch.xml, mounted by docker-compose.yml).
 */
export const INSERT_SETTINGS = {
  input_format_skip_unknown_fields: 0,
  input_format_allow_errors_num: "0",
  input_format_allow_errors_ratio: 0,
} as const;

/** Inserts a batch as JSONEachRow; one call is one INSERT (conventions.md habit 6). */
export async function insertRows<Row extends object>(
  ch: ClickHouseClient,
  table: string,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  try {
    await ch.insert({
      table,
      values: rows as unknown as Record<string, unknown>[],
      format: "JSONEachRow",
      query_id: `insert-${table}-${randomUUID()}`,
      clickhouse_settings: INSERT_SETTINGS,
    });
  } catch (err) {
    throw new QueryError(`insert ${table}`, err);
  }
}
