// The demo site's queue configuration: each demo queue's Chinese and English names, written where
// queue configuration lives (queue_definitions, the table PUT /api/v1/sites/:site/queues/:queue
// writes), so a zh-CN screen reads 信用卡 rather than a title made from the id `credit_card`.
//
// Once at demo start, and idempotent: a name already set is kept (an admin may have renamed a demo
// queue; the demo must not undo that every start), and a queue whose names are all set gets no row
// at all. A names-only row keeps the latest version's number and parameters, as the API's
// names-only change does: it replaces that version's row (ReplacingMergeTree by created_ms) and
// creates no new definition version, so reports keep their versions however often the demo starts.
import { channelDefaults } from "@floorwatch/contracts";
import {
  insertRows,
  loadDefinitions,
  QUEUE_DEFINITIONS_TABLE,
  type ClickHouseClient,
  type QueueDefinitionRow,
  type QueueDefinitions,
} from "@floorwatch/sql";
import type { DemoQueue } from "./simulator";

/** Who the rows are written by (the audit of configuration is the API's; this is the demo's own). */
export const DEMO_CONFIGURED_BY = "demo";

/**
 * The rows that give `queues` their names on `site`, given the stored definitions: none for a
 * queue whose names are both set already; the latest version with the missing names filled in;
 * version 1 with the channel's defaults for a queue not defined yet. Pure.
 */
export function demoQueueRows(
  site: string,
  queues: readonly Pick<DemoQueue, "queue" | "channel" | "name_zh" | "name_en">[],
  stored: ReadonlyMap<string, QueueDefinitions>,
  nowMs: number,
): QueueDefinitionRow[] {
  const rows: QueueDefinitionRow[] = [];
  for (const q of queues) {
    const existing = stored.get(q.queue);
    const latest = existing?.versions.at(-1);
    if (!existing || !latest) {
      rows.push({
        site,
        queue: q.queue,
        version: 1,
        valid_from_ms: 0,
        channel: q.channel,
        ...channelDefaults(q.channel),
        name_zh: q.name_zh,
        name_en: q.name_en,
        created_ms: nowMs,
        created_by: DEMO_CONFIGURED_BY,
      });
      continue;
    }
    if (existing.name_zh !== "" && existing.name_en !== "") continue;
    rows.push({
      site,
      queue: q.queue,
      version: latest.version,
      // Version 1 is stored from 0 (it counts from the beginning of time: sql/src/definitions.ts).
      valid_from_ms: latest.version === 1 ? 0 : latest.valid_from_ms,
      channel: existing.channel,
      sl_threshold_s: latest.sl_threshold_s,
      short_abandon_s: latest.short_abandon_s,
      sl_target: latest.sl_target,
      name_zh: existing.name_zh || q.name_zh,
      name_en: existing.name_en || q.name_en,
      created_ms: nowMs,
      created_by: DEMO_CONFIGURED_BY,
    });
  }
  return rows;
}

/** Names the demo queues of `site` where they have none, in one insert; returns the rows written. */
export async function configureDemoQueues(
  ch: ClickHouseClient,
  site: string,
  queues: readonly DemoQueue[],
  nowMs: number,
): Promise<QueueDefinitionRow[]> {
  const stored = await loadDefinitions(
    ch,
    site,
    queues.map((q) => q.queue),
  );
  const rows = demoQueueRows(site, queues, stored, nowMs);
  await insertRows(ch, QUEUE_DEFINITIONS_TABLE, rows);
  return rows;
}
