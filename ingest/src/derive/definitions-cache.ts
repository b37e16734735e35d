// The deriver's copy of each site's definition versions (T, S per queue), read through the one
// loader the API also uses (sql/src/definitions.ts). A visit judged by a stale copy is caught by
// the reports (its sl_version is not the one in force) and judged again there, so a short TTL is
// enough; a queue the deriver itself creates drops the site's copy at once.
import type { ParamVersion } from "@floorwatch/contracts";
import type { QueueDefinitions } from "@floorwatch/sql";

export const DEFINITIONS_TTL_MS = 10_000;

export interface DefinitionsCache {
  /** queue → versions, oldest first, at most `ttlMs` old. */
  versionsOf(site: string): Promise<Map<string, ParamVersion[]>>;
  /** The next `versionsOf(site)` reads again. */
  forget(site: string): void;
}

export function makeDefinitionsCache(
  load: (site: string) => Promise<ReadonlyMap<string, QueueDefinitions>>,
  opts: { ttlMs?: number; now?: () => number } = {},
): DefinitionsCache {
  const ttlMs = opts.ttlMs ?? DEFINITIONS_TTL_MS;
  const now = opts.now ?? Date.now;
  const cached = new Map<string, { at: number; byQueue: Map<string, ParamVersion[]> }>();
  return {
    async versionsOf(site) {
      const hit = cached.get(site);
      if (hit && now() - hit.at < ttlMs) return hit.byQueue;
      const at = now();
      const byQueue = new Map<string, ParamVersion[]>();
      for (const [queue, q] of await load(site)) byQueue.set(queue, q.versions);
      cached.set(site, { at, byQueue });
      return byQueue;
    },
    forget(site) {
      cached.delete(site);
    },
  };
}
