// A subscription the service disabled (its receiver answered 410 Gone, or failed for 24 h) is
// itself an alert: nobody would otherwise learn that the duty manager's group stopped hearing of
// breaches. It is written as the evaluator writes alerts (alert_transitions, alert_current), under
// the service's own rule id, so GET /alerts, the TVs' banner, /breaches and every other
// subscription (through the dispatcher) see it like any breach; it resolves when the subscription
// is enabled again. The evaluator leaves these alerts alone (evaluator.ts, WEBHOOK_FAILING_RULE).
import {
  ALERT_CURRENT_TABLE,
  ALERT_TRANSITIONS_TABLE,
  insertRows,
  listSites,
  loadCurrentAlerts,
  runQuery,
  type AlertCurrentRow,
  type AlertTransitionRow,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { alertIdOf, WEBHOOK_FAILING_RULE, type AlertDetail } from "../alerts/evaluator";
import type { Subscription } from "./types";

const scopeKeyOf = (id: string) => `webhook:${id}`;

/** Why the service disabled a subscription, in both languages of the alert. */
export interface Reason {
  en: string;
  zh: string;
}

async function sitesOf(ch: ClickHouseClient, sub: Subscription): Promise<string[]> {
  if (sub.sites.length) return sub.sites;
  return (await runQuery(ch, listSites, {})).map((s) => s.site);
}

function detailOf(sub: Subscription, reason: Reason): AlertDetail {
  return {
    rule_name: `Notifications to "${sub.name}" stopped: ${reason.en}`,
    rule_name_zh: `通知订阅“${sub.name}”已停用：${reason.zh}`,
    severity: "critical",
    labels: { webhook_id: sub.id, format: sub.format },
    figure: "webhook_disabled",
    window: "now",
    comparator: ">=",
    threshold: 1,
    recovery_threshold: 1,
    scope: { key: scopeKeyOf(sub.id), queue: null, channel: null, survey_id: null },
    definition_version: null,
    reason: reason.en,
  };
}

/** Fires the alert "notifications to <name> stopped" on each of the subscription's sites. */
export async function raiseFailing(
  ch: ClickHouseClient,
  sub: Subscription,
  reason: Reason,
  since_ms: number,
  at_ms: number,
  holder: string,
): Promise<void> {
  const detail = JSON.stringify(detailOf(sub, reason));
  const transitions: AlertTransitionRow[] = [];
  const current: AlertCurrentRow[] = [];
  for (const site of await sitesOf(ch, sub)) {
    const alert_id = alertIdOf(site, WEBHOOK_FAILING_RULE, scopeKeyOf(sub.id), since_ms);
    transitions.push({
      site,
      alert_id,
      kind: "firing",
      at_ms,
      rule_id: WEBHOOK_FAILING_RULE,
      rule_version: 1,
      scope_key: scopeKeyOf(sub.id),
      queue: "",
      severity: "critical",
      since_ms,
      fired_ms: at_ms,
      value: 1,
      peak: 1,
      peak_ms: at_ms,
      threshold: 1,
      definition_version: 0,
      detail,
      evaluator: holder,
      recorded_ms: at_ms,
    });
    current.push({
      site,
      rule_id: WEBHOOK_FAILING_RULE,
      scope_key: scopeKeyOf(sub.id),
      alert_id,
      phase: "firing",
      since_ms,
      fired_ms: at_ms,
      recovering_ms: 0,
      value: 1,
      has_value: 1,
      peak: 1,
      peak_ms: at_ms,
      rule_version: 1,
      detail,
      evaluator: holder,
      updated_ms: at_ms,
    });
  }
  await insertRows(ch, ALERT_TRANSITIONS_TABLE, transitions);
  await insertRows(ch, ALERT_CURRENT_TABLE, current);
}

/** Resolves the subscription's open "notifications stopped" alerts (it was enabled again). */
export async function resolveFailing(
  ch: ClickHouseClient,
  sub: Subscription,
  at_ms: number,
  holder: string,
): Promise<number> {
  const open = (await runQuery(ch, loadCurrentAlerts, { open: true })).filter(
    (r) => r.rule_id === WEBHOOK_FAILING_RULE && r.scope_key === scopeKeyOf(sub.id),
  );
  if (open.length === 0) return 0;
  await insertRows(
    ch,
    ALERT_TRANSITIONS_TABLE,
    open.map(
      (r): AlertTransitionRow => ({
        site: r.site,
        alert_id: r.alert_id,
        kind: "resolved",
        at_ms,
        rule_id: r.rule_id,
        rule_version: r.rule_version,
        scope_key: r.scope_key,
        queue: "",
        severity: "critical",
        since_ms: r.since_ms,
        fired_ms: r.fired_ms,
        value: 0,
        peak: r.peak,
        peak_ms: r.peak_ms,
        threshold: 1,
        definition_version: 0,
        detail: r.detail,
        evaluator: holder,
        recorded_ms: at_ms,
      }),
    ),
  );
  await insertRows(
    ch,
    ALERT_CURRENT_TABLE,
    open.map((r): AlertCurrentRow => ({ ...r, phase: "inactive", value: 0, updated_ms: at_ms })),
  );
  return open.length;
}
