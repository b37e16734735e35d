// One figure's formula with the values of its row (formulas.ts), shown next to the cell that asked
// for it: numerator and denominator term by term, each term that is a list of visits a link into
// them, the result, and the definition versions that judged the interval.
import type { DefinitionUsed, Grain, ReportResponse, ReportRow } from "@floorwatch/contracts";
import { createMemo, For, type JSX, Show } from "solid-js";
import { useDesk } from "../context";
import { formatDateTime, formatDeskFigure } from "../format";
import { useT } from "../i18n";
import { contactsHref } from "../links";
import { CELL_DRILL, drillPath, intervalLabel, reportLabel } from "./cells";
import type { CellPlace } from "./cellPopover";
import { type FormulaFigure, formulaOf, type Param, type Side, type Term } from "./formulas";
import { type Word, words } from "./words";

/** A term's value as text: seconds exactly (a total wait is checked against the ASA by hand). */
function termText(name: Term["name"], value: number | null): string {
  if (value === null) return "–";
  if (name === "term_answered_wait") return `${Number(value.toFixed(3))} s`;
  if (name === "term_nps_net") return value > 0 ? `+${value}` : String(value);
  return String(value);
}

/** The figure's own value, exactly where the table rounds (a mean in seconds, a ratio in %). */
function exactText(figure: FormulaFigure, value: number | null): string {
  if (value === null) return "–";
  if (figure.endsWith("_s")) return `${Number(value.toFixed(3))} s`;
  return formatDeskFigure(figure, value);
}

export function FormulaPopover(props: {
  id: string;
  row: ReportRow;
  figure: FormulaFigure;
  response: ReportResponse;
  queueName: string;
  place: CellPlace;
  pinned: boolean;
  onPointerLeave: (e: MouseEvent) => void;
}) {
  const desk = useDesk();
  const t = useT(words);
  const f = createMemo(() => formulaOf(props.row, props.figure));
  const tz = () => props.response.tz;
  const termLabel = (name: Term["name"]) =>
    name.startsWith("term_") ? t(name as Word) : reportLabel(name, desk.lang());

  const termValue = (term: Term): JSX.Element => {
    const path =
      term.value !== null && !term.name.startsWith("term_")
        ? drillPath(props.row, props.response.drill_filters, CELL_DRILL[term.name])
        : null;
    const text = termText(term.name, term.value);
    return path ? (
      <a href={contactsHref(desk.site(), path)} data-drill={CELL_DRILL[term.name]}>
        {text}
      </a>
    ) : (
      <b>{text}</b>
    );
  };

  const SideView = (p: { side: Side; part: "numerator" | "denominator" }) => (
    <div
      class="formula-side"
      data-part={p.part}
      data-value={p.side.value ?? ""}
      data-derived={p.side.derived ? "true" : "false"}
    >
      <span class="formula-side-name">{t(p.part)}</span>
      <span class="formula-terms">
        <For each={p.side.terms}>
          {(term, i) => (
            <span class="formula-term" data-field={term.name} data-value={term.value ?? ""}>
              {i() === 0 ? "" : term.sign < 0 ? " − " : " + "}
              {termLabel(term.name)} {termValue(term)}
            </span>
          )}
        </For>
        <Show when={p.side.terms.length > 1}>
          <span class="formula-sum">
            {" "}
            = <b>{p.side.value ?? "–"}</b>
          </span>
        </Show>
      </span>
      <Show when={p.side.derived}>
        <span class="formula-note">{t("derived")}</span>
      </Show>
    </div>
  );

  const versionText = (v: DefinitionUsed) =>
    t("definitionVersion", {
      set: props.row.definition.set,
      version: v.version,
      from: Date.parse(v.valid_from) <= 0 ? t("sinceStart") : formatDateTime(v.valid_from, tz()),
      t: v.sl_threshold_s,
      s: v.short_abandon_s,
      target: formatDeskFigure("service_level", v.sl_target),
    });

  // Below the cell, overlapping its edge so the pointer can move onto the popover; above it when
  // the cell is low on the screen.
  const style = (): JSX.CSSProperties => {
    const r = props.place;
    const left = `${Math.max(8, Math.min(r.left, window.innerWidth - 460))}px`;
    return r.bottom > window.innerHeight * 0.6
      ? { left, bottom: `${window.innerHeight - r.top - 2}px` }
      : { left, top: `${r.bottom - 2}px` };
  };

  return (
    <div
      id={props.id}
      class="formula-popover"
      classList={{ pinned: props.pinned }}
      role="tooltip"
      data-testid="formula"
      data-figure={props.figure}
      data-key={`${props.row.queue}|${props.row.interval_start}`}
      data-kind={f().kind}
      data-params={f().params.join(",")}
      style={style()}
      onMouseLeave={(e) => props.onPointerLeave(e)}
    >
      <h3>
        {t("formulaFor", {
          figure: reportLabel(props.figure, desk.lang()),
          queue: props.queueName,
          start: intervalLabel(props.row.interval_start, props.response.interval as Grain, tz()),
        })}
      </h3>
      <p class="formula-def" data-part="definition">
        {t(`def_${props.figure}` as Word)}
      </p>
      <Show when={f().numerator}>{(n) => <SideView side={n()} part="numerator" />}</Show>
      <Show when={f().denominator}>{(d) => <SideView side={d()} part="denominator" />}</Show>
      <Show when={f().counts}>
        {(c) => (
          <div class="formula-side" data-part="counts" data-value={c().value ?? ""}>
            <span class="formula-side-name">{t("counts")}</span>
            <span class="formula-term" data-field={c().name} data-value={c().value ?? ""}>
              {termLabel(c().name)} {termValue(c())}
            </span>
          </div>
        )}
      </Show>
      <div
        class="formula-side formula-result"
        data-part="result"
        data-value={f().value ?? ""}
        data-recomputed={f().recomputed ?? ""}
      >
        <span class="formula-side-name">{t("result")}</span>
        <span>
          <Show when={f().numerator && f().denominator}>
            {f().numerator?.value ?? "–"} / {f().denominator?.value ?? "–"} ={" "}
          </Show>
          <b>{exactText(props.figure, f().value)}</b>
          <Show when={f().denominator?.value === 0}>
            <span class="formula-note">{t("noDenominator")}</span>
          </Show>
        </span>
      </div>
      <Show when={!f().numerator && !f().counts && f().kind !== "count"}>
        <p class="formula-note">{t("notInRow")}</p>
      </Show>
      <div class="formula-versions" data-part="versions">
        <span class="formula-side-name">
          {t("definition")}
          <Show when={f().params.length > 0}>
            {" "}
            (
            {f()
              .params.map((p: Param) => (p === "target" ? t("chartTarget") : p))
              .join(", ")}
            )
          </Show>
        </span>
        <ul>
          <For each={f().versions}>
            {(v) => (
              <li
                data-version={v.version}
                data-t={v.sl_threshold_s}
                data-s={v.short_abandon_s}
                data-target={v.sl_target}
              >
                {versionText(v)}
              </li>
            )}
          </For>
        </ul>
      </div>
    </div>
  );
}
