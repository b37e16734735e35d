// GET /api/v1/followups?site=…[&status=open|met|overdue|untrackable][&from&to][&queue][&limit]: the
// low-score follow-ups of the surveys in a range (default the 7 days before `to`, itself default
// now), computed from the stored events on every read (api/src/alerts/followups.ts), most urgent
// first. Phone numbers are always masked: the list is for the floor, QA and integrations, and no
// unmask is offered here (the contact's own page, with a pii token, is where a number is read).
import {
  type Followup,
  type FollowupList,
  FollowupStatus,
  FollowupsQuery,
  formatLocal,
  maskPhone,
  parseBound,
  parseRfc3339Ms,
} from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { computeFollowups, type FollowupItem } from "../alerts/followups";
import { allow } from "../auth/middleware";
import { ApiError } from "../errors";
import { loadSiteConfig } from "../metrics/config";
import { contactLink } from "../metrics/drill";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";
import { assertInRange, assertOrdered } from "./range";

const DAY = 86_400_000;
/** Surveys of this long before `to` when `from` is not given. */
const DEFAULT_RANGE_MS = 7 * DAY;
/**
 * The longest range asked for at once: each read goes through a week more of contact events than
 * the range itself, and a quarter is what a QA review looks back on.
 */
const MAX_RANGE_MS = 92 * DAY;

/** A `from` or `to`: the site's local midnight of a date, or an RFC 3339 instant. */
function bound(tz: string, parameter: "from" | "to", text: string): number {
  const ms = parseBound(tz, text, parseRfc3339Ms);
  if (ms === null)
    throw new ApiError("bad_request", `${parameter} must be YYYY-MM-DD or an RFC 3339 date-time`, [
      { path: parameter, message: "not a date" },
    ]);
  assertInRange(parameter, ms);
  return ms;
}

/** The surveyed contact's page, as the drill-down links it (contacts.ts): its story around then. */

function present(site: string, tz: string, f: FollowupItem): Followup {
  return {
    survey_id: f.survey_id,
    site,
    queue: f.queue,
    agent_id: f.agent_id,
    csat: f.csat,
    contact_id: f.contact_id,
    surveyed_at: formatLocal(tz, f.surveyed_ms),
    due_at: formatLocal(tz, f.due_ms),
    status: f.status,
    customer: {
      id: f.customer_id,
      tier: f.customer_tier,
      phone: f.customer_phone === null ? null : maskPhone(f.customer_phone),
    },
    met_by: f.met_by && {
      contact_id: f.met_by.contact_id,
      at: formatLocal(tz, f.met_by.at_ms),
      how: f.met_by.how,
    },
    contact: contactLink(site, f.contact_id, f.surveyed_ms),
  };
}

export function followupRoutes(ch: ClickHouseClient, opts: { now: () => number }) {
  return new Hono<AppEnv>().get("/", validate("query", FollowupsQuery), async (c) => {
    const q = c.req.valid("query");
    allow(c, "alerts", q.site);
    await requireSite(c, q.site);
    const now = opts.now();
    const config = await loadSiteConfig(ch, q.site);
    const to = q.to === undefined ? now : bound(config.tz, "to", q.to);
    const from =
      q.from === undefined ? Math.max(0, to - DEFAULT_RANGE_MS) : bound(config.tz, "from", q.from);
    assertOrdered(from, to);
    if (to - from > MAX_RANGE_MS)
      throw new ApiError("bad_request", "from and to may be at most 92 days apart", [
        { path: "from", message: "more than 92 days before to" },
      ]);
    const items = await computeFollowups(ch, q.site, {
      from_ms: from,
      to_ms: to,
      now_ms: now,
      queue: q.queue,
    });
    // Over the whole range, before the status filter and the limit: the figure behind the list.
    const counts = Object.fromEntries(FollowupStatus.options.map((s) => [s, 0])) as Record<
      FollowupStatus,
      number
    >;
    for (const f of items) counts[f.status]++;
    const listed = (q.status === undefined ? items : items.filter((f) => f.status === q.status))
      .slice(0, q.limit)
      .map((f) => present(q.site, config.tz, f));
    c.header("Cache-Control", "no-store");
    return c.json({
      site: q.site,
      from: formatLocal(config.tz, from),
      to: formatLocal(config.tz, to),
      as_of: formatLocal(config.tz, now),
      counts,
      followups: listed,
    } satisfies FollowupList);
  });
}
