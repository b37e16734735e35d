// Where TV frames come from: the site's snapshot (given), the layout (layouts.ts, cached ~1 s) and
// the site's rules for the figures' states, read through a cache of `rulesTtlMs` (1.5 s): one
// statement per site and period however many layouts and screens, not one per listener.
import type { LiveSnapshot, Rule, TvFrame } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { loadRules } from "../alerts/rules";
import { makeCoalescer } from "../coalesce";
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
  // The last rules read per site: a failed read keeps the states the floor had, rather than
  // turning every figure without a definition-based state to "ok" for the duration.
  const lastGood = new Map<string, Rule[]>();
  const rules = makeCoalescer(
    async (site: string) => {
      try {
        const read = (await loadRules(ch, [site])).get(site) ?? [];
        lastGood.set(site, read);
        return read;
      } catch (err) {
        const kept = lastGood.get(site);
        if (kept) return kept;
        throw err;
      }
    },
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
