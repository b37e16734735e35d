// What the monthly packs screen shows, as plain functions: the months a pack can be asked for (on
// the site's calendar, never the browser's), the list newest first with the packs asked from this
// page merged in before the list has them, and the words, marks and sizes of a pack's row.
import type { ExportLang, ExportRecord, ExportStatus, ExportTrigger } from "@floorwatch/contracts";
import { formatDateTime } from "../format";
import type { Word } from "./words";

/** Months offered in the form, newest first (three years of audits). */
export const MONTHS_OFFERED = 36;

/** The month (YYYY-MM) that holds the instant `ms` on the calendar of zone `tz`. */
export const monthAt = (ms: number, tz: string): string =>
  formatDateTime(new Date(ms).toISOString(), tz).slice(0, 7);

/** `month` moved by `n` months (YYYY-MM). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, "0")}-${String(index - y * 12 + 1).padStart(2, "0")}`;
}

/**
 * The months a pack can be asked for at `nowMs`, newest first: only those that have ended on the
 * site's calendar (the API refuses the month still under way with a 400), so the first is last
 * month there. Shanghai's November starts at 16:00 UTC on 31 October: a browser in London still
 * in October then must offer October, not September.
 */
export function endedMonths(nowMs: number, tz: string, count = MONTHS_OFFERED): string[] {
  const current = monthAt(nowMs, tz);
  return Array.from({ length: count }, (_, i) => addMonths(current, -(i + 1)));
}

/** The month the form shows: the address's when it is one offered, else the newest offered. */
export function pickMonth(wanted: unknown, offered: readonly string[]): string {
  return typeof wanted === "string" && offered.includes(wanted) ? wanted : (offered[0] ?? "");
}

export const isPending = (r: Pick<ExportRecord, "status">) =>
  r.status === "queued" || r.status === "running";

/** Newest request first; two in one millisecond by id, as the API orders them. */
export function newestFirst(records: readonly ExportRecord[]): ExportRecord[] {
  return [...records].sort((a, b) =>
    a.requested_at === b.requested_at
      ? b.id > a.id
        ? 1
        : b.id < a.id
          ? -1
          : 0 // code units, as ClickHouse compares them
      : Date.parse(b.requested_at) - Date.parse(a.requested_at),
  );
}

/**
 * The list on screen: the site's listed packs, and those asked from this page that the list does
 * not have yet (its answer was on its way when the pack was asked for). The list's copy of a pack
 * wins: it is the newer word on its status.
 */
export function mergeAsked(
  listed: readonly ExportRecord[],
  asked: readonly ExportRecord[],
  site: string,
): ExportRecord[] {
  const ids = new Set(listed.map((r) => r.id));
  return newestFirst([...listed, ...asked.filter((r) => r.site === site && !ids.has(r.id))]);
}

/**
 * `next` with each record that equals its copy in `previous` replaced by that copy: a poll that
 * changes one pack re-renders only its row, and a person's focus on another row's button stays.
 */
export function keepUnchanged(
  previous: readonly ExportRecord[],
  next: readonly ExportRecord[],
): ExportRecord[] {
  const before = new Map(previous.map((r) => [r.id, r]));
  return next.map((r) => {
    const p = before.get(r.id);
    return p && sameRecord(p, r) ? p : r;
  });
}

const sameRecord = (a: ExportRecord, b: ExportRecord) => {
  const keys = Object.keys(b) as (keyof ExportRecord)[];
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
};

/** The first 12 hex digits: enough to tell packs apart on screen; the full hash is copied. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);

/** A size in bytes as a person reads it: 980 B, 12.3 kB, 4.56 MB (decimal units, as `ls -h --si`). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return "–";
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 999.95 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

export const STATUS_WORD: Record<ExportStatus, Word> = {
  queued: "status_queued",
  running: "status_running",
  done: "status_done",
  failed: "status_failed",
};

/** Each status has its own mark besides its colour and word. */
export const STATUS_ICON: Record<ExportStatus, string> = {
  queued: "○",
  running: "◔",
  done: "✓",
  failed: "✗",
};

export const TRIGGER_WORD: Record<ExportTrigger, Word> = {
  api: "trigger_api",
  schedule: "trigger_schedule",
  cli: "trigger_cli",
};

export const LANG_WORD: Record<ExportLang, Word> = { en: "langEn", "zh-CN": "langZh" };

/** What a Download button may do for this token: a pack with personal data needs the grant. */
export function downloadable(
  r: ExportRecord,
  tokenPii: boolean,
): "yes" | "not-ready" | "needs-pii" {
  if (r.status !== "done" || !r.download) return "not-ready";
  return r.personal_data && !tokenPii ? "needs-pii" : "yes";
}
