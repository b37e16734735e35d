// Where TV frames come from: the site's snapshot (given), the layout (layouts.ts, cached ~1 s) and
// the site's rules for the figures' states, held and refreshed behind the answer every
// `rulesTtlMs` (1.5 s): one statement per site and period however many layouts and screens, not
// one per listener, and none between a snapshot and its screens once the site's rules are held.
import type { LiveSnapshot, Rule, TvFrame } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { loadRules } from "../alerts/rules";
import { makeStaleCache } from "./stale";
import type { LayoutStore } from "./layouts";
import { judgeQueues, projectTv } from "./tv";

export interface TvFrames {
  frame(site: string, layoutId: string, snap: LiveSnapshot): Promise<TvFrame>;
  /**
   * The snapshot with each queue's figure states (tv.ts judgeQueues) by the rules held for the
   * site; the snapshot as it is when they cannot be read (the figures matter more than colours).
   */
  withStates(site: string, snap: LiveSnapshot): Promise<LiveSnapshot>;
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
  // One judgement per snapshot and rules held: every GET /live and stream tick of a period reads
  // the same shared snapshot, and judging it once is enough.
  const judged = new WeakMap<LiveSnapshot, { rules: Rule[]; snap: LiveSnapshot }>();
  return {
    async frame(site, layoutId, snap) {
      const [layout, siteRules] = await Promise.all([layouts.get(site, layoutId), rules.get(site)]);
      return projectTv(snap, layout, siteRules);
    },
    async withStates(site, snap) {
      let siteRules: Rule[];
      try {
        siteRules = await rules.get(site);
      } catch {
        return snap;
      }
      const held = judged.get(snap);
      if (held?.rules === siteRules) return held.snap;
      const out = judgeQueues(snap, siteRules);
      judged.set(snap, { rules: siteRules, snap: out });
      return out;
    },
  };
}
