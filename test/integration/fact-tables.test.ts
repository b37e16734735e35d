// The fact tables keep every fact's net count (sum of sign) through merges, whatever order and
// multiplicity its rows came in (sql/migrations/0004), and a database made by 0001–0003 upgrades
// to them without losing a fact or the views that feed the rollup.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createClickHouse,
  dropDatabase,
  ident,
  list,
  MIGRATIONS_DIR,
  migrate,
  sql,
  type ClickHouseClient,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../support/env";

const FACT_TABLES = [
  { table: "contact_facts", time: "anchor_at", id: "contact_id" },
  { table: "open_visits", time: "anchor_at", id: "contact_id" },
  { table: "agent_intervals", time: "from_at", id: "agent_id" },
  { table: "survey_facts", time: "anchor_at", id: "survey_id" },
] as const;

const configFor = (name: string): ClickHouseConfig => ({
  url: testEnv.clickhouseUrl,
  user: testEnv.clickhouseUser,
  password: testEnv.clickhousePassword,
  database: `fwtest_${name}_${process.pid}_${Date.now() % 100_000}`,
});

async function insertRow(
  ch: ClickHouseClient,
  t: (typeof FACT_TABLES)[number],
  factId: string,
  sign: 1 | -1,
  extra: object = {},
) {
  // Each insert is its own part, so OPTIMIZE … FINAL has rows from several parts to merge.
  await ch.insert({
    table: t.table,
    values: [
      {
        site: "s1",
        [t.time]: "2026-11-23 02:00:00",
        [t.id]: "c1",
        fact_id: factId,
        sign,
        ...extra,
      },
    ],
    format: "JSONEachRow",
  });
}

async function net(
  ch: ClickHouseClient,
  table: string,
  factId: string,
): Promise<{ net: number; rows: number }> {
  const rs = await ch.query({
    query:
      sql`SELECT toInt64(sum(sign)) AS net, toInt64(count()) AS rows FROM ${ident(table)} WHERE fact_id = ${factId}`
        .text,
    format: "JSONEachRow",
  });
  const [row] = await rs.json<{ net: string; rows: string }>();
  return { net: Number(row!.net), rows: Number(row!.rows) };
}

const optimize = (ch: ClickHouseClient, table: string) =>
  ch.command({ query: sql`OPTIMIZE TABLE ${ident(table)} FINAL`.text });

describe("fact tables after every migration", () => {
  const config = configFor("facts");
  let ch: ClickHouseClient;
  beforeAll(async () => {
    await migrate(config);
    ch = createClickHouse(config);
  });
  afterAll(async () => {
    await ch?.close();
    await dropDatabase(config);
  });

  for (const t of FACT_TABLES) {
    it(`${t.table}: a fact written twice, merged, then mended by one -1 still counts once`, async () => {
      await insertRow(ch, t, "twice", 1);
      await insertRow(ch, t, "twice", 1);
      await optimize(ch, t.table);
      expect(await net(ch, t.table, "twice")).toEqual({ net: 2, rows: 1 });
      await insertRow(ch, t, "twice", -1);
      await optimize(ch, t.table);
      // CollapsingMergeTree (0003) ends at net 0 here: the merge of the two +1 rows kept one.
      expect((await net(ch, t.table, "twice")).net).toBe(1);
    });

    it(`${t.table}: a retraction before its fact, and a fact and its retraction, leave no row`, async () => {
      await insertRow(ch, t, "early-minus", -1);
      await insertRow(ch, t, "added-then-retracted", 1);
      await optimize(ch, t.table);
      expect(await net(ch, t.table, "early-minus")).toEqual({ net: -1, rows: 1 });
      await insertRow(ch, t, "early-minus", 1);
      await insertRow(ch, t, "added-then-retracted", -1);
      await optimize(ch, t.table);
      expect(await net(ch, t.table, "early-minus")).toEqual({ net: 0, rows: 0 });
      expect(await net(ch, t.table, "added-then-retracted")).toEqual({ net: 0, rows: 0 });
    });
  }
});

describe("upgrading a database made by 0001–0003", () => {
  const config = configFor("upgrade");
  let dir: string;
  let ch: ClickHouseClient;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fw-migrations-"));
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < "0004"))
      cpSync(join(MIGRATIONS_DIR, f), join(dir, f));
    await migrate(config, { dir });
    ch = createClickHouse(config);
  });
  afterAll(async () => {
    await ch?.close();
    await dropDatabase(config);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every fact and the rollup's views", async () => {
    const visit = { kind: "visit", queue: "q1", outcome: "answered", duration_ms: 4_000 };
    for (const t of FACT_TABLES)
      await insertRow(ch, t, "before", 1, t.table === "contact_facts" ? visit : {});
    const result = await migrate(config);
    expect(result.applied).toEqual(
      readdirSync(MIGRATIONS_DIR)
        .filter((f) => f >= "0004")
        .map((f) => f.replace(/\.sql$/, "")),
    );

    const engines = await ch.query({
      query:
        sql`SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name IN (${list(FACT_TABLES.map((t) => t.table))}) ORDER BY name`
          .text,
      format: "JSONEachRow",
    });
    expect(new Set((await engines.json<{ engine: string }>()).map((r) => r.engine))).toEqual(
      new Set(["SummingMergeTree"]),
    );
    for (const t of FACT_TABLES)
      expect(await net(ch, t.table, "before"), t.table).toEqual({ net: 1, rows: 1 });

    // The recreated view feeds the rollup from the new table: one visit before, one after.
    await insertRow(ch, FACT_TABLES[0], "after", 1, visit);
    const rollup = await ch.query({
      query:
        sql`SELECT toInt64(sum(offered)) AS offered, toInt64(sum(answered_wait_ms)) AS wait FROM queue_quarter WHERE site = 's1' AND queue = 'q1'`
          .text,
      format: "JSONEachRow",
    });
    expect(await rollup.json()).toEqual([{ offered: "2", wait: "8000" }]);
  });
});
