// Notification subscriptions (issue #13): GET/POST /webhooks, GET/PUT/DELETE /webhooks/:id,
// POST /webhooks/:id/rotate and /test, GET /webhooks/:id/deliveries[/:delivery] and POST
// …/:delivery/redeliver. Admins, and integration tokens for their own sites: an integration sees
// and changes only subscriptions whose sites are all its own (one naming every site, or a site it
// was not given, is another's and answers 404, as an id that does not exist). An edit is the next
// version (If-Match: <version> makes it conditional), a delete a deleted version; every write is
// audited without the URL's secrets or any signing secret, which are only ever answered by the
// call that made them (POST, rotate).
import { randomBytes } from "node:crypto";
import {
  DeliveriesQuery,
  DeliveryId,
  parseRfc3339Ms,
  Rfc3339,
  ROBOT_SIGNED_FORMATS,
  RotateBody,
  WebhookDraft,
  WebhookId,
  WebhookUpdate,
  type WebhookChange,
  type AuditAction,
  type DeliveryList,
  type Webhook,
  type WebhookCreated,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookFormat,
  type WebhookList,
} from "@floorwatch/contracts";
import {
  listSites,
  loadAttempts,
  loadDeliveries,
  loadWebhookHealth,
  runQuery,
  type ClickHouseClient,
  type WebhookDeliveryRow,
} from "@floorwatch/sql";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { seesSite, type Principal } from "../auth/roles";
import { ApiError, zodIssues, type Issue } from "../errors";
import type { AppEnv } from "../types";
import { validate } from "../validate";
import { deliveryIdOf, messageIdOf, type Outbox } from "../webhooks/outbox";
import { keyMissing } from "../webhooks/seal";
import type { StoredWebhook, WebhookStore } from "../webhooks/store";
import type { Subscription } from "../webhooks/types";
import { ifMatch } from "./versioned";

const IdParam = z.object({ id: WebhookId });
const DeliveryParams = z.object({ id: WebhookId, delivery: DeliveryId });

export interface WebhookRouteDeps {
  ch: ClickHouseClient;
  audit: Audit;
  store: WebhookStore;
  outbox: Outbox;
  /** Why `url` may not be a target (network.ts checkTarget under WEBHOOK_ALLOW_NETWORKS), or null. */
  checkTarget: (url: string) => Promise<string | null>;
  /** The event POST /:id/test sends for `site` (events.ts testEvent). */
  testEvent: (site: string, nowMs: number) => Promise<WebhookEvent>;
  /** A subscription a person enabled again (the worker resolves its "failing" alert). */
  onEnabled?: (sub: Subscription) => Promise<void>;
  now: () => number;
}

type Health = Webhook["health"];
type AttemptRow = z.infer<typeof loadAttempts.row>;

const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);

/** Whether `p` may see a subscription of `sites` (empty: every site, for tokens of every site). */
export function coversSites(p: Principal, sites: readonly string[]): boolean {
  if (p.sites === "all") return true;
  return sites.length > 0 && sites.every((s) => seesSite(p, s));
}

/** The subscription as GET answers it: masked URL, no secret, its health. */
export function webhookView(w: StoredWebhook, health: Health): Webhook {
  return {
    id: w.id,
    name: w.name,
    url: w.url_masked,
    format: w.format,
    sites: w.sites,
    events: w.events,
    lang: w.lang,
    enabled: w.enabled,
    disabled_reason: w.disabled_reason,
    signing:
      w.format === "standard" && w.secret_hint
        ? {
            secret_hint: w.secret_hint,
            previous_until: w.previous_until_ms > 0 ? iso(w.previous_until_ms) : null,
          }
        : null,
    robot_secret_set: w.robot_secret_set,
    health,
    version: w.version,
    created_at: new Date(w.created_ms).toISOString(),
    created_by: w.created_by,
    updated_at: new Date(w.updated_ms).toISOString(),
    updated_by: w.updated_by,
  };
}

/** What the audit log keeps of a subscription: never its URL's secrets nor a signing secret. */
const auditDetail = (w: StoredWebhook) => ({
  version: w.version,
  name: w.name,
  url: w.url_masked,
  format: w.format,
  sites: w.sites,
  events: w.events,
  lang: w.lang,
  enabled: w.enabled,
  robot_secret_set: w.robot_secret_set,
});

/** The audit row's site: the subscription's one site, else none (its sites are in the detail). */
const auditSite = (sites: readonly string[]) => (sites.length === 1 ? sites[0] : undefined);

function deliveryView(row: WebhookDeliveryRow, attempts: readonly AttemptRow[]): WebhookDelivery {
  return {
    id: row.delivery_id,
    message_id: row.message_id,
    webhook_id: row.webhook_id,
    type: row.type as WebhookDelivery["type"],
    site: row.site,
    alert_id: row.alert_id || null,
    created_at: new Date(row.created_ms).toISOString(),
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.state === "pending" ? new Date(row.next_ms).toISOString() : null,
    redelivery_of: row.redelivery_of || null,
    attempt_log: attempts.map((a) => ({
      n: a.attempt,
      at: new Date(a.at_ms).toISOString(),
      status: a.status > 0 ? a.status : null,
      ok: a.ok === 1,
      latency_ms: a.latency_ms,
      response: a.response,
      error: a.error || null,
    })),
  };
}

export function webhookRoutes(deps: WebhookRouteDeps) {
  const { ch, audit, store, outbox } = deps;

  async function healthOf(subs: readonly StoredWebhook[]): Promise<Map<string, Health>> {
    const rows = subs.length
      ? await runQuery(ch, loadWebhookHealth, { webhook_ids: subs.map((s) => s.id) })
      : [];
    const byId = new Map(rows.map((r) => [r.webhook_id, r]));
    return new Map(
      subs.map((s) => {
        const h = byId.get(s.id);
        const failing = (h?.failing_since_ms ?? 0) > 0;
        return [
          s.id,
          {
            state: !s.enabled ? "disabled" : failing ? "failing" : "ok",
            failing_since: failing ? iso(h!.failing_since_ms) : null,
            last_success_at: iso(h?.last_success_ms ?? 0),
            last_failure_at: iso(h?.last_failure_ms ?? 0),
          },
        ];
      }),
    );
  }

  const view = async (w: StoredWebhook) => webhookView(w, (await healthOf([w])).get(w.id)!);

  /** 404 unless the subscription is in force and the caller's token covers all its sites. */
  function mustSee(p: Principal, w: StoredWebhook | null, id: string): StoredWebhook {
    // The same answer for another's subscription as for none: an id says nothing of what it is.
    if (!w || !coversSites(p, w.sites)) throw new ApiError("not_found", `no webhook "${id}"`);
    return w;
  }

  async function readable(c: Context<AppEnv>, id: string) {
    const p = allow(c, "webhooks");
    return { p, w: mustSee(p, await store.get(id), id) };
  }

  /**
   * The checks of a draft or an update: 403 for a site the token was not given (before telling
   * whether it exists, as every route does), then every 400 at once: no sites from a token of
   * some sites, sites that do not exist, a robot secret on a format that has none, a target the
   * network policy refuses (only when a URL is given).
   */
  async function checked(
    c: Context<AppEnv>,
    p: Principal,
    d: { sites: string[]; format: WebhookFormat; url?: string; robot_secret?: string | null },
  ) {
    for (const site of d.sites)
      if (!seesSite(p, site))
        throw new ApiError("forbidden", `this token is not scoped to site ${site}`);
    if (!store.available) throw keyMissing();
    const issues: Issue[] = [];
    if (d.sites.length === 0 && p.sites !== "all")
      issues.push({
        path: "sites",
        message: "name the sites it receives: only a token of every site may subscribe to all",
      });
    const known = await Promise.all(d.sites.map((s) => c.get("sites").exists(s)));
    d.sites.forEach((site, i) => {
      if (!known[i])
        issues.push({
          path: `sites.${i}`,
          message: `no site ${site}: it is not configured and has sent no events yet`,
        });
    });
    if (typeof d.robot_secret === "string" && !ROBOT_SIGNED_FORMATS.includes(d.format))
      issues.push({
        path: "robot_secret",
        message: `only ${ROBOT_SIGNED_FORMATS.join(" and ")} robots sign with a secret of their own`,
      });
    if (d.url !== undefined) {
      const refusal = await deps.checkTarget(d.url);
      if (refusal) issues.push({ path: "url", message: refusal });
    }
    if (issues.length)
      throw new ApiError(
        "bad_request",
        `invalid webhook: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
  }

  const created = async (w: StoredWebhook, secret: string | null): Promise<WebhookCreated> => ({
    ...(await view(w)),
    secret,
  });

  const record = (
    c: Context<AppEnv>,
    action: AuditAction,
    w: StoredWebhook,
    extra: Record<string, unknown> = {},
  ) =>
    audit(c, action, {
      site: auditSite(w.sites),
      target: w.id,
      detail: { ...auditDetail(w), ...extra },
    });

  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const p = allow(c, "webhooks");
      const mine = (await store.list()).filter((w) => coversSites(p, w.sites));
      const health = await healthOf(mine);
      return c.json({
        webhooks: mine.map((w) => webhookView(w, health.get(w.id)!)),
      } satisfies WebhookList);
    })
    .post("/", validate("json", WebhookDraft), async (c) => {
      const p = allow(c, "webhooks");
      const draft = c.req.valid("json");
      await checked(c, p, draft);
      const { stored, secret } = await store.create(draft, p.name);
      await record(c, "webhook.create", stored);
      c.header("ETag", `"${stored.version}"`);
      return c.json(await created(stored, secret), 201);
    })
    .get("/:id", validate("param", IdParam), async (c) => {
      const { w } = await readable(c, c.req.valid("param").id);
      c.header("ETag", `"${w.version}"`);
      return c.json(await view(w));
    })
    .put("/:id", validate("param", IdParam), validate("json", WebhookUpdate), async (c) => {
      const { id } = c.req.valid("param");
      const { p, w } = await readable(c, id);
      const given = c.req.valid("json");
      // What is left out stays as stored (If-Match guards against a write in between).
      const update: WebhookChange = {
        name: given.name ?? w.name,
        format: given.format ?? w.format,
        sites: given.sites ?? w.sites,
        events: given.events ?? w.events,
        lang: given.lang ?? w.lang,
        enabled: given.enabled ?? w.enabled,
        url: given.url,
        robot_secret: given.robot_secret,
      };
      await checked(c, p, update);
      const { stored, sub, enabledAgain } = await store.update(id, update, p.name, (current) => {
        // Read again inside the write's turn: another write may have moved it on since.
        mustSee(p, current, id);
        ifMatch(c, "webhook", current.version);
      });
      await record(c, "webhook.update", stored, {
        url_changed: update.url !== undefined,
        robot_secret:
          update.robot_secret === undefined ? "kept" : update.robot_secret ? "set" : "removed",
      });
      if (enabledAgain) await deps.onEnabled?.(sub);
      c.header("ETag", `"${stored.version}"`);
      return c.json(await view(stored));
    })
    .delete("/:id", validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      const { p, w } = await readable(c, id);
      const version = await store.remove(id, p.name, (current) => {
        mustSee(p, current, id);
        ifMatch(c, "webhook", current.version);
      });
      await record(c, "webhook.delete", { ...w, version });
      return c.body(null, 204);
    })
    .post("/:id/rotate", validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      const { p } = await readable(c, id);
      const body = await optionalJson(c, RotateBody);
      if (!store.available) throw keyMissing();
      const { stored, secret } = await store.rotate(id, body.overlap_s, p.name, (current) => {
        mustSee(p, current, id);
        ifMatch(c, "webhook", current.version);
      });
      await record(c, "webhook.rotate", stored, { overlap_s: body.overlap_s });
      c.header("ETag", `"${stored.version}"`);
      return c.json(await created(stored, secret));
    })
    .post("/:id/test", validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      const { w } = await readable(c, id);
      if (!w.enabled)
        throw new ApiError("conflict", `webhook "${id}" is disabled: enable it to send a test`);
      const site = w.sites[0] ?? (await runQuery(ch, listSites, {}))[0]?.site;
      if (!site)
        throw new ApiError("conflict", "no site is configured yet: a test event needs one");
      const at = deps.now();
      const event = await deps.testEvent(site, at);
      const key = `test:${randomBytes(8).toString("hex")}`;
      await outbox.queue(
        [{ webhook_id: id, event_key: key, type: "webhook.test", site, alert_id: null, event }],
        at,
      );
      const answer = { delivery_id: deliveryIdOf(id, key), message_id: messageIdOf(id, key) };
      await record(c, "webhook.test", w, answer);
      return c.json(answer, 202);
    })
    .get(
      "/:id/deliveries",
      validate("param", IdParam),
      validate("query", DeliveriesQuery),
      async (c) => {
        const { id } = c.req.valid("param");
        const { p } = await readable(c, id);
        const q = c.req.valid("query");
        // The contract leaves `before` a string; read it as every other time the API takes.
        let before_ms: number | undefined;
        if (q.before !== undefined) {
          const t = Rfc3339.safeParse(q.before);
          if (!t.success)
            throw new ApiError(
              "bad_request",
              `invalid query: before: ${t.error.issues[0]?.message}`,
              zodIssues(t.error).map((i) => ({ ...i, path: "before" })),
            );
          before_ms = parseRfc3339Ms(t.data)!;
        }
        const rows = await runQuery(ch, loadDeliveries, {
          webhook_id: id,
          state: q.state,
          before_ms,
          limit: q.limit,
        });
        // A subscription narrowed since keeps deliveries of sites the token may not see.
        const seen = rows.filter((r) => seesSite(p, r.site));
        const attempts = await attemptsOf(id, seen);
        return c.json({
          webhook_id: id,
          deliveries: seen.map((r) => deliveryView(r, attempts.get(r.delivery_id) ?? [])),
        } satisfies DeliveryList);
      },
    )
    .get("/:id/deliveries/:delivery", validate("param", DeliveryParams), async (c) => {
      const { id, delivery } = c.req.valid("param");
      const { p } = await readable(c, id);
      const row = await deliveryOf(p, id, delivery);
      const attempts = await attemptsOf(id, [row]);
      let payload: unknown = null;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        // A payload that does not parse is shown as null; the delivery itself still reads.
      }
      return c.json({ ...deliveryView(row, attempts.get(row.delivery_id) ?? []), payload });
    })
    .post("/:id/deliveries/:delivery/redeliver", validate("param", DeliveryParams), async (c) => {
      const { id, delivery } = c.req.valid("param");
      const { p, w } = await readable(c, id);
      if (!w.enabled)
        throw new ApiError("conflict", `webhook "${id}" is disabled: enable it to redeliver`);
      const row = await deliveryOf(p, id, delivery);
      const newId = await outbox.redeliver(row);
      const answer = { delivery_id: newId, message_id: row.message_id };
      await record(c, "webhook.redeliver", w, { ...answer, redelivery_of: delivery });
      return c.json(answer, 202);
    });

  async function deliveryOf(p: Principal, id: string, delivery: string) {
    const [row] = await runQuery(ch, loadDeliveries, {
      webhook_id: id,
      delivery_id: delivery,
      limit: 1,
    });
    if (!row || !seesSite(p, row.site))
      throw new ApiError("not_found", `no delivery "${delivery}" of webhook "${id}"`);
    return row;
  }

  /** The attempts of a page of deliveries, in one read. */
  async function attemptsOf(id: string, rows: readonly WebhookDeliveryRow[]) {
    const out = new Map<string, AttemptRow[]>();
    if (rows.length === 0) return out;
    const attempts = await runQuery(ch, loadAttempts, {
      webhook_id: id,
      delivery_ids: rows.map((r) => r.delivery_id),
    });
    for (const a of attempts) {
      const list = out.get(a.delivery_id) ?? [];
      list.push(a);
      out.set(a.delivery_id, list);
    }
    return out;
  }
}

/** A JSON body that may be left out (POST /rotate with the default overlap): `{}` then. */
async function optionalJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): Promise<z.infer<S>> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "the body must be JSON, or empty");
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ApiError(
      "bad_request",
      `invalid json: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    );
  }
  return parsed.data;
}
