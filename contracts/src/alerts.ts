// SLA breach alerts (issue #11): rules over the figures of GET /api/v1/live, the alerts they raise,
// the breaches (one per firing) and the low-score follow-ups of metrics.md. Shared by the API (routes,
// evaluator, backtest), the wallboard (firing alerts in the live stream) and integrations.
import { z } from "zod";
import { Channel } from "./events";
import { Id, Rfc3339, SiteId } from "./primitives";
import { QueueFigures, ReportBound } from "./reports";

/** Where a rule reads its figure: the queue now (waiting, agents), or a sliding live window. */
export const RuleWindow = z.enum(["now", "15m", "60m", "today"]);
export type RuleWindow = z.infer<typeof RuleWindow>;

/** Figures of the queue at the instant (window `now`), as GET /api/v1/live names them. */
export const INSTANT_FIGURES = [
  "waiting",
  "longest_waiting_s",
  "breaching_soon",
  "agents.available",
  "agents.on_contact",
  "agents.wrap_up",
  "agents.not_ready",
  "agents.logged_in",
] as const;

/** Figures of a live window (15m, 60m, today): every figure of metrics.md for a queue. */
export const WINDOW_FIGURES = Object.keys(QueueFigures.shape) as (keyof QueueFigures)[];

/**
 * The volume a figure rests on, which `min_volume` reads unless the rule names another
 * (`volume_figure`): a service level of 0 % from one abandoned call is no breach.
 */
export const DEFAULT_VOLUME_FIGURE: Partial<Record<keyof QueueFigures, keyof QueueFigures>> = {
  service_level: "offered",
  abandon_rate: "offered",
  asa_s: "answered",
  max_wait_s: "offered",
  transfer_rate: "answered",
  aht_s: "handled",
  resolution_rate: "handled",
  csat: "csat_responses",
  nps: "nps_responses",
  fcr_survey: "fcr_responses",
};

/** Why a figure name cannot be read in a window, or null when it can. */
export function figureProblem(figure: string, window: RuleWindow): string | null {
  const instant = (INSTANT_FIGURES as readonly string[]).includes(figure);
  const windowed = (WINDOW_FIGURES as string[]).includes(figure);
  if (!instant && !windowed)
    return `unknown figure "${figure}"; known: ${[...INSTANT_FIGURES, ...WINDOW_FIGURES].join(", ")}`;
  if (instant && window !== "now")
    return `"${figure}" is a figure of the queue now: its window must be "now"`;
  if (windowed && window === "now")
    return `"${figure}" is a figure over a period: its window must be 15m, 60m or today`;
  return null;
}

export const RuleScope = z.discriminatedUnion("kind", [
  /** The site as a whole: every queue's contacts together (agents counted once). */
  z.strictObject({ kind: z.literal("site") }),
  /** Every queue of one channel together. */
  z.strictObject({ kind: z.literal("channel"), channel: Channel }),
  z.strictObject({ kind: z.literal("queue"), queue: Id }),
  /** One alert per queue of the site (of one channel, when named), but those in `except`. */
  z.strictObject({
    kind: z.literal("each_queue"),
    channel: Channel.optional(),
    /** Queues this rule leaves to rules of their own (a queue with a different target). */
    except: z.array(Id).max(500).default([]),
  }),
]);
export type RuleScope = z.infer<typeof RuleScope>;

/** A number, or `sl_target`: the service-level target of the queue's definition in force. */
export const Threshold = z.union([z.number().finite(), z.literal("sl_target")]);
export type Threshold = z.infer<typeof Threshold>;

export const Comparator = z.enum([">", ">=", "<", "<="]);
export const Severity = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof Severity>;

const LabelKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "label names are a-z, 0-9 and _");
const Labels = z
  .record(LabelKey, z.string().max(256))
  .refine((l) => Object.keys(l).length <= 20, "at most 20 labels")
  .default({});

const common = {
  name: z.string().trim().min(1).max(200),
  name_zh: z.string().trim().max(200).default(""),
  severity: Severity.default("warning"),
  /** Held off outside the site's business hours (GET /api/v1/sites/:site/hours, the version in force). */
  mute_outside_hours: z.boolean().default(false),
  labels: Labels,
  enabled: z.boolean().default(true),
};

const seconds = (max: number) => z.number().int().min(0).max(max);

/** A rule over one figure: fires when the comparison holds for `for_s`, resolves after `keep_firing_for_s` back past the recovery threshold. */
export const ThresholdRuleDraft = z.strictObject({
  kind: z.literal("threshold"),
  ...common,
  figure: z.string().min(1).max(64),
  window: RuleWindow,
  scope: RuleScope,
  comparator: Comparator,
  threshold: Threshold,
  /** Firing ends only once the value is back past this; default: the threshold. */
  recovery_threshold: Threshold.optional(),
  for_s: seconds(86_400).default(60),
  keep_firing_for_s: seconds(86_400).default(60),
  /** The least volume the figure must rest on (see `volume_figure`). */
  min_volume: z.number().int().min(0).max(1_000_000).optional(),
  /** A window figure counting the volume; default by figure (offered for a service level…). */
  volume_figure: z.string().min(1).max(64).optional(),
});
export type ThresholdRuleDraft = z.infer<typeof ThresholdRuleDraft>;

/** The per-item rule of metrics.md: each survey with csat ≤ 2 not followed up within 24 h is a breach. */
export const FollowupRuleDraft = z.strictObject({
  kind: z.literal("followup"),
  ...common,
  /** Which surveys: by their queue or channel, or the whole site. */
  scope: RuleScope,
});
export type FollowupRuleDraft = z.infer<typeof FollowupRuleDraft>;

export const RuleDraft = z.discriminatedUnion("kind", [ThresholdRuleDraft, FollowupRuleDraft]);
export type RuleDraft = z.infer<typeof RuleDraft>;
export type RuleDraftInput = z.input<typeof RuleDraft>;

export const Rule = z.intersection(
  RuleDraft,
  z.object({
    id: z.string(),
    site: SiteId,
    /** 1 for a default rule as shipped; every edit is a new version. */
    version: z.number().int().positive(),
    /** A default rule of the bank service plans (metrics.md "Default targets"). */
    builtin: z.boolean(),
    updated_at: z.string(),
    updated_by: z.string(),
  }),
);
export type Rule = z.infer<typeof Rule>;

export const RuleList = z.object({ site: SiteId, rules: z.array(Rule) });
export type RuleList = z.infer<typeof RuleList>;

export const RuleVersions = z.object({
  site: SiteId,
  id: z.string(),
  current: Rule.nullable(),
  /** Every version, oldest first; a deleted rule's last entry has `deleted: true`. */
  versions: z.array(
    z.object({
      version: z.number().int(),
      deleted: z.boolean(),
      rule: RuleDraft.nullable(),
      at: z.string(),
      by: z.string(),
    }),
  ),
});
export type RuleVersions = z.infer<typeof RuleVersions>;

export const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "rule ids are a-z, 0-9, _ and -, at most 64");

export const SiteQuery = z.object({ site: SiteId });

export const AlertPhase = z.enum(["pending", "firing"]);
export type AlertPhase = z.infer<typeof AlertPhase>;

export const AlertsQuery = z.object({ site: SiteId, state: AlertPhase.optional() }).strict();
export type AlertsQuery = z.infer<typeof AlertsQuery>;

/** What an alert is about: one queue, a channel, the site, or one survey (follow-ups). */
export const AlertScope = z.object({
  /** Stable key of the scope within the rule: `site`, `channel:voice`, `queue:loans`, `survey:s-31`. */
  key: z.string(),
  queue: z.string().nullable(),
  channel: z.string().nullable(),
  survey_id: z.string().nullable(),
});
export type AlertScope = z.infer<typeof AlertScope>;

const alertCommon = {
  id: z.string(),
  site: SiteId,
  rule_id: z.string(),
  /** The rule version that raised it (pending) or fired it. */
  rule_version: z.number().int(),
  rule_name: z.string(),
  rule_name_zh: z.string(),
  severity: Severity,
  labels: z.record(z.string(), z.string()),
  scope: AlertScope,
  figure: z.string(),
  window: z.string(),
  comparator: z.string(),
  /** The threshold as applied (sl_target resolved to the queue's target). */
  threshold: z.number(),
  recovery_threshold: z.number(),
  /** The definition version of the queue in force when it fired (null: several queues). */
  definition_version: z.number().int().nullable(),
  acknowledged: z
    .object({ by: z.string(), at: z.string(), note: z.string() })
    .nullable()
    .meta({ description: "The latest acknowledgement; null while nobody has taken it on." }),
  /** The evidence: exactly the visits or surveys behind the figure over its window at its peak. */
  drill: z.string(),
};

export const Alert = z.object({
  ...alertCommon,
  state: AlertPhase,
  /** Since when the condition has held (pending, then firing). */
  since: z.string(),
  fired_at: z.string().nullable(),
  /** The figure at the last evaluation. */
  value: z.number().nullable(),
  peak: z.number().nullable(),
  peak_at: z.string().nullable(),
  evaluated_at: z.string(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.object({
  site: SiteId,
  as_of: z.string(),
  alerts: z.array(Alert),
});
export type AlertList = z.infer<typeof AlertList>;

export const AcknowledgeBody = z.strictObject({
  site: SiteId,
  note: z.string().trim().max(1000).default(""),
});
export type AcknowledgeBody = z.infer<typeof AcknowledgeBody>;

/** One firing of a rule over one scope, from firing to resolved. */
export const Breach = z.object({
  ...alertCommon,
  started_at: z.string(),
  /** When the condition began to hold (started_at − the rule's `for`). */
  pending_since: z.string(),
  /** null while still firing. */
  ended_at: z.string().nullable(),
  /** The worst value while it held, and when. */
  peak: z.number(),
  peak_at: z.string(),
  duration_s: z.number().nullable(),
});
export type Breach = z.infer<typeof Breach>;

export const BreachesQuery = z
  .object({
    site: SiteId,
    from: ReportBound,
    to: ReportBound,
    rule: z.string().max(64).optional(),
    queue: Id.optional(),
    severity: Severity.optional(),
    /** Only breaches someone acknowledged (true) or nobody did (false). */
    acknowledged: z.stringbool({ truthy: ["true", "1"], falsy: ["false", "0"] }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type BreachesQuery = z.infer<typeof BreachesQuery>;

export const BreachList = z.object({
  site: SiteId,
  from: z.string(),
  to: z.string(),
  breaches: z.array(Breach),
});
export type BreachList = z.infer<typeof BreachList>;

/** GET /breaches/:id: the breach, and its figure at the peak as the stored facts give it now. */
export const BreachDetail = Breach.extend({
  transitions: z.array(
    z.object({ kind: z.string(), at: z.string(), value: z.number().nullable() }),
  ),
  /** The figure at `peak_at` recomputed from the facts stored now; differs from `peak` after late events. */
  peak_now: z.number().nullable(),
  restated: z.boolean(),
});
export type BreachDetail = z.infer<typeof BreachDetail>;

export const FollowupStatus = z.enum(["open", "met", "overdue", "untrackable"]);
export type FollowupStatus = z.infer<typeof FollowupStatus>;

export const FollowupsQuery = z.object({
  site: SiteId,
  status: FollowupStatus.optional(),
  /** Surveys from (default: 7 days before `to`) … to (default: now). */
  from: ReportBound.optional(),
  to: ReportBound.optional(),
  queue: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type FollowupsQuery = z.infer<typeof FollowupsQuery>;

export const Followup = z.object({
  survey_id: z.string(),
  site: SiteId,
  queue: z.string(),
  agent_id: z.string(),
  csat: z.number().int(),
  /** The surveyed contact. */
  contact_id: z.string(),
  surveyed_at: z.string(),
  due_at: z.string(),
  status: FollowupStatus,
  customer: z.object({
    id: z.string().nullable(),
    tier: z.string().nullable(),
    /** Masked (138****5678) as everywhere. */
    phone: z.string().nullable(),
  }),
  /** The contact that met it: an outbound call to the customer, or an answered contact of theirs. */
  met_by: z
    .object({ contact_id: z.string(), at: z.string(), how: z.enum(["outbound", "answered"]) })
    .nullable(),
  /** GET /api/v1/contacts/:id of the surveyed contact. */
  contact: z.string(),
});
export type Followup = z.infer<typeof Followup>;

export const FollowupList = z.object({
  site: SiteId,
  from: z.string(),
  to: z.string(),
  as_of: z.string(),
  counts: z.record(FollowupStatus, z.number().int()),
  followups: z.array(Followup),
});
export type FollowupList = z.infer<typeof FollowupList>;

export const BacktestQuery = z.object({
  site: SiteId,
  from: ReportBound,
  to: ReportBound,
  /** The interval the replay steps at; default the evaluator's 5 s. */
  step_s: z.coerce.number().int().min(1).max(3600).default(5),
});
export type BacktestQuery = z.infer<typeof BacktestQuery>;

export const BacktestResult = z.object({
  site: SiteId,
  rule: RuleDraft,
  from: z.string(),
  to: z.string(),
  /** The evaluator's interval the replay stepped at. */
  step_s: z.number(),
  steps: z.number().int(),
  firings: z.array(
    z.object({
      scope: AlertScope,
      pending_since: z.string(),
      fired_at: z.string(),
      /** null: still firing at `to`. */
      resolved_at: z.string().nullable(),
      peak: z.number(),
      peak_at: z.string(),
    }),
  ),
  elapsed_ms: z.number(),
});
export type BacktestResult = z.infer<typeof BacktestResult>;

/** GET /breaches/:id/evidence: exactly what made the figure over its window at an instant. */
export const BreachEvidence = z.object({
  site: SiteId,
  breach_id: z.string(),
  figure: z.string(),
  window: z.string(),
  /** The instant (default: the breach's peak) and the window it closes, both ends included. */
  at: z.string(),
  from: z.string(),
  to: z.string(),
  /** The figure at `at` from the facts stored now. */
  value: z.number().nullable(),
  visits: z.array(
    z.object({
      contact_id: z.string(),
      queue: z.string(),
      started_at: z.string(),
      ended_at: z.string().nullable(),
      outcome: z.string(),
      wait_s: z.number(),
      /** GET /api/v1/contacts/:id of the contact. */
      contact: z.string(),
    }),
  ),
  /** Handlings, transfers, first responses (AHT, resolution, transfer rate, first response). */
  contacts: z.array(
    z.object({
      kind: z.string(),
      contact_id: z.string(),
      queue: z.string(),
      at: z.string(),
      duration_s: z.number().nullable(),
      outcome: z.string(),
      contact: z.string(),
    }),
  ),
  surveys: z.array(
    z.object({
      survey_id: z.string(),
      contact_id: z.string(),
      queue: z.string(),
      at: z.string(),
      csat: z.number().nullable(),
      nps: z.number().nullable(),
      resolved: z.boolean().nullable(),
      contact: z.string(),
    }),
  ),
});
export type BreachEvidence = z.infer<typeof BreachEvidence>;

export const EvidenceQuery = z.object({ site: SiteId, at: Rfc3339.optional() });
