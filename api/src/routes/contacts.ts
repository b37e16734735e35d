// GET /api/v1/contacts: the visits behind a figure (the `drill` links of reports and the live
// snapshot lead here), paged, newest or longest wait first. GET /api/v1/contacts/:id: one
// contact's events, visits, handling and surveys. Personal data is masked unless `unmask=true`
// by a token granted it; each unmasked read is in the audit log before the answer leaves.
import {
  ContactQuery,
  ContactsQuery,
  DATETIME_MAX_MS,
  DATETIME_MIN_MS,
  formatLocal,
  Id,
  maskPhone,
  parseBound,
  parseRfc3339Ms,
  type ContactDetail,
  type ContactsResponse,
  type VisitRow,
} from "@floorwatch/contracts";
import {
  contactFacts,
  contactStory,
  contactSurveys,
  drillAnswerers,
  drillCustomers,
  drillVisits,
  runQuery,
  type ClickHouseClient,
  type Threshold,
} from "@floorwatch/sql";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { ApiError } from "../errors";
import { defaultQueue, loadSiteConfig, type QueueConfig } from "../metrics/config";
import { contactLink } from "../metrics/drill";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { assertInRange, parseRange } from "./range";
import { validate } from "../validate";

const DAY = 86_400_000;
/** A contact's story without a hint of when: the last month. */
const STORY_DEFAULT_MS = 31 * DAY;
/** A visit ends up to 12 h (orphaned) after its contact was queued. */
const QUEUED_BEFORE_END_MS = 12 * 3_600_000;

export function thresholdsOf(q: QueueConfig): Threshold[] {
  return q.versions.map((v) => ({
    from_ms: Math.max(0, v.valid_from_ms),
    sl_threshold_s: v.sl_threshold_s,
    short_abandon_s: v.short_abandon_s,
  }));
}

const Cursor = z.object({ k: z.number().int(), f: z.string().max(200) });
const encodeCursor = (k: number, f: string) =>
  Buffer.from(JSON.stringify({ k, f })).toString("base64url");
function decodeCursor(text: string): { key: number; fact_id: string } {
  try {
    const c = Cursor.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return { key: c.k, fact_id: c.f };
  } catch {
    throw new ApiError("bad_request", "cursor is not one this API gave out", [
      { path: "cursor", message: "must be the next_cursor of a previous page" },
    ]);
  }
}

/** Unmasking needs a token granted personal data; asking without one is refused, not ignored. */
function unmaskAllowed(c: Context<AppEnv>, unmask: boolean): boolean {
  if (unmask && !c.get("principal")?.pii)
    throw new ApiError("forbidden", "personal data needs a token granted pii");
  return unmask;
}

const phoneOf = (phone: string, unmasked: boolean) =>
  phone === "" ? null : unmasked ? phone : maskPhone(phone);

export function contactRoutes(ch: ClickHouseClient, audit: Audit, opts: { now: () => number }) {
  return new Hono<AppEnv>()
    .get("/", validate("query", ContactsQuery), async (c) => {
      const q = c.req.valid("query");
      allow(c, "drill", q.site);
      await requireSite(c, q.site);
      const unmasked = unmaskAllowed(c, q.unmask);
      const config = await loadSiteConfig(ch, q.site);
      const { from, to } = parseRange(config.tz, q.from, q.to);
      const queue = config.queues.find((x) => x.queue === q.queue) ?? defaultQueue(q.queue);
      const rows = await runQuery(ch, drillVisits, {
        site: q.site,
        queue: q.queue,
        from_ms: from,
        to_ms: to,
        thresholds: thresholdsOf(queue),
        outcome: q.outcome,
        within_sl: q.within_sl,
        short_abandon: q.short_abandon,
        min_wait_ms: q.min_wait_s === undefined ? undefined : Math.ceil(q.min_wait_s * 1000),
        sort: q.sort,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const ids = [...new Set(page.map((r) => r.contact_id))];
      const answers = page.filter((r) => r.outcome === "answered").map((r) => r.end_event_id);
      // The customer (queued, up to 12 h before the visit ended) and who answered (the visit's end).
      const [customerRows, answererRows] = await Promise.all([
        ids.length
          ? runQuery(ch, drillCustomers, {
              site: q.site,
              ids,
              from_ms: from - QUEUED_BEFORE_END_MS,
              to_ms: to,
            })
          : Promise.resolve([]),
        answers.length
          ? runQuery(ch, drillAnswerers, {
              site: q.site,
              ids,
              event_ids: answers,
              from_ms: from,
              to_ms: to,
            })
          : Promise.resolve([]),
      ]);
      const customers = new Map(customerRows.map((r) => [r.contact_id, r]));
      const answerers = new Map(answererRows.map((r) => [r.event_id, r.agent_id]));
      if (unmasked)
        await audit(c, "pii.read", {
          site: q.site,
          target: `contacts:${q.queue}`,
          detail: { from: q.from, to: q.to, outcome: q.outcome ?? null, contacts: page.length },
        });
      const last = page.at(-1);
      const visits: VisitRow[] = page.map((r) => ({
        contact_id: r.contact_id,
        queue: r.queue,
        channel: r.channel,
        outcome: r.outcome,
        started_at: formatLocal(config.tz, r.start_ms),
        ended_at: formatLocal(config.tz, r.end_ms),
        wait_s: r.wait_ms / 1000,
        within_sl: r.outcome === "answered" ? r.wait_ms <= r.t_s * 1000 : null,
        short_abandon: r.outcome === "abandoned" ? r.wait_ms < r.s_s * 1000 : null,
        agent_id: answerers.get(r.end_event_id) ?? r.agent_id,
        tier: r.tier,
        customer_phone: phoneOf(customers.get(r.contact_id)?.phone ?? "", unmasked),
        detail: contactLink(q.site, r.contact_id, r.end_ms),
      }));
      c.header("Cache-Control", "no-store");
      return c.json({
        site: q.site,
        tz: config.tz,
        queue: q.queue,
        from: formatLocal(config.tz, from),
        to: formatLocal(config.tz, to),
        visits,
        next_cursor:
          rows.length > q.limit && last
            ? encodeCursor(q.sort === "newest" ? last.end_ms : last.wait_ms, last.fact_id)
            : null,
        unmasked,
      } satisfies ContactsResponse);
    })
    .get(
      "/:id",
      validate("param", z.object({ id: Id })),
      validate("query", ContactQuery),
      async (c) => {
        const { id } = c.req.valid("param");
        const q = c.req.valid("query");
        allow(c, "drill", q.site);
        await requireSite(c, q.site);
        const unmasked = unmaskAllowed(c, q.unmask);
        const config = await loadSiteConfig(ch, q.site);
        const around =
          q.around === undefined ? null : parseBound(config.tz, q.around, parseRfc3339Ms);
        if (q.around !== undefined && around === null)
          throw new ApiError("bad_request", "around must be YYYY-MM-DD or an RFC 3339 date-time", [
            { path: "around", message: "not a date" },
          ]);
        if (around !== null) assertInRange("around", around);
        const window =
          around === null
            ? { from_ms: opts.now() - STORY_DEFAULT_MS, to_ms: opts.now() + 5 * 60_000 }
            : // Kept inside what DateTime holds: a day around 1970-01-01 or 2106-02-07 must not wrap.
              {
                from_ms: Math.max(DATETIME_MIN_MS, around - DAY),
                to_ms: Math.min(DATETIME_MAX_MS, around + DAY),
              };
        const params = { site: q.site, contact_id: id, ...window };
        const [events, facts, surveys] = await Promise.all([
          runQuery(ch, contactStory, params),
          runQuery(ch, contactFacts, params),
          runQuery(ch, contactSurveys, params),
        ]);
        if (events.length === 0 && facts.length === 0 && surveys.length === 0)
          throw new ApiError(
            "not_found",
            `no contact ${id} at site ${q.site} in that time (give around= near the contact)`,
          );
        if (unmasked)
          await audit(c, "pii.read", {
            site: q.site,
            target: `contact:${id}`,
            detail: { events: events.length, surveys: surveys.length },
          });
        const at = (ms: number) => formatLocal(config.tz, ms);
        const queued = events.find((e) => e.type === "contact.queued");
        const detail: ContactDetail = {
          site: q.site,
          contact_id: id,
          customer: {
            id: queued?.customer_id || null,
            tier: queued?.customer_tier || null,
            phone: phoneOf(queued?.customer_phone ?? "", unmasked),
          },
          events: events.map((e) => ({
            event_id: e.event_id,
            type: e.type,
            at: at(e.occurred_ms),
            queue: e.queue,
            agent_id: e.agent_id,
            detail: Object.fromEntries(
              Object.entries({
                channel: e.channel,
                direction: e.direction,
                customer_tier: e.customer_tier,
                customer_phone: phoneOf(e.customer_phone, unmasked) ?? "",
                to_queue: e.to_queue,
                to_agent_id: e.to_agent_id,
                disposition: e.disposition,
                category: e.category,
              }).filter(([, v]) => v !== ""),
            ),
          })),
          visits: facts
            .filter((f) => f.kind === "visit")
            .map((f) => ({
              queue: f.queue,
              outcome: f.outcome,
              started_at: at(f.start_ms),
              ended_at: at(f.anchor_ms),
              wait_s: f.duration_ms / 1000,
            })),
          handling: facts
            .filter((f) => f.kind === "handled")
            .map((f) => ({
              queue: f.queue,
              agent_id: f.agent_id,
              disposition: f.outcome,
              category: f.detail,
              answered_at: f.duration_ms >= 0 ? at(f.start_ms) : null,
              wrapped_up_at: at(f.anchor_ms),
              handle_s: f.duration_ms >= 0 ? f.duration_ms / 1000 : null,
            })),
          surveys: surveys.map((s) => ({
            survey_id: s.survey_id,
            at: at(s.occurred_ms),
            agent_id: s.agent_id,
            csat: s.csat,
            nps: s.nps,
            resolved: s.resolved === null ? null : s.resolved === 1,
            comment: unmasked && s.comment !== "" ? s.comment : null,
          })),
          unmasked,
        };
        c.header("Cache-Control", "no-store");
        return c.json(detail);
      },
    );
}
