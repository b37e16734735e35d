// The column tables of docs/exports.md, made from the columns the pack's files are written with:
// one source for the header a machine reads and the description a person reads, in both
// languages. `npm run docs:exports` (api/src/cli/docs-exports.ts) rewrites the part of the
// document between its markers;
// docs.test.ts fails when the document and the code differ.
import { BREACHES_COLUMNS } from "./breaches";
import { CONTACTS_COLUMNS } from "./contacts";
import { LOW_CSAT_FOLLOWUPS_COLUMNS } from "./followups";
import { PII_ACCESS_COLUMNS } from "./pii-access";
import { DAILY_QUEUE_SUMMARY_COLUMNS, INTERVAL_QUEUE_SUMMARY_COLUMNS } from "./queue-summary";
import type { Column } from "./types";

/** Every CSV file of the pack with its columns, in the pack's order. */
export const PACK_TABLES: readonly { name: string; columns: readonly Column[] }[] = [
  { name: "daily_queue_summary.csv", columns: DAILY_QUEUE_SUMMARY_COLUMNS },
  { name: "interval_queue_summary.csv", columns: INTERVAL_QUEUE_SUMMARY_COLUMNS },
  { name: "breaches.csv", columns: BREACHES_COLUMNS },
  { name: "low_csat_followups.csv", columns: LOW_CSAT_FOLLOWUPS_COLUMNS },
  { name: "contacts.csv", columns: CONTACTS_COLUMNS },
  { name: "pii_access.csv", columns: PII_ACCESS_COLUMNS },
];

export const DOC_START = "<!-- columns:start -->";
export const DOC_END = "<!-- columns:end -->";
export const DOC_PATH = new URL("../../../docs/exports.md", import.meta.url);

/** A table cell: pipes escaped, lines joined (a description may hold either). */
const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll(/\s*\n\s*/g, " ");

export function columnTables(): string {
  return PACK_TABLES.map(({ name, columns }) =>
    [
      `### ${name}`,
      "",
      "| en | zh-CN | meaning | 含义 |",
      "|---|---|---|---|",
      ...columns.map(
        (c) => `| \`${c.en}\` | ${cell(c.zh)} | ${cell(c.about_en)} | ${cell(c.about_zh)} |`,
      ),
    ].join("\n"),
  ).join("\n\n");
}

/** The document with its column tables made from the code. */
export function withColumnTables(doc: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`docs/exports.md lacks ${DOC_START} … ${DOC_END}`);
  return `${doc.slice(0, start + DOC_START.length)}\n\n${columnTables()}\n\n${doc.slice(end)}`;
}
