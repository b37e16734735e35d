// One contact's story as a timeline: its events (queued, answered, transferred, wrapped up…) and
// its survey responses in the order they happened, each with the details worth reading. Pure.
import type { ContactDetail } from "@floorwatch/contracts";

export interface TimelineItem {
  /** Unique in the timeline: the event id, or `survey:<id>`. */
  key: string;
  kind: "event" | "survey";
  /** The event type (`contact.answered`), `survey.completed` for a survey. */
  type: string;
  /** As the API gave it (RFC 3339, the site's offset). */
  at: string;
  queue: string;
  agent_id: string;
  /** Name and value of each detail, in a fixed order; empty values left out. */
  detail: [string, string][];
}

/** The order details are shown in (the API's record has no order of its own). */
const DETAIL_ORDER = [
  "channel",
  "direction",
  "customer_tier",
  "customer_phone",
  "to_queue",
  "to_agent_id",
  "disposition",
  "category",
];

const rank = (key: string) => {
  const i = DETAIL_ORDER.indexOf(key);
  return i < 0 ? DETAIL_ORDER.length : i;
};

/** Events and surveys by time; at the same instant events first, each in the order the API gave. */
export function timelineOf(d: ContactDetail): TimelineItem[] {
  const items: (TimelineItem & { ms: number; n: number })[] = [];
  for (const [n, e] of d.events.entries())
    items.push({
      key: e.event_id,
      kind: "event",
      type: e.type,
      at: e.at,
      queue: e.queue,
      agent_id: e.agent_id,
      detail: Object.entries(e.detail)
        .filter(([, v]) => v !== "")
        .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])),
      ms: Date.parse(e.at),
      n,
    });
  for (const [n, s] of d.surveys.entries()) {
    const detail: [string, string][] = [
      ["csat", s.csat === null ? "" : String(s.csat)],
      ["nps", s.nps === null ? "" : String(s.nps)],
      ["resolved", s.resolved === null ? "" : s.resolved ? "yes" : "no"],
      ["comment", s.comment ?? ""],
    ];
    items.push({
      key: `survey:${s.survey_id}`,
      kind: "survey",
      type: "survey.completed",
      at: s.at,
      queue: "",
      agent_id: s.agent_id,
      detail: detail.filter(([, v]) => v !== ""),
      ms: Date.parse(s.at),
      n: d.events.length + n,
    });
  }
  items.sort((a, b) => a.ms - b.ms || a.n - b.n);
  return items.map(({ ms: _ms, n: _n, ...item }) => item);
}
