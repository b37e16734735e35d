// Named queries (conventions.md habit 5): every statement has a name used in logs and as the
// query_id prefix, a zod schema for its parameters and one for its rows.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { ClickHouseClient } from "@clickhouse/client";
import type { z } from "zod";
import { isResetSocket } from "./client";
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

/** A row of a streamed query as TabSeparated gives it: one text field per column, NULL as null. */
export type TsvRow = readonly (string | null)[];

const TSV_ESCAPES: Record<string, string> = {
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  "0": "\0",
  a: "\x07",
  v: "\v",
};

/**
 * One TabSeparated line as fields. ClickHouse escapes a backslash, tab, newline and the other
 * control characters it names (\b \f \r \0) with a backslash and writes every other byte as it
 * is (quotes and UTF-8 included), so a line splits on its raw tabs, and only a field holding a
 * backslash needs unescaping; `\N` alone is NULL.
 */
export function decodeTsvLine(line: string): (string | null)[] {
  const fields: (string | null)[] = line.split("\t");
  if (!line.includes("\\")) return fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f === "\\N") fields[i] = null;
    else if (f.includes("\\"))
      fields[i] = f.replace(/\\(x[0-9a-fA-F]{2}|.)/gs, (_, c: string) =>
        c.length === 3
          ? String.fromCharCode(Number.parseInt(c.slice(1), 16))
          : (TSV_ESCAPES[c] ?? c),
      );
  }
  return fields;
}

/**
 * Reads a named query as a stream of rows, for results too large to hold (a month's contacts in a
 * compliance pack): rows are decoded as they arrive, and the socket is read only as fast as the
 * consumer takes them (for-await pulls; a slow consumer leaves the response unread in the kernel's
 * buffers and the server waits), so memory does not grow with the result.
 *
 * The format is TabSeparated: ClickHouse 18.16 has no JSONCompactEachRow, and a split on tabs
 * costs less than JSON.parse of an object per row. The row schema is therefore a tuple of text
 * fields (z.tuple of z.string()), in the statement's column order; numbers arrive as their text
 * and are the consumer's to convert. zod checks the first row only (a wrong statement fails at
 * once); every row's field count is checked, which also catches the exception text ClickHouse
 * appends to a response it had begun to send when the query fails midway. Errors, on the request
 * or midway, are QueryError with the query's name; the query_id is `<name>-<uuid>` as in runQuery.
 * Breaking out of the loop closes the response.
 */
export async function* streamQuery<P extends z.ZodType, R extends z.ZodType<TsvRow>>(
  ch: ClickHouseClient,
  q: NamedQuery<P, R>,
  params: z.input<P>,
): AsyncGenerator<z.infer<R>, void, undefined> {
  const statement = `${q.build(q.params.parse(params)).text}\nFORMAT TabSeparated`;
  const id = `${q.name}-${randomUUID()}`;
  let width = -1;
  let body: Readable | undefined;
  try {
    // exec: the response's bytes as they come, cut into lines here a chunk at a time (the client's
    // own row stream made a string and an object per line: a third of the time of a month's
    // contacts). A read that died on a reused socket is sent once more, as query() does.
    const exec = (query_id: string) => ch.exec({ query: statement, query_id });
    body = (
      await exec(id).catch((err: unknown) => {
        if (!isResetSocket(err)) throw err;
        return exec(`${id}-retry`);
      })
    ).stream;
    const utf8 = new StringDecoder("utf8");
    let rest = "";
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const lines = (rest + utf8.write(chunk)).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        const fields = decodeTsvLine(line);
        if (width < 0) {
          const checked = q.row.safeParse(fields);
          if (!checked.success)
            throw new Error(
              `unexpected first row ${JSON.stringify(line.slice(0, 300))}: ${checked.error.message}`,
            );
          width = fields.length;
        } else if (fields.length !== width)
          throw new Error(`unexpected row ${JSON.stringify(line.slice(0, 300))}`);
        yield fields as z.infer<R>;
      }
    }
    rest += utf8.end();
    // Every row ends with a newline: anything after the last one is the text of an exception.
    if (rest !== "") throw new Error(`unexpected end ${JSON.stringify(rest.slice(0, 300))}`);
  } catch (err) {
    throw err instanceof QueryError ? err : new QueryError(q.name, err);
  } finally {
    // The consumer stopped early (or failed): close the response rather than read it to the end.
    body?.destroy();
  }
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
