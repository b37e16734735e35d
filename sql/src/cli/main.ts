// `npm run migrate`: applies pending migrations to CLICKHOUSE_DATABASE.
import { clickhouseConfig } from "../env";
import { migrate } from "../migrate";
import { env } from "./env";

const result = await migrate(clickhouseConfig(env), {
  log: (m) => process.stdout.write(`[migrate] ${m}\n`),
});
process.stdout.write(
  `[migrate] ${result.applied.length} applied, ${result.skipped} already in place\n`,
);
