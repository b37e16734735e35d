// The report's chart through the one uPlot wrapper: offered as bars (left axis), the service level
// of the queues shown as a line and the target as a dashed line (right axis, %), times on the
// site's clock. Made once per zone, interval, language and root font size (the options the
// wrapper reads once).
import type { Grain, ReportRow } from "@floorwatch/contracts";
import { createMemo, Show } from "solid-js";
import uPlot from "uplot";
import { GREEN, skyFill, TARGET } from "../../components/chartColors";
import { UPlot } from "../../components/UPlot";
import { axisStyle, deskAxis, paddedRange, plotPadding, timeAxis } from "../chartAxes";
import { useDesk } from "../context";
import { useT } from "../i18n";
import { createRootFont, type RootFont } from "../rootFont";
import { chartData } from "./chart";
import { words } from "./words";

// Sky blue bars, a bluish-green line beside them; the target dashed light grey (as on the TV).
const BARS = skyFill(0.6);

function options(
  tz: string,
  interval: Grain,
  font: RootFont,
  labels: { offered: string; sl: string; target: string },
) {
  const style = axisStyle(font.px, font.family);
  // Lines and points as thick beside the text as at 16 px (a 2 px line is a hairline on 4K).
  const k = font.px / 16;
  return {
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), tz),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    padding: plotPadding(style, true),
    scales: {
      // Half an interval either side: the first and last bars are drawn whole.
      x: {
        time: true,
        range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax =>
          Number.isFinite(min) && Number.isFinite(max)
            ? paddedRange(interval, tz, min, max)
            : [min, max],
      },
      n: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(5, max)] },
      pct: { range: [0, 100] },
    },
    axes: [
      timeAxis(style, tz, () => interval),
      { ...deskAxis(style, "y"), scale: "n" },
      {
        ...deskAxis(style, "y"),
        scale: "pct",
        side: 1,
        grid: { show: false },
        values: (_u: uPlot, v: number[]) => v.map((x) => `${x}%`),
      },
    ],
    series: [
      {},
      {
        label: labels.offered,
        scale: "n",
        stroke: BARS,
        fill: BARS,
        width: 0,
        // At most 3 rem wide, as 48 px were at 16 px text.
        paths: uPlot.paths.bars?.({ size: [0.7, 3 * font.px] }),
        points: { show: false },
      },
      {
        label: labels.sl,
        scale: "pct",
        stroke: GREEN,
        width: 2 * k,
        spanGaps: false,
        points: { show: true, size: 5 * k, fill: GREEN },
      },
      {
        label: labels.target,
        scale: "pct",
        stroke: TARGET,
        width: 1.5 * k,
        dash: [8 * k, 6 * k],
        points: { show: false },
      },
    ],
  } satisfies Omit<uPlot.Options, "width" | "height">;
}

export function ReportChart(props: { rows: ReportRow[]; tz: string; interval: Grain }) {
  const desk = useDesk();
  const t = useT(words);
  const font = createRootFont();
  const chart = createMemo(() => chartData(props.rows));
  // A new chart when what its options were made of changes; the data alone only feeds it.
  const made = createMemo(() => `${props.tz}|${props.interval}|${desk.lang()}|${font().px}`);
  return (
    <figure
      class="report-chart desk-panel"
      data-testid="report-chart"
      data-points={chart().data[0].length}
    >
      <figcaption>
        <span>{t("chartTitle")}</span>
        <span class="report-legend">
          <span class="key bars">{t("chartOffered")}</span>
          <span class="key line">{t("chartSl")}</span>
          <span class="key target">{t("chartTarget")}</span>
          <Show when={chart().mixedTargets}>
            <span class="muted">{t("chartTargetMixed")}</span>
          </Show>
        </span>
      </figcaption>
      <Show when={made()} keyed>
        {(_) => (
          <UPlot
            class="report-plot"
            options={options(props.tz, props.interval, font(), {
              offered: t("chartOffered"),
              sl: t("chartSl"),
              target: t("chartTarget"),
            })}
            data={chart().data}
          />
        )}
      </Show>
    </figure>
  );
}
