// `npm run repair -- --site <site> --from <RFC 3339> --to <RFC 3339>`: compares the quarter-hour
// rollup of a site's quarters in [from, to) with the facts and repairs the cells the materialized
// views left short (sql/src/rollup-repair.ts). The ingest does this by itself after a failed insert
// of facts; this is for the case it names in its log: a process that stopped before it could.
// Exit status 1 when some quarter hours were still being written to (run again later), 2 on bad
// arguments.
import { parseArgs } from "node:util";
import { parseRfc3339Ms, SiteId } from "@floorwatch/contracts";
import { createClickHouse, repairRollup } from "@floorwatch/sql";
import { clickhouse } from "./env";

const USAGE = "usage: npm run repair -- --site <site> --from <RFC 3339> --to <RFC 3339>";
const Q = 900_000;
/** A quarter's worth of cells per site is small; a year of quarters is the most one run takes. */
const MAX_QUARTERS = 366 * 96;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

let values: { site?: string; from?: string; to?: string };
try {
  values = parseArgs({
    options: { site: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
  }).values;
} catch (err) {
  fail((err as Error).message);
}
const site = SiteId.safeParse(values.site);
if (!site.success) fail(`--site: ${values.site === undefined ? "required" : "not a site id"}`);
const from = parseRfc3339Ms(values.from ?? "");
const to = parseRfc3339Ms(values.to ?? "");
if (from === null) fail("--from: an RFC 3339 instant with its offset is required");
if (to === null) fail("--to: an RFC 3339 instant with its offset is required");
if (to <= from) fail("--to must be after --from");
const quarters: number[] = [];
for (let q = Math.floor(from / Q); q * Q < to; q++) quarters.push(q * 900);
if (quarters.length > MAX_QUARTERS)
  fail(`${quarters.length} quarter hours: at most ${MAX_QUARTERS} per run`);

const ch = createClickHouse(clickhouse);
try {
  const report = await repairRollup(ch, site.data, quarters);
  process.stdout.write(
    `[repair] ${site.data}: ${quarters.length} quarter hours, ${report.cells} cells compared, ${report.repaired} repaired\n`,
  );
  if (report.unsettled.length > 0) {
    const busy = report.unsettled.map((s) => new Date(s * 1000).toISOString()).join(", ");
    process.stdout.write(
      `[repair] ${report.unsettled.length} quarter hours were still being written to; ` +
        `run again later: ${busy}\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await ch.close();
}
