// Notifications (issue #13): webhook subscriptions, the events they receive, and the log of every
// delivery attempt. Shared by the API (routes, dispatcher, delivery worker), the tests' fake
// receivers and integrators: the `WebhookEvent` below is exactly the body of a `standard` request.
import { z } from "zod";
import { AlertScope, RuleId, Severity } from "./alerts";
import { Id, SiteId } from "./primitives";

/**
 * How a request is shaped: `standard` is JSON signed per the Standard Webhooks specification; the
 * others are the chat robots' own documented request shapes with a short human message.
 */
export const WebhookFormat = z.enum(["standard", "wecom", "dingtalk", "feishu", "slack"]);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

/** Formats whose robot signs requests with a secret the robot's settings page gives (optional). */
export const ROBOT_SIGNED_FORMATS: readonly WebhookFormat[] = ["dingtalk", "feishu"];

export const WebhookLang = z.enum(["zh-CN", "en"]);
export type WebhookLang = z.infer<typeof WebhookLang>;

/**
 * What a subscription can receive. `alert.*`: a threshold rule's alert fired or resolved (the
 * rule's firing, not its pending); `followup.overdue`: a low score not followed up within 24 h
 * (metrics.md); `alert.acknowledged`: someone took a breach on; `webhook.test`: POST
 * /webhooks/:id/test only, never by filter.
 */
export const WebhookEventType = z.enum([
  "alert.firing",
  "alert.resolved",
  "alert.acknowledged",
  "followup.overdue",
  "webhook.test",
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const SUBSCRIBABLE_EVENTS = [
  "alert.firing",
  "alert.resolved",
  "alert.acknowledged",
  "followup.overdue",
] as const satisfies readonly WebhookEventType[];

/** Which events a subscription receives: every list empty (or left out) lets everything through. */
export const WebhookFilter = z.strictObject({
  types: z
    .array(z.enum(SUBSCRIBABLE_EVENTS))
    .min(1, "name at least one event type, or leave `types` out for all")
    .max(SUBSCRIBABLE_EVENTS.length)
    .default([...SUBSCRIBABLE_EVENTS]),
  /** Only alerts of these severities. */
  severities: z.array(Severity).max(3).default([]),
  /** Only alerts of these rules (ids, as GET /rules lists them). */
  rules: z.array(RuleId).max(200).default([]),
  /** Only alerts about these queues (alerts over a channel or the whole site have no queue: left out). */
  queues: z.array(Id).max(500).default([]),
});
export type WebhookFilter = z.infer<typeof WebhookFilter>;

const url = z
  .string()
  .max(2048)
  .refine((s) => URL.canParse(s), "must be an absolute URL")
  .meta({
    description:
      "https (http only inside WEBHOOK_ALLOW_NETWORKS). Write-only: its query and any token in the path are masked when read back.",
  });

/** The robot's signing secret (DingTalk "SEC…", Feishu), when the robot has signing turned on. */
const robotSecret = z.string().trim().min(1).max(256).meta({
  description: "DingTalk or Feishu only: the robot's own signing secret. Write-only.",
});

const common = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: 'Who receives it: "Duty manager WeCom group".' }),
  format: WebhookFormat,
  /** The sites whose events it receives; empty: every site (tokens of every site only). */
  sites: z.array(SiteId).max(100).default([]),
  events: WebhookFilter.default({
    types: [...SUBSCRIBABLE_EVENTS],
    severities: [],
    rules: [],
    queues: [],
  }),
  /** The language of robot messages (standard payloads carry both names). */
  lang: WebhookLang.default("zh-CN"),
  enabled: z.boolean().default(true),
};

/** POST /api/v1/webhooks. */
export const WebhookDraft = z.strictObject({
  ...common,
  url,
  robot_secret: robotSecret.optional(),
});
export type WebhookDraft = z.infer<typeof WebhookDraft>;
export type WebhookDraftInput = z.input<typeof WebhookDraft>;

/**
 * PUT /api/v1/webhooks/:id: what changes. Every field left out keeps its stored value (`url` and
 * `robot_secret` are never read back, and a PUT that renames a subscription must not widen its
 * sites to all or re-enable it by default); `robot_secret: null` removes it.
 */
export const WebhookUpdate = z.strictObject({
  name: common.name.optional(),
  format: WebhookFormat.optional(),
  sites: z.array(SiteId).max(100).optional(),
  events: WebhookFilter.optional(),
  lang: WebhookLang.optional(),
  enabled: z.boolean().optional(),
  url: url.optional(),
  robot_secret: robotSecret.nullable().optional(),
});
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

/** An update with every kept field filled in from the stored version (what the store writes). */
export type WebhookChange = Required<Omit<WebhookUpdate, "url" | "robot_secret">> &
  Pick<WebhookUpdate, "url" | "robot_secret">;

/** POST /api/v1/webhooks/:id/rotate. */
export const RotateBody = z.strictObject({
  /** How long the previous secret stays valid beside the new one (every request carries both). */
  overlap_s: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(86_400),
});
export type RotateBody = z.infer<typeof RotateBody>;

export const WebhookHealth = z.object({
  /** ok: the last attempt succeeded (or none yet); failing: since `failing_since`; disabled. */
  state: z.enum(["ok", "failing", "disabled"]),
  failing_since: z.string().nullable(),
  last_success_at: z.string().nullable(),
  last_failure_at: z.string().nullable(),
});
export type WebhookHealth = z.infer<typeof WebhookHealth>;

export const Webhook = z.object({
  id: z.string(),
  name: z.string(),
  /** The URL with its query values and path tokens masked: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****`. */
  url: z.string(),
  format: WebhookFormat,
  sites: z.array(z.string()),
  events: WebhookFilter,
  lang: WebhookLang,
  enabled: z.boolean(),
  /** Why the service disabled it (410 Gone, failing for 24 h); null when enabled or disabled by a person. */
  disabled_reason: z.string().nullable(),
  /** standard: the start of the signing secret (`whsec_AbCd…`) and until when the previous one is also used. */
  signing: z
    .object({
      secret_hint: z.string(),
      previous_until: z.string().nullable(),
    })
    .nullable(),
  /** DingTalk, Feishu: whether a robot secret is stored (it is never shown). */
  robot_secret_set: z.boolean(),
  health: WebhookHealth,
  version: z.number().int().positive(),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
  updated_by: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

/** The answer to POST /webhooks (and /rotate): the only time the signing secret is shown. */
export const WebhookCreated = Webhook.extend({
  secret: z.string().nullable().meta({
    description:
      "standard: `whsec_` + base64 of 32 random bytes, shown once. Robot formats: null (they sign with the robot's own secret).",
  }),
});
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const WebhookList = z.object({ webhooks: z.array(Webhook) });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookId = z.string().regex(/^wh_[0-9a-f]{16}$/, "not a webhook id");
export const DeliveryId = z.string().regex(/^dlv_[0-9a-f]{24}$/, "not a delivery id");

export const DeliveryState = z.enum(["pending", "delivered", "failed", "cancelled"]);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const DeliveriesQuery = z
  .object({
    state: DeliveryState.optional(),
    /** Deliveries created before this instant (paging: the last `created_at` of a page). */
    before: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

export const WebhookAttempt = z.object({
  n: z.number().int(),
  at: z.string(),
  /** The receiver's HTTP status; null when there was no answer (refused, timed out). */
  status: z.number().int().nullable(),
  ok: z.boolean(),
  latency_ms: z.number(),
  /** The first 1 KiB of the answer's body. */
  response: z.string(),
  /** Why it failed, when it did: no secret or URL token ever appears here. */
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z.object({
  id: z.string(),
  /** `webhook-id` of every attempt: the same across retries and redeliveries of one event. */
  message_id: z.string(),
  webhook_id: z.string(),
  type: WebhookEventType,
  site: z.string(),
  alert_id: z.string().nullable(),
  created_at: z.string(),
  state: DeliveryState,
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  /** The delivery this one repeats (POST …/redeliver), else null. */
  redelivery_of: z.string().nullable(),
  attempt_log: z.array(WebhookAttempt),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const DeliveryList = z.object({
  webhook_id: z.string(),
  deliveries: z.array(WebhookDelivery),
});
export type DeliveryList = z.infer<typeof DeliveryList>;

/** A time in UTC and on the site's clock (RFC 3339 with the zone's offset then). */
export const WebhookTime = z.object({ utc: z.string(), local: z.string() });
export type WebhookTime = z.infer<typeof WebhookTime>;

/**
 * The body of a `standard` request, and what every robot message is written from. Per the
 * Standard Webhooks specification: `type`, `timestamp`, `data`.
 */
export const WebhookEvent = z.object({
  type: WebhookEventType,
  /** When the event happened (UTC). */
  timestamp: z.string(),
  data: z.object({
    site: z.object({ id: z.string(), name: z.string(), tz: z.string() }),
    alert_id: z.string(),
    /** What happened to the alert: firing, resolved, acknowledged, overdue (follow-up), test. */
    transition: z.enum(["firing", "resolved", "acknowledged", "overdue", "test"]),
    rule: z.object({
      id: z.string(),
      version: z.number().int(),
      name: z.string(),
      name_zh: z.string(),
      severity: Severity,
      labels: z.record(z.string(), z.string()),
    }),
    scope: AlertScope,
    /** The queue the alert is about, named in both languages; null for a channel or the site. */
    queue: z.object({ id: z.string(), name: z.string(), name_zh: z.string() }).nullable(),
    figure: z.string(),
    window: z.string(),
    comparator: z.string(),
    /** The figure when the transition happened (firing: the value that fired it). */
    value: z.number().nullable(),
    threshold: z.number(),
    recovery_threshold: z.number(),
    /** The worst value while it held (resolved), or so far. */
    peak: z.number().nullable(),
    /** The queue definition version in force (null: several queues). */
    definition_version: z.number().int().nullable(),
    /** When the condition began to hold, fired, resolved. */
    since: WebhookTime,
    fired_at: WebhookTime.nullable(),
    resolved_at: WebhookTime.nullable(),
    /** How long it has held (firing, acknowledged) or held (resolved), in seconds. */
    duration_s: z.number().nullable(),
    acknowledged: z.object({ by: z.string(), at: WebhookTime, note: z.string() }).nullable(),
    /** The evidence: the contacts behind the figure (absolute when PUBLIC_URL is set). */
    drill: z.string(),
    /**
     * The breach's page in the wallboard app (`/qa/breaches/:id?site=…`; absolute when PUBLIC_URL
     * is set): what a person opens from a chat message. Absent on test events.
     */
    url: z.string().optional(),
    /** true only for POST /webhooks/:id/test. */
    test: z.boolean(),
  }),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
