// Compliance packs made on request (POST /api/v1/exports) and on schedule: each export's record in
// the exports table (0013), its zip under EXPORT_DIR, and the one-at-a-time runner that makes them.
//
// A pack reads a month of a site from ClickHouse; two at once would only halve each one's speed
// and double the memory, so a process makes them one after another, in the order asked. While an
// export waits or runs, its process rewrites its record every HEARTBEAT_MS: a record that stopped
// being rewritten (its process died) reads as failed, "interrupted", and can be asked for again.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ExportLang, ExportRecord, ExportTrigger } from "@floorwatch/contracts";
import {
  type ClickHouseClient,
  EXPORTS_TABLE,
  type ExportRow,
  errorFields,
  insertRows,
  listSites,
  loadExports,
  type Logger,
  runQuery,
} from "@floorwatch/sql";
import { loadSiteConfig } from "../metrics/config";
import { generatePack, monthBounds, previousMonth } from "./pack";

export const HEARTBEAT_MS = 15_000;
/** A waiting or running record not rewritten for this long belongs to a process that died. */
export const STALE_AFTER_MS = 4 * HEARTBEAT_MS;
/** How long the schedule waits before making a month again whose pack failed. */
export const RETRY_FAILED_MS = 3_600_000;

export interface ExportActor {
  id: string;
  name: string;
}

export interface ExportAsk {
  site: string;
  month: string;
  lang: ExportLang;
  personalData: boolean;
  trigger: ExportTrigger;
  actor: ExportActor;
  /** A fixed id (the scheduler's, so two processes asking for one month ask for one export). */
  id?: string;
}

export interface ScheduleOptions {
  /** Made after the 1st's local midnight plus this (EXPORT_GRACE_HOURS: late events, follow-ups due). */
  graceMs: number;
  /** Languages of the scheduled packs. */
  langs: readonly ExportLang[];
  /** How often the leader looks for a month to make. */
  checkMs: number;
}

export interface ExportService {
  /** Records the export as queued and starts it (after those already waiting in this process). */
  create(ask: ExportAsk): Promise<ExportRow>;
  get(id: string): Promise<ExportRow | undefined>;
  list(site: string, month?: string): Promise<ExportRow[]>;
  /** Where a done export's zip is. */
  pathOf(row: ExportRow): string;
  /** The record as the API shows it. */
  toRecord(row: ExportRow): ExportRecord;
  /** The scheduler runs only while leader (the alert election's verdict). */
  setLeader(leader: boolean): void;
  /** Looks for a last month to make now (the scheduler's tick; tests call it). */
  scheduleNow(): Promise<string[]>;
  /** Resolves when nothing waits or runs in this process. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The download's name: what the person sees in their downloads folder. */
export function fileNameOf(row: Pick<ExportRow, "site" | "month" | "lang" | "personal_data">) {
  return `floorwatch_${row.site}_${row.month}_${row.lang}${row.personal_data ? "_pii" : ""}.zip`;
}

/** A scheduled export's id: the same for every process that schedules that site, month and language. */
export function scheduledId(site: string, month: string, lang: string): string {
  const h = createHash("sha256")
    .update(`schedule\u0000${site}\u0000${month}\u0000${lang}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An export's first record: queued, by whom, for what. */
export function exportRow(ask: ExportAsk, at: number): ExportRow {
  return {
    export_id: ask.id ?? randomUUID(),
    site: ask.site,
    month: ask.month,
    lang: ask.lang,
    personal_data: ask.personalData ? 1 : 0,
    status: "queued",
    trigger: ask.trigger,
    requested_by_id: ask.actor.id,
    requested_by: ask.actor.name,
    requested_ms: at,
    finished_ms: 0,
    error: "",
    bytes: 0,
    sha256: "",
    path: "",
    manifest: "",
    restated: 0,
    updated_ms: at - 1,
  };
}

const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);

export function makeExportService(opts: {
  ch: ClickHouseClient;
  log: Logger;
  dir: string;
  now?: () => number;
  schedule?: ScheduleOptions;
}): ExportService {
  const { ch, log, dir } = opts;
  const now = opts.now ?? Date.now;
  /** Exports of this process waiting or being made (their records are kept alive). */
  const pending = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let leader = false;
  let stopped = false;

  /**
   * Writes the next version of an export's record. Every write of this process starts from the
   * last one it wrote (the heartbeat's included) and is later than it, even under a clock that
   * stands still (tests pin it): argMax(…, updated_ms) must never see two versions tie, nor an
   * earlier status win over "done".
   */
  const latest = new Map<string, ExportRow>();
  const write = async (id: string, change: Partial<ExportRow>) => {
    const last = latest.get(id)!;
    const next = { ...last, ...change, updated_ms: Math.max(now(), last.updated_ms + 1) };
    latest.set(id, next);
    await insertRows(ch, EXPORTS_TABLE, [next]);
    return next;
  };

  const heartbeat = setInterval(() => {
    for (const id of pending)
      write(id, {}).catch((err: unknown) =>
        log.warn("export heartbeat failed", { id, ...errorFields(err) }),
      );
  }, HEARTBEAT_MS);
  heartbeat.unref();

  async function run(id: string): Promise<void> {
    const row = latest.get(id)!;
    try {
      await write(id, { status: "running" });
      const rel = join(row.site, row.month, `${row.export_id}.zip`);
      await mkdir(join(dir, row.site, row.month), { recursive: true });
      const started = now();
      const made = await generatePack(
        ch,
        {
          site: row.site,
          month: row.month,
          lang: row.lang as ExportLang,
          personalData: row.personal_data === 1,
          nowMs: started,
        },
        { zipPath: join(dir, rel) },
        { exportId: row.export_id },
      );
      pending.delete(id);
      await write(id, {
        status: "done",
        finished_ms: now(),
        bytes: made.bytes,
        sha256: made.sha256,
        path: rel,
        manifest: JSON.stringify(made.manifest),
        restated: made.manifest.restated ? 1 : 0,
      });
      log.info("export done", { id, site: row.site, month: row.month, ms: now() - started });
    } catch (err) {
      pending.delete(id);
      log.error("export failed", { id, site: row.site, month: row.month, ...errorFields(err) });
      await write(id, {
        status: "failed",
        finished_ms: now(),
        error: err instanceof Error ? err.message : String(err),
      }).catch((e: unknown) => log.error("export failure not recorded", { id, ...errorFields(e) }));
    } finally {
      latest.delete(id);
    }
  }

  async function create(ask: ExportAsk): Promise<ExportRow> {
    const row = exportRow(ask, now());
    const id = row.export_id;
    latest.set(id, row);
    const queued = await write(id, {}).catch((err: unknown) => {
      latest.delete(id);
      throw err;
    });
    pending.add(id);
    // run() records its own failures; anything it could not record must not stop the queue.
    chain = chain
      .then(() => run(id))
      .catch((err: unknown) => log.error("export runner failed", { id, ...errorFields(err) }));
    return queued;
  }

  /** A record whose process stopped rewriting it reads as failed. */
  const judged = (row: ExportRow): ExportRow =>
    (row.status === "queued" || row.status === "running") &&
    !pending.has(row.export_id) &&
    now() - row.updated_ms > STALE_AFTER_MS
      ? {
          ...row,
          status: "failed",
          error: "interrupted: the process making it stopped; ask for the export again",
        }
      : row;

  async function scheduleNow(): Promise<string[]> {
    const s = opts.schedule;
    if (!s) return [];
    const made: string[] = [];
    const at = now();
    for (const { site } of await runQuery(ch, listSites, {})) {
      const { tz } = await loadSiteConfig(ch, site);
      const month = previousMonth(tz, at);
      if (at < monthBounds(tz, month).to_ms + s.graceMs) continue;
      for (const lang of s.langs) {
        const id = scheduledId(site, month, lang);
        const [existing] = await runQuery(ch, loadExports, { site, id });
        const seen = existing && judged(existing);
        // A month that failed is tried again, but not every minute: once an hour.
        if (seen && (seen.status !== "failed" || at - seen.updated_ms < RETRY_FAILED_MS)) continue;
        if (pending.has(id)) continue;
        await create({
          id,
          site,
          month,
          lang,
          personalData: false,
          trigger: "schedule",
          actor: { id: "schedule", name: "floorwatch (schedule)" },
        });
        made.push(id);
      }
    }
    return made;
  }

  let ticking = false;
  const scheduler = opts.schedule
    ? setInterval(() => {
        if (!leader || stopped || ticking) return;
        ticking = true;
        scheduleNow()
          .catch((err: unknown) => log.warn("export schedule failed", errorFields(err)))
          .finally(() => {
            ticking = false;
          });
      }, opts.schedule.checkMs)
    : undefined;
  scheduler?.unref();

  return {
    create,
    async get(id) {
      const [row] = await runQuery(ch, loadExports, { id });
      return row && judged(row);
    },
    async list(site, month) {
      return (await runQuery(ch, loadExports, { site, month })).map(judged);
    },
    pathOf: (row) => join(dir, row.path),
    toRecord(row): ExportRecord {
      return {
        id: row.export_id,
        site: row.site,
        month: row.month,
        lang: row.lang as ExportLang,
        personal_data: row.personal_data === 1,
        status: row.status as ExportRecord["status"],
        trigger: row.trigger as ExportTrigger,
        requested_by: row.requested_by,
        requested_at: new Date(row.requested_ms).toISOString(),
        finished_at: iso(row.finished_ms),
        error: row.error || null,
        bytes: row.status === "done" ? row.bytes : null,
        sha256: row.sha256 || null,
        restated: row.restated === 1,
        // A command-line pack was written where its operator said, not kept here: nothing to download.
        download: row.status === "done" && row.path ? `/api/v1/exports/${row.export_id}` : null,
        file_name: fileNameOf(row),
      };
    },
    setLeader(l) {
      leader = l;
    },
    scheduleNow,
    async idle() {
      let seen: Promise<void>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },
    // An export still running is left to die with the process: its record goes stale and reads
    // as interrupted, and it can be asked for again. Waiting could hold a shutdown for minutes.
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      if (scheduler) clearInterval(scheduler);
    },
  };
}

/** Whether a done export's zip is still where it was written (EXPORT_DIR may be cleaned). */
export async function zipExists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
