// A site's configuration as an admin stores it, for tests that need a zone, names or definition
// versions before (or instead of) what the ingest makes on a site's first event.
import {
  type ClickHouseClient,
  insertRows,
  QUEUE_DEFINITIONS_TABLE,
  type QueueDefinitionRow,
  SITES_TABLE,
} from "@floorwatch/sql";

/** A site in `tz`, configured by a test (not the ingest's default zone). */
export async function defineSite(
  ch: ClickHouseClient,
  site: string,
  tz: string,
  name = site,
): Promise<void> {
  await insertRows(ch, SITES_TABLE, [{ site, tz, name, updated_ms: 1, updated_by: "test" }]);
}

/** A queue's definition version; what is not given is version 1 of a voice queue from the start of
 * time with metrics.md's defaults (T = 20 s, S = 5 s, target 80 %), no names, created at 1 ms. */
export type QueueDefinition = { queue: string } & Partial<
  Omit<QueueDefinitionRow, "site" | "queue">
>;

export const queueDefinition = (site: string, def: QueueDefinition): QueueDefinitionRow => ({
  site,
  version: 1,
  valid_from_ms: 0,
  channel: "voice",
  sl_threshold_s: 20,
  short_abandon_s: 5,
  sl_target: 0.8,
  name_zh: "",
  name_en: "",
  created_ms: 1,
  created_by: "test",
  ...def,
});

/** Stores definition versions of `site`'s queues, in one insert. */
export async function defineQueues(
  ch: ClickHouseClient,
  site: string,
  defs: readonly QueueDefinition[],
): Promise<void> {
  await insertRows(
    ch,
    QUEUE_DEFINITIONS_TABLE,
    defs.map((d) => queueDefinition(site, d)),
  );
}
