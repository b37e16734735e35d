// The drill links of reports and live windows: each row carries the GET /api/v1/contacts URL of
// its queue and period (`drill`), and the response once carries, per figure, the filter that
// turns it into exactly the visits that figure counted (`drill_filters`), so that 4,800 rows do
// not each repeat ten URLs.
import type { Drill } from "@floorwatch/contracts";

export const DRILL_FILTERS: Drill = {
  offered: "outcome=offered",
  answered: "outcome=answered",
  abandoned: "outcome=abandoned",
  short_abandoned: "outcome=abandoned&short_abandon=true",
  answered_within_sl: "outcome=answered&within_sl=true",
  // The parts of the service level and abandon rate that are not within T / short.
  answered_outside_sl: "outcome=answered&within_sl=false",
  abandoned_after_short: "outcome=abandoned&short_abandon=false",
  callbacks: "outcome=callback",
  flowed_out: "outcome=flowed_out",
  orphaned: "outcome=orphaned",
  max_wait_s: "outcome=offered&sort=longest_wait&limit=1",
};

export function drillLink(site: string, queue: string, from: string, to: string): string {
  return `/api/v1/contacts?site=${site}&queue=${encodeURIComponent(queue)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

/** GET /api/v1/contacts/:id of one contact, read around an instant of its story. */
export function contactLink(site: string, contactId: string, aroundMs: number): string {
  return `/api/v1/contacts/${encodeURIComponent(contactId)}?site=${site}&around=${encodeURIComponent(new Date(aroundMs).toISOString())}`;
}
