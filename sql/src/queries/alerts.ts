// Statements over the alert tables of sql/migrations/0009_alerts.sql: rule versions, alert
// transitions (breaches), each alert's current state, acknowledgements.
import { z } from "zod";
import { list, sql, type SqlFragment } from "../escape";
import { defineQuery } from "../query";
import { versionColumns, versionsOf } from "./versions";

export const ALERT_RULES_TABLE = "alert_rules";
export const ALERT_TRANSITIONS_TABLE = "alert_transitions";
export const ALERT_CURRENT_TABLE = "alert_current";
export const ALERT_ACKS_TABLE = "alert_acks";

const Int = z.coerce.number().int();
const Num = z.coerce.number();

export interface AlertRuleRow {
  site: string;
  rule_id: string;
  version: number;
  deleted: number;
  body: string;
  created_ms: number;
  created_by: string;
}

export interface AlertTransitionRow {
  site: string;
  alert_id: string;
  kind: "pending" | "cancelled" | "firing" | "resolved";
  at_ms: number;
  rule_id: string;
  rule_version: number;
  scope_key: string;
  queue: string;
  severity: string;
  since_ms: number;
  fired_ms: number;
  value: number;
  peak: number;
  peak_ms: number;
  threshold: number;
  definition_version: number;
  /** JSON: what the alert was about, as the rule said when it was written (api/src/alerts/record.ts). */
  detail: string;
  evaluator: string;
  recorded_ms: number;
}

export interface AlertCurrentRow {
  site: string;
  rule_id: string;
  scope_key: string;
  alert_id: string;
  phase: "inactive" | "pending" | "firing";
  since_ms: number;
  fired_ms: number;
  recovering_ms: number;
  value: number;
  has_value: number;
  peak: number;
  peak_ms: number;
  rule_version: number;
  detail: string;
  evaluator: string;
  updated_ms: number;
}

export interface AlertAckRow {
  site: string;
  alert_id: string;
  at_ms: number;
  by_name: string;
  by_token: string;
  note: string;
}

/** Every stored version of the rules of `sites` (all sites when omitted), one row per version. */
export const loadRuleVersions = defineQuery({
  name: "alerts_load_rule_versions",
  params: z.object({ sites: z.array(z.string()).optional(), rule_id: z.string().optional() }),
  row: z.object({ site: z.string(), rule_id: z.string(), ...versionColumns }),
  build: (p) =>
    versionsOf(
      ALERT_RULES_TABLE,
      "rule_id",
      sql`1 ${p.sites ? sql`AND site IN (${list(p.sites.length ? p.sites : [""])})` : sql``}
        ${p.rule_id !== undefined ? sql`AND rule_id = ${p.rule_id}` : sql``}`,
      sql`site, rule_id, version`,
    ),
});

const currentColumns = {
  site: z.string(),
  rule_id: z.string(),
  scope_key: z.string(),
  alert_id: z.string(),
  phase: z.enum(["inactive", "pending", "firing"]),
  since_ms: Int,
  fired_ms: Int,
  recovering_ms: Int,
  value: Num,
  has_value: Int,
  peak: Num,
  peak_ms: Int,
  rule_version: Int,
  detail: z.string(),
  evaluator: z.string(),
  updated_ms: Int,
};

/**
 * Each (rule, scope)'s latest state, of `sites` (all when omitted); `open`: only those pending or
 * firing. One statement for every site: the evaluator resumes all of them at once.
 */
export const loadCurrentAlerts = defineQuery({
  name: "alerts_load_current",
  params: z.object({ sites: z.array(z.string()).optional(), open: z.boolean().default(true) }),
  row: z.object(currentColumns),
  build: (p) => sql`
    SELECT site, rule_id, scope_key, a AS alert_id, ph AS phase, s AS since_ms, f AS fired_ms,
      r AS recovering_ms, v AS value, hv AS has_value, pk AS peak, pkm AS peak_ms,
      rv AS rule_version, d AS detail, e AS evaluator, u AS updated_ms
    FROM
    (
      SELECT site, rule_id, scope_key,
        argMax(alert_id, updated_ms) AS a,
        argMax(phase, updated_ms) AS ph,
        argMax(since_ms, updated_ms) AS s,
        argMax(fired_ms, updated_ms) AS f,
        argMax(recovering_ms, updated_ms) AS r,
        argMax(value, updated_ms) AS v,
        argMax(has_value, updated_ms) AS hv,
        argMax(peak, updated_ms) AS pk,
        argMax(peak_ms, updated_ms) AS pkm,
        argMax(rule_version, updated_ms) AS rv,
        argMax(detail, updated_ms) AS d,
        argMax(evaluator, updated_ms) AS e,
        max(updated_ms) AS u
      FROM alert_current
      ${p.sites ? sql`WHERE site IN (${list(p.sites.length ? p.sites : [""])})` : sql``}
      GROUP BY site, rule_id, scope_key
    )
    ${p.open ? sql`WHERE phase IN ('pending', 'firing')` : sql``}
    ORDER BY site, rule_id, scope_key`,
});

const transitionColumns = {
  alert_id: z.string(),
  kind: z.enum(["pending", "cancelled", "firing", "resolved"]),
  at_ms: Int,
  rule_id: z.string(),
  rule_version: Int,
  scope_key: z.string(),
  queue: z.string(),
  severity: z.string(),
  since_ms: Int,
  fired_ms: Int,
  value: Num,
  peak: Num,
  peak_ms: Int,
  threshold: Num,
  definition_version: Int,
  detail: z.string(),
  evaluator: z.string(),
  /** Rows stored for this alert and kind before merging: 1 unless written twice. */
  copies: Int,
};

/** Columns of a transition, deduplicated: one row per alert and kind (the latest recorded). */
const dedupedTransitions = sql`
  alert_id, kind,
  argMax(at_ms, recorded_ms) AS at_ms_,
  argMax(rule_id, recorded_ms) AS rule_id_,
  argMax(rule_version, recorded_ms) AS rule_version_,
  argMax(scope_key, recorded_ms) AS scope_key_,
  argMax(queue, recorded_ms) AS queue_,
  argMax(severity, recorded_ms) AS severity_,
  argMax(since_ms, recorded_ms) AS since_ms_,
  argMax(fired_ms, recorded_ms) AS fired_ms_,
  argMax(value, recorded_ms) AS value_,
  argMax(peak, recorded_ms) AS peak_,
  argMax(peak_ms, recorded_ms) AS peak_ms_,
  argMax(threshold, recorded_ms) AS threshold_,
  argMax(definition_version, recorded_ms) AS definition_version_,
  argMax(detail, recorded_ms) AS detail_,
  argMax(evaluator, recorded_ms) AS evaluator_,
  count() AS copies`;

const renamed = sql`
  alert_id, kind, at_ms_ AS at_ms, rule_id_ AS rule_id, rule_version_ AS rule_version,
  scope_key_ AS scope_key, queue_ AS queue, severity_ AS severity, since_ms_ AS since_ms,
  fired_ms_ AS fired_ms, value_ AS value, peak_ AS peak, peak_ms_ AS peak_ms,
  threshold_ AS threshold, definition_version_ AS definition_version, detail_ AS detail,
  evaluator_ AS evaluator, copies`;

/** Transitions matching `where`, one row per alert and kind, in `order`. */
const deduped = (where: SqlFragment, order: SqlFragment) => sql`
  SELECT ${renamed}
  FROM
  (
    SELECT ${dedupedTransitions}
    FROM alert_transitions
    WHERE ${where}
    GROUP BY alert_id, kind
  )
  ORDER BY ${order}`;

/**
 * The firing and resolved transitions of the breaches of a site that fired in [from, to), newest
 * first, at most `limit` breaches, optionally of one rule, queue or severity, and only those
 * someone acknowledged (`acknowledged` true) or nobody did (false). The acknowledgement is chosen
 * here, before the limit: chosen after it, an acknowledged breach behind `limit` newer ones would
 * be missing from a list that says it holds them all.
 */
export const loadBreaches = defineQuery({
  name: "alerts_load_breaches",
  params: z.object({
    site: z.string(),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
    rule_id: z.string().optional(),
    queue: z.string().optional(),
    severity: z.string().optional(),
    acknowledged: z.boolean().optional(),
    limit: z.number().int().positive(),
  }),
  row: z.object(transitionColumns),
  build: (p) =>
    deduped(
      sql`site = ${p.site} AND kind IN ('firing', 'resolved')
        AND alert_id IN
        (
          SELECT alert_id FROM
          (
            SELECT alert_id, min(at_ms) AS fired
            FROM alert_transitions
            WHERE site = ${p.site} AND kind = 'firing'
              AND at_ms >= ${p.from_ms} AND at_ms < ${p.to_ms}
              ${p.rule_id !== undefined ? sql`AND rule_id = ${p.rule_id}` : sql``}
              ${p.queue !== undefined ? sql`AND queue = ${p.queue}` : sql``}
              ${p.severity !== undefined ? sql`AND severity = ${p.severity}` : sql``}
              ${
                p.acknowledged === undefined
                  ? sql``
                  : sql`AND alert_id ${p.acknowledged ? sql`IN` : sql`NOT IN`}
                      (SELECT alert_id FROM alert_acks WHERE site = ${p.site})`
              }
            GROUP BY alert_id
            ORDER BY fired DESC, alert_id
            LIMIT ${p.limit}
          )
        )`,
      sql`alert_id, kind`,
    ),
});

/** Every transition of one alert, deduplicated, oldest first. */
export const loadAlertTransitions = defineQuery({
  name: "alerts_load_transitions",
  params: z.object({ site: z.string(), alert_id: z.string() }),
  row: z.object(transitionColumns),
  build: (p) => deduped(sql`site = ${p.site} AND alert_id = ${p.alert_id}`, sql`at_ms, kind`),
});

/**
 * The latest acknowledgement of each of `alert_ids`, or, without them, of every alert the site has
 * open now (by subquery: a list of thousands of ids would not fit in a statement).
 */
export const loadAcks = defineQuery({
  name: "alerts_load_acks",
  params: z.object({ site: z.string(), alert_ids: z.array(z.string()).optional() }),
  row: z.object({ alert_id: z.string(), at_ms: Int, by_name: z.string(), note: z.string() }),
  build: (p) => sql`
    SELECT alert_id, a AS at_ms, b AS by_name, n AS note
    FROM
    (
      SELECT alert_id, max(at_ms) AS a, argMax(by_name, at_ms) AS b, argMax(note, at_ms) AS n
      FROM alert_acks
      WHERE site = ${p.site} AND alert_id IN
        ${
          p.alert_ids
            ? sql`(${list(p.alert_ids.length ? p.alert_ids : [""])})`
            : sql`(SELECT alert_id FROM alert_current WHERE site = ${p.site})`
        }
      GROUP BY alert_id
    )`,
});
