// Site and queue configuration of metrics.md: the parameters a figure depends on, and their
// defaults. Every figure carries the definition set (DEFINITION_SET) and the version of the queue's
// parameters that produced it.
import { z } from "zod";
import { Channel } from "./events";

/** The metric definitions this code implements: metrics.md v1. */
export const DEFINITION_SET = "floorwatch-metrics-v1";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export interface QueueParams {
  /** Service-level threshold T, whole seconds. */
  sl_threshold_s: number;
  /** Short-abandon threshold S, whole seconds. */
  short_abandon_s: number;
  /** Service-level target, 0–1 (colour and alerts). */
  sl_target: number;
}

/** metrics.md "Per-queue parameters (defaults by channel)". */
export const CHANNEL_DEFAULTS: Record<Channel, QueueParams> = {
  voice: { sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 },
  chat: { sl_threshold_s: 60, short_abandon_s: 5, sl_target: 0.8 },
  email: { sl_threshold_s: 60, short_abandon_s: 5, sl_target: 0.8 },
  video: { sl_threshold_s: 60, short_abandon_s: 5, sl_target: 0.8 },
};

export function channelDefaults(channel: string): QueueParams {
  return CHANNEL_DEFAULTS[Channel.safeParse(channel).success ? (channel as Channel) : "voice"];
}

/** An IANA time zone name this runtime knows (and so the reports can align days to). */
export const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.includes("/") || tz === "UTC";
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Asia/Shanghai");

export const QueueDefinition = z.object({
  site: z.string(),
  queue: z.string(),
  version: z.number().int().positive(),
  /** From this instant (epoch ms) on; version 1 is in force from the beginning. */
  valid_from_ms: z.number().int(),
  channel: z.string(),
  sl_threshold_s: z.number().int().min(1).max(3600),
  short_abandon_s: z.number().int().min(0).max(3600),
  sl_target: z.number().min(0).max(1),
  name_zh: z.string(),
  name_en: z.string(),
});
export type QueueDefinition = z.infer<typeof QueueDefinition>;

/** A queue's parameters from an instant on (version 1: from the beginning). */
export interface ParamVersion extends QueueParams {
  version: number;
  valid_from_ms: number;
}

/** The version in force at an instant: the latest that started at or before it (oldest first in). */
export function versionIn<V extends { valid_from_ms: number }>(
  versions: readonly V[],
  ms: number,
): V {
  let current = versions[0]!;
  for (const v of versions) if (v.valid_from_ms <= ms) current = v;
  return current;
}

/** Versions start on a quarter hour: the rollup's resolution (sql/migrations/0003_metrics.sql). */
export const VERSION_ALIGN_MS = 15 * 60 * 1000;
