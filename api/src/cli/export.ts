// `npm run export -- --site … --month 2026-10 [--lang zh-CN|en] [--out …] [--pii]`: one site's
// monthly compliance pack from the command line (docs/exports.md).
//
// --out ending in .zip writes a zip; any other path a directory of the files. Without --out:
// ./floorwatch_<site>_<month>_<lang>.zip. --pii includes phone numbers and comments; it is
// written to the audit log, as every export is, with the operator's name. The pack is recorded in
// the exports table like those the API makes, so a later pack of a restated month names this one.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ExportLang, Month, SiteId } from "@floorwatch/contracts";
import {
  clickhouseConfig,
  createClickHouse,
  EXPORTS_TABLE,
  insertRows,
  migrate,
  PACK_REQUEST_TIMEOUT_MS,
  runQuery,
  siteSeen,
} from "@floorwatch/sql";
import { writeAudit } from "../auth/audit";
import { env } from "../env";
import { generatePack, PackMonthError, packContext } from "../exports/pack";
import { exportRow, fileNameOf } from "../exports/service";

const USAGE =
  "usage: npm run export -- --site <site> --month YYYY-MM [--lang en|zh-CN] [--out <file.zip|dir>] [--pii]";
const fail = (msg: string): never => {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
};

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        site: { type: "string" },
        month: { type: "string" },
        lang: { type: "string", default: "en" },
        out: { type: "string" },
        pii: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();

const check = <T>(
  name: string,
  schema: {
    safeParse(v: unknown): {
      success: boolean;
      data?: T;
      error?: { issues: { message: string }[] };
    };
  },
  v: unknown,
): T => {
  const r = schema.safeParse(v);
  if (!r.success) return fail(`--${name}: ${r.error?.issues[0]?.message ?? "invalid"}`);
  return r.data as T;
};
const site = check<string>("site", SiteId, values.site);
const month = check<string>("month", Month, values.month);
const lang = check<ExportLang>("lang", ExportLang, values.lang);

const config = clickhouseConfig(env);
await migrate(config);
const ch = createClickHouse(config, { requestTimeoutMs: PACK_REQUEST_TIMEOUT_MS });
const actor = { id: "cli", name: `cli:${env.USER}`, role: "admin" };
const row = exportRow(
  { site, month, lang, personalData: values.pii, trigger: "cli", actor },
  Date.now(),
);
const out = resolve(values.out ?? fileNameOf(row));
try {
  // A misspelt site would otherwise make an empty pack in the default zone and record it.
  const [known] = await runQuery(ch, siteSeen, { site });
  if (!known?.seen) fail(`--site: no site ${site} (never configured, never sent an event)`);
  // The month is checked before the audit entry: a refused export read nothing, and an entry with
  // personal data would be listed in that month's pii_access.csv as a read.
  const ctx = await packContext(ch, {
    site,
    month,
    lang,
    personalData: values.pii,
  });
  await writeAudit(ch, actor, "export", {
    site,
    target: row.export_id,
    detail: { month, lang, personal_data: values.pii, out },
  });
  const made = await generatePack(
    ch,
    { site, month, lang, personalData: values.pii },
    out.endsWith(".zip") ? { zipPath: out } : { dir: out },
    { exportId: row.export_id, ctx },
  );
  const finished = Date.now();
  await insertRows(ch, EXPORTS_TABLE, [
    {
      ...row,
      status: "done",
      finished_ms: finished,
      // A directory has no one hash of its own: its manifest holds each file's.
      bytes: out.endsWith(".zip") ? made.bytes : 0,
      sha256: out.endsWith(".zip") ? made.sha256 : "",
      manifest: JSON.stringify(made.manifest),
      restated: made.manifest.restated ? 1 : 0,
      updated_ms: finished,
    },
  ]);
  const rows = made.manifest.files.map(
    (f) => `  ${f.name}: ${f.rows ?? "-"} rows, ${f.bytes} bytes`,
  );
  process.stdout.write(
    `${[
      `${out}`,
      ...rows,
      made.manifest.restated
        ? `restated since ${made.manifest.restated.earlier_generated_at} (export ${made.manifest.restated.earlier_id}): ${made.manifest.restated.changed.join(", ")}`
        : "",
      `sha256 ${made.sha256}`,
    ]
      .filter(Boolean)
      .join("\n")}\n`,
  );
} catch (err) {
  if (err instanceof PackMonthError) fail(err.message);
  throw err;
} finally {
  await ch.close();
}
