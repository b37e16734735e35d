// The breach list of the QA screen: every breach GET /breaches answered for the filters, newest
// first, each row opening the breach's page; its CSV is the rows as shown.
import type { Breach, BreachList } from "@floorwatch/contracts";
import { A, useNavigate } from "@solidjs/router";
import { createMemo, Show } from "solid-js";
import type { QueueNames } from "../../names";
import { useDesk } from "../context";
import { downloadCsv, toCsv } from "../csv";
import { common, useT } from "../i18n";
import { type Column, ExportButton, Table } from "../parts";
import { csvFileName, type QaFilters } from "./filters";
import { ListNotes } from "./ListNotes";
import type { createLoad } from "./load";
import { breachColumns, csvTable, SEVERITY_ICON, type TextColumn, tableColumn } from "./present";
import { qaWords } from "./words";

/** The breach page of `id` on `site`. */
export const breachPage = (site: string, id: string) =>
  `/qa/breaches/${encodeURIComponent(id)}?site=${encodeURIComponent(site)}`;

export function BreachesPanel(props: {
  load: ReturnType<typeof createLoad<BreachList>>;
  filters: QaFilters;
  queues: readonly QueueNames[];
  tz: string;
}) {
  const desk = useDesk();
  const t = useT(qaWords);
  const c = useT(common);
  const navigate = useNavigate();
  const state = () => props.load.state();
  const rows = () => state().data?.breaches ?? [];
  const columns = createMemo(() =>
    breachColumns({ lang: desk.lang(), tz: props.tz, queues: props.queues, t }),
  );

  const cell = (col: TextColumn<Breach>): Column<Breach> =>
    tableColumn(
      col,
      col.id === "severity"
        ? (b) => (
            <span class={`sev-${b.severity}`}>
              <span aria-hidden="true">{SEVERITY_ICON[b.severity]} </span>
              {col.text(b)}
            </span>
          )
        : col.id === "rule"
          ? (b) => (
              <A
                href={breachPage(desk.site(), b.id)}
                data-testid="breach-link"
                onClick={(e) => e.stopPropagation()}
              >
                {col.text(b)}
              </A>
            )
          : col.id === "duration"
            ? (b) => (
                <span class={b.ended_at === null ? "state-breach" : undefined}>{col.text(b)}</span>
              )
            : undefined,
    );
  const tableColumns = createMemo(() => columns().map(cell));

  const exportCsv = () => {
    const { header, rows: cells } = csvTable(columns(), rows());
    downloadCsv(csvFileName("breaches", desk.site(), props.filters), toCsv(header, cells));
  };

  return (
    <section
      class="qa-list"
      data-testid="breach-list"
      data-status={state().status}
      data-path={state().path ?? ""}
    >
      <div class="qa-list-head">
        <span data-testid="breach-count">
          {state().data ? t("breachCount", { n: rows().length }) : c("loading")}
        </span>
        <span class="desk-spacer" />
        <ExportButton testid="export-csv" disabled={state().status !== "ready"} onClick={exportCsv}>
          {c("exportCsv")}
        </ExportButton>
      </div>
      <ListNotes load={props.load} rows={rows().length} />
      <Show when={state().data}>
        <Table
          testid="breaches"
          columns={tableColumns()}
          rows={rows()}
          key={(b) => b.id}
          rowAttrs={(b) => ({
            "data-severity": b.severity,
            "data-rule": b.rule_id,
            "data-queue": b.scope.queue ?? "",
            "data-acknowledged": b.acknowledged ? "true" : "false",
            "data-state": b.ended_at === null ? "firing" : "ended",
          })}
          onRowClick={(b) => navigate(breachPage(desk.site(), b.id))}
          empty={t("noBreaches")}
        />
      </Show>
    </section>
  );
}
