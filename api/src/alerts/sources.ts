// What the evaluator and the breach routes read beyond the live snapshot: follow-ups from the
// stored events, and a breach's figure at its peak recomputed from the facts stored now.
import type { ClickHouseClient } from "@floorwatch/sql";
import type { AppOptions } from "../app";
import { computeFollowups } from "./followups";

export function alertSources(ch: ClickHouseClient): NonNullable<AppOptions["alerts"]> {
  return {
    followups: async (site, fromMs, toMs, nowMs) =>
      (await computeFollowups(ch, site, { from_ms: fromMs, to_ms: toMs, now_ms: nowMs })).map(
        (f) => ({
          survey_id: f.survey_id,
          queue: f.queue,
          channel: f.channel,
          surveyed_ms: f.surveyed_ms,
          due_ms: f.due_ms,
          status: f.status,
          met_ms: f.met_by?.at_ms ?? null,
        }),
      ),
  };
}
