// The contacts.csv part of a pack alone, as bench:export's child process: the file's rows streamed
// from ClickHouse, encoded (BOM, header, csvLine) and hashed as the pack encodes and hashes them,
// and written to /dev/null instead of a zip. Prints one JSON line: rows, bytes, ms, and the
// process's own peak resident memory (VmHWM).
//   node --import tsx bench/export-contacts.ts <site> <month>   (CLICKHOUSE_DATABASE names the data)
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { CSV_BOM, csvLine } from "@floorwatch/contracts";
import { clickhouseConfig, createClickHouse } from "@floorwatch/sql";
import { contactsFile } from "../api/src/exports/contacts";
import { packContext } from "../api/src/exports/pack";
import { headerOf } from "../api/src/exports/types";
import { env } from "../api/src/env";

const [site, month] = process.argv.slice(2);
if (!site || !month) throw new Error("usage: export-contacts.ts <site> <month>");
const ch = createClickHouse(clickhouseConfig(env));
const t0 = performance.now();
const ctx = await packContext(ch, { site, month, lang: "en", personalData: false });
const file = contactsFile(ctx);
const sink = await open("/dev/null", "w");
const hash = createHash("sha256");
let text = CSV_BOM + csvLine(headerOf(file.columns, "en"));
let rows = 0;
let bytes = 0;
const flush = async () => {
  const buf = Buffer.from(text);
  hash.update(buf);
  bytes += buf.length;
  await sink.write(buf);
  text = "";
};
for await (const row of file.rows) {
  text += csvLine(row);
  rows++;
  if (text.length >= 64 * 1024) await flush();
}
await flush();
const ms = performance.now() - t0;
await sink.close();
await ch.close();
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
process.stdout.write(
  `${JSON.stringify({ rows, bytes, ms, sha256: hash.digest("hex"), hwmKiB: Number(hwm) })}\n`,
);
