// Stored alert rows → the shapes of contracts/src/alerts.ts (GET /alerts, /breaches, the stream).
import type { Alert, Breach } from "@floorwatch/contracts";
import {
  loadAcks,
  loadCurrentAlerts,
  runQuery,
  type AlertCurrentRow,
  type ClickHouseClient,
} from "@floorwatch/sql";
import type { AlertDetail } from "./evaluator";

type AckRow = { alert_id: string; at_ms: number; by_name: string; note: string };
/** A stored transition as the readers of alert_transitions hand it over. */
export type TransitionLike = {
  alert_id: string;
  kind: string;
  at_ms: number;
  rule_id: string;
  rule_version: number;
  since_ms: number;
  fired_ms: number;
  value: number;
  peak: number;
  peak_ms: number;
  detail: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The evidence of an alert: the visits or surveys behind its figure at its peak. */
export const evidenceLink = (site: string, alertId: string) =>
  `/api/v1/breaches/${alertId}/evidence?site=${site}`;

function common(site: string, alertId: string, ruleId: string, version: number, d: AlertDetail) {
  return {
    id: alertId,
    site,
    rule_id: ruleId,
    rule_version: version,
    rule_name: d.rule_name,
    rule_name_zh: d.rule_name_zh,
    severity: d.severity,
    labels: d.labels,
    scope: d.scope,
    figure: d.figure,
    window: d.window,
    comparator: d.comparator,
    threshold: d.threshold,
    recovery_threshold: d.recovery_threshold,
    definition_version: d.definition_version,
    drill: evidenceLink(site, alertId),
  };
}

const ackOf = (a: AckRow | undefined) =>
  a ? { by: a.by_name, at: iso(a.at_ms), note: a.note } : null;

export function toAlert(r: AlertCurrentRow, ack: AckRow | undefined): Alert {
  const d = JSON.parse(r.detail) as AlertDetail;
  return {
    ...common(r.site, r.alert_id, r.rule_id, r.rule_version, d),
    acknowledged: ackOf(ack),
    state: r.phase === "firing" ? "firing" : "pending",
    since: iso(r.since_ms),
    fired_at: r.phase === "firing" ? iso(r.fired_ms) : null,
    value: r.has_value ? r.value : null,
    peak: r.peak_ms > 0 ? r.peak : null,
    peak_at: r.peak_ms > 0 ? iso(r.peak_ms) : null,
    evaluated_at: iso(r.updated_ms),
  };
}

/** The site's alerts pending and firing, firing first, then by severity and age. */
export async function readAlerts(ch: ClickHouseClient, site: string): Promise<Alert[]> {
  const rows = await runQuery(ch, loadCurrentAlerts, { sites: [site], open: true });
  const acks = rows.length ? await runQuery(ch, loadAcks, { site }) : [];
  const ackBy = new Map(acks.map((a) => [a.alert_id, a]));
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rows
    .map((r) => toAlert(r, ackBy.get(r.alert_id)))
    .sort(
      (a, b) =>
        (a.state === "firing" ? 0 : 1) - (b.state === "firing" ? 0 : 1) ||
        rank[a.severity] - rank[b.severity] ||
        a.since.localeCompare(b.since) ||
        a.id.localeCompare(b.id),
    );
}

/**
 * Breaches from their transitions (each alert's `firing`, and `resolved` once it ended). A breach
 * still firing takes its peak so far from the evaluator's latest state (`open`), not the value it
 * fired at.
 */
export function toBreaches(
  site: string,
  rows: readonly TransitionLike[],
  acks: readonly AckRow[],
  open: readonly Pick<AlertCurrentRow, "alert_id" | "peak" | "peak_ms">[],
): Breach[] {
  const ackBy = new Map(acks.map((a) => [a.alert_id, a]));
  const running = new Map(open.map((o) => [o.alert_id, o]));
  const byAlert = new Map<string, { firing?: TransitionLike; resolved?: TransitionLike }>();
  for (const r of rows) {
    const e = byAlert.get(r.alert_id) ?? {};
    if (r.kind === "firing") e.firing = r;
    if (r.kind === "resolved") e.resolved = r;
    byAlert.set(r.alert_id, e);
  }
  const out: Breach[] = [];
  for (const [id, { firing, resolved }] of byAlert) {
    if (!firing) continue;
    const d = JSON.parse(firing.detail) as AlertDetail;
    const end = resolved ? resolved.at_ms : null;
    const now = resolved ? undefined : running.get(id);
    out.push({
      ...common(site, id, firing.rule_id, firing.rule_version, d),
      acknowledged: ackOf(ackBy.get(id)),
      started_at: iso(firing.at_ms),
      pending_since: iso(firing.since_ms),
      ended_at: end === null ? null : iso(end),
      peak: resolved ? resolved.peak : (now?.peak ?? firing.peak),
      peak_at: iso(resolved ? resolved.peak_ms : (now?.peak_ms ?? firing.peak_ms)),
      duration_s: end === null ? null : (end - firing.at_ms) / 1000,
    });
  }
  return out.sort((a, b) => b.started_at.localeCompare(a.started_at) || a.id.localeCompare(b.id));
}
