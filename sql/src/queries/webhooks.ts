// Statements over the notification tables of sql/migrations/0012_webhooks.sql: subscription
// versions, the delivery outbox, the attempt log, subscription health and the dispatch cursor
// (api/src/webhooks/).
import { z } from "zod";
import { ident, list, sql } from "../escape";
import { defineQuery } from "../query";
import { versionColumns, versionsOf } from "./versions";

export const WEBHOOKS_TABLE = "webhooks";
export const WEBHOOK_DELIVERIES_TABLE = "webhook_deliveries";
export const WEBHOOK_ATTEMPTS_TABLE = "webhook_attempts";
export const WEBHOOK_HEALTH_TABLE = "webhook_health";
export const WEBHOOK_CURSOR_TABLE = "webhook_cursor";

const Int = z.coerce.number().int();
const Num = z.coerce.number();

export interface WebhookRow {
  /** Always '' (a subscription names its sites in its body). */
  site: string;
  webhook_id: string;
  version: number;
  deleted: number;
  body: string;
  created_ms: number;
  created_by: string;
}

export type DeliveryStateName = "pending" | "delivered" | "failed" | "cancelled";

export interface WebhookDeliveryRow {
  delivery_id: string;
  message_id: string;
  webhook_id: string;
  type: string;
  site: string;
  alert_id: string;
  /** The event as JSON (contracts WebhookEvent): what every attempt renders and signs. */
  payload: string;
  redelivery_of: string;
  state: DeliveryStateName;
  attempts: number;
  next_ms: number;
  created_ms: number;
  updated_ms: number;
}

export interface WebhookAttemptRow {
  webhook_id: string;
  delivery_id: string;
  message_id: string;
  attempt: number;
  at_ms: number;
  /** 0: no answer. */
  status: number;
  ok: number;
  latency_ms: number;
  response: string;
  error: string;
  worker: string;
}

export interface WebhookHealthRow {
  webhook_id: string;
  /** 0: not failing. */
  failing_since_ms: number;
  last_success_ms: number;
  last_failure_ms: number;
  updated_ms: number;
}

export interface WebhookCursorRow {
  name: string;
  at_ms: number;
  updated_ms: number;
}

/** Every stored version of every subscription (or of one), one row per version, oldest first. */
export const loadWebhookVersions = defineQuery({
  name: "webhooks_load_versions",
  params: z.object({ webhook_id: z.string().optional() }),
  row: z.object({ site: z.string(), webhook_id: z.string(), ...versionColumns }),
  build: (p) =>
    versionsOf(
      WEBHOOKS_TABLE,
      "webhook_id",
      p.webhook_id !== undefined ? sql`webhook_id = ${p.webhook_id}` : sql`1`,
      sql`webhook_id, version`,
    ),
});

const deliveryColumns = {
  delivery_id: z.string(),
  message_id: z.string(),
  webhook_id: z.string(),
  type: z.string(),
  site: z.string(),
  alert_id: z.string(),
  payload: z.string(),
  redelivery_of: z.string(),
  state: z.enum(["pending", "delivered", "failed", "cancelled"]),
  attempts: Int,
  next_ms: Int,
  created_ms: Int,
  updated_ms: Int,
};

/**
 * Each delivery's latest write, of those `where` picks (aliases differ from columns: 18.16). One
 * row per delivery id even if two processes queued it at different instants (the earliest counts).
 * `withPayload: false` leaves the payload out (''): the worker's frequent "what is due" reads only
 * what decides, and fetches the payloads of what it sends.
 */
const latestDeliveries = (
  where: ReturnType<typeof sql>,
  having: ReturnType<typeof sql>,
  withPayload = true,
) => sql`
  SELECT delivery_id, m AS message_id, w AS webhook_id, t AS type, s AS site, a AS alert_id,
    ${withPayload ? sql`pl` : sql`''`} AS payload, r AS redelivery_of, st AS state, n AS attempts,
    nx AS next_ms, c AS created_ms, u AS updated_ms
  FROM
  (
    SELECT delivery_id,
      min(created_ms) AS c,
      argMax(message_id, updated_ms) AS m,
      argMax(webhook_id, updated_ms) AS w,
      argMax(type, updated_ms) AS t,
      argMax(site, updated_ms) AS s,
      argMax(alert_id, updated_ms) AS a,
      ${withPayload ? sql`argMax(payload, updated_ms) AS pl,` : sql``}
      argMax(redelivery_of, updated_ms) AS r,
      argMax(state, updated_ms) AS st,
      argMax(attempts, updated_ms) AS n,
      argMax(next_ms, updated_ms) AS nx,
      max(updated_ms) AS u
    FROM webhook_deliveries
    WHERE ${where}
    GROUP BY delivery_id
  )
  WHERE ${having}`;

/** The payloads of `ids` (queued since `from_ms`): what the worker renders for those it sends. */
export const loadDeliveryPayloads = defineQuery({
  name: "webhooks_delivery_payloads",
  params: z.object({ ids: z.array(z.string()), from_ms: z.number().int() }),
  row: z.object({ delivery_id: z.string(), payload: z.string() }),
  build: (p) => sql`
    SELECT delivery_id, pl AS payload
    FROM
    (
      SELECT delivery_id, any(payload) AS pl
      FROM webhook_deliveries
      WHERE created_ms >= ${p.from_ms} AND delivery_id IN (${list(p.ids.length ? p.ids : [""])})
      GROUP BY delivery_id
    )`,
});

/**
 * Deliveries pending and due by `now_ms`, queued since `from_ms` (nothing older is retried), the
 * earliest due first, at most `per_webhook` of each subscription: a receiver with a thousand
 * deliveries waiting does not fill the page and keep the others' out of it.
 */
export const loadDueDeliveries = defineQuery({
  name: "webhooks_due_deliveries",
  params: z.object({
    from_ms: z.number().int(),
    now_ms: z.number().int(),
    per_webhook: z.number().int().positive(),
    limit: z.number().int().positive(),
  }),
  row: z.object(deliveryColumns),
  build: (p) => sql`
    ${latestDeliveries(
      sql`created_ms >= ${p.from_ms}`,
      sql`state = 'pending' AND next_ms <= ${p.now_ms}`,
      false,
    )}
    ORDER BY next_ms, created_ms, delivery_id
    LIMIT ${p.per_webhook} BY webhook_id
    LIMIT ${p.limit}`,
});

/** Which of `ids` are queued already (created since `from_ms`). */
export const loadKnownDeliveries = defineQuery({
  name: "webhooks_known_deliveries",
  params: z.object({ ids: z.array(z.string()), from_ms: z.number().int() }),
  row: z.object({ delivery_id: z.string() }),
  build: (p) => sql`
    SELECT DISTINCT delivery_id
    FROM webhook_deliveries
    WHERE created_ms >= ${p.from_ms} AND delivery_id IN (${list(p.ids.length ? p.ids : [""])})`,
});

/** One subscription's deliveries, newest first (optionally in one state, created before a time). */
export const loadDeliveries = defineQuery({
  name: "webhooks_deliveries",
  params: z.object({
    webhook_id: z.string(),
    state: z.string().optional(),
    before_ms: z.number().int().optional(),
    delivery_id: z.string().optional(),
    limit: z.number().int().positive(),
  }),
  row: z.object(deliveryColumns),
  build: (p) => sql`
    ${latestDeliveries(
      sql`webhook_id = ${p.webhook_id}
        ${p.before_ms !== undefined ? sql`AND created_ms < ${p.before_ms}` : sql``}
        ${p.delivery_id !== undefined ? sql`AND delivery_id = ${p.delivery_id}` : sql``}`,
      p.state !== undefined ? sql`state = ${p.state}` : sql`1`,
    )}
    ORDER BY created_ms DESC, delivery_id
    LIMIT ${p.limit}`,
});

/** The attempts of the deliveries `delivery_ids` of one subscription, oldest first. */
export const loadAttempts = defineQuery({
  name: "webhooks_attempts",
  params: z.object({ webhook_id: z.string(), delivery_ids: z.array(z.string()) }),
  row: z.object({
    delivery_id: z.string(),
    attempt: Int,
    at_ms: Int,
    status: Int,
    ok: Int,
    latency_ms: Num,
    response: z.string(),
    error: z.string(),
  }),
  build: (p) => sql`
    SELECT delivery_id, attempt, at_ms, status, ok, latency_ms, response, error
    FROM webhook_attempts
    WHERE webhook_id = ${p.webhook_id}
      AND delivery_id IN (${list(p.delivery_ids.length ? p.delivery_ids : [""])})
    ORDER BY delivery_id, attempt, at_ms`,
});

/** Each subscription's latest health (of `webhook_ids`, or all). */
export const loadWebhookHealth = defineQuery({
  name: "webhooks_health",
  params: z.object({ webhook_ids: z.array(z.string()).optional() }),
  row: z.object({
    webhook_id: z.string(),
    failing_since_ms: Int,
    last_success_ms: Int,
    last_failure_ms: Int,
    updated_ms: Int,
  }),
  build: (p) => sql`
    SELECT webhook_id, f AS failing_since_ms, s AS last_success_ms, l AS last_failure_ms,
      u AS updated_ms
    FROM
    (
      SELECT webhook_id,
        argMax(failing_since_ms, updated_ms) AS f,
        argMax(last_success_ms, updated_ms) AS s,
        argMax(last_failure_ms, updated_ms) AS l,
        max(updated_ms) AS u
      FROM webhook_health
      ${p.webhook_ids ? sql`WHERE webhook_id IN (${list(p.webhook_ids.length ? p.webhook_ids : [""])})` : sql``}
      GROUP BY webhook_id
    )`,
});

/** The dispatcher's cursor (0 when never written). */
export const loadWebhookCursor = defineQuery({
  name: "webhooks_cursor",
  params: z.object({ name: z.string() }),
  row: z.object({ at_ms: Int }),
  build: (p) => sql`
    SELECT argMax(at_ms, updated_ms) AS at_ms
    FROM webhook_cursor
    WHERE name = ${p.name}`,
});

/** Where a page of rows read in (time, site, alert_id[, kind]) order ended: the next starts after it. */
const Keyset = z.object({
  ms: z.number().int(),
  site: z.string(),
  alert_id: z.string(),
  kind: z.string().default(""),
});

/** Rows after `after` in (time, site, alert_id, kind) order; every row after `from_ms` without it. */
const afterKey = (
  time: string,
  from_ms: number,
  after: z.infer<typeof Keyset> | undefined,
  withKind: boolean,
) =>
  after === undefined
    ? sql`${ident(time)} > ${from_ms}`
    : // Spelled out rather than a tuple comparison, which 18.16 does not read.
      sql`(${ident(time)} > ${after.ms} OR (${ident(time)} = ${after.ms} AND (site > ${after.site}
        OR (site = ${after.site} AND (alert_id > ${after.alert_id}
        ${withKind ? sql`OR (alert_id = ${after.alert_id} AND kind > ${after.kind})` : sql``}))))) `;

/**
 * Alert transitions recorded after `from_ms` (firing and resolved only), raw: a transition written
 * twice appears twice (the dispatcher's event key makes them one). Oldest recorded first, paged by
 * keyset: one tick can record thousands with the same instant.
 */
export const loadTransitionsRecordedSince = defineQuery({
  name: "webhooks_transitions_since",
  params: z.object({
    from_ms: z.number().int(),
    after: Keyset.optional(),
    limit: z.number().int().positive(),
  }),
  row: z.object({
    site: z.string(),
    alert_id: z.string(),
    kind: z.enum(["firing", "resolved"]),
    at_ms: Int,
    rule_id: z.string(),
    rule_version: Int,
    since_ms: Int,
    fired_ms: Int,
    value: Num,
    peak: Num,
    peak_ms: Int,
    detail: z.string(),
    recorded_ms: Int,
  }),
  build: (p) => sql`
    SELECT site, alert_id, kind, at_ms, rule_id, rule_version, since_ms, fired_ms, value, peak,
      peak_ms, detail, recorded_ms
    FROM alert_transitions
    WHERE kind IN ('firing', 'resolved') AND ${afterKey("recorded_ms", p.from_ms, p.after, true)}
    ORDER BY recorded_ms, site, alert_id, kind
    LIMIT ${p.limit}`,
});

/** Acknowledgements made after `from_ms`, oldest first, paged by keyset as transitions are. */
export const loadAcksSince = defineQuery({
  name: "webhooks_acks_since",
  params: z.object({
    from_ms: z.number().int(),
    after: Keyset.optional(),
    limit: z.number().int().positive(),
  }),
  row: z.object({
    site: z.string(),
    alert_id: z.string(),
    at_ms: Int,
    by_name: z.string(),
    note: z.string(),
  }),
  build: (p) => sql`
    SELECT site, alert_id, at_ms, by_name, note
    FROM alert_acks
    WHERE ${afterKey("at_ms", p.from_ms, p.after, false)}
    ORDER BY at_ms, site, alert_id
    LIMIT ${p.limit}`,
});
