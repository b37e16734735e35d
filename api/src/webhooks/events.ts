// Stored alert transitions and acknowledgements → the events subscriptions receive
// (contracts/src/webhooks.ts WebhookEvent), and whether a subscription wants one. Pure but for the
// site's name, zone and queue names, which the caller reads once per batch (siteInfo).
import {
  formatLocal,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookTime,
} from "@floorwatch/contracts";
import { loadSites, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import type { AlertDetail } from "../alerts/evaluator";
import { FOLLOWUP_FIGURE } from "../alerts/evaluator";
import { evidenceLink, type TransitionLike } from "../alerts/record";
import { loadSiteConfig } from "../metrics/config";
import type { Subscription } from "./types";

/** What an event needs to know of its site. */
export interface SiteInfo {
  id: string;
  name: string;
  tz: string;
  queues: Map<string, { name: string; name_zh: string }>;
}

export async function siteInfo(ch: ClickHouseClient, site: string): Promise<SiteInfo> {
  const [config, rows] = await Promise.all([
    loadSiteConfig(ch, site),
    runQuery(ch, loadSites, { sites: [site] }),
  ]);
  return {
    id: site,
    name: rows[0]?.name || site,
    tz: config.tz,
    queues: new Map(
      config.queues.map((q) => [q.queue, { name: q.name_en || q.queue, name_zh: q.name_zh }]),
    ),
  };
}

/** One stored firing or resolution, as loadTransitionsRecordedSince reads it. */
export type TransitionIn = Omit<TransitionLike, "kind"> & {
  site: string;
  kind: "firing" | "resolved";
};

export interface AckIn {
  by_name: string;
  at_ms: number;
  note: string;
}

/** The event type of a transition, or null when it makes none (a follow-up's end). */
export function typeOfTransition(
  kind: "firing" | "resolved",
  figure: string,
): WebhookEventType | null {
  if (figure === FOLLOWUP_FIGURE) return kind === "firing" ? "followup.overdue" : null;
  return kind === "firing" ? "alert.firing" : "alert.resolved";
}

/** The key that makes an event itself: the same transition read twice is one event. */
export const eventKeyOf = (
  e:
    | { kind: "transition"; alert_id: string; transition: string }
    | { kind: "ack"; alert_id: string; at_ms: number },
) => (e.kind === "transition" ? `${e.alert_id}:${e.transition}` : `ack:${e.alert_id}:${e.at_ms}`);

const timeOf = (tz: string, ms: number): WebhookTime => ({
  utc: new Date(ms).toISOString(),
  local: formatLocal(tz, ms),
});

const withBase = (publicUrl: string | undefined, path: string) =>
  `${(publicUrl ?? "").replace(/\/+$/, "")}${path}`;

export const drillOf = (site: string, alertId: string, publicUrl?: string) =>
  withBase(publicUrl, evidenceLink(site, alertId));

/** The breach's page in the wallboard app: the figure, its rule and the contacts behind it. */
export const pageOf = (site: string, alertId: string, publicUrl?: string) =>
  withBase(publicUrl, `/qa/breaches/${alertId}?site=${site}`);

/**
 * The event of a transition (`ack` absent), or of an acknowledgement of the alert `t` fired (`ack`
 * set; `t` is then the alert's firing or latest transition).
 */
export function eventOf(
  site: SiteInfo,
  t: TransitionIn,
  opts: { ack?: AckIn | null; acknowledging?: boolean; publicUrl?: string },
): WebhookEvent | null {
  const d = JSON.parse(t.detail) as AlertDetail;
  const type: WebhookEventType | null = opts.acknowledging
    ? "alert.acknowledged"
    : typeOfTransition(t.kind, d.figure);
  if (!type) return null;
  const ack = opts.ack ?? null;
  const fired = t.fired_ms > 0 ? t.fired_ms : t.kind === "firing" ? t.at_ms : 0;
  const resolved = t.kind === "resolved" ? t.at_ms : null;
  const at = opts.acknowledging && ack ? ack.at_ms : t.at_ms;
  const queue = d.scope.queue;
  const names = queue ? site.queues.get(queue) : undefined;
  const duration =
    type === "alert.resolved"
      ? (t.at_ms - fired) / 1000
      : type === "alert.acknowledged"
        ? (at - (fired || t.since_ms)) / 1000
        : (t.at_ms - t.since_ms) / 1000;
  return {
    type,
    timestamp: new Date(at).toISOString(),
    data: {
      site: { id: site.id, name: site.name, tz: site.tz },
      alert_id: t.alert_id,
      transition:
        type === "alert.acknowledged"
          ? "acknowledged"
          : type === "followup.overdue"
            ? "overdue"
            : t.kind,
      rule: {
        id: t.rule_id,
        version: t.rule_version,
        name: d.rule_name,
        name_zh: d.rule_name_zh,
        severity: d.severity,
        labels: d.labels,
      },
      scope: d.scope,
      queue: queue
        ? { id: queue, name: names?.name ?? queue, name_zh: names?.name_zh ?? "" }
        : null,
      figure: d.figure,
      window: d.window,
      comparator: d.comparator,
      value: Number.isFinite(t.value) ? t.value : null,
      threshold: d.threshold,
      recovery_threshold: d.recovery_threshold,
      peak: t.peak_ms > 0 ? t.peak : null,
      definition_version: d.definition_version,
      since: timeOf(site.tz, t.since_ms),
      fired_at: fired > 0 ? timeOf(site.tz, fired) : null,
      resolved_at: resolved === null ? null : timeOf(site.tz, resolved),
      duration_s: Math.max(0, Math.round(duration)),
      acknowledged: ack
        ? { by: ack.by_name, at: timeOf(site.tz, ack.at_ms), note: ack.note }
        : null,
      drill: drillOf(site.id, t.alert_id, opts.publicUrl),
      url: pageOf(site.id, t.alert_id, opts.publicUrl),
      test: false,
    },
  };
}

/** Whether `sub` receives `event` (its sites and filter; enabled or not is the worker's concern). */
export function wants(sub: Pick<Subscription, "sites" | "events">, event: WebhookEvent): boolean {
  const d = event.data;
  if (event.type === "webhook.test") return false;
  if (sub.sites.length > 0 && !sub.sites.includes(d.site.id)) return false;
  const f = sub.events;
  if (!(f.types as readonly string[]).includes(event.type)) return false;
  if (f.severities.length > 0 && !f.severities.includes(d.rule.severity)) return false;
  if (f.rules.length > 0 && !f.rules.includes(d.rule.id)) return false;
  if (f.queues.length > 0 && !(d.queue && f.queues.includes(d.queue.id))) return false;
  return true;
}

/**
 * A believable event for POST /webhooks/:id/test: a service level under its target on the site's
 * first queue, marked `test`, through the same rendering, signing and retries as a real one.
 */
export async function testEvent(
  ch: ClickHouseClient,
  site: string,
  opts: { nowMs: number; publicUrl?: string },
): Promise<WebhookEvent> {
  const info = await siteInfo(ch, site);
  const [queue, names] = [...info.queues.entries()].sort(([a], [b]) => a.localeCompare(b))[0] ?? [];
  const at = opts.nowMs;
  const detail: AlertDetail = {
    rule_name: "Test notification from Floorwatch",
    rule_name_zh: "Floorwatch 测试通知",
    severity: "info",
    labels: {},
    figure: "service_level",
    window: "15m",
    comparator: "<",
    threshold: 0.8,
    recovery_threshold: 0.8,
    scope: {
      key: queue ? `queue:${queue}` : "site",
      queue: queue ?? null,
      channel: null,
      survey_id: null,
    },
    definition_version: null,
  };
  const event = eventOf(
    { ...info, queues: new Map(queue && names ? [[queue, names]] : []) },
    {
      site,
      alert_id: "test",
      kind: "firing",
      at_ms: at,
      rule_id: "webhook-test",
      rule_version: 1,
      since_ms: at - 180_000,
      fired_ms: at - 120_000,
      value: 0.625,
      peak: 0.6,
      peak_ms: at - 60_000,
      detail: JSON.stringify(detail),
    },
    { publicUrl: opts.publicUrl },
  )!;
  return {
    ...event,
    type: "webhook.test",
    data: {
      ...event.data,
      transition: "test",
      drill: withBase(opts.publicUrl, `/api/v1/alerts?site=${site}`),
      test: true,
    },
  };
}
