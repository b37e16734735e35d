// Every queue of the site in one sortable table with every figure of GET /live: the queue now,
// then the chosen window's. Each figure in the server's state (colour, icon, word), each counted
// figure a link to the contacts it counted. Rows are the store's: a refresh changes the figures
// in place, and a row is rebuilt only when a queue appears or goes.
import type { LiveQueue, LiveSnapshot } from "@floorwatch/contracts";
import { createComputed, createMemo, createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { OfflineIcon, StateIcon } from "../../components/icons";
import { figureLabel } from "../../figures";
import { queueName } from "../../names";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime, formatDuration, formatDeskFigure } from "../format";
import { useT } from "../i18n";
import { type Column, ErrorPanel, Table } from "../parts";
import type { Polled } from "./polled";
import {
  drillFilter,
  drillHref,
  figureState,
  LIVE_WINDOWS,
  type LiveWindow,
  queueFigure,
  shownFigures,
  STATE_RANK,
  worstState,
} from "./queues";
import { StateMark } from "./StateMark";
import { words } from "./words";

/** Older than this, the figures are not shown as live. */
export const STALE_AFTER_MS = 10_000;

const WINDOW_WORD = { "15m": "w15m", "60m": "w60m", today: "wToday" } as const;

/**
 * One figure of one queue: its value (a link to the contacts it counted when `linked`) and, when
 * not ok, the state's icon and word. Kept to a few reactive nodes: a hundred queues have 3,600.
 */
function FigureCell(props: {
  q: LiveQueue;
  figure: string;
  linked: boolean;
  site: string;
  filters: Readonly<Record<string, string>>;
}) {
  const t = useT(words);
  const state = () => figureState(props.q, props.figure);
  const text = () => formatDeskFigure(props.figure, queueFigure(props.q, props.figure));
  return (
    <span class={`sup-fig state-${state()}`} data-figure={props.figure} data-state={state()}>
      {props.linked ? (
        <a href={drillHref(props.site, props.q, props.figure, props.filters) ?? undefined} data-num>
          {text()}
        </a>
      ) : (
        <span data-num>{text()}</span>
      )}
      <Show when={state() !== "ok"}>
        <StateIcon state={state()} />
        <span class="sup-fig-word">
          {state() === "breach" ? t("stateBreach") : t("stateWarning")}
        </span>
      </Show>
    </span>
  );
}

export function QueuesPanel(props: { live: Polled<LiveSnapshot>; clock: () => number }) {
  const desk = useDesk();
  const t = useT(words);
  const [win, setWin] = createSignal<LiveWindow>("15m");
  const [queues, setQueues] = createStore<LiveQueue[]>([]);
  const snap = () => props.live.value();
  // Before the table reads them: the first snapshot's rows are there on the first paint.
  createComputed(() => setQueues(reconcile(snap()?.queues ?? [], { key: "queue" })));
  const tz = () => siteTimeZone(desk.siteInfo(), snap()?.tz);
  const filters = createMemo(() => snap()?.drill_filters ?? {}, undefined, {
    // A new snapshot's filters are the same filters: the columns are not rebuilt every 2 s.
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const figures = createMemo(() => shownFigures(win()));

  const columns = createMemo((): Column<LiveQueue>[] => {
    const lang = desk.lang();
    const shown = figures();
    const site = desk.site();
    const drillFilters = filters();
    return [
      {
        id: "queue",
        label: t("colQueue"),
        value: (q) => queueName(q.queue, q, lang),
        render: (q) => (
          <span class="sup-queue" title={q.queue}>
            {queueName(q.queue, q, lang)}
          </span>
        ),
      },
      {
        id: "state",
        label: t("colState"),
        value: (q) => STATE_RANK[worstState(q, shown)],
        render: (q) => <StateMark state={worstState(q, shown)} />,
      },
      {
        id: "sl_target",
        label: t("colTarget"),
        align: "end",
        value: (q) => q.definition.sl_target,
        render: (q) => formatDeskFigure("service_level", q.definition.sl_target),
      },
      ...shown.map(
        (f): Column<LiveQueue> => ({
          id: f,
          // The window is the picker's; the header names the figure alone, its title in full.
          label: figureLabel(f.replace(/^(15m|60m|today)\./, ""), lang),
          title: figureLabel(f, lang),
          align: "end",
          value: (q) => queueFigure(q, f),
          render: (q) => (
            <FigureCell
              q={q}
              figure={f}
              // Which figures count contacts is the same for every queue: once per column.
              linked={drillFilter(f, drillFilters) !== null}
              site={site}
              filters={filters()}
            />
          ),
        }),
      ),
    ];
  });

  const age = () => {
    const at = props.live.okAt();
    return at === null ? null : props.clock() - at;
  };
  // One failed request among many is no news; figures older than this are.
  const stale = () => (age() ?? Number.POSITIVE_INFINITY) > STALE_AFTER_MS;

  return (
    <section class="desk-panel sup-queues" data-testid="queues-panel">
      <header class="sup-head">
        <h2>{t("queuesTitle")}</h2>
        <fieldset class="sup-segmented" aria-label={t("window")} data-testid="window">
          <For each={LIVE_WINDOWS}>
            {(w) => (
              <button
                type="button"
                data-window={w}
                aria-pressed={win() === w}
                onClick={() => setWin(w)}
              >
                {t(WINDOW_WORD[w])}
              </button>
            )}
          </For>
        </fieldset>
        <span class="desk-spacer" />
        <Show when={snap()}>
          {(s) => (
            <span class="muted" data-testid="as-of" data-as-of={s().as_of}>
              {t("asOf", { time: formatDateTime(s().as_of, tz()) })}
            </span>
          )}
        </Show>
        {/* The server leaves `states` out when it could not read the site's rules: the colours
            would all say "ok", so say that the states are unknown instead. */}
        <Show when={snap()?.queues.some((q) => q.states === undefined)}>
          <span class="sup-stale" data-testid="states-unknown" role="status">
            {t("statesUnknown")}
          </span>
        </Show>
        <Show when={snap() && stale()}>
          <span class="sup-stale" data-testid="stale" role="status">
            <OfflineIcon />
            {t("stale", { age: formatDuration((age() ?? 0) / 1000) })}
          </span>
        </Show>
      </header>
      <Show when={props.live.error() !== null && (!snap() || stale())}>
        <ErrorPanel error={props.live.error()} retry={() => props.live.refresh()} />
      </Show>
      <Show when={snap()}>
        <Table
          testid="queues"
          columns={columns()}
          rows={queues}
          key={(q) => q.queue}
          initialSort={{ id: "state", dir: "desc" }}
          rowAttrs={(q) => ({ "data-state": worstState(q, figures()) })}
          empty={t("noQueues")}
        />
      </Show>
    </section>
  );
}
