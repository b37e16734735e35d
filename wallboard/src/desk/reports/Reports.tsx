// The Reports screen (issue #14): GET /api/v1/reports/intervals for a site, a queue or all (or one
// channel's), a range on the site's calendar and an interval, every choice in the address so a link
// shows the same report. A table of every row and a chart; each figure's formula with its row's
// values on hover, focus or click (FormulaPopover); restated and open intervals marked; every
// count a link into the contacts it counted (`/contacts?drill=…`).
import { QueueList, ReportResponse, type QueueInfo, type ReportRow } from "@floorwatch/contracts";
import { useSearchParams } from "@solidjs/router";
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  type JSX,
  on,
  onCleanup,
  Show,
} from "solid-js";
import { queueName } from "../../names";
import { query } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { addDays, isDate } from "../dates";
import { contactsHref, queuesPath } from "../links";
import { formatDateTime, formatDeskFigure } from "../format";
import { useT } from "../i18n";
import { type Column, ErrorPanel, ScreenRoot } from "../parts";
import { CELL_DRILL, reportLabel, drillPath, intervalLabel, rowKey } from "./cells";
import { createCellPopover } from "./cellPopover";
import { FormulaPopover } from "./FormulaPopover";
import { FORMULA_FIGURES, type FormulaFigure } from "./formulas";
import {
  ALL_COLS,
  CHANNELS,
  GRAINS,
  intervalCount,
  PRESETS,
  paramsSearch,
  parseParams,
  presetOf,
  presetRange,
  type ReportParams,
  todayAt,
} from "./params";
import { ReportChart } from "./ReportChart";
import { WindowedTable } from "./WindowedTable";
import { words } from "./words";
import "./reports.css";

/** Rows a report may have before the screen asks whether to show them (a browser table's limit). */
const ROW_LIMIT = 20_000;
/** Up to this many intervals a report is asked at once, without first counting the queues. */
const EAGER_INTERVALS = 200;

const isFormulaFigure = (id: string): id is FormulaFigure =>
  (FORMULA_FIGURES as readonly string[]).includes(id);

export default function Reports() {
  const desk = useDesk();
  const t = useT(words);
  const [search, setSearch] = useSearchParams();

  const tz = () => siteTimeZone(desk.siteInfo());
  const today = createMemo(() => todayAt(tz(), Date.now()));
  const params = createMemo(() => parseParams(search, today()));
  const choose = (patch: Partial<ReportParams>) =>
    setSearch(paramsSearch({ ...params(), ...patch }));

  // Another site has other queues: its report starts with all of them.
  createEffect(
    on(
      () => desk.site(),
      () => {
        if (params().queue) choose({ queue: "" });
      },
      { defer: true },
    ),
  );

  // The address always carries the whole question, so what is on screen can be shared as it is.
  createEffect(() => {
    const want = paramsSearch(params());
    if (Object.entries(want).some(([k, v]) => (search[k] ?? "") !== v))
      setSearch(want, { replace: true });
  });

  const [queues] = createResource(
    () => desk.site() || false,
    (site) => desk.api.get(queuesPath(site), QueueList),
  );
  const queueList = () => (queues.error ? [] : (queues.latest?.queues ?? []));
  const queueInfo = createMemo(() => new Map(queueList().map((q) => [q.queue, q])));
  const nameOf = (queue: string) => queueName(queue, queueInfo().get(queue), desk.lang());

  const request = createMemo(() => {
    const p = params();
    if (!desk.site()) return null;
    return `/reports/intervals${query({
      site: desk.site(),
      from: p.from,
      to: p.to,
      interval: p.interval,
      queue: p.queue,
      channel: p.channel,
    })}`;
  });

  // A report of more rows than a browser table should hold waits for a yes.
  const [forced, setForced] = createSignal<string | null>(null);
  const estimate = createMemo(() => {
    const p = params();
    const n = intervalCount(p, p.interval);
    if (p.queue) return n;
    if (n <= EAGER_INTERVALS) return 0; // asked at once; at most EAGER_INTERVALS × queues rows
    if (queues.loading && !queues.latest) return null; // count the queues first
    const matching = queueList().filter((q) => !p.channel || q.channel === p.channel).length;
    return n * Math.max(1, matching);
  });
  const tooMany = () => {
    const e = estimate();
    return e !== null && e > ROW_LIMIT && forced() !== request() ? e : 0;
  };
  const source = () => {
    const r = request();
    return r && estimate() !== null && !tooMany() ? r : false;
  };

  let inflight: AbortController | undefined;
  const [report, { refetch }] = createResource(source, (path) => {
    inflight?.abort();
    inflight = new AbortController();
    return desk.api.get(path, ReportResponse, { signal: inflight.signal });
  });
  onCleanup(() => inflight?.abort());
  /** The report on screen: the last one answered for the current question. */
  const shown = () => (report.error || !source() ? undefined : report.latest);
  const rows = () => shown()?.rows ?? [];
  const rowsByKey = createMemo(() => new Map(rows().map((r) => [rowKey(r), r])));

  // Columns are kept per id, so choosing one more column adds its cells without rebuilding the rest.
  const columnCache = new Map<string, Column<ReportRow>>();
  const column = (id: string, make: () => Column<ReportRow>) =>
    columnCache.get(id) ?? columnCache.set(id, make()).get(id)!;
  const figureColumn = (figure: FormulaFigure): Column<ReportRow> => ({
    id: figure,
    get label() {
      return reportLabel(figure, desk.lang());
    },
    get title() {
      return t(`def_${figure}`);
    },
    align: "end",
    value: (r) => r[figure],
    render: (r) => figureCell(r, figure),
  });
  const columns = createMemo(() => [
    column("queue", () => ({
      id: "queue",
      get label() {
        return t("queue");
      },
      value: (r) => nameOf(r.queue),
      render: (r) => <span title={r.queue}>{nameOf(r.queue)}</span>,
    })),
    column("interval", () => ({
      id: "interval",
      get label() {
        return t("intervalStart");
      },
      value: (r) => Date.parse(r.interval_start),
      render: (r) =>
        intervalLabel(
          r.interval_start,
          shown()?.interval ?? "1h",
          siteTimeZone(desk.siteInfo(), shown()?.tz),
        ),
    })),
    column("status", () => ({
      id: "status",
      get label() {
        return t("status");
      },
      value: (r) => (r.restated ? 2 : r.closed ? 0 : 1),
      render: statusCell,
    })),
    ...params().cols.map((f) => column(f, () => figureColumn(f))),
  ]);

  function statusCell(r: ReportRow): JSX.Element {
    if (r.restated)
      return (
        <span class="report-mark restated" title={t("restatedHint")}>
          <span aria-hidden="true">⟲</span> {t("restated")}
        </span>
      );
    if (!r.closed)
      return (
        <span class="report-mark open" title={t("openHint")}>
          <span aria-hidden="true">◔</span> {t("open")}
        </span>
      );
    return "";
  }

  function figureCell(r: ReportRow, figure: FormulaFigure): JSX.Element {
    const value = r[figure];
    const text = formatDeskFigure(figure, value);
    const filter = CELL_DRILL[figure];
    const path = value === null ? null : drillPath(r, shown()?.drill_filters ?? {}, filter);
    return path ? (
      <a class="fig" href={contactsHref(desk.site(), path)} data-drill={filter}>
        {text}
      </a>
    ) : (
      <span class="fig" tabindex="0">
        {text}
      </span>
    );
  }

  // The formula popover: one for the table (cellPopover.ts).
  const formula = createCellPopover(isFormulaFigure, "report-formula");
  // A new report: the popover's row may be gone.
  createEffect(on(shown, formula.hide, { defer: true }));
  const formulaRow = () => {
    const open = formula.open();
    return open ? rowsByKey().get(open.key) : undefined;
  };

  const preset = () => presetOf(params(), today());
  const choosePreset = (value: string) => {
    if ((PRESETS as readonly string[]).includes(value))
      choose(presetRange(value as (typeof PRESETS)[number], today()));
  };
  const through = () => addDays(params().to, -1);
  const [rangeError, setRangeError] = createSignal(false);
  const chooseDates = (from: string, last: string) => {
    const ok = isDate(from) && isDate(last) && from <= last;
    setRangeError(!ok);
    if (ok) choose({ from, to: addDays(last, 1) });
  };
  const toggleCol = (id: FormulaFigure, on: boolean) => {
    const chosen = new Set(params().cols);
    if (on) chosen.add(id);
    else chosen.delete(id);
    const cols = ALL_COLS.filter((c) => chosen.has(c));
    if (cols.length) choose({ cols });
  };
  const channelQueues = () =>
    queueList().filter((q: QueueInfo) => !params().channel || q.channel === params().channel);

  return (
    <ScreenRoot name="reports" ready={shown() !== undefined}>
      <h1>{t("title")}</h1>
      <form class="desk-toolbar desk-panel report-toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>{t("channel")}</span>
          <select
            data-testid="report-channel"
            value={params().channel}
            onChange={(e) => choose({ channel: e.currentTarget.value, queue: "" })}
          >
            <option value="">{t("allChannels")}</option>
            <For each={CHANNELS}>{(ch) => <option value={ch}>{t(`channel_${ch}`)}</option>}</For>
          </select>
        </label>
        <label>
          <span>{t("queue")}</span>
          <select
            data-testid="report-queue"
            value={params().queue}
            onChange={(e) => choose({ queue: e.currentTarget.value })}
          >
            <option value="">{t("allQueues")}</option>
            <For each={channelQueues()}>
              {(q) => <option value={q.queue}>{nameOf(q.queue)}</option>}
            </For>
            <Show when={params().queue && !queueInfo().has(params().queue)}>
              <option value={params().queue}>{params().queue}</option>
            </Show>
          </select>
        </label>
        <label>
          <span>{t("range")}</span>
          <select
            data-testid="report-range"
            value={preset()}
            onChange={(e) => choosePreset(e.currentTarget.value)}
          >
            <For each={PRESETS}>{(p) => <option value={p}>{t(p)}</option>}</For>
            <option value="custom" disabled>
              {t("custom")}
            </option>
          </select>
        </label>
        <label>
          <span>{t("from")}</span>
          <input
            type="date"
            data-testid="report-from"
            value={params().from}
            onChange={(e) => chooseDates(e.currentTarget.value, through())}
          />
        </label>
        <label>
          <span>{t("through")}</span>
          <input
            type="date"
            data-testid="report-through"
            value={through()}
            onChange={(e) => chooseDates(params().from, e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{t("interval")}</span>
          <select
            data-testid="report-interval"
            value={params().interval}
            onChange={(e) =>
              choose({ interval: e.currentTarget.value as ReportParams["interval"] })
            }
          >
            <For each={GRAINS}>{(g) => <option value={g}>{t(`grain${g}`)}</option>}</For>
          </select>
        </label>
        <details class="report-cols" data-testid="column-chooser">
          <summary>{t("columns")}</summary>
          <div class="report-cols-list">
            <For each={ALL_COLS}>
              {(id) => (
                <label>
                  <input
                    type="checkbox"
                    data-col={id}
                    checked={params().cols.includes(id)}
                    onChange={(e) => toggleCol(id, e.currentTarget.checked)}
                  />
                  <span>{reportLabel(id, desk.lang())}</span>
                </label>
              )}
            </For>
          </div>
        </details>
      </form>
      <Show when={rangeError()}>
        <p class="state-warning" role="alert">
          {t("badRange")}
        </p>
      </Show>

      <Show when={queues.error}>
        <ErrorPanel error={queues.error} />
      </Show>
      <Show when={report.error && source()}>
        <ErrorPanel error={report.error} retry={() => void refetch()} />
      </Show>
      <Show when={tooMany()}>
        {(n) => (
          <div class="desk-panel state-warning" data-testid="too-many-rows" role="status">
            <span>{t("tooMany", { n: n().toLocaleString() })}</span>{" "}
            <button type="button" onClick={() => setForced(request())}>
              {t("showAnyway")}
            </button>
          </div>
        )}
      </Show>
      <Show when={!shown() && !report.error && source()}>
        <p class="desk-loading">{t("loadingReport")}</p>
      </Show>

      <Show when={shown()}>
        {(r) => (
          <>
            <ReportChart rows={r().rows} tz={r().tz} interval={r().interval} />
            <p class="muted report-meta">
              <span data-testid="report-rows">{t("rowsShown", { n: r().rows.length })}</span>
              {" · "}
              {t("generated", { at: formatDateTime(r().generated_at, r().tz), tz: r().tz })}
              {" · "}
              {t("drillHint")}
            </p>
            <div
              ref={formula.listen}
              class="report-table"
              data-testid="report-view"
              data-state={report.loading ? "loading" : "ready"}
              data-request={request() ?? ""}
              data-interval={r().interval}
              data-from={r().from}
              data-to={r().to}
              aria-busy={report.loading}
            >
              <WindowedTable
                testid="report"
                columns={columns()}
                rows={r().rows}
                key={rowKey}
                initialSort={{ id: "interval", dir: "asc" }}
                rowAttrs={(row) => ({
                  "data-restated": row.restated ? "true" : undefined,
                  "data-closed": row.closed ? "true" : "false",
                })}
              />
            </div>
          </>
        )}
      </Show>

      <Show when={formula.open() && formulaRow() && shown() && formula.place()}>
        <FormulaPopover
          id="report-formula"
          row={formulaRow()!}
          figure={formula.open()!.figure}
          response={shown()!}
          queueName={nameOf(formulaRow()!.queue)}
          place={formula.place()!}
          pinned={formula.open()!.by === "pin"}
          onPointerLeave={formula.leftPopover}
        />
      </Show>
    </ScreenRoot>
  );
}
