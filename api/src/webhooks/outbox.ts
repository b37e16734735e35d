// The durable outbox of notifications: a delivery (one event to one subscription) is a row of
// webhook_deliveries before anything is sent, and the worker (worker.ts) sends what is due from
// there. Any API process may queue (the dispatcher on the elected one; the test and redeliver
// routes on whichever answers); only the elected process sends.
//
// Ids are derived, not drawn: a delivery's id and its `webhook-id` (message id) come from its
// subscription and its event's key, so an event queued twice (two processes, a dispatch retried
// after a crash) is one delivery. A redelivery is a new delivery of the same message id.
import { createHash, randomBytes } from "node:crypto";
import type { WebhookEvent, WebhookEventType } from "@floorwatch/contracts";
import {
  insertRows,
  loadKnownDeliveries,
  runQuery,
  WEBHOOK_DELIVERIES_TABLE,
  type ClickHouseClient,
  type WebhookDeliveryRow,
} from "@floorwatch/sql";

/** One event for one subscription, to be queued. */
export interface NewDelivery {
  webhook_id: string;
  /** What makes the event itself: `<alert id>:firing`, `ack:<alert id>:<ms>`, `test:<random>`. */
  event_key: string;
  type: WebhookEventType;
  site: string;
  alert_id: string | null;
  event: WebhookEvent;
}

const hash = (...parts: string[]) =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);

export const deliveryIdOf = (webhookId: string, eventKey: string) =>
  `dlv_${hash("delivery", webhookId, eventKey)}`;
export const messageIdOf = (webhookId: string, eventKey: string) =>
  `msg_${hash("message", webhookId, eventKey)}`;

/** How far back a queued delivery may be found again (longer than any dispatch can lag). */
const KNOWN_WINDOW_MS = 7 * 86_400_000;
const KNOWN_CHUNK = 2_000;

export interface Outbox {
  /**
   * Queues the deliveries not queued yet (by id); answers the ids of those it queued. Resolves
   * once they are stored: from then on they are delivered whatever happens to this process.
   */
  queue(items: readonly NewDelivery[], eventMs: number): Promise<string[]>;
  /** Queues `row`'s message again, as a new delivery with the same message id. */
  redeliver(row: WebhookDeliveryRow): Promise<string>;
  /** Tells this process's worker that something was queued (it also polls for other processes'). */
  onQueued(listener: () => void): void;
}

export function makeOutbox(ch: ClickHouseClient, now: () => number = Date.now): Outbox {
  const listeners: (() => void)[] = [];
  const kick = () => {
    for (const l of listeners) l();
  };
  return {
    async queue(items, eventMs) {
      if (items.length === 0) return [];
      const byId = new Map(items.map((i) => [deliveryIdOf(i.webhook_id, i.event_key), i]));
      // In chunks: a statement naming every id of a busy tick would pass max_query_size.
      const ids = [...byId.keys()];
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += KNOWN_CHUNK)
        for (const r of await runQuery(ch, loadKnownDeliveries, {
          ids: ids.slice(i, i + KNOWN_CHUNK),
          from_ms: Math.min(eventMs, now()) - KNOWN_WINDOW_MS,
        }))
          known.add(r.delivery_id);
      const at = now();
      const rows: WebhookDeliveryRow[] = [];
      for (const [id, i] of byId) {
        if (known.has(id)) continue;
        rows.push({
          delivery_id: id,
          message_id: messageIdOf(i.webhook_id, i.event_key),
          webhook_id: i.webhook_id,
          type: i.type,
          site: i.site,
          alert_id: i.alert_id ?? "",
          payload: JSON.stringify(i.event),
          redelivery_of: "",
          state: "pending",
          attempts: 0,
          next_ms: at,
          created_ms: at,
          updated_ms: at,
        });
      }
      await insertRows(ch, WEBHOOK_DELIVERIES_TABLE, rows);
      if (rows.length) kick();
      return rows.map((r) => r.delivery_id);
    },
    async redeliver(row) {
      const at = now();
      const id = `dlv_${randomBytes(12).toString("hex")}`;
      await insertRows(ch, WEBHOOK_DELIVERIES_TABLE, [
        {
          ...row,
          delivery_id: id,
          redelivery_of: row.delivery_id,
          state: "pending",
          attempts: 0,
          next_ms: at,
          created_ms: at,
          updated_ms: at,
        },
      ]);
      kick();
      return id;
    },
    onQueued(listener) {
      listeners.push(listener);
    },
  };
}
