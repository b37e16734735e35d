// The drill list's question (`/contacts?site=…&drill=<GET /api/v1/contacts path>`): only a
// contacts list of the page's own site is asked (a crafted link must not make the page call another
// endpoint with the person's token), its pages are asked with the API's cursor, and what the
// figure counted is named in words. Pure.
import type { VisitRow } from "@floorwatch/contracts";
import { formatDateTime } from "../format";
import type { Cell } from "../csv";
import { contactPage } from "../links";

const CONTACTS = "/api/v1/contacts";

/** Visits per page asked when the drill link fixes no limit (the API's maximum is 500). */
export const PAGE_SIZE = 200;
/** Pages are fetched on request up to this many visits: a browser table, not an export service. */
export const VISIT_CAP = 5_000;

export interface DrillTarget {
  /** The drill's query without paging and unmasking: the list's identity. */
  params: URLSearchParams;
  queue: string;
  from: string;
  to: string;
  /** The longest wait's link: the one visit sorted first is the figure, no further pages. */
  single: boolean;
}

export type DrillCheck =
  | { ok: true; target: DrillTarget }
  | { ok: false; reason: "missing" | "not_contacts" | "other_site" | "incomplete" };

/** Checks a drill link: a GET /api/v1/contacts query of `site`, naming its queue and period. */
export function parseDrill(drill: string | undefined | null, site: string): DrillCheck {
  if (!drill) return { ok: false, reason: "missing" };
  if (!drill.startsWith(`${CONTACTS}?`)) return { ok: false, reason: "not_contacts" };
  const url = new URL(drill, "http://drill.invalid");
  if (url.pathname !== CONTACTS || url.origin !== "http://drill.invalid")
    return { ok: false, reason: "not_contacts" };
  const params = url.searchParams;
  if (params.get("site") !== site) return { ok: false, reason: "other_site" };
  const queue = params.get("queue");
  const from = params.get("from");
  const to = params.get("to");
  if (!queue || !from || !to) return { ok: false, reason: "incomplete" };
  // The page decides these: unmasking only on the person's own request, paging by its cursor.
  params.delete("cursor");
  params.delete("unmask");
  return {
    ok: true,
    target: { params, queue, from, to, single: drillFigure(params) === "max_wait_s" },
  };
}

/** The API path of one page: the drill's query (its limit is the page size; else PAGE_SIZE), cursor, unmask. */
export function pagePath(target: DrillTarget, cursor: string | null, unmask: boolean): string {
  const q = new URLSearchParams(target.params);
  if (!q.has("limit")) q.set("limit", String(PAGE_SIZE));
  if (cursor) q.set("cursor", cursor);
  if (unmask) q.set("unmask", "true");
  return `${CONTACTS}?${q}`;
}

/** What the link lists, named after the report figure it came from (`offered`, `answered_within_sl`, …). */
export function drillFigure(params: URLSearchParams): string {
  const outcome = params.get("outcome") ?? "offered";
  const within = params.get("within_sl");
  const short = params.get("short_abandon");
  if (params.get("sort") === "longest_wait" && params.get("limit") === "1") return "max_wait_s";
  if (outcome === "answered" && within === "true") return "answered_within_sl";
  if (outcome === "answered" && within === "false") return "answered_outside_sl";
  if (outcome === "abandoned" && short === "true") return "short_abandoned";
  if (outcome === "abandoned" && short === "false") return "abandoned_after_short";
  if (outcome === "callback") return "callbacks";
  return outcome;
}

/** A visit's identity in the list (`data-key`): a contact can visit a queue more than once. */
export const visitKey = (v: Pick<VisitRow, "contact_id" | "started_at">) =>
  `${v.contact_id}|${v.started_at}`;

/** The contact's page, its story read around the end of this visit. */
export const contactHref = (site: string, v: Pick<VisitRow, "contact_id" | "ended_at">) =>
  contactPage(site, v.contact_id, v.ended_at);

/** The list as CSV rows: times on the site's clock, waits in seconds, phones as shown. */
export function visitCells(v: VisitRow, tz: string): Cell[] {
  return [
    v.contact_id,
    v.queue,
    v.channel,
    v.outcome,
    formatDateTime(v.started_at, tz),
    formatDateTime(v.ended_at, tz),
    v.wait_s,
    v.within_sl,
    v.short_abandon,
    v.agent_id,
    v.tier,
    v.customer_phone,
  ];
}
