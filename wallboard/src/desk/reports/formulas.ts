// Each report figure as metrics.md defines it, taken apart into its numerator and denominator with
// the values of one report row: what the formula popover shows. Pure. A part that is a column of
// the row is shown as it is (and the figure recomputed from it must equal the row's value); a part
// the report does not carry (the resolved count behind a resolution rate) is derived as the
// figure × its denominator and flagged `derived`, never passed off as a column; a figure whose
// inputs the row does not carry at all (occupancy's agent times) names only what it counts.
import type { DefinitionUsed, QueueFigures, ReportRow } from "@floorwatch/contracts";

/** A row column, or a count the report does not carry (named by its words key `term_*`). */
export type TermName = keyof QueueFigures | `term_${string}`;

export interface Term {
  name: TermName;
  sign: 1 | -1;
  value: number | null;
}

export interface Side {
  terms: Term[];
  /** The signed sum of the terms; null when a term has no value. */
  value: number | null;
  /** Derived from the figure and the other side, not a column of the row. */
  derived: boolean;
}

export type FormulaKind = "count" | "sum" | "ratio" | "mean" | "max";

/** Definition parameters a figure depends on: T (service-level threshold), S (short abandon), target. */
export type Param = "T" | "S" | "target";

export interface Formula {
  figure: keyof QueueFigures;
  kind: FormulaKind;
  /** The row's own value of the figure. */
  value: number | null;
  numerator?: Side;
  denominator?: Side;
  /** For counts, maxima and means without a numerator here: the visits or responses counted. */
  counts?: Term;
  /** The figure recomputed from numerator and denominator (or the sum of its parts); undefined when
   * a side is derived or missing, i.e. when recomputing would only return the figure itself. */
  recomputed?: number | null;
  params: Param[];
  versions: DefinitionUsed[];
}

/** The figures that have a formula here: every figure of a report row, in the table's order. */
export const FORMULA_FIGURES = [
  "offered",
  "answered",
  "abandoned",
  "short_abandoned",
  "answered_within_sl",
  "service_level",
  "abandon_rate",
  "asa_s",
  "max_wait_s",
  "callbacks",
  "flowed_out",
  "handled",
  "aht_s",
  "resolution_rate",
  "transfer_rate",
  "first_response_s",
  "csat",
  "csat_responses",
  "low_csat",
  "nps",
  "nps_responses",
  "fcr_survey",
  "fcr_responses",
  "occupancy",
  "orphaned",
] as const satisfies readonly (keyof QueueFigures)[];
export type FormulaFigure = (typeof FORMULA_FIGURES)[number];

type Figures = Pick<ReportRow, keyof QueueFigures | "definition">;

const col = (row: Figures, name: keyof QueueFigures, sign: 1 | -1 = 1): Term => ({
  name,
  sign,
  value: row[name],
});

function side(terms: Term[], derived = false): Side {
  let value: number | null = 0;
  for (const t of terms)
    value = t.value === null || value === null ? null : value + t.sign * t.value;
  return { terms, value, derived };
}

/** A count behind a ratio or mean that the row carries only as figure × denominator. */
function derivedCount(name: TermName, figure: number | null, den: number, whole: boolean): Side {
  if (figure === null || den <= 0) return side([{ name, sign: 1, value: null }], true);
  const raw = figure * den;
  // Counts are whole; a total in seconds keeps the millisecond the facts are stored in.
  const value = whole ? Math.round(raw) : Math.round(raw * 1000) / 1000;
  return side([{ name, sign: 1, value }], true);
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** numerator / denominator as the API divides: no value for a denominator of 0. */
function divide(num: Side, den: Side, share: boolean): number | null {
  if (num.value === null || den.value === null || den.value <= 0) return null;
  const q = num.value / den.value;
  return share ? clamp01(q) : q;
}

/** The service level's and abandon rate's common denominator (metrics.md). */
const slDenominator = (row: Figures) =>
  side([col(row, "answered"), col(row, "abandoned"), col(row, "short_abandoned", -1)]);

export function formulaOf(row: Figures, figure: FormulaFigure): Formula {
  const versions = row.definition.versions;
  const value = row[figure];
  const base = { figure, value, versions };
  const count = (params: Param[] = [], counts?: Term): Formula => ({
    ...base,
    kind: "count",
    params,
    ...(counts ? { counts } : {}),
  });
  const ratio = (num: Side, den: Side, params: Param[], share = true): Formula => ({
    ...base,
    kind: "ratio",
    numerator: num,
    denominator: den,
    params,
    ...(num.derived || den.derived ? {} : { recomputed: divide(num, den, share) }),
  });
  switch (figure) {
    case "offered": {
      const parts = side([
        col(row, "answered"),
        col(row, "abandoned"),
        col(row, "callbacks"),
        col(row, "flowed_out"),
      ]);
      return { ...base, kind: "sum", numerator: parts, recomputed: parts.value, params: [] };
    }
    case "answered":
    case "abandoned":
    case "callbacks":
    case "flowed_out":
    case "orphaned":
    case "handled":
    case "csat_responses":
    case "nps_responses":
    case "fcr_responses":
      return count();
    case "short_abandoned":
      return count(["S"], col(row, "abandoned"));
    case "answered_within_sl":
      return count(["T"], col(row, "answered"));
    case "low_csat":
      return count([], col(row, "csat_responses"));
    case "service_level":
      return ratio(side([col(row, "answered_within_sl")]), slDenominator(row), [
        "T",
        "S",
        "target",
      ]);
    case "abandon_rate":
      return ratio(
        side([col(row, "abandoned"), col(row, "short_abandoned", -1)]),
        slDenominator(row),
        ["S"],
      );
    case "asa_s": {
      const den = side([col(row, "answered")]);
      return {
        ...base,
        kind: "mean",
        numerator: derivedCount("term_answered_wait", row.asa_s, row.answered, false),
        denominator: den,
        params: [],
      };
    }
    case "max_wait_s":
      return { ...base, kind: "max", counts: col(row, "offered"), params: [] };
    case "aht_s":
      // Over handled contacts with a known answer time: that count is not a column, so `handled`
      // is what it counts, not its denominator.
      return {
        ...base,
        kind: "mean",
        counts: { name: "term_handled_contacts", sign: 1, value: row.handled },
        params: [],
      };
    case "first_response_s":
    case "occupancy":
      return { ...base, kind: figure === "occupancy" ? "ratio" : "mean", params: [] };
    case "resolution_rate":
      return ratio(
        derivedCount("term_handled_resolved", row.resolution_rate, row.handled, true),
        side([col(row, "handled")]),
        [],
      );
    case "transfer_rate":
      return ratio(
        derivedCount("term_transfers", row.transfer_rate, row.answered, true),
        side([col(row, "answered")]),
        [],
        false,
      );
    case "csat":
      return ratio(
        derivedCount("term_csat_good", row.csat, row.csat_responses, true),
        side([col(row, "csat_responses")]),
        [],
      );
    case "nps":
      return ratio(
        derivedCount("term_nps_net", row.nps, row.nps_responses, true),
        side([col(row, "nps_responses")]),
        [],
        false,
      );
    case "fcr_survey":
      return ratio(
        derivedCount("term_fcr_yes", row.fcr_survey, row.fcr_responses, true),
        side([col(row, "fcr_responses")]),
        [],
      );
  }
}
