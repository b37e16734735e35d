// The low-score follow-ups of the QA screen: each survey with a score of 2 or less, its status
// (open, met, overdue, untrackable) with the counts over the whole range, the due time, the
// contact that met it and the surveyed contact, each opening that contact's story.
import { type Followup, type FollowupList, FollowupStatus } from "@floorwatch/contracts";
import { A, useNavigate } from "@solidjs/router";
import { createMemo, For, type JSX, Show } from "solid-js";
import type { QueueNames } from "../../names";
import { useDesk } from "../context";
import { downloadCsv, toCsv } from "../csv";
import { common, useT } from "../i18n";
import { aroundOf, contactPage } from "../links";
import { type Column, ExportButton, Table } from "../parts";
import { csvFileName, type QaFilters } from "./filters";
import { ListNotes } from "./ListNotes";
import type { createLoad } from "./load";
import {
  csvTable,
  followupColumns,
  STATUS_ICON,
  STATUS_KEY,
  type TextColumn,
  tableColumn,
} from "./present";
import { qaWords } from "./words";

const STATUS_CLASS: Record<FollowupStatus, string | undefined> = {
  overdue: "state-breach",
  open: "state-warning",
  untrackable: "muted",
  met: undefined,
};

export function FollowupsPanel(props: {
  load: ReturnType<typeof createLoad<FollowupList>>;
  filters: QaFilters;
  queues: readonly QueueNames[];
  tz: string;
  setStatus: (status: FollowupStatus | null) => void;
}) {
  const desk = useDesk();
  const t = useT(qaWords);
  const c = useT(common);
  const navigate = useNavigate();
  const state = () => props.load.state();
  const rows = () => state().data?.followups ?? [];
  const counts = () => state().data?.counts;
  const total = () => {
    const k = counts();
    return k ? FollowupStatus.options.reduce((n, s) => n + (k[s] ?? 0), 0) : null;
  };
  const columns = createMemo(() =>
    followupColumns({ lang: desk.lang(), tz: props.tz, queues: props.queues, t }),
  );
  /** The surveyed contact's page, read around the survey (the API's own link). */
  const surveyedPage = (f: Followup) =>
    contactPage(desk.site(), f.contact_id, aroundOf(f.contact) ?? f.surveyed_at);
  const link = (href: string, text: string, testid: string): JSX.Element => (
    <A href={href} data-testid={testid} onClick={(e) => e.stopPropagation()}>
      {text}
    </A>
  );

  const cell = (col: TextColumn<Followup>): Column<Followup> =>
    tableColumn(
      col,
      col.id === "status"
        ? (f) => (
            <span class={STATUS_CLASS[f.status]}>
              <span aria-hidden="true">{STATUS_ICON[f.status]} </span>
              {col.text(f)}
            </span>
          )
        : col.id === "contact"
          ? (f) => link(surveyedPage(f), col.text(f), "surveyed-contact")
          : col.id === "met_by"
            ? (f) =>
                f.met_by
                  ? link(
                      contactPage(desk.site(), f.met_by.contact_id, f.met_by.at),
                      col.text(f),
                      "met-by",
                    )
                  : col.text(f)
            : undefined,
    );
  const tableColumns = createMemo(() => columns().map(cell));

  const exportCsv = () => {
    const { header, rows: cells } = csvTable(columns(), rows());
    downloadCsv(csvFileName("followups", desk.site(), props.filters), toCsv(header, cells));
  };

  const statusButton = (status: FollowupStatus | null) => {
    const n = () => (status === null ? total() : (counts()?.[status] ?? null));
    return (
      <button
        type="button"
        class="qa-status-button"
        data-status={status ?? "all"}
        data-count={n() ?? ""}
        aria-pressed={props.filters.status === status}
        onClick={() => props.setStatus(status)}
      >
        <Show when={status}>
          {(s) => (
            <span class={STATUS_CLASS[s()]} aria-hidden="true">
              {STATUS_ICON[s()]}{" "}
            </span>
          )}
        </Show>
        {status === null ? t("statusAll") : t(STATUS_KEY[status])}
        <Show when={n() !== null}>
          <span class="qa-count">{n()}</span>
        </Show>
      </button>
    );
  };

  return (
    <section
      class="qa-list"
      data-testid="followup-list"
      data-status={state().status}
      data-path={state().path ?? ""}
    >
      <div class="qa-list-head">
        <fieldset class="qa-status" aria-label={t("status")} data-testid="followup-status">
          {statusButton(null)}
          <For each={FollowupStatus.options}>{(s) => statusButton(s)}</For>
        </fieldset>
        <span class="desk-spacer" />
        <span data-testid="followup-count">
          {state().data ? t("followupCount", { n: rows().length }) : c("loading")}
        </span>
        <ExportButton
          testid="export-followups-csv"
          disabled={state().status !== "ready"}
          onClick={exportCsv}
        >
          {t("exportFollowups")}
        </ExportButton>
      </div>
      <ListNotes load={props.load} rows={rows().length} />
      <Show when={state().data}>
        <Table
          testid="followups"
          columns={tableColumns()}
          rows={rows()}
          key={(f) => f.survey_id}
          rowAttrs={(f) => ({ "data-status": f.status, "data-contact": f.contact_id })}
          onRowClick={(f) => navigate(surveyedPage(f))}
          empty={t("noFollowups")}
        />
      </Show>
    </section>
  );
}
