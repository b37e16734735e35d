// Applies sql/migrations/NNNN_name.sql in order and records each in `schema_migrations`, so a
// second run applies nothing and an edited, already-applied migration is refused (its checksum
// no longer matches) instead of silently diverging between environments.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClickHouseClient } from "@clickhouse/client";
import { createClickHouse } from "./client";
import type { ClickHouseConfig } from "./env";
import { ident, sql } from "./escape";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** Splits a migration into statements at semicolons that end a line, outside comments. */
export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split("\n")
    .map((line) => (line.trimStart().startsWith("--") ? "" : line))
    .join("\n");
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const version = Number(file.slice(0, 4));
    if (seen.has(version)) throw new Error(`two migrations share version ${version}`);
    seen.add(version);
    const text = readFileSync(join(dir, file), "utf8");
    return {
      version,
      name: file.replace(/\.sql$/, ""),
      checksum: createHash("sha256").update(text).digest("hex"),
      statements: splitStatements(text),
    };
  });
}

const LEDGER = "schema_migrations";

async function applied(ch: ClickHouseClient): Promise<Map<number, string>> {
  const rs = await ch.query({
    query: sql`SELECT version, checksum FROM ${ident(LEDGER)} ORDER BY version`.text,
    format: "JSONEachRow",
  });
  const rows = await rs.json<{ version: number | string; checksum: string }>();
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

export interface MigrateResult {
  applied: string[];
  skipped: number;
}

export async function migrate(
  config: ClickHouseConfig,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const admin = createClickHouse(config, { database: null });
  try {
    await admin.command({
      query: sql`CREATE DATABASE IF NOT EXISTS ${ident(config.database)}`.text,
    });
  } finally {
    await admin.close();
  }
  const ch = createClickHouse(config);
  try {
    await ch.command({
      query:
        sql`CREATE TABLE IF NOT EXISTS ${ident(LEDGER)} (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`
          .text,
    });
    const done = await applied(ch);
    const result: MigrateResult = { applied: [], skipped: 0 };
    for (const m of loadMigrations(opts.dir)) {
      const prior = done.get(m.version);
      if (prior !== undefined) {
        if (prior !== m.checksum)
          throw new Error(
            `migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        result.skipped++;
        continue;
      }
      log(`applying ${m.name}`);
      for (const statement of m.statements) await ch.command({ query: statement });
      await ch.insert({
        table: LEDGER,
        values: [
          {
            version: m.version,
            name: m.name,
            checksum: m.checksum,
            applied_at: Math.floor(Date.now() / 1000),
          },
        ],
        format: "JSONEachRow",
      });
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await ch.close();
  }
}

/**
 * What a throwaway database is called: the test harness's `fwtest_<file>_<random>` (and the
 * benchmarks', which use the same prefix). Only such a name may be dropped.
 */
export const THROWAWAY_DATABASE = /^fwtest_[A-Za-z0-9_]+$/;

/**
 * Drops a test or benchmark database. Refuses any other name: a production config passed here by
 * mistake (a test run with CLICKHOUSE_DATABASE=floorwatch) must not drop every table in it.
 */
export async function dropDatabase(config: ClickHouseConfig): Promise<void> {
  if (!THROWAWAY_DATABASE.test(config.database))
    throw new Error(
      `refusing to drop database ${JSON.stringify(config.database)}: only fwtest_… databases are dropped`,
    );
  const admin = createClickHouse(config, { database: null });
  try {
    await admin.command({ query: sql`DROP DATABASE IF EXISTS ${ident(config.database)}`.text });
  } finally {
    await admin.close();
  }
}
