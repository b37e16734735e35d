// streamQuery against the real server: every text ClickHouse escapes in TabSeparated comes back
// exactly, rows arrive in order without the result being held, a consumer that stops early closes
// the response, and a query failing before or after its first rows fails as a QueryError.
import { defineQuery, QueryError, sql, streamQuery, type ClickHouseClient } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { serverClient } from "../support/harness";
import { INJECTIONS } from "../support/hostile-strings";

const Pair = z.tuple([z.string().regex(/^\d+$/), z.string()]);

/** Each value with its index, read as (index, value), in index order. */
const values = defineQuery({
  name: "test_stream_values",
  params: z.object({ values: z.array(z.string()) }),
  row: Pair,
  build: (p) => sql`
    SELECT i - 1, v FROM (SELECT arrayJoin(arrayEnumerate(${p.values})) AS i, ${p.values}[i] AS v)
    ORDER BY i`,
});

const numbers = defineQuery({
  name: "test_stream_numbers",
  params: z.object({ n: z.number().int(), failAt: z.number().int().optional() }),
  row: Pair,
  build: (p) =>
    p.failAt === undefined
      ? sql`SELECT number, toString(number * 7) FROM system.numbers LIMIT ${p.n}`
      : sql`SELECT number, toString(throwIf(number = ${p.failAt})) FROM system.numbers LIMIT ${p.n}
            SETTINGS max_block_size = 1000`,
});

describe("streamQuery", () => {
  let ch: ClickHouseClient;
  beforeAll(() => {
    ch = serverClient();
  });
  afterAll(async () => {
    await ch.close();
  });

  const all = async <T>(rows: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const r of rows) out.push(r);
    return out;
  };

  it("gives back tabs, newlines, quotes, backslashes, control characters and Chinese text exactly", async () => {
    const texts = [
      "tab\there",
      "line\nbreak\r\nand CR",
      `quote " and ' and \\' and \\\\`,
      "back\\slash \\N \\t literally",
      "\\N",
      "",
      "\u0000nul\u0007bell\u0008bs\u000cff\u000bvt\u001besc\u007fdel",
      "客户留言：等了很久，但问题解决了。\n下次再说",
      "emoji 😀 and ﻿BOM",
      ...INJECTIONS,
    ];
    const rows = await all(streamQuery(ch, values, { values: texts }));
    expect(rows).toEqual(texts.map((t, i) => [String(i), t]));
  });

  it("streams half a million rows in order", async () => {
    let n = 0;
    for await (const [i, seven] of streamQuery(ch, numbers, { n: 500_000 })) {
      if (Number(i) !== n || Number(seven) !== n * 7) throw new Error(`row ${n}: ${i}, ${seven}`);
      n++;
    }
    expect(n).toBe(500_000);
  });

  it("closes the response when the consumer stops early", async () => {
    let n = 0;
    for await (const _ of streamQuery(ch, numbers, { n: 100_000_000 })) if (++n === 10) break;
    expect(n).toBe(10);
    // The client is free for the next statement: the response was closed, not left half read.
    expect(await all(streamQuery(ch, numbers, { n: 3 }))).toEqual([
      ["0", "0"],
      ["1", "7"],
      ["2", "14"],
    ]);
  });

  it("fails as a QueryError named after the query, before or after its first rows", async () => {
    const failing = defineQuery({
      ...numbers,
      name: "test_stream_missing",
      build: () => sql`SELECT x FROM no_such_table`,
    });
    await expect(all(streamQuery(ch, failing, { n: 1 }))).rejects.toThrow(QueryError);
    await expect(all(streamQuery(ch, failing, { n: 1 }))).rejects.toThrow(/test_stream_missing/);
    // Thrown at row 300,000: the server had sent rows before it, then appends the exception text.
    let seen = 0;
    const midway = (async () => {
      for await (const _ of streamQuery(ch, numbers, { n: 1_000_000, failAt: 300_000 })) seen++;
    })();
    await expect(midway).rejects.toThrow(QueryError);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(300_000);
  });

  it("refuses a first row of another shape", async () => {
    const wrong = defineQuery({
      name: "test_stream_shape",
      params: z.object({}),
      row: z.tuple([z.string().regex(/^\d+$/)]),
      build: () => sql`SELECT 'x'`,
    });
    await expect(all(streamQuery(ch, wrong, {}))).rejects.toThrow(/unexpected first row/);
  });
});
