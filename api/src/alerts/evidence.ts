// A breach's evidence (GET /breaches/:id/evidence, the `drill` of every alert and breach): exactly
// the visits, handlings or surveys that made its figure over its window at an instant (its peak by
// default), from the facts stored now, or for a follow-up breach, the survey and its customer's
// follow-up.
import type { BreachEvidence } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { loadSiteConfig } from "../metrics/config";
import { contactLink } from "../metrics/drill";
import { evidenceAt } from "./backtest";
import { FOLLOWUP_FIGURE, type AlertDetail } from "./evaluator";
import { computeFollowups } from "./followups";
import { ruleOfFigure } from "./sources";

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

export async function evidenceOf(
  ch: ClickHouseClient,
  site: string,
  breachId: string,
  alert: AlertDetail & { scope_key: string },
  atMs: number,
  sinceMs: number,
): Promise<BreachEvidence> {
  const base = { site, breach_id: breachId, figure: alert.figure, window: alert.window };
  if (alert.figure === FOLLOWUP_FIGURE) {
    // The alert began at the due time: the survey is 24 h before it.
    const surveyed = sinceMs - DAY;
    const items = await computeFollowups(ch, site, {
      from_ms: surveyed,
      to_ms: surveyed + 1,
      now_ms: atMs,
    });
    const f = items.find((i) => i.survey_id === alert.scope.survey_id);
    return {
      ...base,
      at: iso(atMs),
      from: iso(surveyed),
      to: iso(sinceMs),
      value: f ? (f.status === "overdue" ? (atMs - f.due_ms) / 3_600_000 : 0) : null,
      visits: [],
      contacts: [],
      surveys: f
        ? [
            {
              survey_id: f.survey_id,
              contact_id: f.contact_id,
              queue: f.queue,
              at: iso(f.surveyed_ms),
              csat: f.csat,
              nps: null,
              resolved: null,
              contact: contactLink(site, f.contact_id, f.surveyed_ms),
            },
          ]
        : [],
    };
  }
  const config = await loadSiteConfig(ch, site);
  const e = await evidenceAt(
    ch,
    config,
    ruleOfFigure(alert.figure, alert.window),
    alert.scope_key,
    atMs,
  );
  return {
    ...base,
    at: iso(e.at_ms),
    from: iso(e.from_ms),
    to: iso(e.to_ms),
    value: e.value,
    visits: e.visits.map((v) => ({
      contact_id: v.contact_id,
      queue: v.queue,
      started_at: iso(v.started_at_ms),
      ended_at: v.ended_at_ms === null ? null : iso(v.ended_at_ms),
      outcome: v.outcome,
      wait_s: v.wait_s,
      contact: contactLink(site, v.contact_id, v.started_at_ms),
    })),
    contacts: e.contacts.map((x) => ({
      kind: x.kind,
      contact_id: x.contact_id,
      queue: x.queue,
      at: iso(x.at_ms),
      duration_s: x.duration_s,
      outcome: x.outcome,
      contact: contactLink(site, x.contact_id, x.at_ms),
    })),
    surveys: e.surveys.map((x) => ({
      survey_id: x.survey_id,
      contact_id: x.contact_id,
      queue: x.queue,
      at: iso(x.at_ms),
      csat: x.csat,
      nps: x.nps,
      resolved: x.resolved,
      contact: contactLink(site, x.contact_id, x.at_ms),
    })),
  };
}
