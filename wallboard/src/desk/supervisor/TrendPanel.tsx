// The service level of a chosen queue over a chosen range (today by quarter hour, 7 days by hour,
// 30 days by day) against its target, through the one uPlot wrapper. Times on the site's clock.
import { type LiveSnapshot, ReportResponse } from "@floorwatch/contracts";
import { createEffect, createMemo, createSignal, For, Show } from "solid-js";
import uPlot from "uplot";
import { SKY, skyFill, TARGET } from "../../components/chartColors";
import { UPlot } from "../../components/UPlot";
import { pointCount } from "../../trends";
import { query } from "../api";
import { axisStyle, deskAxis, plotPadding, timeAxis } from "../chartAxes";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime } from "../format";
import { messages, useT } from "../i18n";
import { createRootFont, type RootFont } from "../rootFont";
import { createQueueNames } from "./names";
import { createPolled } from "./polled";
import { PollState } from "./PollState";
import { TREND_RANGES, type TrendRange, trendData, trendQuery } from "./trend";
import { words } from "./words";

/** The report's current interval fills as the day goes on. */
const TREND_EVERY_MS = 60_000;
const RANGE_WORD = { "15m": "range15m", "1h": "range1h", "1d": "range1d" } as const;
/** The legend's name of the x value (uPlot's default, "Time", is English on a Chinese screen). */
const legendWords = messages({ interval: "Interval" }, { interval: "时段" });

function chartOptions(
  tz: string,
  range: () => TrendRange,
  font: RootFont,
  labels: { interval: string; sl: string; target: string },
  legendHost: () => HTMLElement,
): Omit<uPlot.Options, "width" | "height"> {
  const style = axisStyle(font.px, font.family);
  // Lines and points as thick beside the text as at 16 px (a 2 px line is a hairline on 4K).
  const k = font.px / 16;
  return {
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
    scales: { x: { time: true }, y: { range: [0, 100] } },
    // Below the plot's host, not in it: the chart fills the host, which clips what overflows.
    legend: { show: true, mount: (_u, el) => legendHost().append(el) },
    cursor: { drag: { x: false, y: false } },
    padding: plotPadding(style, false),
    axes: [
      // The site's clock: hours of today, days and hours of a week, days of a month.
      timeAxis(style, tz, range),
      { ...deskAxis(style, "y"), values: (_u, splits) => splits.map((v) => `${v}%`) },
    ],
    series: [
      {
        label: labels.interval,
        value: (_u, v) => (v == null ? "–" : formatDateTime(new Date(v * 1000).toISOString(), tz)),
      },
      {
        label: labels.sl,
        stroke: SKY,
        fill: skyFill(0.14),
        width: 2 * k,
        spanGaps: false,
        points: { show: true, size: 5 * k, fill: SKY },
        value: (_u, v) => (v == null ? "–" : `${v.toFixed(1)}%`),
      },
      {
        label: labels.target,
        stroke: TARGET,
        width: 2 * k,
        dash: [8 * k, 6 * k],
        points: { show: false },
        value: (_u, v) => (v == null ? "–" : `${v.toFixed(1)}%`),
      },
    ],
  };
}

export function TrendPanel(props: {
  live: () => LiveSnapshot | undefined;
  /** The queue table has painted (the chart is drawn after it). */
  after: () => boolean;
}) {
  const desk = useDesk();
  const t = useT(words);
  const tl = useT(legendWords);
  const font = createRootFont();
  const names = createQueueNames(props.live);
  const [picked, setPicked] = createSignal<string | null>(null);
  const [range, setRange] = createSignal<TrendRange>("15m");
  const tz = createMemo(() => siteTimeZone(desk.siteInfo(), props.live()?.tz));
  const queues = createMemo(() =>
    [...names()].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])),
  );
  // The first queue by name until one is picked, kept when the language changes the names' order.
  createEffect(() => {
    const first = queues()[0]?.[0];
    if (first !== undefined && (picked() === null || !names().has(picked() ?? "")))
      setPicked(first);
  });
  const queue = () => {
    const p = picked();
    return p !== null && names().has(p) ? p : null;
  };
  const key = createMemo(() => {
    const q = queue();
    const site = desk.site();
    return q && site ? JSON.stringify([site, q, range()]) : null;
  });
  const polled = createPolled(
    key,
    (k, signal) => {
      const [site, q, r] = JSON.parse(k) as [string, string, TrendRange];
      const params = trendQuery(r, tz(), Date.now());
      return desk.api.get(
        `/reports/intervals${query({ site, ...params, queue: q })}`,
        ReportResponse,
        { signal },
      );
    },
    { intervalMs: TREND_EVERY_MS, timeoutMs: 30_000 },
  );
  const data = createMemo((): uPlot.AlignedData => {
    const report = polled.value();
    const q = queue();
    return report && q ? trendData(report.rows, q) : [[], [], []];
  });
  const target = () => (data()[2] ?? []).at(-1);

  return (
    <section class="desk-panel sup-trend-panel" data-testid="trend-panel">
      <header class="sup-head">
        <h2>{t("trendTitle")}</h2>
        <label class="sup-filter">
          <span>{t("trendQueue")}</span>
          <select
            data-testid="trend-queue"
            value={queue() ?? ""}
            onChange={(e) => setPicked(e.currentTarget.value)}
          >
            <For each={queues()}>{([id, name]) => <option value={id}>{name}</option>}</For>
          </select>
        </label>
        <fieldset class="sup-segmented" aria-label={t("trendTitle")} data-testid="trend-range">
          <For each={TREND_RANGES}>
            {(r) => (
              <button
                type="button"
                data-range={r}
                aria-pressed={range() === r}
                onClick={() => setRange(r)}
              >
                {t(RANGE_WORD[r])}
              </button>
            )}
          </For>
        </fieldset>
      </header>
      <PollState polled={polled} />
      <Show when={props.after() && queue()} fallback={<p class="desk-empty">{t("noTrend")}</p>}>
        <figure
          class="sup-trend"
          data-testid="trend"
          data-queue={queue() ?? ""}
          data-range={range()}
          data-loaded={polled.value() ? "true" : "false"}
          data-points={pointCount(data())}
          data-target={target() ?? ""}
        >
          {/* A new chart for a new clock, language or text size: uPlot reads its options once. */}
          <Show keyed when={`${tz()}|${desk.lang()}|${font().px}`}>
            {(_) => {
              // Set before the chart mounts (and asks for it): both are made first.
              let legend!: HTMLDivElement;
              return (
                <>
                  <UPlot
                    class="sup-trend-plot"
                    options={chartOptions(
                      tz(),
                      range,
                      font(),
                      { interval: tl("interval"), sl: t("slLegend"), target: t("targetLegend") },
                      () => legend,
                    )}
                    data={data()}
                  />
                  <div ref={legend} data-testid="trend-legend" />
                </>
              );
            }}
          </Show>
        </figure>
      </Show>
    </section>
  );
}
