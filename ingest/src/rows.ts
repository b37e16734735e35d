import { parseRfc3339Ms, type ContactEvent } from "@floorwatch/contracts";
import type { ContactEventRow } from "@floorwatch/sql";

/** Maps a validated contact.* event to its contact_events row; absent optional fields become ''. */
export function contactRow(e: ContactEvent, ingestedAtMs: number): ContactEventRow {
  const ms = parseRfc3339Ms(e.occurred_at) ?? 0;
  const row: ContactEventRow = {
    site: e.site,
    event_id: e.event_id,
    type: e.type,
    occurred_at: Math.floor(ms / 1000),
    occurred_ms: ms,
    contact_id: e.contact_id,
    queue: e.queue,
    channel: "",
    direction: "",
    agent_id: "",
    customer_id: "",
    customer_tier: "",
    customer_phone: "",
    to_queue: "",
    to_agent_id: "",
    disposition: "",
    category: "",
    ingested_at: Math.floor(ingestedAtMs / 1000),
  };
  switch (e.type) {
    case "contact.queued":
      row.channel = e.channel;
      row.direction = e.direction ?? "inbound";
      row.customer_id = e.customer?.id ?? "";
      row.customer_tier = e.customer?.tier ?? "";
      row.customer_phone = e.customer?.phone ?? "";
      break;
    case "contact.answered":
    case "contact.first_response":
    case "contact.ended":
      row.agent_id = e.agent_id;
      break;
    case "contact.transferred":
      row.agent_id = e.agent_id;
      row.to_queue = e.to_queue ?? "";
      row.to_agent_id = e.to_agent_id ?? "";
      break;
    case "contact.wrapped_up":
      row.agent_id = e.agent_id;
      row.disposition = e.disposition;
      row.category = e.category ?? "";
      break;
    case "contact.abandoned":
    case "contact.callback_requested":
      break;
  }
  return row;
}
