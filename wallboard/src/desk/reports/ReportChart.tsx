// The report's chart through the one uPlot wrapper: offered as bars (left axis), the service level
// of the queues shown as a line and the target as a dashed line (right axis, %), times on the
// site's clock. Made once per zone, interval and language (the options the wrapper reads once).
import type { Grain, ReportRow } from "@floorwatch/contracts";
import { createMemo, Show } from "solid-js";
import uPlot from "uplot";
import { AXIS, GREEN, GRID, skyFill, TARGET } from "../../components/chartColors";
import { UPlot } from "../../components/UPlot";
import { useDesk } from "../context";
import { useT } from "../i18n";
import { chartData } from "./chart";
import { words } from "./words";

// Sky blue bars, a bluish-green line beside them; the target dashed light grey (as on the TV).
const BARS = skyFill(0.6);

function options(tz: string, labels: { offered: string; sl: string; target: string }) {
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID } };
  return {
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), tz),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true },
      n: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(5, max)] },
      pct: { range: [0, 100] },
    },
    axes: [
      axis,
      { ...axis, scale: "n" },
      {
        ...axis,
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
        paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
        points: { show: false },
      },
      {
        label: labels.sl,
        scale: "pct",
        stroke: GREEN,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 5, fill: GREEN },
      },
      {
        label: labels.target,
        scale: "pct",
        stroke: TARGET,
        width: 1.5,
        dash: [8, 6],
        points: { show: false },
      },
    ],
  } satisfies Omit<uPlot.Options, "width" | "height">;
}

export function ReportChart(props: { rows: ReportRow[]; tz: string; interval: Grain }) {
  const desk = useDesk();
  const t = useT(words);
  const chart = createMemo(() => chartData(props.rows));
  // A new chart when what its options were made of changes; the data alone only feeds it.
  const made = createMemo(() => `${props.tz}|${props.interval}|${desk.lang()}`);
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
            options={options(props.tz, {
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
