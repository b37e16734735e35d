// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate
// with and the contracts the responses satisfy (conventions.md habit 1: nothing is written twice).
// Served at GET /api/v1/openapi.json; test/integration/openapi.test.ts validates it.
import {
  BacktestQuery,
  Screen,
  ScreenList,
  ScreenParams,
  ScreensQuery,
  BacktestResult,
  BreachEvidence,
  EvidenceQuery,
  AcknowledgeBody,
  AgentList,
  Alert,
  AlertList,
  AlertsQuery,
  AgentsQuery,
  AuditList,
  AuditQuery,
  BreachDetail,
  BreachesQuery,
  BreachList,
  ContactDetail,
  ContactQuery,
  ContactsQuery,
  ContactsResponse,
  ErrorEnvelope,
  ExportCreate,
  ExportList,
  ExportListQuery,
  ExportParams,
  ExportRecord,
  FollowupList,
  FollowupsQuery,
  HoursUpdate,
  LiveQuery,
  LiveSnapshot,
  Me,
  QueueInfo,
  QueueList,
  QueueUpdate,
  ReportQuery,
  ReportResponse,
  Rule,
  RuleDraft,
  RuleId,
  RuleList,
  RuleVersions,
  SiteHours,
  SiteInfo,
  SiteList,
  SiteQuery,
  SiteUpdate,
  TokenCreate,
  TokenCreated,
  TokenInfo,
  TokenList,
} from "@floorwatch/contracts";
import {
  Layout,
  LayoutDraft,
  LayoutList,
  LayoutParams,
  LayoutQuery,
  TrendsQuery,
  TvFrame,
  TvLiveQuery,
  TvTrends,
} from "@floorwatch/contracts";
import {
  DeliveriesQuery,
  DeliveryId,
  DeliveryList,
  RotateBody,
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  WebhookDraft,
  WebhookEvent,
  WebhookId,
  WebhookList,
  WebhookUpdate,
} from "@floorwatch/contracts";
import { z } from "zod";

type Json = Record<string, unknown>;

function schema(s: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Json;
  return rest;
}

/** Query or path parameters from a zod object's fields. */
function parameters(where: "query" | "path", s: z.ZodObject): Json[] {
  const required = new Set((schema(s, "input").required as string[] | undefined) ?? []);
  return Object.entries(s.shape).map(([name, field]) => {
    const fieldSchema = schema(field as z.ZodType, "input");
    const { description, ...rest } = fieldSchema;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: schema(ErrorEnvelope, "output") } },
});
const ERRORS = {
  "400": errorResponse("Invalid input: every problem named in error.issues"),
  "401": errorResponse("Missing, unknown, revoked or expired token"),
  "403": errorResponse("The token's role or sites do not allow this"),
  "413": errorResponse("Request body over 64 KiB"),
  "429": errorResponse("Too many unknown tokens from this address; see Retry-After"),
};
const json = (s: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema: schema(s, "output") } },
});

interface Op {
  summary: string;
  roles: string;
  query?: z.ZodObject;
  path?: z.ZodObject;
  body?: z.ZodType;
  /** "empty": an answer without a body (204). */
  ok: [string, z.ZodType | "sse" | "empty", string];
  notFound?: boolean;
  /** Takes `If-Match: "<version>"` (optional): 409 when the resource moved on since. */
  ifMatch?: boolean;
  /** Answers beside the main one (GET /exports/:id: the record while not ready). */
  also?: Record<string, Json>;
}

const IF_MATCH = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string" },
  description:
    'The version being edited, as the ETag gave it ("3"); without it the write is unconditional',
};

function operation(o: Op): Json {
  const [status, response, description] = o.ok;
  return {
    summary: o.summary,
    description: `Roles: ${o.roles}.`,
    parameters: [
      ...(o.path ? parameters("path", o.path) : []),
      ...(o.query ? parameters("query", o.query) : []),
      ...(o.ifMatch ? [IF_MATCH] : []),
    ],
    ...(o.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(o.body, "input") } },
          },
        }
      : {}),
    responses: {
      [status]:
        response === "empty"
          ? { description }
          : response === "sse"
            ? {
                description,
                content: {
                  "text/event-stream": {
                    schema: {
                      type: "string",
                      description:
                        "event: snapshot (data: LiveSnapshot JSON, id: its instant in ms) | unavailable | revoked; `: heartbeat` comments",
                    },
                  },
                },
              }
            : json(response, description),
      ...ERRORS,
      ...(o.also ?? {}),
      ...(o.notFound ? { "404": errorResponse("Not found") } : {}),
      ...(o.ifMatch
        ? { "409": errorResponse("If-Match names a version that is no longer the current one") }
        : {}),
    },
  };
}

const Site = z.object({ site: LiveQuery.shape.site });
const SiteQueue = z.object({ site: LiveQuery.shape.site, queue: z.string().min(1).max(128) });
const ContactId = z.object({ id: z.string().min(1).max(128) });
const TokenId = z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) });
const RuleParam = z.object({ id: RuleId });
const LayoutDeleted = z.object({
  site: Layout.shape.site,
  id: Layout.shape.id,
  version: z.number().int(),
  deleted: z.literal(true),
});
/** An alert's id is its breach's id (api/src/alerts/evaluator.ts alertIdOf). */
const AlertId = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) });
// Answers the routes build from the contracts' parts (api/src/routes/rules.ts, alerts.ts).
const RuleDeleted = z.object({
  site: RuleVersions.shape.site,
  id: RuleVersions.shape.id,
  version: z.number().int(),
  deleted: z.literal(true),
});
// Notifications (api/src/routes/webhooks.ts).
const WebhookParam = z.object({ id: WebhookId });
const DeliveryParams = z.object({ id: WebhookId, delivery: DeliveryId });
const DeliveryQueued = z.object({
  delivery_id: z.string(),
  message_id: z.string().meta({ description: "The `webhook-id` every attempt carries" }),
});
const DeliveryDetail = WebhookDelivery.extend({ payload: WebhookEvent.nullable() });
const WEBHOOK_ROLES = "admin, integration (subscriptions whose sites are all its own)";
const Acknowledged = Alert.pick({ id: true, site: true }).extend({
  acknowledged: Alert.shape.acknowledged.unwrap(),
});

export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Op>> = {
    "/live": {
      get: {
        summary:
          "The live snapshot of a site; with view=tv, the TV frame of a layout instead (a screen's polling fallback): its tiles and figures with their states, and the firing alerts",
        roles:
          "admin, supervisor, display (view=tv: a display token shows its token's layout; another layout is a 403)",
        query: TvLiveQuery,
        ok: [
          "200",
          z.union([LiveSnapshot, TvFrame]),
          "Waiting, agents, and 15 min / 60 min / today windows (view=tv: a TvFrame)",
        ],
      },
    },
    "/live/stream": {
      get: {
        summary:
          "The live snapshot as Server-Sent Events (at least every second, and on a change); resumable with Last-Event-ID. With view=tv, `event: tv` frames (a TvFrame: the layout's tiles and figures only) instead of `event: snapshot`; a layout edit reaches the open stream",
        roles:
          "admin, supervisor, display (view=tv: a display token shows its token's layout; another layout is a 403)",
        query: TvLiveQuery,
        ok: ["200", "sse", "An event stream"],
      },
    },
    "/live/trends": {
      get: {
        summary:
          "The history a TV draws from its first paint, per tile of the layout: offered, service level and longest wait per quarter hour today, CSAT and resolution per day over 14 days (computed at most every 30 s per layout)",
        roles: "admin, supervisor, display (a display token: its token's layout; another is a 403)",
        query: TrendsQuery,
        ok: ["200", TvTrends, "Series per tile"],
        notFound: true,
      },
    },
    "/layouts": {
      get: {
        summary: "The site's stored TV layouts (a layout never stored is the built-in default)",
        roles: "admin, supervisor, qa, integration",
        query: LayoutQuery,
        ok: ["200", LayoutList, "Layouts in force"],
        notFound: true,
      },
    },
    "/layouts/{id}": {
      get: {
        summary:
          "A layout in force: the stored one, or (never stored, or deleted) the built-in default of that id, version 0",
        roles: "admin, supervisor, qa, integration",
        path: LayoutParams,
        query: LayoutQuery,
        ok: ["200", Layout, "The layout; its version is the ETag"],
        notFound: true,
      },
      put: {
        summary:
          "Create a layout or store its next version; the screens whose display token names it take it at once (no reload). Figures must exist (as in alert rules); a queue not seen yet is allowed, a channel must be one",
        roles: "admin",
        path: LayoutParams,
        query: LayoutQuery,
        body: LayoutDraft,
        ok: ["200", Layout, "The new version"],
        notFound: true,
        ifMatch: true,
      },
      delete: {
        summary:
          "Delete a layout: a deleted version; its screens show the built-in default at once",
        roles: "admin",
        path: LayoutParams,
        query: LayoutQuery,
        ok: ["200", LayoutDeleted, "The deleted version"],
        notFound: true,
        ifMatch: true,
      },
    },
    "/reports/intervals": {
      get: {
        summary: "Every figure per interval of the site's calendar and queue",
        roles: "admin, supervisor, qa",
        query: ReportQuery,
        ok: ["200", ReportResponse, "One row per interval and queue"],
      },
    },
    "/contacts": {
      get: {
        summary: "The visits behind a figure (drill-down), paged",
        roles: "admin, supervisor, qa",
        query: ContactsQuery,
        ok: ["200", ContactsResponse, "Visits, newest or longest wait first"],
      },
    },
    "/contacts/{id}": {
      get: {
        summary: "One contact's events, visits, handling and surveys",
        roles: "admin, supervisor, qa",
        path: ContactId,
        query: ContactQuery,
        ok: ["200", ContactDetail, "The contact"],
        notFound: true,
      },
    },
    "/agents": {
      get: {
        summary: "Every agent's state now and today's handled and AHT",
        roles: "admin, supervisor",
        query: AgentsQuery,
        ok: ["200", AgentList, "Agents"],
      },
    },
    "/followups": {
      get: {
        summary:
          "Low-score follow-ups: each survey with csat ≤ 2 is met by an outbound or answered contact of the customer within 24 h, else open, then overdue; untrackable without a customer id. Recomputed from the events on every read; earliest due first; phones masked",
        roles: "admin, supervisor, qa, integration",
        query: FollowupsQuery,
        ok: ["200", FollowupList, "Follow-ups of the surveys in the range, and counts per status"],
        notFound: true,
      },
    },
    "/rules": {
      get: {
        summary:
          "A site's alert rules in force: the defaults of the bank service plans (builtin) and its own, disabled ones included",
        roles: "admin, supervisor",
        query: SiteQuery,
        ok: ["200", RuleList, "Rules, by id"],
        notFound: true,
      },
      post: {
        summary:
          'Create a rule (version 1, ETag "1"); its figure, window, queues and thresholds are checked against the site',
        roles: "admin, supervisor",
        query: SiteQuery,
        body: RuleDraft,
        ok: ["201", Rule, "The rule"],
        notFound: true,
      },
    },
    "/rules/{id}": {
      get: {
        summary: "A rule in force (null once deleted) and every version of it, with who and when",
        roles: "admin, supervisor",
        path: RuleParam,
        query: SiteQuery,
        ok: ["200", RuleVersions, "The rule and its versions, oldest first"],
        notFound: true,
      },
      put: {
        summary:
          "Edit a rule: the next version (a deleted rule is put back the same way); alerts name the version that raised them",
        roles: "admin, supervisor",
        path: RuleParam,
        query: SiteQuery,
        body: RuleDraft,
        ok: ["200", Rule, "The new version"],
        notFound: true,
        ifMatch: true,
      },
      delete: {
        summary: "Delete a rule: a deleted version; its history stays readable",
        roles: "admin, supervisor",
        path: RuleParam,
        query: SiteQuery,
        ok: ["200", RuleDeleted, "The deleted version"],
        notFound: true,
        ifMatch: true,
      },
    },
    "/rules/{id}/backtest": {
      post: {
        summary:
          "Replay the rule in force, or the draft rule in the body, over stored history: when it would have fired and resolved, `for`, hysteresis and guards applied, each figure as the live snapshot would have shown it at each step",
        roles: "admin, supervisor",
        path: RuleParam,
        query: BacktestQuery,
        body: RuleDraft,
        ok: ["200", BacktestResult, "Firings per scope"],
        notFound: true,
      },
    },
    "/alerts": {
      get: {
        summary:
          "The site's alerts pending and firing now, firing first, then by severity and age; the live snapshot carries the same list",
        roles: "admin, supervisor, qa, integration, display",
        query: AlertsQuery,
        ok: ["200", AlertList, "Alerts"],
        notFound: true,
      },
    },
    "/alerts/{id}/ack": {
      post: {
        summary: "Acknowledge (take on) an alert, with a note; the latest acknowledgement is shown",
        roles: "admin, supervisor",
        path: AlertId,
        body: AcknowledgeBody,
        ok: ["200", Acknowledged, "The acknowledgement"],
        notFound: true,
      },
    },
    "/breaches": {
      get: {
        summary:
          "Breaches (one per firing of a rule over a scope) that started in [from, to), newest first",
        roles: "admin, supervisor, qa, integration",
        query: BreachesQuery,
        ok: ["200", BreachList, "Breaches"],
        notFound: true,
      },
    },
    "/breaches/{id}": {
      get: {
        summary:
          "One breach, its transitions, and its figure at the peak as the stored facts give it now (restated after late events)",
        roles: "admin, supervisor, qa, integration",
        path: AlertId,
        query: SiteQuery,
        ok: ["200", BreachDetail, "The breach"],
        notFound: true,
      },
    },
    "/breaches/{id}/evidence": {
      get: {
        summary:
          "Exactly the visits, handlings or surveys behind a breach's figure over its window at its peak (or `at`), from the facts stored now",
        roles: "admin, supervisor, qa",
        path: AlertId,
        query: EvidenceQuery,
        ok: ["200", BreachEvidence, "The evidence"],
        notFound: true,
      },
    },
    "/sites": {
      get: {
        summary: "Sites the token may see",
        roles: "admin, supervisor, qa, integration",
        ok: ["200", SiteList, "Sites"],
      },
    },
    "/sites/{site}": {
      put: {
        summary: "Name a site and set its time zone",
        roles: "admin",
        path: Site,
        body: SiteUpdate,
        ok: ["200", SiteInfo, "The site"],
      },
    },
    "/sites/{site}/hours": {
      get: {
        summary: "A site's business hours: the weekly opening times in force and every version",
        roles: "admin, supervisor, qa, integration",
        path: Site,
        ok: ["200", SiteHours, "Hours"],
      },
      put: {
        summary: "New business hours from valid_from (a quarter hour; default the next)",
        roles: "admin",
        path: Site,
        body: HoursUpdate,
        ok: ["201", SiteHours, "Hours with the new version"],
      },
    },
    "/sites/{site}/queues": {
      get: {
        summary: "A site's queues with every definition version",
        roles: "admin, supervisor, qa, integration",
        path: Site,
        ok: ["200", QueueList, "Queues"],
      },
    },
    "/sites/{site}/queues/{queue}": {
      put: {
        summary:
          "Change a queue: names and channel in place; T, S or target as a new version from valid_from",
        roles: "admin",
        path: SiteQueue,
        body: QueueUpdate,
        ok: ["201", QueueInfo, "A new version (200 when only names or channel changed)"],
      },
    },
    "/me": {
      get: {
        summary:
          "Who the presented token is: name, role, sites (with names and zones), personal-data grant, and the wallboard screens it opens",
        roles: "any token",
        ok: ["200", Me, "The token's identity"],
      },
    },
    "/tokens": {
      get: {
        summary: "List tokens (never their secrets)",
        roles: "admin",
        ok: ["200", TokenList, "Tokens"],
      },
      post: {
        summary: "Create a token; its secret is in this answer only",
        roles: "admin",
        body: TokenCreate,
        ok: ["201", TokenCreated, "The token"],
      },
    },
    "/tokens/{id}": {
      delete: {
        summary: "Revoke a token",
        roles: "admin",
        path: TokenId,
        ok: ["200", TokenInfo, "The revoked token"],
        notFound: true,
      },
    },
    "/screens": {
      get: {
        summary:
          "Every display token (of one site) as a screen: when it was last heard from, whether it holds a stream open on this process",
        roles: "admin (of the screens' sites)",
        query: ScreensQuery,
        ok: ["200", ScreenList, "Screens"],
      },
    },
    "/screens/{id}": {
      delete: {
        summary:
          "Revoke a screen's display token (as DELETE /tokens/{id}); its open streams get a revoked event",
        roles: "admin (of the screen's site)",
        path: ScreenParams,
        ok: ["200", Screen, "The revoked screen"],
        notFound: true,
      },
    },
    "/webhooks": {
      get: {
        summary:
          "Notification subscriptions: URLs masked, never a secret; an integration token sees those whose sites are all its own",
        roles: WEBHOOK_ROLES,
        ok: ["200", WebhookList, "Subscriptions, oldest first"],
      },
      post: {
        summary:
          "Subscribe a URL (standard: Standard Webhooks signed JSON; wecom, dingtalk, feishu, slack: the robot's own shape) to a site's alert events. The target must be https and not private, loopback, link-local or metadata unless in WEBHOOK_ALLOW_NETWORKS (a 400 says why). The standard signing secret is in this answer only. 503 without WEBHOOK_SECRET_KEY",
        roles: WEBHOOK_ROLES,
        body: WebhookDraft,
        ok: ["201", WebhookCreated, 'The subscription and its secret (ETag "1")'],
      },
    },
    "/webhooks/{id}": {
      get: {
        summary: "A subscription, its masked URL, signing hint and health",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        ok: ["200", Webhook, "The subscription; its version is the ETag"],
        notFound: true,
      },
      put: {
        summary:
          "Edit a subscription: the next version. `url` and `robot_secret` left out keep the stored ones (`robot_secret: null` removes it); enabling a disabled one clears the service's reason",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        body: WebhookUpdate,
        ok: ["200", Webhook, "The new version"],
        notFound: true,
        ifMatch: true,
      },
      delete: {
        summary: "Delete a subscription: a deleted version; nothing more is sent to it",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        ok: ["204", "empty", "Deleted"],
        notFound: true,
        ifMatch: true,
      },
    },
    "/webhooks/{id}/rotate": {
      post: {
        summary:
          "A new signing secret (standard only; a robot signs with its own secret: PUT robot_secret), in this answer only; the previous one is used beside it for overlap_s (every request carries both signatures). The body may be left out",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        body: RotateBody,
        ok: ["200", WebhookCreated, "The subscription and its new secret"],
        notFound: true,
        ifMatch: true,
      },
    },
    "/webhooks/{id}/test": {
      post: {
        summary:
          "Queue a webhook.test event through the same outbox, signing and retries as a real one (409 when the subscription is disabled)",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        ok: ["202", DeliveryQueued, "The queued delivery"],
        notFound: true,
      },
    },
    "/webhooks/{id}/deliveries": {
      get: {
        summary:
          "A subscription's deliveries, newest first, each with its attempt log (time, status, latency, the answer's first KiB, error)",
        roles: WEBHOOK_ROLES,
        path: WebhookParam,
        query: DeliveriesQuery,
        ok: ["200", DeliveryList, "Deliveries"],
        notFound: true,
      },
    },
    "/webhooks/{id}/deliveries/{delivery}": {
      get: {
        summary: "One delivery, its attempt log and the event it carries",
        roles: WEBHOOK_ROLES,
        path: DeliveryParams,
        ok: ["200", DeliveryDetail, "The delivery"],
        notFound: true,
      },
    },
    "/webhooks/{id}/deliveries/{delivery}/redeliver": {
      post: {
        summary:
          "Send a delivery's event again: a new delivery with the same message id (webhook-id), so a receiver that kept the first drops the repeat (409 when the subscription is disabled)",
        roles: WEBHOOK_ROLES,
        path: DeliveryParams,
        ok: ["202", DeliveryQueued, "The new delivery"],
        notFound: true,
      },
    },
    "/exports": {
      post: {
        summary:
          "Ask for a site's monthly compliance pack (docs/exports.md): made in the background, after the month has ended in the site's time zone; personal data only for a token granted it (defaults to the grant). Audited",
        roles: "admin, qa",
        body: ExportCreate,
        ok: ["202", ExportRecord, "The export's record (Location: its address)"],
        notFound: true,
      },
      get: {
        summary: "The site's packs, newest first, those made by the monthly schedule included",
        roles: "admin, qa",
        query: ExportListQuery,
        ok: ["200", ExportList, "Exports"],
        notFound: true,
      },
    },
    "/exports/{id}": {
      get: {
        summary:
          "An export: its record while queued or running (202, Retry-After) or when it failed; once done, the zip, streamed (ETag and Repr-Digest: its SHA-256). Accept: application/json gives the record. Downloads are audited; a pack with personal data needs a token granted it",
        roles: "admin, qa",
        path: ExportParams,
        ok: [
          "200",
          "empty",
          "The pack (application/zip), or the record (application/json) when asked for or failed",
        ],
        also: {
          "200": {
            description:
              "The pack (application/zip), or the record (application/json) when asked for or failed",
            content: {
              "application/zip": { schema: { type: "string", format: "binary" } },
              "application/json": { schema: schema(ExportRecord, "output") },
            },
          },
          "202": json(ExportRecord, "Queued or running: ask again after Retry-After seconds"),
        },
        notFound: true,
      },
    },
    "/audit": {
      get: {
        summary:
          "Personal-data reads, configuration changes, token changes and exports, newest first",
        roles: "admin",
        query: AuditQuery,
        ok: ["200", AuditList, "Entries"],
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Floorwatch API",
      version: "1",
      description:
        "Live and historical contact-centre figures (metrics.md), drill-down to the contacts behind them, access control. Every path needs `Authorization: Bearer <token>`.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: Object.fromEntries(
      Object.entries(paths).map(([p, ops]) => [
        p,
        Object.fromEntries(Object.entries(ops).map(([m, o]) => [m, operation(o)])),
      ]),
    ),
  };
}
