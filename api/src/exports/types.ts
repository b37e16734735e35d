// The parts of a monthly compliance pack (issue #15, docs/exports.md) and what each is made from.
// pack.ts assembles them; each CSV file is a module that turns the month into a header and rows,
// and never sees how they are encoded, hashed or zipped.
import type { Cell, ExportLang } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import type { SiteConfig } from "../metrics/config";

export type { Cell };

/** What every file of one pack is made for. */
export interface PackContext {
  ch: ClickHouseClient;
  site: string;
  /** YYYY-MM, the site's local calendar. */
  month: string;
  /** The site's time zone and queues with their definition versions (loadSiteConfig). */
  config: SiteConfig;
  /** The month's first instant (local midnight of the 1st) and the next month's. */
  from_ms: number;
  to_ms: number;
  lang: ExportLang;
  /** Phones unmasked and comments included (a pii-granted export, audited by the caller). */
  personalData: boolean;
  /**
   * The clock the figures are judged by (closed intervals, follow-ups overdue): the time the pack is
   * made. Nothing of it may reach a data file except through figures that depend on it.
   */
  nowMs: number;
}

/**
 * One column: its English name (metrics.md's where it is a figure), its Chinese header, and what it
 * holds in both languages. docs/exports.md's column tables are generated from these
 * (`npm run docs:exports`), and a unit test keeps the document in step with the code.
 */
export interface Column {
  en: string;
  zh: string;
  about_en: string;
  about_zh: string;
}

/** A CSV file of the pack: the header in the pack's language, then rows in a fixed order. */
export interface TableFile {
  name: string;
  columns: readonly Column[];
  /** Rows in a deterministic order; each as many cells as columns. */
  rows: AsyncIterable<readonly Cell[]>;
}

export function headerOf(columns: readonly Column[], lang: ExportLang): string[] {
  return columns.map((c) => (lang === "en" ? c.en : c.zh));
}
