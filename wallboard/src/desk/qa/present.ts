// What the QA screens show of a breach, a follow-up and a breach's evidence, as text: one column
// model per list, read by the table on screen AND by its CSV export, so the file holds exactly the
// cells the person saw (same times on the site's clock, same rounding, same words). Pure.
import type {
  AlertScope,
  Breach,
  BreachEvidence,
  Followup,
  FollowupStatus,
  Severity,
} from "@floorwatch/contracts";
import { alertFigure, comparatorSign, SEVERITY_KEY } from "../../banner";
import { figureLabel, NO_VALUE } from "../../figures";
import type { Lang } from "../../i18n";
import { type QueueNames, queueNameIn, ruleName } from "../../names";
import type { JSX } from "solid-js";
import type { Cell } from "../csv";
import { formatDateTime, formatDeskFigure, formatDuration } from "../format";
import { aroundOf } from "../links";
import type { T } from "../i18n";
import type { Column } from "../parts";
import { type qaWords, valueWords } from "./words";

/** The figure of a follow-up breach (api/src/alerts/evaluator.ts): hours past the due time. */
export const FOLLOWUP_FIGURE = "followup_overdue_h";

type QaKey = keyof (typeof qaWords)["en"];

/** The words a scope and a follow-up figure are said with (both dictionaries have them). */
type ScopeT = (
  key: "site" | "channel" | "surveyScope" | "followupFigure",
  vars?: Record<string, string>,
) => string;

/** Where a breach was: a queue's name, a channel, the whole site, or a survey. */
export function scopeText(
  scope: AlertScope,
  queues: readonly QueueNames[],
  lang: Lang,
  t: ScopeT,
): string {
  if (scope.survey_id) {
    const survey = t("surveyScope", { id: scope.survey_id });
    return scope.queue ? `${queueNameIn(queues, scope.queue, lang)} · ${survey}` : survey;
  }
  if (scope.queue) return queueNameIn(queues, scope.queue, lang);
  if (scope.channel) return t("channel", { channel: valueWord(lang, scope.channel) });
  return t("site");
}

/** A value the API sends as an id, in words when known (`voice` → 语音), else as sent. */
export function valueWord(lang: Lang, value: string): string {
  const words: Record<string, string> = valueWords[lang];
  return Object.hasOwn(words, value) ? (words[value] ?? value) : value;
}

/** The label of a breach's figure with its window (`SL 15 min`, `服务水平 15分钟`). */
export function breachFigureLabel(b: Pick<Breach, "figure" | "window">, lang: Lang, t: ScopeT) {
  return b.figure === FOLLOWUP_FIGURE ? t("followupFigure") : figureLabel(alertFigure(b), lang);
}

/** A value of a breach's figure formatted like the figure everywhere (a follow-up's hours as h:mm:ss). */
export function breachValue(
  b: Pick<Breach, "figure" | "window">,
  value: number | null | undefined,
) {
  if (value === null || value === undefined) return NO_VALUE;
  return b.figure === FOLLOWUP_FIGURE
    ? formatDuration(value * 3600)
    : formatDeskFigure(alertFigure(b), value);
}

/** `SL 15 min < 80.0%`: the figure, the comparison and the threshold as applied. */
export function conditionText(
  b: Pick<Breach, "figure" | "window" | "comparator" | "threshold">,
  lang: Lang,
  t: ScopeT,
): string {
  return `${breachFigureLabel(b, lang, t)} ${comparatorSign(b.comparator)} ${breachValue(b, b.threshold)}`;
}

/** A severity's shape beside its colour and word (colour alone is not read by everyone). */
export const SEVERITY_ICON: Record<Severity, string> = { critical: "⬢", warning: "▲", info: "●" };

/** One column of a list: its id (`data-col`), header, and the cell's text (screen and CSV). */
export interface TextColumn<R> {
  id: string;
  label: string;
  text: (row: R) => string;
  /** What the column sorts by on screen (default the text). */
  sort?: (row: R) => number | string | null;
  align?: "end";
}

/**
 * A list column in the table: sorted by its sort (else its text), showing `render` where the cell
 * is more than its text (a link, a mark), else the very text the CSV export writes.
 */
export function tableColumn<R>(col: TextColumn<R>, render?: (row: R) => JSX.Element): Column<R> {
  return {
    id: col.id,
    label: col.label,
    value: col.sort ?? col.text,
    align: col.align,
    render: render ?? ((row) => col.text(row)),
  };
}

export interface ListContext {
  lang: Lang;
  tz: string;
  queues: readonly QueueNames[];
  t: T<QaKey>;
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** The breach list's columns, in the order shown and exported. */
export function breachColumns(c: ListContext): TextColumn<Breach>[] {
  const { t, tz, lang } = c;
  return [
    {
      id: "started",
      label: t("started"),
      text: (b) => formatDateTime(b.started_at, tz),
      sort: (b) => ms(b.started_at),
    },
    {
      id: "severity",
      label: t("severity"),
      text: (b) => t(SEVERITY_KEY[b.severity]),
      sort: (b) => ({ critical: 0, warning: 1, info: 2 })[b.severity],
    },
    { id: "rule", label: t("rule"), text: (b) => ruleName(b, lang) },
    {
      id: "scope",
      label: t("scope"),
      text: (b) => scopeText(b.scope, c.queues, lang, t),
    },
    { id: "condition", label: t("condition"), text: (b) => conditionText(b, lang, t) },
    {
      id: "peak",
      label: t("peak"),
      text: (b) => breachValue(b, b.peak),
      sort: (b) => b.peak,
      align: "end",
    },
    {
      id: "duration",
      label: t("duration"),
      text: (b) => (b.duration_s === null ? t("stillFiring") : formatDuration(b.duration_s)),
      sort: (b) => b.duration_s ?? Number.POSITIVE_INFINITY,
      align: "end",
    },
    {
      id: "ended",
      label: t("ended"),
      text: (b) => formatDateTime(b.ended_at, tz),
      sort: (b) => ms(b.ended_at),
    },
    {
      id: "ack_by",
      label: t("ackBy"),
      text: (b) => b.acknowledged?.by ?? t("notAcknowledged"),
    },
    {
      id: "ack_at",
      label: t("ackAt"),
      text: (b) => (b.acknowledged ? formatDateTime(b.acknowledged.at, tz) : NO_VALUE),
      sort: (b) => ms(b.acknowledged?.at ?? null),
    },
    { id: "ack_note", label: t("ackNote"), text: (b) => b.acknowledged?.note ?? "" },
    { id: "rule_id", label: t("ruleId"), text: (b) => b.rule_id },
    {
      id: "rule_version",
      label: t("ruleVersion"),
      text: (b) => String(b.rule_version),
      sort: (b) => b.rule_version,
      align: "end",
    },
    {
      id: "definition_version",
      label: t("definitionVersion"),
      text: (b) => (b.definition_version === null ? NO_VALUE : String(b.definition_version)),
      sort: (b) => b.definition_version,
      align: "end",
    },
    { id: "id", label: t("breachId"), text: (b) => b.id },
  ];
}

const LIFECYCLE: Record<string, number> = { pending: 0, firing: 1, resolved: 2, cancelled: 2 };

/**
 * A breach's transitions in the order they happened; at one instant in the order of an alert's
 * life (a rule without `for` is pending and firing at the same evaluation, which the API lists
 * by name: firing before pending).
 */
export function transitionsInOrder<X extends { kind: string; at: string }>(
  list: readonly X[],
): X[] {
  return [...list].sort(
    (a, b) =>
      Date.parse(a.at) - Date.parse(b.at) || (LIFECYCLE[a.kind] ?? 3) - (LIFECYCLE[b.kind] ?? 3),
  );
}

export const STATUS_KEY = {
  open: "open",
  met: "met",
  overdue: "overdue",
  untrackable: "untrackable",
} as const satisfies Record<FollowupStatus, QaKey>;

/** A follow-up status's shape beside its colour and word. */
export const STATUS_ICON: Record<FollowupStatus, string> = {
  open: "○",
  met: "✓",
  overdue: "⬢",
  untrackable: "?",
};

/** The follow-up list's columns, in the order shown and exported. */
export function followupColumns(c: ListContext): TextColumn<Followup>[] {
  const { t, tz, lang } = c;
  return [
    {
      id: "status",
      label: t("status"),
      text: (f) => t(STATUS_KEY[f.status]),
      sort: (f) => ({ overdue: 0, open: 1, untrackable: 2, met: 3 })[f.status],
    },
    {
      id: "surveyed",
      label: t("surveyedAt"),
      text: (f) => formatDateTime(f.surveyed_at, tz),
      sort: (f) => ms(f.surveyed_at),
    },
    {
      id: "score",
      label: t("score"),
      text: (f) => String(f.csat),
      sort: (f) => f.csat,
      align: "end",
    },
    { id: "agent", label: t("agent"), text: (f) => f.agent_id },
    { id: "queue", label: t("queue"), text: (f) => queueNameIn(c.queues, f.queue, lang) },
    { id: "customer", label: t("customer"), text: (f) => f.customer.id ?? NO_VALUE },
    {
      id: "tier",
      label: t("tier"),
      text: (f) => (f.customer.tier ? valueWord(lang, f.customer.tier) : NO_VALUE),
    },
    { id: "phone", label: t("phone"), text: (f) => f.customer.phone ?? NO_VALUE },
    {
      id: "due",
      label: t("dueAt"),
      text: (f) => formatDateTime(f.due_at, tz),
      sort: (f) => ms(f.due_at),
    },
    { id: "met_by", label: t("metBy"), text: (f) => f.met_by?.contact_id ?? NO_VALUE },
    {
      id: "met_at",
      label: t("metAt"),
      text: (f) => (f.met_by ? formatDateTime(f.met_by.at, tz) : NO_VALUE),
      sort: (f) => ms(f.met_by?.at ?? null),
    },
    {
      id: "how",
      label: t("how"),
      text: (f) => (f.met_by ? t(f.met_by.how) : NO_VALUE),
    },
    { id: "contact", label: t("contact"), text: (f) => f.contact_id },
    { id: "survey", label: t("survey"), text: (f) => f.survey_id },
  ];
}

/** A list as CSV cells: the header and each row's cells, exactly as the columns show them. */
export function csvTable<R>(
  columns: readonly TextColumn<R>[],
  rows: readonly R[],
): { header: string[]; rows: Cell[][] } {
  return {
    header: columns.map((c) => c.label),
    rows: rows.map((r) => columns.map((c) => c.text(r))),
  };
}

/** One contact (or survey) behind a breach, as the evidence table lists it. */
export interface EvidenceRow {
  /** Unique in the table: the contact id (a survey's id for surveys); a contact seen again gets `#2`, `#3`. */
  key: string;
  kind: "visit" | "survey" | string;
  contact_id: string;
  survey_id: string | null;
  queue: string;
  /** ISO: a visit's start, a handling's end, a survey's time. */
  at: string;
  /** A visit's wait, a handling's duration (seconds); null when none. */
  seconds: number | null;
  outcome: string;
  csat: number | null;
  /** The instant the contact's page is read around (the API's choice). */
  around: string;
}

/** The evidence's visits, contacts and surveys as one list, each with a key unique in it. */
export function evidenceRows(e: BreachEvidence): EvidenceRow[] {
  const rows: Omit<EvidenceRow, "key">[] = [
    ...e.visits.map((v) => ({
      kind: "visit",
      contact_id: v.contact_id,
      survey_id: null,
      queue: v.queue,
      at: v.started_at,
      seconds: v.wait_s,
      outcome: v.outcome,
      csat: null,
      around: aroundOf(v.contact) ?? v.started_at,
    })),
    ...e.contacts.map((x) => ({
      kind: x.kind,
      contact_id: x.contact_id,
      survey_id: null,
      queue: x.queue,
      at: x.at,
      seconds: x.duration_s,
      outcome: x.outcome,
      csat: null,
      around: aroundOf(x.contact) ?? x.at,
    })),
    ...e.surveys.map((s) => ({
      kind: "survey",
      contact_id: s.contact_id,
      survey_id: s.survey_id,
      queue: s.queue,
      at: s.at,
      seconds: null,
      outcome: s.resolved === null ? "" : s.resolved ? "resolved" : "unresolved",
      csat: s.csat,
      around: aroundOf(s.contact) ?? s.at,
    })),
  ];
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const base = r.survey_id ?? r.contact_id;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...r, key: n === 1 ? base : `${base}#${n}` };
  });
}
