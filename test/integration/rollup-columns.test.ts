// The rollup's columns are named once, in sql/src/rollup-columns.ts, and the readers, the repairs
// and the figures are built from that list; the migrations cannot import it. So: the table the
// migrations make has exactly those columns, in that order and of those types, its repairs table
// the same and `repaired_ms`, and each view that feeds it gives every one of them.
import {
  createClickHouse,
  dropDatabase,
  migrate,
  ROLLUP_COLUMNS,
  ROLLUP_COLUMN_NAMES,
  sql,
  type ClickHouseClient,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../support/env";

const config: ClickHouseConfig = {
  url: testEnv.clickhouseUrl,
  user: testEnv.clickhouseUser,
  password: testEnv.clickhousePassword,
  database: `fwtest_rollup_columns_${process.pid}_${Date.now() % 100_000}`,
};

let ch: ClickHouseClient;

beforeAll(async () => {
  await migrate(config);
  ch = createClickHouse(config);
});

afterAll(async () => {
  await ch?.close();
  await dropDatabase(config);
});

// In the table's order: 18.16's system.columns has no `position` to sort by, and lists them so.
async function columnsOf(table: string): Promise<{ name: string; type: string }[]> {
  const rs = await ch.query({
    query:
      sql`SELECT name, type FROM system.columns WHERE database = ${config.database} AND table = ${table}`
        .text,
    format: "JSONEachRow",
  });
  return rs.json();
}

describe("the rollup's columns", () => {
  it("are, in the migrated queue_quarter, exactly rollup-columns.ts's names, order and types", async () => {
    expect(await columnsOf("queue_quarter")).toEqual(
      ROLLUP_COLUMNS.map(({ name, type }) => ({ name, type })),
    );
  });

  it("are the repairs table's, and then repaired_ms", async () => {
    expect(await columnsOf("queue_quarter_repairs")).toEqual([
      ...ROLLUP_COLUMNS.map(({ name, type }) => ({ name, type })),
      { name: "repaired_ms", type: "Int64" },
    ]);
  });

  it.each(["queue_quarter_contacts_mv", "queue_quarter_surveys_mv", "queue_quarter_agents_mv"])(
    "are what the view %s gives",
    async (view) => {
      expect((await columnsOf(view)).map((c) => c.name)).toEqual(ROLLUP_COLUMN_NAMES);
    },
  );
});
