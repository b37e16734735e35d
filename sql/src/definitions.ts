// Each queue's definition versions (T, S, target from an instant on) as the deriver judges visits
// by them and the API applies them to reports: one conversion of queue_definitions rows, so the
// two can never disagree on which version was in force (version 1 counts from the beginning of
// time, whatever valid_from_ms it was stored with).
import type { z } from "zod";
import type { ClickHouseClient } from "./client";
import { loadQueueDefinitions } from "./queries/config";
import { runQuery } from "./query";

/** A queue's parameters from an instant on: the shape of contracts' `ParamVersion`. */
export interface DefinitionVersion {
  version: number;
  /** Epoch ms; Number.MIN_SAFE_INTEGER for version 1. */
  valid_from_ms: number;
  sl_threshold_s: number;
  short_abandon_s: number;
  sl_target: number;
}

export interface QueueDefinitions {
  queue: string;
  /** The channel and names of the latest version. */
  channel: string;
  name_zh: string;
  name_en: string;
  /** Oldest first; never empty. */
  versions: DefinitionVersion[];
}

export type QueueDefinitionVersionRow = z.infer<typeof loadQueueDefinitions.row>;

/** The rows of `loadQueueDefinitions` (any order) per queue. */
export function queueDefinitionsOf(
  rows: readonly QueueDefinitionVersionRow[],
): Map<string, QueueDefinitions> {
  const sorted = [...rows].sort((a, b) =>
    a.queue === b.queue ? a.version - b.version : a.queue < b.queue ? -1 : 1,
  );
  const byQueue = new Map<string, QueueDefinitions>();
  for (const d of sorted) {
    let q = byQueue.get(d.queue);
    if (!q) {
      q = { queue: d.queue, channel: "", name_zh: "", name_en: "", versions: [] };
      byQueue.set(d.queue, q);
    }
    q.versions.push({
      version: d.version,
      valid_from_ms: d.version === 1 ? Number.MIN_SAFE_INTEGER : d.valid_from_ms,
      sl_threshold_s: d.sl_threshold_s,
      short_abandon_s: d.short_abandon_s,
      sl_target: d.sl_target,
    });
    q.channel = d.channel;
    q.name_zh = d.name_zh;
    q.name_en = d.name_en;
  }
  return byQueue;
}

/** Every queue's definition versions of a site (all queues, or those named), by queue name. */
export async function loadDefinitions(
  ch: ClickHouseClient,
  site: string,
  queues?: string[],
): Promise<Map<string, QueueDefinitions>> {
  return queueDefinitionsOf(await runQuery(ch, loadQueueDefinitions, { site, queues }));
}
