// A trend of one tile (GET /api/v1/live/trends) through the one uPlot wrapper: created once with
// the tile, then only fed new data when the trends are fetched again.
import type { TvTrend } from "@floorwatch/contracts";
import uPlot from "uplot";
import type { MessageKey, Translate } from "../i18n";
import { pointCount, trendIsRatio, trendSpan } from "../trends";
import { SKY, skyFill, TARGET } from "./chartColors";
import { UPlot } from "./UPlot";

const CAPTION: Record<TvTrend, MessageKey> = {
  offered: "trendOffered",
  service_level: "trendServiceLevel",
  max_wait_s: "trendMaxWait",
  csat: "trendCsat",
  resolution_rate: "trendResolution",
};

export interface TrendChartProps {
  trend: TvTrend;
  data: uPlot.AlignedData;
  t: Translate;
}

export function TrendChart(props: TrendChartProps) {
  // Read once: a tile's chart is made for one trend and lives as long as the tile.
  const trend = props.trend;
  const ratio = trendIsRatio(trend);
  const bars = trend === "offered" ? uPlot.paths.bars?.({ size: [0.8, 64] }) : undefined;
  const stepWidth = trendSpan(trend) === "today" ? 900 : 86_400;
  const options: Omit<uPlot.Options, "width" | "height"> = {
    pxAlign: false,
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    legend: { show: false },
    padding: [4, 4, 2, 4],
    scales: {
      x: {
        time: false,
        // Half a step either side, so the first and last bars are whole.
        range: (_u, min, max) =>
          min == null || max == null
            ? [0, 1]
            : [min - stepWidth / 2, Math.max(max, min + stepWidth * 4) + stepWidth / 2],
      },
      y: {
        range: (_u, _min, max) =>
          ratio ? [0, 100] : [0, Math.max(trend === "offered" ? 5 : 60, max ?? 0)],
      },
    },
    axes: [{ show: false }, { show: false }],
    series: [
      {},
      {
        stroke: SKY,
        fill: skyFill(bars ? 0.55 : 0.16),
        width: bars ? 0 : 3,
        points: { show: trendSpan(trend) === "days", size: 7, fill: SKY },
        spanGaps: false,
        ...(bars ? { paths: bars } : {}),
      },
      ...(trend === "service_level"
        ? [{ stroke: TARGET, width: 2, dash: [8, 6], points: { show: false } }]
        : []),
    ],
  };

  return (
    <figure class="trend" data-trend={trend} data-points={pointCount(props.data)}>
      <UPlot options={options} data={props.data} class="trend-plot" />
      <figcaption>{props.t(CAPTION[trend])}</figcaption>
    </figure>
  );
}
