// The configuration a figure depends on: the site's time zone and each queue's definition versions
// (metrics.md: "each figure carries the id and version of the definition set that produced it, and
// the parameters in force").
import {
  channelDefaults,
  DEFAULT_TIME_ZONE,
  versionIn,
  type DefinitionUsed,
  type ParamVersion,
} from "@floorwatch/contracts";
import {
  loadDefinitions,
  loadSites,
  runQuery,
  type ClickHouseClient,
  type QueueDefinitions,
  type Segment,
} from "@floorwatch/sql";

export type Version = ParamVersion;

/** A queue's versions (oldest first, never empty), channel and names (sql/src/definitions.ts). */
export type QueueConfig = QueueDefinitions;

export interface SiteConfig {
  site: string;
  tz: string;
  queues: QueueConfig[];
}

export async function loadSiteConfig(ch: ClickHouseClient, site: string): Promise<SiteConfig> {
  const [sites, defs] = await Promise.all([
    runQuery(ch, loadSites, { sites: [site] }),
    loadDefinitions(ch, site),
  ]);
  return {
    site,
    tz: sites[0]?.tz || DEFAULT_TIME_ZONE,
    queues: [...defs.values()],
  };
}

/** A queue the rollups know but no definition names (not expected: the ingest creates one). */
export function defaultQueue(queue: string, channel = "voice"): QueueConfig {
  return {
    queue,
    channel,
    name_zh: "",
    name_en: "",
    versions: [{ version: 1, valid_from_ms: Number.MIN_SAFE_INTEGER, ...channelDefaults(channel) }],
  };
}

export function versionOf(q: QueueConfig, version: number): Version {
  return q.versions.find((v) => v.version === version) ?? q.versions[0]!;
}

/** The version in force at an instant. */
export function versionAt(q: QueueConfig, ms: number): Version {
  return versionIn(q.versions, ms);
}

/** Version switch points for the SQL that splits sums by version. */
export function segmentsOf(queues: readonly QueueConfig[]): Segment[] {
  return queues.flatMap((q) =>
    q.versions
      .filter((v) => v.version > 1)
      .map((v) => ({ queue: q.queue, version: v.version, from_ms: v.valid_from_ms })),
  );
}

export function describeVersion(v: Version): DefinitionUsed {
  return {
    version: v.version,
    valid_from:
      v.valid_from_ms === Number.MIN_SAFE_INTEGER
        ? "1970-01-01T00:00:00.000Z"
        : new Date(v.valid_from_ms).toISOString(),
    sl_threshold_s: v.sl_threshold_s,
    short_abandon_s: v.short_abandon_s,
    sl_target: v.sl_target,
  };
}
