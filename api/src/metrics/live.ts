// The live snapshot of a site (GET /api/v1/live, and the SSE stream of the supervisor issue):
// waiting visits, agents by state, and every figure over sliding 15- and 60-minute windows and the
// site's day so far, all ending at the same instant. Computed once per site and tick and shared by
// every caller (coalesce.ts), so the number of wallboards does not change the load on ClickHouse.
import {
  DEFINITION_SET,
  intervalStart,
  type AgentCounts,
  type LiveGroup,
  type LiveQueue,
  type LiveSnapshot,
} from "@floorwatch/contracts";
import {
  agentWindowTime,
  factContactSums,
  factSurveySums,
  openAgentIntervals,
  openVisits,
  ORPHAN_AFTER_MS,
  rollupParts,
  rollupSums,
  runQuery,
  type ClickHouseClient,
  type Segment,
  type SumsRow,
} from "@floorwatch/sql";
import { segmentsOf, versionAt, versionOf, type QueueConfig, type SiteConfig } from "./config";
import { emptySums, figures, type Sums } from "./figures";
import { DRILL_FILTERS, drillLink } from "./drill";
import { toSums, withExactMaxWhereRetracted, withHistogramsWhereMisjudged } from "./report";

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
/** breaching_soon looks this far ahead (metrics.md). */
export const BREACH_LOOKAHEAD_MS = 10_000;

/** Per queue: sums of disjoint parts of a window, each with the definition version that judges it. */
type PerQueue = Map<string, { sums: Sums; version: number }[]>;
/** The starts of the live windows: 15 minutes, 60 minutes, the day's current quarter hour. */
type Windows3 = [number, number, number];

function add(into: PerQueue, queue: string, version: number, sums: Partial<Sums>) {
  const list = into.get(queue) ?? [];
  list.push({ sums: { ...emptySums(), ...sums }, version });
  into.set(queue, list);
}

/**
 * Contact and survey sums straight from the facts for windows that all end at `toMs` (from each of
 * `froms`), in one scan per table: per window, per queue and version.
 */
async function windowsFromFacts(
  ch: ClickHouseClient,
  site: string,
  tz: string,
  segments: Segment[],
  froms: Windows3,
  toMs: number,
  versionNow: (queue: string) => number,
): Promise<[PerQueue, PerQueue, PerQueue]> {
  const fromMs = Math.min(...froms);
  const range = { site, tz, from_ms: fromMs, to_ms: toMs, segments, froms };
  let [contacts, surveys] = await Promise.all([
    runQuery(ch, factContactSums, { ...range, histograms: false }),
    runQuery(ch, factSurveySums, range),
  ]);
  // Visits judged by another version than the one in force (created for an instant already past)
  // are judged again from their waits: read the histograms of those queues only.
  const misjudged = [...new Set(contacts.filter((c) => c.misjudged > 0).map((c) => c.queue))];
  if (misjudged.length > 0) {
    const again = await runQuery(ch, factContactSums, { ...range, queues: misjudged });
    contacts = [...contacts.filter((c) => !misjudged.includes(c.queue)), ...again];
  }
  // The stored rows still hold a retracted wait: where a window saw a retraction, its longest wait
  // comes from the netted facts.
  contacts = await withExactMaxWhereRetracted(ch, contacts, range);
  const out: [PerQueue, PerQueue, PerQueue] = [new Map(), new Map(), new Map()];
  for (const c of contacts) {
    const { queue, bucket, version, visits: _v, retracted: _r, ...rest } = c;
    add(out[bucket]!, queue, version, toSums(rest));
  }
  // Surveys carry no wait: no threshold judges them, any version will do.
  for (const { queue, bucket, ...rest } of surveys)
    add(out[bucket]!, queue, versionNow(queue), rest);
  return out;
}

/**
 * The day's whole quarter hours before the current one, from the rollup, kept per site between
 * ticks: they change only with the rollup's parts (an insert into one of those quarters, a merge,
 * a repair), so each tick asks ClickHouse which parts hold the range, a read of no column, and
 * reads the sums again only when that list, the range or the definition versions changed. The age
 * limit bounds what a table rebuilt under a running API (part names start again) could keep.
 */
const dayCache = new WeakMap<
  ClickHouseClient,
  Map<string, { key: string; at: number; rows: SumsRow[] }>
>();
const DAY_CACHE_MAX_AGE_MS = 5 * MINUTE;

/** Forgets what was kept: the next snapshot reads the day's quarters again (bench:metrics measures both). */
export function forgetClosedQuarters(ch: ClickHouseClient): void {
  dayCache.delete(ch);
}

async function closedQuartersOfDay(
  ch: ClickHouseClient,
  p: { site: string; tz: string; from_ms: number; to_ms: number; segments: Segment[] },
  nowMs: number,
): Promise<SumsRow[]> {
  if (p.to_ms <= p.from_ms) return [];
  const [parts] = await runQuery(ch, rollupParts, {
    site: p.site,
    from_s: Math.floor(p.from_ms / 1000),
    to_s: Math.ceil(p.to_ms / 1000),
  });
  const key = JSON.stringify([p, parts]);
  let bySite = dayCache.get(ch);
  if (!bySite) dayCache.set(ch, (bySite = new Map()));
  const hit = bySite.get(p.site);
  if (hit && hit.key === key && nowMs - hit.at < DAY_CACHE_MAX_AGE_MS) return hit.rows;

  const range = { ...p, grain: "1d" as const };
  const rows = await withExactMaxWhereRetracted(
    ch,
    await withHistogramsWhereMisjudged(ch, await runQuery(ch, rollupSums, range), range),
    range,
  );
  bySite.set(p.site, { key, at: nowMs, rows });
  return rows;
}

export async function computeLive(
  ch: ClickHouseClient,
  config: SiteConfig,
  nowMs: number,
): Promise<LiveSnapshot> {
  const { site, tz } = config;
  const segments = segmentsOf(config.queues);
  const queueOf = new Map(config.queues.map((q) => [q.queue, q]));
  const versionNow = (queue: string) =>
    queueOf.get(queue) ? versionAt(queueOf.get(queue)!, nowMs).version : 1;
  const dayStart = intervalStart(tz, "1d", nowMs);
  // Whole quarter hours of the day from the rollup, the rest from the facts.
  const quarterStart = Math.max(dayStart, Math.floor(nowMs / QUARTER) * QUARTER);
  const end = nowMs + 1; // windows end at now, inclusive of this millisecond

  const windowStarts: Windows3 = [nowMs - 15 * MINUTE, nowMs - 60 * MINUTE, quarterStart];
  const [open, agentsNow, agentTime, [w15, w60, dayTail], dayRows] = await Promise.all([
    runQuery(ch, openVisits, { site, from_ms: nowMs - ORPHAN_AFTER_MS, to_ms: nowMs }),
    runQuery(ch, openAgentIntervals, { site, to_ms: nowMs }),
    // Time in state for the three windows in one scan (agent time runs up to now itself).
    runQuery(ch, agentWindowTime, { site, froms: windowStarts, to_ms: nowMs }),
    windowsFromFacts(ch, site, tz, segments, windowStarts, end, versionNow),
    closedQuartersOfDay(ch, { site, tz, from_ms: dayStart, to_ms: quarterStart, segments }, nowMs),
  ]);

  for (const { queue, w, ...time } of agentTime)
    add([w15, w60, dayTail][w]!, queue, versionNow(queue), time);
  const today: PerQueue = dayTail;
  for (const r of dayRows) add(today, r.queue, r.version, toSums(r));
  // The rollup holds closed agent intervals only; the open ones count from their start (or the
  // day's) to the current quarter hour, after which dayTail has them.
  for (const a of agentsNow) {
    if (a.state !== "available" && a.state !== "on_contact" && a.state !== "wrap_up") continue;
    const ms = quarterStart - Math.max(a.from_ms, dayStart);
    if (ms > 0) for (const q of a.queues) add(today, q, versionNow(q), { [`${a.state}_ms`]: ms });
  }

  const counts = new Map<string, AgentCounts>();
  for (const a of agentsNow) {
    for (const q of a.queues) {
      const c = counts.get(q) ?? emptyAgentCounts();
      if (a.state !== "logged_out") {
        c.logged_in++;
        if (a.state in c) c[a.state as keyof AgentCounts]++;
      }
      counts.set(q, c);
    }
  }
  const waiting = new Map(open.map((o) => [o.queue, o.starts]));

  const names = new Set([...config.queues.map((q) => q.queue)]);
  // Windows end at now inclusive: the list reaches to the next millisecond.
  const endIso = new Date(end).toISOString();
  const drill = (queue: string, fromMs: number) =>
    drillLink(site, queue, new Date(fromMs).toISOString(), endIso);
  const segmentsIn = (w: PerQueue, queueNames: readonly string[]) =>
    queueNames.flatMap((n) =>
      (w.get(n) ?? []).map((s) => ({
        sums: s.sums,
        params: versionOf(queueOf.get(n)!, s.version),
      })),
    );
  const queues: LiveQueue[] = [...names].sort().map((name) => {
    const q: QueueConfig = queueOf.get(name)!;
    const v = versionAt(q, nowMs);
    const starts = waiting.get(name) ?? [];
    const earliest = starts.length ? Math.min(...starts) : nowMs;
    const fig = (w: PerQueue) => figures(segmentsIn(w, [name]));
    return {
      queue: name,
      channel: q.channel,
      name_zh: q.name_zh,
      name_en: q.name_en,
      waiting: starts.length,
      longest_waiting_s: Math.max(0, (nowMs - earliest) / 1000),
      breaching_soon: starts.filter(
        (s) => nowMs + BREACH_LOOKAHEAD_MS - s > v.sl_threshold_s * 1000,
      ).length,
      definition: {
        version: v.version,
        sl_threshold_s: v.sl_threshold_s,
        short_abandon_s: v.short_abandon_s,
        sl_target: v.sl_target,
      },
      agents: counts.get(name) ?? emptyAgentCounts(),
      windows: { "15m": fig(w15), "60m": fig(w60), today: fig(today) },
      drill: {
        "15m": drill(name, windowStarts[0]),
        "60m": drill(name, windowStarts[1]),
        today: drill(name, dayStart),
      },
    };
  });
  // The site and each channel as a whole: contacts summed (each visit judged by its own queue's
  // definition), agents counted once however many of the group's queues they serve.
  const group = (members: LiveQueue[]): LiveGroup => {
    const inGroup = new Set(members.map((m) => m.queue));
    const agents = emptyAgentCounts();
    for (const a of agentsNow) {
      if (a.state === "logged_out" || !a.queues.some((q) => inGroup.has(q))) continue;
      agents.logged_in++;
      if (a.state in agents) agents[a.state as keyof AgentCounts]++;
    }
    const list = [...inGroup];
    return {
      queues: members.length,
      waiting: members.reduce((n, m) => n + m.waiting, 0),
      longest_waiting_s: members.reduce((n, m) => Math.max(n, m.longest_waiting_s), 0),
      breaching_soon: members.reduce((n, m) => n + m.breaching_soon, 0),
      agents,
      windows: {
        "15m": figures(segmentsIn(w15, list)),
        "60m": figures(segmentsIn(w60, list)),
        today: figures(segmentsIn(today, list)),
      },
    };
  };
  const channels: Record<string, LiveGroup> = {};
  for (const c of [...new Set(queues.map((q) => q.channel))].sort())
    channels[c] = group(queues.filter((q) => q.channel === c));
  return {
    site,
    tz,
    as_of: new Date(nowMs).toISOString(),
    definition_set: DEFINITION_SET,
    queues,
    totals: { site: group(queues), channels },
    drill_filters: DRILL_FILTERS,
  };
}

const emptyAgentCounts = (): AgentCounts => ({
  available: 0,
  on_contact: 0,
  wrap_up: 0,
  not_ready: 0,
  logged_in: 0,
});
