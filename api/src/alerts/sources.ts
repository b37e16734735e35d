// What the evaluator and the breach routes read beyond the live snapshot: follow-ups from the
// stored events, and a breach's figure at an instant recomputed from the facts stored now.
import type { ThresholdRuleDraft } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import type { AppOptions } from "../app";
import { ApiError } from "../errors";
import { loadSiteConfig } from "../metrics/config";
import { figureAt } from "./backtest";
import { FOLLOWUP_FIGURE } from "./evaluator";
import { computeFollowups } from "./followups";

/** The figure of an alert as a threshold rule (what figureAt and evidenceAt read of a rule). */
export function ruleOfFigure(figure: string, window: string): ThresholdRuleDraft {
  return {
    kind: "threshold",
    name: figure,
    name_zh: "",
    severity: "info",
    mute_outside_hours: false,
    labels: {},
    enabled: true,
    figure,
    window: window as ThresholdRuleDraft["window"],
    scope: { kind: "site" },
    comparator: ">",
    threshold: 0,
    for_s: 0,
    keep_firing_for_s: 0,
  };
}

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
    peakNow: async (site, b) => {
      if (b.figure === FOLLOWUP_FIGURE) return null;
      try {
        const config = await loadSiteConfig(ch, site);
        return await figureAt(ch, config, ruleOfFigure(b.figure, b.window), b.scope_key, b.peak_ms);
      } catch (err) {
        // A figure the facts cannot rebuild (agents' states) has no restatement to show.
        if (err instanceof ApiError && err.code === "bad_request") return null;
        throw err;
      }
    },
  };
}
