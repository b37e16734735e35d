// Where TV frames come from: the site's snapshot (given), the layout (layouts.ts, cached ~1 s) and
// the site's rules for the figures' states, held and refreshed behind the answer every
// `rulesTtlMs` (1.5 s): one statement per site and period however many layouts and screens, not
// one per listener, and none between a snapshot and its screens once the site's rules are held.
import type { LiveSnapshot, Rule, TvFrame } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { loadRules } from "../alerts/rules";
import { makeStaleCache } from "./stale";
import type { LayoutStore } from "./layouts";
import { projectTv } from "./tv";

export interface TvFrames {
  frame(site: string, layoutId: string, snap: LiveSnapshot): Promise<TvFrame>;
}

export function makeTvFrames(
  ch: ClickHouseClient,
  layouts: LayoutStore,
  opts: { now?: () => number; rulesTtlMs?: number } = {},
): TvFrames {
  // A failed read keeps the rules held: states stay as the floor had them rather than every
  // figure without a definition-based state turning "ok" for the duration.
  const rules = makeStaleCache(
    async (site: string): Promise<Rule[]> => (await loadRules(ch, [site])).get(site) ?? [],
    opts.rulesTtlMs ?? 1_500,
    opts.now,
  );
  return {
    async frame(site, layoutId, snap) {
      const [layout, siteRules] = await Promise.all([layouts.get(site, layoutId), rules.get(site)]);
      return projectTv(snap, layout, siteRules);
    },
  };
}
