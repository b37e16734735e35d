// What zod cannot see in a rule: whether its figure, window, volume and queues exist at this site,
// and whether its thresholds can work. Every problem is named, as a 400 lists them.
import {
  figureProblem,
  WINDOW_FIGURES,
  type RuleDraft,
  type ThresholdRuleDraft,
} from "@floorwatch/contracts";
import type { Issue } from "../errors";
import { lifecycleProblem } from "./lifecycle";
import { volumeFigureOf } from "./observe";

export function ruleIssues(draft: RuleDraft, queues: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const scope = draft.scope;
  if (scope.kind === "queue" && !queues.has(scope.queue))
    issues.push({ path: "scope.queue", message: `unknown queue "${scope.queue}" at this site` });
  if (scope.kind === "each_queue")
    for (const q of scope.except)
      if (!queues.has(q))
        issues.push({ path: "scope.except", message: `unknown queue "${q}" at this site` });
  if (draft.kind === "threshold") issues.push(...thresholdIssues(draft));
  return issues;
}

function thresholdIssues(r: ThresholdRuleDraft): Issue[] {
  const issues: Issue[] = [];
  const figure = figureProblem(r.figure, r.window);
  if (figure) issues.push({ path: "figure", message: figure });
  const targetUsed = r.threshold === "sl_target" || r.recovery_threshold === "sl_target";
  if (targetUsed && r.figure !== "service_level")
    issues.push({
      path: "threshold",
      message: `"sl_target" is the queue's service-level target: only a service_level rule can use it`,
    });
  if (r.volume_figure !== undefined && !(WINDOW_FIGURES as string[]).includes(r.volume_figure))
    issues.push({ path: "volume_figure", message: `unknown figure "${r.volume_figure}"` });
  if (r.min_volume !== undefined) {
    if (r.window === "now")
      issues.push({
        path: "min_volume",
        message: "a figure of the queue now rests on no period's volume; drop min_volume",
      });
    else if (!volumeFigureOf(r))
      issues.push({
        path: "volume_figure",
        message: `"${r.figure}" has no default volume: name the volume_figure min_volume counts`,
      });
  }
  if (!targetUsed) {
    const problem = lifecycleProblem({
      comparator: r.comparator,
      threshold: r.threshold as number,
      recovery_threshold: r.recovery_threshold as number | undefined,
      for_ms: r.for_s * 1000,
      keep_firing_for_ms: r.keep_firing_for_s * 1000,
      min_volume: r.min_volume,
    });
    if (problem) issues.push({ path: "recovery_threshold", message: problem });
  }
  return issues;
}
