// GET /api/v1/reports/intervals: one row per interval of the site's calendar and queue, every
// figure of metrics.md, with the definition versions used and the restated flag.
import {
  DEFINITION_SET,
  formatLocal,
  intervalStarts,
  nextIntervalStart,
  type DefinitionUsed,
  type Grain,
  type QueueFigures,
  type ReportResponse,
  type ReportRow,
} from "@floorwatch/contracts";
import {
  factContactSums,
  firstPublications,
  insertRows,
  openAgentIntervals,
  PUBLICATIONS_TABLE,
  rollupHistograms,
  rollupSums,
  runQuery,
  type ClickHouseClient,
  type SumsRow,
} from "@floorwatch/sql";
import {
  defaultQueue,
  describeVersion,
  segmentsOf,
  versionAt,
  versionOf,
  type QueueConfig,
  type SiteConfig,
  type Version,
} from "./config";
import { DRILL_FILTERS, drillLink } from "./drill";
import { EMPTY_HIST, emptySums, figures, type Sums } from "./figures";

/** More intervals than this in one report is a request for the wrong interval. */
export const MAX_INTERVALS = 3_000;

/** A range the report cannot be made for; its message is for the caller. */
export class ReportRangeError extends RangeError {}

export interface ReportRequest {
  from_ms: number;
  to_ms: number;
  grain: Grain;
  queue?: string;
  channel?: string;
}

/** Sums from a query row: the columns Sums knows, the max only where a visit ended, and the
 * rollup's judgements when no visit of the row was judged by another version. */
export function toSums(
  r: {
    offered: number;
    max_wait_ms: number;
    answered_within_sl?: number;
    short_abandoned?: number;
    misjudged?: number;
  } & Partial<Omit<Sums, "max_wait_ms" | "judged">>,
): Sums {
  const s = emptySums();
  const target = s as unknown as Record<string, unknown>;
  for (const k of Object.keys(s) as (keyof Sums)[])
    if (k !== "judged" && r[k as keyof typeof r] !== undefined) target[k] = r[k as keyof typeof r];
  s.max_wait_ms = r.offered > 0 ? r.max_wait_ms : null;
  if (r.misjudged === 0)
    s.judged = {
      answered_within_sl: r.answered_within_sl ?? 0,
      short_abandoned: r.short_abandoned ?? 0,
    };
  return s;
}

/**
 * Rollup rows with their histograms attached where a visit was judged by another version than the
 * one in force (a version created for an instant already past): those cells are judged again here.
 */
export async function withHistogramsWhereMisjudged<R extends SumsRow>(
  ch: ClickHouseClient,
  rows: R[],
  params: Parameters<typeof rollupHistograms.build>[0],
): Promise<(R & Partial<Pick<Sums, "answered_hist" | "abandoned_hist">>)[]> {
  const misjudged = rows.filter((r) => r.misjudged > 0);
  if (misjudged.length === 0) return rows;
  const hists = await runQuery(ch, rollupHistograms, {
    ...params,
    queues: [...new Set(misjudged.map((r) => r.queue))],
  });
  const byKey = new Map(hists.map((h) => [`${h.queue}\u0000${h.bucket}\u0000${h.version}`, h]));
  return rows.map((r) => {
    if (r.misjudged === 0) return r;
    const h = byKey.get(`${r.queue}\u0000${r.bucket}\u0000${r.version}`);
    return {
      ...r,
      answered_hist: h?.answered_hist ?? EMPTY_HIST,
      abandoned_hist: h?.abandoned_hist ?? EMPTY_HIST,
    };
  });
}

/**
 * Rows whose cell saw a retraction, with the longest wait read from the netted facts: the rollup's
 * maximum, like that of the stored fact rows, still holds the retracted wait. `params` must bucket
 * the facts as the rows are (the same grain, or the same windows).
 */
export async function withExactMaxWhereRetracted<
  R extends {
    queue: string;
    bucket: number;
    version: number;
    retracted: number;
    max_wait_ms: number;
  },
>(
  ch: ClickHouseClient,
  rows: R[],
  params: Omit<Parameters<typeof factContactSums.build>[0], "queues" | "histograms" | "exact">,
): Promise<R[]> {
  const retracted = rows.filter((r) => r.retracted > 0);
  if (retracted.length === 0) return rows;
  const exact = await runQuery(ch, factContactSums, {
    ...params,
    histograms: false,
    exact: true,
    queues: [...new Set(retracted.map((r) => r.queue))],
  });
  const cell = (r: { queue: string; bucket: number; version: number }) =>
    `${r.queue}\u0000${r.bucket}\u0000${r.version}`;
  const maxOf = new Map(exact.map((e) => [cell(e), e.max_wait_ms]));
  for (const r of retracted) r.max_wait_ms = maxOf.get(cell(r)) ?? 0;
  return rows;
}

/**
 * The rollup's sums per queue, interval and version of a range, with the histograms of the cells
 * another version judged and the exact longest wait of those that saw a retraction: what a
 * report's figures (and the TV's trends, which must equal them) are computed from.
 */
export async function rollupCellSums(
  ch: ClickHouseClient,
  params: Parameters<typeof rollupSums.build>[0],
) {
  return withExactMaxWhereRetracted(
    ch,
    await withHistogramsWhereMisjudged(ch, await runQuery(ch, rollupSums, params), params),
    params,
  );
}

const key = (queue: string, bucket: number) => `${queue}\u0000${bucket}`;

/**
 * The figures the "1:" and "2:" digests were taken over, in their order: the volumes added since
 * (csat_responses, nps_responses, fcr_responses) must not make every interval published before
 * them look restated.
 */
const FIGURES_BEFORE_V3 = [
  "offered",
  "answered",
  "abandoned",
  "short_abandoned",
  "answered_within_sl",
  "service_level",
  "abandon_rate",
  "asa_s",
  "max_wait_s",
  "callbacks",
  "flowed_out",
  "handled",
  "aht_s",
  "resolution_rate",
  "transfer_rate",
  "first_response_s",
  "csat",
  "nps",
  "fcr_survey",
  "low_csat",
  "occupancy",
  "orphaned",
] as const satisfies readonly (keyof QueueFigures)[];

function bitsDigest(values: readonly (number | null)[], versions: readonly number[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (x: number) => {
    h1 = Math.imul(h1 ^ x, 2654435761);
    h2 = Math.imul(h2 ^ x, 1597334677);
  };
  for (const v of values) {
    if (v === null)
      mix(0x7ff80001); // a NaN payload no figure can have
    else {
      BITS_F64[0] = v;
      mix(BITS_U32[0]!);
      mix(BITS_U32[1]!);
    }
  }
  mix(0xffffffff);
  for (const v of versions) mix(v);
  return finish(h1, h2);
}

/**
 * A fingerprint of a row's figures and versions, to tell a restated interval from the one first
 * published: 53 bits (cyrb53's mixing) over the figures' IEEE-754 bits, "3:"-prefixed. A collision
 * (2^-53) would only hide one restatement flag. Hashing the numbers' bits, not their decimal
 * text, is what keeps a 4,800-row day report within its time (the text cost 50 ms of it).
 */
export function digestOf(f: QueueFigures, versions: readonly number[]): string {
  return `3:${bitsDigest(Object.values(f) as (number | null)[], versions)}`;
}

/** The "2:" digest: the same, over the figures published before the volumes were added. */
export function digestOfV2(f: QueueFigures, versions: readonly number[]): string {
  return `2:${bitsDigest(
    FIGURES_BEFORE_V3.map((k) => f[k]),
    versions,
  )}`;
}

const BITS_F64 = new Float64Array(1);
const BITS_U32 = new Uint32Array(BITS_F64.buffer);

function finish(a: number, b: number): string {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The first digest (over the figures' text), for intervals first published before "2:" digests. */
export function digestOfV1(f: QueueFigures, versions: readonly number[]): string {
  const text = `${FIGURES_BEFORE_V3.map((k) => f[k]).join(",")}|${versions.join(",")}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return finish(h1, h2);
}

/** Whether figures differ from those first published under `first`, whichever digest made it. */
export function restatedSince(
  first: string,
  f: QueueFigures,
  versions: readonly number[],
): boolean {
  if (first.startsWith("3:")) return first !== digestOf(f, versions);
  if (first.startsWith("2:")) return first !== digestOfV2(f, versions);
  return first !== digestOfV1(f, versions);
}

export async function buildReport(
  ch: ClickHouseClient,
  config: SiteConfig,
  req: ReportRequest,
  nowMs: number,
): Promise<ReportResponse> {
  const { tz, site } = config;
  let starts: number[];
  try {
    starts = intervalStarts(tz, req.grain, req.from_ms, req.to_ms, MAX_INTERVALS);
  } catch {
    throw new ReportRangeError(
      `more than ${MAX_INTERVALS} intervals of ${req.grain}: choose a coarser interval or a shorter range`,
    );
  }
  if (starts.length === 0) throw new ReportRangeError("the range holds no interval");
  const ends = starts.map((s) => nextIntervalStart(tz, req.grain, s));
  const from = starts[0]!;
  const to = ends.at(-1)!;

  let queues = config.queues.filter(
    (q) => (!req.queue || q.queue === req.queue) && (!req.channel || q.channel === req.channel),
  );
  if (req.queue && queues.length === 0 && !req.channel) queues = [defaultQueue(req.queue)];
  const names = queues.map((q) => q.queue);
  const segments = segmentsOf(queues);
  const params = { site, tz, grain: req.grain, from_ms: from, to_ms: to, queues: names, segments };

  // The three reads do not depend on each other: one round trip's time, not three.
  const needOpen = from < nowMs && names.length > 0;
  const needPublished = starts.some((_, i) => ends[i]! <= nowMs);
  const [rows, openAgents, publications] = await Promise.all([
    names.length ? rollupCellSums(ch, params) : Promise.resolve([]),
    needOpen
      ? runQuery(ch, openAgentIntervals, { site, to_ms: Math.min(to, nowMs) })
      : Promise.resolve([]),
    needPublished
      ? runQuery(ch, firstPublications, {
          site,
          grain: req.grain,
          from_ms: from,
          to_ms: to,
          // The report's queues only, as the rollup's read names them.
          queues: names,
        })
      : Promise.resolve([]),
  ]);
  const byCell = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const k = key(r.queue, r.bucket * 1000);
    const list = byCell.get(k);
    if (list) list.push(r);
    else byCell.set(k, [r]);
  }

  // Open agent intervals (current states) count up to now; the rollup holds only closed ones.
  const openTime = new Map<
    string,
    { available_ms: number; on_contact_ms: number; wrap_up_ms: number }
  >();
  if (needOpen) {
    const wanted = new Set(names);
    for (const a of openAgents) {
      if (a.state !== "available" && a.state !== "on_contact" && a.state !== "wrap_up") continue;
      const field = `${a.state}_ms` as const;
      starts.forEach((s, i) => {
        const ms = Math.min(ends[i]!, nowMs) - Math.max(s, a.from_ms);
        if (ms <= 0) return;
        for (const q of a.queues) {
          if (!wanted.has(q)) continue;
          const k = key(q, s);
          const t = openTime.get(k) ?? { available_ms: 0, on_contact_ms: 0, wrap_up_ms: 0 };
          t[field] += ms;
          openTime.set(k, t);
        }
      });
    }
  }

  const published = new Map(publications.map((p) => [key(p.queue, p.bucket_ms), p.digest]));
  const toPublish: {
    site: string;
    grain: string;
    queue: string;
    bucket_ms: number;
    digest: string;
    published_ms: number;
  }[] = [];

  // Labels once per interval, not once per interval and queue: Intl formatting is the slow part.
  const startLabels = starts.map((s) => formatLocal(config.tz, s));
  const descriptions = new Map<object, DefinitionUsed>();
  const described = (v: Version) =>
    descriptions.get(v) ?? descriptions.set(v, describeVersion(v)).get(v)!;
  const endLabels = ends.map((e) => formatLocal(config.tz, e));
  const out: ReportRow[] = [];
  for (const q of queues) {
    starts.forEach((s, i) => {
      const end = ends[i]!;
      const k = key(q.queue, s);
      const cells = byCell.get(k) ?? [];
      const segs = cells.map((c) => ({ sums: toSums(c), params: versionOf(q, c.version) }));
      const open = openTime.get(k);
      if (open) segs.push({ sums: { ...emptySums(), ...open }, params: versionAt(q, s) });
      const versions = cells.length
        ? [...new Set(cells.map((c) => c.version))]
            .sort((a, b) => a - b)
            .map((v) => versionOf(q, v))
        : [versionAt(q, s)];
      const f = figures(segs);
      const closed = end <= nowMs;
      let restated = false;
      if (closed) {
        const first = published.get(k);
        const used = versions.map((v) => v.version);
        if (first === undefined)
          toPublish.push({
            site,
            grain: req.grain,
            queue: q.queue,
            bucket_ms: s,
            digest: digestOf(f, used),
            published_ms: nowMs,
          });
        else restated = restatedSince(first, f, used);
      }
      // The row is the figures object with its labels added in place: a spread copy of thousands
      // of 30-field rows cost a day report more than its ClickHouse query.
      out.push(
        Object.assign(f, {
          interval_start: startLabels[i]!,
          interval_end: endLabels[i]!,
          queue: q.queue,
          channel: q.channel,
          definition: { set: DEFINITION_SET, versions: versions.map(described) },
          closed,
          restated,
          drill: drillLink(site, q.queue, startLabels[i]!, endLabels[i]!),
        }),
      );
    });
  }
  await insertRows(ch, PUBLICATIONS_TABLE, toPublish);
  return {
    site,
    tz,
    interval: req.grain,
    from: formatLocal(tz, from),
    to: formatLocal(tz, to),
    definition_set: DEFINITION_SET,
    generated_at: new Date(nowMs).toISOString(),
    rows: out,
    drill_filters: DRILL_FILTERS,
  };
}

export type { QueueConfig };
